/**
 * A bibliography file (BibTeX, BibLaTeX or CSL-JSON) as papers the workspace knows: each entry
 * becomes a listing with the same facts a digest entry gives (title, authors, date, year, abstract,
 * arXiv id, DOI, links), so every feature that reads papers reads these too, plus what only a
 * bibliography has (its own key, type, venue, the entry as written, for exports).
 *
 * The key is the file's own, never derived: a person's `.bib` names its papers. The identity (what
 * makes two entries one paper) is the digests' rule, folded title words and year, so the same
 * paper in a digest and in a Zotero export is one paper with both locations.
 */
import { paperIdentity } from '../digest/citationKeys';
import { DigestEntry } from '../digest/digestParser';
import { Span } from '../digest/entryLine';
import { normaliseArxivId, PaperLink, PaperMetadata } from '../digest/paperMetadata';
import { BibtexChunk, BibtexEntry, duplicateKeyMessage, entryStartsAt, parseBibtexChunk, predefinedStrings, resolveCrossrefs, splitBibtexChunks } from './bibtexParser';
import { CslItem, looksLikeCslJson, parseCslJson } from './cslJson';
import { texToText } from './texText';

export type LibraryFormat = 'bibtex' | 'csl-json';

/** What a bibliography entry says beyond what a listing says. */
export interface LibraryRecord {
  format: LibraryFormat;
  /** The entry's key (`@article{key,` or the CSL `id`). */
  key: string;
  /** `article`, `inproceedings`, `online` (BibTeX, lower case) or `article-journal`, `paper-conference` (CSL). */
  type: string;
  /** Journal, proceedings or publisher: where it appeared. */
  venue?: string;
  doi?: string;
  url?: string;
  /**
   * How many lines the entry runs on past its key's line (its last line is `line + lineSpan`):
   * relative, so an entry moved by an edit above it keeps its record.
   */
  lineSpan: number;
  /** Its identity by the digests' rule, before the file's own entries are told apart (see withoutKeylessAndRepeated). */
  baseIdentity: string;
  /** The key as BibTeX compares keys (lower case); the key itself for CSL-JSON. */
  foldedKey: string;
  /** Its paper ids (see paperIdsOf), worked out once. */
  paperIds?: string[];
  /** The entry as written: BibTeX source text, or the CSL item as parsed. */
  bibtex?: string;
  csl?: CslItem;
  /** The BibTeX fields, macros expanded and crossrefs resolved (TeX kept), for conversions. */
  fields?: ReadonlyMap<string, string>;
}

/** A bibliography entry read as a listing: a digest entry's facts and its record. */
export interface LibraryEntry extends DigestEntry {
  library: LibraryRecord;
}

