/**
 * The title split's model: everything titleSplit.ts knows about titles and abstracts that was
 * fitted to real listings rather than reasoned out. Data only; the algorithm that reads it is
 * titleSplit.ts.
 *
 * Fitted on test/fixtures/hf-papers-2024.txt, 746 papers of Hugging Face Papers with their true
 * titles in hf-papers-2024.truth.jsonl: the word-class tables were estimated on its even lines
 * (373 papers, add-½ smoothing); the word lists, cue weights, ending scores, thresholds and the
 * confidence curve were set against `npm run eval`, which splits all 746 and the sample
 * (test/fixtures/tulu-search.txt, 25 papers of a search, titles in tulu-search.titles.json).
 * Changing a number here changes splits: run `npm run eval` (734/746 and 25/25 when this was
 * written).
 */

// ---------------------------------------------------------------------------------------------
// Word lists (lowercase, space-separated; see Lexicon in titleSplit.ts for what each list does)

/** Closed-class words: Title Case leaves them lowercase, and a title does not end in one. */
export const FUNCTION_WORDS =
  'a an the of for and or nor but to in on at by with via from into onto over under as vs versus ' +
  'through without within across toward towards beyond between among amongst upon per about after ' +
  'before against than is are be been was were its their our your his her it this that these those ' +
  'which who what when where how why we can could do does not up out off';

/** Words that typically open an abstract's first sentence but rarely sit inside a title. */
export const OPENER_WORDS =
  'we our this these in recent recently despite although though while existing current currently ' +
  'there it here most many given since nowadays typically traditionally traditional conventional ' +
  "previous prior modern today today's due however";

/** Abbreviations whose final period does not end a sentence ("et al."). */
export const ABBREVIATIONS = 'al vs etc fig eq approx cf no dr mr st';

/** Conjunctions and sentence adverbs that open a clause: in no title of the corpus after its first word. */
export const CLAUSE_OPENERS =
  'although though while whereas despite since however nevertheless moreover furthermore recently ' +
  'currently nowadays typically traditionally';

// ---------------------------------------------------------------------------------------------
// Word classes by region

// log P(word class) by region, estimated on the even lines of the HF corpus (add-½ smoothing).
// Rows: [after a lowercase/uncased word, after a capitalised word]; columns: WordClass.
// Words right after a colon or a sentence end are not scored: their capital is forced.
/** In a Title Case title ("Scaling Laws for Linear Complexity Language Models"). */
export const LOGP_TITLE_CASE = [
  [-5.0, -3.43, -0.21, -4.46, -2.72, -6.86, -5.76, -3.36, -3.2],
  [-5.5, -1.44, -0.38, -3.9, -3.46, -8.24, -5.53, -4.48, -4.39],
];
/** In a sentence-case title ("Dynamical properties of a small ... network of neurons in discrete time"). */
export const LOGP_SENTENCE_CASE = [
  [-0.58, -1.43, -1.87, -5.09, -4.0, -5.09, -5.09, -5.09, -5.09],
  [-1.19, -1.75, -0.98, -4.69, -2.75, -4.69, -3.59, -3.59, -4.69],
];
/** In an abstract, from its third word on. */
export const LOGP_ABSTRACT = [
  [-0.45, -1.2, -4.25, -7.58, -3.76, -4.95, -5.34, -7.7, -4.9],
  [-0.78, -1.26, -1.82, -7.22, -3.87, -2.82, -4.65, -6.12, -5.18],
];
/** The abstract's first word: a capital, never lowercase, never "(LLMs)". */
export const LOGP_ABSTRACT_FIRST = [-10, -10, -0.82, -0.81, -5.02, -12, -6.63, -2.39, -4.68];
/** The abstract's second word after a capitalised first word: one capital rarely follows another here. */
export const LOGP_ABSTRACT_SECOND = [-0.31, -1.83, -2.73, -6.63, -4.68, -5.53, -6.63, -6.63, -3.79];
/** Share of titles in sentence case: 6%. */
export const SENTENCE_CASE_SHARE = 0.06;
export const TITLE_CASE_SHARE = 0.94;

// ---------------------------------------------------------------------------------------------
// Boundary cues and the confidence

