/**
 * The extension's own protocol, declared once: the method names, parameters and results of the
 * custom requests and notifications between client and server, the commands the server hands the
 * client and their arguments, and the messages between the search panel's page and the extension.
 * Types and plain values only, no runtime dependency, so the search panel's browser bundle may
 * import it; the typed RequestType constants that client and server use are in `requests.ts`.
 */
import type { Command, Location, Position, Range } from 'vscode-languageserver-types';

/** `literatureDigest/search`: the search panel's query. */
export const SEARCH_REQUEST = 'literatureDigest/search';

export const SEARCH_SORTS: readonly SearchSort[] = ['relevance', 'date', 'upvotes'];
export type SearchSort = 'relevance' | 'date' | 'upvotes';

export interface SearchParams {
  query: string;
  limit?: number;
  minYear?: number;
  maxYear?: number;
  minUpvotes?: number;
  /** Only papers with an author whose name holds this text (needs their metadata lines). */
  author?: string;
  /** Only papers listed in this digest (a URI). */
  digest?: string;
  sort?: SearchSort;
}

/** What is wrong with a {@link SEARCH_REQUEST}'s params as a client sent them, or undefined when nothing is. */
export function searchParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, {
    query: [isString, 'a string'], limit: [optional(isNumber), 'a number'], minYear: [optional(isNumber), 'a number'], maxYear: [optional(isNumber), 'a number'],
    minUpvotes: [optional(isNumber), 'a number'], author: [optional(isString), 'a string'], digest: [optional(isString), 'a URI (a string)'], sort: [optional(oneOf(SEARCH_SORTS)), `one of ${SEARCH_SORTS.join(', ')}`],
  });
}

export interface SearchResultItem {
  key: string;
  title: string;
  date: string;
  /** null where the listing shows `-` (no count). */
  upvotes: number | null;
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

/** The command of the "cited N×" code lenses, run by the client (VS Code's references peek). */
export const SHOW_REFERENCES_COMMAND = 'literatureDigest.showReferences';

/** Arguments of {@link SHOW_REFERENCES_COMMAND}: the entry's document, where the peek opens, and the citations. */
export type ShowReferencesArguments = [uri: string, position: Position, locations: Location[]];

/** The command a code lens carries to show the citations of a paper at `position` in `uri`. */
export function showReferencesCommand(title: string, ...args: ShowReferencesArguments): Command & { arguments: ShowReferencesArguments } {
  return { title, command: SHOW_REFERENCES_COMMAND, arguments: args };
}

/**
 * Runs on the server (registered through executeCommandProvider): opens the literature note of a
 * paper, creating it first when there is none. The id keeps its old name for clients that send it;
 * the client's own command is literatureDigest.openNote (literatureDigest.createNote an alias).
 */
export const CREATE_NOTE_COMMAND = 'literatureDigest.server.createNote';

/** Runs on the server: writes a literature note's generated block again from its paper, as one undoable edit. */
export const REFRESH_NOTE_COMMAND = 'literatureDigest.server.refreshNote';

/** The tags of the HTML comments around a literature note's generated block (`<!-- literature-digest:begin key=… -->`). */
export const NOTE_BLOCK_BEGIN_TAG = 'literature-digest:begin';
export const NOTE_BLOCK_END_TAG = 'literature-digest:end';

/** Runs on the server: looks an entry up on Hugging Face Papers by its title and fills in its metadata. */
export const LOOK_UP_PAPER_COMMAND = 'literatureDigest.server.lookUpPaper';

/** Arguments of {@link LOOK_UP_PAPER_COMMAND}: the digest and the entry's 0-based line. */
export type LookUpPaperArguments = [uri: string, line: number];

export function lookUpPaperCommand(uri: string, line: number): Command & { arguments: LookUpPaperArguments } {
  return { title: 'Look Up on Hugging Face', command: LOOK_UP_PAPER_COMMAND, arguments: [uri, line] };
}

/** The arguments of {@link LOOK_UP_PAPER_COMMAND} as any client sent them, or undefined when malformed. */
export function lookUpPaperArguments(args: readonly unknown[] | undefined): LookUpPaperArguments | undefined {
  const [uri, line] = args ?? [];
  return typeof uri === 'string' && typeof line === 'number' && Number.isInteger(line) && line >= 0 ? [uri, line] : undefined;
}

/** Every command the server runs on `workspace/executeCommand`, for its capabilities. */
export const SERVER_COMMANDS: readonly string[] = [CREATE_NOTE_COMMAND, REFRESH_NOTE_COMMAND, LOOK_UP_PAPER_COMMAND];

/** `literatureDigest/addPapers`: fetch papers from Hugging Face Papers and add them to a digest, as one undoable edit. */
export const ADD_PAPERS_REQUEST = 'literatureDigest/addPapers';

export interface AddPapersParams {
  /** The digest to add to (an open document or a file). */
  uri: string;
  /** An arXiv id, a huggingface.co/papers or arxiv.org URL, a date YYYY-MM-DD, or a search query. */
  input: string;
}

/** What is wrong with a {@link ADD_PAPERS_REQUEST}'s params as a client sent them, or undefined when nothing is. */
export function addPapersParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { uri: [isString, 'a URI (a string)'], input: [isString, 'a string'] });
}

