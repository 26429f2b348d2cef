/**
 * Where does the title end? A Hugging Face Papers listing pastes a paper's title and abstract as
 * one run of text joined by a single space, so the boundary has to be inferred.
 *
 * The heuristic scores every word gap in a bounded prefix (at most 40 words, 1000 characters) as a
 * candidate boundary and keeps the best.
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
 * The confidence grows with how much likelier the best candidate is than all the others together
 * (log-odds from a softmax of the scores), so two similarly plausible boundaries give a low one.
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
const MAX_WORDS = 40;
/** The longest title considered, in words (the corpus maximum is 19). */
const MAX_TITLE_WORDS = 30;

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
/** Share of titles in sentence case: 6%. */
const LOG_SENTENCE_CASE_SHARE = Math.log(0.06);
const LOG_TITLE_CASE_SHARE = Math.log(0.94);

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
  /** abstract's first word shares a stem with a title word ("... Under Compression Compressing high-capability ...") */
  repeatsTitleStem: 1.5,
  /** cutting a defined term from its acronym ("Large | Language Models (LLMs)") */
  splitsDefinedTerm: 8,
  /** starting the abstract at a plural defined term that a singular verb shows is not the subject */
  termIsNotSubject: 3,
  /** no abstract at all */
  noAbstract: 3,
  /** very short titles are rare */
  oneWordTitle: 1.5,
  twoWordTitle: 0.7,
  /** per word², beyond LONG_TITLE_WORDS */
  longTitle: 0.06,
};
const LONG_TITLE_WORDS = 15;
/** Confidence is 0.5 where the best boundary is e^1.2 ≈ 3.3 times as likely as all others together. */
const CONFIDENCE_MIDPOINT = 1.2;
const CONFIDENCE_SLOPE = 1.5;

interface Word {
  start: number;
  end: number;
  raw: string;
  /** lowercase, surrounding punctuation removed: for comparing words */
  key: string;
  cls: WordClass;
  /** whether the word ends a sentence with '.', or with '?' / '!' */
  sentenceEnd: '.' | '?' | '';
  /** capital forced by position (after a colon or a sentence end): its case says nothing */
  afterBreak: boolean;
}

