/**
 * Measures the title/abstract split on real listings: the 746 papers of hf-papers-2024.txt and the
 * 8,314 of hf-daily-2024-2026.txt against their truth files, and the 25 of tulu-search.txt against
 * titles read off by hand. For each: the shipped model's exact titles (parsed as the editor does)
 * and the doubt hint's recall (share of wrong splits flagged) and share of entries flagged. Then
 * the figure that counts for papers never seen: 5-fold cross-validation over both corpora (each
 * fold split by a model fitted on the other four, scripts/fit-title-split.ts). `--misses` lists
 * every miss; `--json` prints the figures as JSON; `--no-cv` skips the cross-validation (~1 min: each
 * fold's model is fitted as `npm run fit` fits, with its own nested calibration).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOUBTFUL_SPLIT_CONFIDENCE, parseDigest } from '../server/src/digest/digestParser';
import { crossValidateAsShipped, FOLDS, HeldOutSplit, loadPapers } from './fit-title-split';

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
    if (entry.split.confidence < DOUBTFUL_SPLIT_CONFIDENCE) { if (right) doubtfulRight++; else doubtfulWrong++; }
    // The truth files count a listing's `-` (no upvotes shown) as 0 upvotes; the parser reads it as null.
    for (const [field, actual] of [['upvotes', entry.upvotes ?? 0], ['authors', entry.authors], ['date', entry.date], ['count', entry.comments]] as const) {
      if (field in expected && (expected as Record<string, unknown>)[field] !== actual) fieldErrors.push(`  line ${line + 1}: ${field} ${String(actual)} (truth ${String((expected as Record<string, unknown>)[field])})`);
    }
  }
  return { name, exact, total: truth.size, misses, fieldErrors, doubtfulRight, doubtfulWrong };
}

function readTruth(corpus: string): Map<number, TruthRow> {
  const truth = new Map<number, TruthRow>();
  for (const line of readFileSync(join(FIXTURES, `${corpus}.truth.jsonl`), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as TruthRow;
    truth.set(row.line, row);
  }
  return truth;
}
const tuluTitles = JSON.parse(readFileSync(join(FIXTURES, 'tulu-search.titles.json'), 'utf8')) as string[];
const results = [
  ...['hf-papers-2024', 'hf-daily-2024-2026'].map((corpus) =>
    evaluate(`${corpus}.txt`, readFileSync(join(FIXTURES, `${corpus}.txt`), 'utf8'), readTruth(corpus))),
  evaluate('tulu-search.txt', readFileSync(join(FIXTURES, 'tulu-search.txt'), 'utf8'), new Map(tuluTitles.map((title, line) => [line, { title }]))),
];

/**
 * Cross-validated figures by corpus: each fold split, and its doubt hints given, by a model fitted
 * on the other folds exactly as `npm run fit` fits (its confidence curve calibrated inside them).
 */
function crossValidated() {
  const heldOut = crossValidateAsShipped(loadPapers());
  const doubtful = (split: HeldOutSplit) => split.confidence < DOUBTFUL_SPLIT_CONFIDENCE;
  return ['hf-papers-2024', 'hf-daily-2024-2026'].map((corpus) => {
    const splits = heldOut.filter((split) => split.paper.corpus === corpus);
    const wrong = splits.filter((split) => !split.right);
    return {
      name: `${corpus}.txt`, exact: splits.length - wrong.length, total: splits.length,
      flagged: splits.filter(doubtful).length, flaggedWrong: wrong.filter(doubtful).length, wrong: wrong.length,
      misses: wrong.map(({ paper, margin }) => `  line ${paper.line + 1} (margin ${margin.toFixed(2)})\n    truth: ${paper.title}\n    text:  ${paper.text.slice(0, 160)}`),
    };
  });
}
const cv = process.argv.includes('--no-cv') ? [] : crossValidated();

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({
    shipped: results.map(({ name, exact, total, doubtfulRight, doubtfulWrong, fieldErrors }) => ({ name, exact, total, doubtfulRight, doubtfulWrong, fieldErrors: fieldErrors.length })),
    crossValidated: cv.map(({ misses: _misses, ...figures }) => figures),
  }));
} else {
  const showMisses = process.argv.includes('--misses');
  console.log('Shipped model (server/src/digest/titleSplitModel.json; the sample is not fitted on):');
  for (const result of results) {
    const wrong = result.total - result.exact;
    console.log(`${result.name}: title split: ${result.exact}/${result.total} exact (${percent(result.exact, result.total)})`);
    console.log(`  doubtful hint: on ${result.doubtfulWrong}/${wrong} of the misses (recall ${percent(result.doubtfulWrong, wrong)}), ` +
      `${result.doubtfulWrong + result.doubtfulRight} of ${result.total} entries flagged (${percent(result.doubtfulWrong + result.doubtfulRight, result.total)})`);
    if (result.misses.length && (showMisses || result.misses.length <= 10)) console.log(`  misses:\n${result.misses.join('\n')}`);
    if (result.fieldErrors.length) console.log(`  other fields wrong:\n${result.fieldErrors.join('\n')}`);
  }
  if (cv.length) {
    console.log(`Cross-validated (${FOLDS} folds over both corpora, folds by paper; each fold split by a model fitted on the others):`);
    for (const result of cv) {
      console.log(`${result.name}: title split: ${result.exact}/${result.total} exact (${percent(result.exact, result.total)})`);
      console.log(`  doubtful hint: on ${result.flaggedWrong}/${result.wrong} of the misses (recall ${percent(result.flaggedWrong, result.wrong)}), ` +
        `${result.flagged} of ${result.total} entries flagged (${percent(result.flagged, result.total)})`);
      if (showMisses) console.log(`  misses:\n${result.misses.join('\n')}`);
    }
  }
}