export interface AddPapersResult {
  /** False when nothing was changed: see `message`. */
  applied: boolean;
  added: number;
  filled: number;
  unchanged: number;
  /** What happened, for the person. */
  message: string;
}

/** Arguments of {@link CREATE_NOTE_COMMAND}: the citation key of the paper. */
export type CreateNoteArguments = [key: string];

/** What {@link CREATE_NOTE_COMMAND} answers: the note, and false in `created` when it existed already. */
export interface CreateNoteResult {
  uri: string;
  created: boolean;
}

/** The `workspace/executeCommand` parameters that create the literature note of the paper `key`. */
export function createNoteParams(key: string): { command: typeof CREATE_NOTE_COMMAND; arguments: CreateNoteArguments } {
  return { command: CREATE_NOTE_COMMAND, arguments: [key] };
}

/** The command a code action carries to open (or create) the literature note of the paper `key`. */
export function createNoteCommand(key: string): Command & { arguments: CreateNoteArguments } {
  return { title: 'Open Literature Note', ...createNoteParams(key) };
}

/**
 * The key in the arguments of {@link CREATE_NOTE_COMMAND} as any client sent them (untyped on
 * the wire): the first argument as a string, empty when missing.
 */
export function createNoteKey(args: readonly unknown[] | undefined): string {
  return String(args?.[0] ?? '');
}

/** Arguments of {@link REFRESH_NOTE_COMMAND}: the note (an open document or a file). */
export type RefreshNoteArguments = [uri: string];

/** What {@link REFRESH_NOTE_COMMAND} answers; the server has told the person already when nothing was applied. */
export interface RefreshNoteResult {
  /** True when the edit over the generated block was applied; false when it was current, broken or refused. */
  applied: boolean;
  /** The paper the begin marker names, when the block was found. */
  key?: string;
  /** What happened, for the person. */
  message: string;
}

/** The `workspace/executeCommand` parameters that refresh the literature note `uri`. */
export function refreshNoteParams(uri: string): { command: typeof REFRESH_NOTE_COMMAND; arguments: RefreshNoteArguments } {
  return { command: REFRESH_NOTE_COMMAND, arguments: [uri] };
}

/** The command a code lens carries to refresh the literature note `uri`. */
export function refreshNoteCommand(uri: string): Command & { arguments: RefreshNoteArguments } {
  return { title: 'Refresh Literature Note', ...refreshNoteParams(uri) };
}

/** The arguments of {@link REFRESH_NOTE_COMMAND} as any client sent them, or undefined when malformed. */
export function refreshNoteArguments(args: readonly unknown[] | undefined): RefreshNoteArguments | undefined {
  const [uri] = args ?? [];
  return typeof uri === 'string' && uri !== '' ? [uri] : undefined;
}

