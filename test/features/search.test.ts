/** The search panel's query, and the cited papers the Markdown preview links. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provideCitedPapers } from '../../server/src/features/citedPapers';
import { provideSearch } from '../../server/src/features/search';
import { joinLines, TULU, TULU_URI, workspace } from './workspace';

const OTHER_URI = 'file:///w/other.digest';
const OTHER = joinLines(
  '7 Zebra Routing: Sparse Experts for Tiny Models We route tokens to experts. 4 authors · Mar 3, 2025',
  '2 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023',
);

describe('search', () => {
  it('ranks by the query and gives the ranges to highlight in the title', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [OTHER_URI]: OTHER });
    const result = provideSearch(index, { query: 'zebra routing' }, { indexing: false });
    assert.equal(result.items[0].key, 'zebra-routing2025');
    const [start, end] = result.items[0].matches.title[0];
    assert.equal(result.items[0].title.slice(start, end).toLowerCase(), 'zebra');
    assert.equal(result.total, 26);
    assert.deepEqual(result.digests, [OTHER_URI, TULU_URI], 'every digest, sorted, for the panel\'s filter');
  });

  it('lists a paper in two digests once, with both locations, the first shown', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [OTHER_URI]: OTHER });
    const camels = provideSearch(index, { query: 'camels changing climate' }, { indexing: false }).items[0];
    assert.equal(camels.key, 'camels-changing-climate2023');
    assert.deepEqual(camels.locations.map((l) => l.uri).sort(), [OTHER_URI, TULU_URI]);
  });

  it('without a query lists every paper that passes the filters, most upvoted first', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [OTHER_URI]: OTHER });
    const all = provideSearch(index, { query: '  ', limit: 500 }, { indexing: true });
    assert.equal(all.items.length, 26);
    assert.equal(all.indexing, true, 'says the index is still being built');
    const upvotes = all.items.map((item) => item.upvotes);
    assert.deepEqual(upvotes, [...upvotes].sort((a, b) => (b ?? -1) - (a ?? -1)));
    const recent = provideSearch(index, { query: '', minYear: 2025 }, { indexing: false });
    assert.ok(recent.items.some((item) => item.key === 'zebra-routing2025'));
    assert.ok(recent.items.length < 26 && recent.items.every((item) => item.date >= '2025'), 'only papers of 2025 on');
    const onlyOther = provideSearch(index, { query: '', digest: OTHER_URI, minUpvotes: 5 }, { indexing: false });
    assert.deepEqual(onlyOther.items.map((item) => item.key), ['zebra-routing2025']);
  });

  it('sorts by date, newest first, when asked', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [OTHER_URI]: OTHER });
    const dates = provideSearch(index, { query: 'models', sort: 'date', limit: 10 }, { indexing: false }).items.map((item) => item.date);
    assert.ok(dates.length > 2);
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  it('keeps the limit within 1 and 500 and answers nothing once cancelled', () => {
    const { index } = workspace({ [TULU_URI]: TULU });
    assert.equal(provideSearch(index, { query: '', limit: 0 }, { indexing: false }).items.length, 1);
    assert.equal(provideSearch(index, { query: '', limit: 10_000 }, { indexing: false }).items.length, 25);
    const cancelled = provideSearch(index, { query: 'tulu' }, { indexing: false, isCancelled: () => true });
    assert.deepEqual(cancelled.items, []);
  });

  it('gives the first 240 characters of the abstract', () => {
    const { index } = workspace({ [TULU_URI]: TULU });
    const item = provideSearch(index, { query: 'fipo' }, { indexing: false }).items[0];
    assert.equal(item.key, 'fipo2024');
    assert.equal(item.abstractStart.length, 240);
    assert.ok(item.abstractStart.startsWith('In the quest to facilitate'));
  });
});

describe('cited papers', () => {
  it('lists each cited paper that exists once, with the place it is shown', () => {
    const { index } = workspace({
      [TULU_URI]: TULU,
      'file:///w/a.md': '[@fipo2024; @nosuchkey2020] and again @fipo2024',
      'file:///w/b.tex': '\\cite{maxmin-rlhf2024}',
    });
    const cited = provideCitedPapers(index).sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(cited.map((paper) => [paper.key, paper.uri, paper.line]), [['fipo2024', TULU_URI, 0], ['maxmin-rlhf2024', TULU_URI, 1]]);
    assert.equal(cited[0].date, '2024-02-18');
  });
});
