/**
 * Reads a digest file: every line becomes an entry, a heading, a reader's note on an entry, a
 * capture-date line, a blank, or an unrecognised line. Nothing is dropped, and every field of an
 * entry carries its character range in the line so hover, highlighting and diagnostics can point
 * at it.
 */
import { splitLines } from '../shared/text';
import { paperKeyParts } from './citationKeys';
import { CaptureDate, isPossibleDate, toIsoDate, WrittenDate, yearForYearlessDate } from './dates';
import { EntrySpans, Span, TITLE_SPLIT_MARKER } from './entryLine';
import { EntryLineParts, LineReading, readLine } from './lineReading';
import { PaperMetadata } from './paperMetadata';

/** Below this confidence an inferred title split is reported as doubtful. */
export const DOUBTFUL_SPLIT_CONFIDENCE = 0.5;

export interface DigestEntry {
  /** 0-based line number in the file. */
  line: number;
  /** null for `-` (no count shown). */
  upvotes: number | null;
  title: string;
  abstract: string;
  authors: number;
  /** ISO `YYYY-MM-DD`. */
  date: string;
  year: number;
  /** True when the line gave no year and the capture-year rule supplied it. */
  yearInferred: boolean;
  /** The trailing comment count, or null when the line has none. */
  comments: number | null;
  /** The key this paper gets unless another paper in the workspace competes for it. */
  baseKey: string;
  /** What makes two entries the same paper (see {@link paperIdentity}). */
  identity: string;
  spans: EntrySpans;
  split: { source: 'marker' | 'inferred'; confidence: number };
  /** Line numbers of the reader's notes on this entry (indented or `>` lines right after it). */
  noteLines: number[];
  /** Index into {@link ParsedDigest.headings} of the innermost heading above, if any. */
  heading?: number;
  /** What the entry's metadata line says (arXiv id, authors, links), when it has one. */
  metadata?: PaperMetadata;
  /** The line of {@link metadata}. */
  metadataLine?: number;
}

export interface DigestHeading {
  line: number;
  level: number;
  text: string;
  /** Index of the enclosing heading of lower level, if any. */
  parent?: number;
  /** Span of the heading text (after the `#`s). */
  textSpan: Span;
}

export type LineKind = 'blank' | 'heading' | 'entry' | 'metadata' | 'note' | 'capture' | 'unrecognised';

/** Something wrong with a line, worth telling the person who wrote it. */
export interface LineProblem {
  line: number;
  span: Span;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: 'broken-entry' | 'stray-metadata' | 'bad-metadata' | 'impossible-date' | 'no-authors' | 'doubtful-split' | 'duplicate-entry' | 'line-too-long' | 'assumed-capture-year';
  message: string;
  /** For duplicates: the other line of the same paper. */
  relatedLine?: number;
}

export interface ParsedDigest {
  /** The lines of the file (without line ends or byte-order mark). */
  lines: string[];
  /**
   * What each line says on its own; kept so an edit re-reads only what changed. A digest parsed
   * on a worker thread leaves out the readings of its entry lines, which {@link readingsOf}
   * rebuilds from the entries when the file is first edited.
   */
  readings: (LineReading | undefined)[];
  /** One kind per line of the file. */
  lineKinds: LineKind[];
  entries: DigestEntry[];
  headings: DigestHeading[];
  /** The capture-date lines, in order. */
  captures: { line: number; capture: CaptureDate }[];
  problems: LineProblem[];
  /** True when the file began with a byte-order mark (removed before parsing). */
  hadByteOrderMark: boolean;
  /**
   * The capture year of yearless dates above every `captured:` line: the year after the latest year
   * written out, or else the fallback year (see {@link DigestParseOptions.fallbackCaptureYear}).
   */
  defaultCaptureYear: number;
}

