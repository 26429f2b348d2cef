/**
 * Measures the title/abstract split on real listings: the 746 papers of hf-papers-2024.txt against
 * their truth file, and the 25 of tulu-search.txt against titles read off by hand. Prints
 * `title split: N/746 exact` and every miss. `--json` prints the figures as JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDigest } from '../server/src/digest/digestParser';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');

interface TruthRow {
  line: number;
  title: string;
  upvotes: number;
  authors: number;
  date: string;
  count: number | null;
}

function evaluate(name: string, text: string, truth: Map<number, Partial<TruthRow> & { title: string }>) {
  const digest = parseDigest(text, { fallbackCaptureYear: 2024 });
  const byLine = new Map(digest.entries.map((entry) => [entry.line, entry]));
  const misses: string[] = [];
  const fieldErrors: string[] = [];
  let exact = 0;
  let doubtfulRight = 0;
  let doubtfulWrong = 0;
  for (const [line, expected] of truth) {
    const entry = byLine.get(line);
    if (!entry) { misses.push(`  line ${line + 1}: not read as an entry`); continue; }
    const right = entry.title === expected.title.trim();
    if (right) exact++;
    else misses.push(`  line ${line + 1} (confidence ${entry.split.confidence.toFixed(2)})\n    truth: ${expected.title}\n    got:   ${entry.title}`);
    if (entry.split.confidence < 0.5) { if (right) doubtfulRight++; else doubtfulWrong++; }
    for (const [field, actual] of [['upvotes', entry.upvotes], ['authors', entry.authors], ['date', entry.date], ['count', entry.comments]] as const) {
      if (field in expected && (expected as Record<string, unknown>)[field] !== actual) fieldErrors.push(`  line ${line + 1}: ${field} ${String(actual)} (truth ${String((expected as Record<string, unknown>)[field])})`);
    }
  }
  return { name, exact, total: truth.size, misses, fieldErrors, doubtfulRight, doubtfulWrong };
}

const hfTruth = new Map<number, TruthRow>();
for (const line of readFileSync(join(FIXTURES, 'hf-papers-2024.truth.jsonl'), 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const row = JSON.parse(line) as TruthRow;
  hfTruth.set(row.line, row);
}
const tuluTitles = JSON.parse(readFileSync(join(FIXTURES, 'tulu-search.titles.json'), 'utf8')) as string[];
const results = [
  evaluate('hf-papers-2024.txt', readFileSync(join(FIXTURES, 'hf-papers-2024.txt'), 'utf8'), hfTruth),
  evaluate('tulu-search.txt', readFileSync(join(FIXTURES, 'tulu-search.txt'), 'utf8'), new Map(tuluTitles.map((title, line) => [line, { title }]))),
];

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(results.map(({ name, exact, total, doubtfulRight, doubtfulWrong, fieldErrors }) => ({ name, exact, total, doubtfulRight, doubtfulWrong, fieldErrors: fieldErrors.length }))));
} else {
  for (const result of results) {
    console.log(`${result.name}: title split: ${result.exact}/${result.total} exact (${((100 * result.exact) / result.total).toFixed(1)}%)`);
    console.log(`  flagged doubtful: ${result.doubtfulWrong} of the misses, ${result.doubtfulRight} correct splits`);
    if (result.misses.length) console.log(`  misses:\n${result.misses.join('\n')}`);
    if (result.fieldErrors.length) console.log(`  other fields wrong:\n${result.fieldErrors.join('\n')}`);
  }
}
