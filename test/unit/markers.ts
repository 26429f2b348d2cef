/**
 * Fixture text with positions marked in it: `«` and `»` around each expected range and `|` for a
 * cursor. The markers are removed and their positions returned, so a test reads like the text it
 * checks.
 */
export interface MarkedRange {
  line: number;
  start: number;
  end: number;
  text: string;
}

export function parseMarkedRanges(marked: string): { text: string; ranges: MarkedRange[] } {
  const lines = marked.split('\n');
  const ranges: MarkedRange[] = [];
  const clean = lines.map((line, lineNumber) => {
    let out = '';
    let open = -1;
    for (const char of line) {
      if (char === '«') { open = out.length; continue; }
      if (char === '»') { ranges.push({ line: lineNumber, start: open, end: out.length, text: out.slice(open, out.length) }); open = -1; continue; }
      out += char;
    }
    return out;
  });
  return { text: clean.join('\n'), ranges };
}

/** Text with one `|` marking the cursor: the text without it and the cursor's line and character. */
export function parseCursor(marked: string): { text: string; line: number; character: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('fixture has no | cursor');
  const before = marked.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), line, character: offset - (before.lastIndexOf('\n') + 1) };
}