export interface LibraryProblem {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedLibrary {
  format: LibraryFormat;
  entries: LibraryEntry[];
  problems: LibraryProblem[];
  /** A BibTeX file's chunks as read (see splitBibtexChunks), kept so that an edit re-reads only those it touched. */
  chunks?: LibraryChunk[];
  /**
   * What the whole file's entries add up to, kept current chunk by chunk (see ChunkCounts). A
   * re-reading takes them over (this reading's become undefined): re-read a reading once.
   */
  counts?: ChunkCounts;
}

/**
 * Counts over a BibTeX file's entries that only the whole file can tell, kept so that an edit
 * updates them by what its chunks held before and after instead of going over every entry.
 */
export interface ChunkCounts {
  /** Entries by folded key, by base identity, and how many inherit from each key (crossref, xdata). */
  keys: Map<string, number>;
  identities: Map<string, number>;
  parents: Map<string, number>;
  /** Keys held by more than one entry, base identities shared by more than one. */
  duplicateKeys: number;
  sharedIdentities: number;
  /** Entries without a key, and chunks with problems: when there are none, finishing is a splice. */
  keyless: number;
  chunksWithProblems: number;
}

/**
 * Where a chunk starts, shared by the chunk and its entries: an entry's line is the chunk's start
 * plus its own line in the chunk, so moving the chunk (an edit above it added a line) moves its
 * entries without new objects.
 */
interface LinePlace {
  startLine: number;
  /** Where the chunk starts in the file's text (UTF-16 offset). */
  startOffset: number;
}

/** One chunk of a BibTeX file: its text, what it says, and its entries as listings. */
export interface LibraryChunk {
  text: string;
  lineCount: number;
  place: LinePlace;
  read: BibtexChunk;
  entries: LibraryEntry[];
  /** Its problems, their lines counted from the chunk's first. */
  problems: LibraryProblem[];
  /** The keys (lower case) its entries inherit from. */
  parents: string[];
}

/**
 * The ids that make two listings one paper whatever their titles: the arXiv id (`arxiv:2311.10702`)
 * and a DOI other than arXiv's (`doi:10.1002/...`, lower case).
 */
export function paperIdsOf(entry: DigestEntry): string[] {
  if (isLibraryEntry(entry)) return (entry.library.paperIds ??= idsOf(entry.metadata?.arxiv, entry.library.doi ?? entry.metadata?.doi));
  return entry.metadata ? idsOf(entry.metadata.arxiv, entry.metadata.doi) : NONE;
}

function idsOf(arxiv: string | undefined, doi: string | undefined): string[] {
  if (!arxiv && !doi) return NONE;
  const ids: string[] = [];
  if (arxiv) ids.push(`arxiv:${arxiv}`);
  if (doi && !ARXIV_DOI.test(doi)) ids.push(`doi:${doi.toLowerCase()}`);
  return ids;
}

const ARXIV_DOI = /^10\.48550\//i;

/** The same entry under another identity (see LibraryListing.withIdentity). */
export function withIdentity(entry: LibraryEntry, identity: string): LibraryEntry {
  return (entry as LibraryListing).withIdentity(identity);
}

/** The last line of a bibliography entry. */
export function lastLineOf(entry: LibraryEntry): number {
  return entry.line + entry.library.lineSpan;
}

export function isLibraryEntry(entry: DigestEntry): entry is LibraryEntry {
  return (entry as LibraryEntry).library !== undefined;
}

/** The format a file's name and content say, or undefined when it is no bibliography. */
export function libraryFormatOf(path: string, text: string): LibraryFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.bib') || lower.endsWith('.bibtex') || lower.endsWith('.biblatex')) return 'bibtex';
  if (lower.endsWith('.json') && looksLikeCslJson(text)) return 'csl-json';
  return undefined;
}

/**
 * Reads a bibliography. `uri` makes the identity of an entry that has no title or year unique to
 * its file (such entries are never merged with others).
 */
/**
 * What an edit changed: `start`..`end` of the text before it (UTF-16 offsets) became `text`.
 * With it, a BibTeX file is re-read from its chunks alone: the new text of the whole file is not
 * read at all (reading a 36 MB string an editor has just concatenated costs V8 a copy of it).
 */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

export function parseLibrary(uri: string, text: string, format: LibraryFormat, previous?: ParsedLibrary): ParsedLibrary {
  if (format === 'bibtex') return (previous?.chunks && previous.counts && rereadBibtex(uri, previous, comparedChunks(text, previous.chunks))) || readBibtex(uri, text);
  const lines = new LineIndex(text);
  const parsed = parseCslJson(text);
  const place = { startLine: 0, startOffset: 0 };
  const entries = parsed.entries.map((entry) => cslListing(uri, entry.item, entry.key, entry.start, entry.end, entry.keyStart, entry.keyEnd, lines, place));
  return { format, entries: withoutKeylessAndRepeated(entries, format), problems: parsed.problems.map((problem) => problemAt(lines, problem)) };
}

/** A whole BibTeX file, chunk by chunk. */
function readBibtex(uri: string, text: string): ParsedLibrary {
  const strings = predefinedStrings();
  const texts = splitBibtexChunks(text);
  const reads = texts.map((chunk) => parseBibtexChunk(chunk, strings));
  resolveCrossrefs(reads.flatMap((read) => read.entries));
  let line = 0;
  let offset = 0;
  const chunks = reads.map((read, i) => {
    const chunk = chunkListings(uri, texts[i], read, line, offset);
    line += chunk.lineCount;
    offset += texts[i].length;
    return chunk;
  });
  const counts: ChunkCounts = { keys: new Map(), identities: new Map(), parents: new Map(), duplicateKeys: 0, sharedIdentities: 0, keyless: 0, chunksWithProblems: 0 };
  for (const chunk of chunks) countChunk(counts, chunk, 1);
  return finishBibtex(chunks, counts);
}

