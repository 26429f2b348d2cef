/** Hover: the paper card, on an entry line of a digest or on a citation in a note. */
import { Hover, MarkupKind, Position } from 'vscode-languageserver-types';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { citationRange, spanRange, targetAt } from './documentContext';
import { escapeMarkdown, fileName, renderPaperCard } from './paperCard';

export function provideHover(index: WorkspaceIndex, uri: string, position: Position): Hover | null {
  const target = targetAt(index, uri, position);
  if (!target) return null;
  if (target.kind === 'entry') {
    const { entry, summary } = target;
    if (summary.kind === 'library') {
      return { contents: { kind: MarkupKind.Markdown, value: renderPaperCard(index, target.paper, { entry }) }, range: spanRange(entry.line, entry.spans.title) };
    }
    const noteLines = entry.noteLines.map((line) => summary.digest.lines[line]);
    return {
      contents: { kind: MarkupKind.Markdown, value: renderPaperCard(index, target.paper, { noteLines, entry }) },
      range: spanRange(entry.line, { start: 0, end: summary.digest.lines[entry.line].length }),
    };
  }
  if (!target.paper) {
    const elsewhere = index.paperByKey(target.citation.key);
    if (elsewhere) {
      return {
        contents: { kind: MarkupKind.Markdown, value: `**${escapeMarkdown(target.citation.key)}** is in ${elsewhere.locations.map((l) => `\`${escapeMarkdown(fileName(l.uri))}\``).join(', ')}, not in the bibliographies this note names.\n\n${renderPaperCard(index, elsewhere)}` },
        range: citationRange(target.citation),
      };
    }
    const suggestions = index.closestKeys(target.citation.key);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((k) => `\`${k}\``).join(', ')}?` : '';
    return {
      contents: { kind: MarkupKind.Markdown, value: `No paper in the workspace has the key **${escapeMarkdown(target.citation.key)}**.${hint}` },
      range: citationRange(target.citation),
    };
  }
  const shown = target.paper.locations[0];
  const digest = index.digest(shown.uri);
  const noteLines = digest ? shown.entry.noteLines.map((line) => digest.digest.lines[line]) : [];
  return {
    contents: { kind: MarkupKind.Markdown, value: renderPaperCard(index, target.paper, { noteLines }) },
    range: citationRange(target.citation),
  };
}
