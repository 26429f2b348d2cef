/**
 * A parsed digest in a form that crosses from a worker thread to the main thread cheaply.
 *
 * Posting a {@link ParsedDigest} as it is would make the structured clone copy a dozen small
 * objects per entry, which costs more than parsing. So the numbers of every entry go into one
 * Int32Array (transferred, not copied), the strings that are not in the lines (keys, identities)
 * into flat arrays, and the main thread rebuilds the objects from the lines it receives: a title is
 * a slice of its line, found by its span, and the lines themselves are slices of two long strings
 * (see {@link PackedDigest}). Rare lines (headings, capture lines, broken entries) and
 * the problems travel as plain objects.
 */
import { CaptureDate, toIsoDate } from '../digest/dates';
import { DigestEntry, DigestHeading, LineKind, LineProblem, ParsedDigest, writtenDateOf } from '../digest/digestParser';
import { EntrySpans, Span } from '../digest/entryLine';
import { EntryLineParts, LineReading } from '../digest/lineReading';

export interface PackedDigest {
  /**
   * The lines, concatenated: lines without characters beyond Latin-1 as one byte per character in
   * `latin1Bytes` (moved to the main thread, not copied, and read there as one string, which V8
   * stores one byte per character), the others in `wideText`, which crosses as one copy (a string
   * per line cost a hundred thousand); the lines are slices of these two strings.
   */
  latin1Bytes: Uint8Array;
  wideText: string;
  /** Per line: where it starts in its text; the top bit set means `wideText`. */
  lineStarts: Int32Array;
  lineLengths: Int32Array;
  hadByteOrderMark: boolean;
  defaultCaptureYear: number;
  /** LINE_KINDS index per line. */
  lineKinds: Uint8Array;
  /** READING_KINDS index per line, plus NOTE_LIKE when the line is indented or quoted. */
  readingKinds: Uint8Array;
  /** Readings other than entries, blanks and plain lines: headings, capture and metadata lines, broken entries. */
  otherReadings: { line: number; reading: LineReading }[];
  /**
   * ENTRY_STRIDE integers per entry (see the E_ offsets below). Integers, so that the numbers the
   * main thread reads back are small integers V8 keeps in the object, not a boxed double each.
   */
  entryNumbers: Int32Array;
  /** Each entry's split confidence, the one number that is not an integer. */
  confidences: Float64Array;
  /** The note line numbers of every entry, one after another (each entry says where its run starts). */
  noteLines: Int32Array;
  /** Each entry's base key and identity, in entry order, every one followed by a newline (neither contains one). */
  keyText: string;
  headings: DigestHeading[];
  captures: { line: number; capture: CaptureDate }[];
  problems: LineProblem[];
}

const LINE_KINDS: LineKind[] = ['blank', 'heading', 'entry', 'metadata', 'note', 'capture', 'unrecognised'];
const READING_KINDS: LineReading['kind'][] = ['blank', 'heading', 'capture', 'metadata', 'entry', 'broken', 'too-long', 'other'];
const NOTE_LIKE = 0x80;
const LINE_KIND_CODE = new Map(LINE_KINDS.map((kind, code) => [kind, code]));
const READING_KIND_CODE = new Map(READING_KINDS.map((kind, code) => [kind, code]));
const ENTRY_READING = READING_KIND_CODE.get('entry')!;

// Offsets into an entry's run of numbers. -1 stands for "absent" where a field is optional.
const E_LINE = 0;
const E_UPVOTES = 1;
const E_AUTHORS = 2;
const E_MONTH = 3;
const E_DAY = 4;
const E_WRITTEN_YEAR = 5;
const E_COMMENTS = 6;
const E_YEAR = 7;
const E_HEADING = 8;
const E_SPLIT_MARKER_SOURCE = 9;
const E_NOTES_START = 10;
const E_NOTES_COUNT = 11;
const E_METADATA_LINE = 12;
/** Seven spans (upvotes, title, abstract, authors, date, comments, split marker), two numbers each. */
const E_SPANS = 13;
const SPAN_NAMES = ['upvotes', 'title', 'abstract', 'authors', 'date', 'comments', 'splitMarker'] as const;
const ENTRY_STRIDE = E_SPANS + 2 * SPAN_NAMES.length;

/** The typed arrays of a packed digest, to hand to postMessage as its transfer list. */
export function transferablesOf(packed: PackedDigest): ArrayBuffer[] {
  return [packed.latin1Bytes.buffer, packed.lineStarts.buffer, packed.lineLengths.buffer, packed.lineKinds.buffer, packed.readingKinds.buffer, packed.entryNumbers.buffer, packed.confidences.buffer, packed.noteLines.buffer] as ArrayBuffer[];
}

const WIDE = 0x40000000;
const BEYOND_LATIN1 = /[^\x00-\xff]/;