function countChunk(counts: ChunkCounts, chunk: LibraryChunk, sign: 1 | -1): void {
  const bump = (map: Map<string, number>, key: string): number => {
    const before = map.get(key) ?? 0;
    const after = before + sign;
    if (after === 0) map.delete(key); else map.set(key, after);
    // 1 <-> 2 is where a key becomes shared or stops being so.
    return (before <= 1 && after > 1) ? 1 : (before > 1 && after <= 1) ? -1 : 0;
  };
  if (chunk.problems.length > 0) counts.chunksWithProblems += sign;
  for (const entry of chunk.entries) {
    if (entry.library.key === '') { counts.keyless += sign; continue; }
    counts.duplicateKeys += bump(counts.keys, entry.library.foldedKey);
    counts.sharedIdentities += bump(counts.identities, entry.library.baseIdentity);
  }
  for (const parent of chunk.parents) bump(counts.parents, parent);
}



/**
 * The file after an edit, from the chunks before it: those the edit left alone (the same text
 * before and after the changed ones) keep what they read, moved by the lines the edit added or
 * removed; the others are read again. Undefined when the whole file must be read again: an
 * `@string` changed (later values may change), or an entry that others inherit from
 * (`crossref`, `xdata`) did.
 */
function rereadBibtex(uri: string, previous: ParsedLibrary, unchanged: UnchangedChunks): ParsedLibrary | undefined {
  const old = previous.chunks;
  const oldCounts = previous.counts;
  if (!old || !oldCounts) return undefined;
  const { head, tail, changedTexts } = unchanged;
  const changedOld = old.slice(head, old.length - tail);
  if (changedOld.some((chunk) => chunk.read.strings.length > 0)) return undefined;
  const strings = predefinedStrings();
  for (const chunk of old.slice(0, head)) for (const [name, value] of chunk.read.strings) strings.set(name, value);
  const reads = changedTexts.map((chunk) => parseBibtexChunk(chunk, strings));
  if (reads.some((read) => read.strings.length > 0)) return undefined;
  const parents = oldCounts.parents;
  const changedEntries = [...changedOld.flatMap((chunk) => chunk.read.entries), ...reads.flatMap((read) => read.entries)];
  if (changedEntries.some((entry) => parents.has(entry.key.toLowerCase()))) return undefined;
  const inheriting = reads.flatMap((read) => read.entries.filter((entry) => entry.fields.has('crossref') || entry.fields.has('xdata')));
  if (inheriting.length > 0) {
    // A changed entry inherits: resolve it against its parents (resolved already) and the changed entries.
    const wanted = new Set(inheritedKeys(inheriting));
    const among: BibtexEntry[] = reads.flatMap((read) => read.entries);
    for (const chunk of [...old.slice(0, head), ...old.slice(old.length - tail)]) {
      for (const entry of chunk.read.entries) if (wanted.has(entry.key.toLowerCase())) among.push(entry);
    }
    resolveCrossrefs(inheriting, among);
  }
  const chunks: LibraryChunk[] = old.slice(0, head);
  let line = head > 0 ? old[head - 1].place.startLine + old[head - 1].lineCount : 0;
  let offset = head > 0 ? old[head - 1].place.startOffset + old[head - 1].text.length : 0;
  reads.forEach((read, i) => {
    const chunk = chunkListings(uri, changedTexts[i], read, line, offset);
    chunks.push(chunk);
    line += chunk.lineCount;
    offset += changedTexts[i].length;
  });
  for (const chunk of old.slice(old.length - tail)) {
    // Moved in place: the previous reading is given up to this one.
    chunk.place.startLine = line;
    chunk.place.startOffset = offset;
    chunks.push(chunk);
    line += chunk.lineCount;
    offset += chunk.text.length;
  }
  // The counts move on to the new reading (copying 20,000 keys a keystroke cost more than the rest).
  const counts = oldCounts;
  previous.counts = undefined;
  const wasClean = isClean(counts);
  for (const chunk of changedOld) countChunk(counts, chunk, -1);
  for (const chunk of chunks.slice(head, chunks.length - tail)) countChunk(counts, chunk, 1);
  if (wasClean && isClean(counts)) {
    // Nothing for the whole file to tell before or after: the entries are the previous ones with
    // the changed chunks' spliced in (native copies, no pass over 20,000 entries).
    let headEntries = 0;
    for (let i = 0; i < head; i++) headEntries += old[i].entries.length;
    let tailEntries = 0;
    for (let i = old.length - tail; i < old.length; i++) tailEntries += old[i].entries.length;
    const middle: LibraryEntry[] = [];
    for (let i = head; i < chunks.length - tail; i++) for (const entry of chunks[i].entries) middle.push(entry);
    const entries = previous.entries.slice(0, headEntries).concat(middle, previous.entries.slice(previous.entries.length - tailEntries));
    return { format: 'bibtex', entries, problems: [], chunks, counts };
  }
  return finishBibtex(chunks, counts);
}

