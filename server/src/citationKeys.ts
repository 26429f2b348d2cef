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
import { foldedWords, foldText, shortHash } from './text';

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

/** The key a paper gets when no other paper competes for it. */
export function baseKey(title: string, year: number): string {
  const words = keyWords(title);
  // A title with no letters or digits at all still needs a readable, stable key.
  const name = words.length > 0 ? words.join('-') : `paper-${shortHash(title)}`;
  return /\d$/.test(name) ? `${name}-${year}` : `${name}${year}`;
}

/**
 * What makes two entries the same paper: the folded title words and the year. The same paper
 * pasted into two digests (with other upvote counts, say) is one paper with two locations.
 */
export function paperIdentity(title: string, year: number): string {
  return `${foldedWords(title).join(' ')}|${year}`;
}

/** The key of a paper whose base key is shared with other papers. */
export function disambiguatedKey(base: string, identity: string): string {
  return `${base}-${shortHash(identity)}`;
}
