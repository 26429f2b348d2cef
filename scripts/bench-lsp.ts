/**
 * Benchmark of the language server over the real protocol at workspace scale: `node dist/server.js
 * --stdio` in its own process, driven by the JSON-RPC client of the protocol tests, timing each
 * request from the client's send to its response.
 *
 * Targets (p95, 100,000 papers indexed): completion, hover and definition under 20 ms; workspace
 * symbols and references under 50 ms. These machines are noisy, so every row also shows a baseline
 * measured in the same run, interleaved with it: the round trip of a request that does no work
 * (`textDocument/foldingRange` on a one-line document).
 *
 * The workspace: the cached digests of `npm run bench` (bench-data/workspace-N-F, generated when
 * missing and never modified), linked into a scratch folder next to 200 Markdown notes citing
 * keys the server itself reported. Requests are sent one at a time, as an editor does while a
 * person works; completion is measured while typing (`didChange`, then `completion`, for every
 * keystroke of a word), as the editor asks again on each keystroke.
 *
 * Options: --entries N --files N (defaults 100000 and 1000), --quick (10,000 in 100 files),
 * --samples N (measured requests per row, default 200), --keep (keep the scratch folder).
 * Run with `node --import tsx scripts/bench-lsp.ts`; uses dist/server.js as built (`npm run bundle`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionList, DocumentSymbol, Hover, Location, Position, SymbolInformation } from 'vscode-languageserver-protocol';
import { SERVER, startServer, TestServer } from '../test/lsp/lspClient';
import { seededRandom, writeBenchWorkspace } from './bench-corpus';

// ---- options ------------------------------------------------------------------------------

const repo = join(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const entries = option('--entries', quick ? 10_000 : 100_000);
const files = option('--files', quick ? 100 : 1_000);
const samples = Math.max(1, option('--samples', 200));
const WARMUP = 10;
const NOTES = 200;
/** Digests opened in the editor (didOpen) for hovers on entry lines. */
const OPENED_DIGESTS = 8;
/** Digests whose outline is asked for, to learn real keys and entry positions. */
const SAMPLED_DIGESTS = 40;
/** One keystroke every this many ms in the paced typing row: the debounced diagnostics run in between. */
const KEYSTROKE_MS = 200;

// ---- small helpers ------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** VmRSS and VmHWM (peak) of a process, in kB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** Groups typed text by length, for the breakdown of a row. */
function lengthGroup(text: string): string {
  return text.length >= 6 ? '6+' : text.length >= 4 ? '4-5' : String(text.length);
}

/** The significant lower-case words of a title, as a person would type them. */
function titleWords(title: string): string[] {
  return title.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !/^\d+$/.test(w));
}

// ---- the workspace ------------------------------------------------------------------------

const workspace = join(repo, 'bench-data', `workspace-${entries}-${files}-metadata`);
if (!existsSync(join(workspace, '.complete'))) {
  console.log(`Generating ${entries.toLocaleString('en')} entries in ${files.toLocaleString('en')} files ...`);
  const written = writeBenchWorkspace(workspace, entries, files);
  writeFileSync(join(workspace, '.complete'), String(written.bytes));
}
const workspaceBytes = Number(readFileSync(join(workspace, '.complete'), 'utf8'));
const digestNames = readdirSync(workspace).filter((name) => name.endsWith('.digest')).sort();
// The 10,000-entry digest that `npm run bench` edits in process, typed into here over the protocol.
const bigDigest = join(repo, 'bench-data', 'edit-10000-metadata', 'papers-0000.digest');
if (!existsSync(bigDigest)) writeBenchWorkspace(join(repo, 'bench-data', 'edit-10000-metadata'), 10_000, 1, 7);

if (!existsSync(SERVER)) {
  console.log('dist/server.js is missing; bundling ...');
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });
}

// The server as shipped: consistency mode (on in the tests' servers) re-reads a document from
// scratch after every change, which is what the keystroke rows must not time.
process.env.LITDIGEST_CONSISTENCY = '0';

