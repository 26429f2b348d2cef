/**
 * Parsing digests from their whole texts, as open documents and the CLI are parsed: every file of
 * the bench workspace (`npm run bench` writes bench-data/workspace-100000-1000-metadata), rounds
 * interleaved in one process. `--baseline DIR` also times another checkout's parser (DIR is its
 * root, e.g. a `git worktree` of an earlier commit), so that before and after share the load.
 *   node --import tsx scripts/bench-parse.ts [--baseline DIR ...] [--rounds N] [--workspace DIR]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Parse = (text: string, options?: { fallbackCaptureYear?: number }) => { entries: unknown[] };

const args = process.argv.slice(2);
const option = (name: string) => args.flatMap((arg, at) => (arg === name ? [args[at + 1]] : []));
const workspace = option('--workspace')[0] ?? join(__dirname, '..', 'bench-data', 'workspace-100000-1000-metadata');
const rounds = Number(option('--rounds')[0] ?? 7);
const texts = readdirSync(workspace).filter((name) => name.endsWith('.digest')).map((name) => readFileSync(join(workspace, name), 'utf8'));
const contenders: Array<[name: string, parse: Parse]> = [
  ...option('--baseline').map((dir): [string, Parse] => [dir, (require(resolve(dir, 'server/src/digest/digestParser.ts')) as { parseDigest: Parse }).parseDigest]),
  ['current', (require('../server/src/digest/digestParser') as { parseDigest: Parse }).parseDigest],
];

const samples = contenders.map(() => [] as number[]);
for (let round = 0; round <= rounds; round++) {
  contenders.forEach(([, parse], c) => {
    const started = performance.now();
    let entries = 0;
    for (const text of texts) entries += parse(text, { fallbackCaptureYear: 2024 }).entries.length;
    // The first round warms up.
    if (round > 0) samples[c].push(performance.now() - started);
    else if (c === 0) console.log(`${texts.length} files, ${entries.toLocaleString('en')} entries`);
  });
}
contenders.forEach(([name], c) => {
  const sorted = samples[c].sort((a, b) => a - b);
  console.log(`${name}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (${sorted.map((ms) => ms.toFixed(0)).join(', ')})`);
});
