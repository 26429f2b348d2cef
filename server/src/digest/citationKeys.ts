/**
 * Citation keys. A key is derived from the paper alone (its title and year), so it is the same
 * every time the line is read and does not move when other entries are added, removed or
 * reordered. Rule:
 *
 * 1. The name: when the title starts with a short name before a colon (`FIPO: ...`,
 *    `Baichuan 2: ...`, at most three words), that name; otherwise the first three significant
 *    words of the title (articles, prepositions and similar words are skipped).
 * 2. Each word is lower-cased and stripped of diacritics and of everything but letters, digits and
 *    inner hyphens (a word with Latin letters or digits keeps only those, so `PanGu-π` gives
 *    `pangu`); the words are joined by `-`, and the year follows (after a `-` when the name ends in
 *    a digit): `fipo2024`, `maxmin-rlhf2024`, `baichuan-2-2023`, `zero-bubble-pipeline2023`.
 * 3. Only when two different papers would get the same key, each of them gets `-` and four
 *    characters from a hash of its own title: `large-language-models2024-k3fz`.
 *
 * Every key begins with a letter or digit and holds only letters, digits and internal `-`, so it
 * is a valid Pandoc citation key that needs no braces.
 */
import { foldedWords, foldText, shortHash } from '../shared/text';

const INSIGNIFICANT_WORDS = new Set([
  'a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'or', 'with', 'via', 'by', 'at', 'from',
  'towards', 'toward', 'into', 'onto', 'as', 'is', 'are', 'be', 'do', 'does', 'can', 'how', 'what',
  'why', 'when', 'which', 'who', 'we', 'our', 'your', 'its', 'it', 'this', 'that', 'not', 'no',
  'about', 'through', 'beyond', 'under', 'over', 'between', 'without', 'using',
]);

const NAME_WORDS = 3;
const TITLE_WORDS = 3;

/** A title word as it appears in a key: `MaxMin-RLHF` gives `maxmin-rlhf`, `PanGu-π` gives `pangu`. */
function keyWord(word: string): string {
  const parts = foldText(word).split(/[-\u2010\u2011\u2013]+/).map((part) => part.replace(/[^\p{L}\p{N}]+/gu, ''));
  const latin = parts.some((part) => /[a-z0-9]/.test(part));
  return parts.map((part) => (latin ? part.replace(/[^a-z0-9]+/g, '') : part)).filter(Boolean).join('-');
}

function keyWordsOf(text: string): string[] {
  return text.split(/\s+/).map(keyWord).filter(Boolean);
}

/** The words a key is made of, before the year. */
export function keyWords(title: string): string[] {
  const colon = title.indexOf(':');
  if (colon > 0) {
    const nameWords = keyWordsOf(title.slice(0, colon));
    if (nameWords.length >= 1 && nameWords.length <= NAME_WORDS) {
      const significant = nameWords.filter((w) => !INSIGNIFICANT_WORDS.has(w));
      return significant.length > 0 ? significant : nameWords;
    }
  }
  const words = keyWordsOf(title);
  const significant = words.filter((w) => !INSIGNIFICANT_WORDS.has(w));
  return (significant.length > 0 ? significant : words).slice(0, TITLE_WORDS);
}

/** A version written after a title, `(v2)`, `[v3]`, `(Version 2)`: the same paper, so no part of its key or identity. */
const VERSION_SUFFIX = /\s*[([](?:v|version\s*)\d+(?:\.\d+)?[)\]]$/i;

/** The title without a version suffix; most titles end otherwise, which one char code tells. */
function withoutVersionSuffix(title: string): string {
  const last = title.charCodeAt(title.length - 1);
  if (last !== 0x29 && last !== 0x5d) return title;
  return title.replace(VERSION_SUFFIX, '') || title;
}

/** The key a paper gets when no other paper competes for it. */
export function baseKey(given: string, year: number): string {
  const title = withoutVersionSuffix(given);
  return asciiBaseKey(title, title.toLowerCase(), year) ?? generalBaseKey(title, year);
}

/**
 * What makes two entries the same paper: the folded title words and the year, a version suffix
 * (`(v2)`) left out. The same paper pasted into two digests (with other upvote counts, say) is one
 * paper with two locations.
 */
export function paperIdentity(given: string, year: number): string {
  const title = withoutVersionSuffix(given);
  const words = asciiIdentityWords(title.toLowerCase());
  return words !== undefined ? `${words}|${year}` : generalPaperIdentity(title, year);
}

