/**
 * Custom requests and notifications between the client and the server, declared once. Plain
 * method names and parameter types: the client and the server each wrap them in their own
 * RequestType, so this file needs no runtime dependency.
 */

/** `literatureDigest/search`: the search panel's query. */
export const SEARCH_REQUEST = 'literatureDigest/search';

export type SearchSort = 'relevance' | 'date' | 'upvotes';

export interface SearchParams {
  query: string;
  limit?: number;
  minYear?: number;
  maxYear?: number;
  minUpvotes?: number;
  /** Only papers listed in this digest (a URI). */
  digest?: string;
  sort?: SearchSort;
}

export interface SearchResultItem {
  key: string;
  title: string;
  date: string;
  upvotes: number;
  authors: number;
  comments: number | null;
  /** The start of the abstract. */
  abstractStart: string;
  /** Where it is listed: the digest URI and 0-based line, first the one shown. */
  locations: { uri: string; line: number }[];
  /** Ranges to highlight, [start, end) in title, key and abstractStart. */
  matches: { title: [number, number][]; key: [number, number][]; abstract: [number, number][] };
}

export interface SearchResult {
  items: SearchResultItem[];
  /** Papers in the workspace. */
  total: number;
  /** True while the workspace is still being indexed. */
  indexing: boolean;
  /** Digest files known (for the panel's filter). */
  digests: string[];
}

/** `literatureDigest/status` (server → client): how many papers are indexed, and whether indexing is going on. */
export const STATUS_NOTIFICATION = 'literatureDigest/status';

export interface StatusParams {
  papers: number;
  digests: number;
  notes: number;
  indexing: boolean;
  /** Papers whose abstract words are still being indexed (in idle time); search finds them by key and title meanwhile. */
  pendingAbstracts?: number;
}

/** `literatureDigest/reindex` (client → server): read the workspace again from disk. */
export const REINDEX_REQUEST = 'literatureDigest/reindex';

/** Commands the server's code lenses and code actions carry, run by the client. */
export const SHOW_REFERENCES_COMMAND = 'literatureDigest.showReferences';
/** Runs on the server (registered through executeCommandProvider); the client's own command is literatureDigest.createNote. */
export const CREATE_NOTE_COMMAND = 'literatureDigest.server.createNote';

/** `literatureDigest/paperAt`: the paper under a position (an entry line or a citation), if any. */
export const PAPER_AT_REQUEST = 'literatureDigest/paperAt';

export interface PaperAtParams {
  uri: string;
  position: { line: number; character: number };
}

export interface PaperAtResult {
  key: string;
  title: string;
}

/** `literatureDigest/citedPapers`: every cited paper that exists, for the Markdown preview's links. */
export const CITED_PAPERS_REQUEST = 'literatureDigest/citedPapers';

export interface CitedPaper {
  key: string;
  title: string;
  date: string;
  uri: string;
  line: number;
}

/** `literatureDigest/export`: the papers as a bibliography, for the Export Bibliography command. */
export const EXPORT_REQUEST = 'literatureDigest/export';

export interface ExportParams {
  format: 'bibtex' | 'csl-json';
  /** Only the papers listed in this digest (a URI). */
  digest?: string;
  /** Only the papers this note (a URI) cites. */
  citedBy?: string;
}

export interface ExportResult {
  text: string;
  papers: number;
}

/** `literatureDigest/serverInfo`: the server process, for diagnostics and the crash-recovery test. */
export const SERVER_INFO_REQUEST = 'literatureDigest/serverInfo';

export interface ServerInfo {
  pid: number;
  version: string;
}
