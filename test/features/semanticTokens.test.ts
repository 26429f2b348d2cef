/** Semantic tokens: the title of each digest entry, where the parser found it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provideSemanticTokens, SEMANTIC_TOKENS_LEGEND } from '../../server/src/features/semanticTokens';
import { joinLines, TULU, workspace } from './workspace';

/** The tokens decoded from the relative encoding of LSP: absolute line, start, length and type. */
function decode(data: number[]): { line: number; start: number; length: number; type: string }[] {
  const tokens = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = data.slice(i, i + 5);
    line += deltaLine;
    start = deltaLine === 0 ? start + deltaStart : deltaStart;
    assert.equal(modifiers, 0, 'no modifiers');
    tokens.push({ line, start, length, type: SEMANTIC_TOKENS_LEGEND.tokenTypes[type] });
  }
  return tokens;
}

describe('semantic tokens', () => {
  it('marks each title as a paperTitle, skipping headings, notes and broken lines', () => {
    const ws = workspace({ 'file:///w/a.digest': joinLines(
      '# Papers',
      '1 «Alpha Paper Title» || We study alpha. 2 authors · Jan 3, 2024',
      '> a note',
      '12 11 authors · Nov 17, 2023',
      '',
      '25 «Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2» Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 6',
    ) });
    const tokens = decode(provideSemanticTokens(ws.digest()).data);
    assert.deepEqual(tokens.map((t) => ({ start: { line: t.line, character: t.start }, end: { line: t.line, character: t.start + t.length } })), ws.ranges());
    assert.ok(tokens.every((t) => t.type === 'paperTitle'));
  });

  it('encodes each line relative to the previous token, and the start from the line start', () => {
    const ws = workspace({ 'file:///w/tulu.digest.txt': TULU });
    const { data } = provideSemanticTokens(ws.digest());
    assert.equal(data.length, 25 * 5);
    // The first entry starts at "- " (no upvotes), the second at "1 ": both on consecutive lines.
    assert.deepEqual(data.slice(0, 10), [0, 2, 'FIPO: Free-form Instruction-oriented Prompt Optimization with Preference Dataset and Modular Fine-tuning Schema'.length, 0, 0, 1, 2, 'MaxMin-RLHF: Towards Equitable Alignment of Large Language Models with Diverse Human Preferences'.length, 0, 0]);
    assert.deepEqual(decode(data).map((t) => t.line), Array.from({ length: 25 }, (_, i) => i));
  });

  it('has no tokens for an empty digest, and declares one token type', () => {
    const ws = workspace({ 'file:///w/a.digest': '' });
    assert.deepEqual(provideSemanticTokens(ws.digest()), { data: [] });
    assert.deepEqual(SEMANTIC_TOKENS_LEGEND, { tokenTypes: ['paperTitle'], tokenModifiers: [] });
  });
});
