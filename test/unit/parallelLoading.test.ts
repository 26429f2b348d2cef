/**
 * Loading a workspace with digests parsed on worker threads gives the same index as parsing on the
 * main thread: the packed form rebuilds the same digest, the worker-found search words give the
 * same search results, and a pool whose workers fail still loads every file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDigest, readingsOf } from '../../server/src/digest/digestParser';
import { packDigest, unpackDigest } from '../../server/src/loading/digestTransfer';
import { DEFAULT_FILE_KIND_SETTINGS, FileClassifier } from '../../server/src/loading/fileClassifier';
import { createNodeFileSystem } from '../../server/src/loading/nodeFileSystem';
import { ParseWorkerPool } from '../../server/src/loading/parseWorkerPool';
import { SearchIndex } from '../../server/src/index/searchIndex';
import { prepareWords } from '../../server/src/index/vocabulary';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { FileSystem, loadWorkspace } from '../../server/src/loading/workspaceLoader';

const FIXTURES = join(__dirname, '..', 'fixtures');
/** Built by `npm run build` (which `npm test` runs first). */
const WORKER_SCRIPT = join(__dirname, '..', '..', 'dist', 'parseWorker.js');

/** A digest with every kind of line: headings, capture line, notes, markers, comments, broken and long lines. */
const MIXED = [
  '\ufeff# Reading list',
  'captured: 2025-02-20',
  '',
  '12 Zero Bubble Pipeline Parallelism Pipeline parallelism is one of the key components. 4 authors · Nov 30, 2023 3',
  '  my note on zero bubble',
  '> a quoted note',
  '## Sub',
  '- Tülu 3 || Pushing Frontiers in Open Language Model Post-Training Language model post-training is applied. 23 authors · Nov 22',
  '7 Broken line with authors 3 authors · Smarch 40',
  '5 İstanbul Çok Dilli: Bir Model 日本語のテキスト 2 authors · Feb 30, 2024',
  '9 Zero Bubble Pipeline Parallelism Pipeline parallelism again. 4 authors · Nov 30, 2023',
  'just some words',
  `1 ${'Long '.repeat(50)}Title abstract 1 author · Jan 1`,
].join('\r\n');

/** Every folder workspace() made (over a megabyte each): removed when the file's tests end, as none was before. */
const made: string[] = [];
after(() => { for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true }); });

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'litdigest-parallel-'));
  made.push(root);
  const corpus = readFileSync(join(FIXTURES, 'hf-papers-2024.txt'), 'utf8').split('\n').filter((line) => line.trim());
  // Several files, the same paper in two of them, and a sniffed .txt file.
  for (let f = 0; f < 12; f++) writeFileSync(join(root, `part-${f}.digest`), `# Part ${f}\n\n${corpus.slice(f * 60, f * 60 + 70).join('\n')}\n`);
  writeFileSync(join(root, 'tulu.txt'), readFileSync(join(FIXTURES, 'tulu-search.txt')));
  writeFileSync(join(root, 'mixed.digest'), MIXED);
  writeFileSync(join(root, 'binary.digest'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(root, 'note.md'), 'See @zero-bubble-pipeline2023 and [@tulu-3-2024].');
  return root;
}

/** What the index holds, in a form to compare: every paper's key and locations, and search results. */
function snapshot(index: WorkspaceIndex): unknown {
  const papers = index.papers().map((paper) => ({
    key: paper.key,
    locations: paper.locations.map((location) => `${location.uri}:${location.entry.line}:${location.entry.title}`),
  })).sort((a, b) => (a.key < b.key ? -1 : 1));
  const queries = ['pipeline parallelism', 'tulu', 'diffusion', 'language model', 'transfromer', 'agent', 'zero-bubble', 'istanbul', '日本語のテキスト', 'vid'];
  const searches = queries.map((query) => index.search(query, { limit: 15 }).map((hit) => `${hit.paper.key} ${hit.score.toFixed(6)}`));
  return { papers, searches };
}

/** The index paths name in the tests: relative to the workspace root. */
function diskOf(root: string): FileSystem {
  return createNodeFileSystem((path) => path.slice(root.length + 1));
}

/**
 * Loads `root` on the main thread, then again with `pool` (closed afterwards), the second time
 * through `poolFs` when given.
 */
