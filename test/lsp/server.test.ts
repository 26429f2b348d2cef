/**
 * Protocol tests: the language server as a real process over stdio, driven by a real JSON-RPC
 * client. They prove the wiring and the transport: each LSP method and custom request is bound
 * and answers over a workspace read from disk. What the answers hold is tested in process, feature
 * by feature (test/features) and for the session (test/session). Cursor positions are marked with
 * `|` in the fixture text.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, CompletionItem, CompletionList, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, Position, SemanticTokens, SymbolInformation } from 'vscode-languageserver-protocol';
import { parseCursor } from '../unit/markers';
import { startServer, TestServer } from './lspClient';

const FIXTURES = join(__dirname, '..', 'fixtures');
const NOTE = [
  '# Reading notes',
  '',
  'Tulu 2 scaled DPO [@camels-changing-climate2023, sec. 4; @fipo2024].',
  'Small models: @smoltulu2024. Unknown: @smoltulu2023.',
  'Mail tulu@example.org.',
].join('\n');
const SECOND_DIGEST = [
  '# Copied',
  '25 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 6',
  '12 11 authors · Nov 17, 2023',
  '3 <img src=x onerror=alert(1)> [Click](command:workbench.action.quit) $(zap) Evil Paper We study <script>alert(2)</script> and &amp; see https://example.org/x. 2 authors · Jan 5, 2024',
].join('\n');

const STARTING_SETTINGS = { completion: { maxItems: 5 } };

let server: TestServer;
let root: string;

function open(relative: string, languageId: string, text: string): string {
  const uri = server.uri(relative);
  void server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

/** Opens `marked` (with a `|` cursor) and returns its uri and the cursor position. */
function openAtCursor(relative: string, languageId: string, marked: string): { uri: string; position: Position } {
  const { text, line, character } = parseCursor(marked);
  return { uri: open(relative, languageId, text), position: { line, character } };
}

function request<T>(method: string, params: unknown): Promise<T> {
  return server.connection.sendRequest(method, params) as Promise<T>;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'litdigest-lsp-'));
  mkdirSync(join(root, 'notes'));
  copyFileSync(join(FIXTURES, 'tulu-search.txt'), join(root, 'tulu.digest.txt'));
  writeFileSync(join(root, 'second.digest'), SECOND_DIGEST);
  writeFileSync(join(root, 'notes', 'reading.md'), NOTE);
  writeFileSync(join(root, 'notes', 'paper.tex'), '\\citep{fipo2024}\n');
  server = await startServer(root, STARTING_SETTINGS);
  await server.waitForIndexed(26);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('digest files', () => {
  it('answers textDocument/documentSymbol with the outline of a digest on disk', async () => {
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: server.uri('second.digest') } });
    assert.deepEqual(symbols.map((s) => [s.name, s.children?.length]), [['Copied', 2]]);
    assert.deepEqual(symbols[0].children![0].selectionRange, { start: { line: 1, character: 3 }, end: { line: 1, character: 68 } });
  });

  it('answers textDocument/hover with the paper card, linking the notes the server read', async () => {
    const hover = await request<Hover>('textDocument/hover', { textDocument: { uri: server.uri('tulu.digest.txt') }, position: { line: 4, character: 10 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /^\*\*Camels in a Changing Climate\\: Enhancing LM Adaptation with Tulu 2\*\*/);
    assert.match(value, /Cited 1× in 1 note: \[reading\\\.md:3\]\(file:\/\/.*\/notes\/reading\.md#L3,21\)/);
    assert.match(value, /Listed in 2 places/);
    assert.equal(hover.range?.start.line, 4);
  });

  it('answers textDocument/codeLens, foldingRange, documentLink and semanticTokens/full', async () => {
    const lenses = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: server.uri('tulu.digest.txt') } });
    const camels = lenses.find((l) => l.range.start.line === 4)!;
    assert.equal(camels.command!.title, 'cited 1×');
    assert.equal(camels.command!.command, 'literatureDigest.showReferences');
    const folds = await request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: server.uri('second.digest') } });
    assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]), [[0, 3]]);
    const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: server.uri('second.digest') } });
    assert.deepEqual(links.map((l) => l.target), ['https://example.org/x']);
    const tokens = await request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: server.uri('second.digest') } });
    assert.deepEqual(tokens.data.slice(0, 5), [1, 3, 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2'.length, 0, 0], 'the first title, as a paperTitle');
  });

  it('creates a literature note from the template through workspace/executeCommand, opens it, and never overwrites it', async () => {
    const result = await request<{ uri: string; created: boolean }>('workspace/executeCommand', { command: 'literatureDigest.server.createNote', arguments: ['fipo2024'] });
    assert.equal(result.created, true);
    const path = join(root, 'notes', 'fipo2024.md');
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^---\ntitle: "FIPO: Free-form Instruction-oriented Prompt Optimization/, 'the client applied the edit');
    assert.match(text, /\[@fipo2024\] · 2024-02-18 · no upvotes/);
    assert.deepEqual(server.shownDocuments, [result.uri]);
    writeFileSync(path, 'my own words');
    const again = await request<{ uri: string; created: boolean }>('workspace/executeCommand', { command: 'literatureDigest.server.createNote', arguments: ['fipo2024'] });
    assert.equal(again.created, false);
    assert.equal(readFileSync(path, 'utf8'), 'my own words');
  });

  it('refreshes the generated block of a literature note through workspace/executeCommand', async () => {
    const path = join(root, 'notes', 'marked.md');
    writeFileSync(path, 'my own words\n\n<!-- literature-digest:begin key=fipo2024 -->\nstale\n<!-- literature-digest:end -->\nmine too\n');
    const result = await request<{ applied: boolean; key: string }>('workspace/executeCommand', { command: 'literatureDigest.server.refreshNote', arguments: [server.uri('notes/marked.md')] });
    assert.deepEqual([result.applied, result.key], [true, 'fipo2024']);
    assert.match(readFileSync(path, 'utf8'), /^my own words\n\n<!-- literature-digest:begin key=fipo2024 -->\n# FIPO: Free-form[^]*> In the quest[^]*\n\n<!-- literature-digest:end -->\nmine too\n$/);
  });
});

