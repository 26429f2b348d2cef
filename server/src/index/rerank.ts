/**
 * The second pass of a search: fuse.js re-ranks the index's best candidates by how well key,
 * title and abstract opening match the query as typed, and gives the matched character ranges
 * for highlighting.
 */
import Fuse from 'fuse.js';
import { foldText } from '../shared/text';
import type { SearchFields, SearchHit } from './searchIndex';
import { searchWords } from './words';

/** How many index candidates fuse.js re-ranks; enough to reorder a page of results well. */
export const RERANK_POOL = 40;
/** How much of the abstract fuse.js looks at: the part a person sees in a result. */
const ABSTRACT_HEAD = 240;

/**
 * fuse.js orders the best candidates by how closely key, title and abstract opening match; a
 * long list (workspace symbols ask for 200) keeps the index's order after the first few dozen.
 */
export function rerank(query: string, allCandidates: { id: number; score: number }[], fieldsOf: (id: number) => SearchFields, compareTied: (a: number, b: number) => number): SearchHit[] {
  if (allCandidates.length === 0) return [];
  const candidates = allCandidates.slice(0, RERANK_POOL);
  const rest = allCandidates.slice(RERANK_POOL);
  const topScore = candidates[0].score || 1;
  const docs = candidates.map(({ id }) => {
    const fields = fieldsOf(id);
    return { id, key: fields.key, title: fields.title, authors: fields.authors?.join(', ') ?? '', abstract: fields.abstract.slice(0, ABSTRACT_HEAD) };
  });
  const fuse = new Fuse(docs, {
    keys: [{ name: 'key', weight: 2 }, { name: 'title', weight: 3 }, { name: 'authors', weight: 2 }, { name: 'abstract', weight: 1 }],
    includeMatches: true,
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    useExtendedSearch: true,
    threshold: 0.4,
    minMatchCharLength: 2,
  });
  // Extended search treats space-separated words as all-required fuzzy terms.
  const pattern = searchWords(query).join(' ');
  const fuseResults = new Map<number, { score: number; matches: SearchHit['matches'] }>();
  for (const result of fuse.search(pattern)) {
    const matches: SearchHit['matches'] = { key: [], title: [], abstract: [] };
    for (const match of result.matches ?? []) {
      const field = match.key as keyof SearchHit['matches'];
      if (matches[field]) for (const [start, end] of match.indices) matches[field].push([start, end + 1]);
    }
    fuseResults.set(result.item.id, { score: result.score ?? 1, matches });
  }
  const hits = candidates.map(({ id, score }) => {
    const fuseResult = fuseResults.get(id);
    const indexScore = score / topScore;
    const fuseScore = fuseResult ? 1 - fuseResult.score : 0;
    const matches = fuseResult?.matches ?? wordMatches(fieldsOf(id), query);
    return { id, score: indexScore + 0.35 * fuseScore, matches };
  });
  // Equal scores go by the paper, not by its id (which grows with re-reading; issue 16, #7).
  hits.sort((a, b) => b.score - a.score || compareTied(a.id, b.id));
  for (const { id, score } of rest) hits.push({ id, score: score / topScore, matches: wordMatches(fieldsOf(id), query) });
  return hits;
}

/** Highlights for a hit fuse.js did not match: where the query words occur, as whole words. */
function wordMatches(fields: SearchFields, query: string): SearchHit['matches'] {
  const terms = searchWords(query).filter((t) => t.length >= 2);
  const find = (text: string): [number, number][] => {
    const ranges: [number, number][] = [];
    const folded = foldText(text);
    if (folded.length !== text.length) return ranges;
    for (const term of terms) {
      for (let at = folded.indexOf(term); at >= 0 && ranges.length < 32; at = folded.indexOf(term, at + term.length)) ranges.push([at, at + term.length]);
    }
    return ranges.sort((a, b) => a[0] - b[0]);
  };
  return { key: find(fields.key), title: find(fields.title), abstract: find(fields.abstract.slice(0, ABSTRACT_HEAD)) };
}
