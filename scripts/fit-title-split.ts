/**
 * Fits the title split's model and writes server/src/digest/titleSplitModel.json (`npm run fit`).
 *
 * Fitted on the 9,060 papers of test/fixtures/hf-papers-2024.txt and hf-daily-2024-2026.txt, whose
 * true titles are in the .truth.jsonl beside them; the sample (tulu-search.txt) is left out, to
 * measure on. Three steps, all deterministic (no randomness but a seeded shuffle):
 * 1. The word-class tables are counted: the classes of title words (Title Case and sentence-case
 *    titles apart), of the abstract's first and second words and of the rest of its opening.
 * 2. The weights of the candidate features are fitted by maximum likelihood of the true boundary
 *    under a softmax over each line's candidates, with an L2 penalty, by AdaGrad.
 * 3. The second stage and the confidence: 5-fold cross-validation (folds by paper: a hash of its
 *    title) gives each paper candidates scored by a model that never saw it. On those whose margin
 *    is below RECURRENCE_BELOW_MARGIN, the second stage's weights (how the abstract further on
 *    repeats the title, titleSplit.ts's RecurrenceWeights) are fitted by maximum likelihood of the
 *    true candidate; the two stages then give each paper a split and a margin, the doubt margin is
 *    set where those margins catch the wrong splits, and the slope by maximum likelihood of right vs wrong.
 * `--check` fits and compares with the file instead of writing it (exit 1 when they differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEntryFields } from '../server/src/digest/entryLine';
import {
  compileTitleSplitModel, DENSE_FEATURE_COUNT, DENSE_FEATURES, RecurrenceWeights, splitTitleAbstract, TitleSplitModel, TitleSplitParameters,
  titleSplitCandidates, titleSplitRecurrenceCues, titleSplitWords,
} from '../server/src/digest/titleSplit';
import { seededRandom } from './seededRandom';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');
export const MODEL_FILE = join(__dirname, '..', 'server', 'src', 'digest', 'titleSplitModel.json');

/** The corpora the model is fitted on (test/fixtures/NAME.txt with NAME.truth.jsonl). */
export const CORPORA = ['hf-papers-2024', 'hf-daily-2024-2026'];
export const FOLDS = 5;
// 16 bits rather than 15: the extra buckets (fewer collisions between the learned words) gain ~3
// cross-validated titles; the pruning below keeps the file about as large as 15 bits made it.
const HASH_BITS = 16;
/** How the weights are fitted (step 2); the defaults are what `npm run fit` uses. */
export interface FitOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty on each weight, per example that has the feature */
  l2: number;
}
// l2 5e-5 (with 16 hash bits; 1e-4 was best with 15): 7e-5, 1e-4 and 1.2e-4 lose 2 to 4
// cross-validated titles, 2e-4 more.
export const DEFAULT_FIT_OPTIONS: FitOptions = { epochs: 12, learningRate: 0.2, l2: 5e-5 };
const SEED = 12;
/**
 * Weights of the hashed features smaller than this are left out of the file: 0.05 changes no
 * cross-validated split against 5e-4, and takes a quarter of the weights out (~500 KB, not ~690).
 */
const SMALLEST_WEIGHT = 0.05;

/** One paper of a corpus: the text the split reads (title and abstract) and its true title. */
export interface Paper {
  corpus: string;
  line: number;
  text: string;
  title: string;
  fold: number;
}

/** Reads the papers of `corpora` from test/fixtures. */
export function loadPapers(corpora: string[] = CORPORA): Paper[] {
  const papers: Paper[] = [];
  for (const corpus of corpora) {
    const lines = readFileSync(join(FIXTURES, `${corpus}.txt`), 'utf8').split('\n');
    for (const row of readFileSync(join(FIXTURES, `${corpus}.truth.jsonl`), 'utf8').split('\n')) {
      if (!row.trim()) continue;
      const { line, title } = JSON.parse(row) as { line: number; title: string };
      const read = readEntryFields(lines[line].replace(/\r$/, ''));
      if (read.kind !== 'entry') throw new Error(`${corpus} line ${line + 1} is not an entry`);
      papers.push({ corpus, line, text: read.fields.middle, title: title.trim(), fold: foldOf(title) });
    }
  }
  return papers;
}

