/**
 * Where does the title end? A Hugging Face Papers listing pastes a paper's title and abstract as
 * one run of text joined by a single space, so the boundary has to be inferred.
 *
 * The heuristic scores every word gap in a bounded prefix as a candidate boundary and keeps the best.
 * A candidate's score is a log-likelihood: how well the words before it read as a title, plus how
 * well the words after it read as the opening of an abstract, plus a handful of boundary cues.
 *
 * - Capitalisation is the main evidence. Each word gets a coarse class (lowercase word, capitalised
 *   word, function word, acronym/name, ...) and each region has a table of class probabilities,
 *   conditioned on whether the previous word was capitalised (capitalised words come in runs:
 *   "Large Language Models"). Titles come in two styles, Title Case and sentence case, so the title
 *   likelihood is a mixture of both; abstracts are sentence case, but open with a capital.
 *   The tables were estimated on half of a corpus of 746 Hugging Face Papers lines.
 * - Boundary cues cover what case alone cannot see: titles do not end in a function word or a colon,
 *   rarely in an adjective; abstracts open with typical words ("We", "In this paper", "Recent"),
 *   often repeat the paper's name, and define acronyms ("Large Language Models (LLMs)") that must
 *   not be cut in two; a title never runs across the end of a sentence.
 *
 * The confidence is the candidate's share of the probability mass over all candidates (a softmax of
 * the scores), so two similarly plausible boundaries give a low confidence.
 */

/** Where the title ends in the text between the upvotes and the author tail. */
export interface TitleSplit {
  /** Number of UTF-16 code units of `text` that form the title (the title is text.slice(0, titleLength)); the abstract is text.slice(titleLength).trimStart(). 0 < titleLength <= text.length. */
  titleLength: number;
  /** 0..1: how sure the heuristic is. Below 0.5 the editor will show a "doubtful split" hint, so aim for low values on genuinely ambiguous lines and high ones where it's clear; most correct splits should be >= 0.5. */
  confidence: number;
}

/** Titles are short; looking further would only cost time (lines can be megabytes long). */
const MAX_SCAN_CHARS = 1000;
const MAX_WORDS = 48;
/** The longest title considered, in words (the corpus maximum is 19). */
const MAX_TITLE_WORDS = 40;

/** Coarse word shapes; the index into the probability tables below. */
const enum WordClass {
  /** lowercase content word: "models", "layout-aware" */
  Lower,
  /** lowercase function word: "of", "the", "with" */
  LowerFunction,
  /** capitalised word: "Models", "Multi-Agent" */
  Cap,
  /** capitalised function word: "The", "We", "In" */
  CapFunction,
  /** acronym or name with inner capitals or digits: "LLMs", "GPT-4", "iPhone", "Xmodel-2" */
  Name,
  /** a parenthesised acronym: "(LLMs)" – typical of abstracts, which define their terms */
  ParenAcronym,
  /** no cased letter: numbers, symbols, uncased scripts */
  Other,
  /** capitalised compound with a lowercase part: "Fine-tuning", "Text-to-image" – sentence-case spelling */
  CapCompound,
  /** starts with a digit: "3D", "7B", "1.58-bit" */
  Numeric,
}

/**
 * Closed-class words. Title Case leaves them lowercase, a title does not end in one, and capitalised
 * they are typical sentence openers ("The", "In", "We").
 */
const FUNCTION_WORDS = new Set((
  'a an the of for and or nor but to in on at by with via from into onto over under as vs vs. versus ' +
  'through without within across toward towards beyond between among amongst upon per about after ' +
  'before against than is are be been was were its their our your his her it this that these those ' +
  'which who what when where how why we can could do does not up out off'
).split(' '));

/** Words that typically open an abstract's first sentence but rarely sit inside a title. */
const ABSTRACT_OPENERS = new Set((
  'we our this these in recent recently despite although though while existing current currently ' +
  'there it here most many given since nowadays typically traditionally traditional conventional ' +
  "previous prior modern today today's due however"
).split(' '));

/** Verbs that follow a one-word subject at the start of an abstract: "Xmodel-2 is ...", "Transformers have ...". */
const SUBJECT_VERBS = new Set(['is', 'are', 'has', 'have', 'was', 'were']);

/** Abbreviations whose final period does not end a sentence. */
const ABBREVIATIONS = new Set(['al', 'e.g', 'i.e', 'vs', 'etc', 'fig', 'eq', 'approx', 'cf', 'no', 'dr', 'mr', 'st']);

