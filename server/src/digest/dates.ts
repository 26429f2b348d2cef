/**
 * Dates as Hugging Face Papers prints them (`Nov 17, 2023`, or `Feb 6` for a date in the year the
 * listing was captured) and the rule that gives a year to the dates that lack one.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A listing date as written, before the year rule is applied. */
export interface WrittenDate {
  /** 1..12 */
  month: number;
  /** 1..31, as written (may be impossible for the month; see {@link isPossibleDate}). */
  day: number;
  /** The year when the line states one. */
  year?: number;
}

/** Matches `Mon D` or `Mon D, YYYY` (the whole string). Month names in English, three letters. */
export const WRITTEN_DATE_PATTERN = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:,\s*(\d{4}))?$/i;

export function parseWrittenDate(text: string): WrittenDate | undefined {
  const match = WRITTEN_DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === match[1].toLowerCase()) + 1;
  const date: WrittenDate = { month, day: Number(match[2]) };
  if (match[3] !== undefined) date.year = Number(match[3]);
  return date;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** False for dates no calendar has (Feb 31, Apr 31, Feb 29 in a common year, day 0). */
export function isPossibleDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return isLeapYear(year);
  return day <= DAYS_IN_MONTH[month - 1];
}

/**
 * Dates already written out, by year, month and day: a workspace of 100,000 papers has a few
 * thousand distinct dates, so entries share their date strings instead of building one each.
 */
const isoDates = new Map<number, string>();
const ISO_DATE_CACHE_LIMIT = 100_000;

export function toIsoDate(year: number, month: number, day: number): string {
  const id = (year * 100 + month) * 100 + day;
  let date = isoDates.get(id);
  if (date === undefined) {
    date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (isoDates.size < ISO_DATE_CACHE_LIMIT) isoDates.set(id, date);
  }
  return date;
}

/**
 * When a listing was captured, as far as the digest tells. `month`/`day` are present only when a
 * `captured:` line gives a full date.
 */
export interface CaptureDate {
  year: number;
  month?: number;
  day?: number;
}

/** `captured: 2025-02-20` or `captured: 2025` on a line of its own (case-insensitive). */
export const CAPTURE_LINE_PATTERN = /^captured:[ \t]*(\d{4})(?:-(\d{2})-(\d{2}))?[ \t]*$/i;

export function parseCaptureLine(line: string): CaptureDate | undefined {
  const match = CAPTURE_LINE_PATTERN.exec(line);
  if (!match) return undefined;
  const capture: CaptureDate = { year: Number(match[1]) };
  if (match[2] !== undefined) {
    capture.month = Number(match[2]);
    capture.day = Number(match[3]);
  }
  return capture;
}

/**
 * The capture year of a file that writes no year and no `captured:` line: the year it was last
 * modified (`modifiedMs`, as from stat), the loader's, the workers' and the editor's alike.
 */
export function captureYearOfFile(modifiedMs: number): number {
  return new Date(modifiedMs).getFullYear();
}

/**
 * The year of a date written without one. Hugging Face omits the year exactly when the date falls
 * in the year the page was viewed, so the date belongs to the capture year; a date later in the
 * year than a fully known capture date can only be from the year before (a listing captured in
 * early January that still shows December papers).
 */
export function yearForYearlessDate(date: WrittenDate, capture: CaptureDate): number {
  if (capture.month !== undefined && capture.day !== undefined) {
    const afterCapture = date.month > capture.month || (date.month === capture.month && date.day > capture.day);
    if (afterCapture) return capture.year - 1;
  }
  return capture.year;
}