export interface DigestParseOptions {
  /**
   * The capture year for yearless dates when neither a `captured:` line nor a dated entry tells
   * it. Defaults to the current year.
   */
  fallbackCaptureYear?: number;
  /**
   * Lines longer than this are not parsed as entries (reported instead), which bounds the time
   * and memory a hostile file can cost. Default: 1,000,000 characters.
   */
  maxLineLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 1_000_000;

/** Parses a whole digest file. */
export function parseDigest(text: string, options: DigestParseOptions = {}): ParsedDigest {
  const hadByteOrderMark = text.charCodeAt(0) === 0xfeff;
  const lines = splitLines(hadByteOrderMark ? text.slice(1) : text);
  return assembleDigest(lines, new Array<LineReading | undefined>(lines.length), hadByteOrderMark, options);
}

/** Parses a digest already split into lines (see fileContent.decodeLines). */
export function parseDigestLines(lines: string[], hadByteOrderMark: boolean, options: DigestParseOptions = {}): ParsedDigest {
  return assembleDigest(lines, new Array<LineReading | undefined>(lines.length), hadByteOrderMark, options);
}

/**
 * Re-parses a digest after lines `start` .. `start + deleteCount` were replaced by `inserted`.
 * Lines outside the edit keep their cached reading, so a one-line edit in a 10,000-entry file
 * costs one line's parse plus a cheap pass that renumbers lines and reapplies the year rule.
 * Line 0, when it is among `inserted`, is the start of the text: a byte-order mark there is no
 * part of the line, as in {@link parseDigest}.
 */
export function editDigest(previous: ParsedDigest, start: number, deleteCount: number, inserted: string[], options: DigestParseOptions = {}): ParsedDigest {
  if (start === 0 && inserted.length > 0) {
    // The editor's line 0 holds the mark parseDigest strips: kept, it hid a heading on line 0
    // and put every range of that line one character off (issue 16, #3).
    const hadByteOrderMark = inserted[0].charCodeAt(0) === 0xfeff;
    if (hadByteOrderMark) inserted = [inserted[0].slice(1), ...inserted.slice(1)];
    if (hadByteOrderMark !== previous.hadByteOrderMark) previous = { ...previous, hadByteOrderMark };
  }
  const inPlace = editEntriesInPlace(previous, start, deleteCount, inserted, options);
  if (inPlace) return inPlace;
  const lines = previous.lines.slice();
  const readings = readingsOf(previous);
  lines.splice(start, deleteCount, ...inserted);
  readings.splice(start, deleteCount, ...new Array<LineReading | undefined>(inserted.length));
  return assembleDigest(lines, readings, previous.hadByteOrderMark, options);
}

/** A digest's line readings, those of entry lines rebuilt from their entries where left out. */
export function readingsOf(digest: ParsedDigest): (LineReading | undefined)[] {
  const readings = digest.readings.slice();
  for (const entry of digest.entries) readings[entry.line] ??= readingOfEntry(entry);
  return readings;
}

/** The date as the line wrote it: month and day, and the year unless the year rule gave it. */
export function writtenDateOf(entry: DigestEntry): WrittenDate {
  const month = Number(entry.date.slice(-5, -3));
  const day = Number(entry.date.slice(-2));
  return entry.yearInferred ? { month, day } : { month, day, year: entry.year };
}

/** The reading of an entry's line, as {@link readLine} gave it, with the entry cached on it. */
function readingOfEntry(entry: DigestEntry): LineReading {
  const { upvotes, title, abstract, authors, comments, spans, split } = entry;
  return { kind: 'entry', noteLike: false, parts: { upvotes, title, abstract, authors, writtenDate: writtenDateOf(entry), comments, spans, split }, entry };
}

function assembleDigest(lines: string[], readings: (LineReading | undefined)[], hadByteOrderMark: boolean, options: DigestParseOptions): ParsedDigest {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const lineKinds: LineKind[] = new Array(lines.length);
  const headings: DigestHeading[] = [];
  const captures: ParsedDigest['captures'] = [];
  const problems: LineProblem[] = [];
  const pending: { line: number; reading: LineReading; capture: number; heading?: number; noteLines: number[]; metadataLine?: number }[] = [];
  let latestExplicitYear: number | undefined;
  /** Index of the entry the next note line belongs to, or -1 when a note would be out of place. */
  let noteOwner = -1;
  let currentHeading: number | undefined;

  for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber];
    const reading = (readings[lineNumber] ??= readLine(line, maxLineLength));
    switch (reading.kind) {
      case 'blank':
        lineKinds[lineNumber] = 'blank';
        continue;
      case 'heading': {
        const { level, text, textSpan } = reading.heading!;
        let parent = currentHeading;
        while (parent !== undefined && headings[parent].level >= level) parent = headings[parent].parent;
        headings.push({ line: lineNumber, level, text, parent, textSpan });
        currentHeading = headings.length - 1;
        lineKinds[lineNumber] = 'heading';
        noteOwner = -1;
        continue;
      }
      case 'metadata': {
        for (const problem of reading.metadata!.problems) problems.push({ line: lineNumber, span: problem.span, severity: 'warning', code: 'bad-metadata', message: problem.message });
        // It belongs to the entry right above (after that entry's notes, if any), once.
        if (noteOwner >= 0 && pending[noteOwner].metadataLine === undefined) {
          pending[noteOwner].metadataLine = lineNumber;
          lineKinds[lineNumber] = 'metadata';
          continue;
        }
        lineKinds[lineNumber] = 'unrecognised';
        problems.push({
          line: lineNumber, span: { start: 0, end: line.length }, severity: 'warning', code: 'stray-metadata',
          message: noteOwner >= 0 ? 'the entry above already has a metadata line; merge the two' : 'a metadata line belongs right under the entry it describes',
        });
        noteOwner = -1;
        continue;
      }
      default:
        break;
    }
    if (noteOwner >= 0 && reading.noteLike) {
      lineKinds[lineNumber] = 'note';
      pending[noteOwner].noteLines.push(lineNumber);
      continue;
    }
    noteOwner = -1;
    switch (reading.kind) {
      case 'capture':
        captures.push({ line: lineNumber, capture: reading.capture! });
        lineKinds[lineNumber] = 'capture';
        break;
      case 'entry': {
        lineKinds[lineNumber] = 'entry';
        latestExplicitYear = laterWrittenYear(latestExplicitYear, reading.parts!.writtenDate.year);
        pending.push({ line: lineNumber, reading, capture: captures.length - 1, heading: currentHeading, noteLines: [] });
        noteOwner = pending.length - 1;
        break;
      }
      case 'broken':
        lineKinds[lineNumber] = 'unrecognised';
        problems.push({ line: lineNumber, span: { start: 0, end: line.length }, severity: 'warning', code: 'broken-entry', message: `broken entry: ${reading.brokenReason}` });
        break;
      case 'too-long':
        lineKinds[lineNumber] = 'unrecognised';
        problems.push({
          line: lineNumber, span: { start: 0, end: 0 }, severity: 'warning', code: 'line-too-long',
          message: `line is ${line.length.toLocaleString('en')} characters long, over the limit of ${maxLineLength.toLocaleString('en')} (setting maxLineLength); it is kept but not read as an entry`,
        });
        break;
      default:
        lineKinds[lineNumber] = 'unrecognised';
    }
  }

  const defaultCapture: CaptureDate = { year: defaultCaptureYearOf(latestExplicitYear, options) };
  const entries: DigestEntry[] = [];
  // The first entry whose year comes from the file's date, if any, is told so (see pushEntryProblems).
  const assumedYearAt = latestExplicitYear === undefined ? pending.find((item) => item.capture < 0)?.line : undefined;
  for (const item of pending) {
    const parts = item.reading.parts!;
    const capture = item.capture >= 0 ? captures[item.capture].capture : defaultCapture;
    const year = entryYear(parts.writtenDate, capture);
    const previous = item.reading.entry;
    const metadata = item.metadataLine !== undefined ? readings[item.metadataLine]!.metadata : undefined;
    const reusable = previous !== undefined && previous.line === item.line && previous.year === year
      && previous.heading === item.heading && sameNumbers(previous.noteLines, item.noteLines)
      && previous.metadataLine === item.metadataLine && previous.metadata === metadata;
    const entry = reusable ? previous : buildEntry(item.line, parts, year, previous, item.heading, item.noteLines, item.metadataLine, metadata);
    item.reading.entry = entry;
    entries.push(entry);
    pushEntryProblems(problems, entry, parts, item.line === assumedYearAt);
  }
  // After each line's own problems (the sort below keeps their order within a line).
  pushDuplicateProblems(problems, entries);
  problems.sort((a, b) => a.line - b.line);
  return { lines, readings, lineKinds, entries, headings, captures, problems, hadByteOrderMark, defaultCaptureYear: defaultCapture.year };
}