/** No duplicate key, shared identity, keyless entry or problem anywhere in the file. */
function isClean(counts: ChunkCounts): boolean {
  return counts.duplicateKeys === 0 && counts.sharedIdentities === 0 && counts.keyless === 0 && counts.chunksWithProblems === 0;
}

interface UnchangedChunks {
  /** Chunks kept from the start and from the end. */
  head: number;
  tail: number;
  /** The new text between them, cut into chunks. */
  changedTexts: string[];
}

/** The chunks before and after the edit, found by comparing the old chunks with the new text's. */
function comparedChunks(text: string, old: LibraryChunk[]): UnchangedChunks {
  const texts = splitBibtexChunks(text);
  let head = 0;
  while (head < old.length && head < texts.length && old[head].text === texts[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < texts.length - head && old[old.length - 1 - tail].text === texts[texts.length - 1 - tail]) tail++;
  return { head, tail, changedTexts: texts.slice(head, texts.length - tail) };
}

/**
 * A BibTeX file after an edit, from the last reading and the change alone (see TextChange): the
 * chunks the change reaches are cut again from their own text with the change applied; a chunk
 * next to them joins them when the edit moves the boundary between (text typed before an `@`, a
 * line break removed before one). Undefined when the change does not fit the last reading.
 */
export function rereadLibrary(uri: string, previous: ParsedLibrary, change: TextChange): ParsedLibrary | undefined {
  const old = previous.chunks;
  if (!old || old.length === 0 || !previous.counts) return undefined;
  const lastChunk = old[old.length - 1];
  const length = lastChunk.place.startOffset + lastChunk.text.length;
  if (change.start < 0 || change.end > length || change.start > change.end) return undefined;
  // The chunks holding the change's start and end (a change at a boundary reaches both sides).
  let first = chunkAt(old, change.start);
  if (first > 0 && old[first].place.startOffset === change.start) first--;
  let last = chunkAt(old, change.end);
  let region = '';
  for (;;) {
    const from = old[first].place.startOffset;
    const joined = old.slice(first, last + 1).map((chunk) => chunk.text).join('');
    region = joined.slice(0, change.start - from) + change.text + joined.slice(change.end - from);
    // The region must begin where a chunk begins (else the chunk before runs into it) ...
    if (first > 0 && !(region.length === 0 || entryStartsAt(region, 0))) { first--; continue; }
    // ... and end where the next begins: after a line break.
    if (last < old.length - 1 && region.length > 0 && region.charCodeAt(region.length - 1) !== 10) { last++; continue; }
    if (last < old.length - 1 && region.length === 0 && first > 0) { first--; continue; }
    break;
  }
  return rereadBibtex(uri, previous, { head: first, tail: old.length - 1 - last, changedTexts: region === '' ? [] : splitBibtexChunks(region) });
}

/** The index of the chunk that holds offset `at` (the last one for the end of the text). */
function chunkAt(chunks: LibraryChunk[], at: number): number {
  let low = 0;
  let high = chunks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (chunks[mid].place.startOffset <= at) low = mid; else high = mid - 1;
  }
  return low;
}

/** The keys (lower case) that entries name in `crossref` or `xdata`. */
function inheritedKeys(entries: BibtexEntry[]): string[] {
  let keys: string[] | undefined;
  for (const entry of entries) {
    for (const field of INHERITING_FIELDS) {
      const names = entry.fields.get(field);
      if (names) for (const name of names.split(',')) (keys ??= []).push(name.trim().toLowerCase());
    }
  }
  // Most chunks inherit nothing: they share one empty list.
  return keys ?? NONE;
}

const INHERITING_FIELDS = ['crossref', 'xdata'];
const NONE: string[] = Object.freeze([]) as unknown as string[];
const NO_LIBRARY_PROBLEMS: LibraryProblem[] = Object.freeze([]) as unknown as LibraryProblem[];

/** A field's value as text, or undefined when the entry has none. */
function fieldText(fields: ReadonlyMap<string, string>, name: string): string | undefined {
  const value = fields.get(name);
  return value === undefined ? undefined : texToText(value);
}

