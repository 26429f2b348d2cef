/**
 * The bibliography files a note names for itself, as the tools that render it read them:
 *
 * - Markdown, Quarto and R Markdown: `bibliography:` in the YAML front matter, one path or a list
 *   (`[a.bib, b.json]` or `- a.bib` lines), quoted or not; paths are relative to the note's folder
 *   (where pandoc, knitr and Quarto run for a single document).
 * - LaTeX: `\addbibresource[options]{file.bib}` (and `\addglobalbib`, `\addsectionbib`) of
 *   biblatex, and `\bibliography{a,b}` of BibTeX, where `.bib` is added to a name without one.
 *   Comments are skipped.
 */

export interface NamedBibliography {
  /** As written, relative to the note's folder unless absolute. */
  path: string;
  /** Where it is written (0-based line, UTF-16 columns). */
  line: number;
  start: number;
  end: number;
}

export function documentBibliographies(text: string, language: 'markdown' | 'latex'): NamedBibliography[] {
  return language === 'latex' ? latexBibliographies(text) : yamlBibliographies(text);
}

const FRONT_MATTER_END = /^(---|\.\.\.)\s*$/;

function yamlBibliographies(text: string): NamedBibliography[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!/^---\s*$/.test(lines[0] ?? '')) return [];
  const found: NamedBibliography[] = [];
  for (let i = 1; i < lines.length && !FRONT_MATTER_END.test(lines[i]); i++) {
    const match = /^bibliography\s*:\s*(.*)$/.exec(lines[i]);
    if (!match) continue;
    const valueStart = lines[i].length - match[1].length;
    const value = match[1].replace(/\s+#.*$/, '').trimEnd();
    const shift = i === 0 ? offset : 0;
    if (value.startsWith('[')) {
      // A flow list: `[a.bib, "b c.json"]`.
      const inner = value.slice(1, value.lastIndexOf(']') < 0 ? undefined : value.lastIndexOf(']'));
      let at = valueStart + 1;
      for (const part of inner.split(',')) {
        const item = yamlScalar(part, at);
        if (item) found.push({ ...item, line: i, start: item.start + shift, end: item.end + shift });
        at += part.length + 1;
      }
    } else if (value !== '' && value !== '|' && value !== '>') {
      const item = yamlScalar(value, valueStart);
      if (item) found.push({ ...item, line: i });
    } else {
      // A block list: `- a.bib` lines, indented or not.
      for (let j = i + 1; j < lines.length && !FRONT_MATTER_END.test(lines[j]); j++) {
        const entry = /^(\s*-\s+)(.*)$/.exec(lines[j]);
        if (!entry) {
          if (/^\s*(#.*)?$/.test(lines[j])) continue;
          break;
        }
        const item = yamlScalar(entry[2].replace(/\s+#.*$/, ''), entry[1].length);
        if (item) found.push({ ...item, line: j });
      }
    }
  }
  return found;
}

/** A plain or quoted YAML scalar that starts at column `at`, with its columns. */
function yamlScalar(raw: string, at: number): Omit<NamedBibliography, 'line'> | undefined {
  const lead = raw.length - raw.trimStart().length;
  const value = raw.trim();
  if (value === '') return undefined;
  const start = at + lead;
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
    if (value.length < 2) return undefined;
    const inner = value.slice(1, -1);
    return { path: value.startsWith("'") ? inner.replace(/''/g, "'") : inner.replace(/\\(.)/g, '$1'), start: start + 1, end: start + value.length - 1 };
  }
  return { path: value, start, end: start + value.length };
}

const LATEX_BIBLIOGRAPHY = /\\(addbibresource|addglobalbib|addsectionbib|bibliography)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}/g;

function latexBibliographies(text: string): NamedBibliography[] {
  const found: NamedBibliography[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((rawLine, line) => {
    const comment = commentStart(rawLine);
    const code = comment < 0 ? rawLine : rawLine.slice(0, comment);
    if (!code.includes('\\')) return;
    for (const match of code.matchAll(LATEX_BIBLIOGRAPHY)) {
      const command = match[1];
      const listStart = match.index! + match[0].length - 1 - match[2].length;
      let at = listStart;
      // `\bibliography{a,b}` names several; biblatex's commands name one file (commas allowed).
      const names = command === 'bibliography' ? match[2].split(',') : [match[2]];
      for (const name of names) {
        const lead = name.length - name.trimStart().length;
        const path = name.trim();
        if (path !== '') {
          const withExtension = command === 'bibliography' && !/\.bib$/i.test(path) ? `${path}.bib` : path;
          found.push({ path: withExtension, line, start: at + lead, end: at + lead + path.length });
        }
        at += name.length + 1;
      }
    }
  });
  return found;
}

/** Where a `%` comment starts in a LaTeX line (a `\%` is no comment), or -1. */
function commentStart(line: string): number {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') { i++; continue; }
    if (line[i] === '%') return i;
  }
  return -1;
}
