/**
 * Ranked fuzzy search over papers (key, title, abstract) that stays fast at 100,000 papers.
 *
 * A plain fuse.js scan runs its bitap matcher over every abstract for every query, which takes
 * seconds at this scale (see `npm run bench`). So an inverted index over folded words finds the
 * candidates first, tolerating typos (edit distance 1-2 by word length) and unfinished words
 * (prefixes), and scores them TF-IDF-like with title and key hits weighted above abstract hits;
 * fuse.js then ranks the best candidates by how well key, title and abstract opening match the
 * query as typed, and gives the matched character ranges for highlighting.
 */
import Fuse from 'fuse.js';
import { foldText } from '../shared/text';

export interface SearchFields {
  /** The key as shown (matched and highlighted by the re-ranking; may change, see {@link SearchIndex.addKeySuffix}). */
  key: string;
  /** The text whose words are indexed as the key's: the key without a disambiguating suffix. */
  keyWords: string;
  title: string;
  abstract: string;
}

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

export interface SearchHit {
  /** The document id given to {@link SearchIndex.add}. */
  id: number;
  /** Higher is better; comparable within one search only. */
  score: number;
  /** Matched ranges per field, for highlighting: half-open [start, end) pairs. */
  matches: { key: [number, number][]; title: [number, number][]; abstract: [number, number][] };
}

export interface SearchOptions {
  limit?: number;
  /** Keep only documents for which this returns true (filters: year, upvotes, file). */
  filter?: (id: number) => boolean;
  /**
   * Answer at once from what is indexed, even while abstracts still wait to be indexed (the
   * language server indexes them in idle time and must not block a keystroke on them).
   */
  partial?: boolean;
}

const FIELD_TITLE = 1;
const FIELD_ABSTRACT = 2;
const TITLE_WEIGHT = 3;
const ABSTRACT_WEIGHT = 1;
/** How many index candidates fuse.js re-ranks; enough to reorder a page of results well. */
const RERANK_POOL = 40;
/** How much of the abstract fuse.js looks at: the part a person sees in a result. */
const ABSTRACT_HEAD = 240;
/** Most words an unfinished query word may stand for; keeps one-letter prefixes cheap. */
const MAX_PREFIX_EXPANSION = 64;
/** New words put one by one into the sorted vocabulary before it is sorted afresh instead. */
const MAX_WORDS_INSERTED_SORTED = 256;

/**
 * The postings of every word, in blocks in one pool (an Int32Array) instead of an array per word.
 * A large workspace has hundreds of thousands of words and tens of millions of postings: objects
 * per word cost memory and garbage-collection time, and filling them was the largest cost of
 * loading on the main thread. A word's blocks form a chain; each block is twice the size of the
 * one before (up to a limit), so a rare word takes a few slots and a common word's postings lie
 * in a handful of long runs that a search reads in order.
 *
 * Block layout: [next block or -1, capacity, posting...]. A posting is `document * 4 + fields`.
 */
class PostingLists {
  pool = new Int32Array(1 << 16);
  private used = 0;
  /** Per word: first and last block (-1 for none), postings in all, postings in the last block. */
  head = new Int32Array(1024);
  tail = new Int32Array(1024);
  count = new Int32Array(1024);
  tailUsed = new Int32Array(1024);
  /** Per word: the last document that posted it, and where, to merge a word's fields in one posting. */
  private lastDocument = new Int32Array(1024);
  private lastPosting = new Int32Array(1024);
  private words = 0;

  addWord(): void {
    const word = this.words++;
    if (word >= this.head.length) {
      const grow = (array: Int32Array) => {
        const grown = new Int32Array(array.length * 2);
        grown.set(array);
        return grown;
      };
      this.head = grow(this.head);
      this.tail = grow(this.tail);
      this.count = grow(this.count);
      this.tailUsed = grow(this.tailUsed);
      this.lastDocument = grow(this.lastDocument);
      this.lastPosting = grow(this.lastPosting);
    }
    this.head[word] = this.tail[word] = this.lastDocument[word] = -1;
  }

  /**
   * Posts `word` for `document` in `field`; returns false when the word's last posting already
   * says so (a word repeated in the same text). A document's title and abstract words are posted
   * at different times (abstracts in idle time), so each field has postings of its own: merging
   * them only when nothing came between would make the postings, and the scores, depend on the
   * order documents were added.
   */
  post(word: number, document: number, field: number): boolean {
    if (this.lastDocument[word] === document && this.pool[this.lastPosting[word]] === document * 4 + field) return false;
    let block = this.tail[word];
    if (block < 0 || this.tailUsed[word] === this.pool[block + 1]) block = this.newBlock(word, block);
    const at = block + 2 + this.tailUsed[word]++;
    this.pool[at] = document * 4 + field;
    this.count[word]++;
    this.lastDocument[word] = document;
    this.lastPosting[word] = at;
    return true;
  }

