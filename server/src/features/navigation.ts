/**
 * Go to definition (citation → every entry of the paper), find references (citation or entry →
 * every citation in every note) and workspace symbols (every paper, by title or key).
 */
import { Location, Position, SymbolInformation, SymbolKind } from 'vscode-languageserver-types';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { citationRange, spanRange, targetAt } from './documentContext';

export function provideDefinition(index: WorkspaceIndex, uri: string, position: Position): Location[] {
  const target = targetAt(index, uri, position);
  if (target?.kind !== 'citation' || !target.paper) return [];
  return target.paper.locations.map((location) => ({ uri: location.uri, range: spanRange(location.entry.line, location.entry.spans.title) }));
}

export function provideReferences(index: WorkspaceIndex, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const target = targetAt(index, uri, position);
  if (!target) return [];
  const paper = target.paper;
  const citations = paper ? index.citationsOfPaper(paper) : index.citationsOf(target.kind === 'citation' ? target.citation.key : '');
  const locations: Location[] = citations.map(({ uri: noteUri, citation }) => ({ uri: noteUri, range: citationRange(citation) }));
  if (includeDeclaration && paper) {
    for (const location of paper.locations) locations.unshift({ uri: location.uri, range: spanRange(location.entry.line, location.entry.spans.title) });
  }
  return locations;
}

/** Every paper matching the query (fuzzy, by key and title), at most `limit`. */
export function provideWorkspaceSymbols(index: WorkspaceIndex, query: string, limit = 200): SymbolInformation[] {
  const papers = query.trim()
    ? index.search(query, { limit }).map((result) => result.paper)
    : index.papers().slice(0, limit);
  return papers.map((paper) => {
    const shown = paper.locations[0];
    return {
      name: shown.entry.title,
      kind: SymbolKind.Class,
      containerName: `${paper.key} · ${shown.entry.date}`,
      location: { uri: shown.uri, range: spanRange(shown.entry.line, shown.entry.spans.title) },
    };
  });
}