// log P(word class) by region, estimated on the even lines of the HF corpus (add-½ smoothing).
// Rows: [after a lowercase/uncased word, after a capitalised word]; columns: WordClass.
// Words right after a colon or a sentence end are not scored: their capital is forced.
/** In a Title Case title ("Scaling Laws for Linear Complexity Language Models"). */
const LOGP_TITLE_CASE = [
  [-5.0, -3.43, -0.21, -4.46, -2.72, -6.86, -5.76, -3.36, -3.2],
  [-5.5, -1.44, -0.38, -3.9, -3.46, -8.24, -5.53, -4.48, -4.39],
];
/** In a sentence-case title ("Dynamical properties of a small ... network of neurons in discrete time"). */
const LOGP_SENTENCE_CASE = [
  [-0.58, -1.43, -1.87, -5.09, -4.0, -5.09, -5.09, -5.09, -5.09],
  [-1.19, -1.75, -0.98, -4.69, -2.75, -4.69, -3.59, -3.59, -4.69],
];
/** In an abstract, from its third word on. */
const LOGP_ABSTRACT = [
  [-0.45, -1.2, -4.25, -7.58, -3.76, -4.95, -5.34, -7.7, -4.9],
  [-0.78, -1.26, -1.82, -7.22, -3.87, -2.82, -4.65, -6.12, -5.18],
];
/** The abstract's first word: a capital, never lowercase, never "(LLMs)". */
const LOGP_ABSTRACT_FIRST = [-10, -10, -0.82, -0.81, -5.02, -12, -6.63, -2.39, -4.68];
/** The abstract's second word after a capitalised first word: one capital rarely follows another here. */
const LOGP_ABSTRACT_SECOND = [-0.31, -1.83, -2.73, -6.63, -4.68, -5.53, -6.63, -6.63, -3.79];
/** Share of titles in sentence case. */
const SENTENCE_CASE_SHARE = 0.06;

/** Weights of the boundary cues, in log-likelihood units. */
const CUE = {
  /** per sentence-ending period inside the title: a title is not several sentences */
  periodInTitle: 12,
  /** per '?' or '!' inside the title: rare ("Can Mamba Learn How to Learn? A Comparative Study") */
  questionInTitle: 2,
  /** title ends with ':', '-' or a dash: the subtitle follows */
  titleEndsInColon: 6,
  /** title ends in a function word ("... for") */
  titleEndsInFunctionWord: 4,
  /** title ends in ',' or ';' */
  titleEndsInComma: 3,
  /** title ends in '?' or '!': a question title is complete */
  titleEndsInQuestion: 2,
  /** abstract's first word is an opener ("We", "Recent", "Despite") */
  abstractOpener: 3,
  /** abstract repeats the name the title starts with ("Xmodel-2 Technical Report Xmodel-2 is") */
  repeatsName: 3,
  /** abstract opens by repeating two consecutive title words */
  repeatsTitleBigram: 1,
  /** last title word repeated as first abstract word ("Using Language Language provides") */
  repeatsLastWord: 3,
  /** abstract's first word ends with '?' / '!' / ':' */
  firstWordEndsInQuestion: 5,
  firstWordEndsInColon: 3,
  /** one-word subject and verb: "Transformers have ..." */
  subjectVerb: 1,
  /** gerund with a capitalised object: "Training Large Language Models (LLMs) ..." */
  gerundWithObject: 1,
  /** cutting a defined term from its acronym ("Large | Language Models (LLMs)") */
  splitsDefinedTerm: 8,
  /** no abstract at all */
  noAbstract: 3,
  /** very short titles are rare */
  oneWordTitle: 1.5,
  twoWordTitle: 0.7,
  /** per word², beyond LONG_TITLE_WORDS */
  longTitle: 0.06,
};
const LONG_TITLE_WORDS = 15;

