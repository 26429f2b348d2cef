/**
 * Open and Refresh Literature Note in the session: a real workspace on disk, the template from the
 * settings, the digest changed as an editor changes it, and the edits the session asks the client
 * to apply (applied here as the client would, to check what the person ends up with).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { refreshNoteCommand } from '../../server/src/shared/protocol';
import { RecordingHost, startSession, tuluFiles } from './sessionHarness';

const CAMELS = '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since then. 11 authors · Nov 17, 2023';
const CAMELS_WITH_METADATA = `${CAMELS.replace(/^20 /, '42 ')}\narXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang`;
const KEY = 'camels-changing-climate2023';
const TEMPLATE = '---\ntags: []\n---\n\n{{begin}}\n# {{title}}\n\n{{authors}} · {{upvotes}} upvotes\n\n{{end}}\n\n## Notes\n';
const SETTINGS = { initializationOptions: { literatureDigest: { notes: { template: TEMPLATE } } } };

/** The text edits of the one document a workspace edit changes. */
function textEdits(edit: WorkspaceEdit, uri: string): { version: number | null; edits: TextEdit[] } {
  const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
  assert.equal(changes.length, 1, JSON.stringify(edit));
  assert.equal(changes[0].textDocument.uri, uri);
  return { version: changes[0].textDocument.version, edits: changes[0].edits as TextEdit[] };
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///n.md', 'markdown', 1, text), edits);
}

/** A workspace whose camels note was made by Open Literature Note, then given the person's own text and saved. */
async function noteMadeAndWrittenIn() {
  const started = await startSession({ 'camels.digest': CAMELS }, SETTINGS);
  const { session, host, uri, root } = started;
  const created = await session.openLiteratureNote(KEY);
  assert.deepEqual(created, { uri: uri(`notes/${KEY}.md`), created: true });
  // The edit creates the file, then inserts the filled template into it.
  const [, insert] = host.edits[0].edit.documentChanges as [unknown, TextDocumentEdit];
  const made = apply('', insert.edits as TextEdit[]);
  const mine = made.replace('tags: []', 'tags: [rlhf]').replace('## Notes\n', '## Notes\n\nMy reading: the DPO part matters.\n');
  // The recording host applies nothing: the person's editor would create the file and save it.
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'notes', `${KEY}.md`), mine);
  host.edits.length = 0;
  return { ...started, note: created.uri, mine };
}

/** The digest as the editor changes it: the metadata line pasted under the entry, the upvotes updated. */
function metadataArrives(session: Awaited<ReturnType<typeof startSession>>['session'], digest: string) {
  session.openDocument(digest, 'paper-digest', 1, CAMELS);
  session.changeDocument(digest, 2, [{ text: CAMELS_WITH_METADATA }]);
}

function lastMessage(host: RecordingHost): string {
  return host.messages.at(-1)?.message ?? '';
}

