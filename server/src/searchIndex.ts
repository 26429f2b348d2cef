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
import { foldText } from './text';

export interface SearchFields {
  key: string;
  title: string;
  abstract: string;
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
}

const FIELD_TITLE = 1;
const FIELD_ABSTRACT = 2;
const TITLE_WEIGHT = 3;
const ABSTRACT_WEIGHT = 1;
/** How many index candidates fuse.js re-ranks; enough to reorder a page of results well. */
const RERANK_POOL = 60;
/** How much of the abstract fuse.js looks at: the part a person sees in a result. */
const ABSTRACT_HEAD = 240;
/** Most words an unfinished query word may stand for; keeps one-letter prefixes cheap. */
const MAX_PREFIX_EXPANSION = 64;

/** A growable list of 32-bit integers; postings are kept compact because there are millions. */
class IntList {
  data = new Int32Array(4);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** Splits folded text into words of letters and digits. */
export function searchWords(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
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

function allowedEdits(termLength: number): number {
  if (termLength >= 8) return 2;
  if (termLength >= 4) return 1;
  return 0;
}

export class SearchIndex {
  private readonly wordIds = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly postings: IntList[] = [];
  /** Word ids by first character and length, for typo-tolerant lookups. */
  private readonly wordsByShape = new Map<string, number[]>();
  private sortedWords: string[] | undefined;
  private readonly fields = new Map<number, SearchFields>();
  private alive = new Uint8Array(1024);
  private deadPostings = 0;
  private livePostings = 0;

  get size(): number {
    return this.fields.size;
  }

  /** Adds a document under an id not used before (ids may be sparse but should grow slowly). */
  add(id: number, fields: SearchFields): void {
    if (this.fields.has(id)) this.remove(id);
    this.fields.set(id, fields);
    if (id >= this.alive.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.alive.length * 2));
      grown.set(this.alive);
      this.alive = grown;
    }
    this.alive[id] = 1;
    const fieldsOfWord = new Map<string, number>();
    for (const word of searchWords(fields.key)) fieldsOfWord.set(word, FIELD_TITLE);
    for (const word of searchWords(fields.title)) fieldsOfWord.set(word, FIELD_TITLE);
    for (const word of searchWords(fields.abstract)) fieldsOfWord.set(word, (fieldsOfWord.get(word) ?? 0) | FIELD_ABSTRACT);
    for (const [word, mask] of fieldsOfWord) {
      this.postings[this.wordId(word)].push(id * 4 + mask);
      this.livePostings++;
    }
  }

  remove(id: number): void {
    const fields = this.fields.get(id);
    if (!fields) return;
    this.fields.delete(id);
    this.alive[id] = 0;
    // Postings are dropped lazily: a search skips dead ids, and the lists are compacted once
    // dead entries outnumber live ones, so removing stays O(1) on the edit path.
    const words = new Set([...searchWords(fields.key), ...searchWords(fields.title), ...searchWords(fields.abstract)]);
    this.deadPostings += words.size;
    this.livePostings -= words.size;
    if (this.deadPostings > 100_000 && this.deadPostings > this.livePostings) this.compact();
  }

