/**
 * Micro-benchmark of splitTitleAbstract alone: ns per line over the middles (title + abstract) of
 * both corpora's 9,060 lines, after a warm-up. `-- --baseline DIR` also times another copy of
 * titleSplit.ts (with its titleSplitModel.ts and .json beside it, e.g. one taken out of git) in the
 * same process, rounds interleaved, so that before and after are measured under the same load.
 *   node --import tsx scripts/bench-title-split.ts [--baseline DIR] [--rounds N]
 */
import { resolve } from 'node:path';
import { splitTitleAbstract } from '../server/src/digest/titleSplit';
import { loadPapers } from './fit-title-split';

type Split = (text: string) => { titleLength: number; confidence: number };

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const texts = loadPapers().map((paper) => paper.text);
const rounds = Number(option('--rounds') ?? 15);
const contenders: Array<[name: string, split: Split]> = [['current', (text) => splitTitleAbstract(text)]];
const baselineDir = option('--baseline');
if (baselineDir) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const baseline = require(resolve(baselineDir, 'titleSplit.ts')) as { splitTitleAbstract: Split };
  contenders.unshift(['baseline', (text) => baseline.splitTitleAbstract(text)]);
}

let sink = 0;
function time(split: Split): number {
  const started = process.hrtime.bigint();
  for (let k = 0; k < texts.length; k++) sink += split(texts[k]).titleLength;
  return Number(process.hrtime.bigint() - started) / texts.length;
}

for (const [, split] of contenders) for (let r = 0; r < 5; r++) time(split); // warm-up
const samples = contenders.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) contenders.forEach(([, split], c) => samples[c].push(time(split)));
contenders.forEach(([name], c) => {
  const sorted = samples[c].sort((a, b) => a - b);
  console.log(`${name}: median ${sorted[sorted.length >> 1].toFixed(0)} ns/line (min ${sorted[0].toFixed(0)}) over ${texts.length} lines × ${rounds} rounds`);
});
if (sink === 42) console.log('');
