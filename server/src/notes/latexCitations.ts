/** `\cite{...}` and its relatives in LaTeX notes. */
import { splitLines } from '../shared/text';
import { Citation } from './citation';

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

