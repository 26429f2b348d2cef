/**
 * Walks and reloads that race the editor and the disk (issue 16, classes 4 and 5): open documents
 * are never replaced by their disk version, and a reload applies only while it is still the
 * newest event for its file. A disk whose reads of one file wait until the test lets them go
 * stands the race still at the moment that matters: the same real files, read late.
 */
import assert from 'node:assert/strict';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createNodeFileSystem } from '../../server/src/loading/nodeFileSystem';
import { FileSystem } from '../../server/src/loading/workspaceLoader';
import { ENTRY, startSession } from './sessionHarness';

/** The local disk, but a read of the file last held hands its bytes over only once released. */
function heldDisk() {
  const disk = createNodeFileSystem();
  let held: { path: string; reached: () => void; released: Promise<void> } | undefined;
  const fileSystem: FileSystem = {
    ...disk,
    async readFile(path) {
      const bytes = await disk.readFile(path);
      const hold = held;
      if (hold && path === hold.path) {
        held = undefined;
        hold.reached();
        await hold.released;
      }
      return bytes;
    },
  };
  /** Holds the next read of `path`: `reached` when its bytes are read, handed over at `release()`. */
  const hold = (path: string) => {
    let reached!: () => void;
    let release!: () => void;
    const wasReached = new Promise<void>((resolve) => { reached = resolve; });
    const released = new Promise<void>((resolve) => { release = resolve; });
    held = { path, reached, released };
    return { reached: wasReached, release };
  };
  return { fileSystem, hold };
}

const DISK_DIGEST = `${ENTRY(1, 'Steady Paper Title:', 'Jan 1, 2024')}\n`;
// The editor's digest: other upvotes (no key changes) and a broken line, which has a diagnostic.
const EDITOR_DIGEST = `${ENTRY(7, 'Steady Paper Title:', 'Jan 1, 2024')}\n4 Broken Line Here 3 authors · Foo 99\n`;
// Both cite a key nobody has: the unknown-key diagnostic says which text the server read.
const DISK_NOTE = 'Cites [@steady-paper-title2024] and [@missing-disk2024].\n';
const EDITOR_NOTE = 'Cites [@steady-paper-title2024] and [@missing-editor2024].\n';
const LAST = `${ENTRY(3, 'Last Walked Paper:', 'Jan 3, 2024')}\n`;

type Started = Awaited<ReturnType<typeof startSession>>;

/** What the index holds for a file, without the cached readings (which only save work). */
function indexedAs(started: Started, path: string) {
  const summary = started.session.index.file(started.uri(path));
  return summary?.kind === 'digest' ? { ...summary.digest, readings: [] } : summary && { ...summary, uri: undefined };
}

/** The diagnostics published for a file, with the workspace folder's URI taken out. */
function diagnosticsOf(started: Started, path: string) {
  const folder = started.uri('.').replace(/\/\.?$/, '');
  return JSON.parse(JSON.stringify(started.host.diagnostics.get(started.uri(path)) ?? null).split(folder).join('<root>'));
}

/** Opens the digest and the note and types the editor's texts into them, unsaved. */
function openAndEdit(started: Started): void {
  started.session.openDocument(started.uri('d.digest'), 'paper-digest', 1, DISK_DIGEST);
  started.session.openDocument(started.uri('notes/n.md'), 'markdown', 1, DISK_NOTE);
  started.session.changeDocument(started.uri('d.digest'), 2, [{ text: EDITOR_DIGEST }]);
  started.session.changeDocument(started.uri('notes/n.md'), 2, [{ text: EDITOR_NOTE }]);
}

/** The editor's state at every moment: outline, citations and (once published) diagnostics of the editor texts. */
async function assertEditorTexts(started: Started, what: string, fresh: Started): Promise<void> {
  await started.session.flush();
  assert.deepStrictEqual(started.session.documentSymbols(started.uri('d.digest')), fresh.session.documentSymbols(fresh.uri('d.digest')), `outline ${what}`);
  assert.deepStrictEqual(indexedAs(started, 'd.digest'), indexedAs(fresh, 'd.digest'), `digest ${what}`);
  assert.deepStrictEqual(indexedAs(started, 'notes/n.md'), indexedAs(fresh, 'notes/n.md'), `note ${what}`);
  assert.deepStrictEqual(diagnosticsOf(started, 'd.digest'), diagnosticsOf(fresh, 'd.digest'), `digest diagnostics ${what}`);
  assert.deepStrictEqual(diagnosticsOf(started, 'notes/n.md'), diagnosticsOf(fresh, 'notes/n.md'), `note diagnostics ${what}`);
}

/** A fresh session whose files hold the editor's texts, opened with them. */
async function freshOnEditorTexts(initializationOptions?: unknown): Promise<Started> {
  const fresh = await startSession({ 'd.digest': EDITOR_DIGEST, 'notes/n.md': EDITOR_NOTE, 'z.digest': LAST }, { initializationOptions });
  fresh.session.openDocument(fresh.uri('d.digest'), 'paper-digest', 1, EDITOR_DIGEST);
  fresh.session.openDocument(fresh.uri('notes/n.md'), 'markdown', 1, EDITOR_NOTE);
  await fresh.session.flush();
  return fresh;
}

