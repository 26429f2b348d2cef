/**
 * The vocabulary of the search index: word ids by word, found without a string per word; and the
 * key and title words of a file's entries prepared on a parse worker in the same vocabulary's terms.
 */
import { scanWords, wordHash } from './words';

/**
 * The words of the keys and titles of one file's entries, found on a parse worker (see
 * digestTransfer.ts) so that the main thread only looks each distinct word up once per file
 * instead of scanning and hashing every character of every title.
 */
export interface PreparedWords {
  /**
   * The distinct words, as the index stores them, concatenated: word k is
   * wordText[wordStarts[k] .. wordStarts[k + 1]). One string crosses threads as one copy, and a
   * word the index already knows is looked up in place, without a string of its own.
   */
  wordText: string;
  wordStarts: Int32Array;
  /** Each word's hash as the vocabulary computes it, so the main thread need not read the word to find it. */
  wordHashes: Int32Array;
  /** The words of the entry on line L are wordIds[lineStarts[L] .. lineStarts[L + 1]), in text order, each once. */
  lineStarts: Int32Array;
  wordIds: Int32Array;
  /** Filled in on the main thread: the vocabulary id of each word, or -1 while not looked up. */
  resolved?: Int32Array;
}

/**
 * The key and title words of a file's entries, for {@link SearchIndex.addPrepared}. Runs on a parse
 * worker; finds words with the scan the index uses and keeps them in a small {@link Vocabulary} of the file,
 * so that a word costs no string unless it is new to the file. Given the line an entry's title was
 * sliced from (`lineText`, with the title at `titleStart`), it reads the title there.
 */
export function prepareWords(lineCount: number, entries: { line: number; keyWords: string; title: string; lineText?: string; titleStart?: number }[]): PreparedWords {
  const vocabulary = new Vocabulary(10);
  const lineStarts = new Int32Array(lineCount + 1);
  let wordIds = new Int32Array(Math.max(16, entries.length * 16));
  let count = 0;
  let lastEntryOf = new Int32Array(1024).fill(-1);
  let entryIndex = 0;
  const noteWord = (): void => {
    if (vocabulary.size > lastEntryOf.length) {
      const grown = new Int32Array(lastEntryOf.length * 2).fill(-1);
      grown.set(lastEntryOf);
      lastEntryOf = grown;
    }
  };
  const take = (id: number): void => {
    if (lastEntryOf[id] === entryIndex) return; // each word once per entry, as the index posts it
    lastEntryOf[id] = entryIndex;
    if (count === wordIds.length) {
      const grown = new Int32Array(wordIds.length * 2);
      grown.set(wordIds);
      wordIds = grown;
    }
    wordIds[count++] = id;
  };
  let line = 0;
  for (; entryIndex < entries.length; entryIndex++) {
    const entry = entries[entryIndex];
    while (line <= entry.line) lineStarts[line++] = count;
    vocabulary.forEachWordId(entry.keyWords, 0, entry.keyWords.length, noteWord, take);
    // A title is a slice of its line; V8 reads the whole line (a flat string) about twice as fast.
    if (entry.lineText !== undefined && entry.titleStart !== undefined) vocabulary.forEachWordId(entry.lineText, entry.titleStart, entry.titleStart + entry.title.length, noteWord, take);
    else vocabulary.forEachWordId(entry.title, 0, entry.title.length, noteWord, take);
  }
  while (line <= lineCount) lineStarts[line++] = count;
  const words = vocabulary.words;
  const wordStarts = new Int32Array(words.length + 1);
  const wordHashes = new Int32Array(words.length);
  let at = 0;
  for (let k = 0; k < words.length; k++) {
    wordStarts[k] = at;
    at += words[k].length;
    wordHashes[k] = wordHash(words[k], 0, words[k].length);
  }
  wordStarts[words.length] = at;
  return { wordText: words.join(''), wordStarts, wordHashes, lineStarts, wordIds: wordIds.slice(0, count) };
}

/**
 * Word ids by word, in an open-addressing hash table keyed by ranges of text: looking up a word
 * of an abstract costs no string allocation, which matters at millions of words.
 */
export class Vocabulary {
  readonly words: string[] = [];
  private hashes: number[] = [];
  private table: Int32Array;
  private mask: number;

  /** @param sizeBits the table starts with 2^sizeBits slots (it grows as words are added) */
  constructor(sizeBits = 14) {
    this.table = new Int32Array(1 << sizeBits);
    this.mask = (1 << sizeBits) - 1;
  }

  get size(): number {
    return this.words.length;
  }

  /**
   * The id of the ASCII word `text[start, end)` read in lower case, adding the word when new
   * (`onNew` is told). Upper-case letters are folded here rather than by lower-casing the whole
   * text first, which would copy every abstract once more.
   */
  idOfRange(text: string, start: number, end: number, onNew: (id: number) => void): number {
    return this.idOfHashedRange(text, start, end, wordHash(text, start, end), onNew);
  }

  /** {@link idOfRange} for a caller that hashed the range as it scanned it (FNV-1a of the lower-cased code units). */
  idOfHashedRange(text: string, start: number, end: number, hash: number, onNew: (id: number) => void): number {
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash) {
        const word = this.words[id];
        if (word.length === length) {
          let same = true;
          for (let i = 0; i < length; i++) {
            const code = text.charCodeAt(start + i);
            if (word.charCodeAt(i) !== (code >= 65 && code <= 90 ? code + 32 : code)) { same = false; break; }
          }
          if (same) return id;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.words.length;
    this.words.push(text.slice(start, end).toLowerCase());
    this.hashes.push(hash);
    this.table[slot] = id + 1;
    if (this.words.length * 2 > this.table.length) this.grow();
    onNew(id);
    return id;
  }

  idOf(word: string, onNew: (id: number) => void): number {
    return this.idOfRange(word, 0, word.length, onNew);
  }

  /**
   * Visits the id of each word of `text[from, to)` ({@link scanWords}), adding new words: ASCII
   * words are looked up in place by the hash the scan computed, others by their folded string.
   */
  forEachWordId(text: string, from: number, to: number, onNew: (id: number) => void, visit: (id: number) => void): void {
    scanWords(text, from, to, (start, end, hash) => visit(this.idOfHashedRange(text, start, end, hash, onNew)), (word) => visit(this.idOf(word, onNew)));
  }

  /** The id of a word, or undefined when the vocabulary lacks it. */
  find(word: string): number | undefined {
    const hash = wordHash(word, 0, word.length);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.table[slot];
      if (entry === 0) return undefined;
      if (this.hashes[entry - 1] === hash && this.words[entry - 1] === word) return entry - 1;
    }
  }

  private grow(): void {
    const size = this.table.length * 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.words.length; id++) {
      let slot = this.hashes[id] & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = id + 1;
    }
  }
}