function chunkListings(uri: string, text: string, read: BibtexChunk, startLine: number, startOffset: number): LibraryChunk {
  const lines = new ChunkLines(text);
  const place = { startLine, startOffset };
  return {
    text,
    lineCount: lines.lineCount - 1,
    place,
    read,
    entries: read.entries.map((entry) => bibtexListing(uri, text, entry, lines, place)),
    problems: read.problems.length === 0 ? NO_LIBRARY_PROBLEMS : read.problems.map((problem) => problemAt(lines, problem)),
    parents: inheritedKeys(read.entries),
  };
}


/**
 * The file's entries and problems from its chunks, with what only the whole file can tell: keys
 * an earlier entry has (reported, left out) and identities two entries share (told apart). The
 * counts say whether there are any, so that the usual file costs one pass of pointer compares.
 */
function finishBibtex(chunks: LibraryChunk[], counts: ChunkCounts): ParsedLibrary {
  const entries: LibraryEntry[] = [];
  const problems: LibraryProblem[] = [];
  for (const chunk of chunks) {
    const start = chunk.place.startLine;
    for (const problem of chunk.problems) problems.push({ ...problem, line: problem.line + start, endLine: problem.endLine + start });
  }
  const seenKeys = counts.duplicateKeys > 0 ? new Set<string>() : undefined;
  const seenIdentities = counts.sharedIdentities > 0 ? new Set<string>() : undefined;
  for (const chunk of chunks) {
    for (const entry of chunk.entries) {
      const record = entry.library;
      if (record.key === '') continue;
      if (seenKeys && (counts.keys.get(record.foldedKey) ?? 0) > 1) {
        if (seenKeys.has(record.foldedKey)) {
          problems.push({ line: entry.line, character: entry.spans.title.start, endLine: entry.line, endCharacter: entry.spans.title.end, message: duplicateKeyMessage(record.key), severity: 'error' });
          continue;
        }
        seenKeys.add(record.foldedKey);
      }
      let identity = record.baseIdentity;
      if (seenIdentities && (counts.identities.get(identity) ?? 0) > 1) {
        // Two entries of one file with the same title and year (a book and its reprint, biblatex's
        // `related` entries) are two entries the person keeps apart.
        if (seenIdentities.has(identity)) identity = `${identity}#${record.key}`;
        seenIdentities.add(identity);
      }
      // An entry kept from before an edit is shared with the index: a new identity takes a new object.
      entries.push(identity === entry.identity ? entry : (entry as LibraryListing).withIdentity(identity));
    }
  }
  return { format: 'bibtex', entries, problems, chunks, counts };
}

/**
 * The entries that count: one without a key cannot be cited, and of two with one key in a file
 * the first counts (as BibTeX and biber take it); both are reported as problems already.
 */
function withoutKeylessAndRepeated(entries: LibraryEntry[], format: LibraryFormat): LibraryEntry[] {
  const seen = new Set<string>();
  const identities = new Set<string>();
  const kept: LibraryEntry[] = [];
  for (const entry of entries) {
    if (entry.library.key === '') continue;
    const key = format === 'bibtex' ? entry.library.key.toLowerCase() : entry.library.key;
    if (seen.has(key)) continue;
    seen.add(key);
    // Two entries of one file with the same title and year (a book and its reprint, biblatex's
    // `related` entries) are two entries the person keeps apart: only across files, or with a
    // digest, is the same title and year one paper.
    const base = entry.library.baseIdentity;
    const identity = identities.has(base) ? `${base}#${entry.library.key}` : base;
    identities.add(identity);
    // An entry kept from before an edit is shared with the index: a new identity takes a new object.
    kept.push(identity === entry.identity ? entry : (entry as LibraryListing).withIdentity(identity));
  }
  return kept;
}

// ---- BibTeX ---------------------------------------------------------------------------------

