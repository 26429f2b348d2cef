/**
 * Bibliography files as paper sources, feature by feature, on a workspace that holds a digest, a
 * BibTeX file (the biblatex examples), a Better BibTeX CSL-JSON export and notes citing all three.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provideCompletion } from '../../server/src/features/completion';
import { provideDiagnostics } from '../../server/src/features/diagnostics';
import { provideLibrarySymbols } from '../../server/src/features/documentSymbols';
import { LibrarySummary, WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { provideHover } from '../../server/src/features/hover';
import { provideDefinition, provideReferences, provideWorkspaceSymbols } from '../../server/src/features/navigation';
import { provideSearch } from '../../server/src/features/search';
import { selectPapersForExport } from '../../server/src/bibliography/exportSelection';
import { formatBibliography } from '../../server/src/bibliography/bibliography';
import { joinLines, markdownOf, readFixture, TULU, TULU_URI, workspace } from './workspace';

const EXAMPLES = readFixture('bibliographies/biblatex-examples.bib');
const ZOTERO = readFixture('bibliographies/bbt-pandoc-citation.csl.json');
const BIB = 'file:///w/biblatex-examples.bib';
const JSON_URI = 'file:///w/library.json';
const NOTE = 'file:///w/notes/review.md';

/** A `.bib` entry of a paper the digest also lists (same title and year): one paper, two keys. */
const CAMELS_BIB = joinLines(
  '@misc{ivison2023camels,',
  '  title = {Camels in a Changing Climate: Enhancing {LM} Adaptation with {T\\"ULU} 2},',
  '  author = {Ivison, Hamish and Wang, Yizhong and Pyatkin, Valentina},',
  '  year = {2023},',
  '  eprint = {2311.10702},',
  '  archivePrefix = {arXiv},',
  '}',
);

function fullWorkspace(note: string, extra: Record<string, string> = {}) {
  return workspace({ [TULU_URI]: TULU, [BIB]: EXAMPLES, [JSON_URI]: ZOTERO, 'file:///w/mine.bib': CAMELS_BIB, [NOTE]: note, ...extra });
}

