/**
 * The fields of one entry line (`upvotes title abstract N authors · Mon D[, YYYY] [comments]`),
 * read from its two ends: everything but where the title ends, which titleSplit.ts infers unless
 * the line has the split marker. Light on purpose: the client recognises entry lines with this
 * module and must not carry the title split's model.
 */
import { parseWrittenDate, WrittenDate } from './dates';

/** A half-open range of UTF-16 code units within one line. */
export interface Span {
  start: number;
  end: number;
}

export interface EntrySpans {
  upvotes: Span;
  title: Span;
  abstract: Span;
  authors: Span;
  date: Span;
  comments?: Span;
  /** The ` || ` a person typed to fix the title split, when present. */
  splitMarker?: Span;
}

/**
 * The marker a person types between title and abstract to correct a wrong split. Two bars between
 * spaces: easy to type, and it occurs in no listing text of the corpus.
 */
export const TITLE_SPLIT_MARKER = ' || ';

/** "20 upvotes", "1 upvote", or "no upvotes" where the listing shows `-`. */
export function upvotesText(upvotes: number | null): string {
  return upvotes === null ? 'no upvotes' : `${upvotes} upvote${upvotes === 1 ? '' : 's'}`;
}

/** An upvote count to rank by: a `-` (no count) below every count, 0 included. */
export function upvotesRank(upvotes: number | null): number {
  return upvotes ?? -1;
}

/** An entry line's fields but its title and abstract, which lie in `middle`. */
export interface EntryLineFields {
  /** null where the listing shows `-` (no count; Hugging Face shows it for papers nobody upvoted yet). */
  upvotes: number | null;
  authors: number;
  writtenDate: WrittenDate;
  comments: number | null;
  /** All spans but title and abstract, which are left empty for the title split to fill in. */
  spans: EntrySpans;
  /** Title and abstract as the line has them, blanks after them trimmed; never blank. */
  middle: string;
  /** Where `middle` starts in the line. */
  middleStart: number;
  /** Where {@link TITLE_SPLIT_MARKER} first occurs in `middle`, or -1. */
  marker: number;
}

export type EntryFieldsResult = { kind: 'entry'; fields: EntryLineFields } | { kind: 'broken'; message: string } | { kind: 'none' };

const MIDDLE_DOT = '\u00b7';
const AUTHORS_TAIL = /(\d+)[ \t]+authors?[ \t]*$/;
const DATE_TAIL = /^[ \t]*([A-Za-z]{3,9}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)(?:[ \t]+(\d+))?[ \t]*$/;
const UPVOTES_HEAD = /^(\d+|-)[ \t]+/;
/** How far before the middle dot the author count may start; bounds work on very long lines. */
const AUTHORS_TAIL_WINDOW = 64;

/**
 * Reads the fields of one entry line, or says why it is broken ('none': not an entry at all).
 * Depends on nothing but the line, so the same line always reads the same.
 */
export function readEntryFields(line: string): EntryFieldsResult {
  const dot = line.lastIndexOf(MIDDLE_DOT);
  if (dot < 0) return { kind: 'none' };
  const dateMatch = DATE_TAIL.exec(line.slice(dot + 1));
  const windowStart = Math.max(0, dot - AUTHORS_TAIL_WINDOW);
  const authorsMatch = AUTHORS_TAIL.exec(line.slice(windowStart, dot).replace(/[ \t]+$/, ''));
  if (!authorsMatch) return { kind: 'none' };
  const authorsStart = windowStart + authorsMatch.index;
  const authorsEnd = authorsStart + authorsMatch[0].trimEnd().length;
  if (!dateMatch) {
    return { kind: 'broken', message: `the date after '${MIDDLE_DOT}' is not of the form 'Mon D, YYYY' or 'Mon D'` };
  }
  const writtenDate = parseWrittenDate(dateMatch[1]);
  if (!writtenDate) return { kind: 'broken', message: `'${dateMatch[1]}' is not a date of the form 'Mon D, YYYY' or 'Mon D'` };
  const upvotesMatch = UPVOTES_HEAD.exec(line);
  if (!upvotesMatch) return { kind: 'broken', message: "the line has an author count and a date but does not start with an upvote count (digits, or '-' for none)" };
  const middleStart = upvotesMatch[0].length;
  const middleEnd = authorsStart;
  const middle = line.slice(middleStart, middleEnd).trimEnd();
  if (middle.trim().length === 0) return { kind: 'broken', message: 'the line has upvotes, an author count and a date but no title' };

  const dateStart = dot + 1 + dateMatch[0].indexOf(dateMatch[1]);
  const spans: EntrySpans = {
    upvotes: { start: 0, end: upvotesMatch[1].length },
    title: { start: 0, end: 0 },
    abstract: { start: 0, end: 0 },
    authors: { start: authorsStart, end: authorsEnd },
    date: { start: dateStart, end: dateStart + dateMatch[1].length },
  };
  let comments: number | null = null;
  if (dateMatch[2] !== undefined) {
    comments = Number(dateMatch[2]);
    const commentsStart = dot + 1 + dateMatch[0].lastIndexOf(dateMatch[2]);
    spans.comments = { start: commentsStart, end: commentsStart + dateMatch[2].length };
  }
  const marker = indexOfSplitMarker(middle);
  if (marker >= 0) spans.splitMarker = { start: middleStart + marker + 1, end: middleStart + marker + TITLE_SPLIT_MARKER.length - 1 };

  return {
    kind: 'entry',
    fields: {
      upvotes: upvotesMatch[1] === '-' ? null : Number(upvotesMatch[1]),
      authors: Number(authorsMatch[1]),
      writtenDate,
      comments,
      spans,
      middle,
      middleStart,
      marker,
    },
  };
}

/**
 * Where {@link TITLE_SPLIT_MARKER} first occurs in `text`, or -1. Looks for the bars and then checks
 * the spaces: searching for ' || ' itself stops at every space of the abstract, and cost more
 * than the rest of reading the line's fields.
 */
function indexOfSplitMarker(text: string): number {
  for (let bars = text.indexOf('||', 1); bars >= 0; bars = text.indexOf('||', bars + 1)) {
    if (text.charCodeAt(bars - 1) === 32 && text.charCodeAt(bars + 2) === 32) return bars - 1;
  }
  return -1;
}

/**
 * True when a line has the shape of an entry (upvotes, then an author count and a date at the end),
 * without finding where its title ends: cheap enough for moving the cursor between entries.
 */
export function hasEntryShape(line: string): boolean {
  if (!UPVOTES_HEAD.test(line)) return false;
  const dot = line.lastIndexOf(MIDDLE_DOT);
  return dot > 0 && DATE_TAIL.test(line.slice(dot + 1)) && AUTHORS_TAIL.test(line.slice(Math.max(0, dot - AUTHORS_TAIL_WINDOW), dot).replace(/[ \t]+$/, ''));
}