// The year rule, in the functions below that the full parse and the in-place edit both call.
// Hugging Face writes the year only for dates outside the year of viewing, so without a
// `captured:` line the capture year is the one after the latest year written out.
function defaultCaptureYearOf(latestExplicitYear: number | undefined, options: DigestParseOptions): number {
  return latestExplicitYear !== undefined ? latestExplicitYear + 1 : options.fallbackCaptureYear ?? new Date().getFullYear();
}

/** The latest year written out so far, given the year an entry's date writes (undefined when none). */
function laterWrittenYear(latest: number | undefined, writtenYear: number | undefined): number | undefined {
  return writtenYear !== undefined && (latest === undefined || writtenYear > latest) ? writtenYear : latest;
}

/** An entry's year: the one its date writes, or else the one its capture date gives. */
function entryYear(written: WrittenDate, capture: CaptureDate): number {
  return written.year ?? yearForYearlessDate(written, capture);
}

/** The year an entry's line writes out, undefined when the year rule supplied it. */
function writtenYearOf(entry: DigestEntry): number | undefined {
  return entry.yearInferred ? undefined : entry.year;
}

/** The entry of a line; its key and identity are those of `previous` when the year is the same. */
function buildEntry(line: number, parts: EntryLineParts, year: number, previous: DigestEntry | undefined, heading: number | undefined, noteLines: number[], metadataLine?: number, metadata?: PaperMetadata): DigestEntry {
  const written = parts.writtenDate;
  const derived = previous !== undefined && previous.year === year ? previous : paperKeyParts(parts.title, year);
  const entry: DigestEntry = {
    line,
    upvotes: parts.upvotes,
    title: parts.title,
    abstract: parts.abstract,
    authors: parts.authors,
    date: toIsoDate(year, written.month, written.day),
    year,
    yearInferred: written.year === undefined,
    comments: parts.comments,
    baseKey: derived.baseKey,
    identity: derived.identity,
    spans: parts.spans,
    split: parts.split,
    noteLines,
  };
  if (heading !== undefined) entry.heading = heading;
  if (metadataLine !== undefined && metadata) {
    entry.metadata = metadata;
    entry.metadataLine = metadataLine;
  }
  return entry;
}

