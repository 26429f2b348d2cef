/**
 * The language server against hostile and broken input: untrusted text in every place it shows
 * up, broken files on disk, and Restricted Mode.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, SymbolInformation } from 'vscode-languageserver-protocol';
import { startServer, TestServer } from './lspClient';

const EVIL_TITLE = '<img src=x onerror=alert(1)> [Click](command:workbench.action.quit) ![i](https://evil.example/t.png) $(zap) &lt;b&gt; Evil';
const EVIL_LINE = `9 ${EVIL_TITLE} || <script>alert(2)</script> [x](javascript:alert(3)) \`code\` *bold* # heading 2 authors · Jan 5, 2024 1`;

/** Markdown that may hold no live HTML, no links but ours, no images and no theme icons. */
function assertInert(markdown: string): void {
  assert.doesNotMatch(markdown, /<(img|script|b)\b/i, 'no raw HTML');
  assert.doesNotMatch(markdown, /!\[/, 'no image');
  assert.doesNotMatch(markdown, /(?<!\\)\$\(/, 'no theme icon');
  for (const [, target] of markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) {
    assert.match(target, /^(https:\/\/huggingface\.co\/papers\?q=|https:\/\/arxiv\.org\/search\/|file:\/\/)/, `link target ${target}`);
  }
}

let server: TestServer;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'litdigest-hostile-'));
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'evil.digest'), `${EVIL_LINE}\n`);
  writeFileSync(join(root, 'notes', 'n.md'), 'About [@img-srcx-onerroralert1-2024] and @nokey<script>.\n');
  writeFileSync(join(root, 'empty.digest'), '');
  writeFileSync(join(root, 'headings.digest'), '# One\n## Two\n# Three\n');
  writeFileSync(join(root, 'bom-crlf.digest'), '\ufeff# Mixed\r\n1 Alpha Paper\u200b Title We study \u202ealpha. 2 authors · Jan 3, 2024\r\n\t  \t\n2  Beta\tPaper  Title  We  study  beta.  3 authors  ·  Feb 4, 2024\r3 Gamma Paper Title We study gamma. 1 author · Feb 31, 2024\n');
  writeFileSync(join(root, 'binary.digest'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  writeFileSync(join(root, 'long.digest'), `1 Long Line Title ${'y '.repeat(1_000_000)} 2 authors · Jan 2, 2024\n2 Short Paper Title We study. 1 author · Jan 3, 2024\n`);
  mkdirSync(join(root, 'folder.digest'));
  server = await startServer(root, {}, { workspaceTrusted: false });
  await server.waitForIndexed(5);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('untrusted text stays text', () => {
  it('in hover cards on entries and on citations', async () => {
    for (const [uri, position] of [[server.uri('evil.digest'), { line: 0, character: 3 }], [server.uri('notes/n.md'), { line: 0, character: 10 }]] as const) {
      const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }) as Hover;
      const value = (hover.contents as { value: string }).value;
      assert.match(value, /Evil/);
      assertInert(value);
    }
  });

  it('in completion documentation', async () => {
    const uri = server.uri('notes/draft.md');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: '@evil' } });
    const list = await server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 5 } }) as CompletionList;
    assert.equal(list.items[0].label, 'img-srcx-onerroralert1-2024');
    const resolved = await server.connection.sendRequest('completionItem/resolve', list.items[0]) as CompletionItem;
    assertInert((resolved.documentation as { value: string }).value);
  });

  it('in code lenses, symbols and diagnostics (plain strings)', async () => {
    const lenses = await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: server.uri('evil.digest') } }) as CodeLens[];
    assert.deepEqual(lenses.map((l) => l.command?.title), ['cited 1×']);
    const symbols = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: server.uri('evil.digest') } }) as DocumentSymbol[];
    assert.equal(symbols[0].name, EVIL_TITLE);
    const diagnostics = await server.waitForDiagnostics(server.uri('notes/n.md'), (d) => d.length > 0);
    // `<` followed by a letter is internal punctuation of a Pandoc key, so the key is `nokey<script`.
    assert.deepEqual(diagnostics.map((d: Diagnostic) => d.message), ["unknown citation key 'nokey<script'"]);
  });
});

describe('broken files', () => {
  it('reads empty, heading-only, BOM, CRLF, mixed line ends, tabs, zero-width and RTL text', async () => {
    const empty = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: server.uri('empty.digest') } }) as DocumentSymbol[];
    assert.deepEqual(empty, []);
    const headings = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: server.uri('headings.digest') } }) as DocumentSymbol[];
    assert.deepEqual(headings.map((h) => [h.name, h.children?.map((c) => c.name)]), [['One', ['Two']], ['Three', []]]);
    const mixed = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: server.uri('bom-crlf.digest') } }) as DocumentSymbol[];
    const papers = mixed[0].children!;
    assert.equal(papers.length, 3);
    assert.deepEqual(papers.map((p) => p.range.start.line), [1, 3, 4]);
    const diagnostics = await server.waitForDiagnostics(server.uri('bom-crlf.digest'), (d) => d.some((x) => x.code === 'impossible-date'));
    assert.equal(diagnostics.find((d) => d.code === 'impossible-date')!.range.start.line, 4);
  });

  it('reports a 2 MB line and keeps the rest of the file', async () => {
    const symbols = await server.connection.sendRequest('workspace/symbol', { query: 'short paper title' }) as SymbolInformation[];
    assert.ok(symbols.some((s) => s.name === 'Short Paper Title'));
  });

  it('tells the person which file could not be read, and why', () => {
    assert.ok(server.messages.some((m) => /binary\.digest: binary data \(a NUL byte\), not a text file; skipped/.test(m)), server.messages.join(' | '));
  });

  it('skips binary data and a folder named like a digest, and keeps serving', async () => {
    const symbols = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: server.uri('binary.digest') } }) as DocumentSymbol[];
    assert.deepEqual(symbols, []);
    const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: server.uri('evil.digest') }, position: { line: 0, character: 1 } });
    assert.ok(hover);
  });
});

describe('Restricted Mode', () => {
  it('still navigates but creates no note', async () => {
    const result = await server.connection.sendRequest('workspace/executeCommand', { command: 'literatureDigest.server.createNote', arguments: ['img-srcx-onerroralert1-2024'] });
    assert.equal(result, null);
    assert.equal(existsSync(join(root, 'notes', 'img-srcx-onerroralert1-2024.md')), false);
  });
});