/** The fold of a paper, by its title (so that a paper in both corpora is in one fold). */
function foldOf(title: string): number {
  let hash = 0x811c9dc5;
  for (const ch of title.trim().toLowerCase()) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193);
  return (hash >>> 0) % FOLDS;
}

/** How many words the true title has, as the split reads the words of the text; -1 where no boundary gives it. */
function trueCut(text: string, title: string, ends: ArrayLike<number>): number {
  for (let t = 1; t <= ends.length; t++) if (text.slice(0, ends[t - 1]).trim() === title) return t;
  return -1;
}

// WordClass values of titleSplit.ts that the counting tells apart.
const CLASS_COUNT = 9;
const LOWER = 0;
const CAP = 2;
const CAP_COMPOUND = 7;
const CAPITALISED = new Set([2, 3, 4, 7, 8]);
const UNSCORED = 2;

/** Step 1: the word-class tables, counted on `papers` (add-½ smoothing). */
function countTables(papers: Paper[]): Pick<TitleSplitParameters, 'titleCase' | 'sentenceCase' | 'abstract' | 'abstractFirst' | 'abstractSecond' | 'sentenceCaseShare'> {
  const zeros = () => new Array<number>(CLASS_COUNT).fill(0);
  const title = [[zeros(), zeros()], [zeros(), zeros()]]; // [Title Case, sentence case][row][class]
  const abstract = [zeros(), zeros()];
  const first = zeros();
  const second = zeros();
  const styles = [0, 0];
  for (const paper of papers) {
    const { ends, classes, rows } = titleSplitWords(paper.text);
    const t = trueCut(paper.text, paper.title, ends);
    if (t < 0) continue;
    let lowercase = 0;
    let capitalised = 0;
    for (let j = 0; j < t; j++) {
      if (rows[j] === UNSCORED) continue;
      if (classes[j] === LOWER) lowercase++;
      else if (classes[j] === CAP || classes[j] === CAP_COMPOUND) capitalised++;
    }
    const style = lowercase > capitalised ? 1 : 0;
    styles[style]++;
    for (let j = 0; j < t; j++) if (rows[j] !== UNSCORED) title[style][rows[j]][classes[j]]++;
    const n = ends.length;
    if (t < n) first[classes[t]]++;
    if (t + 1 < n && rows[t + 1] !== UNSCORED) (CAPITALISED.has(classes[t]) ? second : abstract[0])[classes[t + 1]]++;
    for (let j = t + 2; j < n; j++) if (rows[j] !== UNSCORED) abstract[rows[j]][classes[j]]++;
  }
  const logP = (counts: number[]) => {
    const total = counts.reduce((sum, count) => sum + count, 0) + 0.5 * counts.length;
    return counts.map((count) => round(Math.log((count + 0.5) / total), 4));
  };
  return {
    titleCase: title[0].map(logP),
    sentenceCase: title[1].map(logP),
    abstract: abstract.map(logP),
    abstractFirst: logP(first),
    abstractSecond: logP(second),
    sentenceCaseShare: round((styles[1] + 0.5) / (styles[0] + styles[1] + 1), 4),
  };
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale || 0; // no -0 in the file
}

/** A paper's candidates as flat arrays, and which one is right. */
interface Example {
  /** Candidate c's features are indexes/values[starts[c] .. starts[c + 1]). */
  starts: Int32Array;
  indexes: Int32Array;
  values: Float64Array;
  truth: number;
}

