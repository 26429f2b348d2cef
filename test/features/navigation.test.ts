/** Go to definition, find references and workspace symbols. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Location } from 'vscode-languageserver-types';
import { provideDefinition, provideReferences, provideWorkspaceSymbols } from '../../server/src/features/navigation';
import { CAMELS_AGAIN, joinLines, TULU, TULU_URI, workspace } from './workspace';

const COPY_URI = 'file:///w/second.digest';
const NOTE_URI = 'file:///w/notes/reading.md';
const TEX_URI = 'file:///w/notes/paper.tex';
const COPY = joinLines(
  '# Copied',
  CAMELS_AGAIN,
);
const NOTE = joinLines(
  '# Reading notes',
  '',
  'Tulu 2 scaled DPO [@camels-changing-climate2023, sec. 4; @fipo2024].',
  'Small models: @smoltulu2024. Unknown: @smoltulu2023.',
);

/** Locations as [file name, line, character], easy to compare. */
function places(locations: Location[]): [string, number, number][] {
  return locations.map((l) => [l.uri.replace(/.*\//, ''), l.range.start.line, l.range.start.character]);
}

describe('go to definition', () => {
  it('goes from a citation to the title of every entry of the paper, in file order', () => {
    const ws = workspace({ [TULU_URI]: TULU, [COPY_URI]: COPY, [NOTE_URI]: NOTE.replace('@camels', '@cam‸els') });
    const locations = provideDefinition(ws.index, ws.uri, ws.position);
    assert.deepEqual(places(locations), [['second.digest', 1, 3], ['tulu.digest.txt', 4, 3]]);
    const title = 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2';
    assert.deepEqual(locations[0].range, { start: { line: 1, character: 3 }, end: { line: 1, character: 3 + title.length } }, 'the title, not the whole line');
  });

  it('answers with the cursor on the @ and right after the key', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: 'See «@fipo2024».' });
    const [citation] = ws.ranges(NOTE_URI);
    for (const character of [citation.start.character, citation.end.character]) {
      assert.deepEqual(places(provideDefinition(ws.index, NOTE_URI, { line: 0, character })), [['tulu.digest.txt', 0, 2]], `character ${character}`);
    }
  });

  it('goes from a LaTeX \\cite key', () => {
    const ws = workspace({ [TULU_URI]: TULU, [TEX_URI]: '\\citep{smoltulu2024, fi‸po2024}' });
    assert.deepEqual(places(provideDefinition(ws.index, ws.uri, ws.position)), [['tulu.digest.txt', 0, 2]]);
  });

  it('goes nowhere from an unknown key, an entry line or plain text', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE });
    assert.deepEqual(provideDefinition(ws.index, NOTE_URI, { line: 3, character: 42 }), [], 'unknown key');
    assert.deepEqual(provideDefinition(ws.index, TULU_URI, { line: 4, character: 5 }), [], 'an entry is its own definition');
    assert.deepEqual(provideDefinition(ws.index, NOTE_URI, { line: 2, character: 3 }), [], 'plain text');
  });
});

describe('find references', () => {
  it('finds every citation of the paper of an entry line, in every note', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE, [TEX_URI]: '\\citep{fipo2024}\n' });
    const fromEntry = provideReferences(ws.index, TULU_URI, { line: 0, character: 5 }, false);
    assert.deepEqual(places(fromEntry).sort(), [['paper.tex', 0, 7], ['reading.md', 2, 58]]);
    const tex = fromEntry.find((l) => l.uri === TEX_URI)!;
    assert.deepEqual(tex.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 15 } }, 'the key');
  });

  it('finds them from a citation, with the paper\'s entries first when the declaration is asked for', () => {
    const ws = workspace({ [TULU_URI]: TULU, [COPY_URI]: COPY, [NOTE_URI]: NOTE, [TEX_URI]: '\\citep{fi‸po2024}\n' });
    // Citations by note (URI), line and character, not in the order the notes were read.
    assert.deepEqual(places(provideReferences(ws.index, ws.uri, ws.position, true)), [['tulu.digest.txt', 0, 2], ['paper.tex', 0, 7], ['reading.md', 2, 58]]);
    assert.equal(provideReferences(ws.index, ws.uri, ws.position, false).length, 2);
    // A paper in two digests has two declarations, both before the citations (in no set order:
    // today they come last file first).
    const camels = places(provideReferences(ws.index, NOTE_URI, { line: 2, character: 20 }, true));
    assert.deepEqual(camels.slice(0, 2).sort(), [['second.digest', 1, 3], ['tulu.digest.txt', 4, 3]]);
    assert.deepEqual(camels.slice(2), [['reading.md', 2, 20]]);
  });

  it('finds the other citations of an unknown key, and nothing off a citation', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE, 'file:///w/notes/b.md': 'Again @smoltulu2023.' });
    assert.deepEqual(places(provideReferences(ws.index, NOTE_URI, { line: 3, character: 40 }, true)).sort(), [['b.md', 0, 7], ['reading.md', 3, 39]]);
    assert.deepEqual(provideReferences(ws.index, NOTE_URI, { line: 0, character: 2 }, true), []);
    assert.deepEqual(provideReferences(ws.index, TULU_URI, { line: 1, character: 5 }, false), [], 'an uncited paper');
  });
});

describe('workspace symbols', () => {
  it('finds papers by key or title words, with key and date as container', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    const [first] = provideWorkspaceSymbols(ws.index, 'smoltulu');
    assert.equal(first.name, 'SmolTulu: Higher Learning Rate to Batch Size Ratios Can Lead to Better Reasoning in SLMs');
    assert.equal(first.containerName, 'smoltulu2024 · 2024-12-11');
    assert.deepEqual(first.location, { uri: TULU_URI, range: { start: { line: 5, character: 2 }, end: { line: 5, character: 2 + first.name.length } } });
    assert.equal(provideWorkspaceSymbols(ws.index, 'batch size ratios')[0].containerName?.split(' · ')[0], 'smoltulu2024', 'by title words');
  });

  it('lists every paper for an empty query, up to the limit', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    assert.equal(provideWorkspaceSymbols(ws.index, '').length, 25);
    assert.equal(provideWorkspaceSymbols(ws.index, '  ', 3).length, 3);
    assert.equal(provideWorkspaceSymbols(ws.index, 'tulu', 2).length, 2);
  });

  it('shows a paper in two digests once, at its first listing', () => {
    const ws = workspace({ [TULU_URI]: TULU, [COPY_URI]: COPY });
    const camels = provideWorkspaceSymbols(ws.index, 'camels changing climate').filter((s) => s.containerName?.startsWith('camels-changing-climate2023'));
    assert.deepEqual(camels.map((s) => [s.location.uri, s.location.range.start.line]), [[COPY_URI, 1]]);
  });
});