function bibtexListing(uri: string, text: string, entry: BibtexEntry, lines: Lines, place: LinePlace): LibraryEntry {
  const field = (name: string): string | undefined => fieldText(entry.fields, name);
  const mainTitle = field('title') ?? '';
  const subtitle = field('subtitle');
  const title = subtitle ? (mainTitle ? `${mainTitle}: ${subtitle}` : subtitle) : mainTitle;
  // Names are decoded when first read (hover, search's author words in idle time, exports).
  const people = entry.fields.get('author') ?? entry.fields.get('editor') ?? '';
  const names = people === '' ? NONE : () => bibtexNames(people);
  const date = bibtexDate(entry.fields);
  const arxiv = bibtexArxivId(entry.fields);
  const doi = field('doi')?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  const url = field('url');
  const venue = field('journaltitle') ?? field('journal') ?? field('booktitle') ?? field('eventtitle') ?? field('publisher') ?? field('institution') ?? field('school') ?? field('organization');
  const record: LibraryRecord = {
    format: 'bibtex', key: entry.key, type: entry.type, baseIdentity: '', foldedKey: entry.key.toLowerCase(),
    lineSpan: lines.lineOf(Math.max(entry.start, entry.end - 1)), bibtex: text.slice(entry.start, entry.end), fields: entry.fields,
    ...(venue ? { venue } : {}), ...(doi ? { doi } : {}), ...(url ? { url } : {}),
  };
  // The abstract is decoded when first read (search indexes abstracts in idle time, hover on demand).
  const abstract = entry.fields.get('abstract');
  return listing(uri, entry.key, title, abstract === undefined ? '' : () => texToText(abstract), names, date, arxiv, doi, url, entry.keyStart, entry.keyEnd, lines, place, record);
}

/**
 * BibTeX's name list: names separated by `and` outside braces, each `Family, Given`,
 * `Family, Jr, Given` or `Given von Family`, shown as "Given Family"; `{Braced Names}` and
 * `others` as they are.
 */