describe('session: a walk of the folders while documents are open', () => {
  for (const [name, walk, settings] of [
    ['reindex', (started: Started) => started.session.reindex(), undefined],
    ['a settings change that walks again', (started: Started) => started.session.settingsChanged({ literatureDigest: { digestFiles: ['**/*.digest', '**/*.papers'] } }), { literatureDigest: { digestFiles: ['**/*.digest', '**/*.papers'] } }],
  ] as const) {
    it(`${name} keeps the editor's unsaved texts in the index and in the diagnostics, during the walk and after`, async () => {
      const { fileSystem, hold } = heldDisk();
      const started = await startSession({ 'd.digest': DISK_DIGEST, 'notes/n.md': DISK_NOTE, 'z.digest': LAST }, { fileSystem });
      openAndEdit(started);
      const fresh = await freshOnEditorTexts(settings);
      // The walk reads d.digest and notes/n.md before z.digest (in name order), then waits there.
      const held = hold(join(started.root, 'z.digest'));
      const walking = walk(started);
      await held.reached;
      // Mid-walk, z.digest is not back yet: compare the open files only.
      await assertEditorTexts(started, 'during the walk', fresh);
      held.release();
      await walking;
      await assertEditorTexts(started, 'after the walk', fresh);
      assert.equal(started.session.status().papers, fresh.session.status().papers);
      fresh.session.dispose();
    });
  }
});

describe('session: a settings change while a document is open and edited during the walk', () => {
  it('reads the open document again with the new settings at once, so that an edit during the walk agrees with a reading from scratch', async () => {
    const { fileSystem, hold } = heldDisk();
    const long = ENTRY(5, `Long Paper Title: ${'words '.repeat(200)}`, 'Jan 2, 2024');
    const text = `${ENTRY(1, 'Short Paper Title:', 'Jan 1, 2024')}\n${long}\n`;
    const started = await startSession({ 'd.digest': text, 'z.digest': LAST }, { fileSystem });
    const { session, uri, root } = started;
    session.openDocument(uri('d.digest'), 'paper-digest', 1, text);
    assert.equal(session.documentSymbols(uri('d.digest')).length, 2, 'both lines are entries under the default maxLineLength');
    const held = hold(join(root, 'z.digest'));
    const walking = session.settingsChanged({ literatureDigest: { maxLineLength: 1000 } });
    await held.reached;
    // Mid-walk, a letter typed into the first line: the session in consistency mode compares.
    session.changeDocument(uri('d.digest'), 2, [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, text: 'x' }]);
    assert.deepEqual(session.consistencyDrifts, []);
    assert.equal(session.documentSymbols(uri('d.digest')).length, 1, 'the long line (1,300 characters) is no entry under maxLineLength 1000');
    held.release();
    await walking;
    assert.deepEqual(session.consistencyDrifts, []);
  });
});

describe('session: a settings change while the client is still creating the progress of its walk', () => {
  it('an edit that comes then agrees with a reading from scratch too', async () => {
    const long = ENTRY(5, `Long Paper Title: ${'words '.repeat(200)}`, 'Jan 2, 2024');
    const text = `${ENTRY(1, 'Short Paper Title:', 'Jan 1, 2024')}\n${long}\n`;
    const started = await startSession({ 'd.digest': text });
    const { session, uri, host } = started;
    session.openDocument(uri('d.digest'), 'paper-digest', 1, text);
    // The client answers window/workDoneProgress/create only when the test says so.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => { answer = resolve; });
    const begin = host.beginProgress.bind(host);
    host.beginProgress = async (title, message) => { await answered; return begin(title, message); };
    const walking = session.settingsChanged({ literatureDigest: { maxLineLength: 1000 } });
    session.changeDocument(uri('d.digest'), 2, [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, text: 'x' }]);
    assert.deepEqual(session.consistencyDrifts, []);
    answer();
    await walking;
    assert.deepEqual(session.consistencyDrifts, []);
    assert.equal(session.documentSymbols(uri('d.digest')).length, 1);
  });
});

