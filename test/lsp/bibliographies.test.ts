/**
 * Bibliographies over the real protocol: a workspace with a digest, a `.bib`, a CSL-JSON export
 * and notes citing all three, and an external Better BibTeX-style auto-export that is rewritten
 * (a new file renamed over the old) while the server runs.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CompletionList, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { startServer, TestServer } from './lspClient';

const FIXTURES = join(__dirname, '..', 'fixtures');
let server: TestServer;
let root: string;
let zotero: string;

const NOTE = ['---', 'bibliography: [../biblatex-examples.bib, ../library.json]', '---', '', 'See [@camels-changing-climate2023; @knuth:ct:a; @Berndt1994, p. 5] and @Auto2025.', ''].join('\n');

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'litdigest-lsp-bib-'));
  zotero = mkdtempSync(join(tmpdir(), 'litdigest-zotero-'));
  mkdirSync(join(root, 'notes'));
  copyFileSync(join(FIXTURES, 'tulu-search.txt'), join(root, 'tulu.txt'));
  copyFileSync(join(FIXTURES, 'bibliographies', 'biblatex-examples.bib'), join(root, 'biblatex-examples.bib'));
  copyFileSync(join(FIXTURES, 'bibliographies', 'bbt-pandoc-citation.csl.json'), join(root, 'library.json'));
  writeFileSync(join(root, 'notes', 'review.md'), NOTE);
  writeFileSync(join(zotero, 'My Library.bib'), '@article{Auto2024, title = {First Export}, year = 2024}\n');
  server = await startServer(root, { bibliographies: { external: [join(zotero, 'My Library.bib')], scope: 'workspace' } });
  await server.waitForIndexed(25 + 92 + 4 + 1);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(zotero, { recursive: true, force: true });
});

describe('bibliographies over the protocol', () => {
  it('diagnoses only what is unknown, hovers and jumps into the .bib', async () => {
    const note = server.uri('notes/review.md');
    const diagnostics = await server.waitForDiagnostics(note, (list) => list.length === 1);
    assert.match(String(diagnostics[0].message), /unknown citation key 'Auto2025' \(did you mean 'Auto2024'\?\)/);
    const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: note }, position: { line: 4, character: 45 } }) as Hover;
    assert.match((hover.contents as MarkupContent).value, /The TeXbook/);
    const [definition] = await server.connection.sendRequest('textDocument/definition', { textDocument: { uri: note }, position: { line: 4, character: 45 } }) as Location[];
    assert.equal(definition.uri, server.uri('biblatex-examples.bib'));
    assert.match(readFileSync(join(root, 'biblatex-examples.bib'), 'utf8').split('\n')[definition.range.start.line], /^@book\{knuth:ct:a,/);
  });

  it('completes keys of the CSL-JSON file in an open note', async () => {
    const uri = server.uri('notes/new.md');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'As @volcan' } });
    const list = await server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 10 } }) as CompletionList;
    assert.ok(list.items.some((item) => item.label === 'Adams2001'), list.items.map((item) => item.label).join(' '));
  });

  it('publishes diagnostics of a broken .bib opened in the editor', async () => {
    const uri = server.uri('broken.bib');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'bibtex', version: 1, text: '@article{x, title = {Open\n@article{y, title = {Fine}, year = 2020}\n' } });
    const diagnostics = await server.waitForDiagnostics(uri, (list) => list.length > 0);
    assert.match(String(diagnostics[0].message), /unbalanced braces/);
  });

  it('forgets the keys of a .bib deleted on disk', async () => {
    const path = join(root, 'extra.bib');
    writeFileSync(path, '@article{extra2020, title = {An Extra Entry}, year = 2020}\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: server.uri('extra.bib'), type: 1 }] });
    const offered = async () => {
      const uri = server.uri('notes/probe.md');
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: '@extra2' } });
      const list = await server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 7 } }) as CompletionList;
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      return list.items.some((item) => item.label === 'extra2020');
    };
    // The server reads the file after the notification: ask until it has (or 5 s pass).
    const until = async (wanted: boolean) => {
      for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
        if (await offered() === wanted) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    };
    assert.ok(await until(true), 'offered while the file is there');
    rmSync(path);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: server.uri('extra.bib'), type: 3 }] });
    assert.ok(await until(false), 'gone once it is deleted');
  });

  it('picks up an external auto-export rewritten by rename within a second', async () => {
    const note = server.uri('notes/review.md');
    const path = join(zotero, 'My Library.bib');
    const temporary = join(zotero, '.My Library.bib.tmp');
    writeFileSync(temporary, '@article{Auto2025, title = {Second Export}, year = 2025}\n');
    const started = Date.now();
    renameSync(temporary, path);
    await server.waitForDiagnostics(note, (list) => list.length === 0, 3000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000 + 150 /* the diagnostics delay */, `picked up after ${elapsed} ms`);
    const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: note }, position: { line: 4, character: 75 } }) as Hover;
    assert.match((hover.contents as MarkupContent).value, /Second Export/);
    assert.equal(pathToFileURL(path).href.startsWith('file:'), true);
  });
});
