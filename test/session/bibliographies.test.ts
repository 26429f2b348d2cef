/** An open `.bib` edited in the session: ranged changes re-read only what they reach, and agree with a fresh reading. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseLibrary } from '../../server/src/library/libraryEntries';
import { FIXTURES, startSession } from './sessionHarness';

const EXAMPLES = readFileSync(join(FIXTURES, 'bibliographies', 'biblatex-examples.bib'), 'utf8');

describe('session: an open bibliography', () => {
  it('keeps the index as a fresh reading would after ranged edits, and answers from the edited text', async () => {
    const { session, uri } = await startSession({ 'refs.bib': EXAMPLES, 'notes/a.md': 'See @sigfridsson.\n' });
    const bib = uri('refs.bib');
    session.openDocument(bib, 'bibtex', 1, EXAMPLES);
    const model = TextDocument.create(bib, 'bibtex', 1, EXAMPLES);
    const random = (() => { let seed = 11; return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); })();
    const pieces = ['\n', '}', 'x', ' and Roe, Jane', '\n@misc{brand-new, title = {Brand New}, year = 2026}\n', '{', '\r\n'];
    for (let version = 2; version < 60; version++) {
      const at = model.positionAt(Math.floor(random() * model.getText().length));
      const end = model.positionAt(model.offsetAt(at) + (random() < 0.3 ? Math.floor(random() * 30) : 0));
      const change = { range: { start: at, end }, text: pieces[Math.floor(random() * pieces.length)] };
      TextDocument.update(model, [change], version);
      session.changeDocument(bib, version, [change]);
      const summary = session.index.file(bib);
      assert.equal(summary?.kind, 'library');
      const fresh = parseLibrary(bib, model.getText(), 'bibtex');
      const view = (entries: typeof fresh.entries) => entries.map((e) => `${e.library.key}@${e.line}:${e.spans.title.start} ${e.title}`);
      assert.deepEqual(summary.kind === 'library' ? view(summary.library.entries) : [], view(fresh.entries), `version ${version}`);
    }
    // An entry typed at the end: the note's citation of it resolves, and it is where the editor shows it.
    const endOfText = model.positionAt(model.getText().length);
    const typed = { range: { start: endOfText, end: endOfText }, text: '\n@misc{typed-at-end,\n  title = {Typed at the End},\n  year = 2026,\n}\n' };
    TextDocument.update(model, [typed], 61);
    session.changeDocument(bib, 61, [typed]);
    const paper = session.index.paperByKey('typed-at-end');
    assert.ok(paper);
    assert.equal(paper.locations[0].entry.line, endOfText.line + 1);
  });

  it('reads a large .bib whole only once typing pauses, when an edit changes an @string', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => `@article{gen${i}, title = {Generated Paper Number ${i}}, journal = jcc, year = 2020}\n`).join('\n');
    const text = `@string{jcc = {Journal of Computational Chemistry}}\n${many}`;
    assert.ok(text.length > 200_000);
    const big = `${text}${' '.repeat(1_100_000 - text.length)}\n`;
    const { session, uri } = await startSession({ 'big.bib': big });
    const bib = uri('big.bib');
    session.openDocument(bib, 'bibtex', 1, big);
    const venue = () => {
      const paper = session.index.paperByKey('gen7');
      const entry = paper?.locations[0].entry as { library?: { venue?: string } } | undefined;
      return entry?.library?.venue;
    };
    assert.equal(venue(), 'Journal of Computational Chemistry');
    const at = { line: 0, character: '@string{jcc = {'.length };
    session.changeDocument(bib, 2, [{ range: { start: at, end: { line: 0, character: at.character + 'Journal of'.length } }, text: 'J.' }]);
    assert.equal(venue(), 'Journal of Computational Chemistry', 'the whole reading waits for a pause');
    await session.flush();
    assert.equal(venue(), 'J. Computational Chemistry');
  });

  it('keeps a note closed and opened again in one burst as the editor has it, not as the disk read found it', async () => {
    const { session, uri } = await startSession({ 'refs.bib': '@article{kept2020, title = {Kept}, year = 2020}\n' });
    const note = uri('notes/not-on-disk.md');
    for (let round = 0; round < 3; round++) {
      session.openDocument(note, 'markdown', 1, '@kept2020');
      session.closeDocument(note);
      session.openDocument(note, 'markdown', 2, '@kept2020 again');
      // The reload started by the close finds no file; it must not take the reopened note away.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const summary = session.index.file(note);
      assert.equal(summary?.kind, 'note', `round ${round}`);
      assert.ok(session.completion(note, { line: 0, character: 5 }), 'completion answers in the reopened note');
      session.closeDocument(note);
    }
  });
});