  private compact(): void {
    for (const list of this.postings) {
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const posting = list.data[i];
        if (this.alive[posting >> 2]) list.data[kept++] = posting;
      }
      list.length = kept;
    }
    this.deadPostings = 0;
  }

  private wordId(word: string): number {
    let id = this.wordIds.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.wordIds.set(word, id);
      this.words.push(word);
      this.postings.push(new IntList());
      const shape = word[0] + word.length;
      const bucket = this.wordsByShape.get(shape);
      if (bucket) bucket.push(id); else this.wordsByShape.set(shape, [id]);
      this.sortedWords = undefined;
    }
    return id;
  }

  /** Words of the index a query word may stand for, with how well each matches (0..1]. */
  private expandTerm(term: string, isLast: boolean): Map<number, number> {
    const matches = new Map<number, number>();
    const exact = this.wordIds.get(term);
    if (exact !== undefined) matches.set(exact, 1);
    // Prefixes: any query word may be a truncation ("param" for "parameters"), and the last one
    // is usually still being typed.
    if (term.length >= (isLast ? 1 : 3)) {
      const sorted = (this.sortedWords ??= [...this.words].sort());
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (sorted[mid] < term) low = mid + 1; else high = mid;
      }
      let expanded = 0;
      for (let i = low; i < sorted.length && sorted[i].startsWith(term) && expanded < MAX_PREFIX_EXPANSION; i++) {
        const id = this.wordIds.get(sorted[i])!;
        if (!matches.has(id)) {
          matches.set(id, 0.55 + 0.35 * (term.length / sorted[i].length));
          expanded++;
        }
      }
    }
    const edits = allowedEdits(term.length);
    if (edits > 0) {
      for (let length = term.length - edits; length <= term.length + edits; length++) {
        for (const id of this.wordsByShape.get(term[0] + length) ?? []) {
          if (matches.has(id)) continue;
          const distance = boundedEditDistance(term, this.words[id], edits);
          if (distance <= edits) matches.set(id, distance === 1 ? 0.6 : 0.4);
        }
      }
    }
    return matches;
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 50;
    const terms = [...new Set(searchWords(query))];
    if (terms.length === 0 || this.fields.size === 0) return [];
    const total = this.fields.size;
    const scores = new Map<number, number>();
    const termCounts = new Map<number, number>();
    terms.forEach((term, termIndex) => {
      const expansions = this.expandTerm(term, termIndex === terms.length - 1);
      const best = new Map<number, number>();
      for (const [wordId, quality] of expansions) {
        const list = this.postings[wordId];
        const idf = Math.log(1 + total / Math.max(1, list.length));
        for (let i = 0; i < list.length; i++) {
          const posting = list.data[i];
          const id = posting >> 2;
          if (!this.alive[id]) continue;
          const weight = (posting & FIELD_TITLE ? TITLE_WEIGHT : 0) + (posting & FIELD_ABSTRACT ? ABSTRACT_WEIGHT : 0);
          const value = quality * idf * weight;
          const previous = best.get(id);
          if (previous === undefined || value > previous) best.set(id, value);
        }
      }
      for (const [id, value] of best) {
        scores.set(id, (scores.get(id) ?? 0) + value);
        termCounts.set(id, (termCounts.get(id) ?? 0) + 1);
      }
    });

    // Every query word must match when any document matches them all; otherwise the best partial
    // matches are still worth showing (a person may have one word wrong).
    let candidates: { id: number; score: number }[] = [];
    for (const [id, score] of scores) {
      if (termCounts.get(id) === terms.length && (!options.filter || options.filter(id))) candidates.push({ id, score });
    }
    if (candidates.length === 0) {
      for (const [id, score] of scores) {
        if (!options.filter || options.filter(id)) candidates.push({ id, score: (score * (termCounts.get(id) ?? 0)) / terms.length });
      }
    }
    candidates = topByScore(candidates, Math.max(limit, RERANK_POOL));
    return this.rerank(query, candidates).slice(0, limit);
  }

  /** fuse.js orders the candidates by how closely key, title and abstract opening match. */
  private rerank(query: string, candidates: { id: number; score: number }[]): SearchHit[] {
    if (candidates.length === 0) return [];
    const topScore = candidates[0].score || 1;
    const docs = candidates.map(({ id }) => {
      const fields = this.fields.get(id)!;
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
    return hits;
  }

  /** Highlights for a hit fuse.js did not match: where the query words occur, as whole words. */
  private wordMatches(id: number, query: string): SearchHit['matches'] {
    const fields = this.fields.get(id)!;
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

/** The `count` highest-scoring items, best first (ties by id for a stable order). */
function topByScore<T extends { id: number; score: number }>(items: T[], count: number): T[] {
  items.sort((a, b) => b.score - a.score || a.id - b.id);
  return items.slice(0, count);
}
