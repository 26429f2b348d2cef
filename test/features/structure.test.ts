/** The "cited N×" code lenses, folding ranges and document links of digests. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoldingRangeKind } from 'vscode-languageserver-types';
import { provideCodeLenses, provideDocumentLinks, provideFoldingRanges } from '../../server/src/features/structure';
import { SHOW_REFERENCES_COMMAND } from '../../server/src/shared/protocol';
import { CAMELS_AGAIN, joinLines, TULU, TULU_URI, workspace } from './workspace';

const DIGEST_URI = 'file:///w/a.digest';
const NOTE_URI = 'file:///w/notes/reading.md';
const EVIL_LINE = '9 <img src=x onerror=alert(1)> [Click](command:workbench.action.quit) ![i](https://evil.example/t.png) $(zap) &lt;b&gt; Evil || <script>alert(2)</script> [x](javascript:alert(3)) 2 authors · Jan 5, 2024 1';

describe('code lenses', () => {
  it('shows "cited N×" on the title of each cited paper, with the citations for the references view', () => {
    const ws = workspace({
      [TULU_URI]: TULU,
      [NOTE_URI]: joinLines('Tulu 2 [@camels-changing-climate2023, sec. 4; @«fipo2024»].', 'Again @«fipo2024».'),
      'file:///w/notes/paper.tex': '\\citep{fipo2024}',
    });
    const lenses = provideCodeLenses(ws.index, ws.digest(TULU_URI));
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [[0, 'cited 3×'], [4, 'cited 1×']], 'uncited papers have no lens');
    const camels = lenses[1];
    const title = ws.digest(TULU_URI).digest.entries[4].spans.title;
    assert.deepEqual(camels.range, { start: { line: 4, character: title.start }, end: { line: 4, character: title.end } });
    assert.equal(camels.command!.command, SHOW_REFERENCES_COMMAND);
    assert.equal(camels.command!.command, 'literatureDigest.showReferences');
    assert.deepEqual(camels.command!.arguments, [TULU_URI, { line: 4, character: title.start }, [{ uri: NOTE_URI, range: { start: { line: 0, character: 9 }, end: { line: 0, character: 36 } } }]]);
    const fipoPlaces = (lenses[0].command!.arguments![2] as { uri: string; range: unknown }[]).filter((l) => l.uri === NOTE_URI).map((l) => l.range);
    assert.deepEqual(fipoPlaces, ws.ranges(NOTE_URI));
  });

  it('shows a plain count on a paper with a hostile title', () => {
    const ws = workspace({ 'file:///w/evil.digest': EVIL_LINE, [NOTE_URI]: 'About [@img-srcx-onerroralert1-2024].' });
    assert.deepEqual(provideCodeLenses(ws.index, ws.digest('file:///w/evil.digest')).map((l) => l.command?.title), ['cited 1×']);
  });

  it('shows none where nothing is cited, and follows a note as it changes', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    assert.deepEqual(provideCodeLenses(ws.index, ws.digest(TULU_URI)), []);
    ws.index.setNoteText(NOTE_URI, '@smoltulu2024 and @smoltulu2024', 'markdown');
    assert.deepEqual(provideCodeLenses(ws.index, ws.digest(TULU_URI)).map((l) => [l.range.start.line, l.command?.title]), [[5, 'cited 2×']]);
    ws.index.remove(NOTE_URI);
    assert.deepEqual(provideCodeLenses(ws.index, ws.digest(TULU_URI)), []);
  });
});

describe('folding ranges', () => {
  it('folds a section to its last line', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(
      '# Copied',
      CAMELS_AGAIN,
      '12 11 authors · Nov 17, 2023',
      '3 Evil Paper || We study. 2 authors · Jan 5, 2024',
    ) });
    assert.deepEqual(provideFoldingRanges(ws.digest()), [{ startLine: 0, endLine: 3, kind: FoldingRangeKind.Region }]);
  });

  it('folds nested sections up to the next heading of their level, without trailing blank lines', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(
      '# One',
      '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024',
      '## Two',
      '2 Beta Paper Title || We study beta. 2 authors · Jan 4, 2024',
      '',
      '',
      '# Three',
      '# Four',
      '4 Delta Paper Title || We study delta. 2 authors · Jan 6, 2024',
      '',
    ) });
    assert.deepEqual(provideFoldingRanges(ws.digest()).map((f) => [f.startLine, f.endLine]), [[0, 3], [2, 3], [7, 8]], 'Three holds nothing to fold');
  });

  it('folds the reader\'s notes under their entry as a comment', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(
      '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024',
      '> first thought',
      '  second thought',
      '2 Beta Paper Title || We study beta. 2 authors · Jan 4, 2024',
    ) });
    assert.deepEqual(provideFoldingRanges(ws.digest()), [{ startLine: 0, endLine: 2, kind: FoldingRangeKind.Comment }]);
  });

  it('folds nothing in a digest without headings or notes', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    assert.deepEqual(provideFoldingRanges(ws.digest()), []);
  });
});

describe('document links', () => {
  it('links the URLs in abstracts, without the sentence\'s full stop', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(
      '# Copied with https://not.a.link/heading',
      '3 Evil Paper We study <script>alert(2)</script> and &amp; see «https://example.org/x». 2 authors · Jan 5, 2024',
    ) });
    const links = provideDocumentLinks(ws.digest());
    assert.deepEqual(links.map((l) => l.target), ['https://example.org/x'], 'not in the heading');
    assert.deepEqual(links[0].range, ws.ranges()[0]);
  });

  it('links several URLs on one line and in note lines, stopping at brackets and quotes', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(
      '1 Alpha Paper Title || Code at («https://github.com/a/b»), data at «http://data.example/set?x=1&y=2»; 2 authors · Jan 3, 2024',
      '> see "«https://notes.example/page»" and [«https://x.example»]',
    ) });
    const links = provideDocumentLinks(ws.digest());
    assert.deepEqual(links.map((l) => l.target), ['https://github.com/a/b', 'http://data.example/set?x=1&y=2', 'https://notes.example/page', 'https://x.example/']);
    assert.deepEqual(links.map((l) => l.range), ws.ranges());
  });

  it('makes no link of javascript:, command: or file: targets', () => {
    const ws = workspace({ 'file:///w/evil.digest': EVIL_LINE.replace(' 2 authors', ' [y](file:///etc/passwd) 2 authors') });
    assert.deepEqual(provideDocumentLinks(ws.digest()).map((l) => l.target), ['https://evil.example/t.png']);
  });

  it('links the project URL of the real corpus', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    const targets = provideDocumentLinks(ws.digest()).map((l) => l.target);
    assert.ok(targets.includes('https://github.com/LuJunru/FIPO_Project'), targets.join(' '));
    assert.ok(targets.every((t) => /^https?:\/\//.test(t ?? '') && !/[.,;:]$/.test(t ?? '')), targets.join(' '));
  });
});