  private newBlock(word: number, previous: number): number {
    const capacity = previous < 0 ? FIRST_BLOCK : Math.min(LONGEST_BLOCK, this.pool[previous + 1] * 2);
    const block = this.allocate(capacity);
    if (previous < 0) this.head[word] = block; else this.pool[previous] = block;
    this.tail[word] = block;
    this.tailUsed[word] = 0;
    return block;
  }

  private allocate(capacity: number): number {
    if (this.used + capacity + 2 > this.pool.length) {
      let size = this.pool.length * 2;
      while (this.used + capacity + 2 > size) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    const block = this.used;
    this.pool[block] = -1;
    this.pool[block + 1] = capacity;
    this.used += capacity + 2;
    return block;
  }

  /** Drops the postings of documents no longer alive, packing each word's into one block. */
  compact(alive: Uint8Array): void {
    const old = this.pool;
    this.pool = new Int32Array(Math.max(1 << 16, this.used));
    this.used = 0;
    for (let word = 0; word < this.words; word++) {
      const head = this.head[word];
      const tail = this.tail[word];
      const tailUsed = this.tailUsed[word];
      let kept = 0;
      for (let block = head; block >= 0; block = old[block]) {
        const end = block + 2 + (block === tail ? tailUsed : old[block + 1]);
        for (let at = block + 2; at < end; at++) if (alive[old[at] >> 2]) kept++;
      }
      this.head[word] = this.tail[word] = -1;
      this.count[word] = this.tailUsed[word] = 0;
      // Positions moved: a later posting of the same document makes a posting of its own.
      this.lastDocument[word] = -1;
      if (kept === 0) continue;
      const block = this.allocate(Math.max(FIRST_BLOCK, kept));
      this.head[word] = this.tail[word] = block;
      let to = block + 2;
      for (let from = head; from >= 0; from = old[from]) {
        const end = from + 2 + (from === tail ? tailUsed : old[from + 1]);
        for (let at = from + 2; at < end; at++) if (alive[old[at] >> 2]) this.pool[to++] = old[at];
      }
      this.count[word] = this.tailUsed[word] = kept;
    }
  }
}

/** Slots in a word's first block: most words occur in one or two documents. */
const FIRST_BLOCK = 2;
/** The largest block: a common word's postings come in runs of this many. */
const LONGEST_BLOCK = 8192;

/** Per UTF-16 code unit above ASCII: 0 not yet known, 1 part of a word, 2 not. */
const wordCharCache = new Uint8Array(65536);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isWordCode(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  // Surrogates: letters outside the BMP (rare CJK) count as word characters.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  let known = wordCharCache[code];
  if (known === 0) known = wordCharCache[code] = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/**
 * Visits each word of `text`: runs of letters and digits, lower-cased and folded (diacritics
 * removed). ASCII words are passed as a range of the lower-cased text, so the index can look them
 * up without allocating a string; others are folded and passed as strings. A hand-written scan,
 * because tokenising every abstract with a Unicode regular expression was the largest cost of
 * indexing a large workspace.
 */
export function scanWords(text: string, visitRange: (lower: string, start: number, end: number) => void, visitWord: (word: string) => void): void {
  const lower = text.toLowerCase();
  let start = -1;
  let ascii = true;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isWordCode(code)) {
      if (start < 0) { start = i; ascii = true; }
      if (code >= 128) ascii = false;
      continue;
    }
    if (start >= 0) {
      if (ascii) visitRange(lower, start, i);
      else {
        const folded = foldText(lower.slice(start, i)).replace(/\p{M}+/gu, '');
        if (folded) visitWord(folded);
      }
      start = -1;
    }
  }
}

/**
 * The key and title words of a file's entries, for {@link SearchIndex.addPrepared}. Runs on a parse
 * worker; finds words with the scan `postText` uses and keeps them in a small {@link Vocabulary} of the file,
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

export function forEachWord(text: string, visit: (word: string) => void): void {
  scanWords(text, (lower, start, end) => visit(lower.slice(start, end)), visit);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of `text[start, end)` with ASCII capitals lower-cased: how the vocabulary hashes a word. */
