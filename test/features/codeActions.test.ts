/**
 * Code actions: end the title at the cursor with ` || `, confirm an inferred split, create a
 * literature note, write down an assumed capture year, and replace an unknown key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { provideDiagnostics } from '../../server/src/features/diagnostics';
import { CREATE_NOTE_COMMAND } from '../../server/src/shared/protocol';
import { CAPTURE_YEAR, joinLines, TestWorkspace, TULU, TULU_URI, workspace } from './workspace';

const DIGEST_URI = 'file:///w/a.digest';
const NOTE_URI = 'file:///w/notes/reading.md';

/** The actions at the cursor (an empty range there), with the file's own diagnostics unless given. */
function actionsAtCursor(ws: TestWorkspace, diagnostics: Diagnostic[] = provideDiagnostics(ws.index, ws.uri)): CodeAction[] {
  return provideCodeActions(ws.index, ws.uri, { start: ws.position, end: ws.position }, diagnostics);
}

function titled(actions: CodeAction[], prefix: string): CodeAction | undefined {
  return actions.find((action) => action.title.startsWith(prefix));
}

/** The text edits an action makes in `uri`. */
function editsOf(action: CodeAction | undefined, uri: string): TextEdit[] {
  assert.ok(action, 'no such action');
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits, `${action.title}: no edit of ${uri}`);
  return edits;
}