function exampleOf(paper: Paper, model: TitleSplitModel): Example | undefined {
  const candidates = titleSplitCandidates(paper.text, model);
  const truth = candidates.titleLengths.findIndex((length) => paper.text.slice(0, length).trim() === paper.title);
  if (truth < 0) return undefined;
  const starts = new Int32Array(candidates.titleLengths.length + 1);
  for (let c = 0; c < candidates.featureIndexes.length; c++) starts[c + 1] = starts[c] + candidates.featureIndexes[c].length;
  return { starts, indexes: Int32Array.from(candidates.featureIndexes.flat()), values: Float64Array.from(candidates.featureValues.flat()), truth };
}

/** Step 2: the weights, by AdaGrad on the softmax log-likelihood of the true candidates, with L2. */
function fitWeights(examples: Example[], weightCount: number, { epochs, learningRate, l2 }: FitOptions): Float64Array {
  const weights = new Float64Array(weightCount);
  // Start from the generative model: the likelihoods as they are.
  weights[DENSE_FEATURES.indexOf('titleLikelihood')] = 1;
  weights[DENSE_FEATURES.indexOf('abstractOpeningLikelihood')] = 1;
  weights[DENSE_FEATURES.indexOf('abstractLikelihood')] = 1;
  const squaredGradients = new Float64Array(weightCount);
  const gradient = new Float64Array(weightCount);
  const touched = new Int32Array(weightCount);
  const isTouched = new Uint8Array(weightCount);
  const random = seededRandom(SEED);
  const order = examples.map((_, e) => e);
  const probabilities = new Float64Array(64);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let e = order.length - 1; e > 0; e--) {
      const other = Math.floor(random() * (e + 1));
      [order[e], order[other]] = [order[other], order[e]];
    }
    for (const e of order) {
      const { starts, indexes, values, truth } = examples[e];
      const count = starts.length - 1;
      if (count < 2) continue;
      let best = -Infinity;
      for (let c = 0; c < count; c++) {
        let score = 0;
        for (let k = starts[c]; k < starts[c + 1]; k++) score += weights[indexes[k]] * values[k];
        probabilities[c] = score;
        if (score > best) best = score;
      }
      let total = 0;
      for (let c = 0; c < count; c++) total += probabilities[c] = Math.exp(probabilities[c] - best);
      let touchedCount = 0;
      for (let c = 0; c < count; c++) {
        const p = probabilities[c] / total - (c === truth ? 1 : 0);
        if (Math.abs(p) < 1e-9) continue;
        for (let k = starts[c]; k < starts[c + 1]; k++) {
          const index = indexes[k];
          if (!isTouched[index]) { isTouched[index] = 1; touched[touchedCount++] = index; }
          gradient[index] += p * values[k];
        }
      }
      for (let t = 0; t < touchedCount; t++) {
        const index = touched[t];
        const g = gradient[index] + l2 * weights[index];
        squaredGradients[index] += g * g;
        weights[index] -= (learningRate * g) / (Math.sqrt(squaredGradients[index]) + 1e-8);
        gradient[index] = 0;
        isTouched[index] = 0;
      }
    }
  }
  return weights;
}

type Confidence = Pick<TitleSplitParameters, 'doubtMargin' | 'confidenceSlope'>;
/** Confidence parameters under which the confidence's logit is the margin itself. */
const MARGIN_AS_LOGIT: Confidence = { doubtMargin: 0, confidenceSlope: 1 };

/** Steps 1 and 2 on `papers`: the parameters, with the given confidence curve. */
export function fitParameters(papers: Paper[], confidence: Confidence = MARGIN_AS_LOGIT, options: FitOptions = DEFAULT_FIT_OPTIONS): TitleSplitParameters {
  const tables = countTables(papers);
  const base: TitleSplitParameters = {
    about: '', ...tables, dense: {}, hashBits: HASH_BITS, hashed: [], ...confidence,
  };
  const tableModel = compileTitleSplitModel(base);
  const examples = papers.map((paper) => exampleOf(paper, tableModel)).filter((example): example is Example => example !== undefined);
  const weights = fitWeights(examples, DENSE_FEATURE_COUNT + (1 << HASH_BITS), options);
  const dense: Record<string, number> = {};
  DENSE_FEATURES.forEach((name, f) => { dense[name] = round(weights[f], 4); });
  const hashed: Array<[number, number]> = [];
  for (let bucket = 0; bucket < 1 << HASH_BITS; bucket++) {
    const weight = round(weights[DENSE_FEATURE_COUNT + bucket], 4);
    if (Math.abs(weight) >= SMALLEST_WEIGHT) hashed.push([bucket, weight]);
  }
  return { ...base, dense, hashed };
}