function wordHash(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    hash = Math.imul(hash ^ (code >= 65 && code <= 90 ? code + 32 : code), FNV_PRIME);
  }
  return hash;
}

/**
 * Word ids by word, in an open-addressing hash table keyed by ranges of text: looking up a word
 * of an abstract costs no string allocation, which matters at millions of words.
 */
class Vocabulary {
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
   * Visits the id of each word of `text[from, to)`, adding new words: runs of letters and digits,
   * ASCII ones looked up in place (hashed as the scan passes, so each character is read once),
   * others folded (diacritics removed) first. The one word scan of indexing, on the main thread
   * (every abstract of the workspace) and on the parse workers (keys and titles), so it is written
   * out by hand.
   */
  forEachWordId(text: string, from: number, to: number, onNew: (id: number) => void, visit: (id: number) => void): void {
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
      if (ascii) visit(this.idOfHashedRange(text, start, i, hash, onNew));
      else {
        const folded = foldText(text.slice(start, i)).replace(/\p{M}+/gu, '');
        if (folded) visit(this.idOf(folded, onNew));
      }
      start = -1;
    }
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


/** The folded words of a text (see {@link forEachWord}). */
export function searchWords(text: string): string[] {
  const words: string[] = [];
  forEachWord(text, (word) => words.push(word));
  return words;
}

/** Edit distance, giving up (returning max + 1) once it must exceed `max`. */
function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** A number for "first code unit and length", the key typo candidates are grouped by. */
function wordShape(firstCode: number, length: number): number {
  return firstCode * 0x100000 + length;
}

function allowedEdits(termLength: number): number {
  if (termLength >= 8) return 2;
  if (termLength >= 4) return 1;
  return 0;
}

export class SearchIndex {
  private readonly vocabulary = new Vocabulary();
  private readonly postings = new PostingLists();
  /** Word ids by first character and length, for typo-tolerant lookups. */
  private readonly wordsByShape = new Map<number, number[]>();
  private sortedWordIds: number[] | undefined;
  /** Words put into {@link sortedWordIds} one by one since it was sorted (see registerWord). */
  private wordsInsertedSinceSort = 0;
  /** Each document's fields, by id (ids are small and grow slowly: an array beats a map here). */
  private readonly fields: (SearchFields | undefined)[] = [];
  private documentCount = 0;
  private pendingAbstracts: number[] = [];
  private pendingCursor = 0;
  private alive = new Uint8Array(1024);
  /** 1 while a document's abstract words and key suffix wait in {@link pendingAbstracts}. */
  private textPending = new Uint8Array(1024);
  /** Postings made per document, to keep count of dead ones without re-reading its text. */
  private postingCounts = new Int32Array(1024);
  private deadPostings = 0;
  private livePostings = 0;

  /**
   * Adds a document under an id not used before (ids may be sparse but should grow slowly). The
   * fields object is kept, not copied: {@link setKey} changes its key.
   */
  add(id: number, fields: SearchFields): void {
    this.open(id, fields);
    this.postText(id, fields.keyWords, FIELD_TITLE);
    this.postText(id, fields.title, FIELD_TITLE);
    this.pendingAbstracts.push(id);
  }

  /**
   * {@link add} with the key and title words already found (on a parse worker): the same postings,
   * for the cost of one lookup per distinct word of the file.
   */
  addPrepared(id: number, fields: SearchFields, prepared: PreparedWords, line: number): void {
    this.open(id, fields);
    let resolved = prepared.resolved;
    const { wordIds, wordText, wordStarts } = prepared;
    if (!resolved) resolved = prepared.resolved = new Int32Array(wordStarts.length - 1).fill(-1);
    for (let at = prepared.lineStarts[line], end = prepared.lineStarts[line + 1]; at < end; at++) {
      const local = wordIds[at];
      let wordId = resolved[local];
      if (wordId < 0) wordId = resolved[local] = this.vocabulary.idOfHashedRange(wordText, wordStarts[local], wordStarts[local + 1], prepared.wordHashes[local], this.registerWord);
      this.post(id, wordId, FIELD_TITLE);
    }
    this.pendingAbstracts.push(id);
  }

  /**
   * A document's key took a suffix to tell it from another paper's (`...2024-k3fz`): re-ranking
   * sees the key as shown at once, and the suffix becomes a searchable word with the abstract's
   * words (when those are already indexed, now). In a large workspace most keys may change as
   * papers load, and each suffix is a word of its own: posting them later keeps loading fast.
   */
  setKey(id: number, key: string): void {
    const fields = this.fields[id];
    if (!fields || fields.key === key) return;
    fields.key = key;
    if (!this.textPending[id]) this.postKeySuffix(id, fields);
  }