interface Word {
  start: number;
  end: number;
  raw: string;
  /** lowercase with surrounding punctuation removed, for comparing words */
  key: string;
  cls: WordClass;
  /** capital forced by position (after a colon or a sentence end): its case says nothing */
  afterBreak: boolean;
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\d/;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * Splits `text` into its title and abstract. Never throws; looks at the first ~1000 characters only.
 * @param text the text between the upvote count and the "N authors · date" tail of a digest line
 * @returns the title's length in UTF-16 code units and a 0..1 confidence
 */
export function splitTitleAbstract(text: string): TitleSplit {
  try {
    return splitWords(text);
  } catch {
    // Defensive only: nothing above is expected to throw, but a digest line must never break the editor.
    return { titleLength: typeof text === 'string' ? text.length : 0, confidence: 0 };
  }
}

function splitWords(text: string): TitleSplit {
  const { words, truncated } = tokenizePrefix(text);
  const n = words.length;
  if (n === 0) return { titleLength: text.length, confidence: 0 };

  const termSplitPenalty = definedTermPenalties(words);
  const abstractClass = words.map((w, j) => (termSplitPenalty.inTerm[j] ? WordClass.Lower : w.cls));

  // Prefix sums of each region's log-likelihood, so every candidate costs O(1).
  const titleCase = new Float64Array(n + 1);
  const sentenceCase = new Float64Array(n + 1);
  const abstract = new Float64Array(n + 1);
  const periods = new Int32Array(n + 1);
  const questions = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    const w = words[j];
    const scored = j > 0 && !w.afterBreak;
    const afterCap = j > 0 && isCapitalised(words[j - 1].cls) ? 1 : 0;
    const afterCapInAbstract = j > 0 && isCapitalised(abstractClass[j - 1]) ? 1 : 0;
    titleCase[j + 1] = titleCase[j] + (scored ? LOGP_TITLE_CASE[afterCap][w.cls] : 0);
    sentenceCase[j + 1] = sentenceCase[j] + (scored ? LOGP_SENTENCE_CASE[afterCap][w.cls] : 0);
    abstract[j + 1] = abstract[j] + (scored ? LOGP_ABSTRACT[afterCapInAbstract][abstractClass[j]] : 0);
    const end = sentenceEnd(w.raw);
    periods[j + 1] = periods[j] + (end === '.' ? 1 : 0);
    questions[j + 1] = questions[j] + (end === '?' ? 1 : 0);
  }

  // The abstract often restates the paper's name, when the title opens with one ("Sailor2: ...").
  const nameKey = words[0].cls === WordClass.Name || words[0].raw.endsWith(':') ? words[0].key : '';

  const lastCandidate = Math.min(truncated ? n - 1 : n, MAX_TITLE_WORDS);
  if (lastCandidate < 1) return { titleLength: text.length, confidence: 0 };
  const scores = new Float64Array(lastCandidate + 1);
  let best = 1;
  for (let i = 1; i <= lastCandidate; i++) {
    // Candidate i: the title is words[0..i-1], the abstract starts at words[i].
    let score = logAddExp(
      Math.log(1 - SENTENCE_CASE_SHARE) + titleCase[i],
      Math.log(SENTENCE_CASE_SHARE) + sentenceCase[i],
    );
    const last = words[i - 1];
    score -= CUE.periodInTitle * periods[i - 1] + CUE.questionInTitle * questions[i - 1];
    score += titleEndBySuffix(last.raw);
    if (i === 1) score -= CUE.oneWordTitle;
    else if (i === 2) score -= CUE.twoWordTitle;
    else if (i > LONG_TITLE_WORDS) score -= CUE.longTitle * (i - LONG_TITLE_WORDS) ** 2;

    if (i < n) {
      score += abstractOpeningScore(words, abstractClass, i) + (abstract[n] - abstract[Math.min(i + 2, n)]);
      score -= termSplitPenalty.at[i];
      score += boundaryCues(words, i, nameKey);
    } else {
      score -= CUE.noAbstract;
    }
    scores[i] = score;
    if (score > scores[best]) best = i;
  }

  let mass = 0;
  for (let i = 1; i <= lastCandidate; i++) mass += Math.exp(scores[i] - scores[best]);
  return { titleLength: words[best - 1].end, confidence: 1 / mass };
}

/** Log-likelihood of the abstract's first two words, which follow their own distribution. */
function abstractOpeningScore(words: Word[], abstractClass: WordClass[], i: number): number {
  let score = LOGP_ABSTRACT_FIRST[words[i].cls];
  const second = i + 1 < words.length ? words[i + 1] : undefined;
  if (second && !second.afterBreak) {
    score += isCapitalised(words[i].cls)
      ? LOGP_ABSTRACT_SECOND[abstractClass[i + 1]]
      : LOGP_ABSTRACT[0][abstractClass[i + 1]];
  }
  return score;
}