/** A held-out paper's split by a model fitted without its fold. */
export interface HeldOutSplit {
  paper: Paper;
  right: boolean;
  /** The title it found. */
  found: string;
  /** Best score − second best (Infinity for a single candidate). */
  margin: number;
  /** The split's confidence under the confidence curve of the model that made it. */
  confidence: number;
}

/**
 * The second stage runs where the first stage's margin is below this: 4 reads on for 7.5% of the
 * lines a fold has not seen (5: 11.5%). Cross-validated (`npm run eval`, titleSplit.ts reading 600
 * characters on), 4 gives 739 + 8,247 titles and catches 53 of 74 misses, 5 gives 739 + 8,245 (55
 * of 76); reading 800 characters on, 3 gives 738 + 8,246, 4 and 5 739 + 8,249.
 */
const RECURRENCE_BELOW_MARGIN = 4;
/** L2 penalty on the second stage's four weights (their likelihood has ~1,000 candidates' worth of data). */
const RECURRENCE_L2 = 1;

/** One held-out paper's candidates for the second stage: first-stage scores, cues, and the true one. */
interface RecurrenceExample {
  scores: number[];
  cues: number[][];
  truth: number;
}

/** How many cues the second stage weighs (RecurrenceWeights but belowMargin, in the order of RecurrenceExample.cues). */
const RECURRENCE_CUES = 4;

/**
 * The second stage's weights: Newton's method on the softmax log-likelihood of the true candidate
 * (scores + weights · cues) over `examples`, with an L2 penalty. Four weights, a concave likelihood:
 * it converges in a few steps, deterministically.
 */
function fitRecurrence(examples: RecurrenceExample[]): RecurrenceWeights {
  const cueIndexes = Array.from({ length: RECURRENCE_CUES }, (_, k) => k);
  const weights = cueIndexes.map(() => 0);
  for (let step = 0; step < 50; step++) {
    const gradient = weights.map((w) => RECURRENCE_L2 * w);
    const hessian = cueIndexes.map((a) => cueIndexes.map((b) => (a === b ? RECURRENCE_L2 : 0)));
    for (const { scores, cues, truth } of examples) {
      const logits = scores.map((score, c) => cueIndexes.reduce((sum, k) => sum + cues[c][k] * weights[k], score));
      const top = Math.max(...logits);
      const exps = logits.map((logit) => Math.exp(logit - top));
      const total = exps.reduce((sum, e) => sum + e, 0);
      const p = exps.map((e) => e / total);
      const mean = cueIndexes.map((k) => p.reduce((sum, pc, c) => sum + pc * cues[c][k], 0));
      for (const a of cueIndexes) {
        gradient[a] += mean[a] - cues[truth][a];
        for (const b of cueIndexes) hessian[a][b] += p.reduce((sum, pc, c) => sum + pc * cues[c][a] * cues[c][b], 0) - mean[a] * mean[b];
      }
    }
    const delta = solveLinear(hessian, gradient);
    for (const k of cueIndexes) weights[k] -= delta[k];
    if (Math.max(...delta.map(Math.abs)) < 1e-7) break;
  }
  return {
    acrossCut: round(weights[0], 4), recurringTitleWord: round(weights[1], 4), recurringTitleName: round(weights[2], 4),
    absentTitleWord: round(weights[3], 4), belowMargin: RECURRENCE_BELOW_MARGIN,
  };
}

