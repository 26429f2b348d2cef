/** The search panel's query: ranked papers with the ranges to highlight, or all papers filtered. */
import { upvotesRank } from '../digest/entryLine';
import { PaperSearchResult, WorkspaceIndex } from '../index/workspaceIndex';
import { SearchParams, SearchResult } from '../shared/protocol';

/** Most results one query returns, whatever the panel asks for. */
const MAX_RESULTS = 500;

export function provideSearch(index: WorkspaceIndex, params: SearchParams, state: { indexing: boolean; isCancelled?: () => boolean }): SearchResult {
  const limit = Math.min(Math.max(1, params.limit ?? 50), MAX_RESULTS);
  const filters = { minYear: params.minYear, maxYear: params.maxYear, minUpvotes: params.minUpvotes, uri: params.digest, author: params.author };
  const query = params.query.trim();
  // A sort other than relevance re-orders a larger set, so the best of the new order are in it.
  let results: PaperSearchResult[] = query
    ? index.search(params.query, { ...filters, limit: params.sort && params.sort !== 'relevance' ? MAX_RESULTS : limit })
    : index.filterPapers(filters).map((paper) => ({ paper, score: 0, matches: { key: [], title: [], abstract: [] } }));
  if (state.isCancelled?.()) return { items: [], total: index.paperCount, indexing: state.indexing, digests: [] };
  if (params.sort === 'date') results = [...results].sort((a, b) => (a.paper.locations[0].entry.date < b.paper.locations[0].entry.date ? 1 : -1));
  else if (params.sort === 'upvotes' || !query) results = [...results].sort((a, b) => upvotesRank(b.paper.locations[0].entry.upvotes) - upvotesRank(a.paper.locations[0].entry.upvotes));
  return {
    items: results.slice(0, limit).map(({ paper, matches }) => {
      const shown = paper.locations[0].entry;
      return {
        key: paper.key, title: shown.title, date: shown.date, upvotes: shown.upvotes, authors: shown.authors, comments: shown.comments,
        abstractStart: shown.abstract.slice(0, 240),
        locations: paper.locations.map((location) => ({ uri: location.uri, line: location.entry.line })),
        matches: { title: matches.title, key: matches.key, abstract: matches.abstract },
      };
    }),
    total: index.paperCount,
    indexing: state.indexing,
    // The sources to filter by: digests and bibliographies.
    digests: index.allFiles().filter((file) => file.kind === 'digest' || file.kind === 'library').map((file) => file.uri).sort(),
  };
}