/**
 * {@link baseKey} and {@link paperIdentity} of one paper at once: indexing needs both for every
 * paper, and this lower-cases the title only once.
 */
export function paperKeyParts(given: string, year: number): { baseKey: string; identity: string } {
  const title = withoutVersionSuffix(given);
  const lower = title.toLowerCase();
  const words = asciiIdentityWords(lower);
  return {
    baseKey: asciiBaseKey(title, lower, year) ?? generalBaseKey(title, year),
    identity: words !== undefined ? `${words}|${year}` : generalPaperIdentity(title, year),
  };
}

/**
 * A key a person may pin on an entry (`key: tulu2023`) or rename a paper to: one that Pandoc reads
 * without braces and LaTeX without escapes, so it cites the same in every note. Letters, digits
 * and `_`, with `-`, `:`, `.`, `+` or `/` only between them.
 */
export function isValidPinnedKey(key: string): boolean {
  return key.length <= 200 && /^[\p{L}\p{N}_]+(?:[-:.+/][\p{L}\p{N}_]+)*$/u.test(key);
}

/** The key of a paper whose base key is shared with other papers. */
export function disambiguatedKey(base: string, identity: string): string {
  return `${base}-${shortHash(identity)}`;
}

/** {@link baseKey} by the rule as written, for any title; the ASCII scans below must agree with it. */
function generalBaseKey(title: string, year: number): string {
  const words = keyWords(title);
  // A title with no letters or digits at all still needs a readable, stable key.
  const name = words.length > 0 ? words.join('-') : `paper-${shortHash(title)}`;
  return /\d$/.test(name) ? `${name}-${year}` : `${name}${year}`;
}

function generalPaperIdentity(title: string, year: number): string {
  return `${foldedWords(title).join(' ')}|${year}`;
}

// Fast paths. The general code above runs once per paper when a large workspace is indexed, and
// its regular expressions and per-word arrays dominated that. Nearly every title is plain ASCII,
// where folding is only lower-casing (which keeps every character where it was) and the letters
// and digits are just [A-Za-z0-9], so the scans below read ASCII by char code and give up at the
// first non-ASCII character they meet, leaving the title to the general code. They must give
// exactly what the general code gives: a changed key or identity would rename or split papers
// people already cite.

/** Character classes: what `\s`, `\p{L}\p{N}` and the hyphen split see in ASCII. */
const OTHER = 0;
const WORD = 1;
const SPACE = 2;
const HYPHEN = 3;
const NON_ASCII = 4;
/** The class of every UTF-16 code unit, so the scans need no range check before the look-up. */
const CHAR_CLASS = new Uint8Array(0x10000).fill(NON_ASCII).fill(OTHER, 0, 0x80);
CHAR_CLASS.fill(WORD, 0x30, 0x3a).fill(WORD, 0x41, 0x5b).fill(WORD, 0x61, 0x7b);
// `\s` in ASCII: tab, line feed, vertical tab, form feed, carriage return and space.
CHAR_CLASS.fill(SPACE, 0x09, 0x0e);
CHAR_CLASS[0x20] = SPACE;
CHAR_CLASS[0x2d] = HYPHEN;

/** Longer words cannot be insignificant, which spares most words the set look-up. */
const LONGEST_INSIGNIFICANT = Math.max(...[...INSIGNIFICANT_WORDS].map((word) => word.length));

function isSignificant(word: string): boolean {
  return word.length > LONGEST_INSIGNIFICANT || !INSIGNIFICANT_WORDS.has(word);
}

/** Where the token read by the last {@link asciiKeyWordAt} ended (its second return value). */
let tokenEnd = 0;

/**
 * {@link keyWord} of the whitespace-separated token of `title` that starts at or after `start`
 * and ends by `end`: its letters and digits, lower-cased (sliced from `lower`, the same up to
 * there), with one `-` where hyphens stood between them. '' for a token without letters or
 * digits; undefined when no token is left; null at a non-ASCII character.
 */
function asciiKeyWordAt(title: string, lower: string, start: number, end: number): string | undefined | null {
  let i = start;
  while (i < end && CHAR_CLASS[title.charCodeAt(i)] === SPACE) i++;
  if (i >= end) return undefined;
  let word = '';
  let hyphen = false;
  while (i < end) {
    const cls = CHAR_CLASS[title.charCodeAt(i)];
    if (cls === WORD) {
      const run = i++;
      while (i < end && CHAR_CLASS[title.charCodeAt(i)] === WORD) i++;
      // Hyphens join only parts that both keep something: `-a-` gives `a`, `a-.-b` gives `a-b`.
      if (word === '') word = lower.slice(run, i);
      else word = hyphen ? `${word}-${lower.slice(run, i)}` : word + lower.slice(run, i);
      hyphen = false;
      continue;
    }
    if (cls === SPACE) break;
    if (cls === NON_ASCII) return null;
    if (cls === HYPHEN) hyphen = true;
    i++;
  }
  tokenEnd = i;
  return word;
}

