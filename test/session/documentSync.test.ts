/**
 * Ranged edits of open documents (`textDocument/didChange`) against the truth: after any edit the
 * session's index must hold what a fresh session opened on the edited text holds. The edited text
 * is what vscode-languageserver-textdocument makes of the change (the text model the session keeps),
 * so out-of-spec ranges are judged as that library applies them. Issue 16, classes 2, 3 and 8.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { ENTRY, startSession } from './sessionHarness';

const FIRST = ENTRY(1, 'First Paper Title:', 'Jan 1, 2024');
const SECOND = ENTRY(2, 'Second Paper Title:', 'Jan 2, 2024');
const THIRD = ENTRY(3, 'Third Paper Title:', 'Jan 3, 2024');

type RangedChange = Extract<TextDocumentContentChangeEvent, { range: unknown }>;

/** The text the change gives, as the session's text model applies it. */
function editedText(text: string, changes: RangedChange[]): string {
  const document = TextDocument.create('file:///x', 'plaintext', 1, text);
  TextDocument.update(document, changes, 2);
  return document.getText();
}

/** What a document's index entry holds, without the cached readings (which only save work). */
async function indexedAs(session: Awaited<ReturnType<typeof startSession>>['session'], uri: string) {
  const summary = session.index.file(uri);
  if (summary?.kind === 'digest') return { ...summary.digest, readings: [] };
  if (summary?.kind === 'library') {
    const { entries, problems } = summary.library;
    return { entries: entries.map(({ line, title, spans, library }) => ({ line, title, spans, key: library.key, lineSpan: library.lineSpan, bibtex: library.bibtex })), problems };
  }
  return summary;
}

/**
 * Opens `text`, applies the ranged `changes` one didChange each, and compares the index (and the
 * outline) after every change with a fresh session opened on the text so far.
 */
async function assertEditsMatchFreshParse(path: string, languageId: string, text: string, ...changes: RangedChange[]): Promise<void> {
  const edited = await startSession({});
  const uri = edited.uri(path);
  edited.session.openDocument(uri, languageId, 1, text);
  let current = text;
  for (const [i, change] of changes.entries()) {
    edited.session.changeDocument(uri, i + 2, [change]);
    current = editedText(current, [change]);
    const fresh = await startSession({});
    const freshUri = fresh.uri(path);
    fresh.session.openDocument(freshUri, languageId, 1, current);
    const what = `after change ${i + 1} (${JSON.stringify(change)}), text ${JSON.stringify(current)}`;
    assert.deepStrictEqual(await indexedAs(edited.session, uri), await indexedAs(fresh.session, freshUri), what);
    assert.deepStrictEqual(edited.session.documentSymbols(uri), fresh.session.documentSymbols(freshUri), `outline ${what}`);
    fresh.session.dispose();
  }
}

const at = (line: number, character: number) => ({ line, character });

describe('session: ranged edits give what a full parse gives', () => {
  it('a lone \\r typed before an existing \\n makes one CRLF line break, not two', async () => {
    const text = `${FIRST}\n${SECOND}\n${THIRD}\n`;
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', text, { range: { start: at(0, FIRST.length), end: at(0, FIRST.length) }, text: '\r' });
  });

  it('deleting what stands between a \\r and a \\n merges them into one line break', async () => {
    const text = `${FIRST}\rX\n${SECOND}\n${THIRD}\n`;
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', text, { range: { start: at(1, 0), end: at(1, 1) }, text: '' });
  });

  it('a \\n typed after a lone \\r, and text ending in \\r typed before a \\n, merge too', async () => {
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', `${FIRST}\r${SECOND}\n${THIRD}`, { range: { start: at(1, 0), end: at(1, 0) }, text: '\n' });
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', `${FIRST}\n${THIRD}`, { range: { start: at(0, FIRST.length), end: at(0, FIRST.length) }, text: `\r${SECOND}\r` });
  });

  it('a byte-order mark at the start of didOpen text stays out of line 0 when line 0 is edited', async () => {
    const text = `\uFEFF# Section\n${FIRST}\n`;
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', text,
      { range: { start: at(0, 3), end: at(0, 3) }, text: 'Long ' },
      { range: { start: at(1, 0), end: at(1, 1) }, text: '7' },
      // And when the edit takes the mark away or types one, the file has one exactly when a full parse says so.
      { range: { start: at(0, 0), end: at(0, 1) }, text: '' },
      { range: { start: at(0, 0), end: at(0, 0) }, text: '\uFEFF' });
  });

  it('ranges past the end of a line or of the document, negative and reversed ranges change what the text model changes', async () => {
    const text = `${FIRST}\n${SECOND}\n${THIRD}`;
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', text,
      // Past the end of line 0: the text model stops before its line break.
      { range: { start: at(0, 2), end: at(0, 10_000) }, text: ' Changed Title: x 1 authors · Jan 9, 2024' },
      // Past the last line: the end of the document.
      { range: { start: at(2, 0), end: at(99, 5) }, text: `${THIRD}\n${FIRST.replace('First', 'Fourth')}` },
      // Reversed: the text model swaps the ends.
      { range: { start: at(1, 1), end: at(0, 1) }, text: '5' },
      // Before the start.
      { range: { start: at(-3, -1), end: at(0, 0) }, text: '# Top\n' },
      // Wholly past the end: appended.
      { range: { start: at(50, 3), end: at(40, 0) }, text: `\n${ENTRY(8, 'Appended Paper Title:', 'Feb 1, 2024')}` });
  });

  it('a seeded run of random edits with line breaks of every kind, marks and wild ranges never drifts', async () => {
    let seed = 16;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['\r', '\n', '\r\n', '\uFEFF', '', 'x', '# Heading', FIRST, SECOND, `${THIRD}\n`, '  a note', 'arXiv: 2311.10702', '\n\r'];
    const changes: RangedChange[] = [];
    for (let i = 0; i < 120; i++) {
      const position = () => at(random(8) - 1, random(5) === 0 ? 10_000 : random(120) - 2);
      changes.push({ range: { start: position(), end: position() }, text: pieces[random(pieces.length)] + (random(3) === 0 ? pieces[random(pieces.length)] : '') });
    }
    await assertEditsMatchFreshParse('d.digest', 'paper-digest', `${FIRST}\r\n${SECOND}\r${THIRD}\n`, ...changes);
  });

  it('a bibliography edited across line breaks and with wild ranges reads as a fresh one', async () => {
    const bib = '@article{alpha,\n  title = {Alpha},\n  year = {2024}\n}\n\n@article{beta,\n  title = {Beta},\n  year = {2023}\n}\n';
    await assertEditsMatchFreshParse('refs.bib', 'bibtex', bib,
      { range: { start: at(3, 1), end: at(3, 1) }, text: '\r' },
      { range: { start: at(6, 30), end: at(5, 2) }, text: 'misc{gamma,\n  title = {Gam' },
      { range: { start: at(4, 0), end: at(99, 0) }, text: '@book{delta, title = {Delta}, year = {2020}}\r' });
    await assertEditsMatchFreshParse('refs.bib', 'bibtex', `\uFEFF${bib}`,
      { range: { start: at(0, 9), end: at(0, 14) }, text: 'omega' },
      { range: { start: at(0, 0), end: at(0, 1) }, text: '' });
  });
});
