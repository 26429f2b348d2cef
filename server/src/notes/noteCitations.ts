/**
 * Finds citations in notes: Pandoc's `@key` syntax in Markdown (so notes render with
 * `pandoc --citeproc` or Quarto) and `\cite{...}` and its relatives in LaTeX.
 */
import type { NoteLanguage } from '../shared/fileKinds';
import { splitLines } from '../shared/text';

/** Declared with the file kinds; re-exported because the scanners are chosen by it. */
export type { NoteLanguage };

export interface Citation {
  key: string;
  /** 0-based line. */
  line: number;
  /** Range of the key itself (without `@`, braces or `\cite{`), in UTF-16 code units. */
  start: number;
  end: number;
  syntax: 'pandoc' | 'latex';
  /** Pandoc `[@key]` / `[see @a; @b]` rather than a bare `@key`. */
  bracketed?: boolean;
  /** Pandoc `-@key`. */
  suppressAuthor?: boolean;
  /** Pandoc `@{key}`: the key was written in braces. */
  braced?: boolean;
}

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

/**
 * `\cite`, `\citep`, `\citet`, `\parencite`, `\textcite`, `\autocite`, `\footcite`, `\nocite`,
 * `\citeauthor`, `\Cite`, ... with up to two optional `[...]` arguments; the multi-cite forms
 * (`\cites`, `\parencites`, ...) take several `{...}` groups.
 */
const LATEX_CITE = /\\([A-Za-z]*cite[A-Za-z]*)\*?/g;

/** Citations in a LaTeX note; `%` comments are skipped. */
export function scanLatexCitations(text: string): Citation[] {
  const citations: Citation[] = [];
  const lines = splitLines(text);
  for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
    const line = stripLatexComment(lines[lineNumber]);
    if (line.indexOf('cite') < 0) continue;
    LATEX_CITE.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = LATEX_CITE.exec(line)) !== null) {
      const multi = /cites$/i.test(match[1]);
      let i = match.index + match[0].length;
      let groups = 0;
      for (;;) {
        // Optional arguments [..] (at most two before each key group).
        let optional = 0;
        for (;;) {
          const j = skipSpaces(line, i);
          if (line[j] !== '[' || optional >= 2) break;
          const close = line.indexOf(']', j + 1);
          if (close < 0) break;
          i = close + 1;
          optional++;
        }
        const j = skipSpaces(line, i);
        if (line[j] !== '{') break;
        const close = line.indexOf('}', j + 1);
        if (close < 0) break;
        let offset = j + 1;
        for (const part of line.slice(j + 1, close).split(',')) {
          const key = part.trim();
          if (key) {
            const start = offset + part.indexOf(key);
            citations.push({ key, line: lineNumber, start, end: start + key.length, syntax: 'latex' });
          }
          offset += part.length + 1;
        }
        i = close + 1;
        groups++;
        if (!multi) break;
      }
      LATEX_CITE.lastIndex = Math.max(i, LATEX_CITE.lastIndex);
      if (groups === 0) continue;
    }
  }
  return citations;
}

function skipSpaces(line: string, i: number): number {
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

/** The line up to an unescaped `%`. */
function stripLatexComment(line: string): string {
  for (let i = line.indexOf('%'); i >= 0; i = line.indexOf('%', i + 1)) {
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 0) return line.slice(0, i);
  }
  return line;
}

export function scanCitations(text: string, language: NoteLanguage): Citation[] {
  return language === 'latex' ? scanLatexCitations(text) : scanMarkdownCitations(text);
}
