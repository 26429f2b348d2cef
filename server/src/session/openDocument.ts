/**
 * The editor's copy of an open document, kept as lines (issue 16: typing into a 10,000-entry,
 * 14 MB digest). vscode-languageserver-textdocument keeps one string and rebuilds it on every
 * change (`substring + text + substring` flattens the whole text), which cost ~30 ms a keystroke
 * at that size, and every line the index re-read from it was a slice that kept that version's
 * whole string alive: 29 MB a keystroke that no collection could free. Here a change rewrites only
 * the lines it touches, and the lines handed out are pieces of the few lines rewritten.
 *
 * Positions and offsets mean what they mean in vscode-languageserver-textdocument (its tests are
 * the reference: test/unit/openDocument.test.ts replays random changes against it): `\r\n`, `\r`
 * and `\n` each end a line, a CR+LF pair made across a change's edge counts as one break, a
 * position past a line's end (or the document's) is clamped, a reversed range is read forwards.
 */
import type { Position, Range } from 'vscode-languageserver-types';

/** A change as `textDocument/didChange` sends it: a range and its new text, or a whole new text. */
export type DocumentChange = { range: Range; rangeLength?: number; text: string } | { text: string };

/** Where a ranged change landed: offsets and lines in the text before it. */
export interface PlacedChange {
  start: number;
  end: number;
  text: string;
  startLine: number;
  endLine: number;
}

const CR = 13;
const LF = 10;
/** Line breaks, longest first, so that `\r\n` is one. */
const BREAK = /\r\n|\r|\n/g;

export class OpenDocument {
  /** Each line with its break (`\r\n`, `\r`, `\n`); the last one has none and may be empty. */
  private lines: string[];
  /** The offset where each line starts. */
  private starts: number[];
  private size: number;
  /** The whole text, once asked for, until the next change. */
  private whole: string | undefined;

  constructor(readonly uri: string, readonly languageId: string, public version: number, text: string) {
    this.lines = splitWithBreaks(text, true);
    this.starts = startsOf(this.lines, 0);
    this.size = text.length;
    this.whole = text;
  }

  /** The length of the text, without joining it. */
  get textLength(): number {
    return this.size;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** The whole text, or the text of a range. */
  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    this.whole ??= this.lines.join('');
    return this.whole;
  }

  /** The first `chars` characters (or fewer), without joining the whole text. */
  head(chars: number): string {
    if (this.whole !== undefined) return this.whole.slice(0, chars);
    let text = '';
    for (let line = 0; line < this.lines.length && text.length < chars; line++) text += this.lines[line];
    return text.slice(0, chars);
  }

  /** Line `line` without its break. */
  lineText(line: number): string {
    const text = this.lines[line];
    return text.slice(0, text.length - breakLength(text));
  }

  /** Lines `from` .. `to` (inclusive) without their breaks. */
  lineTexts(from: number, to: number): string[] {
    const texts: string[] = [];
    for (let line = Math.max(0, from); line <= to && line < this.lines.length; line++) texts.push(this.lineText(line));
    return texts;
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lines.length) return this.size;
    if (position.line < 0) return 0;
    const start = this.starts[position.line];
    if (position.character <= 0) return start;
    const text = this.lines[position.line];
    return start + Math.min(position.character, text.length - breakLength(text));
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.size));
    const line = this.lineAt(at);
    const text = this.lines[line];
    return { line, character: Math.min(at - this.starts[line], text.length - breakLength(text)) };
  }

  /**
   * Where a ranged change lands in the text before it: a reversed range has its ends swapped, and
   * positions past the end of a line or of the document (or negative) are clamped, as offsetAt does.
   */
  place(range: Range, text: string): PlacedChange {
    const one = this.offsetAt(range.start);
    const other = this.offsetAt(range.end);
    const start = Math.min(one, other);
    const end = Math.max(one, other);
    return { start, end, text, startLine: this.lineAt(start), endLine: this.lineAt(end) };
  }

  /** Applies the changes in order; the version becomes `version`. */
  update(changes: readonly DocumentChange[], version: number): void {
    for (const change of changes) {
      if ('range' in change) this.replace(this.place(change.range, change.text));
      else this.reset(change.text);
    }
    this.version = version;
  }

  /** The line that holds `offset` (the last line for the end of the text). */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private slice(start: number, end: number): string {
    if (this.whole !== undefined) return this.whole.slice(start, end);
    if (end <= start) return '';
    const first = this.lineAt(start);
    const last = this.lineAt(end);
    let text = '';
    for (let line = first; line <= last; line++) text += this.lines[line];
    return text.slice(start - this.starts[first], end - this.starts[first]);
  }

  private reset(text: string): void {
    this.lines = splitWithBreaks(text, true);
    this.starts = startsOf(this.lines, 0);
    this.size = text.length;
    this.whole = text;
  }

  /** Rewrites the lines a placed change touches, and moves the starts of the lines after them. */
  private replace({ start, end, text }: PlacedChange): void {
    let first = this.lineAt(start);
    // A line that ends in a lone \r takes part: a \n at the change's start makes one break with it.
    if (first > 0 && start === this.starts[first] && this.lines[first - 1].charCodeAt(this.lines[first - 1].length - 1) === CR) first--;
    const last = this.lineAt(end);
    const from = this.starts[first];
    let region = '';
    for (let line = first; line <= last; line++) region += this.lines[line];
    const rewritten = region.slice(0, start - from) + text + region.slice(end - from);
    // The rewritten lines end with the last one's break (a \r\n can only be made inside them,
    // since offsets never fall between a \r and its \n), or at the end of the document.
    const isEnd = last === this.lines.length - 1;
    const pieces = splitWithBreaks(rewritten, isEnd);
    const shift = text.length - (end - start);
    const starts = startsOf(pieces, from);
    if (pieces.length < 10_000) {
      this.lines.splice(first, last - first + 1, ...pieces);
      this.starts.splice(first, last - first + 1, ...starts);
    } else {
      // A paste of many lines: spread arguments that long overflow the stack.
      this.lines = this.lines.slice(0, first).concat(pieces, this.lines.slice(last + 1));
      this.starts = this.starts.slice(0, first).concat(starts, this.starts.slice(last + 1));
    }
    if (shift !== 0) for (let line = first + pieces.length; line < this.starts.length; line++) this.starts[line] += shift;
    this.size += shift;
    this.whole = undefined;
  }
}

/** The length of the break that ends `line` (0, 1 or 2). */
function breakLength(line: string): number {
  const last = line.charCodeAt(line.length - 1);
  if (last === LF) return line.length > 1 && line.charCodeAt(line.length - 2) === CR ? 2 : 1;
  return last === CR ? 1 : 0;
}

/**
 * Lines with their breaks. `withLast`: the piece after the last break is a line even when empty
 * (the document's last line); otherwise the text ends with a break and that empty piece is dropped.
 */
function splitWithBreaks(text: string, withLast: boolean): string[] {
  const lines: string[] = [];
  let from = 0;
  BREAK.lastIndex = 0;
  for (let match = BREAK.exec(text); match; match = BREAK.exec(text)) {
    const to = match.index + match[0].length;
    lines.push(text.slice(from, to));
    from = to;
  }
  if (withLast || from < text.length) lines.push(text.slice(from));
  return lines;
}

function startsOf(lines: readonly string[], from: number): number[] {
  const starts = new Array<number>(lines.length);
  let at = from;
  for (let line = 0; line < lines.length; line++) {
    starts[line] = at;
    at += lines[line].length;
  }
  return starts;
}
