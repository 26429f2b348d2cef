/**
 * A digest that writes no year takes the year it was last modified (README, "Dates without a
 * year"). Opening and editing it in the editor must keep that year, and so its keys: otherwise
 * every note citing its papers would show broken citations as soon as the file is opened.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, DocumentSymbol, TextEdit } from 'vscode-languageserver-protocol';
import { startServer, TestServer } from './lspClient';

/** A year that is not the current one, so that the modification year and "now" differ. */
const SAVED_YEAR = 2021;
const DIGEST = [
  '# Saved long ago',
  '5 Zero Bubble Pipeline Parallelism Pipeline parallelism is one of the key components for large-scale distributed training. 4 authors · Nov 30',
  '3 Xmodel-2 Technical Report Xmodel-2 is a 1.2-billion-parameter large language model designed for reasoning tasks. 12 authors · Dec 24',
].join('\n');

let server: TestServer;
let root: string;

async function keysOf(uri: string): Promise<string[]> {
  const outline = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }) as DocumentSymbol[];
  return outline[0].children!.map((entry) => entry.detail!.split(' · ').at(-1)!);
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'litdigest-lsp-year-'));
  writeFileSync(join(root, 'old.digest'), DIGEST);
  const saved = new Date(`${SAVED_YEAR}-06-01T12:00:00Z`);
  utimesSync(join(root, 'old.digest'), saved, saved);
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'notes', 'reading.md'), `See @zero-bubble-pipeline${SAVED_YEAR} and @xmodel-2-technical-report${SAVED_YEAR}.\n`);
  server = await startServer(root);
  await server.waitForIndexed(2);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the year of a digest that writes none, in the editor', () => {
  it('is the year the file was saved, when loaded from disk', async () => {
    assert.deepEqual(await keysOf(server.uri('old.digest')), [`zero-bubble-pipeline${SAVED_YEAR}`, `xmodel-2-technical-report${SAVED_YEAR}`]);
  });

  it('stays so when the digest is opened and edited, and the note citing it stays clean', async () => {
    const noteUri = server.uri('notes/reading.md');
    const noteText = readFileSync(join(root, 'notes', 'reading.md'), 'utf8');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: noteUri, languageId: 'markdown', version: 1, text: noteText } });
    await server.waitForDiagnostics(noteUri, (diagnostics) => diagnostics.length === 0);

    const uri = server.uri('old.digest');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'paper-digest', version: 1, text: DIGEST } });
    assert.deepEqual(await keysOf(uri), [`zero-bubble-pipeline${SAVED_YEAR}`, `xmodel-2-technical-report${SAVED_YEAR}`]);

    // Typing in the upvotes of the second entry.
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: '4' }],
    });
    assert.deepEqual(await keysOf(uri), [`zero-bubble-pipeline${SAVED_YEAR}`, `xmodel-2-technical-report${SAVED_YEAR}`]);
    // The note's citations still resolve: its next diagnostics (after a change to it) are empty.
    server.diagnostics.delete(noteUri);
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: noteUri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'More to read.\n' }],
    });
    assert.deepEqual(await server.waitForDiagnostics(noteUri, () => true), []);
  });

  it('is told by a hint, whose quick fix writes the year down so that saving later keeps it', async () => {
    const uri = server.uri('old.digest');
    const diagnostics = await server.waitForDiagnostics(uri, (all) => all.some((d) => d.code === 'assumed-capture-year'));
    const hint = diagnostics.find((d) => d.code === 'assumed-capture-year')!;
    assert.equal(hint.range.start.line, 1, 'on the first entry');
    assert.match(String(hint.message), new RegExp(`read as ${SAVED_YEAR}.*captured: ${SAVED_YEAR}`));
    const actions = await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: hint.range, context: { diagnostics: [hint] } }) as CodeAction[];
    const fix = actions.find((action) => action.title === `Keep the year: add 'captured: ${SAVED_YEAR}'`);
    assert.ok(fix, JSON.stringify(actions.map((action) => action.title)));
    const [edit] = fix.edit!.changes![uri] as TextEdit[];
    assert.deepEqual(edit, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: `captured: ${SAVED_YEAR}\n` });

    // The editor applies it, the file is saved (now, in another year) and closed.
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    const saved = [DIGEST.split('\n')[0], `captured: ${SAVED_YEAR}`, ...DIGEST.replace(/^3 Xmodel/m, '4 Xmodel').split('\n').slice(1)].join('\n');
    await server.waitForDiagnostics(uri, (all) => !all.some((d: Diagnostic) => d.code === 'assumed-capture-year'));
    writeFileSync(join(root, 'old.digest'), saved);
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    for (let tries = 0; tries < 50; tries++) {
      const outline = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }) as DocumentSymbol[];
      if (outline[0].children?.[1]?.detail?.includes('4 upvotes')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await keysOf(uri), [`zero-bubble-pipeline${SAVED_YEAR}`, `xmodel-2-technical-report${SAVED_YEAR}`]);
  });

  it('is the current year for a digest not yet saved to disk', async () => {
    const uri = server.uri('unsaved.digest');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'paper-digest', version: 1, text: DIGEST.replace('Zero Bubble', 'Zero Bubbles') } });
    const year = new Date().getFullYear();
    assert.deepEqual(await keysOf(uri), [`zero-bubbles-pipeline${year}`, `xmodel-2-technical-report${year}`]);
  });
});