  private postKeySuffix(id: number, fields: SearchFields): void {
    const { key, keyWords } = fields;
    if (key.length > keyWords.length && key.startsWith(keyWords)) this.postText(id, key.slice(keyWords.length), FIELD_TITLE);
  }

  private open(id: number, fields: SearchFields): void {
    if (this.fields[id] !== undefined) this.remove(id);
    this.fields[id] = fields;
    this.documentCount++;
    if (id >= this.alive.length) {
      const size = Math.max(id + 1, this.alive.length * 2);
      const alive = new Uint8Array(size);
      alive.set(this.alive);
      this.alive = alive;
      const counts = new Int32Array(size);
      counts.set(this.postingCounts);
      this.postingCounts = counts;
      const pending = new Uint8Array(size);
      pending.set(this.textPending);
      this.textPending = pending;
    }
    this.alive[id] = 1;
    this.textPending[id] = 1;
    // Abstracts are three quarters of the text of a workspace: their words are posted later, in
    // idle time ({@link indexPendingAbstracts}) or before the next search, so that opening a large
    // workspace gives keys, titles and navigation first.
  }

  /** How many documents still wait for their abstract words (and key suffix) to be indexed. */
  get pendingAbstractCount(): number {
    return this.pendingAbstracts.length - this.pendingCursor;
  }

  /**
   * Indexes the abstracts of waiting documents until `budgetMs` has passed (all of them when no
   * budget is given). Returns true when none are left.
   */
  indexPendingAbstracts(budgetMs = Infinity): boolean {
    const deadline = performance.now() + budgetMs;
    while (this.pendingCursor < this.pendingAbstracts.length) {
      const id = this.pendingAbstracts[this.pendingCursor++];
      const fields = this.fields[id];
      if (fields && this.alive[id] && this.textPending[id]) {
        this.textPending[id] = 0;
        this.postText(id, fields.abstract, FIELD_ABSTRACT);
        this.postKeySuffix(id, fields);
      }
      if ((this.pendingCursor & 63) === 0 && performance.now() > deadline) break;
    }
    if (this.pendingCursor === this.pendingAbstracts.length) {
      this.pendingAbstracts = [];
      this.pendingCursor = 0;
      return true;
    }
    return false;
  }

  /**
   * Sorts the vocabulary for prefix lookups now, if a new word has made it unsorted, rather than at
   * the next search (100 ms for 200,000 words): the language server calls this in idle time.
   */
  prepareForSearch(): void {
    this.sortedVocabulary();
  }

  private sortedVocabulary(): number[] {
    if (!this.sortedWordIds) {
      const words = this.vocabulary.words;
      this.sortedWordIds = words.map((_, id) => id).sort((a, b) => (words[a] < words[b] ? -1 : 1));
      this.wordsInsertedSinceSort = 0;
    }
    return this.sortedWordIds;
  }

  /** Posts every word of `text` for document `id` in `field` (see {@link Vocabulary.forEachWordId}). */
  private postText(id: number, text: string, field: number): void {
    this.vocabulary.forEachWordId(text, 0, text.length, this.registerWord, (wordId) => this.post(id, wordId, field));
  }

  /** Posts one word for a document (once per document, with every field it occurs in). */
  private post(id: number, wordId: number, field: number): void {
    if (!this.postings.post(wordId, id, field)) return;
    this.livePostings++;
    this.postingCounts[id]++;
  }

  remove(id: number): void {
    const fields = this.fields[id];
    if (!fields) return;
    this.fields[id] = undefined;
    this.documentCount--;
    this.alive[id] = 0;
    // Postings are dropped lazily: a search skips dead ids, and the lists are compacted once
    // dead entries outnumber live ones, so removing stays cheap on the edit path.
    this.deadPostings += this.postingCounts[id];
    this.livePostings -= this.postingCounts[id];
    this.postingCounts[id] = 0;
    if (this.deadPostings > 100_000 && this.deadPostings > this.livePostings) this.compact();
  }

  /**
   * Drops the postings of removed documents now (it also happens by itself once they outnumber
   * the live ones); until then they still count in how rare a word is.
   */
  compact(): void {
    this.postings.compact(this.alive);
    this.deadPostings = 0;
  }