/**
 * What is wrong with an entry on its own (duplicates are found across entries). `assumedYear`:
 * the entry is the first whose date takes the year of the file's last save, because the file
 * writes no year and no `captured:` line: saving it in another year would change that year, and
 * every key; a hint says so, with a quick fix that writes the year down.
 */
function pushEntryProblems(problems: LineProblem[], entry: DigestEntry, parts: EntryLineParts, assumedYear: boolean): void {
  if (assumedYear) {
    problems.push({
      line: entry.line, span: parts.spans.date, severity: 'hint', code: 'assumed-capture-year',
      message: `dates without a year are read as ${entry.year}, the year this file was last saved (it writes no year of its own); add 'captured: ${entry.year}' above the entries to keep them so`,
    });
  }
  const { month, day } = parts.writtenDate;
  if (!isPossibleDate(entry.year, month, day)) {
    problems.push({ line: entry.line, span: parts.spans.date, severity: 'warning', code: 'impossible-date', message: `impossible date: ${toIsoDate(entry.year, month, day)} does not exist` });
  }
  if (parts.authors === 0) {
    problems.push({ line: entry.line, span: parts.spans.authors, severity: 'warning', code: 'no-authors', message: 'the entry says it has 0 authors' });
  }
  if (parts.split.source === 'inferred' && parts.split.confidence < DOUBTFUL_SPLIT_CONFIDENCE) {
    problems.push({
      line: entry.line, span: parts.spans.title, severity: 'hint', code: 'doubtful-split',
      message: `the title may end elsewhere: check it, and type '${TITLE_SPLIT_MARKER.trim()}' between title and abstract to fix it`,
    });
  }
}