/** x with a x = b, for a small symmetric positive definite a (Gaussian elimination). */
function solveLinear(a: number[][], b: number[]): number[] {
  const size = b.length;
  const m = a.map((row, r) => [...row, b[r]]);
  for (let col = 0; col < size; col++) {
    for (let row = col + 1; row < size; row++) {
      const factor = m[row][col] / m[col][col];
      for (let k = col; k <= size; k++) m[row][k] -= factor * m[col][k];
    }
  }
  const x = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = m[row][size];
    for (let k = row + 1; k < size; k++) sum -= m[row][k] * x[k];
    x[row] = sum / m[row][row];
  }
  return x;
}

/**
 * 5-fold cross-validation: each paper split by a model fitted on the other folds, the second
 * stage's weights fitted on the held-out candidates of all folds (they are what the second stage
 * sees in use: scores of a model that has not seen the paper).
 */
export function crossValidate(papers: Paper[], options: FitOptions = DEFAULT_FIT_OPTIONS): { heldOut: HeldOutSplit[]; recurrence: RecurrenceWeights } {
  const models: Array<TitleSplitModel | undefined> = [];
  const examples: RecurrenceExample[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    // (Inside crossValidateAsShipped a fold is missing: nothing to fit for.)
    if (!papers.some((paper) => paper.fold === fold)) { models.push(undefined); continue; }
    const model = compileTitleSplitModel(fitParameters(papers.filter((paper) => paper.fold !== fold), MARGIN_AS_LOGIT, options));
    models.push(model);
    for (const paper of papers) {
      if (paper.fold !== fold) continue;
      const cues = titleSplitRecurrenceCues(paper.text, model);
      if (!cues || cues.scores.length < 2) continue;
      const sorted = [...cues.scores].sort((a, b) => b - a);
      if (sorted[0] - sorted[1] >= RECURRENCE_BELOW_MARGIN) continue;
      const truth = cues.titleLengths.findIndex((length) => paper.text.slice(0, length).trim() === paper.title);
      if (truth < 0) continue;
      examples.push({
        scores: cues.scores, truth,
        cues: cues.scores.map((_, c) => [cues.acrossCut[c], cues.recurringTitleWords[c], cues.recurringTitleNames[c], cues.absentTitleWords[c]]),
      });
    }
  }
  const recurrence = fitRecurrence(examples);
  const splits: HeldOutSplit[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const firstStage = models[fold];
    if (!firstStage) continue;
    const model: TitleSplitModel = { ...firstStage, recurrence };
    for (const paper of papers) {
      if (paper.fold !== fold) continue;
      const { titleLength, confidence } = splitTitleAbstract(paper.text, model);
      // With MARGIN_AS_LOGIT the confidence is the logistic of the margin.
      const margin = confidence >= 1 ? Infinity : Math.log(confidence / (1 - confidence));
      const found = paper.text.slice(0, titleLength).trim();
      splits.push({ paper, right: found === paper.title, found, margin, confidence });
    }
  }
  return { heldOut: splits, recurrence };
}

/**
 * Cross-validation of the whole fit, for `npm run eval`: each fold is split by the parameters that
 * fitShippedParameters gives on the other four, its confidence curve calibrated by a
 * cross-validation nested inside those four, so that the held-out fold's doubt hints are as
 * honest as its splits. 5 × (4 + 1) fits.
 */
export function crossValidateAsShipped(papers: Paper[]): HeldOutSplit[] {
  const splits: HeldOutSplit[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = compileTitleSplitModel(fitShippedParameters(papers.filter((paper) => paper.fold !== fold)).parameters);
    for (const paper of papers) {
      if (paper.fold !== fold) continue;
      const { titleLength, confidence } = splitTitleAbstract(paper.text, model);
      const margin = confidence >= 1 ? Infinity : model.doubtMargin + Math.log(confidence / (1 - confidence)) / model.confidenceSlope;
      const found = paper.text.slice(0, titleLength).trim();
      splits.push({ paper, right: found === paper.title, found, margin, confidence });
    }
  }
  return splits;
}

