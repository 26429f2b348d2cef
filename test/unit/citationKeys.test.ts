import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseKey, disambiguatedKey, isValidPinnedKey, paperIdentity, paperKeyParts } from '../../server/src/digest/citationKeys';

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

  it('leaves a version suffix out of key and identity: "FIPO (v2)" is FIPO', () => {
    assert.equal(paperIdentity('FIPO: Fine Policy Optimisation (v2)', 2024), paperIdentity('FIPO: Fine Policy Optimisation', 2024));
    assert.equal(paperIdentity('Zero Bubble Pipeline Parallelism [Version 3]', 2023), paperIdentity('Zero Bubble Pipeline Parallelism', 2023));
    assert.equal(baseKey('Tulu (v2)', 2024), 'tulu2024');
    assert.deepEqual(paperKeyParts('Tulu (v2)', 2024), { baseKey: baseKey('Tulu', 2024), identity: paperIdentity('Tulu', 2024) });
    // A version that is part of the name stays: YOLO v2 is another paper than YOLO, as is "(2)".
    assert.notEqual(paperIdentity('YOLO v2', 2024), paperIdentity('YOLO', 2024));
    assert.notEqual(paperIdentity('Models (2)', 2024), paperIdentity('Models', 2024));
    assert.equal(baseKey('(v2)', 2024), baseKey('(v2)', 2024), 'a title that is only a version keeps it');
  });

  it('accepts as pinned keys only keys Pandoc and LaTeX read as written', () => {
    for (const key of ['tulu2023', 'Vaswani2017', 'doi:10.1/x', 'a_b', 'tulu-3.1', 'c+x', 'ü2024']) assert.ok(isValidPinnedKey(key), key);
    for (const key of ['', 'two words', 'a,b', 'x-', '-x', 'a{b}', 'a%b', 'a#b', 'c++x', 'a\\b', 'x'.repeat(201)]) assert.ok(!isValidPinnedKey(key), key);
    for (const key of ['tulu2023', 'doi:10.1/x', 'tulu-3.1']) assert.match(key, PANDOC_KEY);
  });
});