  private readonly registerWord = (id: number): void => {
    const word = this.vocabulary.words[id];
    this.postings.addWord();
    const shape = wordShape(word.charCodeAt(0), word.length);
    const bucket = this.wordsByShape.get(shape);
    if (bucket) bucket.push(id); else this.wordsByShape.set(shape, [id]);
    // The sorted words (for prefixes) take a new word in place: sorting the whole vocabulary again
    // made the first search after an edit that brought a new word take 100 ms instead of 30.
    // Many new words at once (a file loaded) are cheaper sorted afresh at the next search.
    const sorted = this.sortedWordIds;
    if (sorted && this.wordsInsertedSinceSort++ < MAX_WORDS_INSERTED_SORTED) sorted.splice(this.sortedPosition(sorted, word), 0, id);
    else this.sortedWordIds = undefined;
  };

  /** Where `word` goes in `sorted` (word ids in the order of their words). */
  private sortedPosition(sorted: number[], word: string): number {
    const words = this.vocabulary.words;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (words[sorted[mid]] < word) low = mid + 1; else high = mid;
    }
    return low;
  }

  /** Words of the index a query word may stand for, with how well each matches (0..1]. */
  private expandTerm(term: string, isLast: boolean): Map<number, number> {
    const matches = new Map<number, number>();
    const exact = this.vocabulary.find(term);
    if (exact !== undefined) matches.set(exact, 1);
    // Prefixes: any query word may be a truncation ("param" for "parameters"), and the last one
    // is usually still being typed.
    if (term.length >= (isLast ? 1 : 3)) {
      const sorted = this.sortedVocabulary();
      const words = this.vocabulary.words;
      let expanded = 0;
      const low = this.sortedPosition(sorted, term);
      for (let i = low; i < sorted.length && words[sorted[i]].startsWith(term) && expanded < MAX_PREFIX_EXPANSION; i++) {
        const id = sorted[i];
        if (!matches.has(id)) {
          matches.set(id, 0.55 + 0.35 * (term.length / words[id].length));
          expanded++;
        }
      }
    }
    // A word the index knows is taken as typed, not as a typo of others: this keeps common words
    // from dragging in the postings of every word one letter away.
    const edits = exact === undefined ? allowedEdits(term.length) : 0;
    if (edits > 0) {
      for (let length = term.length - edits; length <= term.length + edits; length++) {
        for (const id of this.wordsByShape.get(wordShape(term.charCodeAt(0), length)) ?? []) {
          if (matches.has(id)) continue;
          const distance = boundedEditDistance(term, this.vocabulary.words[id], edits);
          if (distance <= edits) matches.set(id, distance === 1 ? 0.6 : 0.4);
        }
      }
    }
    return matches;
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 50;
    const terms = [...new Set(searchWords(query))];
    if (terms.length === 0 || this.documentCount === 0) return [];
    if (!options.partial) this.indexPendingAbstracts();
    const total = this.documentCount;
    // Per-document accumulators in typed arrays indexed by id, with lists of the ids touched:
    // a common word reaches tens of thousands of documents, where maps were the main cost.
    const size = this.alive.length;
    const scores = new Float64Array(size);
    const matchedTerms = new Uint8Array(size);
    const termBest = new Float32Array(size);
    const touched: number[] = [];
    const termTouched: number[] = [];
    terms.forEach((term, termIndex) => {
      const expansions = this.expandTerm(term, termIndex === terms.length - 1);
      const { pool, head, tail, tailUsed, count } = this.postings;
      for (const [wordId, quality] of expansions) {
        const idf = Math.log(1 + total / Math.max(1, count[wordId]));
        const titleValue = quality * idf * TITLE_WEIGHT;
        const abstractValue = quality * idf * ABSTRACT_WEIGHT;
        const last = tail[wordId];
        for (let block = head[wordId]; block >= 0; block = pool[block]) {
          const end = block + 2 + (block === last ? tailUsed[wordId] : pool[block + 1]);
          for (let at = block + 2; at < end; at++) {
            const posting = pool[at];
            const id = posting >> 2;
            if (!this.alive[id]) continue;
            // A title (or key) match counts more than an abstract match; a document matching in
            // both has two postings and counts as its better one.
            const value = (posting & 3) === FIELD_TITLE ? titleValue : abstractValue;
            const previous = termBest[id];
            if (previous === 0) termTouched.push(id);
            if (value > previous) termBest[id] = value;
          }
        }
      }
      for (const id of termTouched) {
        if (matchedTerms[id] === 0) touched.push(id);
        scores[id] += termBest[id];
        matchedTerms[id]++;
        termBest[id] = 0;
      }
      termTouched.length = 0;
    });

    // Every query word must match when any document matches them all; otherwise the best partial
    // matches are still worth showing (a person may have one word wrong).
    const filter = options.filter;
    let ids = touched.filter((id) => matchedTerms[id] === terms.length && (!filter || filter(id)));
    let scoreOf = (id: number) => scores[id];
    if (ids.length === 0) {
      ids = filter ? touched.filter((id) => filter(id)) : touched;
      scoreOf = (id: number) => (scores[id] * matchedTerms[id]) / terms.length;
    }
    const candidates = topByScore(ids, scoreOf, Math.max(limit, RERANK_POOL));
    return this.rerank(query, candidates).slice(0, limit);
  }