/** Weights of the boundary cues, in log-likelihood units. */
export const enum Cue {
  /** per sentence-ending period inside the title: a title is not several sentences */
  periodInTitle = 12,
  /** per '?' or '!' inside the title: rare ("Can Mamba Learn How to Learn? A Comparative Study") */
  questionInTitle = 2,
  /**
   * per clause opener inside the title, after its first word: "... Bootstrapping While", "... Although
   * Language Models"; in none of the corpus titles
   */
  clauseOpenerInTitle = 4,
  /** title ends with ':', '-', a dash or '|': the subtitle follows */
  titleEndsInColon = 6,
  /** title ends in a function word ("... for") */
  titleEndsInFunctionWord = 4,
  /** title ends in ',' or ';' */
  titleEndsInComma = 3,
  /** title ends in '?' or '!': a question title is complete */
  titleEndsInQuestion = 2,
  /** abstract's first word is an opener ("We", "Recent", "Despite") */
  abstractOpener = 3,
  /** abstract repeats the name the title starts with ("Xmodel-2 Technical Report Xmodel-2 is") */
  repeatsName = 3,
  /** abstract opens by repeating two consecutive title words */
  repeatsTitleBigram = 1,
  /** last title word repeated as first abstract word ("Using Language Language provides") */
  repeatsLastWord = 3,
  /** abstract's first word ends with '?' / '!' / ':' */
  firstWordEndsInQuestion = 5,
  firstWordEndsInColon = 3,
  /** one-word subject and verb: "Transformers have ..." */
  subjectVerb = 1,
  /** gerund with a capitalised object: "Training Large Language Models (LLMs) ..." */
  gerundWithObject = 1,
  /**
   * gerund with a lowercase object: "Deploying robots in open-ended ..." – in the corpus half the tables
   * come from, a sentence opening more often than not
   */
  gerundWithLowercaseObject = 2,
  /** abstract's first word shares a stem with a title word ("... Under Compression Compressing high-capability ...") */
  repeatsTitleStem = 1.5,
  /** cutting a defined term from its acronym ("Large | Language Models (LLMs)") */
  splitsDefinedTerm = 8,
  /** starting the abstract at a plural defined term that a singular verb shows is not the subject */
  termIsNotSubject = 3,
  /** no abstract at all */
  noAbstract = 3,
  /** very short titles are rare */
  oneWordTitle = 1.5,
  twoWordTitle = 0.7,
  /** per word², beyond LONG_TITLE_WORDS */
  longTitle = 0.06,
}
/** Titles longer than this many words pay Cue.longTitle per word² beyond it. */
export const LONG_TITLE_WORDS = 15;
/** Confidence is 0.5 where the best boundary is e^1.2 ≈ 3.3 times as likely as all others together. */
export const CONFIDENCE_MIDPOINT = 1.2;
/** How steeply the confidence rises with the log-odds of the best boundary. */
export const CONFIDENCE_SLOPE = 1.5;

// ---------------------------------------------------------------------------------------------
// Title endings

export const PLURAL_ENDING = 1.49;
export const ADJECTIVE_ENDING = -2.41;
export const NOUN_ENDING = -0.22;
export const OTHER_ENDING = -0.75;
/**
 * Title endings and their scores: log P(ending | last title word) − log P(ending | other title
 * word), from the corpus. Titles end in nouns (plurals, "-tion"), rarely in adjectives ("Large",
 * "Automatic", "Visual"). A word takes the score of its longest listed ending, or OTHER_ENDING.
 */
export const ENDINGS: Array<[ending: string, score: number]> = [
  // Also "-ous", "-less", "-ness": not worth telling apart.
  ['ss', OTHER_ENDING], ['s', PLURAL_ENDING],
  // "-sion" is often a modifier: "Diffusion Models", "Vision Transformer".
  ['tion', 1.04], ['sion', -0.13],
  ['ing', 0.3],
  ['al', ADJECTIVE_ENDING], ['ful', ADJECTIVE_ENDING], ['ic', ADJECTIVE_ENDING], ['ed', ADJECTIVE_ENDING],
  ['ent', ADJECTIVE_ENDING], ['ant', ADJECTIVE_ENDING], // also "-ment"
  ['ive', ADJECTIVE_ENDING], ['able', ADJECTIVE_ENDING], ['ible', ADJECTIVE_ENDING],
  ['ance', NOUN_ENDING], ['ence', NOUN_ENDING], ['ure', NOUN_ENDING],
  ['ar', ADJECTIVE_ENDING], ['er', NOUN_ENDING], ['or', NOUN_ENDING],
  ['ary', ADJECTIVE_ENDING], ['ity', NOUN_ENDING], ['ism', NOUN_ENDING],
];