/** Cues at the gap between the title's last word and the abstract's first word `words[i]`. */
function boundaryCues(words: Word[], i: number, nameKey: string): number {
  const last = words[i - 1];
  const first = words[i];
  const next: Word | undefined = words[i + 1];
  let score = 0;

  if (/[:\-–—|]$/.test(last.raw)) score -= CUE.titleEndsInColon;
  if (last.cls === WordClass.LowerFunction || last.cls === WordClass.CapFunction) score -= CUE.titleEndsInFunctionWord;
  if (/[,;]$/.test(last.raw)) score -= CUE.titleEndsInComma;
  if (/[?!]$/.test(last.raw)) score += CUE.titleEndsInQuestion;

  if (/[?!]$/.test(first.raw)) score -= CUE.firstWordEndsInQuestion;
  else if (first.raw.endsWith(':')) score -= CUE.firstWordEndsInColon;
  if (ABSTRACT_OPENERS.has(first.key)) score += CUE.abstractOpener;
  if (nameKey && first.key === nameKey && !first.raw.endsWith(':')) score += CUE.repeatsName;
  if (first.key.length > 1 && first.key === last.key && /[\p{L}\p{N}]$/u.test(last.raw)) score += CUE.repeatsLastWord;
  if (next) {
    if (first.cls !== WordClass.CapFunction && repeatsTitleBigram(words, i)) score += CUE.repeatsTitleBigram;
    if ((first.cls === WordClass.Cap || first.cls === WordClass.Name) && SUBJECT_VERBS.has(next.raw)) score += CUE.subjectVerb;
    if (isCapitalised(next.cls) && /^\p{Lu}\p{Ll}{2,}ing$/u.test(first.raw)) score += CUE.gerundWithObject;
  }
  return score;
}

/** Whether words[i] words[i+1] also occur, in that order, in the title words[0..i-1]. */
function repeatsTitleBigram(words: Word[], i: number): boolean {
  const a = words[i].key;
  const b = words[i + 1].key;
  for (let j = 0; j + 1 < i; j++) if (words[j].key === a && words[j + 1].key === b) return true;
  return false;
}

/**
 * Penalties for cutting a defined term: "Large Language Models (LLMs)" is one unit, and it is typical
 * of an abstract (titles seldom define acronyms). `at[i]` penalises a boundary before word i; `inTerm`
 * marks the term's words, whose capitals the acronym explains (scored as lowercase in the abstract).
 */
function definedTermPenalties(words: Word[]): { at: Float64Array; inTerm: Uint8Array } {
  const at = new Float64Array(words.length + 1);
  const inTerm = new Uint8Array(words.length);
  for (let k = 1; k < words.length; k++) {
    if (words[k].cls !== WordClass.ParenAcronym) continue;
    const start = definedTermStart(words, k);
    if (start < 0) continue;
    for (let i = start + 1; i <= k; i++) at[i] += CUE.splitsDefinedTerm;
    for (let j = start + 1; j <= k; j++) inTerm[j] = 1;
  }
  return { at, inTerm };
}

/** Index of the first word of the term that the parenthesised acronym words[k] abbreviates, or -1. */
function definedTermStart(words: Word[], k: number): number {
  const letters = words[k].raw.replace(/\\[a-z]+|[^\p{Lu}\d]/gu, '').toLowerCase();
  let need = letters.length - 1;
  if (need < 1) return -1;
  for (let j = k - 1; j >= 0 && k - j <= letters.length + 3; j--) {
    const parts = words[j].raw.replace(/[^\p{L}\p{N}-]/gu, '').split('-');
    for (let q = parts.length - 1; q >= 0; q--) {
      const part = parts[q];
      if (part.length === 0) continue;
      // An all-capitals part stands for all its letters: "XL" in "Stable Diffusion XL (SDXL)".
      const initials = /^[\p{Lu}\d]{2,4}$/u.test(part) ? part.toLowerCase() : part.charAt(0).toLowerCase();
      if (letters.endsWith(initials, need + 1)) need -= initials.length;
      else if (!FUNCTION_WORDS.has(part.toLowerCase())) return -1; // "of" in "Chain of Thought (CoT)"
      if (need < 0) return j;
    }
  }
  return -1;
}

/**
 * log P(suffix | last title word) − log P(suffix | other title word), from the corpus: titles end in
 * nouns (plurals, "-tion"), rarely in adjectives ("Large", "Automatic", "Visual").
 */
function titleEndBySuffix(raw: string): number {
  const w = raw.replace(EDGE_PUNCTUATION, '').toLowerCase();
  if (w.endsWith('ss')) return -0.75;
  if (w.endsWith('s')) return 1.49;
  if (w.endsWith('tion') || w.endsWith('sion')) return 0.77;
  if (w.endsWith('ing')) return 0.3;
  if (/(al|ic|ive|ous|able|ible|ar|ful|less|ent|ant|ary|ed)$/.test(w)) return -2.49;
  if (/(ment|ity|ness|ance|ence|ure|ism|er|or)$/.test(w)) return -0.25;
  return -0.75;
}