export function bibtexNames(value: string): string[] {
  if (value.trim() === '') return [];
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  // `and` between white space, outside braces, by char codes: this runs for every entry.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth--;
    else if (depth === 0 && isWhite(c) && (value.charCodeAt(i + 1) | 0x20) === 97 && (value.charCodeAt(i + 2) | 0x20) === 110
      && (value.charCodeAt(i + 3) | 0x20) === 100 && isWhite(value.charCodeAt(i + 4))) {
      names.push(value.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  names.push(value.slice(start));
  const shown: string[] = [];
  for (const name of names) {
    const parts = (name.includes('{') ? splitOutsideBraces(name, ',') : name.split(',')).map((part) => texToText(part.trim()));
    let text: string;
    if (parts.length === 1) text = parts[0];
    else {
      const [family, ...rest] = parts;
      text = (rest.length === 2 ? `${rest[1]} ${family}, ${rest[0]}` : `${rest.join(' ')} ${family}`).trim();
    }
    if (text !== '') shown.push(text);
  }
  return shown;
}

function isWhite(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function splitOutsideBraces(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (depth === 0 && text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** biblatex's `date` (`2024-03-05`, `2024-03`, `2024`, ranges `2023/2024`), else `year`, `month`, `day`. */
function bibtexDate(fields: ReadonlyMap<string, string>): { iso: string; year: number } {
  const date = fields.get('date');
  const match = date ? /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date) : null;
  if (match) return { iso: [match[1], match[2], match[3]].filter(Boolean).join('-'), year: Number(match[1]) };
  const year = /\d{4}/.exec(texToText(fields.get('year') ?? ''))?.[0];
  if (!year) return { iso: '', year: 0 };
  const monthText = texToText(fields.get('month') ?? '').toLowerCase();
  const monthNumber = /^\d{1,2}$/.test(monthText) ? Number(monthText) : MONTH_NAMES.indexOf(monthText.slice(0, 3)) + 1;
  const day = /^\d{1,2}$/.test(texToText(fields.get('day') ?? '')) ? Number(texToText(fields.get('day')!)) : 0;
  const parts = [year];
  if (monthNumber >= 1 && monthNumber <= 12) {
    parts.push(String(monthNumber).padStart(2, '0'));
    if (day >= 1 && day <= 31) parts.push(String(day).padStart(2, '0'));
  }
  return { iso: parts.join('-'), year: Number(year) };
}

/** An arXiv id from `eprint` (with `eprinttype`/`archiveprefix` arXiv), an arXiv DOI or URL, or `journal = {arXiv preprint arXiv:...}`. */
function bibtexArxivId(fields: ReadonlyMap<string, string>): string | undefined {
  const kind = (fields.get('eprinttype') ?? fields.get('archiveprefix') ?? '').toLowerCase();
  const eprint = fields.get('eprint');
  if (eprint && (kind === 'arxiv' || kind === '')) {
    const id = normaliseArxivId(eprint);
    if (id) return id;
  }
  return arxivIdIn([fields.get('doi'), fields.get('url'), fields.get('journal'), fields.get('journaltitle'), fields.get('note')]);
}

function arxivIdIn(values: (string | undefined)[]): string | undefined {
  for (const value of values) {
    if (!value) continue;
    const match = /(?:10\.48550\/arxiv\.|arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*)([\w./-]+?)(?:v\d+)?(?:\.pdf)?(?=$|[\s}/?#,])/i.exec(value);
    const id = match ? normaliseArxivId(match[1]) : undefined;
    if (id) return id;
  }
  return undefined;
}

// ---- CSL-JSON -------------------------------------------------------------------------------

function cslListing(uri: string, item: CslItem, key: string, start: number, end: number, keyStart: number, keyEnd: number, lines: LineIndex, place: LinePlace): LibraryEntry {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.replace(/\s+/g, ' ').trim() : typeof value === 'number' ? String(value) : undefined);
  const people = Array.isArray(item.author) ? item.author : Array.isArray(item.editor) ? item.editor : [];
  const names = people.map((person) => {
    if (!person || typeof person !== 'object') return '';
    const p = person as Record<string, unknown>;
    return text(p.literal) ?? [text(p.given), text(p['non-dropping-particle']), text(p.family), text(p.suffix)].filter(Boolean).join(' ');
  }).filter((name) => name !== '');
  const date = cslDate(item.issued);
  const doi = text(item.DOI)?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  const url = text(item.URL);
  const arxiv = arxivIdIn([text(item.DOI), url, text(item.number), text(item['container-title'])]);
  const venue = text(item['container-title']) ?? text(item['collection-title']) ?? text(item.publisher) ?? text(item['event-title']);
  const type = text(item.type) ?? 'document';
  const record: LibraryRecord = {
    format: 'csl-json', key, type, baseIdentity: '', foldedKey: key, lineSpan: lines.lineOf(Math.max(start, end - 1)), csl: item,
    ...(venue ? { venue } : {}), ...(doi ? { doi } : {}), ...(url ? { url } : {}),
  };
  // CSL's rich text is a little HTML (`<i>`, `<b>`, `<sub>`, `<span class="nocase">`): shown as its text.
  const title = (text(item.title) ?? '').replace(/<\/?(?:i|b|sub|sup|sc|span)\b[^>]*>/gi, '');
  return listing(uri, key, title, text(item.abstract) ?? '', names, date, arxiv, doi, url, keyStart, keyEnd, lines, place, record);
}

/** CSL's `issued`: `date-parts` (`[[2024, 3, 5]]`), or `raw`/`literal` text holding a year. */
function cslDate(issued: unknown): { iso: string; year: number } {
  if (!issued || typeof issued !== 'object') return { iso: '', year: 0 };
  const value = issued as Record<string, unknown>;
  const parts = Array.isArray(value['date-parts']) && Array.isArray(value['date-parts'][0]) ? (value['date-parts'][0] as unknown[]).map(Number) : [];
  if (parts.length > 0 && Number.isInteger(parts[0]) && parts[0] > 0) {
    const [year, month, day] = parts;
    const iso = [String(year).padStart(4, '0')];
    if (Number.isInteger(month) && month >= 1 && month <= 12) {
      iso.push(String(month).padStart(2, '0'));
      if (Number.isInteger(day) && day >= 1 && day <= 31) iso.push(String(day).padStart(2, '0'));
    }
    return { iso: iso.join('-'), year };
  }
  const raw = typeof value.raw === 'string' ? value.raw : typeof value.literal === 'string' ? value.literal : '';
  const match = /(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(raw);
  return match ? { iso: [match[1], match[2], match[3]].filter(Boolean).join('-'), year: Number(match[1]) } : { iso: '', year: 0 };
}

// ---- the listing ----------------------------------------------------------------------------

const NO_NOTES: number[] = Object.freeze([]) as unknown as number[];
const NO_PROBLEMS: PaperMetadata['problems'] = Object.freeze([]) as unknown as PaperMetadata['problems'];

function listing(
  uri: string, key: string, title: string, abstract: string | (() => string), names: string[] | (() => string[]), date: { iso: string; year: number },
  arxiv: string | undefined, doi: string | undefined, url: string | undefined, keyStart: number, keyEnd: number,
  lines: Lines, place: LinePlace, library: LibraryRecord,
): LibraryEntry {
  const line = lines.lineOf(keyStart);
  const keySpan: Span = { start: keyStart - lines.startOf(line), end: keyEnd - lines.startOf(line) };
  // Without a title and year the entry is only itself: its identity names its file and key.
  library.baseIdentity = title && date.year > 0 ? paperIdentity(title, date.year) : `${uri}#${key}`;
  // The record was given the entry's last line; it keeps it relative to the key's line.
  library.lineSpan = Math.max(0, library.lineSpan - line);
  const links: PaperLink[] = url && !(arxiv && /arxiv\.org/i.test(url)) && /^https?:\/\//i.test(url) ? [{ label: 'url', url }] : [];
  const metadata = new LibraryMetadata(names, links, arxiv, doi && !ARXIV_DOI.test(doi) ? doi : undefined);
  return new LibraryListing(place, line, title || key, abstract, date, key, library.baseIdentity, keySpan, metadata, library);
}

/**
 * A bibliography entry as a listing. Its line is its chunk's start plus its line in the chunk (a
 * getter), so that an edit above it moves it without a new object; the rest are plain fields.
 */
class LibraryListing implements LibraryEntry {
  readonly upvotes = 0;
  readonly yearInferred = false;
  readonly comments = null;
  readonly split = SPLIT_AS_WRITTEN;
  readonly noteLines = NO_NOTES;
  readonly spans: DigestEntry['spans'];
  readonly date: string;
  readonly year: number;

  constructor(
    private readonly place: LinePlace,
    private readonly lineInPlace: number,
    readonly title: string,
    private abstractText: string | (() => string),
    date: { iso: string; year: number },
    readonly baseKey: string,
    public identity: string,
    keySpan: Span,
    readonly metadata: PaperMetadata,
    readonly library: LibraryRecord,
  ) {
    this.date = date.iso;
    this.year = date.year;
    this.spans = { upvotes: keySpan, title: keySpan, abstract: keySpan, authors: keySpan, date: keySpan };
  }

  get line(): number {
    return this.place.startLine + this.lineInPlace;
  }

  get authors(): number {
    return this.metadata.authorNames.length;
  }

  get abstract(): string {
    if (typeof this.abstractText === 'function') this.abstractText = this.abstractText();
    return this.abstractText;
  }

  /** The same entry under another identity (two entries of a file with one title and year). */
  withIdentity(identity: string): LibraryListing {
    const copy = Object.assign(Object.create(LibraryListing.prototype) as LibraryListing, this);
    copy.identity = identity;
    return copy;
  }
}

const SPLIT_AS_WRITTEN: DigestEntry['split'] = Object.freeze({ source: 'marker', confidence: 1 });

/** A bibliography entry's metadata: its authors' names decoded from TeX when first read. */
class LibraryMetadata implements PaperMetadata {
  readonly problems = NO_PROBLEMS;
  readonly arxiv?: string;
  readonly doi?: string;

  constructor(private names: string[] | (() => string[]), readonly links: PaperLink[], arxiv: string | undefined, doi: string | undefined) {
    if (arxiv) this.arxiv = arxiv;
    if (doi) this.doi = doi;
  }

  get authorNames(): string[] {
    if (typeof this.names === 'function') this.names = this.names();
    return this.names;
  }
}

/** What a listing needs of its text's lines. */
interface Lines {
  lineOf(offset: number): number;
  startOf(line: number): number;
}

/** A reader's problem (offsets) as lines and columns. */
function problemAt(lines: Lines, problem: { start: number; end: number; message: string; severity: 'error' | 'warning' }): LibraryProblem {
  const line = lines.lineOf(problem.start);
  const endLine = lines.lineOf(problem.end);
  return { line, character: problem.start - lines.startOf(line), endLine, endCharacter: problem.end - lines.startOf(endLine), message: problem.message, severity: problem.severity };
}

/**
 * The lines of a chunk (one entry, a few dozen lines), counted when asked: cheaper than a table of
 * line starts for each of 20,000 chunks, and the key is on the first line almost always.
 */
class ChunkLines implements Lines {
  constructor(private readonly text: string) {}

  /** Lines in the chunk (one more than its line breaks). */
  get lineCount(): number {
    let count = 1;
    for (let at = this.text.indexOf('\n'); at >= 0; at = this.text.indexOf('\n', at + 1)) count++;
    return count;
  }

  lineOf(offset: number): number {
    let line = 0;
    for (let at = this.text.indexOf('\n'); at >= 0 && at < offset; at = this.text.indexOf('\n', at + 1)) line++;
    return line;
  }

  startOf(line: number): number {
    let start = 0;
    for (let i = 0; i < line; i++) start = this.text.indexOf('\n', start) + 1;
    return start;
  }
}

/** Offsets to lines and columns of a whole file (CSL-JSON), by binary search over the line starts. */
class LineIndex implements Lines {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return low;
  }

  startOf(line: number): number {
    return this.starts[line];
  }
}