async function loadBothWays(root: string, pool: ParseWorkerPool, options: { fs?: FileSystem; poolFs?: FileSystem; classifier?: FileClassifier } = {}) {
  const fs = options.fs ?? diskOf(root);
  const classifier = options.classifier ?? new FileClassifier();
  const inThread = new WorkspaceIndex();
  const inThreadReport = await loadWorkspace(inThread, fs, classifier, [root]);
  const parallel = new WorkspaceIndex();
  const parallelReport = await loadWorkspace(parallel, options.poolFs ?? fs, classifier, [root], { reader: pool });
  await pool.close();
  return { inThread, inThreadReport, parallel, parallelReport };
}

describe('parsing on worker threads', () => {
  it('packs a digest so that unpacking rebuilds it exactly', () => {
    const texts = [MIXED, readFileSync(join(FIXTURES, 'tulu-search.txt'), 'utf8'), readFileSync(join(FIXTURES, 'hf-papers-2024.txt'), 'utf8'), '', '\n\n'];
    for (const text of texts) {
      const digest = parseDigest(text, { fallbackCaptureYear: 2025, maxLineLength: 400 });
      const packed = packDigest(digest);
      // The Latin-1 text is moved to the main thread, not copied: only a buffer it fills alone can be (Node's small buffers share a pool).
      assert.equal(packed.latin1Bytes.byteLength, packed.latin1Bytes.buffer.byteLength);
      const unpacked = unpackDigest(packed);
      // Entry lines' readings are left out and rebuilt, with the entry cached on them, on the
      // first edit: then they are what parsing gave.
      for (const entry of unpacked.entries) assert.equal(unpacked.readings[entry.line], undefined);
      const readings = readingsOf(unpacked);
      assert.deepStrictEqual({ ...unpacked, readings }, digest);
      for (const entry of unpacked.entries) assert.equal(readings[entry.line]?.entry, entry);
      // And packing what was unpacked gives the same again.
      assert.deepStrictEqual({ ...unpackDigest(packDigest(unpacked)), readings }, digest);
    }
  });

  it('posts the same search words from worker-found words as from the titles', () => {
    const digest = parseDigest(MIXED + '\n' + readFileSync(join(FIXTURES, 'hf-papers-2024.txt'), 'utf8'), { fallbackCaptureYear: 2025 });
    const prepared = prepareWords(digest.lines.length, digest.entries.map((entry) => ({ line: entry.line, keyWords: entry.baseKey, title: entry.title })));
    const direct = new SearchIndex();
    const viaPrepared = new SearchIndex();
    digest.entries.forEach((entry, id) => {
      const fields = () => ({ key: `${entry.baseKey}-ab${id % 7}`, keyWords: entry.baseKey, title: entry.title, abstract: entry.abstract });
      direct.add(id, fields());
      viaPrepared.addPrepared(id, fields(), prepared, entry.line);
    });
    for (const query of ['pipeline', 'model training', 'ab3', 'istanbul cok', 'zero-bubble', 'lang', 'transfromer reasoning', 'post training']) {
      assert.deepEqual(viaPrepared.search(query, { limit: 30 }), direct.search(query, { limit: 30 }), query);
    }
  });

  it('loads a workspace into the same index as parsing on the main thread', async () => {
    assert.ok(existsSync(WORKER_SCRIPT), `${WORKER_SCRIPT} is missing: run npm run build`);
    const root = workspace();
    const pool = new ParseWorkerPool(WORKER_SCRIPT, 2);
    const { inThread, inThreadReport, parallel, parallelReport } = await loadBothWays(root, pool);
    assert.equal(pool.failure, undefined);
    assert.equal(pool.parsedInWorkers, 15, 'every digest and candidate .txt file was parsed on a worker');
    assert.deepEqual(parallelReport, inThreadReport);
    assert.ok(parallel.paperCount > 700);
    assert.deepEqual(snapshot(parallel), snapshot(inThread));
    // The digests match line for line, including problems and cached readings.
    for (const file of inThread.allFiles()) {
      const other = parallel.file(file.uri);
      if (file.kind === 'digest' && other?.kind === 'digest') assert.deepStrictEqual({ ...other.digest, readings: readingsOf(other.digest) }, file.digest, file.uri);
      else assert.deepEqual(other, file);
    }
  });

  it('reports what a worker reading the files itself finds as the main thread reports it', async () => {
    const root = workspace();
    // A folder named like a digest, a file over the size limit, and two files that changed between
    // the listing and the reading: one is gone, one became a folder.
    mkdirSync(join(root, 'folder.digest'));
    writeFileSync(join(root, 'folder.digest', 'inner.digest'), readFileSync(join(FIXTURES, 'tulu-search.txt')));
    mkdirSync(join(root, 'swapped.digest'));
    writeFileSync(join(root, 'huge.digest'), 'x'.repeat(300_000));
    const disk = diskOf(root);
    const asFile = (name: string) => ({ name, isFile: true, isDirectory: false, isSymbolicLink: false });
    const fs: FileSystem = {
      ...disk,
      readDirectory: async (path) => {
        const listed = (await disk.readDirectory(path)).map((entry) => (entry.name === 'swapped.digest' ? asFile(entry.name) : entry));
        return path === root ? [...listed, asFile('gone.digest')] : listed;
      },
    };
    const classifier = new FileClassifier({ ...DEFAULT_FILE_KIND_SETTINGS, maxFileSize: 200_000 });
    const pool = new ParseWorkerPool(WORKER_SCRIPT, 1);
    const { inThread, parallel, inThreadReport, parallelReport } = await loadBothWays(root, pool, { fs, classifier });
    assert.equal(pool.failure, undefined);
    assert.equal(pool.parsedInWorkers, 19, 'the worker was sent every digest path, also the huge, gone and swapped ones');
    assert.deepEqual(parallelReport, inThreadReport);
    const messages = parallelReport.problems.map((problem) => `${problem.path.slice(root.length + 1)}: ${problem.code}: ${problem.message}`).sort();
    assert.deepEqual(messages, [
      'binary.digest: binary: binary data (a NUL byte), not a text file; skipped',
      'folder.digest: folder-named-like-file: is a folder named like a digest or note; its contents are still searched',
      'gone.digest: unreadable: no such file or folder (it may have been deleted or renamed)',
      'huge.digest: too-large: is 293.0 KB, over the limit of 195.3 KB (setting maxFileSize); skipped',
      'swapped.digest: folder: is a folder named like a digest or note; skipped',
    ]);
    assert.deepEqual(snapshot(parallel), snapshot(inThread));
    assert.ok(parallel.digest('folder.digest/inner.digest'), 'the digest inside the folder is loaded');
  });

  it('sends the bytes to the worker when the files are not on the local disk', async () => {
    const root = workspace();
    const pool = new ParseWorkerPool(WORKER_SCRIPT, 1);
    const { inThread, parallel } = await loadBothWays(root, pool, { poolFs: { ...diskOf(root), isLocalDisk: false } });
    assert.equal(pool.failure, undefined);
    assert.equal(pool.parsedInWorkers, 15);
    assert.deepEqual(snapshot(parallel), snapshot(inThread));
  });

  it('still loads every file when the workers cannot run', async () => {
    const root = workspace();
    const pool = new ParseWorkerPool(join(root, 'no-such-worker.js'), 2);
    const { inThread, parallel } = await loadBothWays(root, pool);
    assert.match(pool.failure ?? '', /no-such-worker|Cannot find module/);
    assert.equal(pool.parsedInWorkers, 0);
    assert.deepEqual(snapshot(parallel), snapshot(inThread));
  });

  it('re-reads and parses here the files a worker held when it died', async () => {
    const root = workspace();
    // A worker that parses three files and then dies while holding the next ones.
    const dying = join(root, 'dying-worker.js');
    writeFileSync(dying, `
      const { parentPort } = require('node:worker_threads');
      let seen = 0;
      parentPort.on('message', () => { if (++seen === 4) process.exit(3); });
      require(${JSON.stringify(WORKER_SCRIPT)});
    `);
    const pool = new ParseWorkerPool(dying, 1);
    const { inThread, parallel, parallelReport } = await loadBothWays(root, pool);
    assert.match(pool.failure ?? '', /exited \(code 3\)/);
    assert.equal(pool.parsedInWorkers, 3);
    assert.equal(parallelReport.digests, 14);
    assert.deepEqual(snapshot(parallel), snapshot(inThread));
  });

  it('edits a digest that was parsed on a worker, re-reading only the edited line', async () => {
    const root = workspace();
    const pool = new ParseWorkerPool(WORKER_SCRIPT, 1);
    const index = new WorkspaceIndex();
    await loadWorkspace(index, diskOf(root), new FileClassifier(), [root], { reader: pool });
    await pool.close();
    const before = index.digest('part-3.digest')!.digest;
    const line = before.entries[5].line;
    const edited = before.lines[line].replace(/^\d+/, '999');
    const after = index.editDigestLines('part-3.digest', line, 1, [edited]).digest;
    assert.equal(after.entries[5].upvotes, 999);
    // Every other entry is the very object the worker's result was unpacked into.
    after.entries.forEach((entry, i) => { if (i !== 5) assert.equal(entry, before.entries[i]); });
    assert.equal(index.paperOf(after.entries[5])?.locations.find((l) => l.uri === 'part-3.digest')?.entry, after.entries[5]);
  });
});
