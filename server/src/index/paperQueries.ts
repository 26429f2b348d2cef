/** Searching the papers of the workspace index: the options and results, and the filters they apply. */
import { foldText } from '../shared/text';
import { authorNamesOf } from './paperFacts';
import { SearchHit } from './searchIndex';
import { Paper } from './summaries';

export interface PaperSearchResult {
  paper: Paper;
  score: number;
  matches: SearchHit['matches'];
}

export interface PaperSearchOptions {
  limit?: number;
  minYear?: number;
  maxYear?: number;
  minUpvotes?: number;
  /** Only papers listed in this digest. */
  uri?: string;
  /** Only papers one of whose authors' names (from a metadata line) holds this text, in any case and accents. */
  author?: string;
  /** Answer from what is indexed now, without waiting for abstracts still queued (see SearchIndex). */
  partial?: boolean;
}

/** True when a paper passes the filters of `options` (year range, upvotes, digest, author). */
export function passesFilters(paper: Paper, { minYear, maxYear, minUpvotes, uri, author }: PaperSearchOptions): boolean {
  const shown = paper.locations[0].entry;
  if (minYear !== undefined && shown.year < minYear) return false;
  if (maxYear !== undefined && shown.year > maxYear) return false;
  if (minUpvotes !== undefined && (shown.upvotes ?? 0) < minUpvotes) return false;
  if (uri !== undefined && !paper.locations.some((location) => location.uri === uri)) return false;
  // `author` comes folded (see foldedFilters): folding it once per search, not once per paper.
  if (author && !authorNamesOf(paper).some((name) => foldText(name).includes(author))) return false;
  return true;
}

/** The filters with the author folded (case and accents removed) once, as passesFilters compares it; a blank author filters nothing. */
export function foldedFilters(options: PaperSearchOptions): PaperSearchOptions {
  if (options.author === undefined) return options;
  const author = foldText(options.author.trim());
  return { ...options, author: author || undefined };
}

/** Levenshtein distance: for "did you mean" among keys. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
