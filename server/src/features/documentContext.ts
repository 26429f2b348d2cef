/** Finding what is under the cursor: an entry field in a digest, or a citation in a note. */
import { Position, Range } from 'vscode-languageserver-types';
import { DigestEntry } from '../digest/digestParser';
import { Span } from '../digest/entryLine';
import { Citation } from '../notes/noteCitations';
import { DigestSummary, LibrarySummary, NoteSummary, Paper, WorkspaceIndex } from '../index/workspaceIndex';
import { lastLineOf, LibraryEntry } from '../library/libraryEntries';

export function spanRange(line: number, span: Span): Range {
  return { start: { line, character: span.start }, end: { line, character: span.end } };
}

export function entryLineRange(summary: DigestSummary, entry: DigestEntry): Range {
  return { start: { line: entry.line, character: 0 }, end: { line: entry.line, character: summary.digest.lines[entry.line].length } };
}

export function citationRange(citation: Citation): Range {
  return spanRange(citation.line, citation);
}

/** The entry on a line, by binary search over the (line-ordered) entries. */
export function entryAtLine(summary: DigestSummary, line: number): DigestEntry | undefined {
  const entries = summary.digest.entries;
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const candidate = entries[mid].line;
    if (candidate === line) return entries[mid];
    if (candidate < line) low = mid + 1; else high = mid - 1;
  }
  return undefined;
}

/** The citation whose key (or `@`) the position touches. */
export function citationAt(summary: NoteSummary, position: Position): Citation | undefined {
  for (const citation of summary.citations) {
    if (citation.line !== position.line) continue;
    // The `@` or brace before the key counts, as does the position right after the key.
    const start = citation.syntax === 'pandoc' ? citation.start - (citation.braced ? 2 : 1) : citation.start;
    if (position.character >= start && position.character <= citation.end) return citation;
  }
  return undefined;
}

/** The bibliography entry whose lines (from its key to its closing brace) hold `line`. */
export function libraryEntryAtLine(summary: LibrarySummary, line: number): LibraryEntry | undefined {
  const entries = summary.library.entries;
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const entry = entries[mid];
    if (line < entry.line) high = mid - 1;
    else if (line > lastLineOf(entry)) low = mid + 1;
    else return entry;
  }
  return undefined;
}

export type Target =
  | { kind: 'entry'; summary: DigestSummary | LibrarySummary; entry: DigestEntry; paper: Paper }
  | { kind: 'citation'; summary: NoteSummary; citation: Citation; paper?: Paper };

/** What the cursor is on, in a digest or a note. */
export function targetAt(index: WorkspaceIndex, uri: string, position: Position): Target | undefined {
  const summary = index.file(uri);
  if (!summary) return undefined;
  if (summary.kind === 'digest') {
    const entry = entryAtLine(summary, position.line);
    const paper = entry && index.paperOf(entry);
    return entry && paper ? { kind: 'entry', summary, entry, paper } : undefined;
  }
  if (summary.kind === 'library') {
    const entry = libraryEntryAtLine(summary, position.line);
    const paper = entry && index.paperOf(entry);
    return entry && paper ? { kind: 'entry', summary, entry, paper } : undefined;
  }
  const citation = citationAt(summary, position);
  return citation ? { kind: 'citation', summary, citation, paper: index.paperCitedBy(summary, citation.key) } : undefined;
}

/** The key and title of the paper under a position (an entry line, or a citation of a known key). */
export function providePaperAt(index: WorkspaceIndex, uri: string, position: Position): { key: string; title: string } | null {
  const paper = targetAt(index, uri, position)?.paper;
  return paper ? { key: paper.key, title: paper.locations[0].entry.title } : null;
}
