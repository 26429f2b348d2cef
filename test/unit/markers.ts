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

/** A cursor's place in marked text. */
export interface MarkedPosition {
  line: number;
  character: number;
}

/**
 * Text with `«»` ranges and at most one `cursor` marker, read together so that each position is
 * counted in the text without any marker. The marker is a parameter because `|` is digest syntax
 * (the title split ` || `) and cannot mark a cursor in a digest.
 */
export function parseMarkers(marked: string, cursor = '|'): { text: string; ranges: MarkedRange[]; cursor?: MarkedPosition } {
  const ranges: MarkedRange[] = [];
  let found: MarkedPosition | undefined;
  const clean = marked.split('\n').map((line, lineNumber) => {
    let out = '';
    let open = -1;
    for (let i = 0; i < line.length;) {
      if (line.startsWith(cursor, i)) {
        if (found) throw new Error(`more than one ${cursor} cursor`);
        found = { line: lineNumber, character: out.length };
        i += cursor.length;
        continue;
      }
      const char = line[i++];
      if (char === '«') { open = out.length; continue; }
      if (char === '»') { ranges.push({ line: lineNumber, start: open, end: out.length, text: out.slice(open) }); open = -1; continue; }
      out += char;
    }
    return out;
  });
  return { text: clean.join('\n'), ranges, cursor: found };
}