function duplicateProblem(entry: DigestEntry, earlier: number): LineProblem {
  return { line: entry.line, span: entry.spans.title, severity: 'information', code: 'duplicate-entry', message: `the same paper is already listed on line ${earlier + 1}`, relatedLine: earlier };
}

/**
 * The duplicate rule: a paper's first entry is its listing, each later entry of the same paper
 * (identity) is a duplicate of that one. `among`: look only at the papers whose identity it
 * accepts (the in-place edit looks again only at those the edit touched).
 */
function pushDuplicateProblems(problems: LineProblem[], entries: DigestEntry[], among?: (identity: string) => boolean): void {
  const firstLineOfPaper = new Map<string, number>();
  for (const entry of entries) {
    if (among && !among(entry.identity)) continue;
    const earlier = firstLineOfPaper.get(entry.identity);
    if (earlier === undefined) firstLineOfPaper.set(entry.identity, entry.line);
    else problems.push(duplicateProblem(entry, earlier));
  }
}

/**
 * The common edit while typing in a large digest: entry lines replaced by entry lines, each with
 * its year written out as before (or still not). Nothing else about the file can change then
 * (kinds of lines, headings, notes, capture years), so only the edited entries are rebuilt, where
 * {@link assembleDigest} would go through every line (a one-line edit of a 10,000-entry file
 * updates the index in about 1 ms instead of 3, `npm run bench`). Returns undefined for any other
 * edit. The result is the one a full parse would give (a property test edits random digests).
 */
function editEntriesInPlace(previous: ParsedDigest, start: number, deleteCount: number, inserted: string[], options: DigestParseOptions): ParsedDigest | undefined {
  if (deleteCount === 0 || deleteCount !== inserted.length || start < 0 || start + deleteCount > previous.lines.length) return undefined;
  if (deleteCount === 1 && previous.lineKinds[start] === 'metadata') return editMetadataInPlace(previous, start, inserted[0], options);
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const first = entryIndexAt(previous.entries, start);
  const newReadings: LineReading[] = [];
  for (let k = 0; k < deleteCount; k++) {
    const old = previous.entries[first + k];
    if (old === undefined || old.line !== start + k) return undefined;
    const reading = readLine(inserted[k], maxLineLength);
    if (reading.kind !== 'entry' || reading.noteLike) return undefined;
    if (reading.parts!.writtenDate.year !== writtenYearOf(old)) return undefined;
    newReadings.push(reading);
  }
  if (!yearRuleReadsAsBefore(previous, options)) return undefined;

  const lines = previous.lines.slice();
  const readings = readingsOf(previous);
  const entries = previous.entries.slice();
  // Which entry is told that its year is the file's: the same one, as years and captures stay.
  const assumedYearAt = previous.problems.find((problem) => problem.code === 'assumed-capture-year')?.line;
  const editedLines = new Set<number>();
  const editedProblems: LineProblem[] = [];
  /** The identities the edit took away or brought: only papers with these can gain or lose a duplicate. */
  const changedIdentities: string[] = [];
  for (let k = 0; k < deleteCount; k++) {
    const line = start + k;
    const old = entries[first + k];
    const reading = newReadings[k];
    const parts = reading.parts!;
    const capture = captureAt(previous, line);
    const year = entryYear(parts.writtenDate, capture);
    const entry = buildEntry(line, parts, year, undefined, old.heading, old.noteLines, old.metadataLine, old.metadata);
    reading.entry = entry;
    lines[line] = inserted[k];
    readings[line] = reading;
    entries[first + k] = entry;
    editedLines.add(line);
    pushEntryProblems(editedProblems, entry, parts, assumedYearAt === line);
    if (entry.identity !== old.identity) changedIdentities.push(old.identity, entry.identity);
  }
  // Duplicates are found again among the papers whose identity changed (a handful: comparing each
  // entry's identity with them is cheap, where a map of all identities cost a millisecond), or
  // among all papers when many changed.
  const affected = changedIdentities.length === 0 ? undefined
    : changedIdentities.length <= 8 ? (identity: string) => changedIdentities.includes(identity) : () => true;
  // Problems stay in line order, those of one entry line in the order assembleDigest gives them
  // (duplicates last): kept ones, then the edited lines' own, then duplicates, sorted stably.
  const problems = previous.problems.filter((problem) => !editedLines.has(problem.line)
    && !(affected && problem.code === 'duplicate-entry' && affected(entries[entryIndexAt(entries, problem.line)].identity)));
  problems.push(...editedProblems);
  // An edited entry that kept its identity is a duplicate of the same line as before.
  for (const problem of previous.problems) {
    if (problem.code !== 'duplicate-entry' || !editedLines.has(problem.line)) continue;
    const entry = entries[entryIndexAt(entries, problem.line)];
    if (!affected?.(entry.identity)) problems.push(duplicateProblem(entry, problem.relatedLine!));
  }
  if (affected) pushDuplicateProblems(problems, entries, affected);
  problems.sort((a, b) => a.line - b.line);
  return {
    lines, readings, lineKinds: previous.lineKinds.slice(), entries, headings: previous.headings, captures: previous.captures, problems,
    hadByteOrderMark: previous.hadByteOrderMark, defaultCaptureYear: previous.defaultCaptureYear,
  };
}

