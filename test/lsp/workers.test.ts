/**
 * The server loading a workspace of many digests parses them on worker threads (dist/parseWorker.js
 * next to dist/server.js) and answers for every file as if it had parsed them itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol, Hover, SymbolInformation } from 'vscode-languageserver-protocol';
import { startServer, TestServer } from './lspClient';

const FIXTURES = join(__dirname, '..', 'fixtures');
const FILES = 12;
let server: TestServer;
let root: string;
let corpus: string[];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'litdigest-lsp-workers-'));
  corpus = readFileSync(join(FIXTURES, 'hf-papers-2024.txt'), 'utf8').split('\n').filter((line) => line.trim());
  // The real papers in 12 files of 62 (more than the 8 below which the server parses in-thread).
  for (let f = 0; f < FILES; f++) writeFileSync(join(root, `part-${String(f).padStart(2, '0')}.digest`), `# Part ${f}\n\n${corpus.slice(f * 62, (f + 1) * 62).join('\n')}\n`);
  server = await startServer(root);
  await server.waitForIndexed(700, 60_000);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('loading on worker threads', () => {
  it('parses the digests on worker threads', () => {
    assert.ok(server.logs.some((line) => new RegExp(`^Parsed ${FILES} digests on \\d+ worker threads?\\.$`).test(line)), server.logs.join('\n'));
    assert.ok(!server.logs.some((line) => line.startsWith('Parse workers unavailable')), server.logs.join('\n'));
  });

  it('answers for the papers of every file: outline, hover, workspace symbols', async () => {
    const uri = server.uri('part-11.digest');
    const outline = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }) as DocumentSymbol[];
    assert.equal(outline[0].name, 'Part 11');
    assert.equal(outline[0].children!.length, Math.min(62, corpus.length - 11 * 62));
    const first = outline[0].children![0];
    const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: first.selectionRange.start }) as Hover;
    const card = (hover.contents as { value: string }).value;
    const word = first.name.split(/\W+/).find((w) => w.length >= 5) ?? first.name;
    assert.ok(card.includes(word), `hover card of '${first.name}': ${card.slice(0, 300)}`);
    const symbols = await server.connection.sendRequest('workspace/symbol', { query: first.name.split(' ').slice(0, 3).join(' ') }) as SymbolInformation[];
    assert.ok(symbols.some((symbol) => symbol.location.uri === uri), JSON.stringify(symbols.slice(0, 3)));
  });

  it('re-reads an edited line of a worker-parsed digest', async () => {
    const uri = server.uri('part-03.digest');
    const text = readFileSync(join(root, 'part-03.digest'), 'utf8');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'paper-digest', version: 1, text } });
    const lines = text.split('\n');
    // Line 2 is the first entry; give it a date no calendar has.
    const edited = lines[2].replace(/ · [A-Z][a-z]{2} \d{1,2}(, \d{4})?/, ' · Feb 31, 2023');
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: lines[2].length } }, text: edited }],
    });
    const diagnostics = await server.waitForDiagnostics(uri, (list) => list.some((d) => d.range.start.line === 2 && /impossible date/.test(typeof d.message === 'string' ? d.message : d.message.value)));
    assert.ok(diagnostics.length >= 1);
  });
});