function packLines(lines: string[]): Pick<PackedDigest, 'latin1Bytes' | 'wideText' | 'lineStarts' | 'lineLengths'> {
  const wide: string[] = [];
  const lineStarts = new Int32Array(lines.length);
  const lineLengths = new Int32Array(lines.length);
  let latin1Length = 0;
  let wideLength = 0;
  // The test costs next to nothing on the usual line, which V8 holds one byte per character: it
  // rejects such a string without reading it.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    lineLengths[i] = line.length;
    if (BEYOND_LATIN1.test(line)) {
      lineStarts[i] = wideLength | WIDE;
      wide.push(line);
      wideLength += line.length;
    } else {
      lineStarts[i] = latin1Length;
      latin1Length += line.length;
    }
  }
  // One byte per character, copied natively: joining the strings and cloning the result would copy twice more.
  const latin1Bytes = Buffer.allocUnsafeSlow(latin1Length);
  for (let i = 0; i < lines.length; i++) {
    if ((lineStarts[i] & WIDE) === 0 && lineLengths[i] > 0) latin1Bytes.write(lines[i], lineStarts[i], lineLengths[i], 'latin1');
  }
  return { latin1Bytes, wideText: wide.join(''), lineStarts, lineLengths };
}

function unpackLines(packed: PackedDigest): string[] {
  const { latin1Bytes, wideText, lineStarts, lineLengths } = packed;
  const latin1Text = Buffer.from(latin1Bytes.buffer, latin1Bytes.byteOffset, latin1Bytes.byteLength).toString('latin1');
  const lines: string[] = new Array(lineStarts.length);
  for (let i = 0; i < lines.length; i++) {
    const start = lineStarts[i];
    lines[i] = start & WIDE ? wideText.slice(start & ~WIDE, (start & ~WIDE) + lineLengths[i]) : latin1Text.slice(start, start + lineLengths[i]);
  }
  return lines;
}

export function packDigest(digest: ParsedDigest): PackedDigest {
  const { lines, readings, entries } = digest;
  const lineKinds = new Uint8Array(lines.length);
  const readingKinds = new Uint8Array(lines.length);
  const otherReadings: PackedDigest['otherReadings'] = [];
  for (let line = 0; line < lines.length; line++) {
    lineKinds[line] = LINE_KIND_CODE.get(digest.lineKinds[line])!;
    const reading = readings[line];
    if (!reading) {
      readingKinds[line] = ENTRY_READING; // left out: an entry line (see readingsOf)
      continue;
    }
    readingKinds[line] = READING_KIND_CODE.get(reading.kind)! | (reading.noteLike ? NOTE_LIKE : 0);
    if (reading.kind === 'heading' || reading.kind === 'capture' || reading.kind === 'broken' || reading.kind === 'metadata') {
      otherReadings.push({ line, reading: { kind: reading.kind, noteLike: reading.noteLike, heading: reading.heading, capture: reading.capture, brokenReason: reading.brokenReason, metadata: reading.metadata } });
    }
  }
  const entryNumbers = new Int32Array(entries.length * ENTRY_STRIDE);
  const confidences = new Float64Array(entries.length);
  let noteCount = 0;
  for (const entry of entries) noteCount += entry.noteLines.length;
  const noteLines = new Int32Array(noteCount);
  const keys: string[] = new Array(entries.length * 2);
  let notesAt = 0;
  entries.forEach((entry, index) => {
    const writtenDate = writtenDateOf(entry);
    const at = index * ENTRY_STRIDE;
    entryNumbers[at + E_LINE] = entry.line;
    entryNumbers[at + E_UPVOTES] = entry.upvotes ?? -1;
    entryNumbers[at + E_AUTHORS] = entry.authors;
    entryNumbers[at + E_MONTH] = writtenDate.month;
    entryNumbers[at + E_DAY] = writtenDate.day;
    entryNumbers[at + E_WRITTEN_YEAR] = writtenDate.year ?? -1;
    entryNumbers[at + E_COMMENTS] = entry.comments ?? -1;
    entryNumbers[at + E_YEAR] = entry.year;
    entryNumbers[at + E_HEADING] = entry.heading ?? -1;
    entryNumbers[at + E_SPLIT_MARKER_SOURCE] = entry.split.source === 'marker' ? 1 : 0;
    confidences[index] = entry.split.confidence;
    entryNumbers[at + E_NOTES_START] = notesAt;
    entryNumbers[at + E_NOTES_COUNT] = entry.noteLines.length;
    entryNumbers[at + E_METADATA_LINE] = entry.metadataLine ?? -1;
    for (const line of entry.noteLines) noteLines[notesAt++] = line;
    for (let s = 0; s < SPAN_NAMES.length; s++) {
      const span = entry.spans[SPAN_NAMES[s]];
      entryNumbers[at + E_SPANS + 2 * s] = span ? span.start : -1;
      entryNumbers[at + E_SPANS + 2 * s + 1] = span ? span.end : -1;
    }
    keys[2 * index] = entry.baseKey;
    keys[2 * index + 1] = entry.identity;
  });
  return {
    ...packLines(lines), hadByteOrderMark: digest.hadByteOrderMark, defaultCaptureYear: digest.defaultCaptureYear, lineKinds, readingKinds, otherReadings, entryNumbers, confidences, noteLines,
    keyText: keys.length > 0 ? `${keys.join('\n')}\n` : '', headings: digest.headings, captures: digest.captures, problems: digest.problems,
  };
}

