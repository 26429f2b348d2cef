/**
 * Where does the title end? A Hugging Face Papers listing pastes a paper's title and abstract as
 * one run of text joined by a single space, so the boundary has to be inferred.
 *
 * Every word gap in a bounded prefix (at most 28 words, 1000 characters; at most 26 title words) is
 * a candidate boundary, and a linear model scores each one: the best wins. The model (its
 * parameters are titleSplitModel.json, written by `npm run fit`, scripts/fit-title-split.ts) is a
 * conditional log-linear one, a softmax over the candidates of a line, fitted on the two corpora
 * of Hugging Face Papers lines in test/fixtures with their true titles. Its features of a candidate:
 *
 * - Capitalisation, as likelihoods: each word gets a coarse class (lowercase word, capitalised
 *   word, function word, acronym/name, ...) and each region has a table of class probabilities,
 *   conditioned on whether the previous word was capitalised (capitalised words come in runs:
 *   "Large Language Models"). Titles come in two styles, Title Case and sentence case, so the title
 *   likelihood is a mixture of both; abstracts are sentence case, but open with a capital. The
 *   tables are counted on the corpora (add-½ smoothing); the model weighs the likelihoods.
 * - Boundary cues that case alone cannot see: titles do not end in a function word or a colon, and
 *   hardly ever contain a word that opens a clause ("However", "While"); abstracts open with
 *   typical words ("We", "Recent") or a gerund and its object ("Deploying robots ..."), often repeat
 *   the paper's name (one word, or two before a colon: "Tiny Aya: ..."), and define acronyms
 *   ("Large Language Models (LLMs)", "(DiT)-based", "Video Large Language Models (Video LLMs)")
 *   that must not be cut in two and that often open them; a title rarely runs across the end of a
 *   sentence, and rarely contains a content word twice (a candidate that does has mostly taken in
 *   the abstract's restatement of the title: "Tiny Aya: ... Depth | Tiny Aya redefines"), least of
 *   all as its last word; a gerund before a defined term that is its verb's subject is the title's
 *   ("Mode Steering | Large Language Models (LLMs) exhibit"); title lengths.
 * - Agreement, the sentence-level cue that tells whose word sits at the cut: a defined term followed
 *   by a verb that agrees with it in number ("... Models (LLMs) exhibit", "(CoT) has") is the first
 *   sentence's subject, so the abstract starts with the term and a word before it ("Steering") ends
 *   the title; a gerund that opens the abstract is its subject, so the sentence's first auxiliary
 *   is singular ("Scaling DiTs ... is"), while a plural one ("Steering | LLMs have") says the
 *   gerund is the title's; and a capitalised plural noun heads its phrase rather than modifying the
 *   next capitalised word ("Reasoning Styles | LLMs have shown"), so it rarely opens an abstract.
 * - Words learned from the data, hashed into a table of weights: the abstract's first and second
 *   words ("Large", "Aligning", "We"), the title's last word and ending ("Models", "-ion"), the two
 *   words either side of the cut as a pair ("Generation | Models" is rarely a cut), and the classes
 *   of the words around the cut with the length of the capitalised run that starts the abstract.
 *
 * A second stage reads on where the first is unsure (its margin below 4: one line in thirteen that
 * the model has not seen): the abstract's next 600 characters say what the 28 words cannot, as an
 * abstract restates its title. Each candidate gains weights (fitted on held-out candidates) for the
 * title's content words that recur further on in lowercase, that recur only capitalised, and that
 * do not recur, and for a cut between two words that occur together further on (a title phrase cut
 * in two: "Gaussian | Splatting"). Cross-validated, it takes 12 of the 86 wrong splits out and the
 * hint catches 53 of the 74 left (72%, against 53 of 86) at 1.9% flagged; RecurrenceWeights.
 *
 * The confidence is a logistic curve in the margin between the best candidate's score and the
 * second best's (after the second stage, where it ran), centred where the fitting script found
 * that the wrong splits of held-out papers lie (below 0.5, DOUBTFUL_SPLIT_CONFIDENCE, the editor
 * shows a "doubtful split" hint): the margin that flags 2% of held-out papers. Tried, measured by
 * `npm run eval`'s nested cross-validation at 2% flagged, and not used: a second-stage classifier
 * over the margins of the runners-up, how many candidates lie close, whether the runner-up is one
 * word away, the word classes at the cut and the differences of the two best candidates' features
 * (no better than the margin alone); the probability mass outside the best cut (49 of 86 wrong
 * splits caught against the margin's 53); disagreement between models fitted without one more fold
 * (36 alone, 54 with the margin, even with the threshold set on the held-out fold) or on the named
 * features only (57 so, noise); counts of sentence openers and title endings over whole abstracts
 * (50); flagging by the kind of cut (one word either way, before a defined term): no kind holds
 * wrong splits at margins of 2 to 4 without several times as many right ones; whether the second
 * stage changed the cut (no gain). Reaching 90% at 2% needs evidence of meaning: the 21 wrong
 * splits left above the doubt margin look, to every cue here, like the ~500 right ones there.
 *
 * Cost: this runs once per entry line when a workspace of up to 100,000 papers is indexed, so it
 * allocates nothing but its result, and reads each character of the prefix once. (The second
 * stage, on the lines it runs for, reads up to 600 characters past the candidates once, copied as
 * the prefix is from one slice of the text, and looks their words up in a small table of what it
 * looks for: the title's words and the pairs at the cuts. It makes the split of a line the model
 * has not seen ~5% dearer on average.) What is left is spread evenly over the 28 words and 26
 * candidates; the choices that matter:
 * - The words live in parallel typed arrays that every call reuses (the function is synchronous and
 *   not re-entrant, so sharing them is safe). The prefix is copied into a code-unit array by one
 *   native call (Buffer's UTF-16 write): charCodeAt on the string, typically a slice of its line,
 *   costs several times as much a character. Everything after reads that array, never the string,
 *   and never slices words out; keys are lowercased through a table where they are compared.
 * - Characters are classified and lowercased through per-code-unit tables (filled in lazily beyond
 *   ASCII) rather than regular expressions; a word's shape is noted as the scan passes it, runs of
 *   ASCII lowercase letters (most of the text) in a tight loop of their own. The word's class, key
 *   hash and the prefix sums are worked out as soon as the word is read.
 * - The four word lists are one hash table of flags in typed arrays, looked up once per word. The
 *   repetition cues compare a candidate's first word with the earlier words that start with the
 *   same letter only, which the scan chains together.
 * - A candidate's features are written as (index, value) pairs of the ones that fire, a few dozen,
 *   and scored as they are written; the fitting script reads the same pairs (titleSplitCandidates),
 *   so that what is fitted is exactly what runs.
 * - Transcendental functions are avoided where they cannot matter: the title-style mixture needs a
 *   log only where both styles are within e^20 of each other; the confidence takes one exp.
 * Everything works on UTF-16 code units: a character outside the Basic Multilingual Plane (a
 * surrogate pair) counts as punctuation, and a letter whose lowercase form takes two code units
 * ("İ") is compared as it is.
 */
import { ABBREVIATIONS, CLAUSE_OPENERS, FUNCTION_WORDS, OPENER_WORDS } from './titleSplitModel';
import SHIPPED_PARAMETERS from './titleSplitModel.json';

/** Where the title ends in the text between the upvotes and the author tail. */
export interface TitleSplit {
  /**
   * Number of UTF-16 code units of `text` that form the title (the title is text.slice(0, titleLength));
   * the abstract is text.slice(titleLength).trimStart(). At most text.length; 0 only for an empty text.
   */
  titleLength: number;
  /**
   * 0..1: how sure the heuristic is. Below 0.5 (DOUBTFUL_SPLIT_CONFIDENCE) the editor shows a
   * "doubtful split" hint: low on genuinely ambiguous lines, high where the split is clear.
   */
  confidence: number;
}

/** Titles are short; looking further would only cost time (lines can be megabytes long). */
const MAX_SCAN_CHARS = 1000;
/**
 * Words read at most: enough for the longest title considered plus the abstract's opening. 28
 * gives every line of the corpus the split that 40 did (`npm run eval`), for less work.
 */
const MAX_WORDS = 28;
/** The longest title considered, in words (the corpus maximum is 19, the sample's 16). */
const MAX_TITLE_WORDS = 26;

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

// ---------------------------------------------------------------------------------------------
// Characters

/** Character kinds, by UTF-16 code unit. */
const enum CharKind {
  /** neither a letter nor a number (symbols, punctuation, lone surrogate halves) */
  Punctuation,
  Upper,
  Lower,
  /** a letter without case: CJK, Arabic, modifier letters, title-case digraphs */
  UncasedLetter,
  /** an ASCII digit */
  Digit,
  /** a number that is not an ASCII digit: "²", "½", "٣" */
  OtherNumber,
  /** white space, which separates words */
  Space,
}

