/**
 * What a word is, for the search index and for queries alike: a run of letters, digits and
 * combining marks (UTF-16 surrogates count as letters, so rare CJK outside the BMP is kept), read
 * in lower case with diacritics removed. Indexing and queries both find words with
 * {@link scanWords}, so a query word is always spelled as the index stored it.
 */
import { foldText } from '../shared/text';

/** Per UTF-16 code unit above ASCII: 0 not yet known, 1 part of a word, 2 not. */
const wordCharCache = new Uint8Array(65536);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** True when the UTF-16 code unit `code` belongs to a word. */
export function isWordCode(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  // Surrogates: letters outside the BMP (rare CJK) count as word characters.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  let known = wordCharCache[code];
  if (known === 0) known = wordCharCache[code] = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/**
 * A run of word characters that is not all ASCII, as a word: lower-cased, diacritics removed,
 * lower-cased again because decomposing can give capitals (mathematical `𝐀` is `A`). Empty when
 * the run was only combining marks.
 */
export function foldWord(run: string): string {
  return foldText(run).replace(/\p{M}+/gu, '').toLowerCase();
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of `text[start, end)` with ASCII capitals lower-cased: how the vocabulary hashes a word. */
export function wordHash(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    hash = Math.imul(hash ^ (code >= 65 && code <= 90 ? code + 32 : code), FNV_PRIME);
  }
  return hash;
}

/**
 * Visits each word of `text[from, to)`. An ASCII word is passed as its range, with its
 * {@link wordHash} computed as the scan passes (each character is read once), so the vocabulary
 * can look it up in place without a string; any other word is passed folded ({@link foldWord}).
 * The one word scan of indexing (every abstract of the workspace, on the main thread; keys and
 * titles on the parse workers) and of queries, written out by hand: tokenising every abstract
 * with a Unicode regular expression was the largest cost of indexing a large workspace.
 */
export function scanWords(
  text: string, from: number, to: number,
  visitAscii: (start: number, end: number, hash: number) => void, visitFolded: (word: string) => void,
): void {
  let start = -1;
  let ascii = true;
  let hash = FNV_OFFSET;
  for (let i = from; i <= to; i++) {
    const code = i < to ? text.charCodeAt(i) : 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 128 && isWordCode(code))) {
      if (start < 0) { start = i; ascii = true; hash = FNV_OFFSET; }
      if (code >= 128) ascii = false;
      hash = Math.imul(hash ^ (code >= 65 && code <= 90 ? code + 32 : code), FNV_PRIME);
      continue;
    }
    if (start < 0) continue;
    if (ascii) visitAscii(start, i, hash);
    else {
      const folded = foldWord(text.slice(start, i));
      if (folded) visitFolded(folded);
    }
    start = -1;
  }
}

/** Visits each word of `text` as a string (see {@link scanWords}). */
export function forEachWord(text: string, visit: (word: string) => void): void {
  scanWords(text, 0, text.length, (start, end) => visit(text.slice(start, end).toLowerCase()), visit);
}

/** The words of a text, in order, repeats included (see {@link scanWords}). */
export function searchWords(text: string): string[] {
  const words: string[] = [];
  forEachWord(text, (word) => words.push(word));
  return words;
}