/**
 * {@link generalBaseKey}, or undefined when a non-ASCII character comes before the words the key
 * takes; `lower` is the title lower-cased. The general code folds each word on its own, so what
 * follows those words cannot change the key.
 */
function asciiBaseKey(title: string, lower: string, year: number): string | undefined {
  let name = asciiColonName(title, lower);
  if (name === null) return undefined;
  if (name === undefined) {
    // The first significant words, or the first words when every word is insignificant (only
    // then are those needed, and they all come before the first significant word).
    let significant = '';
    let significantCount = 0;
    let first = '';
    let firstCount = 0;
    for (let pos = 0; significantCount < TITLE_WORDS;) {
      const word = asciiKeyWordAt(title, lower, pos, title.length);
      if (word === undefined) break;
      if (word === null) return undefined;
      pos = tokenEnd;
      if (word === '') continue;
      if (isSignificant(word)) {
        significant = significantCount === 0 ? word : `${significant}-${word}`;
        significantCount++;
      } else if (significantCount === 0 && firstCount < TITLE_WORDS) {
        first = firstCount === 0 ? word : `${first}-${word}`;
        firstCount++;
      }
    }
    name = significantCount > 0 ? significant : first;
  }
  // Reached only after reading the whole title, so it is all ASCII.
  if (name === '') name = `paper-${shortHash(title)}`;
  const last = name.charCodeAt(name.length - 1);
  return last >= 0x30 && last <= 0x39 ? `${name}-${year}` : `${name}${year}`;
}

/**
 * The short name before the first colon: undefined when there is none (no colon, or no words or
 * too many before it), null when a non-ASCII character comes first.
 */
function asciiColonName(title: string, lower: string): string | undefined | null {
  const colon = title.indexOf(':');
  if (colon <= 0) return undefined;
  let count = 0;
  let significant = '';
  let significantCount = 0;
  let all = ''; // needed only while no word is significant
  for (let pos = 0; ;) {
    const word = asciiKeyWordAt(title, lower, pos, colon);
    if (word === undefined) break;
    if (word === null) return null;
    pos = tokenEnd;
    if (word === '') continue;
    // More words can only follow, so the name is already too long.
    if (count === NAME_WORDS) return undefined;
    count++;
    if (isSignificant(word)) {
      significant = significantCount === 0 ? word : `${significant}-${word}`;
      significantCount++;
    } else if (significantCount === 0) {
      all = all === '' ? word : `${all}-${word}`;
    }
  }
  if (count === 0) return undefined;
  return significantCount > 0 ? significant : all;
}

/**
 * `foldedWords(title).join(' ')` given the lower-cased title, or undefined when that has non-ASCII
 * characters (foldText folds further only then). Copies unchanged stretches (words and the single
 * spaces between them) whole rather than word by word.
 */
function asciiIdentityWords(lower: string): string | undefined {
  const length = lower.length;
  let out = '';
  let stretch = -1; // start of the stretch of `lower` still to be copied to `out`
  let space = false; // whether a space must precede the next word
  let i = 0;
  while (i < length) {
    const c = lower.charCodeAt(i);
    const cls = CHAR_CLASS[c];
    if (cls === WORD) {
      if (stretch < 0) {
        if (!space) stretch = i;
        else if (lower.charCodeAt(i - 1) === 0x20) stretch = i - 1;
        else {
          out += ' ';
          stretch = i;
        }
        space = false;
      }
      i++;
      while (i < length && CHAR_CLASS[lower.charCodeAt(i)] === WORD) i++;
      continue;
    }
    if (cls === SPACE) {
      // One space between two words is copied with them.
      if (stretch >= 0 && !(c === 0x20 && i + 1 < length && CHAR_CLASS[lower.charCodeAt(i + 1)] === WORD)) {
        out += lower.slice(stretch, i);
        stretch = -1;
      }
      if (stretch < 0 && out.length > 0) space = true;
    } else if (cls === NON_ASCII) {
      return undefined;
    } else if (stretch >= 0) {
      out += lower.slice(stretch, i);
      stretch = -1;
    }
    i++;
  }
  return stretch >= 0 ? out + lower.slice(stretch) : out;
}
