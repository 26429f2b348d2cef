/**
 * Protocol tests: the language server as a real process over stdio, driven by a real JSON-RPC
 * client. Cursor positions are marked with `|` in the fixture text.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, CompletionItem, CompletionList, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, Position, SymbolInformation } from 'vscode-languageserver-protocol';
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
  server = await startServer(root, { completion: { maxItems: 5 } });
  await server.waitForIndexed(26);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('digest files', () => {
  it('lists every paper in the outline, nested under its heading', async () => {
    const uri = server.uri('second.digest');
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'Copied');
    const papers = symbols[0].children!;
    assert.deepEqual(papers.map((p) => p.name), ['Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2', papers[1].name]);
    assert.match(papers[0].detail!, /^2023-11-17 · 25 upvotes · camels-changing-climate2023$/);
    assert.deepEqual(papers[0].selectionRange, { start: { line: 1, character: 3 }, end: { line: 1, character: 68 } });
    const flat = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: server.uri('tulu.digest.txt') } });
    assert.equal(flat.length, 25);
  });

  it('shows a hover card with the whole abstract, where it is cited and search links', async () => {
    const hover = await request<Hover>('textDocument/hover', { textDocument: { uri: server.uri('tulu.digest.txt') }, position: { line: 4, character: 10 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /^\*\*Camels in a Changing Climate\\: Enhancing LM Adaptation with Tulu 2\*\*/);
    assert.match(value, /`camels-changing-climate2023` · 2023-11-17 · 20 upvotes · 11 authors · 5 comments/);
    assert.match(value, /adapting large language models\\\./, 'the abstract to its end');
    assert.match(value, /Cited 1× in 1 note: \[reading\\\.md:3\]\(file:\/\/.*\/notes\/reading\.md#L3,21\)/);
    assert.match(value, /Listed in 2 places/);
    assert.match(value, /\[Hugging Face Papers\]\(https:\/\/huggingface\.co\/papers\?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202\)/);
    assert.match(value, /\[arXiv\]\(https:\/\/arxiv\.org\/search\//);
  });

  it('renders hostile titles and abstracts as text', async () => {
    const hover = await request<Hover>('textDocument/hover', { textDocument: { uri: server.uri('second.digest') }, position: { line: 3, character: 5 } });
    const value = (hover.contents as { value: string }).value;
    assert.doesNotMatch(value, /<img|<script|\]\(command:|\$\(zap\)/);
    assert.match(value, /&lt;img src\\=x onerror\\=alert\\\(1\\\)&gt;/);
    assert.match(value, /\\\[Click\\\]\\\(command\\:workbench\\\.action\\\.quit\\\)/);
    assert.match(value, /&amp;amp;/);
    const links = [...value.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(links.every((link) => link.startsWith('https://huggingface.co/') || link.startsWith('https://arxiv.org/') || link.startsWith('file:')), links.join(' '));
  });

  it('reports broken entries and duplicates', async () => {
    const uri = open('dupes.digest', 'paper-digest', [
      '1 Alpha Paper Title We study alpha. 2 authors · Jan 3, 2024',
      '12 11 authors · Nov 17, 2023',
      '1 Alpha Paper Title We study alpha. 2 authors · Jan 3, 2024',
    ].join('\n'));
    const diagnostics = await server.waitForDiagnostics(uri, (d) => d.length >= 2);
    const byCode = new Map(diagnostics.map((d) => [d.code, d]));
    assert.match(byCode.get('broken-entry')!.message as string, /no title/);
    assert.equal(byCode.get('broken-entry')!.range.start.line, 1);
    assert.equal(byCode.get('duplicate-entry')!.range.start.line, 2);
    assert.equal(byCode.get('duplicate-entry')!.relatedInformation![0].location.range.start.line, 0);
  });

  it('offers to fix the title split at the cursor and to create a literature note', async () => {
    const uri = server.uri('tulu.digest.txt');
    const lineText = readFileSync(join(root, 'tulu.digest.txt'), 'utf8').split('\n')[6];
    const cursor = lineText.indexOf(' Technical');
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 6, character: cursor }, end: { line: 6, character: cursor } }, context: { diagnostics: [] } });
    const fix = actions.find((a) => a.title.startsWith('Title ends here'))!;
    assert.equal(fix.title, 'Title ends here: "Xmodel-2"');
    assert.deepEqual(fix.edit!.changes![uri], [{ range: { start: { line: 6, character: cursor }, end: { line: 6, character: cursor + 1 } }, newText: ' || ' }]);
    const create = actions.find((a) => a.command?.command === 'literatureDigest.server.createNote')!;
    assert.deepEqual(create.command!.arguments, ['xmodel-2-technical-report2024']);
  });

  it('creates a literature note from the template, opens it, and never overwrites it', async () => {
    const result = await request<{ uri: string; created: boolean }>('workspace/executeCommand', { command: 'literatureDigest.server.createNote', arguments: ['fipo2024'] });
    assert.equal(result.created, true);
    const path = join(root, 'notes', 'fipo2024.md');
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^---\ntitle: "FIPO: Free-form Instruction-oriented Prompt Optimization/);
    assert.match(text, /\[@fipo2024\] · 2024-02-18 · 0 upvotes/);
    assert.deepEqual(server.shownDocuments, [result.uri]);
    writeFileSync(path, 'my own words');
    const again = await request<{ uri: string; created: boolean }>('workspace/executeCommand', { command: 'literatureDigest.server.createNote', arguments: ['fipo2024'] });
    assert.equal(again.created, false);
    assert.equal(readFileSync(path, 'utf8'), 'my own words');
  });

  it('shows "cited N×" lenses, folds sections and notes, and links URLs in abstracts', async () => {
    const lenses = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: server.uri('tulu.digest.txt') } });
    const camels = lenses.find((l) => l.range.start.line === 4)!;
    assert.equal(camels.command!.title, 'cited 1×');
    assert.equal(camels.command!.command, 'literatureDigest.showReferences');
    const folds = await request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: server.uri('second.digest') } });
    assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]), [[0, 3]]);
    const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: server.uri('second.digest') } });
    assert.deepEqual(links.map((l) => l.target), ['https://example.org/x']);
  });
});

