import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseKey, disambiguatedKey, paperIdentity } from '../../server/src/digest/citationKeys';

/** Pandoc's key syntax: starts with a letter, digit or _, then letters, digits, _ and internal punctuation. */
const PANDOC_KEY = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

describe('citation keys', () => {
  it('uses a short name before a colon, or the first significant title words, plus the year', () => {
    assert.equal(baseKey('FIPO: Free-form Instruction-oriented Prompt Optimization', 2024), 'fipo2024');
    assert.equal(baseKey('SmolTulu: Higher Learning Rate to Batch Size Ratios', 2024), 'smoltulu2024');
    assert.equal(baseKey('Baichuan 2: Open Large-scale Language Models', 2023), 'baichuan-2-2023');
    assert.equal(baseKey('Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2', 2023), 'camels-changing-climate2023');
    assert.equal(baseKey('The Best Instruction-Tuning Data are Those That Fit', 2025), 'best-instruction-tuning-data2025');
    assert.equal(baseKey('Xmodel-2 Technical Report', 2024), 'xmodel-2-technical-report2024');
  });

  it('folds diacritics and keeps other scripts', () => {
    assert.equal(baseKey('Türkçe Dil Modellerinin Performans Karşılaştırması', 2024), 'turkce-dil-modellerinin2024');
    assert.equal(baseKey('大语言模型: 综述', 2024), '大语言模型2024');
  });

  it('gives every title a valid Pandoc key, even one without letters', () => {
    for (const title of ['?!', '', '  ', '$^{2}$: Squares', 'MC^2: A Multilingual Corpus', 'π-Bench', '“Quoted” Title']) {
      const key = baseKey(title, 2024);
      assert.match(key, PANDOC_KEY, `key '${key}' for title '${title}'`);
    }
  });

  it('is deterministic and disambiguates from the paper alone', () => {
    const identity = paperIdentity('Large Language Models Are Great', 2024);
    assert.equal(disambiguatedKey('large-language-models2024', identity), disambiguatedKey('large-language-models2024', identity));
    assert.notEqual(disambiguatedKey('large-language-models2024', identity), disambiguatedKey('large-language-models2024', paperIdentity('Large Language Models Are Bad', 2024)));
    assert.match(disambiguatedKey('large-language-models2024', identity), PANDOC_KEY);
  });

  it('treats the same title with other spacing or case as the same paper', () => {
    assert.equal(paperIdentity('Zero  Bubble Pipeline Parallelism', 2023), paperIdentity('zero bubble pipeline parallelism', 2023));
    assert.notEqual(paperIdentity('Zero Bubble Pipeline Parallelism', 2023), paperIdentity('Zero Bubble Pipeline Parallelism', 2024));
  });
});