/**
 * Splits the middle of a digest line into title and abstract.
 *
 * Never throws, and reads at most the first 1000 characters, whatever the length of `text`.
 * A text without words (empty or blank) gets `titleLength: text.length` and confidence 0; a text
 * with no plausible abstract is all title.
 *
 * @param text the text between the upvote count and the "N authors · date" tail of a digest line
 * @returns the title's length in UTF-16 code units, and a 0..1 confidence (below 0.5: doubtful)
 * @example
 * const text = 'Xmodel-2 Technical Report Xmodel-2 is a 1.2-billion-parameter large language model ...';
 * const { titleLength } = splitTitleAbstract(text);
 * text.slice(0, titleLength); // 'Xmodel-2 Technical Report'
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

  // Prefix sums of each region's log-likelihood, so that every candidate costs O(1).
  // (Plain arrays: for a few dozen entries they are cheaper to create than typed arrays.)
  const titleCase = [0];
  const sentenceCase = [0];
  const abstract = [0];
  const periods = [0];
  const questions = [0];
  for (let j = 0; j < n; j++) {
    const w = words[j];
    const scored = j > 0 && !w.afterBreak;
    const afterCap = j > 0 && isCapitalised(words[j - 1].cls) ? 1 : 0;
    titleCase[j + 1] = titleCase[j] + (scored ? LOGP_TITLE_CASE[afterCap][w.cls] : 0);
    sentenceCase[j + 1] = sentenceCase[j] + (scored ? LOGP_SENTENCE_CASE[afterCap][w.cls] : 0);
    abstract[j + 1] = abstract[j] + (scored ? LOGP_ABSTRACT[afterCap][w.cls] : 0);
    periods[j + 1] = periods[j] + (w.sentenceEnd === '.' ? 1 : 0);
    questions[j + 1] = questions[j] + (w.sentenceEnd === '?' ? 1 : 0);
  }

  // The abstract often restates the paper's name, when the title opens with one ("Sailor2: ...").
  const nameKey = words[0].cls === WordClass.Name || words[0].raw.endsWith(':') ? words[0].key : '';

  const lastCandidate = Math.min(truncated ? n - 1 : n, MAX_TITLE_WORDS);
  if (lastCandidate < 1) return { titleLength: text.length, confidence: 0 };
  const scores: number[] = [0];
  let best = 1;
  for (let i = 1; i <= lastCandidate; i++) {
    // Candidate i: the title is words[0..i-1], the abstract starts at words[i].
    let score = logAddExp(LOG_TITLE_CASE_SHARE + titleCase[i], LOG_SENTENCE_CASE_SHARE + sentenceCase[i]);
    const last = words[i - 1];
    score -= CUE.periodInTitle * periods[i - 1] + CUE.questionInTitle * questions[i - 1];
    score += titleEndBySuffix(last.key);
    if (i === 1) score -= CUE.oneWordTitle;
    else if (i === 2) score -= CUE.twoWordTitle;
    else if (i > LONG_TITLE_WORDS) score -= CUE.longTitle * (i - LONG_TITLE_WORDS) ** 2;

    if (i < n) {
      score += abstractOpeningScore(words, i) + (abstract[n] - abstract[Math.min(i + 2, n)]);
      score -= termSplitPenalty[i];
      score += boundaryCues(words, i, nameKey);
    } else {
      score -= CUE.noAbstract;
    }
    scores[i] = score;
    if (score > scores[best]) best = i;
  }

  // Log-odds of the best candidate against all others together, mapped through a logistic curve
  // centred at CONFIDENCE_MIDPOINT: on the corpus, wrong splits mostly win by less than that.
  let othersMass = 0;
  for (let i = 1; i <= lastCandidate; i++) if (i !== best) othersMass += Math.exp(scores[i] - scores[best]);
  const logOdds = othersMass > 0 ? -Math.log(othersMass) : Infinity;
  const confidence = 1 / (1 + Math.exp(-CONFIDENCE_SLOPE * (logOdds - CONFIDENCE_MIDPOINT)));
  return { titleLength: words[best - 1].end, confidence };
}

/** Log-likelihood of the abstract's first two words, which follow their own distribution. */
function abstractOpeningScore(words: Word[], i: number): number {
  let score = LOGP_ABSTRACT_FIRST[words[i].cls];
  const second = i + 1 < words.length ? words[i + 1] : undefined;
  if (second && !second.afterBreak) {
    score += isCapitalised(words[i].cls)
      ? LOGP_ABSTRACT_SECOND[second.cls]
      : LOGP_ABSTRACT[0][second.cls];
  }
  return score;
}

/** Cues at the gap between the title's last word and the abstract's first word `words[i]`. */
function boundaryCues(words: Word[], i: number, nameKey: string): number {
  const last = words[i - 1];
  const first = words[i];
  const next: Word | undefined = words[i + 1];
  let score = 0;

  const lastEnd = last.raw.charCodeAt(last.raw.length - 1);
  const firstEnd = first.raw.charCodeAt(first.raw.length - 1);

  if (lastEnd === 58 /* : */ || lastEnd === 45 /* - */ || lastEnd === 0x2013 || lastEnd === 0x2014 || lastEnd === 124 /* | */) {
    score -= CUE.titleEndsInColon;
  }
  if (last.cls === WordClass.LowerFunction || last.cls === WordClass.CapFunction) score -= CUE.titleEndsInFunctionWord;
  if (lastEnd === 44 /* , */ || lastEnd === 59 /* ; */) score -= CUE.titleEndsInComma;
  if (lastEnd === 63 /* ? */ || lastEnd === 33 /* ! */) score += CUE.titleEndsInQuestion;

  if (firstEnd === 63 /* ? */ || firstEnd === 33 /* ! */) score -= CUE.firstWordEndsInQuestion;
  else if (firstEnd === 58 /* : */) score -= CUE.firstWordEndsInColon;
  if (!isCapitalised(first.cls)) return score; // a lowercase start is out of the running anyway

  if (ABSTRACT_OPENERS.has(first.key)) score += CUE.abstractOpener;
  if (nameKey && first.key === nameKey && firstEnd !== 58 /* : */) score += CUE.repeatsName;
  if (first.key.length > 1 && first.key === last.key && charKind(lastEnd) !== CharKind.Punctuation) score += CUE.repeatsLastWord;
  if (next) {
    if (first.cls !== WordClass.CapFunction && repeatsTitleBigram(words, i)) score += CUE.repeatsTitleBigram;
    if (first.cls !== WordClass.CapFunction && sharesStemWithTitle(words, i)) score += CUE.repeatsTitleStem;
    if ((first.cls === WordClass.Cap || first.cls === WordClass.Name) && SUBJECT_VERBS.has(next.raw)) score += CUE.subjectVerb;
    if (isCapitalised(next.cls) && isPlainGerund(first)) score += CUE.gerundWithObject;
  }
  return score;
}