describe('bibliographies as sources', () => {
  it('resolves keys of a digest, a .bib and a CSL-JSON file: no false diagnostics', () => {
    const ws = fullWorkspace('See [@fipo2024; @knuth:ct:a; @Berndt1994, p. 5], @kant:kpv and [@ivison2023camels].');
    assert.deepEqual(provideDiagnostics(ws.index, NOTE), []);
    const unknown = fullWorkspace('See @nosuchkey2024.');
    assert.equal(provideDiagnostics(unknown.index, NOTE)[0]?.code, 'unknown-key');
  });

  it('reads every entry of biblatex-examples.bib with its key, crossrefs and decoded TeX', () => {
    const ws = fullWorkspace('');
    const paper = ws.index.paperByKey('kant:kpv');
    assert.ok(paper);
    assert.equal(paper.locations[0].entry.title, 'Kritik der praktischen Vernunft');
    // Inherited from its crossref'd volume: the booktitle, and the year the entry does not give.
    const hovered = fullWorkspace('@westfahl:space‸');
    const card = markdownOf(provideHover(hovered.index, hovered.uri, hovered.position));
    assert.match(card, /The True Frontier\\: Confronting and Avoiding the Realities of Space in American Science Fiction Films/);
    assert.match(card, /2000 · incollection · \*Space and Beyond\*/);
    const aksin = ws.index.paperByKey('aksin');
    assert.match(aksin!.locations[0].entry.title, /Mizoroki-Heck/);
    assert.deepEqual(aksin!.locations[0].entry.metadata?.authorNames.slice(0, 2), ['Özge Aksın', 'Hayati Türkmen']);
  });

  it('hovers a .bib key with title, authors, year, venue and DOI', () => {
    const ws = fullWorkspace('As @sigfridsson‸ showed.');
    const card = markdownOf(provideHover(ws.index, ws.uri, ws.position));
    assert.match(card, /Comparison of methods for deriving atomic charges/);
    assert.match(card, /Emma Sigfridsson, Ulf Ryde/);
    assert.match(card, /1998/);
    assert.match(card, /Journal of Computational Chemistry/);
    assert.match(card, /\[DOI 10\\\.1002/);
  });

  it('hovers a CSL-JSON item, its HTML markup shown as text', () => {
    const ws = fullWorkspace('As @Adams2001‸ showed.');
    const card = markdownOf(provideHover(ws.index, ws.uri, ws.position));
    assert.match(card, /The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru/);
    assert.match(card, /Bulletin of Volcanology/);
    assert.match(card, /2014-12-31/);
  });

  it('goes to the entry line of the .bib and the item of the JSON', () => {
    const bib = fullWorkspace('@sigfridsson‸');
    const [location] = provideDefinition(bib.index, bib.uri, bib.position);
    assert.equal(location.uri, BIB);
    const lines = EXAMPLES.split('\n');
    assert.match(lines[location.range.start.line], /@article\{sigfridsson,/);
    assert.equal(lines[location.range.start.line].slice(location.range.start.character, location.range.end.character), 'sigfridsson');
    const json = fullWorkspace('@Dunning2016‸');
    const [item] = provideDefinition(json.index, json.uri, json.position);
    assert.equal(item.uri, JSON_URI);
    assert.equal(ZOTERO.split('\n')[item.range.start.line].slice(item.range.start.character, item.range.end.character), 'Dunning2016');
  });

  it('makes one paper of a digest entry and a .bib entry of the same title and year; both keys resolve', () => {
    const ws = fullWorkspace(joinLines('[@camels-changing-climate2023]', 'and again [@ivison2023camels‸]'));
    const byDigestKey = ws.index.paperByKey('camels-changing-climate2023');
    assert.ok(byDigestKey);
    assert.equal(ws.index.paperByKey('ivison2023camels'), byDigestKey);
    assert.deepEqual(byDigestKey.keys, ['camels-changing-climate2023', 'ivison2023camels']);
    assert.deepEqual(byDigestKey.locations.map((l) => l.uri), [TULU_URI, 'file:///w/mine.bib']);
    // References from either citation list both.
    assert.equal(provideReferences(ws.index, ws.uri, ws.position, false).length, 2);
    // The digest's listing is the one shown; the bibliography adds the authors.
    assert.equal(byDigestKey.locations[0].entry.upvotes, 20);
  });

  it('makes one paper of a .bib entry and a digest entry with the same arXiv id, whatever their titles and years, in any order', () => {
    const digest = joinLines(
      '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since the release of Tulu. 11 authors · Nov 17, 2023',
      'arXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang',
    );
    const published = '@inproceedings{ivison2024tulu, title = {Tulu 2: Open Instruction Tuning at Scale}, booktitle = {ICLR}, year = 2024, eprint = {2311.10702}, archivePrefix = {arXiv}}';
    const check = (index: WorkspaceIndex) => {
      const paper = index.paperByKey('ivison2024tulu');
      assert.ok(paper);
      assert.equal(index.paperByKey('camels-changing-climate2023'), paper);
      assert.deepEqual(paper.locations.map((l) => l.uri), ['file:///w/a.digest', 'file:///w/mine.bib']);
    };
    check(workspace({ 'file:///w/a.digest': digest, 'file:///w/mine.bib': published }).index);
    const bibFirst = workspace({ 'file:///w/mine.bib': published, 'file:///w/a.digest': digest });
    check(bibFirst.index);
    // The digest's metadata line gone, they are two papers again.
    bibFirst.index.setDigestText('file:///w/a.digest', digest.split('\n')[0], { fallbackCaptureYear: 2025 });
    assert.notEqual(bibFirst.index.paperByKey('ivison2024tulu'), bibFirst.index.paperByKey('camels-changing-climate2023'));
    assert.equal(bibFirst.index.paperByKey('ivison2024tulu')?.locations.length, 1);
    // And one again when it comes back.
    bibFirst.index.setDigestText('file:///w/a.digest', digest, { fallbackCaptureYear: 2025 });
    check(bibFirst.index);
    bibFirst.index.remove('file:///w/a.digest');
    assert.deepEqual(bibFirst.index.paperByKey('ivison2024tulu')?.locations.map((l) => l.uri), ['file:///w/mine.bib']);
  });

  it('completes .bib and CSL keys by key, title words and authors, with year and first author', () => {
    const byKey = fullWorkspace('@sig‸');
    const items = provideCompletion(byKey.index, byKey.cursorLine, byKey.position, 'markdown', { maxItems: 20 })!.items;
    const sigfridsson = items.find((item) => item.label === 'sigfridsson');
    assert.ok(sigfridsson, items.map((i) => i.label).join(' '));
    assert.equal(sigfridsson.labelDetails?.description, '1998 · Sigfridsson et al.');
    const byTitle = fullWorkspace('@volcanology‸');
    assert.ok(provideCompletion(byTitle.index, byTitle.cursorLine, byTitle.position, 'markdown', { maxItems: 20 })!.items.some((item) => item.label === 'Adams2001'));
    // By an author's name (the year shows in each item's description, asserted above).
    const byAuthor = fullWorkspace('@wingate‸');
    assert.ok(provideCompletion(byAuthor.index, byAuthor.cursorLine, byAuthor.position, 'markdown', { maxItems: 20 })!.items.some((item) => item.label === 'murray'));
  });

  it('lists bibliography entries in workspace symbols and the search panel, with the file as a filter', () => {
    const ws = fullWorkspace('');
    const symbols = provideWorkspaceSymbols(ws.index, 'Huaynaputina');
    assert.equal(symbols[0]?.location.uri, JSON_URI);
    const inJson = provideSearch(ws.index, { query: '', digest: JSON_URI, limit: 100 }, { indexing: false });
    assert.deepEqual(inJson.items.map((item) => item.key).sort(), ['Adams2001', 'Berndt1994', 'Dunning2016', 'Wordsworth1883']);
    assert.ok(inJson.digests.includes(BIB) && inJson.digests.includes(JSON_URI), 'bibliographies are sources to filter by');
  });

  it('outlines a .bib by its keys, with title and year', () => {
    const ws = fullWorkspace('');
    const summary = ws.index.file(BIB);
    assert.equal(summary?.kind, 'library');
    const symbols = provideLibrarySymbols(summary as LibrarySummary);
    assert.equal(symbols.length, 92);
    const sigfridsson = symbols.find((symbol) => symbol.name === 'sigfridsson')!;
    assert.match(sigfridsson.detail ?? '', /^Comparison of methods .* · 1998$/);
    assert.match(EXAMPLES.split('\n')[sigfridsson.selectionRange.start.line], /^@article\{sigfridsson,/);
  });

  it('reports broken .bib files where they break, and keeps the rest', () => {
    const broken = joinLines(
      '@string{jcc = {Journal of Computational Chemistry}}',
      '@article{good1, title = {First}, journal = jcc, year = 2020}',
      '@article{open, title = {Never closed, year = 2021,',
      '@article{good2, title = {Second}, journal = nosuchmacro, year = 2022}',
      '@article{, title = {No key}}',
      '@article{good1, title = {Again}, year = 2020}',
    );
    const ws = workspace({ 'file:///w/broken.bib': broken });
    const messages = provideDiagnostics(ws.index, 'file:///w/broken.bib').map((d) => `${d.range.start.line}: ${d.message}`);
    assert.ok(messages.some((m) => /^2: .*(not closed|unbalanced braces)/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^3: unknown @string 'nosuchmacro'/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^4: .*has no key/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^5: duplicate key 'good1'/.test(m)), messages.join('\n'));
    assert.equal(ws.index.paperByKey('good2')?.locations[0].entry.title, 'Second');
    assert.equal(ws.index.paperByKey('good1')?.locations[0].entry.title, 'First');
  });

  it('says so on both entries when two files give one key to different papers', () => {
    const a = 'file:///w/a.bib';
    const b = 'file:///w/b.bib';
    const ws = workspace({ [a]: '@article{smith2020, title = {One Paper}, year = 2020}', [b]: '@article{smith2020, title = {Another Paper}, year = 2020}' });
    for (const uri of [a, b]) {
      const [diagnostic] = provideDiagnostics(ws.index, uri);
      assert.equal(diagnostic?.code, 'shared-key', uri);
      assert.equal(diagnostic.relatedInformation?.[0].location.uri, uri === a ? b : a);
    }
    // The same entry copied into two files is one paper, not a conflict.
    const copies = workspace({ [a]: '@article{smith2020, title = {One Paper}, year = 2020}', [b]: '@article{smith2020, title = {One Paper}, year = 2020}' });
    assert.deepEqual(provideDiagnostics(copies.index, a), []);
    assert.equal(copies.index.paperByKey('smith2020')?.locations.length, 2);
  });

  it('resolves a note with YAML bibliography: against its own files (and the digests) only', () => {
    const note = joinLines('---', 'title: Review', 'bibliography: [mine.bib, "../library.json"]', '---', '', 'See @ivison2023camels, @Adams2001, @fipo2024 and @knuth:ct:a.');
    const ws = workspace({ [TULU_URI]: TULU, [BIB]: EXAMPLES, [JSON_URI]: ZOTERO, 'file:///w/notes/mine.bib': CAMELS_BIB, [NOTE]: note });
    assert.deepEqual(ws.note(NOTE).bibliographies, ['file:///w/notes/mine.bib', 'file:///w/library.json']);
    const diagnostics = provideDiagnostics(ws.index, NOTE);
    assert.deepEqual(diagnostics.map((d) => d.code), ['key-not-in-document-bibliography']);
    assert.match(String(diagnostics[0].message), /'knuth:ct:a' is in biblatex-examples\.bib/);
    // With the workspace scope every bibliography counts.
    ws.index.bibliographyScope = 'workspace';
    assert.deepEqual(provideDiagnostics(ws.index, NOTE), []);
  });

  it('exports the entries a note cites as they are in their .bib', () => {
    const ws = fullWorkspace('[@sigfridsson; @fipo2024]');
    const { papers } = selectPapersForExport(ws.index, { citedBy: NOTE });
    const bibtex = formatBibliography(papers, 'bibtex');
    assert.match(bibtex, /@article\{sigfridsson,\n {2}author {7}= \{Sigfridsson, Emma and Ryde, Ulf\},/);
    assert.match(bibtex, /@misc\{fipo2024,/);
  });
});
