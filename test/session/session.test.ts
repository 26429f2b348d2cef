/**
 * The language-server session in process: a real workspace on disk (a temporary folder), a host
 * that records what the session sends, and every test with a session of its own. The spawned
 * server (test/lsp) only proves the wiring; what the server does is tested here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { ENTRY, startSession, tuluFiles } from './sessionHarness';

describe('session: loading the workspace', () => {
  it('indexes the folder, reports progress and status, and logs what it read', async () => {
    const { host, session } = await startSession(tuluFiles({ 'notes/a.md': 'See [@fipo2024].\n' }));
    assert.equal(session.status().papers, 25, 'the sample digest holds 25 papers');
    assert.deepEqual({ ...session.status(), pendingAbstracts: undefined }, { papers: 25, digests: 1, notes: 1, indexing: false, pendingAbstracts: undefined });
    assert.equal(host.progress[0], 'begin Literature Digest: Indexing papers…');
    assert.equal(host.progress.at(-1), 'done');
    assert.ok(host.statuses.some((status) => status.indexing), 'a status while indexing');
    assert.match(host.logs.join('\n'), /Indexed 25 papers from 1 digests, 0 bibliographies and 1 notes\./);
  });

  it('publishes every digest\'s diagnostics once after loading, without opening it', async () => {
    const { host, session, uri } = await startSession({ 'broken.digest': `${ENTRY(3, 'A Good Paper Title:', 'Jan 5, 2024')}\n4 Broken Line Here 3 authors · Foo 99\n` });
    await session.flush();
    const diagnostics = host.diagnostics.get(uri('broken.digest'));
    assert.ok(diagnostics, 'diagnostics were published for the unopened digest');
    assert.ok(diagnostics.some((d) => d.range.start.line === 1 && /date/.test(String(d.message))), `a broken-date diagnostic on line 2: ${JSON.stringify(diagnostics)}`);
  });

  it('tells one message for all files that cannot be read, naming the first', async () => {
    const { host } = await startSession({ 'a.digest': '\u0000\u0001\u0002binary', 'b.digest': '\u0000\u0003binary' });
    const warnings = host.messages.filter((m) => m.level === 'warning');
    assert.equal(warnings.length, 1, JSON.stringify(host.messages));
    assert.match(warnings[0].message, /a\.digest.*\(and 1 more: see the Literature Digest output\)/);
  });
});

describe('session: documents', () => {
  it('an open note gets completion and unknown-key diagnostics that follow the digests', async () => {
    const { host, session, uri } = await startSession(tuluFiles());
    const note = uri('notes/n.md');
    session.openDocument(note, 'markdown', 1, 'Known [@fipo2024], unknown [@newpaper2024].\n');
    await session.flush();
    assert.deepEqual(host.diagnostics.get(note)?.map((d) => String(d.message).match(/'([^']+)'/)?.[1]), ['newpaper2024']);

    const completion = session.completion(note, { line: 0, character: 'Known [@fip'.length });
    assert.ok(completion?.items.some((item) => item.label === 'fipo2024'), 'completion offers fipo2024');

    // A digest that brings the key clears the note's diagnostic, though the note did not change.
    session.openDocument(uri('new.digest'), 'paper-digest', 1, ENTRY(5, 'Newpaper: A Study', 'Mar 3, 2024'));
    await session.flush();
    assert.deepEqual(host.diagnostics.get(note), []);
  });

  it('offers no citation keys inside a fenced code block or an HTML comment of a Markdown note', async () => {
    const { session, uri } = await startSession(tuluFiles());
    const note = uri('notes/code.md');
    session.openDocument(note, 'markdown', 1, '```\n[@fip\n```\n<!--\n[@fip\n-->\n[@fip\n');
    assert.equal(session.completion(note, { line: 1, character: 5 }), null, 'in code');
    assert.equal(session.completion(note, { line: 4, character: 5 }), null, 'in a comment');
    assert.ok(session.completion(note, { line: 6, character: 5 })?.items.some((item) => item.label === 'fipo2024'), 'in prose');
  });

  it('a ranged edit of an open digest changes its outline; closing it goes back to the disk', async () => {
    const { session, uri, root } = await startSession({ 'd.digest': `${ENTRY(1, 'First Paper Title:', 'Jan 1, 2024')}\n${ENTRY(2, 'Second Paper Title:', 'Jan 2, 2024')}\n` });
    const digest = uri('d.digest');
    const text = readFileSync(join(root, 'd.digest'), 'utf8');
    session.openDocument(digest, 'paper-digest', 1, text);
    session.changeDocument(digest, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: `${ENTRY(9, 'Inserted Paper Title:', 'Feb 1, 2024')}\n2` }]);
    assert.deepEqual(session.documentSymbols(digest).map((s) => s.name), ['First Paper Title:', 'Inserted Paper Title:', 'Second Paper Title:']);

    session.closeDocument(digest);
    await waitFor(() => session.documentSymbols(digest).length === 2);
    assert.deepEqual(session.documentSymbols(digest).map((s) => s.name), ['First Paper Title:', 'Second Paper Title:']);
  });

  it('an open digest that writes no year keeps the year of its file', async () => {
    const { session, uri, root } = await startSession({ 'old.digest': ENTRY(1, 'Yearless Paper Title:', 'Mar 3') });
    const modified = new Date('2021-06-01T12:00:00Z');
    utimesSync(join(root, 'old.digest'), modified, modified);
    session.openDocument(uri('old.digest'), 'paper-digest', 1, ENTRY(1, 'Yearless Paper Title:', 'Mar 3'));
    assert.deepEqual(session.index.papers().map((p) => p.key), ['yearless-paper-title2021']);
  });

  it('changes on disk: a deleted file loses its papers and its diagnostics, a changed one is read again', async () => {
    const { host, session, uri, root } = await startSession({ 'a.digest': ENTRY(1, 'Alpha Paper Title:', 'Jan 1, 2024'), 'notes/n.md': '[@alpha-paper-title2024]\n' });
    writeFileSync(join(root, 'a.digest'), ENTRY(1, 'Beta Paper Title:', 'Jan 1, 2024'));
    await session.diskChanged([{ uri: uri('a.digest'), deleted: false }]);
    assert.deepEqual(session.index.papers().map((p) => p.key), ['beta-paper-title2024']);
    await session.flush();
    assert.equal(host.diagnostics.get(uri('notes/n.md'))?.length, 1, 'the note now cites an unknown key');

    rmSync(join(root, 'a.digest'));
    await session.diskChanged([{ uri: uri('a.digest'), deleted: true }]);
    assert.equal(session.status().papers, 0);
    assert.deepEqual(host.diagnostics.get(uri('a.digest')), []);
  });

  it('a change on disk to an open document is ignored: the editor\'s copy is the truth', async () => {
    const { session, uri, root } = await startSession({ 'a.digest': ENTRY(1, 'Alpha Paper Title:', 'Jan 1, 2024') });
    session.openDocument(uri('a.digest'), 'paper-digest', 1, ENTRY(1, 'Edited Paper Title:', 'Jan 1, 2024'));
    writeFileSync(join(root, 'a.digest'), ENTRY(1, 'Disk Paper Title:', 'Jan 1, 2024'));
    await session.diskChanged([{ uri: uri('a.digest'), deleted: false }]);
    assert.deepEqual(session.index.papers().map((p) => p.key), ['edited-paper-title2024']);
  });
});

describe('session: settings', () => {
  it('pushed settings that change which files are digests walk the workspace again', async () => {
    const { session } = await startSession({ 'list.papers': ENTRY(1, 'Custom Glob Paper:', 'Jan 1, 2024') });
    assert.equal(session.status().papers, 0);
    await session.settingsChanged({ literatureDigest: { digestFiles: ['**/*.papers'] } });
    assert.equal(session.status().papers, 1);
  });

  it('watches the files the settings read, and asks again when they change', async () => {
    const { host, session } = await startSession({}, { abilities: { watchesFiles: true } });
    const patterns = () => host.watched.at(-1)?.map((watcher) => watcher.globPattern) ?? [];
    assert.ok(patterns().includes('**/*.digest') && patterns().includes('**/*.qmd'), JSON.stringify(patterns()));
    assert.ok(!patterns().includes('**/*.papers'));
    await session.settingsChanged({ literatureDigest: { digestFiles: ['**/*.papers'] } });
    assert.ok(patterns().includes('**/*.papers'), 'the custom digest glob is watched');
    const asked = host.watched.length;
    await session.settingsChanged({ literatureDigest: { digestFiles: ['**/*.papers'] } });
    assert.equal(host.watched.length, asked, 'the same settings ask for nothing new');
  });

  it('settings given at start-up apply from the first walk', async () => {
    const { session } = await startSession({ 'list.papers': ENTRY(1, 'Custom Glob Paper:', 'Jan 1, 2024') }, { initializationOptions: { literatureDigest: { digestFiles: ['**/*.papers'] } } });
    assert.equal(session.status().papers, 1);
  });

  it('a client that answers workspace/configuration gives each folder its settings', async () => {
    const settings = new Map<string | undefined, unknown>([[undefined, { completion: { maxItems: 2 } }]]);
    const { session, uri } = await startSession(tuluFiles(), { abilities: { fetchesSettings: true }, settings });
    const note = uri('n.md');
    session.openDocument(note, 'markdown', 1, '@\n');
    assert.equal(session.completion(note, { line: 0, character: 1 })?.items.length, 2, 'maxItems from the fetched window settings');
  });
});