  /**
   * fuse.js orders the best candidates by how closely key, title and abstract opening match; a
   * long list (workspace symbols ask for 200) keeps the index's order after the first few dozen.
   */
  private rerank(query: string, allCandidates: { id: number; score: number }[]): SearchHit[] {
    if (allCandidates.length === 0) return [];
    const candidates = allCandidates.slice(0, RERANK_POOL);
    const rest = allCandidates.slice(RERANK_POOL);
    const topScore = candidates[0].score || 1;
    const docs = candidates.map(({ id }) => {
      const fields = this.fields[id]!;
      return { id, key: fields.key, title: fields.title, abstract: fields.abstract.slice(0, ABSTRACT_HEAD) };
    });
    const fuse = new Fuse(docs, {
      keys: [{ name: 'key', weight: 2 }, { name: 'title', weight: 3 }, { name: 'abstract', weight: 1 }],
      includeMatches: true,
      includeScore: true,
      ignoreLocation: true,
      ignoreDiacritics: true,
      useExtendedSearch: true,
      threshold: 0.4,
      minMatchCharLength: 2,
    });
    // Extended search treats space-separated words as all-required fuzzy terms.
    const pattern = searchWords(query).join(' ');
    const fuseResults = new Map<number, { score: number; matches: SearchHit['matches'] }>();
    for (const result of fuse.search(pattern)) {
      const matches: SearchHit['matches'] = { key: [], title: [], abstract: [] };
      for (const match of result.matches ?? []) {
        const field = match.key as keyof SearchHit['matches'];
        if (matches[field]) for (const [start, end] of match.indices) matches[field].push([start, end + 1]);
      }
      fuseResults.set(result.item.id, { score: result.score ?? 1, matches });
    }
    const hits = candidates.map(({ id, score }) => {
      const fuseResult = fuseResults.get(id);
      const indexScore = score / topScore;
      const fuseScore = fuseResult ? 1 - fuseResult.score : 0;
      const matches = fuseResult?.matches ?? this.wordMatches(id, query);
      return { id, score: indexScore + 0.35 * fuseScore, matches };
    });
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    for (const { id, score } of rest) hits.push({ id, score: score / topScore, matches: this.wordMatches(id, query) });
    return hits;
  }

  /** Highlights for a hit fuse.js did not match: where the query words occur, as whole words. */
  private wordMatches(id: number, query: string): SearchHit['matches'] {
    const fields = this.fields[id]!;
    const terms = searchWords(query).filter((t) => t.length >= 2);
    const find = (text: string): [number, number][] => {
      const ranges: [number, number][] = [];
      const folded = foldText(text);
      if (folded.length !== text.length) return ranges;
      for (const term of terms) {
        for (let at = folded.indexOf(term); at >= 0 && ranges.length < 32; at = folded.indexOf(term, at + term.length)) ranges.push([at, at + term.length]);
      }
      return ranges.sort((a, b) => a[0] - b[0]);
    };
    return { key: find(fields.key), title: find(fields.title), abstract: find(fields.abstract.slice(0, ABSTRACT_HEAD)) };
  }
}

/**
 * The `count` highest-scoring ids, best first (ties by id, for a stable order). Finds the score a
 * candidate must reach with a numeric sort of the scores, so only the few above it are sorted as
 * objects: a common word can match most of 100,000 papers.
 */
function topByScore(ids: number[], scoreOf: (id: number) => number, count: number): { id: number; score: number }[] {
  let chosen = ids;
  if (ids.length > count) {
    const values = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) values[i] = scoreOf(ids[i]);
    values.sort();
    const threshold = values[values.length - count];
    chosen = ids.filter((id) => scoreOf(id) >= threshold);
  }
  return chosen
    .map((id) => ({ id, score: scoreOf(id) }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, count);
}