/** `text` with edits applied that each stay on one line. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  for (const { range, newText } of [...edits].sort((a, b) => b.range.start.character - a.range.start.character)) {
    assert.equal(range.start.line, range.end.line, 'a one-line edit');
    const line = lines[range.start.line];
    lines[range.start.line] = line.slice(0, range.start.character) + newText + line.slice(range.end.character);
  }
  return lines.join('\n');
}

function cursorRange(ws: TestWorkspace): Range {
  return { start: ws.position, end: ws.position };
}

describe('ending the title at the cursor', () => {
  it('offers to end the title at the word gap at the cursor, with the split marker', () => {
    const lines = TULU.split('\n');
    lines[6] = lines[6].replace('Xmodel-2 Technical', 'Xmodel-2‸ Technical');
    const ws = workspace({ [TULU_URI]: lines.join('\n') });
    const fix = titled(actionsAtCursor(ws), 'Title ends here');
    assert.equal(fix?.title, 'Title ends here: "Xmodel-2"');
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    const cursor = ws.position.character;
    assert.deepEqual(editsOf(fix, TULU_URI), [{ range: { start: { line: 6, character: cursor }, end: { line: 6, character: cursor + 1 } }, newText: ' || ' }]);
    // Applied, the file reads the title so.
    const fixed = workspace({ [TULU_URI]: applyEdits(ws.text(), editsOf(fix, TULU_URI)) });
    assert.equal(fixed.digest().digest.entries[6].title, 'Xmodel-2');
    assert.equal(fixed.digest().digest.entries[6].split.source, 'marker');
  });

  it('takes the nearest gap from inside a word, within the abstract too', () => {
    const ws = workspace({ [DIGEST_URI]: '1 Alpha Paper Title We st‸udy alpha closely. 2 authors · Jan 3, 2024' });
    const fix = titled(actionsAtCursor(ws), 'Title ends here');
    assert.equal(fix?.title, 'Title ends here: "Alpha Paper Title We"');
    assert.equal(editsOf(fix, DIGEST_URI)[0].range.start.character, ws.line(0).indexOf(' study'));
  });

  it('offers no fix at the gap where the title already ends, nor before the title', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    const title = ws.digest().digest.entries[6].spans.title;
    const at = (character: number) => provideCodeActions(ws.index, TULU_URI, { start: { line: 6, character }, end: { line: 6, character } }, []);
    assert.equal(titled(at(title.end), 'Title ends here'), undefined, 'the gap after "Xmodel-2 Technical Report"');
    assert.equal(titled(at(0), 'Title ends here'), undefined, 'on the upvotes');
  });

  it('shortens a long title to its last 57 characters', () => {
    const ws = workspace({ [DIGEST_URI]: '1 Alpha Paper Title on the Very Long and Winding Road of Language Models for Everyone‸ Everywhere We study alpha. 2 authors · Jan 3, 2024' });
    const fix = titled(actionsAtCursor(ws), 'Title ends here');
    assert.equal(fix?.title, 'Title ends here: "…ery Long and Winding Road of Language Models for Everyone"');
    assert.equal(fix.title.length, 'Title ends here: ""'.length + 58);
  });

  it('attaches the doubtful-split hint to the fix, so that the fix shows on the hint', () => {
    // An ambiguous line (see diagnostics.test.ts): the title may be "Language Models Model" or one word longer.
    const ws = workspace({ [DIGEST_URI]: '5 Language Models Model Language‸ Models of language are trained on text. 3 authors · Mar 4, 2025' });
    const diagnostics = provideDiagnostics(ws.index, DIGEST_URI);
    const hint = diagnostics.find((d) => d.code === 'doubtful-split');
    assert.ok(hint, 'the doubtful split is hinted at');
    const fix = titled(actionsAtCursor(ws, diagnostics), 'Title ends here');
    assert.equal(fix?.title, 'Title ends here: "Language Models Model Language"');
    assert.deepEqual(fix.diagnostics, [hint]);
    assert.deepEqual(titled(actionsAtCursor(ws, []), 'Title ends here')?.diagnostics, [], 'none without the hint');
  });

  it('confirms an inferred split by writing the marker between title and abstract', () => {
    const ws = workspace({ [DIGEST_URI]: '1 Alpha Paper Title We study alpha. 2 authors · Jan 3, 2024' });
    const confirm = titled(provideCodeActions(ws.index, DIGEST_URI, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), 'Confirm the title');
    assert.equal(confirm?.title, 'Confirm the title as read (insert the split marker)');
    assert.equal(confirm.kind, CodeActionKind.RefactorRewrite);
    const { spans } = ws.digest().digest.entries[0];
    assert.deepEqual(editsOf(confirm, DIGEST_URI), [{ range: { start: { line: 0, character: spans.title.end }, end: { line: 0, character: spans.abstract.start } }, newText: ' || ' }]);
    assert.equal(applyEdits(ws.text(), editsOf(confirm, DIGEST_URI)), '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024');
  });

  it('offers neither on an entry whose title the file ends with ||', () => {
    const ws = workspace({ [DIGEST_URI]: '1 Alpha Paper‸ Title || We study alpha. 2 authors · Jan 3, 2024' });
    const actions = actionsAtCursor(ws);
    assert.deepEqual(actions.map((a) => a.title), ['Look Up on Hugging Face', 'Open the literature note of alpha-paper-title2024']);
  });

  it('offers Look Up on Hugging Face on an entry, and not once it has its metadata and its split', () => {
    const entry = '1 Alpha Paper‸ Title || We study alpha. 2 authors · Jan 3, 2024';
    const lookUp = actionsAtCursor(workspace({ [DIGEST_URI]: entry })).find((a) => a.title === 'Look Up on Hugging Face');
    assert.deepEqual(lookUp?.command, { title: 'Look Up on Hugging Face', command: 'literatureDigest.server.lookUpPaper', arguments: [DIGEST_URI, 0] });
    const complete = actionsAtCursor(workspace({ [DIGEST_URI]: `${entry}\narXiv: 2401.00001 · authors: A B, C D` }));
    assert.equal(complete.find((a) => a.title === 'Look Up on Hugging Face'), undefined);
  });
});

describe('creating a literature note', () => {
  it('offers the command with the key of the paper on the line', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    const actions = provideCodeActions(ws.index, TULU_URI, { start: { line: 6, character: 3 }, end: { line: 6, character: 3 } }, []);
    const create = actions.find((a) => a.command?.command === CREATE_NOTE_COMMAND);
    assert.equal(create?.title, 'Open the literature note of xmodel-2-technical-report2024');
    assert.equal(create.kind, CodeActionKind.Empty);
    assert.deepEqual(create.command, { title: 'Open Literature Note', command: 'literatureDigest.server.createNote', arguments: ['xmodel-2-technical-report2024'] });
  });

  it('offers nothing on a heading, a note line or a broken line', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines('# Papers', '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024', '> mine', '12 11 authors · Nov 17, 2023') });
    for (const line of [0, 2, 3]) {
      assert.deepEqual(provideCodeActions(ws.index, DIGEST_URI, { start: { line, character: 1 }, end: { line, character: 1 } }, []), [], `line ${line}`);
    }
  });
});

describe('writing down the capture year', () => {
  it('inserts a captured: line above the hinted entry, as the preferred fix', () => {
    const yearless = joinLines('# Saved long ago', '5 Zero Bubble Pipeline Parallelism || Pipelines are key. 4 authors · Nov 30', '3 Xmodel-2 Technical Report || Xmodel-2 reasons. 12 authors · Dec 24');
    const ws = workspace({ [DIGEST_URI]: yearless });
    const hint = provideDiagnostics(ws.index, DIGEST_URI).find((d) => d.code === 'assumed-capture-year')!;
    const actions = provideCodeActions(ws.index, DIGEST_URI, hint.range, [hint]);
    const fix = titled(actions, 'Keep the year');
    assert.equal(fix?.title, `Keep the year: add 'captured: ${CAPTURE_YEAR}'`);
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [hint]);
    assert.deepEqual(editsOf(fix, DIGEST_URI), [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: `captured: ${CAPTURE_YEAR}\n` }]);
    // Applied, the year is written and no longer assumed: reading the file in another year keeps the keys.
    const inserted = yearless.replace('5 Zero', `captured: ${CAPTURE_YEAR}\n5 Zero`);
    const later = workspace({ [DIGEST_URI]: inserted }, { fallbackCaptureYear: CAPTURE_YEAR + 3 });
    assert.deepEqual(later.digest().digest.entries.map((e) => later.index.keyOf(e)), [`zero-bubble-pipeline${CAPTURE_YEAR}`, `xmodel-2-technical-report${CAPTURE_YEAR}`]);
    assert.deepEqual(provideDiagnostics(later.index, DIGEST_URI), []);
  });
});

describe('replacing an unknown citation key', () => {
  const NOTE = joinLines('# Notes', 'Small models: @smoltulu2024. Unknown: @«smoltulu2023».');

  it('offers each suggestion of the diagnostic, the first preferred', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE });
    const diagnostics = provideDiagnostics(ws.index, NOTE_URI);
    const [range] = ws.ranges(NOTE_URI);
    const actions = provideCodeActions(ws.index, NOTE_URI, range, diagnostics);
    assert.equal(actions[0].title, "Change to 'smoltulu2024'");
    assert.equal(actions[0].kind, CodeActionKind.QuickFix);
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(actions[0].diagnostics, diagnostics);
    assert.deepEqual(editsOf(actions[0], NOTE_URI), [{ range, newText: 'smoltulu2024' }]);
    assert.ok(actions.slice(1).every((a) => a.isPreferred === false), 'only the first is preferred');
  });

  it('finds the suggestions again when the client sends the diagnostic back without its data', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE });
    const [diagnostic] = provideDiagnostics(ws.index, NOTE_URI);
    const { data: _dropped, ...withoutData } = diagnostic;
    const actions = provideCodeActions(ws.index, NOTE_URI, diagnostic.range, [withoutData]);
    assert.equal(actions[0]?.title, "Change to 'smoltulu2024'");
  });

  it('offers nothing without an unknown-key diagnostic, or for a file not indexed', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: 'See @smol‸tulu2024.' });
    assert.deepEqual(provideCodeActions(ws.index, NOTE_URI, cursorRange(ws), []), []);
    assert.deepEqual(provideCodeActions(ws.index, NOTE_URI, cursorRange(ws), [{ range: cursorRange(ws), message: 'other', code: 'something-else' }]), []);
    assert.deepEqual(provideCodeActions(ws.index, 'file:///w/nowhere.md', cursorRange(ws), []), []);
  });
});