/** `literatureDigest/paperAt`: the paper under a position (an entry line or a citation), if any. */
export const PAPER_AT_REQUEST = 'literatureDigest/paperAt';

export interface PaperAtParams {
  uri: string;
  position: { line: number; character: number };
}

/** What is wrong with a {@link PAPER_AT_REQUEST}'s params as a client sent them, or undefined when nothing is. */
export function paperAtParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { uri: [isString, 'a URI (a string)'], position: [isPosition, 'a position ({ line, character }, integers from 0)'] });
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

export const EXPORT_FORMATS: readonly ExportParams['format'][] = ['bibtex', 'csl-json'];

/** What is wrong with an {@link EXPORT_REQUEST}'s params as a client sent them, or undefined when nothing is. */
export function exportParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { format: [oneOf(EXPORT_FORMATS), `one of ${EXPORT_FORMATS.join(', ')}`], digest: [optional(isString), 'a URI (a string)'], citedBy: [optional(isString), 'a URI (a string)'] });
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

// ---- checking params as they arrive --------------------------------------------------------
// Params come off the wire untyped: a client's mistake (`query: 5`, a paperAt without a position)
// reached the session and came back as -32603 with an internal message ("params.query.trim is not
// a function"). The server checks each custom request's params against these shapes where it
// binds the request and answers -32602 saying what is wrong (issue 16, #9).

type FieldCheck = (value: unknown) => boolean;

const isString: FieldCheck = (value) => typeof value === 'string';
const isNumber: FieldCheck = (value) => typeof value === 'number' && Number.isFinite(value);
const isPosition: FieldCheck = (value) => typeof value === 'object' && value !== null
  && [(value as Position).line, (value as Position).character].every((n) => Number.isInteger(n) && n >= 0);
/** Absent is allowed; null is not (the session reads absent fields as undefined only). */
const optional = (check: FieldCheck): FieldCheck => (value) => value === undefined || check(value);
const oneOf = (values: readonly unknown[]): FieldCheck => (value) => values.includes(value);

/** The first field of `params` that fails its check, said as `params.<name> must be <what>`. */
function paramsProblem(params: unknown, fields: Record<string, [check: FieldCheck, expected: string]>): string | undefined {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'params must be an object';
  for (const [name, [check, expected]] of Object.entries(fields)) {
    const value = (params as Record<string, unknown>)[name];
    if (!check(value)) return `params.${name} must be ${expected}${value === undefined ? ', and is missing' : `, not ${(JSON.stringify(value) ?? typeof value).slice(0, 60)}`}`;
  }
  return undefined;
}

// ---- the standard requests' params ---------------------------------------------------------
// The same for the LSP methods the server answers: `textDocument/hover` without a position, a
// `textDocument` that is a string, answered -32603 "Cannot read properties of undefined".

const isObject: FieldCheck = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isDocument: FieldCheck = (value) => isObject(value) && typeof (value as { uri?: unknown }).uri === 'string';
const isRange: FieldCheck = (value) => isObject(value) && isPosition((value as Range).start) && isPosition((value as Range).end);
const DOCUMENT: [FieldCheck, string] = [isDocument, 'an object with a string uri'];
const POSITION: [FieldCheck, string] = [isPosition, 'a position (line and character, whole numbers from 0)'];

/** `textDocument/documentSymbol`, `codeLens`, `foldingRange`, `documentLink`, `semanticTokens/full`. */
export function textDocumentParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { textDocument: DOCUMENT });
}

/** `textDocument/hover`, `completion`, `definition`, `prepareRename`. */
export function textDocumentPositionParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { textDocument: DOCUMENT, position: POSITION });
}

/** `textDocument/references`. */
export function referenceParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, {
    textDocument: DOCUMENT, position: POSITION,
    context: [(value) => isObject(value) && typeof (value as { includeDeclaration?: unknown }).includeDeclaration === 'boolean', 'an object with a boolean includeDeclaration'],
  });
}

/** `textDocument/rename`. */
export function renameParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { textDocument: DOCUMENT, position: POSITION, newName: [isString, 'a string'] });
}

