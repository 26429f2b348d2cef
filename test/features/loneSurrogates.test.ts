/**
 * Lone surrogates (half an emoji, left by an edit or a broken export) in what links are built
 * from: encodeURIComponent throws "URI malformed" on them, which failed hover, completion resolve
 * and export as -32603 (issue 16, #6). Links are built from well-formed text instead, the lone
 * half read as U+FFFD.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBibliography } from '../../server/src/bibliography/bibliography';
import { provideCompletion, resolveCompletionItem } from '../../server/src/features/completion';
import { provideHover } from '../../server/src/features/hover';
import { beginMarker } from '../../server/src/features/literatureNote';
import { markdownOf, workspace } from './workspace';

const HIGH = '\uD83D';
const LOW = '\uDE00';
const DIGEST_URI = 'file:///w/lone.digest';
const BIB_URI = 'file:///w/refs.bib';
const CSL_URI = 'file:///w/refs.json';
const NOTE_URI = 'file:///w/notes/n.md';

function files(): Record<string, string> {
  return {
    [DIGEST_URI]: `9 Lone ${HIGH} Surrogate Paper Title: We study ${LOW} things. 2 authors · Jan 5, 2024\narXiv: 2401.00001 · github: https://github.com/a/b${HIGH}\n`,
    [BIB_URI]: `@article{bibpaper,\n  title = {Broken ${HIGH} Bib Title},\n  doi = {10.1234/ab${HIGH}cd},\n  url = {https://example.org/${LOW}},\n  year = {2024}\n}\n`,
    [CSL_URI]: JSON.stringify([{ id: 'cslpaper', type: 'article-journal', title: `Broken ${LOW} CSL Title`, DOI: `10.5678/x${HIGH}`, URL: `https://example.org/${HIGH}`, issued: { 'date-parts': [[2023]] } }]),
    [NOTE_URI]: '[@',
  };
}

/** The one link whose text starts with `label` in a card. */
function linkTarget(markdown: string, label: string): string | undefined {
  return markdown.match(new RegExp(`\\[${label}[^\\]]*\\]\\(([^)]*)\\)`))?.[1];
}

describe('lone surrogates in what links are made of', () => {
  it('hover shows the card of each such paper, its DOI link with U+FFFD for the lone half', () => {
    const ws = workspace(files());
    const digestCard = markdownOf(provideHover(ws.index, DIGEST_URI, { line: 0, character: 3 }));
    assert.match(digestCard, /Lone/);
    const bibCard = markdownOf(provideHover(ws.index, BIB_URI, { line: 0, character: 10 }));
    assert.equal(linkTarget(bibCard, 'DOI'), 'https://doi.org/10.1234/ab%EF%BF%BDcd');
    const cslCard = markdownOf(provideHover(ws.index, CSL_URI, { line: 0, character: 10 }));
    assert.equal(linkTarget(cslCard, 'DOI'), 'https://doi.org/10.5678/x%EF%BF%BD');
  });

  it('completion resolves the documentation of every such paper', () => {
    const ws = workspace(files());
    const list = provideCompletion(ws.index, '[@', { line: 0, character: 2 }, 'markdown', { maxItems: 50 });
    const labels = list?.items.map((item) => item.label).sort();
    assert.deepEqual(labels, ['bibpaper', 'cslpaper', 'lone-surrogate-paper2024']);
    for (const item of list!.items) {
      const resolved = resolveCompletionItem(ws.index, item);
      assert.ok(resolved.documentation, `documentation of ${item.label}`);
    }
  });

  it('the whole workspace exports as BibTeX and as CSL-JSON', () => {
    const ws = workspace(files());
    const bibtex = formatBibliography(ws.index.papers(), 'bibtex');
    assert.match(bibtex, /@misc\{lone-surrogate-paper2024,/);
    assert.match(bibtex, /url = \{https:\/\/arxiv\.org\/abs\/2401\.00001\}/);
    const csl = JSON.parse(formatBibliography(ws.index.papers(), 'csl-json')) as { id: string }[];
    assert.deepEqual(csl.map((item) => item.id), ['bibpaper', 'cslpaper', 'lone-surrogate-paper2024']);
  });

  it('a key with a lone surrogate makes a literature note marker', () => {
    assert.equal(beginMarker(`k${HIGH}`), '<!-- literature-digest:begin key=k%EF%BF%BD -->');
  });

  it('indexes a note whose bibliography path holds one (its URI built from well-formed text)', () => {
    const ws = workspace({ [DIGEST_URI]: files()[DIGEST_URI], [NOTE_URI]: `---\nbibliography: refs${HIGH}.bib\n---\nSee @lone-surrogate2024.\n` });
    assert.deepEqual(ws.note(NOTE_URI).bibliographies, ['file:///w/notes/refs%EF%BF%BD.bib']);
  });
});