describe('notes', () => {
  it('completes citation keys fuzzily from title words, ranked, limited and incomplete', async () => {
    const { uri, position } = openAtCursor('notes/draft.md', 'markdown', 'As shown by [@tulu|]');
    const list = await request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    assert.equal(list.isIncomplete, true);
    assert.ok(list.items.length > 0 && list.items.length <= 5, `${list.items.length} items`);
    const first = list.items[0];
    assert.equal(first.label, 'camels-changing-climate2023');
    assert.equal(first.detail, 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2');
    assert.deepEqual(first.textEdit, { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 18 } }, newText: 'camels-changing-climate2023' });
    const resolved = await request<CompletionItem>('completionItem/resolve', first);
    assert.match((resolved.documentation as { value: string }).value, /\*\*Camels in a Changing Climate/);
  });

  it('completes inside \\cite{...} in LaTeX and not after an e-mail address', async () => {
    const latex = openAtCursor('notes/draft.tex', 'latex', '\\citep[see][]{smoltulu2024, fip|}');
    const list = await request<CompletionList>('textDocument/completion', { textDocument: { uri: latex.uri }, position: latex.position });
    assert.equal(list.items[0].label, 'fipo2024');
    const mail = openAtCursor('notes/mail.md', 'markdown', 'write to tulu@exam|');
    assert.equal(await request<CompletionList | null>('textDocument/completion', { textDocument: { uri: mail.uri }, position: mail.position }), null);
  });

  it('hovers a citation with the same card', async () => {
    const hover = await request<Hover>('textDocument/hover', { textDocument: { uri: server.uri('notes/reading.md') }, position: { line: 3, character: 20 } });
    assert.match((hover.contents as { value: string }).value, /^\*\*SmolTulu\\: Higher Learning Rate/);
    assert.deepEqual(hover.range, { start: { line: 3, character: 15 }, end: { line: 3, character: 27 } });
  });

  it('goes to every entry of a cited paper', async () => {
    const locations = await request<Location[]>('textDocument/definition', { textDocument: { uri: server.uri('notes/reading.md') }, position: { line: 2, character: 25 } });
    assert.deepEqual(locations.map((l) => [l.uri.replace(/.*\//, ''), l.range.start.line]), [['second.digest', 1], ['tulu.digest.txt', 4]]);
  });

  it('finds every citation of a paper, from an entry line or from a citation', async () => {
    const fromEntry = await request<Location[]>('textDocument/references', { textDocument: { uri: server.uri('tulu.digest.txt') }, position: { line: 0, character: 5 }, context: { includeDeclaration: false } });
    assert.deepEqual(fromEntry.map((l) => [l.uri.replace(/.*\//, ''), l.range.start.line, l.range.start.character]).sort(), [['paper.tex', 0, 7], ['reading.md', 2, 58]]);
    const fromCitation = await request<Location[]>('textDocument/references', { textDocument: { uri: server.uri('notes/paper.tex') }, position: { line: 0, character: 9 }, context: { includeDeclaration: true } });
    assert.equal(fromCitation.length, 3);
  });

  it('lists papers as workspace symbols by title or key', async () => {
    const symbols = await request<SymbolInformation[]>('workspace/symbol', { query: 'smoltulu' });
    assert.equal(symbols[0].name, 'SmolTulu: Higher Learning Rate to Batch Size Ratios Can Lead to Better Reasoning in SLMs');
  });

  it('reports unknown keys with a quick fix to the closest key', async () => {
    const uri = server.uri('notes/reading.md');
    const diagnostics = await server.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d) => [d.message, d.range.start.line, d.range.start.character]), [["unknown citation key 'smoltulu2023' (did you mean 'smoltulu2024'?)", 3, 39]]);
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
    assert.equal(actions[0].title, "Change to 'smoltulu2024'");
    assert.deepEqual(actions[0].edit!.changes![uri], [{ range: diagnostics[0].range, newText: 'smoltulu2024' }]);
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
  });

  it('keeps the bibliography file named in the settings current', async () => {
    const path = join(root, 'out', 'references.json');
    server.settings = { completion: { maxItems: 2 }, export: { bibliography: 'out/references.json' } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const keys = () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { id: string }[]).map((item) => item.id) : []);
    await waitUntil(async () => keys().includes('smoltulu2024'), 10_000);
    writeFileSync(join(root, 'later.digest'), '4 Kangaroo Planning: Hopping Agents We study kangaroos. 2 authors · Apr 1, 2024');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: server.uri('later.digest'), type: 1 }] });
    await waitUntil(async () => keys().includes('kangaroo-planning2024'), 10_000);
  });

  it('answers a custom search request for the search panel', async () => {
    const result = await request<{ items: { key: string; locations: unknown[] }[]; total: number }>('literatureDigest/search', { query: 'batch size ratios', limit: 3 });
    assert.ok(result.total >= 26, `${result.total} papers`);
    assert.equal(result.items[0].key, 'smoltulu2024');
        const tulu = await request<{ items: { key: string }[] }>('literatureDigest/search', { query: 'tulu', minYear: 2024, sort: 'upvotes', limit: 3 });
    assert.ok(tulu.items.length > 0);
  });

  it('fails a malformed request alone and keeps serving', async () => {
    await assert.rejects(request('textDocument/hover', { position: { line: 0, character: 0 } }));
    const hover = await request<Hover>('textDocument/hover', { textDocument: { uri: server.uri('tulu.digest.txt') }, position: { line: 4, character: 1 } });
    assert.ok(hover);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

void existsSync;