describe('notes', () => {
  it('answers textDocument/completion in an open note, limited by the settings, and completionItem/resolve', async () => {
    const { uri, position } = openAtCursor('notes/draft.md', 'markdown', 'As shown by [@tulu|]');
    const list = await request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    assert.equal(list.isIncomplete, true);
    assert.ok(list.items.length > 0 && list.items.length <= 5, `${list.items.length} items`);
    const first = list.items[0];
    assert.equal(first.label, 'camels-changing-climate2023');
    assert.deepEqual(first.textEdit, { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 18 } }, newText: 'camels-changing-climate2023' });
    const resolved = await request<CompletionItem>('completionItem/resolve', first);
    assert.match((resolved.documentation as { value: string }).value, /\*\*Camels in a Changing Climate/);
    const latex = openAtCursor('notes/draft.tex', 'latex', '\\citep[see][]{smoltulu2024, fip|}');
    const cite = await request<CompletionList>('textDocument/completion', { textDocument: { uri: latex.uri }, position: latex.position });
    assert.equal(cite.items[0].label, 'fipo2024', 'a LaTeX document is read as LaTeX');
  });

  it('answers textDocument/definition with every entry of a cited paper', async () => {
    const locations = await request<Location[]>('textDocument/definition', { textDocument: { uri: server.uri('notes/reading.md') }, position: { line: 2, character: 25 } });
    assert.deepEqual(locations.map((l) => [l.uri.replace(/.*\//, ''), l.range.start.line]), [['second.digest', 1], ['tulu.digest.txt', 4]]);
  });

  it('answers textDocument/references from an entry line and from a citation', async () => {
    const fromEntry = await request<Location[]>('textDocument/references', { textDocument: { uri: server.uri('tulu.digest.txt') }, position: { line: 0, character: 5 }, context: { includeDeclaration: false } });
    assert.deepEqual(fromEntry.map((l) => [l.uri.replace(/.*\//, ''), l.range.start.line, l.range.start.character]).sort(), [['paper.tex', 0, 7], ['reading.md', 2, 58]]);
    const fromCitation = await request<Location[]>('textDocument/references', { textDocument: { uri: server.uri('notes/paper.tex') }, position: { line: 0, character: 9 }, context: { includeDeclaration: true } });
    assert.equal(fromCitation.length, 3);
  });

  it('answers workspace/symbol with papers by title or key', async () => {
    const symbols = await request<SymbolInformation[]>('workspace/symbol', { query: 'smoltulu' });
    assert.equal(symbols[0].name, 'SmolTulu: Higher Learning Rate to Batch Size Ratios Can Lead to Better Reasoning in SLMs');
  });

  it('publishes diagnostics of a note on disk, and answers textDocument/codeAction with the quick fix they carry', async () => {
    const uri = server.uri('notes/reading.md');
    const diagnostics = await server.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d) => [d.message, d.range.start.line, d.range.start.character]), [["unknown citation key 'smoltulu2023' (did you mean 'smoltulu2024'?)", 3, 39]]);
    // The diagnostic goes back to the server as the client received it, data included.
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
    assert.equal(actions[0].title, "Change to 'smoltulu2024'");
    assert.deepEqual(actions[0].edit!.changes![uri], [{ range: diagnostics[0].range, newText: 'smoltulu2024' }]);
  });
});

describe('rename', () => {
  it('answers textDocument/prepareRename and textDocument/rename with one workspace edit, and refuses a taken key with its reason', async () => {
    const uri = server.uri('notes/reading.md');
    const position = { line: 2, character: NOTE.split('\n')[2].indexOf('@fipo2024') + 2 };
    const prepared = await request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position });
    assert.equal(prepared.placeholder, 'fipo2024');
    const edit = await request<{ changes: Record<string, { newText: string }[]> }>('textDocument/rename', { textDocument: { uri }, position, newName: 'fipo-policy2024' });
    assert.deepEqual(Object.keys(edit.changes).map((changed) => changed.slice(changed.lastIndexOf('/') + 1)).sort(), ['paper.tex', 'reading.md', 'tulu.digest.txt']);
    assert.deepEqual(edit.changes[server.uri('tulu.digest.txt')].map((e) => e.newText), ['\nkey: fipo-policy2024']);
    await assert.rejects(request('textDocument/rename', { textDocument: { uri }, position, newName: 'smoltulu2024' }), /already the key of "SmolTulu/);
  });
});

describe('behaviour', () => {
  it('follows incremental edits of a digest', async () => {
    const text = readFileSync(join(FIXTURES, 'tulu-search.txt'), 'utf8');
    const uri = open('edited.digest', 'paper-digest', text.split('\n').slice(0, 3).join('\n'));
    const line1 = text.split('\n')[1];
    const at = line1.indexOf('MaxMin-RLHF');
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: at }, end: { line: 1, character: at + 'MaxMin'.length } }, text: 'MinMax' }],
    });
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.match(symbols[1].name, /^MinMax-RLHF: Towards Equitable Alignment/);
    assert.match(symbols[1].detail!, /minmax-rlhf2024$/);
  });

  it('picks up digests created, changed and deleted on disk', async () => {
    const path = join(root, 'fresh.digest');
    writeFileSync(path, '5 Quokka Reasoning: Small Marsupials Think We study quokkas. 3 authors · Mar 3, 2024');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: server.uri('fresh.digest'), type: 1 }] });
    const found = async () => (await request<SymbolInformation[]>('workspace/symbol', { query: 'quokka reasoning' })).map((s) => s.containerName);
    await waitUntil(async () => (await found()).some((c) => c?.startsWith('quokka-reasoning2024')));
    rmSync(path);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: server.uri('fresh.digest'), type: 3 }] });
    await waitUntil(async () => !(await found()).some((c) => c?.startsWith('quokka-reasoning2024')));
  });

  it('applies changed settings without a restart', async () => {
    const { uri, position } = openAtCursor('notes/settings.md', 'markdown', '@|');
    assert.equal((await request<CompletionList>('textDocument/completion', { textDocument: { uri }, position })).items.length, 5);
    server.settings = { completion: { maxItems: 2 } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitUntil(async () => (await request<CompletionList>('textDocument/completion', { textDocument: { uri }, position })).items.length === 2);
    await restoreSettings();
  });

  it('keeps the bibliography file named in the settings current', async () => {
    const path = join(root, 'out', 'references.json');
    server.settings = { ...STARTING_SETTINGS, export: { bibliography: 'out/references.json' } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const keys = () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { id: string }[]).map((item) => item.id) : []);
    await waitUntil(async () => keys().includes('smoltulu2024'), 10_000);
    writeFileSync(join(root, 'later.digest'), '4 Kangaroo Planning: Hopping Agents We study kangaroos. 2 authors · Apr 1, 2024');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: server.uri('later.digest'), type: 1 }] });
    await waitUntil(async () => keys().includes('kangaroo-planning2024'), 10_000);
    await restoreSettings();
  });

  it('answers a custom search request for the search panel', async () => {
    const result = await request<{ items: { key: string; locations: unknown[] }[]; total: number }>('literatureDigest/search', { query: 'batch size ratios', limit: 3 });
    assert.ok(result.total >= 26, `${result.total} papers`);
    assert.equal(result.items[0].key, 'smoltulu2024');
    const tulu = await request<{ items: { key: string }[] }>('literatureDigest/search', { query: 'tulu', minYear: 2024, sort: 'upvotes', limit: 3 });
    assert.ok(tulu.items.length > 0);
  });

  it('answers the custom requests of the client: paperAt, citedPapers, export, serverInfo, reindex', async () => {
    const paper = await request<{ key: string; title: string } | null>('literatureDigest/paperAt', { uri: server.uri('notes/reading.md'), position: { line: 3, character: 20 } });
    assert.deepEqual(paper, { key: 'smoltulu2024', title: 'SmolTulu: Higher Learning Rate to Batch Size Ratios Can Lead to Better Reasoning in SLMs' });
    const cited = await request<{ key: string; uri: string; line: number }[]>('literatureDigest/citedPapers', undefined);
    assert.deepEqual(cited.map((c) => c.key).sort(), ['camels-changing-climate2023', 'fipo2024', 'smoltulu2024'], 'the unknown key is left out');
    const bibliography = await request<{ text: string; papers: number }>('literatureDigest/export', { format: 'csl-json', citedBy: server.uri('notes/paper.tex') });
    assert.equal(bibliography.papers, 1);
    assert.deepEqual((JSON.parse(bibliography.text) as { id: string }[]).map((item) => item.id), ['fipo2024']);
    const info = await request<{ pid: number; version: string }>('literatureDigest/serverInfo', undefined);
    assert.equal(info.pid, server.process.pid);
    const status = await request<{ papers: number }>('literatureDigest/reindex', undefined);
    assert.ok(status.papers >= 26, `${status.papers} papers after reindexing`);
  });

  it('fails a malformed request alone and keeps serving', async () => {
    await assert.rejects(request('textDocument/hover', { position: { line: 0, character: 0 } }));
    const hover = await request<Hover>('textDocument/hover', { textDocument: { uri: server.uri('tulu.digest.txt') }, position: { line: 4, character: 1 } });
    assert.ok(hover);
  });

  it('answers wrongly typed params of every custom request with -32602 saying what is wrong, and keeps serving', async () => {
    const digest = server.uri('tulu.digest.txt');
    const wrong: [method: string, params: unknown, problem: RegExp][] = [
      ['literatureDigest/search', { query: 5 }, /^params\.query must be a string, not 5$/],
      ['literatureDigest/search', undefined, /^params must be an object$/],
      ['literatureDigest/search', { query: 'tulu', limit: '3' }, /^params\.limit must be a number/],
      ['literatureDigest/search', { query: 'tulu', author: null }, /^params\.author must be a string, not null$/],
      ['literatureDigest/search', { query: 'tulu', sort: 'random' }, /^params\.sort must be one of relevance, date, upvotes/],
      ['literatureDigest/paperAt', { uri: digest }, /^params\.position must be a position .*, and is missing$/],
      ['literatureDigest/paperAt', { uri: digest, position: { line: -1, character: 0 } }, /^params\.position must be a position/],
      ['literatureDigest/paperAt', [digest], /^params must be an object$/],
      ['literatureDigest/export', { format: 'ris' }, /^params\.format must be one of bibtex, csl-json, not "ris"$/],
      ['literatureDigest/export', { format: 'bibtex', digest: 7 }, /^params\.digest must be a URI/],
      ['literatureDigest/addPapers', { uri: digest }, /^params\.input must be a string, and is missing$/],
    ];
    for (const [method, params, problem] of wrong) {
      await assert.rejects(request(method, params), (error: { code?: number; message?: string }) => {
        assert.equal(error.code, -32602, `${method} ${JSON.stringify(params)}: ${error.message}`);
        assert.match(String(error.message), problem);
        return true;
      });
    }
    const result = await request<{ items: unknown[] }>('literatureDigest/search', { query: 'tulu', limit: 1 });
    assert.equal(result.items.length, 1);
  });

  it('answers wrongly typed params of the standard requests with -32602 too, and drops such notifications with a log line', async () => {
    const textDocument = { uri: server.uri('tulu.digest.txt') };
    const position = { line: 4, character: 1 };
    const wrong: [method: string, params: unknown, problem: RegExp][] = [
      ['textDocument/hover', { position }, /^params\.textDocument must be an object with a string uri, and is missing$/],
      ['textDocument/hover', { textDocument: 'file:///x', position }, /^params\.textDocument must be an object with a string uri, not "file:\/\/\/x"$/],
      ['textDocument/completion', { textDocument, position: { line: '4', character: 1 } }, /^params\.position must be a position/],
      ['textDocument/definition', { textDocument, position: { line: -1, character: 0 } }, /^params\.position must be a position/],
      ['textDocument/references', { textDocument, position }, /^params\.context must be an object with a boolean includeDeclaration, and is missing$/],
      ['textDocument/documentSymbol', {}, /^params\.textDocument must be/],
      ['textDocument/codeLens', { textDocument: { uri: 3 } }, /^params\.textDocument must be/],
      ['textDocument/foldingRange', { textDocument: null }, /^params\.textDocument must be an object with a string uri, not null$/],
      ['textDocument/codeAction', { textDocument, range: { start: position }, context: { diagnostics: [] } }, /^params\.range must be a range/],
      ['textDocument/rename', { textDocument, position, newName: 7 }, /^params\.newName must be a string, not 7$/],
      ['textDocument/prepareRename', { textDocument }, /^params\.position must be a position .*, and is missing$/],
      ['workspace/symbol', { query: ['tulu'] }, /^params\.query must be a string/],
      ['completionItem/resolve', { data: 1 }, /^params\.label must be a string, and is missing$/],
      ['workspace/executeCommand', { arguments: [] }, /^params\.command must be a string, and is missing$/],
    ];
    for (const [method, params, problem] of wrong) {
      await assert.rejects(request(method, params), (error: { code?: number; message?: string }) => {
        assert.equal(error.code, -32602, `${method} ${JSON.stringify(params)}: ${error.message}`);
        assert.match(String(error.message), problem, method);
        return true;
      });
    }
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: textDocument.uri, version: 2 }, contentChanges: [{ range: { start: position }, text: 'x' }] });
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: server.uri('loose.md') } });
    await waitUntil(async () => server.logs.some((line) => line.includes('textDocument/didOpen dropped: params.textDocument must be')));
    assert.ok(server.logs.some((line) => line.includes('textDocument/didChange dropped: params.contentChanges must be an array of changes')), server.logs.join('\n'));
    const hover = await request<Hover>('textDocument/hover', { textDocument, position });
    assert.ok(hover, 'still serving');
  });
});

/** Gives the server back the settings it started with, so that no test depends on another's. */
async function restoreSettings(): Promise<void> {
  server.settings = STARTING_SETTINGS;
  await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