describe('session: a walk that read a file before its event came', () => {
  /** Reindexes with the note's read held, does `meanwhile` once the walk has read it, then lets the walk go on. */
  async function reindexWhile(meanwhile: (started: Started) => Promise<void>): Promise<Started> {
    const { fileSystem, hold } = heldDisk();
    const started = await startSession({ 'p.digest': `${ENTRY(1, 'Walked Paper Title:', 'Jan 1, 2024')}\n`, 'notes/n.md': 'See [@walked-paper-title2024].\n' }, { fileSystem });
    const held = hold(join(started.root, 'notes', 'n.md'));
    const walking = started.session.reindex();
    await held.reached;
    await meanwhile(started);
    held.release();
    await walking;
    await started.session.flush();
    return started;
  }

  it('a note deleted while a reindex walks is not brought back by what the walk had read of it', async () => {
    const { session, uri } = await reindexWhile(async ({ session, uri, root }) => {
      unlinkSync(join(root, 'notes', 'n.md'));
      await session.diskChanged([{ uri: uri('notes/n.md'), deleted: true }]);
    });
    assert.equal(session.index.file(uri('notes/n.md')), undefined, 'the deleted note is gone from the index');
    assert.deepEqual(session.references(uri('p.digest'), { line: 0, character: 3 }, true).map((location) => location.uri), [uri('p.digest')]);
  });

  it('a note changed while a reindex walks keeps what its change made it', async () => {
    const { session, uri } = await reindexWhile(async ({ session, uri, root }) => {
      writeFileSync(join(root, 'notes', 'n.md'), 'Now [@other-paper2024].\n');
      await session.diskChanged([{ uri: uri('notes/n.md'), deleted: false }]);
    });
    const note = session.index.file(uri('notes/n.md'));
    assert.deepEqual(note?.kind === 'note' ? note.citations.map((citation) => citation.key) : note, ['other-paper2024']);
  });
});

describe('session: reloads from disk that land late', () => {
  it('a file created and then renamed in a burst is not brought back by the reload of its creation', async () => {
    const { fileSystem, hold } = heldDisk();
    const started = await startSession({ 'notes/n.md': 'See [@moving-paper-title2024].\n' }, { fileSystem });
    const { session, uri, root } = started;
    const before = join(root, 'a.digest');
    const after = join(root, 'b.digest');
    writeFileSync(before, `${ENTRY(1, 'Moving Paper Title:', 'Jan 1, 2024')}\n`);
    const held = hold(before);
    const created = session.diskChanged([{ uri: uri('a.digest'), deleted: false }]);
    // The reload has read a.digest; now it is renamed, and the watcher says so.
    await held.reached;
    renameSync(before, after);
    await session.diskChanged([{ uri: uri('a.digest'), deleted: true }, { uri: uri('b.digest'), deleted: false }]);
    held.release();
    await created;
    await session.flush();

    assert.equal(session.index.file(uri('a.digest')), undefined, 'the renamed file is gone from the index');
    assert.deepEqual(session.index.papers().flatMap((paper) => paper.locations.map((location) => location.uri)), [uri('b.digest')]);
    const citation = { line: 0, character: 'See [@mov'.length };
    assert.deepEqual(session.references(uri('notes/n.md'), citation, true).map((location) => location.uri), [uri('b.digest'), uri('notes/n.md')]);
    assert.deepEqual(session.definition(uri('notes/n.md'), citation).map((location) => location.uri), [uri('b.digest')]);
    assert.doesNotMatch(JSON.stringify(session.hover(uri('notes/n.md'), citation)), /a\.digest/);
    assert.deepEqual(started.host.diagnostics.get(uri('a.digest')), []);
  });

  it('a reload that lands after the file was opened leaves the editor\'s text', async () => {
    const { fileSystem, hold } = heldDisk();
    const started = await startSession({}, { fileSystem });
    const { session, uri, root } = started;
    const path = join(root, 'a.digest');
    writeFileSync(path, `${ENTRY(1, 'Disk Paper Title:', 'Jan 1, 2024')}\n`);
    const held = hold(path);
    const changed = session.diskChanged([{ uri: uri('a.digest'), deleted: false }]);
    await held.reached;
    session.openDocument(uri('a.digest'), 'paper-digest', 1, `${ENTRY(1, 'Editor Paper Title:', 'Jan 1, 2024')}\n`);
    held.release();
    await changed;
    assert.deepEqual(session.documentSymbols(uri('a.digest')).map((symbol) => symbol.name), ['Editor Paper Title:']);
  });
});

describe('session: citations in the order of their notes, not of reloads', () => {
  it('references and the hover card list citations by note, line and character after notes are reloaded in any order (issue 16, #7)', async () => {
    const files = { 'p.digest': `${ENTRY(1, 'Cited Paper Title:', 'Jan 1, 2024')}\n`, 'a.md': 'First @cited-paper-title2024.\n', 'b.md': 'Then @cited-paper-title2024.\n' };
    const reloaded = await startSession(files);
    writeFileSync(join(reloaded.root, 'a.md'), '\nFirst @cited-paper-title2024, again.\n');
    // a.md read again after b.md: its citation came last in the key's list.
    await reloaded.session.diskChanged([{ uri: reloaded.uri('a.md'), deleted: false }]);
    const fresh = await startSession({ ...files, 'a.md': '\nFirst @cited-paper-title2024, again.\n' });
    const at = { line: 0, character: 3 };
    const shown = (started: Started) => ({
      references: started.session.references(started.uri('p.digest'), at, false).map((location) => `${location.uri.slice(started.uri('.').replace(/\/\.?$/, '').length)}:${location.range.start.line}`),
      hover: JSON.stringify(started.session.hover(started.uri('p.digest'), at)).split(started.uri('.').replace(/\/\.?$/, '')).join('<root>'),
    });
    assert.deepEqual(shown(reloaded).references, ['/a.md:1', '/b.md:0']);
    assert.deepEqual(shown(reloaded), shown(fresh));
  });
});
