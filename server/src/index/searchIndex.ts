/**
 * Ranked fuzzy search over papers (key, title, abstract) that stays fast at 100,000 papers.
 *
 * A plain fuse.js scan runs its bitap matcher over every abstract for every query, which takes
 * seconds at this scale (see `npm run bench`). So an inverted index over folded words finds the
 * candidates first, tolerating typos (edit distance 1-2 by word length) and unfinished words
 * (prefixes), and scores them TF-IDF-like with title and key hits weighted above abstract hits;
 * fuse.js then ranks the best candidates by how well key, title and abstract opening match the
 * query as typed, and gives the matched character ranges for highlighting.
 *
 * The parts: words.ts (what a word is), vocabulary.ts (word ids), postingLists.ts (the inverted
 * index), this file (candidates and their scores), rerank.ts (fuse.js).
 */
import { PostingLists } from './postingLists';
import { rerank, RERANK_POOL } from './rerank';
import { PreparedWords, Vocabulary } from './vocabulary';
import { searchWords } from './words';

export interface SearchFields {
  /** The key as shown (matched and highlighted by the re-ranking; may change, see {@link SearchIndex.setKey}). */
  key: string;
  /** The text whose words are indexed as the key's: the key without a disambiguating suffix. */
  keyWords: string;
  title: string;
  abstract: string;
  /** The authors' names, when the paper's metadata line gives them: found like title words, once indexed with the abstract (idle time). */
  authors?: readonly string[];
  /** The paper's identity: after the key, what orders papers of equal score (see {@link SearchIndex.compareTied}). */
  identity?: string;
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
/** Most words an unfinished query word may stand for; keeps one-letter prefixes cheap. */
const MAX_PREFIX_EXPANSION = 64;
/** New words put one by one into the sorted vocabulary before it is sorted afresh instead. */
const MAX_WORDS_INSERTED_SORTED = 256;

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
  /** Changes with every posting and every document added or removed: the live word counts are of one version (see PostingLists.liveDocuments). */
  private version = 0;

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
    this.version++;
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
        // Authors' names count like title words, but wait with the abstract: at 100,000 papers
        // they are a million postings, which loading need not wait for.
        if (fields.authors) for (const name of fields.authors) this.postText(id, name, FIELD_TITLE);
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
    this.version++;
    this.livePostings++;
    this.postingCounts[id]++;
  }

  remove(id: number): void {
    const fields = this.fields[id];
    if (!fields) return;
    this.fields[id] = undefined;
    this.documentCount--;
    this.alive[id] = 0;
    this.version++;
    // Postings are dropped lazily: a search skips dead ids, and the lists are compacted once
    // dead entries outnumber live ones, so removing stays cheap on the edit path.
    this.deadPostings += this.postingCounts[id];
    this.livePostings -= this.postingCounts[id];
    this.postingCounts[id] = 0;
    if (this.deadPostings > 100_000 && this.deadPostings > this.livePostings) this.compact();
  }

  /**
   * Drops the postings of removed documents now (it also happens by itself once they outnumber
   * the live ones); until then searches walk past them (they never count in how rare a word is).
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

  /** How many live documents have a word (see PostingLists.liveDocuments). */
  private documentsWith(wordId: number): number {
    return this.postings.liveDocuments(wordId, this.alive, this.version);
  }

  /**
   * Orders documents of equal score by the paper (key, then identity), not by id: ids grow as
   * papers are read again, so the same papers tied in another order after an edit than in a
   * fresh server (issue 16, #7).
   */
  private readonly compareTied = (a: number, b: number): number => {
    const first = this.fields[a]!;
    const second = this.fields[b]!;
    if (first.key !== second.key) return first.key < second.key ? -1 : 1;
    const firstIdentity = first.identity ?? '';
    const secondIdentity = second.identity ?? '';
    if (firstIdentity !== secondIdentity) return firstIdentity < secondIdentity ? -1 : 1;
    return a - b;
  };

  /**
   * Words of the index a query word may stand for, with how well each matches (0..1]. Only words
   * some live document has: the vocabulary keeps the words of removed documents, which took the
   * place of live ones among a prefix's first words, or made a typo pass for a known word.
   */
  private expandTerm(term: string, isLast: boolean): Map<number, number> {
    const matches = new Map<number, number>();
    const known = this.vocabulary.find(term);
    const exact = known !== undefined && this.documentsWith(known) > 0 ? known : undefined;
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
        if (!matches.has(id) && this.documentsWith(id) > 0) {
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
      const { pool, head, tail, tailUsed } = this.postings;
      for (const [wordId, quality] of expansions) {
        const idf = Math.log(1 + total / Math.max(1, this.documentsWith(wordId)));
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
    const candidates = topByScore(ids, scoreOf, Math.max(limit, RERANK_POOL), this.compareTied);
    return rerank(query, candidates, (id) => this.fields[id]!, this.compareTied).slice(0, limit);
  }
}

/**
 * The `count` highest-scoring ids, best first (ties by `compareTied`). Finds the score a
 * candidate must reach with a numeric sort of the scores, so only the few above it are sorted as
 * objects: a common word can match most of 100,000 papers.
 */
function topByScore(ids: number[], scoreOf: (id: number) => number, count: number, compareTied: (a: number, b: number) => number): { id: number; score: number }[] {
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
    .sort((a, b) => b.score - a.score || compareTied(a.id, b.id))
    .slice(0, count);
}