/**
 * A metadata line replaced by a metadata line: only its entry's metadata and the line's own
 * problems change (the key and identity do not depend on it), so typing an author's name in a
 * large digest costs what typing in an entry line does.
 */
function editMetadataInPlace(previous: ParsedDigest, line: number, text: string, options: DigestParseOptions): ParsedDigest | undefined {
  if (!yearRuleReadsAsBefore(previous, options)) return undefined;
  const reading = readLine(text, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  if (reading.kind !== 'metadata') return undefined;
  const at = entryIndexAt(previous.entries, line) - 1;
  const old = previous.entries[at];
  if (old === undefined || old.metadataLine !== line) return undefined;
  const lines = previous.lines.slice();
  const readings = readingsOf(previous);
  lines[line] = text;
  readings[line] = reading;
  const parts = readings[old.line]!.parts!;
  const entry = buildEntry(old.line, parts, old.year, old, old.heading, old.noteLines, line, reading.metadata);
  readings[old.line]!.entry = entry;
  const entries = previous.entries.slice();
  entries[at] = entry;
  const problems = previous.problems.filter((problem) => problem.line !== line);
  for (const problem of reading.metadata!.problems) problems.push({ line, span: problem.span, severity: 'warning', code: 'bad-metadata', message: problem.message });
  problems.sort((a, b) => a.line - b.line);
  return {
    lines, readings, lineKinds: previous.lineKinds.slice(), entries, headings: previous.headings, captures: previous.captures, problems,
    hadByteOrderMark: previous.hadByteOrderMark, defaultCaptureYear: previous.defaultCaptureYear,
  };
}

/**
 * Whether the year rule reads the unedited entries as it did: it does unless the file has no year
 * written out and the fallback year differs now.
 */
function yearRuleReadsAsBefore(previous: ParsedDigest, options: DigestParseOptions): boolean {
  let latestExplicitYear: number | undefined;
  for (const entry of previous.entries) latestExplicitYear = laterWrittenYear(latestExplicitYear, writtenYearOf(entry));
  return defaultCaptureYearOf(latestExplicitYear, options) === previous.defaultCaptureYear;
}

/** The index of the first entry on or after `line` (entries are in line order). */
function entryIndexAt(entries: DigestEntry[], line: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle].line < line) low = middle + 1; else high = middle;
  }
  return low;
}

/** The capture date that applies to a line: the last `captured:` line above it, or the default. */
function captureAt(digest: ParsedDigest, line: number): CaptureDate {
  let capture: CaptureDate = { year: digest.defaultCaptureYear };
  for (const item of digest.captures) {
    if (item.line > line) break;
    capture = item.capture;
  }
  return capture;
}

function sameNumbers(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