/**
 * Rebuilds the digest {@link packDigest} packed: the same entries and problems that parsing the
 * lines here would give, and the readings of every line but the entries' (see readingsOf), so
 * that later edits re-read only the lines they touch.
 */
export function unpackDigest(packed: PackedDigest): ParsedDigest {
  const { entryNumbers: n } = packed;
  const lines = unpackLines(packed);
  const keys = packed.keyText.split('\n');
  const lineKinds: LineKind[] = new Array(lines.length);
  // Entry lines get no reading: the entries hold all of it, and readingsOf rebuilds them when
  // the file is first edited (this saves three objects per paper of a large workspace).
  const readings: (LineReading | undefined)[] = new Array(lines.length);
  for (let line = 0; line < lines.length; line++) {
    lineKinds[line] = LINE_KINDS[packed.lineKinds[line]];
    const code = packed.readingKinds[line];
    const kind = code & ~NOTE_LIKE;
    // Entries are filled in below; the rare kinds come from otherReadings.
    if (kind !== ENTRY_READING) readings[line] = { kind: READING_KINDS[kind], noteLike: (code & NOTE_LIKE) !== 0 };
  }
  for (const { line, reading } of packed.otherReadings) {
    const rebuilt: LineReading = { kind: reading.kind, noteLike: reading.noteLike };
    if (reading.heading) rebuilt.heading = reading.heading;
    if (reading.capture) rebuilt.capture = reading.capture;
    if (reading.brokenReason !== undefined) rebuilt.brokenReason = reading.brokenReason;
    if (reading.metadata) rebuilt.metadata = reading.metadata;
    readings[line] = rebuilt;
  }
  const count = n.length / ENTRY_STRIDE;
  const entries: DigestEntry[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const at = index * ENTRY_STRIDE;
    const line = n[at + E_LINE];
    const text = lines[line];
    const spans = unpackSpans(n, at + E_SPANS);
    const writtenYear = n[at + E_WRITTEN_YEAR];
    const month = n[at + E_MONTH];
    const day = n[at + E_DAY];
    const comments = n[at + E_COMMENTS] >= 0 ? n[at + E_COMMENTS] : null;
    const split: EntryLineParts['split'] = { source: n[at + E_SPLIT_MARKER_SOURCE] === 1 ? 'marker' : 'inferred', confidence: packed.confidences[index] };
    const title = text.slice(spans.title.start, spans.title.end);
    const abstract = text.slice(spans.abstract.start, spans.abstract.end);
    const upvotes = n[at + E_UPVOTES] >= 0 ? n[at + E_UPVOTES] : null;
    const authors = n[at + E_AUTHORS];
    const year = n[at + E_YEAR];
    const notesStart = n[at + E_NOTES_START];
    const noteLines: number[] = new Array(n[at + E_NOTES_COUNT]);
    for (let k = 0; k < noteLines.length; k++) noteLines[k] = packed.noteLines[notesStart + k];
    const baseKey = keys[2 * index];
    const identity = keys[2 * index + 1];
    const date = toIsoDate(year, month, day);
    const yearInferred = writtenYear < 0;
    const heading = n[at + E_HEADING];
    // Two literals rather than a property added later, which would cost a second allocation.
    entries[index] = heading >= 0
      ? { line, upvotes, title, abstract, authors, date, year, yearInferred, comments, baseKey, identity, spans, split, noteLines, heading }
      : { line, upvotes, title, abstract, authors, date, year, yearInferred, comments, baseKey, identity, spans, split, noteLines };
    const metadataLine = n[at + E_METADATA_LINE];
    if (metadataLine >= 0) {
      // The entry's metadata is its metadata line's, one object, as a parse here gives it.
      entries[index].metadata = readings[metadataLine]!.metadata;
      entries[index].metadataLine = metadataLine;
    }
  }
  return {
    lines, readings, lineKinds, entries, headings: packed.headings, captures: packed.captures, problems: packed.problems,
    hadByteOrderMark: packed.hadByteOrderMark, defaultCaptureYear: packed.defaultCaptureYear,
  };
}

function unpackSpans(n: Int32Array, at: number): EntrySpans {
  const span = (s: number): Span => ({ start: n[at + 2 * s], end: n[at + 2 * s + 1] });
  // One literal per combination of the optional spans: an object given a property after it was
  // built takes a second allocation for it (V8 leaves no room in literals).
  const hasComments = n[at + 10] >= 0;
  const hasMarker = n[at + 12] >= 0;
  if (hasComments && hasMarker) return { upvotes: span(0), title: span(1), abstract: span(2), authors: span(3), date: span(4), comments: span(5), splitMarker: span(6) };
  if (hasComments) return { upvotes: span(0), title: span(1), abstract: span(2), authors: span(3), date: span(4), comments: span(5) };
  if (hasMarker) return { upvotes: span(0), title: span(1), abstract: span(2), authors: span(3), date: span(4), splitMarker: span(6) };
  return { upvotes: span(0), title: span(1), abstract: span(2), authors: span(3), date: span(4) };
}
