/** What a metadata line brings to the features: authors and real links in hover, search and completion by author, exports with authors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBibliography, toCslItems } from '../../server/src/bibliography/bibliography';
import { provideCompletion } from '../../server/src/features/completion';
import { provideHover } from '../../server/src/features/hover';
import { provideWorkspaceSymbols } from '../../server/src/features/navigation';
import { provideSearch } from '../../server/src/features/search';
import { joinLines, markdownOf, TULU, TULU_URI, workspace } from './workspace';

const META_URI = 'file:///w/imported.digest';
const IMPORTED = joinLines(
  '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 5',
  'arXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang, Valentina Pyatkin, Nathan Lambert, Ludwig van Beethoven · code: https://github.com/allenai/open-instruct · page: javascript:alert(1)',
);

describe('a paper with a metadata line', () => {
  it('hover names the first authors, then et al., and links the paper page, the arXiv abstract, the PDF and the code', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [META_URI]: IMPORTED });
    const markdown = markdownOf(provideHover(index, META_URI, { line: 0, character: 5 }));
    assert.match(markdown, /Hamish Ivison, Yizhong Wang, Valentina Pyatkin et al\\\. \\\(5 authors\\\)/);
    assert.match(markdown, /\[Hugging Face Papers\]\(https:\/\/huggingface\.co\/papers\/2311\.10702\)/);
    assert.match(markdown, /\(https:\/\/arxiv\.org\/abs\/2311\.10702\)/);
    assert.match(markdown, /\[PDF\]\(https:\/\/arxiv\.org\/pdf\/2311\.10702\)/);
    assert.match(markdown, /\[code\]\(https:\/\/github\.com\/allenai\/open-instruct\)/);
    assert.doesNotMatch(markdown, /javascript:/, 'a link that is no http(s) URL is never shown');
    assert.doesNotMatch(markdown, /papers\?q=/, 'no title search once the id is known');
  });

  it('the same paper pasted elsewhere without metadata shows it too (one paper, both locations)', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [META_URI]: IMPORTED });
    const markdown = markdownOf(provideHover(index, TULU_URI, { line: 4, character: 5 }));
    assert.match(markdown, /Camels in a Changing Climate/);
    assert.match(markdown, /Hamish Ivison/);
  });

  it('is found by its authors: search, completion after @ivison, workspace symbols', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [META_URI]: IMPORTED, 'file:///w/n.md': '[@ivison' });
    assert.equal(provideSearch(index, { query: 'ivison' }, { indexing: false }).items[0]?.key, 'camels-changing-climate2023');
    const completion = provideCompletion(index, '[@ivison', { line: 0, character: 8 }, 'markdown', { maxItems: 10 });
    assert.equal(completion?.items[0]?.label, 'camels-changing-climate2023');
    assert.equal(provideWorkspaceSymbols(index, 'pyatkin')[0]?.containerName?.split(' · ')[0], 'camels-changing-climate2023', 'workspace symbols too');
    const before = workspace({ [TULU_URI]: TULU });
    assert.notEqual(provideSearch(before.index, { query: 'ivison' }, { indexing: false }).items[0]?.key, 'camels-changing-climate2023', 'without the metadata the name finds nothing of it');
  });

  it('the search panel filters by author, in any case and accents, with or without a query', () => {
    const { index } = workspace({ [TULU_URI]: TULU, [META_URI]: IMPORTED.replace('Yizhong Wang', 'Yízhong Wang') });
    assert.deepEqual(provideSearch(index, { query: '', author: 'yizhong' }, { indexing: false }).items.map((item) => item.key), ['camels-changing-climate2023']);
    assert.deepEqual(provideSearch(index, { query: 'tulu', author: 'BEETHOVEN' }, { indexing: false }).items.map((item) => item.key), ['camels-changing-climate2023']);
    assert.deepEqual(provideSearch(index, { query: '', author: 'nobody at all' }, { indexing: false }).items, []);
    assert.equal(provideSearch(index, { query: '', author: '  ' }, { indexing: false }).items.length, 25, 'a blank author filters nothing');
  });

  it('exports authors, the arXiv id, its DOI and the abstract page', () => {
    const { index } = workspace({ [META_URI]: IMPORTED });
    const bibtex = formatBibliography(index.papers(), 'bibtex');
    assert.match(bibtex, /author = \{Ivison, Hamish and Wang, Yizhong and Pyatkin, Valentina and Lambert, Nathan and van Beethoven, Ludwig\}/);
    assert.match(bibtex, /eprint = \{2311\.10702\}/);
    assert.match(bibtex, /archiveprefix = \{arXiv\}/);
    assert.match(bibtex, /doi = \{10\.48550\/arXiv\.2311\.10702\}/);
    assert.match(bibtex, /url = \{https:\/\/arxiv\.org\/abs\/2311\.10702\}/);
    const [item] = toCslItems(index.papers());
    assert.deepEqual(item.author?.slice(0, 1), [{ given: 'Hamish', family: 'Ivison' }]);
    assert.deepEqual(item.author?.at(-1), { given: 'Ludwig', family: 'van Beethoven' });
    assert.equal(item.DOI, '10.48550/arXiv.2311.10702');
    assert.equal(item.number, '2311.10702');
    assert.equal(item.URL, 'https://arxiv.org/abs/2311.10702');
  });

  it('a paper without metadata exports as before: no author, a title search', () => {
    const { index } = workspace({ [TULU_URI]: TULU });
    const [item] = toCslItems(index.papers());
    assert.equal(item.author, undefined);
    assert.match(item.URL ?? '', /^https:\/\/huggingface\.co\/papers\?q=/);
  });
});