const root = mkdtempSync(join(tmpdir(), 'litdigest-bench-lsp-'));
symlinkSync(workspace, join(root, 'digests'), 'dir');
mkdirSync(join(root, 'notes'));

interface EntryAt { uri: string; line: number; character: number; key: string; title: string }
interface CitationAt { uri: string; line: number; character: number; key: string }

interface Row {
  label: string;
  target?: number;
  times: number[];
  baseline: number[];
  empty: number;
  /** Per measured request, a group to break the row down by (e.g. the length of what was typed). */
  groups: string[];
  /** Per measured request, what it asked (for the slowest ones). */
  asked: string[];
  /** Server RSS (kB) after the row. */
  rss: number;
}

let server: TestServer;

function request<T>(method: string, params: unknown): Promise<T> {
  return server.connection.sendRequest(method, params) as Promise<T>;
}

async function timed<T>(method: string, params: unknown): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await request<T>(method, params);
  return { ms: performance.now() - started, result };
}

let baselineUri = '';
const baselineRequest = () => timed('textDocument/foldingRange', { textDocument: { uri: baselineUri } });

/**
 * Times `count` requests made by `make(i)` (after WARMUP unrecorded ones), each right after a
 * baseline request, so a row and its baseline see the same machine.
 */
async function measure(
  label: string,
  target: number | undefined,
  count: number,
  make: (i: number) => { method: string; params: unknown; before?: () => Promise<void> | void; isEmpty?: (result: unknown) => boolean; group?: string; asked?: string },
  gapMs = 0,
): Promise<Row> {
  const row: Row = { label, target, times: [], baseline: [], empty: 0, groups: [], asked: [], rss: 0 };
  for (let i = 0; i < WARMUP + count; i++) {
    const { method, params, before, isEmpty, group, asked } = make(i);
    if (gapMs > 0) await sleep(gapMs);
    const base = await baselineRequest();
    await before?.();
    const { ms, result } = await timed(method, params);
    if (i < WARMUP) continue;
    row.times.push(ms);
    row.baseline.push(base.ms);
    if (group !== undefined) row.groups.push(group);
    row.asked.push(asked ?? '');
    if (isEmpty ? isEmpty(result) : result === null || (Array.isArray(result) && result.length === 0)) row.empty++;
  }
  row.rss = memoryOf(server.process.pid!).rss;
  return row;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const random = seededRandom(2024);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

  console.log(`Language server over the protocol: ${entries.toLocaleString('en')} entries in ${files.toLocaleString('en')} digest files (${(workspaceBytes / 1024 / 1024).toFixed(0)} MB), ${samples} requests per row`);
  console.log(`  server: ${SERVER} (built ${statSync(SERVER).mtime.toISOString()})`);
  console.log(`  workspace: ${root} (digests -> ${workspace})\n`);

  // ---- start and index -------------------------------------------------------------------
  const started = performance.now();
  server = await startServer(root, {});
  const pid = server.process.pid!;
  await server.waitForIndexed(1, 30 * 60_000);
  const indexedMs = performance.now() - started;
  const afterIndexing = memoryOf(pid);
  const { total: papers } = await request<{ total: number }>('literatureDigest/search', { query: '', limit: 1 });

  // waitForIndexed returns once the files are read and the abstract words, which the server
  // indexes in idle time after the load, are indexed too; the first completion comes right after.
  baselineUri = server.uri('baseline.digest');
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: baselineUri, languageId: 'paper-digest', version: 1, text: '# Baseline' } });
  const draftUri = server.uri('notes/draft.md');
  let draftVersion = 1;
  let draftLine = 'As shown by [@model';
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: draftUri, languageId: 'markdown', version: draftVersion, text: `# Draft\n\n${draftLine}\n` } });
  const firstCompletion = await timed<CompletionList>('textDocument/completion', { textDocument: { uri: draftUri }, position: { line: 2, character: draftLine.length } });
  const afterAbstracts = memoryOf(pid);

  // ---- learn real keys and entry positions from the server's outlines ---------------------
  const sampled = Array.from({ length: Math.min(SAMPLED_DIGESTS, digestNames.length) }, (_, i) => digestNames[Math.floor((i * digestNames.length) / Math.min(SAMPLED_DIGESTS, digestNames.length))]);
  const entriesOf = new Map<string, EntryAt[]>();
  for (const name of sampled) {
    const uri = server.uri(`digests/${name}`);
    const found: EntryAt[] = [];
    const visit = (symbols: DocumentSymbol[]) => {
      for (const symbol of symbols) {
        const key = /· (\S+)$/.exec(symbol.detail ?? '')?.[1];
        if (key) found.push({ uri, line: symbol.selectionRange.start.line, character: symbol.selectionRange.start.character, key, title: symbol.name });
        if (symbol.children) visit(symbol.children);
      }
    };
    visit(await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }));
    entriesOf.set(uri, found);
  }
  const allEntries = [...entriesOf.values()].flat();
  if (allEntries.length === 0) throw new Error('the server listed no entries in the sampled digests');

  // Open some digests in the editor, for hovers on entry lines.
  const openedUris = [...entriesOf.keys()].slice(0, OPENED_DIGESTS);
  for (const uri of openedUris) {
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'paper-digest', version: 1, text: readFileSync(join(workspace, name), 'utf8') } });
  }
  const openedEntries = openedUris.flatMap((uri) => entriesOf.get(uri)!);

  // ---- notes citing those keys, added on disk as a person would -------------------------
  // A pool of cited papers, a fifth of them listed in the opened digests; citations favour the
  // front of the pool, so some papers are cited by many notes and others once.
  const shuffle = <T>(items: T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };
  const openedSet = new Set(openedUris);
  const pool = [...shuffle(openedEntries).slice(0, 80), ...shuffle(allEntries.filter((e) => !openedSet.has(e.uri))).slice(0, 320)];
  const poolShuffled = shuffle(pool);
  const citedEntry = () => poolShuffled[Math.floor(poolShuffled.length * random() * random())];
  const citations: CitationAt[] = [];
  const noteChanges: { uri: string; type: number }[] = [];
  for (let n = 0; n < NOTES; n++) {
    const relative = `notes/note-${String(n).padStart(3, '0')}.md`;
    const uri = server.uri(relative);
    const cited = Array.from({ length: 3 + Math.floor(random() * 5) }, citedEntry);
    const lines: string[] = [`# ${cited[0].title}`, ''];
    // Each line is built from pieces; `@key` pieces record where the key is.
    const write = (pieces: (string | EntryAt)[]) => {
      let text = '';
      for (const piece of pieces) {
        if (typeof piece === 'string') { text += piece; continue; }
        citations.push({ uri, line: lines.length, character: text.length + 1 + Math.floor(piece.key.length / 2), key: piece.key });
        text += `@${piece.key}`;
      }
      lines.push(text);
    };
    write(['Reading notes on ', cited[0], ', which ', pick(['extends', 'revisits', 'questions', 'scales up']), ' earlier work.']);
    lines.push('');
    for (let c = 1; c < cited.length; c++) {
      const form = c % 3;
      if (form === 0) write([`- Compare the results in [see `, cited[c], ', p. ', String(1 + Math.floor(random() * 20)), '].']);
      else if (form === 1) write([cited[c], ' reports a similar effect [', cited[(c + 1) % cited.length], '; ', cited[0], '].']);
      else write(['A different view: [-', cited[c], '].']);
    }
    lines.push('', '## Thoughts', '', 'Plain text with no citation, and an e-mail address: someone@example.org.', '');
    writeFileSync(join(root, relative), lines.join('\n'));
    noteChanges.push({ uri, type: 1 });
  }
  await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: noteChanges });
  await waitFor('diagnostics of every note and open document', () => [...noteChanges.map((c) => c.uri), ...openedUris, draftUri].every((uri) => server.diagnostics.has(uri)), 10 * 60_000);
  const check = await request<Location[]>('textDocument/references', { textDocument: { uri: citations[0].uri }, position: citations[0], context: { includeDeclaration: false } });
  if (check.length === 0) throw new Error(`the notes were not indexed: no references for ${citations[0].key}`);
  await sleep(1000);
  const citedKeys = new Set(citations.map((c) => c.key));
  const citedEntries = openedEntries.filter((e) => citedKeys.has(e.key));
  const beforeRequests = memoryOf(pid);

  // ---- what a person types ------------------------------------------------------------------
  // Every keystroke of a word asks for completion again (the list is incomplete): `@t`, `@tr`, ...
  const words = [...new Set(allEntries.flatMap((e) => titleWords(e.title)))];
  const typed: string[] = [];
  while (typed.length < WARMUP + samples) {
    const word = random() < 0.25 ? pick(allEntries).key.slice(0, 12) : pick(words);
    for (let length = 1; length <= word.length; length++) typed.push(word.slice(0, length));
  }
  const typeAndComplete = (prefix: string, opening = '[@') => {
    const oldLength = draftLine.length;
    draftLine = `As shown by ${opening}${prefix}`;
    draftVersion++;
    const line = draftLine;
    const version = draftVersion;
    return {
      method: 'textDocument/completion',
      params: { textDocument: { uri: draftUri }, position: { line: 2, character: line.length } },
      before: () => server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: draftUri, version },
        contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: oldLength } }, text: line }],
      }),
      isEmpty: (result: unknown) => !result || (result as CompletionList).items.length === 0,
      group: lengthGroup(prefix),
      asked: `${opening}${prefix}`,
    };
  };

  // Workspace symbol queries, typed a character at a time as the symbol picker sends them.
  const queries: string[] = [];
  while (queries.length < WARMUP + samples) {
    const title = pick(allEntries).title.toLowerCase().split(/\s+/).filter((w) => /[a-z]/.test(w));
    const start = Math.floor(random() * Math.max(1, title.length - 2));
    const phrase = title.slice(start, start + 1 + Math.floor(random() * 3)).join(' ').replace(/[^a-z0-9 -]/g, '');
    for (let length = 1; length <= phrase.length; length++) if (phrase[length - 1] !== ' ') queries.push(phrase.slice(0, length));
  }

  const positionIn = (item: { line: number; character: number }, shift = 0): Position => ({ line: item.line, character: item.character + shift });
  const rows: Row[] = [];
  const run = async (row: Promise<Row>) => {
    const done = await row;
    rows.push(done);
    process.stderr.write(`  measured ${done.label}\n`);
  };

  // Warm up the search paths once more before timing.
  for (const prefix of ['diff', 'lang', 'vis', 'agent']) await request('textDocument/completion', { textDocument: { uri: draftUri }, position: { line: 2, character: draftLine.length } }).then(() => request('workspace/symbol', { query: prefix }));

  await run(measure('completion, typing @word (didChange + completion)', 20, samples, (i) => typeAndComplete(typed[i])));
  await run(measure('completion, bare @ after an edit', 20, samples, (i) => typeAndComplete('', i % 2 ? '@' : '[@')));
  await run(measure(`completion, typing paced ${KEYSTROKE_MS} ms/keystroke`, 20, Math.min(samples, 100), (i) => typeAndComplete(typed[i]), KEYSTROKE_MS));
  await run(measure('hover, digest entry line', 20, samples, (i) => {
    const entry = openedEntries[(i * 7) % openedEntries.length];
    return { method: 'textDocument/hover', params: { textDocument: { uri: entry.uri }, position: positionIn(entry, 2) } };
  }));
  await run(measure('hover, citation in a note', 20, samples, (i) => {
    const citation = citations[(i * 13) % citations.length];
    return { method: 'textDocument/hover', params: { textDocument: { uri: citation.uri }, position: positionIn(citation) } };
  }));
  await run(measure('definition, citation', 20, samples, (i) => {
    const citation = citations[(i * 11) % citations.length];
    return { method: 'textDocument/definition', params: { textDocument: { uri: citation.uri }, position: positionIn(citation) } };
  }));
  await run(measure('references, citation', 50, samples, (i) => {
    const citation = citations[(i * 17) % citations.length];
    return { method: 'textDocument/references', params: { textDocument: { uri: citation.uri }, position: positionIn(citation), context: { includeDeclaration: true } } };
  }));
  if (citedEntries.length > 0) {
    await run(measure('references, cited digest entry', 50, samples, (i) => {
      const entry = citedEntries[(i * 3) % citedEntries.length];
      return { method: 'textDocument/references', params: { textDocument: { uri: entry.uri }, position: positionIn(entry, 2), context: { includeDeclaration: true } } };
    }));
  }
  await run(measure('workspace/symbol, typed queries', 50, samples, (i) => ({ method: 'workspace/symbol', params: { query: queries[i] }, group: lengthGroup(queries[i]), asked: `'${queries[i]}'` })));
  await run(measure('hover, nothing under the cursor', undefined, samples, (i) => ({ method: 'textDocument/hover', params: { textDocument: { uri: draftUri }, position: { line: 0, character: i % 7 } } })));

  // ---- typing into a 10,000-entry digest ------------------------------------------------------
  // A keystroke is a ranged didChange; its cost is the round trip of the baseline request sent
  // right after it (the server reads messages in order, so it answers once the change is applied).
  const bigText = readFileSync(bigDigest, 'utf8');
  const bigUri = server.uri('typing/big-10000.digest');
  let bigVersion = 1;
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'paper-digest', version: bigVersion, text: bigText } });
  const bigOutline = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: bigUri } });
  const bigEntries: DocumentSymbol[] = [];
  const collect = (symbols: DocumentSymbol[]) => { for (const symbol of symbols) { if (symbol.children?.length) collect(symbol.children); else bigEntries.push(symbol); } };
  collect(bigOutline);
  if (bigEntries.length < 9_000) throw new Error(`the 10,000-entry digest was read as ${bigEntries.length} entries`);
  const keystroke = (i: number) => {
    // Into the title of an entry spread over the file: a letter typed, or one deleted again.
    const entry = bigEntries[(i * 7919) % bigEntries.length];
    const at = { line: entry.selectionRange.start.line, character: entry.selectionRange.start.character + 3 };
    const change = i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
    const version = ++bigVersion;
    return {
      method: 'textDocument/foldingRange',
      params: { textDocument: { uri: baselineUri } },
      before: () => server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: bigUri, version }, contentChanges: [change] }),
      isEmpty: () => false,
      asked: `line ${at.line}`,
    };
  };
  await run(measure(`keystroke in a ${bigEntries.length.toLocaleString('en')}-entry digest (${(bigText.length / 1024 / 1024).toFixed(1)} MB), burst`, 10, samples, keystroke));
  await run(measure(`keystroke in the same digest, paced ${KEYSTROKE_MS} ms (diagnostics in between)`, 10, Math.min(samples, 100), (i) => keystroke(samples + WARMUP + i), KEYSTROKE_MS));
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: bigUri } });
  const afterRequests = memoryOf(pid);

  // ---- report ---------------------------------------------------------------------------------
  const symbolSizes = await Promise.all(queries.slice(0, 20).map((query) => request<SymbolInformation[]>('workspace/symbol', { query }).then((r) => r.length)));
  const hoverSize = ((await request<Hover>('textDocument/hover', { textDocument: { uri: openedEntries[0].uri }, position: positionIn(openedEntries[0], 2) }))?.contents as { value: string } | undefined)?.value.length ?? 0;
  const referenceCounts = await Promise.all(citations.slice(0, 50).map((c) => request<Location[]>('textDocument/references', { textDocument: { uri: c.uri }, position: positionIn(c), context: { includeDeclaration: true } }).then((r) => r.length)));

  console.log('Indexing');
  console.log(`  start to indexed (files, keys and abstract words): ${(indexedMs / 1000).toFixed(1)} s   ${papers.toLocaleString('en')} papers`);
  console.log(`  first completion right after indexing:  ${fmt(firstCompletion.ms)} ms   (${firstCompletion.result?.items.length ?? 0} items)`);
  console.log(`  server RSS: ${mb(afterIndexing.rss)} when indexed, ${mb(afterAbstracts.rss)} with abstract words, ${mb(beforeRequests.rss)} with ${NOTES} notes and ${OPENED_DIGESTS + 2} open documents, ${mb(afterRequests.rss)} after the requests; peak ${mb(afterRequests.peak)}`);
  console.log(`  notes: ${NOTES} with ${citations.length} citations of ${citedKeys.size} papers; references per citation ${Math.min(...referenceCounts)}..${Math.max(...referenceCounts)}; workspace/symbol results ${Math.min(...symbolSizes)}..${Math.max(...symbolSizes)}; hover card ${hoverSize} chars\n`);

  const header = ['request', 'p50', 'p95', 'max', 'target p95', '', 'baseline p50 / p95 / max', 'empty', 'RSS after'];
  const table = rows.map((row) => {
    const p95 = percentile(row.times, 95);
    return [
      `${row.label} (n=${row.times.length})`,
      `${fmt(percentile(row.times, 50))} ms`,
      `${fmt(p95)} ms`,
      `${fmt(Math.max(...row.times))} ms`,
      row.target === undefined ? '-' : `< ${row.target} ms`,
      row.target === undefined ? '' : p95 < row.target ? 'PASS' : 'FAIL',
      `${fmt(percentile(row.baseline, 50))} / ${fmt(percentile(row.baseline, 95))} / ${fmt(Math.max(...row.baseline))} ms`,
      String(row.empty),
      mb(row.rss),
    ];
  });
  const widths = header.map((_, c) => Math.max(header[c].length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`;
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
  const allBaseline = rows.flatMap((r) => r.baseline);
  console.log(`\n  baseline: textDocument/foldingRange on a one-line document, sent right before each measured request; over the run p50 ${fmt(percentile(allBaseline, 50))} ms, p95 ${fmt(percentile(allBaseline, 95))} ms, max ${fmt(Math.max(...allBaseline))} ms`);
  console.log('  empty: responses with nothing in them (should be 0, but for the hover on nothing)');
  for (const row of rows.filter((r) => r.groups.length === r.times.length && new Set(r.groups).size > 1)) {
    const byGroup = new Map<string, number[]>();
    row.groups.forEach((group, i) => byGroup.set(group, [...(byGroup.get(group) ?? []), row.times[i]]));
    const parts = ['1', '2', '3', '4-5', '6+'].filter((g) => byGroup.has(g)).map((g) => `${g}: ${fmt(percentile(byGroup.get(g)!, 50))} / ${fmt(percentile(byGroup.get(g)!, 95))} (n=${byGroup.get(g)!.length})`);
    console.log(`  ${row.label}, p50 / p95 ms by length typed: ${parts.join(', ')}`);
  }
  for (const row of rows.filter((r) => r.target !== undefined && percentile(r.times, 95) >= r.target && r.asked.some(Boolean))) {
    const slowest = row.times.map((ms, i) => ({ ms, i })).sort((a, b) => b.ms - a.ms).slice(0, 6);
    console.log(`  ${row.label}, slowest: ${slowest.map(({ ms, i }) => `${row.asked[i]} ${fmt(ms)} ms (baseline ${fmt(row.baseline[i])})`).join(', ')}`);
  }
}

main()
  .catch((error) => {
    console.error(error);
    if (server) console.error(`server stderr:\n${server.stderr().slice(-4000)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await server?.stop();
    if (!keep) rmSync(root, { recursive: true, force: true });
    else console.log(`  kept ${root}`);
  });
