/**
 * What one line of a digest says on its own, before its neighbours are looked at: blank, heading,
 * capture date, entry (its fields, title and abstract), broken entry, or something else.
 */
import { CaptureDate, parseCaptureLine, WrittenDate } from './dates';
import type { DigestEntry } from './digestParser';
import { EntrySpans, readEntryFields, Span, TITLE_SPLIT_MARKER } from './entryLine';
import { isMetadataLine, PaperMetadata, parseMetadataLine } from './paperMetadata';
import { splitTitleAbstract } from './titleSplit';

/** The parts of an entry line before the year rule and keys are applied. */
export interface EntryLineParts {
  upvotes: number | null;
  title: string;
  abstract: string;
  authors: number;
  writtenDate: WrittenDate;
  comments: number | null;
  spans: EntrySpans;
  split: { source: 'marker' | 'inferred'; confidence: number };
}

export type EntryLineResult = { kind: 'entry'; parts: EntryLineParts } | { kind: 'broken'; message: string } | { kind: 'none' };

/**
 * Parses one entry line: its fields, and its title and abstract split at the marker or where
 * titleSplit.ts infers the title ends. Depends on nothing but the line, so the same line always
 * reads the same.
 */
export function parseEntryLine(line: string): EntryLineResult {
  const read = readEntryFields(line);
  if (read.kind !== 'entry') return read;
  const { upvotes, authors, writtenDate, comments, spans, middle, middleStart, marker } = read.fields;

  let titleEnd: number;
  let abstractStart: number;
  let split: EntryLineParts['split'];
  if (marker >= 0) {
    titleEnd = marker;
    abstractStart = marker + TITLE_SPLIT_MARKER.length;
    split = { source: 'marker', confidence: 1 };
  } else {
    const inferred = splitTitleAbstract(middle);
    titleEnd = inferred.titleLength;
    abstractStart = titleEnd;
    split = { source: 'inferred', confidence: inferred.confidence };
  }
  const rawTitle = middle.slice(0, titleEnd);
  const rawAbstract = middle.slice(abstractStart);
  const title = rawTitle.trim();
  const abstract = rawAbstract.trim();
  const titleStart = middleStart + (rawTitle.length - rawTitle.trimStart().length);
  spans.title = { start: titleStart, end: titleStart + title.length };
  const absStart = middleStart + abstractStart + (rawAbstract.length - rawAbstract.trimStart().length);
  spans.abstract = { start: absStart, end: absStart + abstract.length };

  return { kind: 'entry', parts: { upvotes, title, abstract, authors, writtenDate, comments, spans, split } };
}

const HEADING = /^(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$/;
const NOTE_LINE = /^([ \t]+\S|>)/;

/**
 * What a line is on its own, before its neighbours are looked at. Cached per line so that an edit
 * re-reads only the lines it touched.
 */
export interface LineReading {
  kind: 'blank' | 'heading' | 'capture' | 'metadata' | 'entry' | 'broken' | 'too-long' | 'other';
  /** Indented or `>`: a note when it follows an entry. */
  noteLike: boolean;
  parts?: EntryLineParts;
  brokenReason?: string;
  heading?: { level: number; text: string; textSpan: Span };
  capture?: CaptureDate;
  /** What a metadata line says (see paperMetadata.ts); it belongs to the entry above it. */
  metadata?: PaperMetadata;
  /**
   * The entry last built from this line. Reused while its line number, year, heading and notes
   * stay the same, so that an edit leaves the other entries' objects untouched and the workspace
   * index can tell what changed by identity; its key and identity are reused while the year stays.
   */
  entry?: DigestEntry;
}

export function readLine(line: string, maxLineLength: number): LineReading {
  if (line.length > maxLineLength) return { kind: 'too-long', noteLike: false };
  if (line.trim().length === 0) return { kind: 'blank', noteLike: false };
  const noteLike = NOTE_LINE.test(line);
  if (line.charCodeAt(0) === 0x23 /* # */) {
    const match = HEADING.exec(line);
    if (match) {
      const level = match[1].length;
      const text = (match[2] ?? '').trim();
      const textStart = text ? line.indexOf(text, level) : level;
      return { kind: 'heading', noteLike, heading: { level, text, textSpan: { start: textStart, end: textStart + text.length } } };
    }
  }
  if (noteLike) return { kind: 'other', noteLike };
  const capture = parseCaptureLine(line);
  if (capture) return { kind: 'capture', noteLike, capture };
  if (isMetadataLine(line)) return { kind: 'metadata', noteLike, metadata: parseMetadataLine(line) };
  const result = parseEntryLine(line);
  if (result.kind === 'entry') return { kind: 'entry', noteLike, parts: result.parts };
  if (result.kind === 'broken') return { kind: 'broken', noteLike, brokenReason: result.message };
  return { kind: 'other', noteLike };
}
