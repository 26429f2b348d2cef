/**
 * The protocol fuzz test (issue 16), short: a few hundred seeded random steps against the real
 * server over stdio, then a fresh server on the final state must answer the same. A drift or an
 * error fails with the shrunk reproduction; `npm run fuzz` is the long run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeReproduction, fuzz, generateSteps, runSteps, stepsAsJson, stepsFromJson } from './protocolFuzzer';

const STEPS = 150;
const SEEDS = [1, 2];
/** Shrinking a failure starts two servers a try: bounded, so a failing run still ends. */
const SHRINK_BUDGET_MS = 45_000;

describe('protocol fuzz', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${STEPS} random steps leave the same state as a fresh server on the final files, with no errors`, { timeout: 120_000 }, async () => {
      const result = await fuzz(seed, STEPS, { budgetMs: SHRINK_BUDGET_MS });
      assert.ok(result.outcome.applied > STEPS / 2, `only ${result.outcome.applied} of ${STEPS} steps applied`);
      assert.ok(!result.reproduction, describeReproduction(result));
    });
  }
});

/**
 * Shrunk reproductions of drifts the long run (`npm run fuzz -- --steps 10000 --seeds 3`) found,
 * replayed as they are: `{{fixture N}}` is line N of tulu-search.txt without its blank lines.
 */
const FOUND_BY_THE_LONG_RUN: [name: string, steps: string][] = [
  ['seed 200015: a copy of a paper edited into another paper (a letter in its title): which of the two keeps the plain key depends on history', [
    '{"kind":"open","file":"more.digest.txt","text":"# Section 0\\n{{fixture 21}}\\n  a note of mine\\n{{fixture 19}}\\n{{fixture 1}}"}',
    '{"kind":"edit","file":"more.digest.txt","range":[4,40,4,40],"text":"Z"}',
  ].join('\n')],
  ['seed 200016: the paper an edit replaced still holds its key, and the new one gets a suffixed key', [
    '{"kind":"open","file":"pasted.txt","text":"{{fixture 12}}\\n{{fixture 14}}"}',
    '{"kind":"edit","file":"pasted.txt","range":[0,0,0,0],"text":"{{fixture 23}}\\n"}',
    '{"kind":"edit","file":"pasted.txt","range":[2,34,2,34],"text":"; @tudataset2020"}',
  ].join('\n')],
  ['seed 200015 (long run 2026-12-02): a note diagnosed while abstract words still waited kept a "did you mean" from part of the text', [
    '{"kind":"open","file":"tulu.digest.txt","text":"' + Array.from({ length: 25 }, (_, i) => `{{fixture ${i}}}`).join('\\n') + '"}',
    '{"kind":"write","file":"notes/new.tex","text":"# A note\\n\\nWords\\\\citep[p.~3]{tumlu2025} and more.\\n"}',
    '{"kind":"write","file":"tulu.digest.txt","text":"{{fixture 5}}"}',
    '{"kind":"edit","file":"tulu.digest.txt","range":[5,904,5,910],"text":""}',
    '{"kind":"close","file":"tulu.digest.txt"}',
    '{"kind":"delete","file":"second.digest"}',
  ].join('\n')],
];

describe('protocol fuzz: reproductions found by the long run', () => {
  for (const [name, steps] of FOUND_BY_THE_LONG_RUN) {
    it(`${name}: no drift but which paper holds the plain key`, async () => {
      const outcome = await runSteps(stepsFromJson(steps));
      assert.deepEqual(outcome.errors, []);
      assert.deepEqual(outcome.differences, []);
    });
  }
});

describe('protocol fuzz comparison', () => {
  it('sees a drift: a file changed on disk without telling the fuzzed server differs from what a fresh server reads', async () => {
    const outcome = await runSteps([{ kind: 'write', file: 'notes/reading.md', text: 'Now [@nosuch2025].\n', unwatched: true }]);
    assert.deepEqual(outcome.errors, []);
    assert.ok(outcome.differences.some((difference) => difference.startsWith('diagnostics notes/reading.md')), outcome.differences.join('\n'));
    assert.ok(outcome.differences.some((difference) => difference.startsWith('references ')), outcome.differences.join('\n'));
  });

  it('prints steps that read back as the same steps, whole fixture lines abbreviated', () => {
    const steps = generateSteps(3, 300);
    const lines = stepsAsJson(steps);
    assert.ok(lines.some((line) => line.includes('{{fixture ')));
    assert.deepEqual(stepsFromJson(lines.join('\n')), steps);
    assert.deepEqual(generateSteps(3, 300), steps, 'a seed gives the same steps every time');
  });
});
