/** The outline of a digest: every paper, nested under its `#` headings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { joinLines, TULU, workspace } from './workspace';

const DIGEST_URI = 'file:///w/a.digest';
const EVIL_TITLE = '<img src=x onerror=alert(1)> [Click](command:workbench.action.quit) ![i](https://evil.example/t.png) $(zap) &lt;b&gt; Evil';

function outline(files: Record<string, string>, uri = DIGEST_URI): DocumentSymbol[] {
  const ws = workspace(files);
  return provideDocumentSymbols(ws.index, ws.digest(uri));
}

/** [name, children's names] of each symbol, down the tree. */
function shape(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) => (s.children ? [s.name, shape(s.children)] : s.name));
}

describe('document symbols', () => {
  it('lists every paper under its heading, with date, upvotes and key, selecting the title', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(
      '# Copied',
      '25 «Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2» Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 6',
      '12 11 authors · Nov 17, 2023',
      '1 «Alpha Paper Title» || We study alpha. 2 authors · Jan 3, 2024',
    ) });
    const symbols = provideDocumentSymbols(ws.index, ws.digest());
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'Copied');
    assert.equal(symbols[0].kind, SymbolKind.Namespace);
    const papers = symbols[0].children!;
    assert.deepEqual(papers.map((p) => p.name), ['Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2', 'Alpha Paper Title'], 'the broken line is no paper');
    assert.equal(papers[0].detail, '2023-11-17 · 25 upvotes · camels-changing-climate2023');
    assert.equal(papers[1].detail, '2024-01-03 · 1 upvote · alpha-paper-title2024');
    assert.equal(papers[0].kind, SymbolKind.Class);
    assert.deepEqual(papers.map((p) => p.selectionRange), ws.ranges(), 'the titles');
    assert.deepEqual(papers[0].selectionRange, { start: { line: 1, character: 3 }, end: { line: 1, character: 68 } });
    assert.deepEqual(papers[0].range.start, { line: 1, character: 0 }, 'the whole line');
  });

  it('lists a digest without headings flat, in line order', () => {
    const symbols = outline({ 'file:///w/tulu.digest.txt': TULU }, 'file:///w/tulu.digest.txt');
    assert.equal(symbols.length, 25);
    assert.deepEqual(symbols.map((s) => s.range.start.line), Array.from({ length: 25 }, (_, i) => i));
    assert.ok(symbols.every((s) => s.kind === SymbolKind.Class && s.children === undefined));
  });

  it('nests headings by level and widens each section to the line before the next of its level', () => {
    const text = joinLines(
      '# One',
      '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024',
      '## Two',
      '2 Beta Paper Title || We study beta. 2 authors · Jan 4, 2024',
      '',
      '# Three',
      '3 Gamma Paper Title || We study gamma. 2 authors · Jan 5, 2024',
    );
    const symbols = outline({ [DIGEST_URI]: text });
    assert.deepEqual(shape(symbols), [['One', ['Alpha Paper Title', ['Two', ['Beta Paper Title']]]], ['Three', ['Gamma Paper Title']]]);
    assert.deepEqual(symbols[0].range, { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } }, 'One runs to the blank line before Three');
    assert.deepEqual(symbols[0].children![1].range, { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }, 'Two ends with One');
    assert.deepEqual(symbols[1].range.end, { line: 6, character: text.split('\n')[6].length }, 'the last section runs to the end');
    assert.deepEqual(symbols[0].selectionRange, { start: { line: 0, character: 2 }, end: { line: 0, character: 5 } }, 'the heading text');
  });

  it('reads headings alone, an empty file, and a heading without text', () => {
    assert.deepEqual(shape(outline({ [DIGEST_URI]: '# One\n## Two\n# Three\n' })), [['One', [['Two', []]]], ['Three', []]]);
    assert.deepEqual(outline({ [DIGEST_URI]: '' }), []);
    assert.equal(outline({ [DIGEST_URI]: '#\n1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024' })[0].name, '(untitled section)');
  });

  it('reads a file with a BOM, CRLF, a lone CR, tabs, zero-width and RTL characters', () => {
    const text = '\ufeff# Mixed\r\n1 Alpha Paper\u200b Title We study \u202ealpha. 2 authors · Jan 3, 2024\r\n\t  \t\n2  Beta\tPaper  Title  We  study  beta.  3 authors  ·  Feb 4, 2024\r3 Gamma Paper Title We study gamma. 1 author · Feb 31, 2024\n';
    const [mixed] = outline({ [DIGEST_URI]: text });
    assert.equal(mixed.name, 'Mixed');
    assert.deepEqual(mixed.children!.map((p) => p.range.start.line), [1, 3, 4]);
  });

  it('names a paper by its title exactly as written, hostile or not', () => {
    const [evil] = outline({ [DIGEST_URI]: `9 ${EVIL_TITLE} || <script>alert(2)</script> 2 authors · Jan 5, 2024 1` });
    assert.equal(evil.name, EVIL_TITLE, 'outline names are plain text: nothing to escape');
  });

  it('shows the key a paper takes when another paper, listed first, holds its base key', () => {
    const symbols = outline({
      'file:///w/b.digest': '1 Tulu Models: Part Two || We study two. 2 authors · Jan 4, 2024',
      [DIGEST_URI]: '1 Tulu Models: Part One || We study one. 2 authors · Jan 3, 2024',
    });
    assert.match(symbols[0].detail!, / · tulu-models2024-[a-z2-9]{4}$/);
  });
});