/** "Training", not "Fine-tuning" or "Learning:". */
function isPlainGerund(word: Word): boolean {
  return word.cls === WordClass.Cap && word.key.length >= 6 && word.key.length === word.raw.length &&
    word.key.endsWith('ing') && !word.key.includes('-');
}

/** Whether words[i] words[i+1] also occur, in that order, in the title words[0..i-1]. */
function repeatsTitleBigram(words: Word[], i: number): boolean {
  const a = words[i].key;
  const b = words[i + 1].key;
  for (let j = 0; j + 1 < i; j++) if (words[j].key === a && words[j + 1].key === b) return true;
  return false;
}

/** Whether the first 6 letters of words[i] begin a title word ("Generating" ~ "Generation"). */
function sharesStemWithTitle(words: Word[], i: number): boolean {
  const key = words[i].key;
  if (key.length < 5) return false;
  const stem = key.slice(0, 6);
  for (let j = 0; j < i; j++) if (words[j].key.startsWith(stem)) return true;
  return false;
}

/**
 * Penalties for cutting a defined term: "Large Language Models (LLMs)" is one unit, typical of an
 * abstract (titles seldom define acronyms). Entry i penalises a boundary before word i.
 */
function definedTermPenalties(words: Word[]): number[] {
  const at: number[] = new Array(words.length + 1).fill(0);
  for (let k = 1; k < words.length; k++) {
    if (words[k].cls !== WordClass.ParenAcronym) continue;
    const start = definedTermStart(words, k);
    if (start < 0) continue;
    for (let i = start + 1; i <= k; i++) at[i] += CUE.splitsDefinedTerm;
    // A plural term ("... Models (LLMs)") followed by a singular verb is not the sentence's subject:
    // "Aligning Large Language Models (LLMs) with human values is crucial". The abstract starts earlier.
    if (/s\)[.,;:]?$/.test(words[k].raw) && firstAuxiliaryIsSingular(words, k + 1)) at[start] += CUE.termIsNotSubject;
  }
  return at;
}

/** Index of the first word of the term that the parenthesised acronym words[k] abbreviates, or -1. */
function definedTermStart(words: Word[], k: number): number {
  // Match the capitals ("CoT": Chain of Thought), else all letters ("VrDU": Visually rich Document Understanding).
  const acronym = words[k].raw.replace(/\\[a-z]+|s?\)[.,;:]?$|[^\p{L}\d]/gu, '');
  const capitals = acronym.replace(/[^\p{Lu}\d]/gu, '');
  const start = termStartMatching(words, k, capitals.toLowerCase());
  return start >= 0 || capitals.length === acronym.length ? start : termStartMatching(words, k, acronym.toLowerCase());
}

/** Whether the first auxiliary verb of the sentence from words[from] on is singular ("is", "has", "was"). */
function firstAuxiliaryIsSingular(words: Word[], from: number): boolean {
  for (let j = from; j < words.length && j < from + 15; j++) {
    const w = words[j].raw;
    if (w === 'is' || w === 'has' || w === 'was') return true;
    if (w === 'are' || w === 'have' || w === 'were' || words[j].sentenceEnd !== '') return false;
  }
  return false;
}