/** `textDocument/codeAction`. */
export function codeActionParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, {
    textDocument: DOCUMENT, range: [isRange, 'a range (start and end positions)'],
    context: [(value) => isObject(value) && Array.isArray((value as { diagnostics?: unknown }).diagnostics), 'an object with a diagnostics array'],
  });
}

/** `workspace/symbol`. */
export function workspaceSymbolParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { query: [isString, 'a string'] });
}

/** `completionItem/resolve`: the item as completion gave it. */
export function completionItemProblem(params: unknown): string | undefined {
  return paramsProblem(params, { label: [isString, 'a string'] });
}

/** `workspace/executeCommand`. */
export function executeCommandParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { command: [isString, 'a string'], arguments: [optional(Array.isArray), 'an array'] });
}

// Notifications have no answer: one with such params is logged and dropped.

/** `textDocument/didOpen`. */
export function didOpenParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, {
    textDocument: [(value) => isDocument(value) && ['languageId', 'text'].every((field) => typeof (value as Record<string, unknown>)[field] === 'string') && Number.isInteger((value as { version?: unknown }).version),
      'an object with a string uri, languageId and text, and a whole-number version'],
  });
}

const isContentChange: FieldCheck = (value) => isObject(value) && typeof (value as { text?: unknown }).text === 'string'
  && ((value as { range?: unknown }).range === undefined || isRange((value as { range?: unknown }).range));

/** `textDocument/didChange`. */
export function didChangeParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, {
    textDocument: [(value) => isDocument(value) && Number.isInteger((value as { version?: unknown }).version), 'an object with a string uri and a whole-number version'],
    contentChanges: [(value) => Array.isArray(value) && value.every(isContentChange), 'an array of changes, each a string text with a range or without one'],
  });
}

/** `textDocument/didClose`. */
export function didCloseParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, { textDocument: DOCUMENT });
}

/** `workspace/didChangeWatchedFiles`. */
export function didChangeWatchedFilesParamsProblem(params: unknown): string | undefined {
  return paramsProblem(params, {
    changes: [(value) => Array.isArray(value) && value.every((change) => isDocument(change) && [1, 2, 3].includes((change as { type?: unknown }).type as number)), 'an array of changes, each a string uri and a type 1, 2 or 3'],
  });
}

// ---- the search panel: its page (a webview) and the extension ------------------------------

/** The panel's query, filters and sort, kept across reloads of the window. */
export type SearchPanelState = Pick<SearchParams, 'query' | 'minYear' | 'maxYear' | 'minUpvotes' | 'author' | 'digest' | 'sort'>;

/** A search result as the panel shows it: with the path of the file it is listed in, relative to the workspace. */
export interface SearchPanelItem extends SearchResultItem {
  file: string;
}

/** A digest in the panel's filter: its URI and the workspace-relative path shown. */
export interface SearchPanelDigest {
  uri: string;
  label: string;
}

/** A {@link SearchResult} with what the panel shows in place of URIs. */
export interface SearchPanelResult extends Omit<SearchResult, 'items' | 'digests'> {
  items: SearchPanelItem[];
  digests: SearchPanelDigest[];
}

/** What the panel's page posts to the extension. */
export type MessageFromSearchPanel =
  /** The page has loaded and waits for `init`. */
  | { type: 'ready' }
  /** A search; the answer carries the same `id`, so the page shows only the latest one's. */
  | { type: 'search'; id: number; params: SearchParams }
  | { type: 'open'; uri: string; line: number }
  | { type: 'insert'; key: string }
  | { type: 'copy'; key: string }
  | { type: 'state'; state: SearchPanelState };

/** What the extension posts to the panel's page. */
export type MessageToSearchPanel =
  /** The saved state (none before the first change) and the index's status, in answer to `ready`. */
  | { type: 'init'; state: SearchPanelState | undefined; status: StatusParams }
  | { type: 'results'; id: number; result: SearchPanelResult }
  | { type: 'error'; id: number; message: string }
  | { type: 'status'; status: StatusParams };
