/**
 * A listing's `-` upvote (no count: Hugging Face shows it for papers nobody upvoted yet) is no
 * count everywhere the product shows one, not 0: outline, hover card, completion, search, the
 * literature note, both exports; ranked below every count, 0 included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBibliography } from '../../server/src/bibliography/bibliography';
import { provideCompletion } from '../../server/src/features/completion';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { provideHover } from '../../server/src/features/hover';
import { noteVariables } from '../../server/src/features/literatureNote';
import { provideSearch } from '../../server/src/features/search';
import { markdownOf, workspace } from './workspace';

const DIGEST_URI = 'file:///w/new.digest';
const DIGEST = [
  '- Unvoted Paper Title: Nobody Yet We study what nobody upvoted yet. 2 authors · Mar 3, 2025',
  '0 Zero Paper Title: Counted We study what was counted. 2 authors · Mar 4, 2025',
].join('\n');

function build(note = 'See [@‸].') {
  return workspace({ [DIGEST_URI]: DIGEST, 'file:///w/note.md': note });
}

describe("a '-' upvote is no count, not 0", () => {
  it('reads no upvotes in the outline and the hover card, and a count of 0 as 0', () => {
    const ws = build();
    const details = provideDocumentSymbols(ws.index, ws.digest(DIGEST_URI)).map((symbol) => symbol.detail);
    assert.match(details[0] ?? '', /· no upvotes ·/);
    assert.match(details[1] ?? '', /· 0 upvotes ·/);
    const card = markdownOf(provideHover(ws.index, DIGEST_URI, { line: 0, character: 4 }));
    assert.match(card, /no upvotes/);
    assert.doesNotMatch(card, /\b0 upvotes/);
  });

  it('completion shows no count for it and ranks it below a paper with 0', () => {
    const ws = build();
    const list = provideCompletion(ws.index, ws.cursorLine, ws.position, ws.note().language, { maxItems: 10 });
    const items = list?.items ?? [];
    assert.deepEqual(items.map((item) => item.label), ['zero-paper-title2025', 'unvoted-paper-title2025']);
    assert.equal(items[1].labelDetails?.description, '2025-03-03');
    assert.equal(items[0].labelDetails?.description, '2025-03-04 · 0↑');
  });

  it('search gives null upvotes and sorts it last by upvotes', () => {
    const ws = build();
    const result = provideSearch(ws.index, { query: '', sort: 'upvotes' }, { indexing: false });
    assert.deepEqual(result.items.map((item) => [item.key, item.upvotes]), [['zero-paper-title2025', 0], ['unvoted-paper-title2025', null]]);
  });

  it("a literature note and both exports say 'no upvotes'", () => {
    const ws = build();
    const paper = ws.index.paperByKey('unvoted-paper-title2025')!;
    assert.equal(noteVariables(paper).upvotes, 'no');
    const bibtex = formatBibliography([paper], 'bibtex');
    assert.match(bibtex, /no upvotes on Hugging Face Papers/);
    const csl = formatBibliography([paper], 'csl-json');
    assert.match(csl, /no upvotes on Hugging Face Papers/);
    assert.doesNotMatch(bibtex + csl, /\b0 upvotes/);
  });
});
