/**
 * The server's text model of open documents (server/src/session/openDocument.ts) against
 * vscode-languageserver-textdocument reading the changed text from scratch, the reference for
 * what positions and offsets mean: random
 * ranged and whole changes (line breaks of every kind, CR+LF pairs made and split across a
 * change's edge, ranges reversed or past the end), after each of which text, line count, every
 * line, offsetAt and positionAt must agree. Seeded (LITDIGEST_SEED explores others).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { seededRandom } from '../../scripts/seededRandom';
import { OpenDocument } from '../../server/src/session/openDocument';

const SEED = Number(process.env.LITDIGEST_SEED ?? 16);
const PIECES = ['a', 'bc', ' ', 'x y', '\n', '\r', '\r\n', '\n\n', '\r\r\n', 'é', '😀', 'line\r\nline', '\ufeff', ''];

function agree(model: OpenDocument, reference: TextDocument, random: () => number, context: string): void {
  const text = reference.getText();
  assert.equal(model.getText(), text, `${context}: text`);
  assert.equal(model.lineCount, reference.lineCount, `${context}: line count`);
  for (let line = 0; line < reference.lineCount; line++) {
    const expected = reference.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } });
    assert.equal(model.lineText(line), expected, `${context}: line ${line}`);
  }
  for (let offset = -1; offset <= text.length + 1; offset++) {
    assert.deepEqual(model.positionAt(offset), reference.positionAt(offset), `${context}: positionAt(${offset})`);
  }
  for (let i = 0; i < 20; i++) {
    const position = { line: Math.floor(random() * (reference.lineCount + 2)) - 1, character: Math.floor(random() * 12) - 1 };
    assert.equal(model.offsetAt(position), reference.offsetAt(position), `${context}: offsetAt(${JSON.stringify(position)})`);
  }
}

/**
 * The text after a change, placed as the protocol means it: both ends clamped by offsetAt, a
 * reversed range read forwards. (TextDocument.update itself is no reference for ranges past the
 * end: it splices its line table at the range's line as sent, and miscounts lines from then on.)
 */
function applied(document: TextDocument, change: { range: Range; text: string } | { text: string }): string {
  if (!('range' in change)) return change.text;
  const one = document.offsetAt(change.range.start);
  const other = document.offsetAt(change.range.end);
  const text = document.getText();
  return text.slice(0, Math.min(one, other)) + change.text + text.slice(Math.max(one, other));
}

function randomText(random: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(random() * PIECES.length)];
  return text;
}

test('random changes leave the line model agreeing with vscode-languageserver-textdocument', () => {
  const random = seededRandom(SEED);
  for (let run = 0; run < 200; run++) {
    const initial = randomText(random, Math.floor(random() * 12));
    const model = new OpenDocument('file:///d.digest', 'paper-digest', 1, initial);
    let reference = TextDocument.create('file:///d.digest', 'paper-digest', 1, initial);
    agree(model, reference, random, `run ${run}, initial ${JSON.stringify(initial)}`);
    for (let step = 0; step < 25; step++) {
      const lines = reference.lineCount;
      const position = () => ({ line: Math.floor(random() * (lines + 3)) - (random() < 0.05 ? 1 : 0), character: Math.floor(random() * 8) - (random() < 0.05 ? 1 : 0) });
      const whole = random() < 0.04;
      const range: Range = { start: position(), end: position() };
      const text = randomText(random, Math.floor(random() * 3));
      const change = whole ? { text } : { range, text };
      model.update([change], step + 2);
      reference = TextDocument.create('file:///d.digest', 'paper-digest', step + 2, applied(reference, change));
      agree(model, reference, random, `run ${run} step ${step}, change ${JSON.stringify(change)}`);
    }
  }
});

test('a change made of several edits applies them in order', () => {
  const model = new OpenDocument('file:///d.md', 'markdown', 1, 'one\ntwo\nthree');
  model.update([
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, text: '2' },
    { range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, text: '\r' },
    { range: { start: { line: 0, character: 3 }, end: { line: 1, character: 0 } }, text: ' ' },
  ], 2);
  assert.equal(model.getText(), 'one 2\nthree\r');
  assert.equal(model.lineCount, 3);
  assert.equal(model.version, 2);
});

test('lines handed out after a change hold no slice of a whole-text copy', () => {
  // A reading of the whole text (getText) must not become what later lines are cut from.
  const model = new OpenDocument('file:///d.digest', 'paper-digest', 1, 'a\nb\nc');
  assert.equal(model.getText(), 'a\nb\nc');
  model.update([{ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } }, text: 'x' }], 2);
  assert.deepEqual(model.lineTexts(0, 2), ['a', 'bx', 'c']);
  assert.equal(model.head(3), 'a\nb');
  assert.equal(model.getText({ start: { line: 1, character: 0 }, end: { line: 2, character: 1 } }), 'bx\nc');
});

test('a paste of many lines', () => {
  const model = new OpenDocument('file:///d.digest', 'paper-digest', 1, 'first\nlast');
  const pasted = Array.from({ length: 30_000 }, (_, i) => `line ${i}`).join('\n');
  model.update([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `${pasted}\n` }], 2);
  assert.equal(model.lineCount, 30_002);
  assert.equal(model.lineText(30_001), 'last');
  assert.deepEqual(model.positionAt(model.getText().length), { line: 30_001, character: 4 });
});