function isCapitalised(cls: WordClass): boolean {
  return cls === WordClass.Cap || cls === WordClass.CapFunction || cls === WordClass.Name ||
    cls === WordClass.CapCompound || cls === WordClass.Numeric;
}

function classifyWord(raw: string): WordClass {
  if (raw.charCodeAt(0) === 40 /* ( */ && isParenAcronym(raw)) return WordClass.ParenAcronym;
  const core = raw.replace(/^[^\p{L}\p{N}$\\]+|[^\p{L}\p{N}]+$/gu, '');
  const firstLetter = LETTER.exec(core)?.[0];
  if (firstLetter === undefined) return WordClass.Other;
  const upper = UPPER.test(firstLetter);
  if (!upper && !LOWER.test(firstLetter)) return WordClass.Other; // uncased script
  if (DIGIT.test(core.charAt(0))) return WordClass.Numeric;
  const lowerKey = core.toLowerCase();
  if (!upper) {
    if (UPPER.test(core) || DIGIT.test(core)) return WordClass.Name; // "iPhone", "v2"
    return FUNCTION_WORDS.has(lowerKey) ? WordClass.LowerFunction : WordClass.Lower;
  }
  if (DIGIT.test(core)) return WordClass.Name;
  const parts = core.split('-');
  for (const part of parts) if (UPPER.test(part.slice(1))) return WordClass.Name; // "LLMs", "Cosmos-LLaVA"
  for (let q = 1; q < parts.length; q++) {
    if (LOWER.test(parts[q].charAt(0)) && !FUNCTION_WORDS.has(parts[q])) return WordClass.CapCompound;
  }
  return FUNCTION_WORDS.has(lowerKey) ? WordClass.CapFunction : WordClass.Cap;
}

/** "(LLMs)", "(3DGS),", "(\textbf{RLHF})" */
function isParenAcronym(raw: string): boolean {
  return /^\([\p{Lu}\d][\p{L}\d-]*\p{Lu}[\p{L}\d-]*\)[.,;:]?$/u.test(raw.replace(/\\[a-z]+|[{}]/g, ''));
}

/** '.' or '?' when the word ends a sentence ('?' stands for '!' too), else ''. */
function sentenceEnd(raw: string): '.' | '?' | '' {
  const last = raw.charCodeAt(raw.length - 1);
  if (last === 63 /* ? */ || last === 33 /* ! */) return '?';
  if (last !== 46 /* . */) return '';
  const body = raw.slice(0, -1).replace(/^[^\p{L}\p{N}]+/u, '');
  // "U.S.", "v2.5." and "et al." do not end sentences.
  if (body.length < 2 || body.includes('.') || ABBREVIATIONS.has(body.toLowerCase())) return '';
  return '.';
}

/** The first words of `text`, never reading past MAX_SCAN_CHARS; `truncated` if more text follows. */
function tokenizePrefix(text: string): { words: Word[]; truncated: boolean } {
  const limit = Math.min(text.length, MAX_SCAN_CHARS);
  const words: Word[] = [];
  let pos = 0;
  for (;;) {
    while (pos < limit && isSpace(text.charCodeAt(pos))) pos++;
    if (pos >= limit) return { words, truncated: hasMoreWords(text, pos) };
    if (words.length === MAX_WORDS) return { words, truncated: true };
    const start = pos;
    while (pos < limit && !isSpace(text.charCodeAt(pos))) pos++;
    // A word cut by the scan limit is incomplete: leave it out.
    if (pos === limit && limit < text.length && !isSpace(text.charCodeAt(pos))) return { words, truncated: true };
    const raw = text.slice(start, pos);
    const previous = words[words.length - 1];
    words.push({
      start,
      end: pos,
      raw,
      key: raw.replace(EDGE_PUNCTUATION, '').toLowerCase(),
      cls: classifyWord(raw),
      afterBreak: previous === undefined || previous.raw.endsWith(':') || sentenceEnd(previous.raw) !== '' ||
        /^[-–—|]$/.test(previous.raw),
    });
  }
}

/** Whether non-space text follows `pos` (checks a bounded stretch: huge runs of spaces are not worth scanning). */
function hasMoreWords(text: string, pos: number): boolean {
  const stop = Math.min(text.length, pos + MAX_SCAN_CHARS);
  for (let j = pos; j < stop; j++) if (!isSpace(text.charCodeAt(j))) return true;
  return stop < text.length;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function logAddExp(a: number, b: number): number {
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}