/** The share of wrong splits whose margin is below the doubt margin that flags this share of all papers. */
const DOUBT_RECALL = 0.95;
const MOST_FLAGGED = 0.02;

/**
 * Step 3: the doubt margin is the smallest that flags DOUBT_RECALL of the held-out wrong splits,
 * but never one that flags more than MOST_FLAGGED of all papers; the slope maximises the
 * likelihood of right vs wrong under the confidence curve.
 */
export function calibrateConfidence(splits: HeldOutSplit[]): Confidence {
  const wrong = splits.filter((split) => !split.right).map((split) => split.margin).sort((a, b) => a - b);
  const all = splits.map((split) => split.margin).sort((a, b) => a - b);
  const byRecall = wrong.length ? wrong[Math.min(wrong.length - 1, Math.ceil(DOUBT_RECALL * wrong.length) - 1)] : 0;
  const byShare = all[Math.floor(MOST_FLAGGED * all.length) - 1];
  // Flag margins up to and including the chosen one: halfway to the next margin above it.
  const chosen = Math.min(byRecall, byShare);
  const above = all.find((margin) => margin > chosen) ?? chosen + 1;
  const doubtMargin = round((chosen + above) / 2, 4);
  let bestSlope = 1;
  let bestLikelihood = -Infinity;
  for (let slope = 0.1; slope <= 5; slope += 0.05) {
    let likelihood = 0;
    for (const { margin, right } of splits) {
      if (margin === Infinity) continue;
      const p = 1 / (1 + Math.exp(-slope * (margin - doubtMargin)));
      likelihood += Math.log(Math.max(1e-12, right ? p : 1 - p));
    }
    if (likelihood > bestLikelihood) { bestLikelihood = likelihood; bestSlope = slope; }
  }
  return { doubtMargin, confidenceSlope: round(bestSlope, 2) };
}

/** All three steps: the parameters `npm run fit` writes, and the cross-validated splits they were calibrated on. */
export function fitShippedParameters(papers: Paper[] = loadPapers()): { parameters: TitleSplitParameters; heldOut: HeldOutSplit[] } {
  const { heldOut, recurrence } = crossValidate(papers);
  const confidence = calibrateConfidence(heldOut);
  const fitted = fitParameters(papers, confidence);
  const about = `Fitted by scripts/fit-title-split.ts (npm run fit) on ${papers.length} papers of ${CORPORA.join(' and ')} ` +
    `(test/fixtures) with their true titles: word-class tables counted, feature weights by softmax likelihood ` +
    `over each line's candidate boundaries; the second stage's weights, the doubt margin and slope from ${FOLDS}-fold cross-validation.`;
  return { parameters: { ...fitted, recurrence, about }, heldOut };
}

/** The file's text for `parameters`: one line per hashed weight would be long; chunks keep diffs readable. */
export function modelFileText(parameters: TitleSplitParameters): string {
  return `${JSON.stringify(parameters)}\n`;
}

if (require.main === module) {
  const started = performance.now();
  const { parameters, heldOut } = fitShippedParameters();
  const right = heldOut.filter((split) => split.right).length;
  console.log(`cross-validated (${FOLDS} folds): ${right}/${heldOut.length} exact; doubt margin ${parameters.doubtMargin}, slope ${parameters.confidenceSlope}`);
  const text = modelFileText(parameters);
  if (process.argv.includes('--check')) {
    const same = readFileSync(MODEL_FILE, 'utf8') === text;
    console.log(same ? 'titleSplitModel.json is what the fit gives' : 'titleSplitModel.json differs from what the fit gives');
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(MODEL_FILE, text);
    console.log(`wrote ${MODEL_FILE} (${(text.length / 1024).toFixed(0)} KB, ${parameters.hashed.length} hashed weights) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
