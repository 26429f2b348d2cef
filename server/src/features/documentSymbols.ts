/** The outline of a digest (every paper, nested under its `#` headings) and of a bibliography (every entry). */
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import { upvotesText } from '../digest/entryLine';
import { DigestSummary, LibrarySummary, WorkspaceIndex } from '../index/workspaceIndex';
import { lastLineOf } from '../library/libraryEntries';

/** A bibliography's entries, by key, with title and year: what LaTeX Workshop's outline of a `.bib` gives. */
export function provideLibrarySymbols(summary: LibrarySummary): DocumentSymbol[] {
  return summary.library.entries.map((entry) => ({
    name: entry.library.key,
    detail: [entry.title === entry.library.key ? '' : entry.title, entry.year > 0 ? String(entry.year) : ''].filter(Boolean).join(' · '),
    kind: SymbolKind.Class,
    range: { start: { line: entry.line, character: 0 }, end: { line: lastLineOf(entry) + 1, character: 0 } },
    selectionRange: spanRange(entry.line, entry.spans.title),
  }));
}
import { entryLineRange, spanRange } from './documentContext';

export function provideDocumentSymbols(index: WorkspaceIndex, summary: DigestSummary): DocumentSymbol[] {
  const { digest } = summary;
  const headingSymbols: DocumentSymbol[] = digest.headings.map((heading) => ({
    name: heading.text || '(untitled section)',
    kind: SymbolKind.Namespace,
    range: { start: { line: heading.line, character: 0 }, end: { line: heading.line, character: digest.lines[heading.line].length } },
    selectionRange: spanRange(heading.line, heading.textSpan),
    children: [],
  }));
  const roots: DocumentSymbol[] = [];
  digest.headings.forEach((heading, i) => {
    if (heading.parent === undefined) roots.push(headingSymbols[i]);
    else headingSymbols[heading.parent].children!.push(headingSymbols[i]);
  });
  for (const entry of digest.entries) {
    const symbol: DocumentSymbol = {
      name: entry.title || '(no title)',
      detail: `${entry.date} · ${upvotesText(entry.upvotes)} · ${index.keyOf(entry)}`,
      kind: SymbolKind.Class,
      range: entryLineRange(summary, entry),
      selectionRange: spanRange(entry.line, entry.spans.title),
    };
    if (entry.heading !== undefined) headingSymbols[entry.heading].children!.push(symbol);
    else roots.push(symbol);
  }
  const byLine = (symbols: DocumentSymbol[]) => {
    symbols.sort((a, b) => a.range.start.line - b.range.start.line);
    for (const symbol of symbols) if (symbol.children) byLine(symbol.children);
  };
  byLine(roots);
  // A section's range runs to the line before the next heading of the same or a higher level.
  const lastLine = (digest.lines.length || 1) - 1;
  const widen = (symbols: DocumentSymbol[], end: number) => {
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i];
      if (symbol.kind !== SymbolKind.Namespace) continue;
      const next = symbols.slice(i + 1).find((s) => s.kind === SymbolKind.Namespace);
      const sectionEnd = next ? next.range.start.line - 1 : end;
      symbol.range = { start: symbol.range.start, end: { line: sectionEnd, character: digest.lines[sectionEnd]?.length ?? 0 } };
      if (symbol.children) widen(symbol.children, sectionEnd);
    }
  };
  widen(roots, lastLine);
  return roots;
}