describe('session: Refresh Literature Note', () => {
  it('rewrites only the generated block of a saved note after the paper\'s metadata changed, as one edit', async () => {
    const { session, host, uri, note, mine } = await noteMadeAndWrittenIn();
    assert.match(mine, /\n · 20 upvotes\n/, 'no authors before the metadata line');
    metadataArrives(session, uri('camels.digest'));
    const result = await session.refreshLiteratureNote(note);
    assert.deepEqual(result, { applied: true, key: KEY, message: `Refreshed the literature note of ${KEY}.` });
    assert.equal(host.edits.length, 1);
    assert.equal(host.edits[0].label, `Refresh literature note ${KEY}`);
    const { version, edits } = textEdits(host.edits[0].edit, note);
    assert.equal(version, null, 'a note that is not open is edited as a file');
    assert.equal(edits.length, 1, 'one text edit');
    assert.deepEqual(edits[0].range, { start: { line: 4, character: `<!-- literature-digest:begin key=${KEY} -->`.length }, end: { line: 9, character: 0 } });
    const refreshed = apply(mine, edits);
    assert.equal(refreshed, mine.replace(' · 20 upvotes', 'Hamish Ivison, Yizhong Wang · 42 upvotes'), 'only the block changed');
    assert.match(refreshed, /tags: \[rlhf\][^]*My reading: the DPO part matters\.\n$/);
  });

  it('edits the open document at its version, then finds it up to date', async () => {
    const { session, host, uri, note, mine } = await noteMadeAndWrittenIn();
    metadataArrives(session, uri('camels.digest'));
    session.openDocument(note, 'markdown', 7, mine);
    await session.refreshLiteratureNote(note);
    const { version, edits } = textEdits(host.edits[0].edit, note);
    assert.equal(version, 7, 'an edit made for another version of the note is refused by the client');
    session.changeDocument(note, 8, [{ text: apply(mine, edits) }]);
    const again = await session.refreshLiteratureNote(note);
    assert.deepEqual(again, { applied: false, key: KEY, message: `${KEY}.md is up to date with ${KEY}.` });
    assert.equal(host.edits.length, 1, 'no second edit');
    assert.deepEqual(host.messages.at(-1), { level: 'info', message: `Literature Digest: ${KEY}.md is up to date with ${KEY}.` });
  });

  it('changes nothing and says why when the markers are missing or broken, the paper is gone, or the editor refuses', async () => {
    const { session, host, uri, note, mine } = await noteMadeAndWrittenIn();
    session.openDocument(note, 'markdown', 1, mine.replace('<!-- literature-digest:end -->', ''));
    assert.equal((await session.refreshLiteratureNote(note)).applied, false);
    assert.match(lastMessage(host), new RegExp(`^Literature Digest: ${KEY}\\.md has a generated block \\(from line 5\\) without its end marker .*; nothing changed\\.$`));
    session.changeDocument(note, 2, [{ text: '# Just my own note\n' }]);
    assert.equal((await session.refreshLiteratureNote(note)).applied, false);
    assert.match(lastMessage(host), /has no generated block/);
    session.changeDocument(note, 3, [{ text: mine.replace(`key=${KEY}`, 'key=gone2020') }]);
    assert.deepEqual(await session.refreshLiteratureNote(note), { applied: false, key: 'gone2020', message: `no paper has the key 'gone2020' that ${KEY}.md is the note of; nothing changed.` });
    assert.deepEqual(await session.refreshLiteratureNote(uri('notes/nothing-here.md')), { applied: false, key: undefined, message: 'nothing-here.md cannot be read; nothing changed.' });
    assert.equal(host.edits.length, 0);
    session.changeDocument(note, 4, [{ text: mine }]);
    metadataArrives(session, uri('camels.digest'));
    host.applies = false;
    assert.match((await session.refreshLiteratureNote(note)).message, /^the refresh of .*\.md was not applied: the editor refused\.$/);
  });

  it('refreshes in Restricted Mode too: it edits an existing note and creates nothing', async () => {
    const { session, host, uri, root } = await startSession({ 'camels.digest': CAMELS, [`notes/${KEY}.md`]: `<!-- literature-digest:begin key=${KEY} -->\nold\n<!-- literature-digest:end -->\nmine\n` }, { initializationOptions: { ...SETTINGS.initializationOptions, workspaceTrusted: false } });
    const note = uri(`notes/${KEY}.md`);
    assert.equal((await session.refreshLiteratureNote(note)).applied, true);
    const refreshed = apply(readFileSync(join(root, 'notes', `${KEY}.md`), 'utf8'), textEdits(host.edits[0].edit, note).edits);
    assert.match(refreshed, /^<!-- literature-digest:begin key=camels-changing-climate2023 -->\n# Camels in a Changing Climate[^]* · 20 upvotes\n\n<!-- literature-digest:end -->\nmine\n$/);
  });

  it('shows a Refresh Literature Note lens on an open literature note, and keeps the digest\'s lenses', async () => {
    const { session, uri, note, mine } = await noteMadeAndWrittenIn();
    session.openDocument(note, 'markdown', 1, mine);
    assert.deepEqual(session.codeLenses(note), [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, command: refreshNoteCommand(note) }]);
    session.openDocument(uri('plain.md'), 'markdown', 1, '# No block [@fipo2024]\n');
    assert.deepEqual(session.codeLenses(uri('plain.md')), []);
    const { session: tulu, uri: tuluUri } = await startSession(tuluFiles({ 'n.md': 'See [@fipo2024].\n' }));
    assert.ok(tulu.codeLenses(tuluUri('tulu.digest.txt')).some((lens) => lens.command?.title === 'cited 1×'));
  });
});
