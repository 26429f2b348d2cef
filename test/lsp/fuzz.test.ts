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
  ['seed 200015 (long run 2026-12-02, second): a note deleted while a reindex walked came back with what the walk had read of it', [
    '{"kind":"rename","from":"listing.txt","to":"pasted.txt"}',
    '{"kind":"write","file":"fresh.digest","text":"# Section 0\\n{{fixture 9}}\\n{{fixture 9}}\\n{{fixture 11}}"}',
    '{"kind":"write","file":"notes/new.md","text":"# A note\\n\\nWords[see @h2o-danube-18b-technical-report2024, p. 3] and more.\\nMore [@smoltulu2024].\\n"}',
    '{"kind":"write","file":"sub/deep.digest","text":"{{fixture 3}}\\n  a note of mine\\n{{fixture 12}}\\n{{fixture 23}}\\n  a note of mine"}',
    '{"kind":"edit","file":"notes/paper.tex","range":[0,968,0,968],"text":"\\n\\n"}',
    '{"kind":"reindex"}',
    '{"kind":"edit","file":"fresh.digest","range":[0,110,0,110],"text":"\\r\\n"}',
    '{"kind":"pause","ms":20}',
    '{"kind":"delete","file":"notes/new.md"}',
    '{"kind":"request","method":"completion","file":"fresh.digest","at":[3,0]}',
  ].join('\n')],
  ['seed 100012 (long run 2026-12-02): an edit right after a settings change that walks re-read its lines with the new maxLineLength, the others kept the old reading (consistency mode)', [
    '{"kind":"open","file":"notes/sub/other.md","text":"# A note\\n\\nWords @sailor2-2025 and more.\\nWords -@tudataset2020 and more.\\n"}',
    '{"kind":"settings","settings":{"detectTextDigests":true,"maxLineLength":1000}}',
    '{"kind":"request","method":"completion","file":"second.digest","at":[1,604]}',
    '{"kind":"open","file":"more.digest.txt","text":"# Section 8\\n{{fixture 1}}\\n{{fixture 18}}\\n{{fixture 12}}\\n  a note of mine"}',
    '{"kind":"edit","file":"notes/sub/other.md","range":[3,26,3,26],"text":"\\n"}',
    '{"kind":"settings","settings":{"exclude":["notes/sub/**"]}}',
    '{"kind":"request","method":"hover","file":"notes/sub/other.md","at":[5,0]}',
    '{"kind":"edit","file":"more.digest.txt","range":[0,11,1,0],"text":"\\r"}',
  ].join('\n')],
  ['seed 200003 (long run 2026-12-02): the same, with a byte-order mark and CR+LF', [
    '{"kind":"open","file":"fresh.digest","text":"﻿{{fixture 23}}\\r\\n20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 Since the release of T\\\\\\"ULU [Wang et al., 2023b], open resources for instruction tuning have developed quickly, from better base models to new finetuning techniques. We test and incorporate a number of these advances into T\\\\\\"ULU, resulting in T\\\\\\"ULU 2, a suite of improved T\\\\\\"ULU models for advancing the understanding and best practices of adapting pretrained language models to downstream tasks and user preferences. Concretely, we release: (1) T\\\\\\"ULU-V2-mix, an improved collection of high-quality instruction datasets; (2) T\\\\\\"ULU 2, LLAMA-2 models finetuned on the V2 mixture; (3) T\\\\\\"ULU 2+DPO, T\\\\\\"ULU 2 models trained with direct preference optimization (DPO), including the largest DPO-trained modate (T\\\\\\"ULU 2+DPO 70B); (4) CODE T\\\\\\"ULU 2, CODE LLAMA models finetuned on our V2 mix that outperform CODE LLAMA and its instruction-tuned variant, CODE LLAMA-Instruct. Our evaluation from multiple perspectives shows that the T\\\\\\"ULU 2 suite achieves state-of-the-art performance among open models and matches or exceeds the performance of GPT-3.5-turbo-0301 on several benchmarks. We release all the checkpoints, data, training and evaluation code to facilitate future open efforts on adapting large language models. 11 authors · Nov 17, 2023 5\\r\\n2 TUMLU: A Unified and Native Language Understanding Benchmark for Turkic Languages Being able to thoroughly assess massive multi-task language understanding (MMLU) capabilities is essential for advancing the applicability of multilingual language models. However, preparing such benchmarks in high quality native language is often costly and therefore limits the representativeness of evaluation datasets. While recent efforts focused on building more inclusive MMLU benchmarks, these are conventionally built using machine translation from high-resource languages, which may introduce errors and fail to account for the linguistic and cultural intricacies of the target languages. In this paper, we address the lack of native language MMLU benchmark especially in the under-represented Turkic language family with distinct morphosyntactic and cultural characteristics. We propose two benchmarks for Turkic language MMLU: TUMLU is a comprehensive, multilingual, and natively developed language understanding benchmark specifically designed for Turkic languages. It consists of middle- and high-school level questions spanning 11 academic subjects in Azerbaijani, Crimean Tatar, Karakalpak, Kazakh, Tatar, Turkish, Uyghur, and Uzbek. We also present TUMLU-mini, a more concise, balanced, and manually verified subset of the dataset. Using this dataset, we systematically evaluate a diverse range of open and proprietary multilingual large language models (LLMs), including Claude, Gemini, GPT, and LLa:MA, offering an in-depth analysis of their performance across different languages, subjects, and alphabets. To promote further research and development in multilingual language understanding, we release TUMLU-mini and all corresponding evaluation scripts. 16 authors · Feb 16\\r\\n  a note of mine\\r\\n16 PanGu-π: Enhancing Language Model Architectures via Nonlinearity Compensation The recent trend of large language models (LLMs) is to increase the scale of both model size (\\\\aka the number of parameters) and dataset to achieve better generative ability, which is definitely proved by a lot of work such as the famous GPT and Llama. However, large models often involve massive computational costs, and practical applications cannot afford such high prices. However, the method of constructing a strong model architecture for LLMs is rarely discussed. We first analyze the state-of-the-art language model architectures and observe the feature collapse problem. Based on the theoretical analysis, we propose that the nonlinearity is also very important for language models, which is usually studied in convolutional neural networks for vision tasks. The series informed activation function is then introduced with tiny calculations that can be ignored, and an augmented st is further used to enhance the model nonlinearity. We then demonstrate that the proposed approach is significantly effective for enhancing the model nonlinearity through carefully designed ablations; thus, we present a new efficient model architecture for establishing modern, namely, PanGu-pi. Experiments are then conducted using the same dataset and training strategy to compare PanGu-pi with state-of-the-art LLMs. The results show that PanGu-pi-7B can achieve a comparable performance to that of benchmarks with about 10\\\\% inference speed-up, and PanGu-pi-1B can achieve state-of-the-art performance in terms of accuracy and efficiency. In addition, we have deployed PanGu-pi-7B in the high-value domains of finance and law, developing an LLM named YunShan for practical application. The results show that YunShan can surpass other models with similar scales on benchmarks. 20 authors · Dec 27, 2023 1"}',
    '{"kind":"settings","settings":{"maxLineLength":1300,"markdownNotes":["notes/**/*.md"]}}',
    '{"kind":"request","method":"hover","file":"fresh.digest","at":[0,968]}',
    '{"kind":"edit","file":"fresh.digest","range":[3,565,3,572],"text":""}',
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

describe('protocol fuzz: differences the key rule explains', () => {
  it('seed 300005 (long run 2026-12-02): a copy of a cited paper edited into another paper; the fuzzed server keeps the key on the first, a fresh one gives it by walk order, and both warn that it is ambiguous', async () => {
    const outcome = await runSteps(stepsFromJson([
      '{"kind":"write","file":"notes/sub/other.md","text":"# A note\\n\\nWords; @piccolo2-2024 and more.\\nWords [@btlm-3b-8k2023] and more.\\nWords @scaling-laws-linear2024 and more.\\n"}',
      '{"kind":"open","file":"pasted.txt","text":"# Section 4\\r\\n{{fixture 12}}\\r\\n{{fixture 8}}"}',
      '{"kind":"edit","file":"pasted.txt","range":[1,30,1,31],"text":""}',
    ].join('\n')));
    assert.deepEqual(outcome.errors, []);
    assert.deepEqual(outcome.differences, []);
    assert.deepEqual(outcome.explained, ['notes/sub/other.md:3:8-3:22: the fuzzed server names tulu.digest.txt:12, a fresh one pasted.txt:1 (both warn the key is ambiguous between pasted.txt:1, tulu.digest.txt:12)']);
  });
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
