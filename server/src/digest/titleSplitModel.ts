/**
 * The title split's word lists: closed classes of English that titleSplit.ts's features refer to
 * (function words, abstract openers, abbreviations, clause openers), written out rather than
 * fitted. Everything fitted (the word-class tables, the feature weights, the words learned from
 * the corpora, the confidence curve) is in titleSplitModel.json, which `npm run fit`
 * (scripts/fit-title-split.ts) writes.
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
