/**
 * `npm run bench`: speed and memory of the digest core at workspace scale, each figure printed next
 * to a baseline measured in the same run on the same machine (these machines are noisy, so only
 * same-run comparisons mean anything).
 *
 * - Indexing 100,000 entries in 1,000 files (~130 MB), digests parsed on worker threads as the
 *   language server and the CLI do, vs reading and line-splitting the same bytes; target: within
 *   3x, under 500 MB RSS. Also the same load parsing on the main thread only, for comparison.
 * - A one-line edit in a 10,000-entry file; target: under 10 ms (p95). Baseline: line-splitting
 *   that file once.
 * - Search over the 100,000 papers, abstracts included; target: under 50 ms (p95). Baseline: a
 *   plain fuse.js scan over the same papers.
 *
 * - Then the language server over the real protocol (scripts/bench-lsp.ts): completion, hover,
 *   definition, references and workspace symbols with the same papers indexed.
 *
 * Each measurement runs in a fresh Node process so memory figures are not mixed up.
 * Options: --entries N --files N (defaults 100000 and 1000), --quick (10,000 in 100 files; a 2,000-entry .bib).
 * Then bibliography files: a 20,000-entry .bib beside the parsers of LaTeX Workshop and Better BibTeX.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeBenchWorkspace } from './bench-corpus';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const entries = option('--entries', quick ? 10_000 : 100_000);
const files = option('--files', quick ? 100 : 1_000);

function phase(name: string, ...phaseArgs: string[]): Record<string, number> {
  const output = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', join(__dirname, 'bench-phase.ts'), name, ...phaseArgs], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').pop()!);
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const mb = (value: number) => `${(value / 1024 / 1024).toFixed(0)} MB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

const workspace = join(root, 'bench-data', `workspace-${entries}-${files}-metadata`);
const editWorkspace = join(root, 'bench-data', 'edit-10000-metadata');
console.log(`Generating ${entries.toLocaleString('en')} entries in ${files.toLocaleString('en')} files and one 10,000-entry file ...`);
const { bytes } = existsSync(join(workspace, '.complete')) ? { bytes: Number(require('node:fs').readFileSync(join(workspace, '.complete'), 'utf8')) } : (() => {
  const written = writeBenchWorkspace(workspace, entries, files);
  require('node:fs').writeFileSync(join(workspace, '.complete'), String(written.bytes));
  return written;
})();
if (!existsSync(join(editWorkspace, 'papers-0000.digest'))) writeBenchWorkspace(editWorkspace, 10_000, 1, 7);
console.log(`  ${mb(bytes)} of digests in ${workspace}\n`);

const baseline = phase('read-split', workspace);
const index = phase('index', workspace);
const oneThread = phase('index-one-thread', workspace);
console.log(`Indexing the workspace (${index.workers} parse worker thread${index.workers === 1 ? '' : 's'} beside the main thread; this machine has ${index.cores} cores)`);
console.log(`  baseline, read + line-split:  ${ms(baseline.ms)}  (${baseline.lines.toLocaleString('en')} lines)`);
console.log(`  index (parse, keys, search):  ${ms(index.ms)}  = ${(index.ms / baseline.ms).toFixed(2)}x baseline   target <= 3x  ${verdict(index.ms <= 3 * baseline.ms)}`);
console.log(`    (parsing on the main thread only: ${ms(oneThread.ms)} = ${(oneThread.ms / baseline.ms).toFixed(2)}x, RSS ${mb(oneThread.rss)}; abstract words are indexed after this, in idle time)`);
console.log(`  papers indexed: ${index.papers.toLocaleString('en')}`);
console.log(`  RSS after indexing: ${mb(index.rss)}  (heap ${mb(index.heapUsed)})   target < 500 MB  ${verdict(index.rss < 500 * 1024 * 1024)}\n`);

const edit = phase('edit', join(editWorkspace, 'papers-0000.digest'));
console.log('One-line edit in a 10,000-entry file (200 edits)');
console.log(`  baseline, line-split the file once: ${ms(edit.baselineMs)}`);
console.log(`  index update: p50 ${ms(edit.p50)}  p95 ${ms(edit.p95)}  max ${ms(edit.max)}   target p95 < 10 ms  ${verdict(edit.p95 < 10)}\n`);

const search = phase('search', workspace);
console.log(`Search over ${search.papers.toLocaleString('en')} papers (${search.queries} queries, abstracts included)`);
console.log(`  baseline, plain fuse.js scan: mean ${ms(search.fuseMean)} per query (${search.fuseQueries} queries; building its index took ${ms(search.fuseBuild)})`);
console.log(`  litdigest search: p50 ${ms(search.p50)}  p95 ${ms(search.p95)}  max ${ms(search.max)}   target p95 < 50 ms  ${verdict(search.p95 < 50)}`);

console.log('\nThe language server over the real protocol (scripts/bench-lsp.ts)');
execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'bench-lsp.ts'), ...args], { cwd: root, stdio: 'inherit' });

console.log('\nBibliography files (scripts/bench-bibliography.ts)');
execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'bench-bibliography.ts'), ...(quick ? ['--entries', '2000'] : [])], { cwd: root, stdio: 'inherit' });