function termStartMatching(words: Word[], k: number, letters: string): number {
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
function titleEndBySuffix(w: string): number {
  if (w.endsWith('s')) return w.endsWith('ss') ? OTHER_ENDING : 1.49;
  if (w.endsWith('tion')) return 1.04;
  if (w.endsWith('sion')) return -0.13; // often a modifier: "Diffusion Models", "Vision Transformer"
  if (w.endsWith('ing')) return 0.3;
  if (ADJECTIVE_ENDING.test(w)) return -2.41;
  if (NOUN_ENDING.test(w)) return -0.22;
  return OTHER_ENDING;
}
const ADJECTIVE_ENDING = /(?:al|ic|ive|ous|able|ible|ar|ful|less|ent|ant|ary|ed)$/;
const NOUN_ENDING = /(?:ment|ity|ness|ance|ence|ure|ism|er|or)$/;
const OTHER_ENDING = -0.75;

function isCapitalised(cls: WordClass): boolean {
  return cls === WordClass.Cap || cls === WordClass.CapFunction || cls === WordClass.Name ||
    cls === WordClass.CapCompound || cls === WordClass.Numeric;
}

/** Character kinds, fast for ASCII and Unicode-aware otherwise. */
const enum CharKind { Punctuation, Upper, Lower, UncasedLetter, Digit }
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const NUMBER = /\p{N}/u;

const ASCII_KINDS = new Uint8Array(128).map((_, c) =>
  c >= 97 && c <= 122 ? CharKind.Lower : c >= 65 && c <= 90 ? CharKind.Upper : c >= 48 && c <= 57 ? CharKind.Digit : CharKind.Punctuation);

function charKind(c: number): CharKind {
  if (c < 128) return ASCII_KINDS[c];
  const ch = String.fromCharCode(c); // a lone surrogate half counts as punctuation
  if (UPPER.test(ch)) return CharKind.Upper;
  if (LOWER.test(ch)) return CharKind.Lower;
  if (LETTER.test(ch)) return CharKind.UncasedLetter;
  return NUMBER.test(ch) ? CharKind.UncasedLetter : CharKind.Punctuation;
}

/** The word without surrounding punctuation: "(LLMs)," → "LLMs". */
function wordCore(raw: string): string {
  let from = 0;
  let to = raw.length;
  while (from < to && charKind(raw.charCodeAt(from)) === CharKind.Punctuation) from++;
  while (to > from && charKind(raw.charCodeAt(to - 1)) === CharKind.Punctuation) to--;
  return from === 0 && to === raw.length ? raw : raw.slice(from, to);
}

function classifyWord(raw: string, core: string, key: string): WordClass {
  if (raw.charCodeAt(0) === 40 /* ( */ && isParenAcronym(raw)) return WordClass.ParenAcronym;
  let firstLetter = CharKind.Punctuation;
  let hasUpper = false;
  let hasDigit = false;
  let innerUpper = false; // a capital inside a hyphen-separated part: "LLMs", "Cosmos-LLaVA"
  let lowercasePart = false; // a hyphen part in lowercase: "Fine-tuning" (but not "Text-to-Image")
  for (let p = 0; p < core.length; p++) {
    const kind = charKind(core.charCodeAt(p));
    const partStart = p === 0 || core.charCodeAt(p - 1) === 45 /* - */;
    if (kind === CharKind.Upper) {
      hasUpper = true;
      if (!partStart) innerUpper = true;
    } else if (kind === CharKind.Digit) {
      hasDigit = true;
    } else if (kind === CharKind.Lower && partStart && p > 0 && !lowercasePart && !isFunctionPart(core, p)) {
      lowercasePart = true;
    }
    if (firstLetter === CharKind.Punctuation && kind !== CharKind.Digit) firstLetter = kind;
  }
  if (firstLetter === CharKind.Punctuation || firstLetter === CharKind.UncasedLetter) return WordClass.Other;
  if (charKind(core.charCodeAt(0)) === CharKind.Digit) return WordClass.Numeric;
  if (firstLetter === CharKind.Lower) {
    if (hasUpper || hasDigit) return WordClass.Name; // "iPhone", "v2"
    return FUNCTION_WORDS.has(key) ? WordClass.LowerFunction : WordClass.Lower;
  }
  if (hasDigit || innerUpper) return WordClass.Name;
  if (lowercasePart) return WordClass.CapCompound;
  return FUNCTION_WORDS.has(key) ? WordClass.CapFunction : WordClass.Cap;
}

/** Whether the hyphen part of `core` starting at `p` is a function word ("to" in "Text-to-Image"). */
function isFunctionPart(core: string, p: number): boolean {
  const end = core.indexOf('-', p);
  return FUNCTION_WORDS.has(core.slice(p, end < 0 ? core.length : end).toLowerCase());
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
    const core = wordCore(raw);
    const key = core.toLowerCase();
    const previous = words[words.length - 1];
    words.push({
      start,
      end: pos,
      raw,
      key,
      cls: classifyWord(raw, core, key),
      sentenceEnd: sentenceEnd(raw),
      afterBreak: previous === undefined || previous.sentenceEnd !== '' || previous.raw.endsWith(':') ||
        previous.raw === '-' || previous.raw === '–' || previous.raw === '—' || previous.raw === '|',
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

/** log(e^a + e^b), without overflow. */
function logAddExp(a: number, b: number): number {
  const max = a > b ? a : b;
  const gap = a > b ? b - a : a - b;
  return gap < -30 ? max : max + Math.log1p(Math.exp(gap));
}