describe('session: notes and exports', () => {
  it('creates a literature note through an edit the person can undo, and opens it', async () => {
    const { host, session, root } = await startSession(tuluFiles());
    const result = await session.openLiteratureNote('fipo2024');
    const expected = pathToFileURL(join(root, 'notes', 'fipo2024.md')).href;
    assert.deepEqual(result, { uri: expected, created: true });
    assert.equal(host.edits.length, 1);
    const changes = host.edits[0].edit.documentChanges ?? [];
    assert.deepEqual(changes[0], { kind: 'create', uri: expected, options: { overwrite: false, ignoreIfExists: true } });
    assert.match(JSON.stringify(changes[1]), /FIPO: Free-form Instruction-oriented Prompt Optimization/);
    assert.deepEqual(host.shown, [expected]);
  });

  it('opens an existing note instead of writing over it, and says why when it creates none', async () => {
    const { host, session, uri } = await startSession(tuluFiles({ 'notes/fipo2024.md': 'mine\n' }));
    assert.deepEqual(await session.openLiteratureNote('fipo2024'), { uri: uri('notes/fipo2024.md'), created: false });
    assert.deepEqual(host.shown, [uri('notes/fipo2024.md')], 'the existing note is shown');
    assert.equal(host.edits.length, 0, 'no edit for an existing note');
    // Created a moment ago and not saved yet: open in the editor only, still not created twice.
    session.openDocument(uri('notes/smoltulu2024.md'), 'markdown', 1, 'unsaved\n');
    assert.equal((await session.openLiteratureNote('smoltulu2024'))?.created, false);
    assert.equal(host.edits.length, 0);
    assert.equal(await session.openLiteratureNote('nosuchkey2024'), undefined);
    assert.match(host.messages.at(-1)?.message ?? '', /no paper has the key 'nosuchkey2024'/);
    host.applies = false;
    assert.equal(await session.openLiteratureNote('maxmin-rlhf2024'), undefined);
    assert.match(host.messages.at(-1)?.message ?? '', /could not create .*maxmin-rlhf2024\.md: the editor refused/);
  });

  it('creates no note and writes no bibliography in Restricted Mode, but opens a note that exists', async () => {
    const { host, session, root, uri } = await startSession(tuluFiles({ 'notes/smoltulu2024.md': 'mine\n' }), { initializationOptions: { workspaceTrusted: false, literatureDigest: { export: { bibliography: 'refs.json' } } } });
    assert.equal(await session.openLiteratureNote('fipo2024'), undefined);
    assert.equal(host.edits.length, 0);
    assert.match(host.messages.at(-1)?.message ?? '', /Restricted Mode/);
    assert.deepEqual(await session.openLiteratureNote('smoltulu2024'), { uri: uri('notes/smoltulu2024.md'), created: false });
    assert.deepEqual(host.shown, [uri('notes/smoltulu2024.md')]);
    assert.equal(host.edits.length, 0);
    await session.flush();
    assert.equal(existsSync(join(root, 'refs.json')), false);
  });

  it('keeps the bibliography the settings name current as digests change', async () => {
    const { session, uri, root } = await startSession(tuluFiles(), { initializationOptions: { literatureDigest: { export: { bibliography: 'refs/refs.json' } } } });
    await session.flush();
    const written = JSON.parse(readFileSync(join(root, 'refs', 'refs.json'), 'utf8')) as { id: string }[];
    assert.equal(written.length, 25);
    session.openDocument(uri('more.digest'), 'paper-digest', 1, ENTRY(5, 'Newpaper: A Study', 'Mar 3, 2024'));
    await session.flush();
    const again = JSON.parse(readFileSync(join(root, 'refs', 'refs.json'), 'utf8')) as { id: string }[];
    assert.ok(again.some((item) => item.id === 'newpaper2024'), 'the new paper is in the file');
  });

  it('exports the papers a note cites, as the CLI does', async () => {
    const { session, uri } = await startSession(tuluFiles({ 'n.md': '[@fipo2024; @maxmin-rlhf2024; @unknown2020]\n' }));
    const result = session.exportBibliography({ format: 'bibtex', citedBy: uri('n.md') });
    assert.equal(result.papers, 2);
    assert.match(result.text, /@article\{fipo2024,|@misc\{fipo2024,|\{fipo2024,/);
    assert.doesNotMatch(result.text, /unknown2020/);
  });

  it('searches with filters and sorts', async () => {
    const { session } = await startSession(tuluFiles());
    // Abstract words are indexed in idle time after loading; "tulu" is mostly in abstracts.
    await waitFor(() => session.status().pendingAbstracts === 0);
    const byUpvotes = session.search({ query: 'tulu', sort: 'upvotes', limit: 5 });
    assert.equal(byUpvotes.items.length, 5);
    const upvotes = byUpvotes.items.map((item) => item.upvotes);
    assert.deepEqual(upvotes, [...upvotes].sort((a, b) => (b ?? -1) - (a ?? -1)));
    const from2024 = session.search({ query: '', minYear: 2024 });
    assert.ok(from2024.items.length > 0 && from2024.items.every((item) => item.date >= '2024'), 'the year filter holds');
    assert.equal(from2024.total, 25);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

