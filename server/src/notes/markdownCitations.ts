/**
 * Pandoc's `@key` citations in Markdown notes (so notes render with `pandoc --citeproc` or Quarto).
 */
import { splitLines } from '../shared/text';
import { Citation } from './citation';

/** Characters Pandoc allows inside a key when a letter, digit or `_` follows. */
const INTERNAL_PUNCTUATION = ':.#$%&-+?<>~/';

function isKeyChar(code: number, char: string): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f
    || (code > 0x7f && /[\p{L}\p{N}]/u.test(char));
}

function isAlphanumeric(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
    || (code > 0x7f && /[\p{L}\p{N}]/u.test(char));
}

/** The end of a Pandoc key that starts at `start` (which holds a key character), exclusive. */
export function pandocKeyEnd(line: string, start: number): number {
  let i = start;
  while (i < line.length) {
    const char = line[i];
    if (isKeyChar(line.charCodeAt(i), char)) { i++; continue; }
    if (INTERNAL_PUNCTUATION.includes(char) && i + 1 < line.length && isKeyChar(line.charCodeAt(i + 1), line[i + 1])) { i++; continue; }
    break;
  }
  return i;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Pandoc citations in a Markdown note. Code blocks and inline code are skipped (an `@` there is
 * code, not a citation), as are e-mail addresses (`@` right after a letter or digit) and escaped
 * `\@`.
 */
export function scanMarkdownCitations(text: string): Citation[] {
  const citations: Citation[] = [];
  const lines = splitLines(text);
  let fence: string | undefined;
  for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber];
    const fenceMatch = FENCE.exec(line);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1]) fence = undefined;
      continue;
    }
    if (fenceMatch) { fence = fenceMatch[1]; continue; }
    if (line.indexOf('@') < 0) continue;
    scanMarkdownLine(line, lineNumber, citations);
  }
  return citations;
}

function scanMarkdownLine(line: string, lineNumber: number, out: Citation[]): void {
  let bracketDepth = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') { i++; continue; }
    if (char === '`') {
      // Skip an inline code span: a run of n backticks up to the next run of exactly n.
      let run = 1;
      while (line[i + run] === '`') run++;
      const closer = '`'.repeat(run);
      let search = i + run;
      let close = -1;
      while ((close = line.indexOf(closer, search)) >= 0 && line[close + run] === '`') search = close + run + 1;
      if (close >= 0) { i = close + run - 1; continue; }
      i += run - 1;
      continue;
    }
    if (char === '[') { bracketDepth++; continue; }
    if (char === ']') { if (bracketDepth > 0) bracketDepth--; continue; }
    if (char !== '@') continue;
    const before = line[i - 1];
    // An `@` right after a letter or digit is an e-mail address; after `/` it is part of a URL path.
    if (isAlphanumeric(before) || before === '/' || before === '_') continue;
    const suppressAuthor = before === '-' && !isAlphanumeric(line[i - 2]);
    if (line[i + 1] === '{') {
      const close = line.indexOf('}', i + 2);
      if (close < 0) continue;
      const rawKey = line.slice(i + 2, close);
      const key = rawKey.trim();
      if (!key) continue;
      const start = i + 2 + rawKey.indexOf(key);
      out.push(withFlags({ key, line: lineNumber, start, end: start + key.length, syntax: 'pandoc', braced: true }, bracketDepth > 0, suppressAuthor));
      i = close;
      continue;
    }
    const start = i + 1;
    if (start >= line.length || !isKeyChar(line.charCodeAt(start), line[start])) continue;
    const end = pandocKeyEnd(line, start);
    out.push(withFlags({ key: line.slice(start, end), line: lineNumber, start, end, syntax: 'pandoc' }, bracketDepth > 0, suppressAuthor));
    i = end - 1;
  }
}

function withFlags(citation: Citation, bracketed: boolean, suppressAuthor: boolean): Citation {
  if (bracketed) citation.bracketed = true;
  if (suppressAuthor) citation.suppressAuthor = true;
  return citation;
}