const UNCLASSIFIED = 255;
/** CharKind by code unit: ASCII and spaces up front, other characters the first time they are seen. */
const CHAR_KINDS = new Uint8Array(0x10000).fill(UNCLASSIFIED);
/** Lowercase of each code unit (the unit itself where the lowercase form takes two), filled in with CHAR_KINDS. */
const LOWERCASE = new Uint16Array(0x10000);
for (let c = 0; c < 128; c++) {
  CHAR_KINDS[c] = c >= 97 && c <= 122 ? CharKind.Lower : c >= 65 && c <= 90 ? CharKind.Upper
    : c >= 48 && c <= 57 ? CharKind.Digit : c === 32 || (c >= 9 && c <= 13) ? CharKind.Space : CharKind.Punctuation;
  LOWERCASE[c] = c >= 65 && c <= 90 ? c + 32 : c;
}
for (const c of [0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) {
  CHAR_KINDS[c] = CharKind.Space;
  LOWERCASE[c] = c;
}
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const NUMBER = /\p{N}/u;

function charKind(c: number): CharKind {
  const known = CHAR_KINDS[c];
  return known !== UNCLASSIFIED ? known : classifyNonAscii(c);
}

function classifyNonAscii(c: number): CharKind {
  const ch = String.fromCharCode(c); // a lone surrogate half matches nothing: punctuation
  const kind = UPPER.test(ch) ? CharKind.Upper : LOWER.test(ch) ? CharKind.Lower : LETTER.test(ch) ? CharKind.UncasedLetter
    : NUMBER.test(ch) ? CharKind.OtherNumber : CharKind.Punctuation;
  const lower = ch.toLowerCase();
  LOWERCASE[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
  CHAR_KINDS[c] = kind;
  return kind;
}

function lowerUnit(c: number): number {
  if (CHAR_KINDS[c] === UNCLASSIFIED) classifyNonAscii(c);
  return LOWERCASE[c];
}

function isSpace(c: number): boolean {
  return charKind(c) === CharKind.Space;
}

function isLetter(kind: CharKind): boolean {
  return kind === CharKind.Upper || kind === CharKind.Lower || kind === CharKind.UncasedLetter;
}

const HYPHEN = 45;
const COLON = 58;
const PERIOD = 46;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const BACKSLASH = 92;

function isAsciiLower(c: number): boolean {
  return ((c - 97) >>> 0) < 26;
}

/** '.', ',', ';' or ':' – what may follow a closing parenthesis in "(LLMs)," */
function isClauseMark(c: number): boolean {
  return c === PERIOD || c === 44 || c === 59 || c === COLON;
}

// ---------------------------------------------------------------------------------------------
// Word lists

/** A hash of a word from its first and last units and its length: cheap, and enough for short word lists. */
function wordHash(first: number, last: number, length: number): number {
  return Math.imul((first << 12) ^ (last << 4) ^ length, 0x9e3779b1) >>> 16;
}

/** The word lists a word can be in (a bit each). */
const enum Lexicon {
  /**
   * Closed-class words. Title Case leaves them lowercase, a title does not end in one, and capitalised
   * they are typical sentence openers ("The", "In", "We").
   */
  Function = 1,
  /** Words that typically open an abstract's first sentence but rarely sit inside a title. */
  Opener = 2,
  /**
   * Abbreviations whose final period does not end a sentence ("et al."). Dotted ones ("e.g.", "i.e.",
   * "U.S.") need no entry: a word with an inner period never ends a sentence.
   */
  Abbreviation = 4,
  /**
   * Conjunctions and sentence adverbs that open a clause ("Although ...", "However, ..."): a title
   * hardly ever contains one, while an abstract often starts with one.
   */
  ClauseOpener = 8,
}

/**
 * Lowercase words and the lists they are in, looked up with a stretch of code units (an
 * open-addressing hash table in typed arrays), so that a word is checked without slicing it out of
 * the text. Most words are in no list, and most of those end at an empty slot: one byte read.
 */
class WordLists {
  /** The length of the word in each slot, 0 for an empty slot. */
  private readonly slotLength: Uint8Array;
  private readonly slotLists: Uint8Array;
  /** The units of the word in slot s, from s * MAX_LISTED_LENGTH. */
  private readonly slotUnits: Uint16Array;
  private readonly mask: number;

  constructor(lists: Array<[list: Lexicon, words: string]>) {
    const wordCount = lists.reduce((count, [, words]) => count + words.split(' ').length, 0);
    let size = 16;
    while (size < wordCount * 4) size *= 2; // sparse, so that most probes end at the first slot
    this.slotLength = new Uint8Array(size);
    this.slotLists = new Uint8Array(size);
    this.slotUnits = new Uint16Array(size * MAX_LISTED_LENGTH);
    this.mask = size - 1;
    for (const [list, words] of lists) {
      for (const word of words.split(' ')) {
        const units = Uint16Array.from(word, (ch) => ch.charCodeAt(0));
        if (units.length > MAX_LISTED_LENGTH) throw new Error(`listed word too long: ${word}`);
        let slot = wordHash(units[0], units[units.length - 1], units.length) & this.mask;
        while (this.slotLength[slot] !== 0 && !this.holds(slot, units, 0, units.length, false)) slot = (slot + 1) & this.mask;
        this.slotLength[slot] = units.length;
        this.slotUnits.set(units, slot * MAX_LISTED_LENGTH);
        this.slotLists[slot] |= list;
      }
    }
  }

  /** The lists (Lexicon bits) that units[from..to) is in; 0 if none. */
  of(units: Uint16Array, from: number, to: number): number {
    return this.find(units, from, to, false);
  }

  /** The lists (Lexicon bits) that prefix[from..to), lowercased, is in; 0 if none. */
  ofPrefix(from: number, to: number): number {
    return this.find(prefix, from, to, true);
  }

  private find(units: Uint16Array, from: number, to: number, lowercase: boolean): number {
    const length = to - from;
    if (length === 0 || length > MAX_LISTED_LENGTH) return 0;
    const first = lowercase ? LOWERCASE[units[from]] : units[from];
    const last = lowercase ? LOWERCASE[units[to - 1]] : units[to - 1];
    for (let slot = wordHash(first, last, length) & this.mask; ; slot = (slot + 1) & this.mask) {
      const slotLength = this.slotLength[slot];
      if (slotLength === 0) return 0;
      if (slotLength === length && this.holds(slot, units, from, length, lowercase)) return this.slotLists[slot];
    }
  }

  /** Whether the word in `slot` is units[from..from + length), lowercased if `lowercase`. */
  private holds(slot: number, units: Uint16Array, from: number, length: number, lowercase: boolean): boolean {
    const base = slot * MAX_LISTED_LENGTH;
    for (let p = 0; p < length; p++) {
      const c = lowercase ? LOWERCASE[units[from + p]] : units[from + p];
      if (this.slotUnits[base + p] !== c) return false;
    }
    return true;
  }
}
/** The longest word a list may hold ("traditionally" has 13 units). */
const MAX_LISTED_LENGTH = 16;

const LEXICON = new WordLists([
  [Lexicon.Function, FUNCTION_WORDS],
  [Lexicon.Opener, OPENER_WORDS],
  [Lexicon.Abbreviation, ABBREVIATIONS],
  [Lexicon.ClauseOpener, CLAUSE_OPENERS],
]);

function isFunctionWord(units: Uint16Array, from: number, to: number): boolean {
  return (LEXICON.of(units, from, to) & Lexicon.Function) !== 0;
}

// ---------------------------------------------------------------------------------------------
// Model: the parameters in titleSplitModel.json, fitted by scripts/fit-title-split.ts

/** The parameters as the fitting script writes them (titleSplitModel.json). */
export interface TitleSplitParameters {
  /** What the parameters were fitted on, and how, for a person reading the file. */
  about: string;
  /**
   * log P(word class) by region. Tables of two rows, [after a lowercase or uncased word, after a
   * capitalised word], with a column per WordClass; words right after a colon or a sentence end
   * are not scored (their capital is forced). Title Case titles, sentence-case titles, abstracts
   * from their third word on.
   */
  titleCase: number[][];
  sentenceCase: number[][];
  abstract: number[][];
  /** The abstract's first word, by class. */
  abstractFirst: number[];
  /** The abstract's second word after a capitalised first word, by class. */
  abstractSecond: number[];
  /** Share of titles in sentence case. */
  sentenceCaseShare: number;
  /** Weights of the named features (DENSE_FEATURES). */
  dense: Record<string, number>;
  /** The hashed features' table has 2^hashBits weights. */
  hashBits: number;
  /** Weights of the hashed features: [bucket, weight] for the buckets whose weight is not 0. */
  hashed: Array<[bucket: number, weight: number]>;
  /** The margin (best score − second best) below which a split is doubtful: confidence 0.5. */
  doubtMargin: number;
  /** How steeply the confidence rises with the margin. */
  confidenceSlope: number;
  /** The second stage's weights (see rescoreByRecurrence); absent from a first-stage fit, which has none. */
  recurrence?: RecurrenceWeights;
}

/**
 * The second stage: where the first stage's margin is small, the words of the abstract past the
 * candidates (up to RECURRENCE_SCAN_CHARS) are evidence that the 28 words cannot give. An abstract
 * restates its title's content words, in lowercase where they are common nouns ("Code Authoring ...
 * code authoring"), and it uses the title's phrases: a cut between two words that occur together
 * further on ("Gaussian | Splatting ... gaussian splatting") has most likely cut a phrase of the
 * title. A name that recurs ("CodeCompose") says little: the abstract repeats its own subject as
 * much as the title's. Each candidate's score gains these weights times its cues.
 */
export interface RecurrenceWeights {
  /** the two words either side of the cut occur together, in that order, further on */
  acrossCut: number;
  /** per content word of the title (not a function word, three units or more) that occurs further on in lowercase */
  recurringTitleWord: number;
  /** per content word of the title that occurs further on, but only capitalised (a name, or a sentence's first word) */
  recurringTitleName: number;
  /** per content word of the title that does not occur further on */
  absentTitleWord: number;
  /** the stage runs only where the first stage's margin is below this (0: never) */
  belowMargin: number;
}

/** No second stage: what a first-stage fit (and a model file without one) gets. */
const NO_RECURRENCE: RecurrenceWeights = { acrossCut: 0, recurringTitleWord: 0, recurringTitleName: 0, absentTitleWord: 0, belowMargin: 0 };

/**
 * The named features of a candidate boundary, in the order of their weights. Counts and
 * indicators, but for the three likelihoods.
 */
export const DENSE_FEATURES = [
  'titleLikelihood', 'abstractOpeningLikelihood', 'abstractLikelihood',
  'periodsInTitle', 'questionsInTitle', 'clauseOpenersInTitle', 'acronymsInTitle',
  'titleEndsInColon', 'titleEndsInFunctionWord', 'titleEndsInComma', 'titleEndsInQuestion', 'titleEndsInPeriod',
  'firstWordEndsInQuestion', 'firstWordEndsInColon', 'firstWordEndsInComma',
  'abstractOpener', 'repeatsName', 'repeatsLastWord', 'repeatsTitleBigram', 'repeatsTitleStem',
  'subjectVerb', 'gerundWithObject', 'gerundWithLowercaseObject',
  'cutsDefinedTerm', 'startsDefinedTerm', 'termIsNotSubject', 'acronymFollowsCut',
  'definedTermAfterFirstWord', 'definedTermAfterSecondWord', 'capitalsRunToAcronym',
  'subjectTermAtCut', 'subjectTermAfterFirstWord', 'pluralOpensNounPhrase', 'gerundSubjectAgrees', 'gerundSubjectDisagrees',
  'noAbstract', 'longTitle',
  'titleRepeatsWord', 'titleLastWordRepeats', 'gerundBeforeSubjectTerm', 'gerundBeforeTerm',
  'titleWords1', 'titleWords2', 'titleWords3', 'titleWords4', 'titleWords5', 'titleWords6', 'titleWords7',
  'titleWords8', 'titleWords9', 'titleWords10', 'titleWords11', 'titleWords12', 'titleWords13OrMore',
] as const;

const enum Dense {
  TitleLikelihood, AbstractOpeningLikelihood, AbstractLikelihood,
  PeriodsInTitle, QuestionsInTitle, ClauseOpenersInTitle, AcronymsInTitle,
  TitleEndsInColon, TitleEndsInFunctionWord, TitleEndsInComma, TitleEndsInQuestion, TitleEndsInPeriod,
  FirstWordEndsInQuestion, FirstWordEndsInColon, FirstWordEndsInComma,
  AbstractOpener, RepeatsName, RepeatsLastWord, RepeatsTitleBigram, RepeatsTitleStem,
  SubjectVerb, GerundWithObject, GerundWithLowercaseObject,
  CutsDefinedTerm, StartsDefinedTerm, TermIsNotSubject, AcronymFollowsCut,
  DefinedTermAfterFirstWord, DefinedTermAfterSecondWord, CapitalsRunToAcronym,
  SubjectTermAtCut, SubjectTermAfterFirstWord, PluralOpensNounPhrase, GerundSubjectAgrees, GerundSubjectDisagrees,
  NoAbstract, LongTitle,
  TitleRepeatsWord, TitleLastWordRepeats, GerundBeforeSubjectTerm, GerundBeforeTerm,
  TitleWords1,
}
/** Title lengths from 1 to this many words have a feature each; longer ones share the last. */
const TITLE_WORDS_FEATURES = 13;
/** Titles longer than this many words also get a feature that grows with the square of the excess. */
const LONG_TITLE_WORDS = 15;
/** How many weights precede the hashed ones. */
export const DENSE_FEATURE_COUNT = DENSE_FEATURES.length;

/** The hashed features (templates): which words around the cut, and what of them. */
const enum Hashed {
  /** the abstract's first word and its class */
  FirstWord = 1,
  /** the title's last word */
  LastWord,
  /** the abstract's second word */
  SecondWord,
  /** the abstract's first word and the second word's class */
  FirstWordNextClass,
  /** the title's last word and the abstract's first, as a pair */
  WordsAcrossCut,
  /** the classes of the words either side of the cut, the run of capitals after it, the title's last character */
  ShapeAroundCut,
  /** the last three letters of the title's last word, and its class */
  LastWordEnding,
  /** the last three letters of the abstract's first word, and its class */
  FirstWordEnding,
  /** where the next defined term starts (at the cut, one or two words after it, none) with the first word's ending and class */
  DefinedTermContext,
  /** the last three letters of the title's last word and its class, where a defined term starts at the cut (and whether it is a subject) */
  LastWordBeforeTerm,
}

/** The parameters ready for scoring: the tables as flat arrays, the weights as one array. */
export interface TitleSplitModel {
  readonly titleCaseLogP: Float64Array;
  readonly sentenceCaseLogP: Float64Array;
  readonly abstractLogP: Float64Array;
  readonly titleCaseP: Float64Array;
  readonly sentenceCaseP: Float64Array;
  readonly abstractFirst: Float64Array;
  readonly abstractSecond: Float64Array;
  readonly abstractAfterLowercase: Float64Array;
  readonly titleCaseShare: number;
  readonly sentenceCaseShare: number;
  readonly logTitleCaseShare: number;
  readonly logSentenceCaseShare: number;
  /** DENSE_FEATURE_COUNT named weights, then 2^hashBits hashed ones (single precision: half the cache). */
  readonly weights: Float32Array;
  /** 32 − hashBits: a 32-bit hash shifted right by this is a bucket. */
  readonly hashShift: number;
  readonly doubtMargin: number;
  readonly confidenceSlope: number;
  readonly recurrence: RecurrenceWeights;
}

const CLASS_COUNT = 9;

/**
 * A table by [previous word capitalised][WordClass] as a flat array, for the prefix sums, with a
 * third row for a word that is not scored (its capital is forced): `unscored`, which leaves a sum
 * (0) or a product (1) as it is.
 */
function flatTable(rows: number[][], unscored: number, map: (logP: number) => number = (logP) => logP): Float64Array {
  return Float64Array.from([...rows[0].map(map), ...rows[1].map(map), ...new Array<number>(CLASS_COUNT).fill(unscored)]);
}
/** Row offsets into the flat tables. */
const AFTER_CAPITALISED_ROW = CLASS_COUNT;
const UNSCORED_ROW = 2 * CLASS_COUNT;

/** Makes parameters (titleSplitModel.json, or a fold's fit) ready for splitTitleAbstract. */
export function compileTitleSplitModel(parameters: TitleSplitParameters): TitleSplitModel {
  const weights = new Float32Array(DENSE_FEATURE_COUNT + (1 << parameters.hashBits));
  DENSE_FEATURES.forEach((name, f) => { weights[f] = parameters.dense[name] ?? 0; });
  for (const [bucket, weight] of parameters.hashed) weights[DENSE_FEATURE_COUNT + bucket] = weight;
  const sentenceCaseShare = parameters.sentenceCaseShare;
  return {
    titleCaseLogP: flatTable(parameters.titleCase, 0),
    sentenceCaseLogP: flatTable(parameters.sentenceCase, 0),
    abstractLogP: flatTable(parameters.abstract, 0),
    // The title likelihood is a mixture, a sum of probabilities. Where both styles matter it is
    // computed from running products of these (28 words cannot underflow a double): one log.
    titleCaseP: flatTable(parameters.titleCase, 1, Math.exp),
    sentenceCaseP: flatTable(parameters.sentenceCase, 1, Math.exp),
    abstractFirst: Float64Array.from(parameters.abstractFirst),
    abstractSecond: Float64Array.from(parameters.abstractSecond),
    abstractAfterLowercase: Float64Array.from(parameters.abstract[0]),
    titleCaseShare: 1 - sentenceCaseShare,
    sentenceCaseShare,
    logTitleCaseShare: Math.log(1 - sentenceCaseShare),
    logSentenceCaseShare: Math.log(sentenceCaseShare),
    weights,
    hashShift: 32 - parameters.hashBits,
    doubtMargin: parameters.doubtMargin,
    confidenceSlope: parameters.confidenceSlope,
    recurrence: parameters.recurrence ?? NO_RECURRENCE,
  };
}

/** The model fitted by `npm run fit` (titleSplitModel.json). */
export const SHIPPED_MODEL = compileTitleSplitModel(SHIPPED_PARAMETERS as unknown as TitleSplitParameters);

/** Where one style is e^20 times likelier than the other, the other adds less than 3e-9 to the log: skip it. */
const NEGLIGIBLE_LOG_RATIO = 20;

/** The model of the current call (set by splitWords; the function is not re-entrant). */
let model: TitleSplitModel = SHIPPED_MODEL;
/** Its weights and hash shift, read for every feature of every candidate. */
let weights: Float32Array = SHIPPED_MODEL.weights;
let hashShift = SHIPPED_MODEL.hashShift;

// ---------------------------------------------------------------------------------------------
// The words of the current text, in parallel arrays reused by every call.

/** The word as written: text[wordStart, wordEnd). */
const wordStart = new Int32Array(MAX_WORDS);
const wordEnd = new Int32Array(MAX_WORDS);
/** The word without surrounding punctuation ("(LLMs)," → "LLMs"): its lowercase is the word's key, for comparing words. */
const coreStart = new Int32Array(MAX_WORDS);
const coreEnd = new Int32Array(MAX_WORDS);
const wordClass = new Uint8Array(MAX_WORDS);
/** The Lexicon lists that the word's key is in. */
const wordLists = new Uint8Array(MAX_WORDS);

const enum SentenceEnd { None, Period, Question }
/** Whether the word ends a sentence with '.', or with '?' / '!'. */
const sentenceEnd = new Uint8Array(MAX_WORDS);
/** Capital forced by position (after a colon or a sentence end): its case says nothing. */
const afterBreak = new Uint8Array(MAX_WORDS);

const enum Auxiliary { None, Singular, Plural }

/** The code units of the scanned prefix, copied at once by the scan (copyPrefix). */
const prefix = new Uint16Array(MAX_SCAN_CHARS);
/**
 * The same memory as bytes, for Buffer's native copy of a string's code units ('utf16le', which a
 * Uint16Array reads back only on a little-endian machine: every common one). Undefined where there
 * is no Buffer or the machine is big-endian: then the copy is a loop of charCodeAt.
 */
const prefixBytes = typeof Buffer === 'function' && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
  ? Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength) : undefined;

/** Copies text[0, limit) to `prefix`. */
function copyPrefix(text: string, limit: number): void {
  if (prefixBytes !== undefined) prefixBytes.write(text, 0, 2 * limit, 'utf16le');
  else for (let p = 0; p < limit; p++) prefix[p] = text.charCodeAt(p);
}

/** The word's last unit (its final punctuation, if any). */
const wordLast = new Uint16Array(MAX_WORDS);
/** The first unit of the word's key, lowercase: both kinds of repetition that titleRepeats looks for start with it. */
const wordHead = new Uint16Array(MAX_WORDS);
/**
 * The previous word whose head falls in the same bucket as this one's, or -1: titleRepeats walks
 * this chain instead of every title word.
 */
const sameHeadBefore = new Int8Array(MAX_WORDS);
const HEAD_BUCKET_MASK = 63;
/** The last word read so far with a head in each bucket (head & HEAD_BUCKET_MASK), or -1. */
const headLast = new Int8Array(HEAD_BUCKET_MASK + 1);

// Per-call score tables (index i: the boundary before word i), filled in by the scan.
const titleCaseSum = new Float64Array(MAX_WORDS + 1);
const sentenceCaseSum = new Float64Array(MAX_WORDS + 1);
const titleCaseProduct = new Float64Array(MAX_WORDS + 1);
const sentenceCaseProduct = new Float64Array(MAX_WORDS + 1);
const abstractSum = new Float64Array(MAX_WORDS + 1);
/** Prefix counts of sentence ends by '.', by '?' or '!', of clause openers after the first word, of "(LLMs)". */
const periodCount = new Uint8Array(MAX_WORDS + 1);
const questionCount = new Uint8Array(MAX_WORDS + 1);
const clauseOpenerCount = new Uint8Array(MAX_WORDS + 1);
const acronymCount = new Uint8Array(MAX_WORDS + 1);
/** By boundary i: how many defined terms it cuts, whether one starts at it, whether one is not the subject. */
const termCuts = new Uint8Array(MAX_WORDS + 1);
const termStarts = new Uint8Array(MAX_WORDS + 1);
const termNotSubject = new Uint8Array(MAX_WORDS + 1);
/** By boundary i: a defined term starts at it and is the subject of a verb that agrees with it ("... Models (LLMs) have"). */
const termSubject = new Uint8Array(MAX_WORDS + 1);
/** By word j: the number (Auxiliary) of the first "is"/"are"/"has"/... from j on in its sentence, within 12 words; None if there is none. */
const nextAuxiliary = new Uint8Array(MAX_WORDS + 1);
/** A 32-bit hash of each word's key (its core, lowercase). */
const wordKeyHash = new Int32Array(MAX_WORDS + 1);
/** The table row each word was scored with: 0, AFTER_CAPITALISED_ROW or UNSCORED_ROW. */
const wordRow = new Uint8Array(MAX_WORDS);
/** How many capitalised words run from word j on. */
const capitalRun = new Uint8Array(MAX_WORDS + 1);
/** Whether word j's key (a content word's) repeats an earlier word's. */
const repeatsEarlier = new Uint8Array(MAX_WORDS + 1);
/** Prefix counts of repeatsEarlier words. */
const repeatCount = new Uint8Array(MAX_WORDS + 1);
const scores = new Float64Array(MAX_WORDS + 1);

/** The most features a candidate can have (the named ones that fire, and eight hashed ones). */
const MAX_CANDIDATE_FEATURES = 48;
/** Candidate i's features are featureIndex/featureValue[i * MAX_CANDIDATE_FEATURES ...], featureCount[i] of them. */
const featureIndex = new Int32Array((MAX_TITLE_WORDS + 1) * MAX_CANDIDATE_FEATURES);
const featureValue = new Float64Array((MAX_TITLE_WORDS + 1) * MAX_CANDIDATE_FEATURES);
const featureCount = new Uint8Array(MAX_TITLE_WORDS + 1);
/** Where the next feature of the current candidate goes. */
let featureCursor = 0;
/** The score of the current candidate so far. */
let candidateScore = 0;

/**
 * Whether the features are being written out (titleSplitCandidates, for the fitting script): the
 * parser needs only the scores, and skipping the writes makes a split ~2.5% cheaper
 * (scripts/bench-title-split.ts against the commit before).
 */
let recordingFeatures = false;

function addFeature(index: number, value: number): void {
  candidateScore += weights[index] * value;
  if (!recordingFeatures) return;
  featureIndex[featureCursor] = index;
  featureValue[featureCursor] = value;
  featureCursor++;
}

/** Adds the hashed feature `template` of the values a and b. */
function addHashed(template: Hashed, a: number, b: number): void {
  let h = Math.imul(a ^ Math.imul(template, 0x27d4eb2f), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
  h ^= h >>> 13;
  addFeature(DENSE_FEATURE_COUNT + (Math.imul(h, 0xc2b2ae35) >>> hashShift), 1);
}

/** A class that is not a word's: the word after the last one read. */
const NO_WORD = 15;

/**
 * Splits the middle of a digest line into title and abstract.
 *
 * Never throws, and finds the split within the first 1000 characters whatever the length of
 * `text` (past them it reads only blanks, and at most 1000 of those, to tell whether more follows).
 * A text without words (empty or blank) gets `titleLength: text.length` and confidence 0; a text
 * with no plausible abstract is all title.
 *
 * @param text the text between the upvote count and the "N authors · date" tail of a digest line
 * @param splitModel the model; the shipped one (titleSplitModel.json) unless the fitting script measures another
 * @returns the title's length in UTF-16 code units, and a 0..1 confidence (below 0.5: doubtful)
 * @example
 * const text = 'Xmodel-2 Technical Report Xmodel-2 is a 1.2-billion-parameter large language model ...';
 * const { titleLength } = splitTitleAbstract(text);
 * text.slice(0, titleLength); // 'Xmodel-2 Technical Report'
 */
export function splitTitleAbstract(text: string, splitModel: TitleSplitModel = SHIPPED_MODEL): TitleSplit {
  try {
    return splitWords(text, splitModel);
  } catch {
    // Defensive only: nothing above is expected to throw, but a digest line must never break the editor.
    return { titleLength: typeof text === 'string' ? text.length : 0, confidence: 0 };
  }
}

/** The candidates of one text with their features, for the fitting script. */
export interface TitleSplitCandidates {
  /** Candidate c (0-based) ends the title after titleLengths[c] code units. */
  titleLengths: number[];
  /** Candidate c's features: indexes into the model's weights, and values. */
  featureIndexes: number[][];
  featureValues: number[][];
}

/**
 * The candidate boundaries of `text` and the features of each, exactly as splitTitleAbstract
 * scores them: for the fitting script (scripts/fit-title-split.ts), not for the parser.
 */
export function titleSplitCandidates(text: string, splitModel: TitleSplitModel): TitleSplitCandidates {
  const result: TitleSplitCandidates = { titleLengths: [], featureIndexes: [], featureValues: [] };
  recordingFeatures = true;
  try {
    splitWords(text, splitModel);
  } finally {
    recordingFeatures = false;
  }
  for (let i = 1; i <= lastCandidateOfCall; i++) {
    if (scores[i] === -Infinity) continue; // not scored
    const base = i * MAX_CANDIDATE_FEATURES;
    result.titleLengths.push(wordEnd[i - 1]);
    result.featureIndexes.push(Array.from(featureIndex.subarray(base, base + featureCount[i])));
    result.featureValues.push(Array.from(featureValue.subarray(base, base + featureCount[i])));
  }
  return result;
}

/** The second stage's cues of one text's candidates (see RecurrenceWeights), for the fitting script. */
export interface TitleSplitRecurrenceCues {
  /** Candidate c (0-based, the scored ones) ends the title after titleLengths[c] code units. */
  titleLengths: number[];
  /** Its first-stage score. */
  scores: number[];
  /** Its cues, which the weights multiply: 1 or 0, and counts of the title's content words. */
  acrossCut: number[];
  recurringTitleWords: number[];
  recurringTitleNames: number[];
  absentTitleWords: number[];
}

/**
 * The first-stage scores and second-stage cues of `text`'s candidates, whatever the margin: for the
 * fitting script, which fits the second stage's weights on them. Undefined where the text has no
 * words past the candidates (the second stage never runs there).
 */
export function titleSplitRecurrenceCues(text: string, splitModel: TitleSplitModel): TitleSplitRecurrenceCues | undefined {
  const firstStage = { ...splitModel, recurrence: NO_RECURRENCE };
  splitWords(text, firstStage);
  const lastCandidate = lastCandidateOfCall;
  const n = wordsOfCall;
  if (lastCandidate < 1 || !readFurtherWords(text, wordEnd[lastCandidate - 1], n, lastCandidate)) return undefined;
  countRecurringTitleWords(lastCandidate);
  const result: TitleSplitRecurrenceCues = {
    titleLengths: [], scores: [], acrossCut: [], recurringTitleWords: [], recurringTitleNames: [], absentTitleWords: [],
  };
  for (let i = 1; i <= lastCandidate; i++) {
    if (scores[i] === -Infinity) continue;
    result.titleLengths.push(wordEnd[i - 1]);
    result.scores.push(scores[i]);
    result.acrossCut.push(i < n && cutRecurs(i) ? 1 : 0);
    result.recurringTitleWords.push(recurringTitleWords[i]);
    result.recurringTitleNames.push(recurringTitleNames[i]);
    result.absentTitleWords.push(absentTitleWords[i]);
  }
  return result;
}

/** The words of a text as the tables see them, for the fitting script to count classes by region. */
export interface TitleSplitWords {
  /** Word j ends at ends[j] (code units from the start of the text). */
  ends: number[];
  /** Its WordClass, the index into a table's row. */
  classes: number[];
  /** Its row: 0 after a lowercase or uncased word, 1 after a capitalised one, 2 not scored (capital forced). */
  rows: number[];
}

/** The words the split reads of `text`, their classes and table rows: for the fitting script. */
export function titleSplitWords(text: string): TitleSplitWords {
  const n = tokenizePrefix(text);
  const result: TitleSplitWords = { ends: [], classes: [], rows: [] };
  for (let j = 0; j < n; j++) {
    result.ends.push(wordEnd[j]);
    result.classes.push(wordClass[j]);
    result.rows.push(wordRow[j] / CLASS_COUNT);
  }
  return result;
}

function opensLowercase(cls: WordClass): boolean {
  return cls === WordClass.Lower || cls === WordClass.LowerFunction;
}

/** The last candidate of the latest call, for titleSplitCandidates; and how many words it read. */
let lastCandidateOfCall = 0;
let wordsOfCall = 0;

function splitWords(text: string, splitModel: TitleSplitModel): TitleSplit {
  model = splitModel;
  weights = splitModel.weights;
  hashShift = splitModel.hashShift;
  lastCandidateOfCall = 0;
  const n = tokenizePrefix(text);
  wordsOfCall = n;
  if (n === 0) return { titleLength: text.length, confidence: 0 };
  const truncated = hasMoreWords(text, wordEnd[n - 1]);

  const lastCandidate = Math.min(truncated ? n - 1 : n, MAX_TITLE_WORDS);
  if (lastCandidate < 1) return { titleLength: text.length, confidence: 0 };
  lastCandidateOfCall = lastCandidate;
  capitalRun[n] = 0;
  nextAuxiliary[n] = Auxiliary.None;
  let auxiliaryAt = n; // the nearest auxiliary after j in its sentence, and its number
  let auxiliaryNumber: Auxiliary = Auxiliary.None;
  for (let j = n - 1; j >= 0; j--) {
    capitalRun[j] = isCapitalised(wordClass[j]) ? Math.min(capitalRun[j + 1] + 1, 255) : 0;
    if (sentenceEnd[j] !== SentenceEnd.None) auxiliaryNumber = Auxiliary.None;
    if (wordClass[j] === WordClass.LowerFunction || wordClass[j] === WordClass.Lower) { // auxiliaries are lowercase
      const auxiliary = auxiliaryOf(j);
      if (auxiliary !== Auxiliary.None) { auxiliaryAt = j; auxiliaryNumber = auxiliary; }
    }
    nextAuxiliary[j] = auxiliaryAt - j <= 12 ? auxiliaryNumber : Auxiliary.None;
  }
  definedTerms(n); // after nextAuxiliary, which it reads

  // Titles seldom repeat themselves: a candidate title that contains a content word twice has most
  // likely taken in the abstract's opening, which restates the title ("Tiny Aya: ... Depth | Tiny").
  // Only candidate titles are scored, so words past the last candidate need no count.
  repeatCount[0] = 0;
  for (let w = 0; w < lastCandidate; w++) {
    let repeats = 0;
    const cls = wordClass[w];
    if (keyLength(w) > 1 && cls !== WordClass.LowerFunction && cls !== WordClass.CapFunction && cls !== WordClass.Other) {
      const head = wordHead[w];
      for (let j = sameHeadBefore[w]; j >= 0; j = sameHeadBefore[j]) {
        if (wordHead[j] === head && sameKey(j, w)) { repeats = 1; break; }
      }
    }
    repeatsEarlier[w] = repeats;
    repeatCount[w + 1] = repeatCount[w] + repeats;
  }

  // The abstract often restates the paper's name, when the title opens with one ("Sailor2: ...").
  // A name of two words counts too: "Tiny Aya: ..." restated as "Tiny Aya redefines ...".
  const titleOpensWithName = (wordClass[0] === WordClass.Name || lastUnit(0) === COLON ||
    (n > 1 && lastUnit(1) === COLON && isCapitalised(wordClass[0]) && wordClass[0] !== WordClass.CapFunction)) && keyLength(0) > 0;

  // An abstract opens with a capital (2 of the corpora's 9,060 do not): candidates that would open
  // it with a lowercase word are not scored, which halves the work. Should that leave none, all are.
  let best = -1;
  let second = -Infinity;
  let candidates = 0;
  for (let pass = 0; pass < 2 && best < 0; pass++) {
    for (let i = 1; i <= lastCandidate; i++) {
      if (pass === 0 && i < n && opensLowercase(wordClass[i])) {
        featureCount[i] = 0;
        scores[i] = -Infinity;
        continue;
      }
      const score = scoreCandidate(i, n, titleOpensWithName);
      scores[i] = score;
      candidates++;
      if (best < 0 || score > scores[best]) {
        if (best >= 0) second = scores[best];
        best = i;
      } else if (score > second) {
        second = score;
      }
    }
  }
  // One candidate only: nothing to doubt between.
  let margin = candidates === 1 ? Infinity : scores[best] - second;
  // A close call: the second stage reads on into the abstract (rarely: it costs a scan of its own).
  if (margin < model.recurrence.belowMargin && readFurtherWords(text, wordEnd[lastCandidate - 1], n, lastCandidate)) {
    rescoreByRecurrence(n, lastCandidate, model.recurrence);
    best = rescoredBest;
    margin = rescoredMargin;
  }
  const confidence = 1 / (1 + Math.exp(-model.confidenceSlope * (margin - model.doubtMargin)));
  return { titleLength: wordEnd[best - 1], confidence };
}

/** Writes the features of candidate i (the title is words[0..i-1], the abstract starts at words[i]) and returns its score. */
function scoreCandidate(i: number, n: number, titleOpensWithName: boolean): number {
  const base = i * MAX_CANDIDATE_FEATURES;
  featureCursor = base;
  candidateScore = 0;
  const last = i - 1;
  const lastCls = wordClass[last];
  const lastEnd = lastUnit(last);

  addFeature(Dense.TitleLikelihood, titleLogLikelihood(i));
  // A title's last word may end in '.' or '?': only the sentence ends before it count.
  if (periodCount[last] !== 0) addFeature(Dense.PeriodsInTitle, periodCount[last]);
  if (questionCount[last] !== 0) addFeature(Dense.QuestionsInTitle, questionCount[last]);
  if (clauseOpenerCount[i] !== 0) addFeature(Dense.ClauseOpenersInTitle, clauseOpenerCount[i]);
  if (acronymCount[i] !== 0) addFeature(Dense.AcronymsInTitle, acronymCount[i]);
  addFeature(Dense.TitleWords1 + Math.min(i, TITLE_WORDS_FEATURES) - 1, 1);
  if (i > LONG_TITLE_WORDS) addFeature(Dense.LongTitle, (i - LONG_TITLE_WORDS) * (i - LONG_TITLE_WORDS));
  if (repeatCount[i] !== 0) {
    addFeature(Dense.TitleRepeatsWord, repeatCount[i]);
    if (repeatsEarlier[last] !== 0) addFeature(Dense.TitleLastWordRepeats, 1);
  }

  if (lastEnd === COLON || lastEnd === HYPHEN || lastEnd === 0x2013 || lastEnd === 0x2014 || lastEnd === 124 /* | */) {
    addFeature(Dense.TitleEndsInColon, 1);
  }
  if (lastCls === WordClass.LowerFunction || lastCls === WordClass.CapFunction) addFeature(Dense.TitleEndsInFunctionWord, 1);
  if (lastEnd === 44 /* , */ || lastEnd === 59 /* ; */) addFeature(Dense.TitleEndsInComma, 1);
  if (sentenceEnd[last] === SentenceEnd.Question) addFeature(Dense.TitleEndsInQuestion, 1);
  else if (sentenceEnd[last] === SentenceEnd.Period) addFeature(Dense.TitleEndsInPeriod, 1);
  const lastTail = keyTail(last) & 0xffffff;
  addHashed(Hashed.LastWord, wordKeyHash[last], 0);
  addHashed(Hashed.LastWordEnding, lastTail, lastCls);

  if (i < n) {
    const first = i;
    const firstCls = wordClass[first];
    const firstEnd = lastUnit(first);
    const next = first + 1;
    const nextCls = next < n ? wordClass[next] : NO_WORD;
    addFeature(Dense.AbstractOpeningLikelihood, abstractOpeningScore(i, n));
    const rest = abstractSum[n] - abstractSum[Math.min(i + 2, n)];
    if (rest !== 0) addFeature(Dense.AbstractLikelihood, rest);
    if (termCuts[i] !== 0) addFeature(Dense.CutsDefinedTerm, termCuts[i]);
    if (termStarts[i] !== 0) addFeature(Dense.StartsDefinedTerm, 1);
    if (termNotSubject[i] !== 0) addFeature(Dense.TermIsNotSubject, 1);
    // A term that is the subject of the first verb starts the sentence, so the abstract: a word
    // before it ("Steering | Large Language Models (LLMs) exhibit") belongs to the title.
    if (termSubject[i] !== 0) addFeature(Dense.SubjectTermAtCut, 1);
    else if (termSubject[i + 1] !== 0) addFeature(Dense.SubjectTermAfterFirstWord, 1);
    // A plural noun heads its phrase rather than modifying the next noun ("Reasoning Styles | LLMs
    // have"): an abstract rarely opens with a capitalised plural followed by another capitalised word.
    if (next < n && firstCls === WordClass.Cap && isCapitalised(nextCls) && isPluralNounLike(first)) addFeature(Dense.PluralOpensNounPhrase, 1);
    if (firstCls === WordClass.ParenAcronym) addFeature(Dense.AcronymFollowsCut, 1);
    // "Training | Large Language Models (LLMs)", "Native | Omni-modal Large Language Models (OLLMs)":
    // a word or two that the acronym does not spell may open the abstract before the term.
    if (termStarts[i + 1] !== 0) addFeature(Dense.DefinedTermAfterFirstWord, 1);
    else if (i + 2 <= n && termStarts[i + 2] !== 0) addFeature(Dense.DefinedTermAfterSecondWord, 1);
    const runEnd = i + capitalRun[i];
    if (runEnd < n && runEnd > i && wordClass[runEnd] === WordClass.ParenAcronym) addFeature(Dense.CapitalsRunToAcronym, 1);

    if (firstEnd === 63 /* ? */ || firstEnd === 33 /* ! */) addFeature(Dense.FirstWordEndsInQuestion, 1);
    else if (firstEnd === COLON) addFeature(Dense.FirstWordEndsInColon, 1);
    else if (firstEnd === 44 /* , */) addFeature(Dense.FirstWordEndsInComma, 1);
    if (isCapitalised(firstCls)) {
      if (wordLists[first] & Lexicon.Opener) addFeature(Dense.AbstractOpener, 1);
      if (titleOpensWithName && firstEnd !== COLON && sameKey(first, 0)) addFeature(Dense.RepeatsName, 1);
      if (keyLength(first) > 1 && charKind(lastEnd) !== CharKind.Punctuation && sameKey(first, last)) addFeature(Dense.RepeatsLastWord, 1);
      if (next < n) {
        if (firstCls !== WordClass.CapFunction) {
          const repeats = titleRepeats(i);
          if (repeats & Repeats.Bigram) addFeature(Dense.RepeatsTitleBigram, 1);
          if (repeats & Repeats.Stem) addFeature(Dense.RepeatsTitleStem, 1);
        }
        if ((firstCls === WordClass.Cap || firstCls === WordClass.Name) && auxiliaryOf(next) !== Auxiliary.None) {
          addFeature(Dense.SubjectVerb, 1);
        }
        if (isPlainGerund(first)) {
          if (termSubject[next] !== 0) addFeature(Dense.GerundBeforeSubjectTerm, 1);
          else if (termStarts[next] !== 0) addFeature(Dense.GerundBeforeTerm, 1);
          if (isCapitalised(nextCls)) addFeature(Dense.GerundWithObject, 1);
          else if (nextCls === WordClass.Lower) addFeature(Dense.GerundWithLowercaseObject, 1);
          // A gerund that opens the sentence is its subject, and takes a singular verb: "Scaling
          // Diffusion Transformers (DiTs) to ... is"; "Steering | Large Language Models have" is not one.
          const verb = nextAuxiliary[next];
          if (verb === Auxiliary.Singular) addFeature(Dense.GerundSubjectAgrees, 1);
          else if (verb === Auxiliary.Plural) addFeature(Dense.GerundSubjectDisagrees, 1);
        }
      }
    }
    const firstKey = wordKeyHash[first];
    addHashed(Hashed.FirstWord, firstKey, firstCls);
    addHashed(Hashed.FirstWordNextClass, firstKey, nextCls);
    addHashed(Hashed.SecondWord, next < n ? wordKeyHash[next] : 0, 0);
    addHashed(Hashed.WordsAcrossCut, wordKeyHash[last], firstKey);
    const lastPunctuation = charKind(lastEnd) === CharKind.Punctuation ? lastEnd : 0;
    addHashed(Hashed.ShapeAroundCut, lastCls | (firstCls << 4) | (nextCls << 8) | (Math.min(capitalRun[first], 4) << 12), lastPunctuation);
    const firstTail = keyTail(first) & 0xffffff;
    addHashed(Hashed.FirstWordEnding, firstTail, firstCls);
    const termOffset = termStarts[i] !== 0 ? 0 : termStarts[i + 1] !== 0 ? 1 : i + 2 <= n && termStarts[i + 2] !== 0 ? 2 : 3;
    addHashed(Hashed.DefinedTermContext, firstTail, firstCls | (termOffset << 4));
    if (termStarts[i] !== 0) addHashed(Hashed.LastWordBeforeTerm, lastTail, lastCls | (termSubject[i] << 4));
  } else {
    addFeature(Dense.NoAbstract, 1);
  }
  featureCount[i] = featureCursor - base;
  return candidateScore;
}

/** Log-likelihood of words[0..i-1] as a title: a mixture of Title Case and sentence case. */
function titleLogLikelihood(i: number): number {
  const titleCase = model.logTitleCaseShare + titleCaseSum[i];
  const sentenceCase = model.logSentenceCaseShare + sentenceCaseSum[i];
  if (sentenceCase < titleCase - NEGLIGIBLE_LOG_RATIO) return titleCase;
  if (titleCase < sentenceCase - NEGLIGIBLE_LOG_RATIO) return sentenceCase;
  return Math.log(model.titleCaseShare * titleCaseProduct[i] + model.sentenceCaseShare * sentenceCaseProduct[i]);
}

/** Log-likelihood of the abstract's first two words, which follow their own distribution. */
function abstractOpeningScore(i: number, n: number): number {
  const first = wordClass[i];
  let score = model.abstractFirst[first];
  if (i + 1 < n && afterBreak[i + 1] === 0) {
    score += isCapitalised(first) ? model.abstractSecond[wordClass[i + 1]] : model.abstractAfterLowercase[wordClass[i + 1]];
  }
  return score;
}

function lastUnit(w: number): number {
  return wordLast[w];
}

function keyLength(w: number): number {
  return coreEnd[w] - coreStart[w];
}

/** Whether words a and b have the same key (the same letters, ignoring case and surrounding punctuation). */
function sameKey(a: number, b: number): boolean {
  const length = keyLength(a);
  return length === keyLength(b) && sameUnits(coreStart[a], coreStart[b], length);
}

/** Whether the prefix has the same `length` units at `a` and at `b`, ignoring case. */
function sameUnits(a: number, b: number, length: number): boolean {
  for (let p = 0; p < length; p++) if (prefix[a + p] !== prefix[b + p] && LOWERCASE[prefix[a + p]] !== LOWERCASE[prefix[b + p]]) return false;
  return true;
}

/**
 * The last four units of word w's key packed into an integer, a byte each ("tion" → 0x74696f6e), so
 * that endings compare as numbers. Units above 0xff count as 0xff, which no ending contains.
 */
function keyTail(w: number): number {
  const end = coreEnd[w];
  const start = coreStart[w];
  if (end - start >= 4) return (tailByte(end - 4) << 24) | (tailByte(end - 3) << 16) | (tailByte(end - 2) << 8) | tailByte(end - 1);
  let tail = 0;
  for (let p = start; p < end; p++) tail = (tail << 8) | tailByte(p);
  return tail;
}

function tailByte(p: number): number {
  const c = LOWERCASE[prefix[p]];
  return c < 0xff ? c : 0xff;
}

/** Whether a keyTail ends with "ing". */
function endsWithIng(tail: number): boolean {
  return (tail & 0xffffff) === 0x696e67;
}

/** "Training", not "Fine-tuning" or "Learning:". */
function isPlainGerund(w: number): boolean {
  if (wordClass[w] !== WordClass.Cap || keyLength(w) < 6 || !endsWithIng(keyTail(w))) return false;
  if (coreStart[w] !== wordStart[w] || coreEnd[w] !== wordEnd[w]) return false;
  for (let p = coreStart[w]; p < coreEnd[w]; p++) if (prefix[p] === HYPHEN) return false;
  return true;
}

const enum Repeats {
  /** words[i] words[i+1] also occur, in that order, in the title words[0..i-1] */
  Bigram = 1,
  /** the first 6 letters of words[i] (all 5 of a five-letter word) begin a title word ("Generating" ~ "Generation") */
  Stem = 2,
}

/** How the abstract's opening words[i] (and words[i+1]) repeat the title words[0..i-1], in one pass. */
function titleRepeats(i: number): number {
  const head = wordHead[i]; // both kinds of repetition start with the same letter
  const length = keyLength(i);
  const stemLength = length < 5 ? 0 : Math.min(length, 6);
  let repeats = 0;
  // Only the earlier words in i's head bucket can share its head.
  for (let j = sameHeadBefore[i]; j >= 0; j = sameHeadBefore[j]) {
    if (wordHead[j] !== head) continue;
    if (j + 1 < i && sameKey(j, i) && sameKey(j + 1, i + 1)) repeats |= Repeats.Bigram;
    if (stemLength > 0 && keyLength(j) >= stemLength && sameUnits(coreStart[j], coreStart[i], stemLength)) {
      repeats |= Repeats.Stem;
    }
  }
  return repeats;
}

/** The classes that count as capitalised (a bit per class). */
const CAPITALISED_CLASSES = (1 << WordClass.Cap) | (1 << WordClass.CapFunction) | (1 << WordClass.Name) |
  (1 << WordClass.CapCompound) | (1 << WordClass.Numeric);

function isCapitalised(cls: WordClass): boolean {
  return ((CAPITALISED_CLASSES >> cls) & 1) !== 0;
}

// ---------------------------------------------------------------------------------------------
// Second stage: the abstract further on (RecurrenceWeights)

/**
 * How much of the abstract past the candidates the second stage reads. Its scan costs ~5 ns a
 * character; cross-validated (`npm run eval`, second stage below a margin of 5), 450, 600, 800,
 * 1,000 and 1,500 characters gave 741 + 8,240, 739 + 8,245, 739 + 8,249, 739 + 8,249 and
 * 740 + 8,254 titles, the hint catching 50 of 79, 55 of 76, 51 of 72, 49 of 72 and 46 of 66
 * misses: 600 for the hint, at two fifths of 1,500's cost.
 */
const RECURRENCE_SCAN_CHARS = 600;
/** The code units it reads, copied at once as the prefix is (copyPrefix). */
const further = new Uint16Array(RECURRENCE_SCAN_CHARS);
const furtherBytes = prefixBytes === undefined ? undefined : Buffer.from(further.buffer, further.byteOffset, further.byteLength);
/**
 * What the second stage looks for further on: the key hashes of the words up to the last candidate
 * and of the pairs either side of each cut, at most 53, in an open-addressing table of 128 slots
 * that stays in the cache (a table of every word further on would not, and costs inserts).
 */
const QUERY_SLOT_BITS = 7;
const QUERY_SLOT_MASK = (1 << QUERY_SLOT_BITS) - 1;
const queryHash = new Int32Array(1 << QUERY_SLOT_BITS);
const queryFlags = new Uint8Array(1 << QUERY_SLOT_BITS);
const enum Query { Used = 1, Found = 2, FoundInLowercase = 4 }
/** A filter of the query words by first unit and length (shapeIndex), cheaper than hashing a word further on. */
const queryShapes = new Uint8Array(1024);

function shapeIndex(head: number, length: number): number {
  return ((head << 5) ^ length) & 1023;
}
/** The query slot of word w's key, and of the pair either side of boundary i. */
const wordQuerySlot = new Uint8Array(MAX_WORDS);
const pairQuerySlot = new Uint8Array(MAX_WORDS + 1);
/**
 * By boundary i: how many of the title words[0..i-1] are content words that occur further on in
 * lowercase, only capitalised, and not at all.
 */
const recurringTitleWords = new Uint8Array(MAX_WORDS + 1);
const recurringTitleNames = new Uint8Array(MAX_WORDS + 1);
const absentTitleWords = new Uint8Array(MAX_WORDS + 1);
/** The second stage's choice, and its margin (rescoreByRecurrence). */
let rescoredBest = 0;
let rescoredMargin = 0;

/** The hash of two neighbouring words' key hashes, in that order. */
function pairHash(first: number, second: number): number {
  const h = Math.imul(first ^ 0x5bd1e995, 0x85ebca6b) ^ second;
  return Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
}

function querySlotOf(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> (32 - QUERY_SLOT_BITS);
}

/** The slot of `hash`, added if new. */
function addQuery(hash: number): number {
  let slot = querySlotOf(hash);
  while (queryFlags[slot] !== 0) {
    if (queryHash[slot] === hash) return slot;
    slot = (slot + 1) & QUERY_SLOT_MASK;
  }
  queryFlags[slot] = Query.Used;
  queryHash[slot] = hash;
  return slot;
}

/** The slot of `hash`, or -1: most words further on are none of the queries, and end at an empty slot. */
function findQuery(hash: number): number {
  for (let slot = querySlotOf(hash); queryFlags[slot] !== 0; slot = (slot + 1) & QUERY_SLOT_MASK) {
    if (queryHash[slot] === hash) return slot;
  }
  return -1;
}

/**
 * Reads the words of text[from, from + RECURRENCE_SCAN_CHARS) and marks which of the words up to
 * lastCandidate, and which pairs at the cuts, occur there (a word's key hashed as wordKeyHash
 * hashes it: its core, lowercase), and whether a word does in lowercase. Returns whether there was
 * a word to read.
 */
function readFurtherWords(text: string, from: number, n: number, lastCandidate: number): boolean {
  const to = Math.min(text.length, from + RECURRENCE_SCAN_CHARS);
  if (to <= from) return false;
  queryFlags.fill(0);
  queryShapes.fill(0);
  const lastWord = Math.min(lastCandidate, n - 1);
  for (let w = 0; w <= lastWord; w++) {
    wordQuerySlot[w] = addQuery(wordKeyHash[w]);
    queryShapes[shapeIndex(LOWERCASE[prefix[coreStart[w]]], keyLength(w))] = 1;
  }
  for (let i = 1; i <= lastCandidate && i < n; i++) pairQuerySlot[i] = addQuery(pairHash(wordKeyHash[i - 1], wordKeyHash[i]));
  if (furtherBytes !== undefined) furtherBytes.write(text.slice(from, to), 0, 2 * (to - from), 'utf16le');
  else for (let p = from; p < to; p++) further[p - from] = text.charCodeAt(p);
  const units = further;
  const kinds = CHAR_KINDS;
  const length = to - from;
  let words = 0;
  let previous = 0;
  let previousSlot = -1; // the previous word's query slot: a pair is looked up only where both words are queries
  let p = 0;
  while (p < length) {
    while (p < length && (units[p] === 32 || charKind(units[p]) === CharKind.Space)) p++;
    if (p === length) break;
    // The word's core: from its first letter or number to its last.
    let coreFrom = -1;
    let coreTo = -1;
    for (; p < length; p++) {
      const c = units[p];
      if (isAsciiLower(c)) { // most characters: a run of them, without a table
        if (coreFrom < 0) coreFrom = p;
        do p++; while (p < length && isAsciiLower(units[p]));
        coreTo = p;
        if (p === length) break;
        p--;
        continue;
      }
      let kind = kinds[c];
      if (kind === UNCLASSIFIED) kind = classifyNonAscii(c);
      if (kind === CharKind.Space) break;
      if (kind !== CharKind.Punctuation) {
        if (coreFrom < 0) coreFrom = p;
        coreTo = p + 1;
      }
    }
    if (coreFrom < 0) { previousSlot = -1; continue; } // no letter or number: no word, and no pair across it
    words++;
    // Most words further on are no query: their first letter and length say so without a hash.
    const head = LOWERCASE[units[coreFrom]];
    if (queryShapes[shapeIndex(head, coreTo - coreFrom)] === 0) { previousSlot = -1; continue; }
    let hash = 0x811c9dc5 | 0;
    for (let q = coreFrom; q < coreTo; q++) hash = Math.imul(hash ^ LOWERCASE[units[q]], 0x01000193);
    const slot = findQuery(hash);
    if (slot >= 0) {
      queryFlags[slot] |= Query.Found | (CHAR_KINDS[units[coreFrom]] === CharKind.Lower ? Query.FoundInLowercase : 0);
      if (previousSlot >= 0) {
        const pair = findQuery(pairHash(previous, hash));
        if (pair >= 0) queryFlags[pair] |= Query.Found;
      }
    }
    previous = hash;
    previousSlot = slot;
  }
  return words > 0;
}

/** Fills recurringTitleWords, recurringTitleNames and absentTitleWords for the boundaries up to lastCandidate. */
function countRecurringTitleWords(lastCandidate: number): void {
  recurringTitleWords[0] = recurringTitleNames[0] = absentTitleWords[0] = 0;
  for (let w = 0; w < lastCandidate; w++) {
    const content = keyLength(w) >= 3 && (wordLists[w] & Lexicon.Function) === 0;
    const flags = content ? queryFlags[wordQuerySlot[w]] : 0;
    recurringTitleWords[w + 1] = recurringTitleWords[w] + ((flags & Query.FoundInLowercase) !== 0 ? 1 : 0);
    recurringTitleNames[w + 1] = recurringTitleNames[w] + ((flags & (Query.Found | Query.FoundInLowercase)) === Query.Found ? 1 : 0);
    absentTitleWords[w + 1] = absentTitleWords[w] + (content && (flags & Query.Found) === 0 ? 1 : 0);
  }
}

/** Whether the words either side of boundary i (i < n) occur together further on. */
function cutRecurs(i: number): boolean {
  return (queryFlags[pairQuerySlot[i]] & Query.Found) !== 0;
}

/**
 * The second stage, once readFurtherWords has read on: each scored candidate's first-stage score
 * plus the weighted cues; sets rescoredBest and rescoredMargin (the new best − the new second).
 */
function rescoreByRecurrence(n: number, lastCandidate: number, weights: RecurrenceWeights): void {
  countRecurringTitleWords(lastCandidate);
  let best = -1;
  let top = -Infinity;
  let second = -Infinity;
  for (let i = 1; i <= lastCandidate; i++) {
    if (scores[i] === -Infinity) continue;
    let score = scores[i] + weights.recurringTitleWord * recurringTitleWords[i] + weights.recurringTitleName * recurringTitleNames[i] +
      weights.absentTitleWord * absentTitleWords[i];
    if (i < n && cutRecurs(i)) score += weights.acrossCut;
    if (score > top) {
      second = top;
      top = score;
      best = i;
    } else if (score > second) {
      second = score;
    }
  }
  rescoredBest = best;
  rescoredMargin = top - second;
}

// ---------------------------------------------------------------------------------------------
// Defined terms: "Large Language Models (LLMs)"

/** Scratch for the letters of an acronym and for the letters and hyphens of a word, lowercase. */
const acronymCapitals = new Uint16Array(MAX_SCAN_CHARS);
const acronymLetters = new Uint16Array(MAX_SCAN_CHARS);
const partUnits = new Uint16Array(MAX_SCAN_CHARS);
/** Whether partUnits[p] was a capital or a digit before lowercasing. */
const partIsCapital = new Uint8Array(MAX_SCAN_CHARS);

/**
 * Finds the defined terms: "Large Language Models (LLMs)" is one unit, typical of an abstract
 * (titles seldom define acronyms), and often its opening. Fills termCuts, termStarts and
 * termNotSubject by boundary.
 */
function definedTerms(n: number): void {
  termCuts.fill(0, 0, n + 1);
  termStarts.fill(0, 0, n + 1);
  termNotSubject.fill(0, 0, n + 1);
  termSubject.fill(0, 0, n + 1);
  for (let k = 1; k < n; k++) {
    // "(LLMs)", or a parenthesised phrase of two words ending in an acronym: "(Video LLMs)".
    const single = wordClass[k] === WordClass.ParenAcronym;
    if (!single && !(k >= 2 && opensTwoWordAcronym(k - 1))) continue;
    const start = single ? definedTermStart(k) : twoWordTermStart(k - 1);
    if (start < 0) continue;
    if (!single) {
      for (let i = start + 1; i <= k; i++) termCuts[i]++;
      termStarts[start] = 1;
      if (subjectVerbFollows(k, n)) termSubject[start] = 1;
      continue;
    }
    for (let i = start + 1; i <= k; i++) termCuts[i]++;
    termStarts[start] = 1;
    // A plural term ("... Models (LLMs)") followed by a singular verb is not the sentence's subject:
    // "Aligning Large Language Models (LLMs) with human values is crucial". The abstract starts earlier.
    if (endsWithPluralParen(k) && (firstAuxiliaryIsSingular(k + 1, n) || isSingularVerbLike(k + 1, n))) termNotSubject[start] = 1;
    else if (subjectVerbFollows(k, n)) termSubject[start] = 1;
  }
}

/**
 * Whether the term that ends with words[k] is followed by a verb that agrees with it in number: a
 * plural term and "have", "are" or a plain verb ("Models (LLMs) exhibit", "(VLMs) still struggle"),
 * a singular one and "is", "has" or a verb in -s ("(CoT) has become", "(RAG) systems suffer"
 * takes the lowercase head "systems" as the term's last word).
 */
function subjectVerbFollows(k: number, n: number): boolean {
  let plural = endsWithPluralParen(k);
  let w = k + 1;
  if (w + 1 < n && isPluralNounLike(w) && wordClass[w] === WordClass.Lower) { plural = true; w++; } // "(VLA) models have"
  if (w + 1 < n && wordClass[w] === WordClass.Lower && (keyTail(w) & 0xffff) === 0x6c79 /* ly */ && coreEnd[w] === wordEnd[w]) w++; // "often", "commonly"
  if (w >= n || coreEnd[w] !== wordEnd[w]) return false;
  const auxiliary = auxiliaryOf(w);
  if (auxiliary !== Auxiliary.None) return (auxiliary === Auxiliary.Plural) === plural;
  if (wordClass[w] !== WordClass.Lower || keyLength(w) < 3) return false;
  const tail = keyTail(w);
  if ((tail & 0xffff) === 0x6564 /* ed */ || endsWithIng(tail)) return false; // participles: no finite verb
  return plural ? (tail & 0xff) !== 115 /* s */ && isFinitePluralVerbLike(w) : isSingularVerbLike(w, n);
}

/** A lowercase word that may be a plural verb: not a function word, and not an adjective or noun by its ending. */
function isFinitePluralVerbLike(w: number): boolean {
  if (wordLists[w] & Lexicon.Function) return false;
  const tail = keyTail(w);
  const three = tail & 0xffffff;
  // -al, -ic, -ive, -ous, -ion, -ity, -ent, -ant: adjectives and nouns ("(LLMs) based", "(VLMs) capable").
  return (tail & 0xffff) !== 0x616c && (tail & 0xffff) !== 0x6963 && three !== 0x697665 && three !== 0x6f7573 &&
    three !== 0x696f6e && three !== 0x697479 && three !== 0x656e74 && three !== 0x616e74 && (tail & 0xffff) !== 0x6c65 /* -le: capable */;
}

/** A word that reads like a plural noun: ends in "s" but not "ss", "us" or "is", at least four letters, nothing after. */
function isPluralNounLike(w: number): boolean {
  if (keyLength(w) < 4 || coreEnd[w] !== wordEnd[w]) return false;
  const tail = keyTail(w) & 0xffff;
  return (tail & 0xff) === 115 /* s */ && tail !== 0x7373 && tail !== 0x7573 && tail !== 0x6973;
}

/** Whether words[w] opens a two-word parenthesised acronym: "(Video" before "LLMs)" or "LLMs),". */
function opensTwoWordAcronym(w: number): boolean {
  if (prefix[wordStart[w]] !== OPEN_PAREN || wordClass[w] !== WordClass.Cap || coreStart[w] !== wordStart[w] + 1) return false;
  const k = w + 1;
  if (wordClass[k] !== WordClass.Name || prefix[wordStart[k]] === OPEN_PAREN) return false;
  let end = wordEnd[k];
  if (isClauseMark(prefix[end - 1])) end--;
  return prefix[end - 1] === CLOSE_PAREN && coreEnd[k] === end - 1;
}

/** The term that "(Video LLMs)" (words[w], words[w + 1]) abbreviates: its initials are V, L, L, M. */
function twoWordTermStart(w: number): number {
  let capitals = 0;
  acronymCapitals[capitals++] = lowerUnit(prefix[coreStart[w]]);
  let end = coreEnd[w + 1];
  if (prefix[end - 1] === 115 /* s */) end--;
  for (let p = coreStart[w + 1]; p < end; p++) {
    const kind = charKind(prefix[p]);
    if (kind === CharKind.Upper || kind === CharKind.Digit) acronymCapitals[capitals++] = lowerUnit(prefix[p]);
  }
  return termStartMatching(w, acronymCapitals, capitals);
}

/** "s)" at the end of the word, perhaps followed by one of ".,;:" */
function endsWithPluralParen(k: number): boolean {
  let end = wordEnd[k];
  if (isClauseMark(prefix[end - 1])) end--;
  return end - wordStart[k] >= 2 && prefix[end - 1] === CLOSE_PAREN && prefix[end - 2] === 115 /* s */;
}

/** Whether words[w] reads like a verb in the third person singular: lowercase, ending in "s" but not "ss" or "us" ("incurs", "remains"). */
function isSingularVerbLike(w: number, n: number): boolean {
  if (w >= n || wordClass[w] !== WordClass.Lower || coreEnd[w] !== wordEnd[w] || keyLength(w) < 4) return false;
  const tail = keyTail(w) & 0xffff;
  return (tail & 0xff) === 115 /* s */ && tail !== 0x7373 /* ss */ && tail !== 0x7573 /* us */;
}

/** Whether the first auxiliary verb of the sentence from words[from] on is singular ("is", "has", "was"). */
function firstAuxiliaryIsSingular(from: number, n: number): boolean {
  for (let j = from; j < n && j < from + 15; j++) {
    const verb = auxiliaryOf(j);
    if (verb === Auxiliary.Singular) return true;
    if (verb === Auxiliary.Plural || sentenceEnd[j] !== SentenceEnd.None) return false;
  }
  return false;
}

/** Index of the first word of the term that the parenthesised acronym words[k] abbreviates, or -1. */
function definedTermStart(k: number): number {
  // Match the capitals ("CoT": Chain of Thought), else all letters ("VrDU": Visually rich Document Understanding).
  let capitals = 0;
  let letters = 0;
  const end = wordEnd[k];
  for (let p = wordStart[k]; p < end; p++) {
    const c = prefix[p];
    if (c === BACKSLASH && p + 1 < end && isAsciiLower(prefix[p + 1])) {
      // A LaTeX command: "(\textbf{RLHF})".
      while (p + 1 < end && isAsciiLower(prefix[p + 1])) p++;
      continue;
    }
    // The closing parenthesis, and the plural "s" before it, end the acronym: "(LLMs)," → "LLM".
    if (c === 115 /* s */ && p + 1 < end && closesWord(p + 1, end)) break;
    if (closesWord(p, end)) break;
    const kind = charKind(c);
    if (!isLetter(kind) && kind !== CharKind.Digit) continue;
    acronymLetters[letters++] = lowerUnit(c);
    if (kind === CharKind.Upper || kind === CharKind.Digit) acronymCapitals[capitals++] = lowerUnit(c);
  }
  const start = termStartMatching(k, acronymCapitals, capitals);
  return start >= 0 || capitals === letters ? start : termStartMatching(k, acronymLetters, letters);
}

/** Whether text[p] is ')' followed by at most one of ".,;:" up to `end`. */
function closesWord(p: number, end: number): boolean {
  return prefix[p] === CLOSE_PAREN && (p + 1 === end || (p + 2 === end && isClauseMark(prefix[p + 1])) || prefix[p + 1] === HYPHEN);
}

/**
 * The first word of a term whose initials, read backwards from words[k-1], spell `letters[0..count)`,
 * or -1. Function words may be skipped ("of" in "Chain of Thought (CoT)").
 */
function termStartMatching(k: number, letters: Uint16Array, count: number): number {
  let need = count - 1; // the last letter not yet matched
  if (need < 1) return -1;
  for (let j = k - 1; j >= 0 && k - j <= count + 3; j--) {
    const length = lettersAndHyphens(j);
    // The hyphen-separated parts of the word, last first.
    let partEnd = length;
    for (let p = length - 1; p >= -1; p--) {
      if (p >= 0 && partUnits[p] !== HYPHEN) continue;
      const partStart = p + 1;
      if (partStart < partEnd) {
        // An all-capitals part stands for all its letters: "XL" in "Stable Diffusion XL (SDXL)".
        const initials = isShortCapitalRun(partStart, partEnd) ? partEnd - partStart : 1;
        if (initials <= need + 1 && sameLetters(letters, need + 1 - initials, partStart, initials)) need -= initials;
        else if (!isFunctionWord(partUnits, partStart, partEnd)) return -1;
        if (need < 0) return j;
      }
      partEnd = p;
    }
  }
  return -1;
}

/** Copies the letters, numbers and hyphens of words[j], lowercase, to partUnits; returns how many. */
function lettersAndHyphens(j: number): number {
  let length = 0;
  for (let p = wordStart[j]; p < wordEnd[j]; p++) {
    const c = prefix[p];
    const kind = charKind(c);
    if (kind === CharKind.Punctuation && c !== HYPHEN) continue;
    partIsCapital[length] = kind === CharKind.Upper || kind === CharKind.Digit ? 1 : 0;
    partUnits[length++] = lowerUnit(c);
  }
  return length;
}

/** Two to four capitals or digits: "XL", "3D". */
function isShortCapitalRun(from: number, to: number): boolean {
  if (to - from < 2 || to - from > 4) return false;
  for (let p = from; p < to; p++) if (partIsCapital[p] === 0) return false;
  return true;
}

function sameLetters(letters: Uint16Array, from: number, partStart: number, length: number): boolean {
  for (let p = 0; p < length; p++) if (letters[from + p] !== partUnits[partStart + p]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Tokenizing

/** What the scan of a word notes about its core (the word without surrounding punctuation). */
const enum Shape {
  HasUpper = 1,
  HasDigit = 2,
  /** a capital inside a hyphen-separated part: "LLMs", "Cosmos-LLaVA" */
  InnerUpper = 4,
  /** a hyphen part that starts in lowercase: "Fine-tuning", but also "Text-to-Image" (checked later) */
  LowercasePart = 8,
  /** the first letter (digits skipped) is a capital */
  FirstLetterUpper = 16,
  FirstLetterLower = 32,
  /** a first letter has been seen (it may be uncased) */
  FirstLetterSeen = 64,
}

/**
 * Reads the first words of `text` into the word arrays, never past MAX_SCAN_CHARS, and returns how
 * many there are. Each character is visited once: the scan copies it to `prefix`, finds the word's
 * end, and notes the shape of its core for classifyWord.
 */
function tokenizePrefix(text: string): number {
  const length = text.length;
  const limit = length < MAX_SCAN_CHARS ? length : MAX_SCAN_CHARS;
  copyPrefix(text, limit);
  // Local names for the tables read in the loops: V8 then checks them once, not at every character.
  const units = prefix;
  const kinds = CHAR_KINDS;
  headLast.fill(-1);
  titleCaseProduct[0] = sentenceCaseProduct[0] = 1;
  titleCaseSum[0] = sentenceCaseSum[0] = abstractSum[0] = 0;
  periodCount[0] = questionCount[0] = clauseOpenerCount[0] = acronymCount[0] = 0;
  const { abstractLogP, titleCaseLogP, sentenceCaseLogP, titleCaseP, sentenceCaseP } = model;
  let n = 0;
  let pos = 0;
  let forcesCapital = false; // whether the previous word ends a sentence, or is a colon or a dash
  let row = UNSCORED_ROW; // of the flat tables, for this word: by the previous word's case, unless its capital is forced
  while (n < MAX_WORDS && pos < limit) {
    let c = units[pos];
    let kind = kinds[c];
    if (kind === UNCLASSIFIED) kind = classifyNonAscii(c);
    if (kind === CharKind.Space) { // more than one space between words
      pos++;
      continue;
    }
    const start = pos;
    let from = -1; // the core, text[from, to)
    let to = -1;
    let shape = 0;
    let afterHyphen = false;
    for (;;) { // each character once: c = text[pos], of the given (classified) kind
      if (kind === CharKind.Lower && !afterHyphen && (shape & Shape.FirstLetterSeen) !== 0) {
        to = pos + 1; // a lowercase letter that continues a run, other than ASCII (below)
      } else if (kind !== CharKind.Punctuation) {
        const partStart = from < 0 || afterHyphen;
        if (from < 0) from = pos;
        to = pos + 1;
        if (kind === CharKind.Upper) shape |= partStart ? Shape.HasUpper : Shape.HasUpper | Shape.InnerUpper;
        else if (kind === CharKind.Digit) shape |= Shape.HasDigit;
        else if (kind === CharKind.Lower && partStart && pos !== from) shape |= Shape.LowercasePart;
        if ((shape & Shape.FirstLetterSeen) === 0 && kind !== CharKind.Digit) {
          shape |= Shape.FirstLetterSeen |
            (kind === CharKind.Upper ? Shape.FirstLetterUpper : kind === CharKind.Lower ? Shape.FirstLetterLower : 0);
        }
      }
      afterHyphen = c === HYPHEN;
      if (++pos === limit) break;
      c = units[pos];
      if (isAsciiLower(c) && !afterHyphen && (shape & Shape.FirstLetterSeen) !== 0) {
        // Most characters continue a lowercase run, which changes nothing but the core's end: a
        // tight loop for them, which tells ASCII letters by their code (any other lowercase letter
        // takes the way above).
        do {
          if (++pos === limit) break;
          c = units[pos];
        } while (isAsciiLower(c));
        to = pos;
        if (pos === limit) break;
      }
      kind = kinds[c];
      if (kind === UNCLASSIFIED) kind = classifyNonAscii(c);
      if (kind === CharKind.Space) break;
    }
    // A word cut by the scan limit is incomplete: leave it out.
    if (pos === limit && limit < length && !isSpace(text.charCodeAt(pos))) break;
    if (from < 0) from = to = start; // no letter or number at all: an empty core
    wordStart[n] = start;
    wordEnd[n] = pos;
    coreStart[n] = from;
    coreEnd[n] = to;
    const last = units[pos - 1];
    wordLast[n] = last;
    // Chain the words by the first unit of their key (for titleRepeats), through a small bucket table.
    const head = LOWERCASE[units[from]];
    wordHead[n] = head;
    const bucket = head & HEAD_BUCKET_MASK;
    sameHeadBefore[n] = headLast[bucket];
    headLast[bucket] = n;
    const lists = LEXICON.ofPrefix(from, to);
    wordLists[n] = lists;
    const cls = classifyWord(start, pos, from, to, shape, lists);
    wordClass[n] = cls;
    const end = sentenceEndOf(pos, from, to, last, lists);
    sentenceEnd[n] = end;
    afterBreak[n] = n === 0 || forcesCapital ? 1 : 0;
    let keyHash = 0x811c9dc5 | 0;
    for (let p = from; p < to; p++) keyHash = Math.imul(keyHash ^ LOWERCASE[units[p]], 0x01000193);
    wordKeyHash[n] = keyHash;
    wordRow[n] = row;
    // The prefix sums (for the title, also products) of each region's likelihood and penalties, so
    // that every candidate boundary costs O(1).
    const k = row + cls;
    abstractSum[n + 1] = abstractSum[n] + abstractLogP[k];
    titleCaseSum[n + 1] = titleCaseSum[n] + titleCaseLogP[k];
    sentenceCaseSum[n + 1] = sentenceCaseSum[n] + sentenceCaseLogP[k];
    titleCaseProduct[n + 1] = titleCaseProduct[n] * titleCaseP[k];
    sentenceCaseProduct[n + 1] = sentenceCaseProduct[n] * sentenceCaseP[k];
    periodCount[n + 1] = periodCount[n] + (end === SentenceEnd.Period ? 1 : 0);
    questionCount[n + 1] = questionCount[n] + (end === SentenceEnd.Question ? 1 : 0);
    clauseOpenerCount[n + 1] = clauseOpenerCount[n] + (n > 0 && (lists & Lexicon.ClauseOpener) !== 0 ? 1 : 0);
    acronymCount[n + 1] = acronymCount[n] + (cls === WordClass.ParenAcronym ? 1 : 0);
    forcesCapital = end !== SentenceEnd.None || last === COLON ||
      (pos - start === 1 && (last === HYPHEN || last === 0x2013 || last === 0x2014 || last === 124 /* | */));
    row = forcesCapital ? UNSCORED_ROW : isCapitalised(cls) ? AFTER_CAPITALISED_ROW : 0;
    n++;
    pos++; // the space that ended the word
  }
  return n;
}

/** The class of the word text[start, end) with the core text[from, to), of the given Shape and Lexicon lists. */
function classifyWord(start: number, end: number, from: number, to: number, shape: number, lists: number): WordClass {
  if (prefix[start] === OPEN_PAREN && isParenAcronym(start, end)) return WordClass.ParenAcronym;
  if ((shape & (Shape.FirstLetterUpper | Shape.FirstLetterLower)) === 0) return WordClass.Other; // no cased letter
  if (CHAR_KINDS[prefix[from]] === CharKind.Digit) return WordClass.Numeric;
  if (shape & Shape.FirstLetterLower) {
    if (shape & (Shape.HasUpper | Shape.HasDigit)) return WordClass.Name; // "iPhone", "v2"
    return lists & Lexicon.Function ? WordClass.LowerFunction : WordClass.Lower;
  }
  if (shape & (Shape.HasDigit | Shape.InnerUpper)) return WordClass.Name;
  if ((shape & Shape.LowercasePart) && hasLowercaseContentPart(from, to)) return WordClass.CapCompound;
  return lists & Lexicon.Function ? WordClass.CapFunction : WordClass.Cap;
}

/** Whether a hyphen part after the first starts in lowercase and is not a function word: "Fine-tuning", not "Text-to-Image". */
function hasLowercaseContentPart(from: number, to: number): boolean {
  for (let p = from + 1; p < to; p++) {
    if (prefix[p - 1] !== HYPHEN || CHAR_KINDS[prefix[p]] !== CharKind.Lower) continue;
    let end = p;
    while (end < to && prefix[end] !== HYPHEN) end++;
    if ((LEXICON.ofPrefix(p, end) & Lexicon.Function) === 0) return true;
  }
  return false;
}

/** What isParenAcronym expects next. */
const enum Expect { Open, First, Body, Close, Suffix, End }

/**
 * "(LLMs)", "(3DGS),", "(\textbf{RLHF})": once LaTeX commands and braces are dropped, a capital or
 * digit, then letters, digits and hyphens with at least one more capital, in parentheses, perhaps with a suffix ("(DiT)-based").
 */
function isParenAcronym(start: number, end: number): boolean {
  let state = Expect.Open;
  let bodyHasUpper = false;
  for (let p = start; p < end; p++) {
    const c = prefix[p];
    if (c === 123 /* { */ || c === 125 /* } */) continue;
    if (c === BACKSLASH && p + 1 < end && isAsciiLower(prefix[p + 1])) {
      while (p + 1 < end && isAsciiLower(prefix[p + 1])) p++;
      continue;
    }
    const kind = charKind(c);
    switch (state) {
      case Expect.Open:
        if (c !== OPEN_PAREN) return false;
        state = Expect.First;
        break;
      case Expect.First:
        if (kind !== CharKind.Upper && kind !== CharKind.Digit) return false;
        state = Expect.Body;
        break;
      case Expect.Body:
        if (c === CLOSE_PAREN) {
          if (!bodyHasUpper) return false;
          state = Expect.Close;
        } else if (kind === CharKind.Upper) {
          bodyHasUpper = true;
        } else if (!isLetter(kind) && kind !== CharKind.Digit && c !== HYPHEN) {
          return false;
        }
        break;
      case Expect.Close:
        if (c === HYPHEN) { state = Expect.Suffix; break; } // "(DiT)-based"
        if (!isClauseMark(c)) return false;
        state = Expect.End;
        break;
      case Expect.Suffix:
        if (isClauseMark(c)) state = Expect.End;
        else if (kind !== CharKind.Lower && c !== HYPHEN) return false;
        break;
      default:
        return false;
    }
  }
  return state === Expect.Close || state === Expect.End || (state === Expect.Suffix && prefix[end - 1] !== HYPHEN);
}

/**
 * Whether the word ending at `end`, with the core text[from, to), the last unit `last` and the
 * Lexicon lists `lists`, ends a sentence: with '?' or '!', or with a period that is not an abbreviation's.
 */
function sentenceEndOf(end: number, from: number, to: number, last: number, lists: number): SentenceEnd {
  if (last === 63 /* ? */ || last === 33 /* ! */) return SentenceEnd.Question;
  if (last !== PERIOD || to === from) return SentenceEnd.None;
  // The word up to its final period, without leading punctuation: "(et al." → "al".
  const bodyStart = from;
  const bodyEnd = end - 1;
  // "U.S.", "v2.5." and "et al." do not end sentences.
  if (bodyEnd - bodyStart < 2) return SentenceEnd.None;
  // (A body with punctuation after the core, "al)", is no abbreviation.)
  if (bodyEnd === to && (lists & Lexicon.Abbreviation) !== 0) return SentenceEnd.None;
  for (let p = bodyStart; p < bodyEnd; p++) if (prefix[p] === PERIOD) return SentenceEnd.None;
  return SentenceEnd.Period;
}

/** Whether word w is "is" / "has" / "was" or "are" / "have" / "were", exactly as written. */
function auxiliaryOf(w: number): Auxiliary {
  const start = wordStart[w];
  const end = wordEnd[w];
  const length = end - start;
  if (length < 2 || length > 4) return Auxiliary.None;
  switch (prefix[start]) { // most words are ruled out by their first letter
    case 105 /* i */: return textIs(start, end, 'is') ? Auxiliary.Singular : Auxiliary.None;
    case 104 /* h */:
      return textIs(start, end, 'has') ? Auxiliary.Singular : textIs(start, end, 'have') ? Auxiliary.Plural : Auxiliary.None;
    case 119 /* w */:
      return textIs(start, end, 'was') ? Auxiliary.Singular : textIs(start, end, 'were') ? Auxiliary.Plural : Auxiliary.None;
    case 97 /* a */: return textIs(start, end, 'are') ? Auxiliary.Plural : Auxiliary.None;
    default: return Auxiliary.None;
  }
}

/** Whether the text from `start` to `end` reads `word`, case-sensitively. */
function textIs(start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let p = 0; p < word.length; p++) if (prefix[start + p] !== word.charCodeAt(p)) return false;
  return true;
}

/**
 * Whether non-space text follows `from`, the end of the last word read. The scan for it stops
 * MAX_SCAN_CHARS past the scanned prefix: a longer run of spaces is not worth reading, and then
 * whatever follows counts as more text.
 */
function hasMoreWords(text: string, from: number): boolean {
  const stop = Math.min(text.length, 2 * MAX_SCAN_CHARS);
  for (let j = from; j < stop; j++) if (!isSpace(text.charCodeAt(j))) return true;
  return stop < text.length;
}
