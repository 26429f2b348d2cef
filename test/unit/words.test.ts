/**
 * Words of the search: a query must be read into the words the index stored, or a paper is not
 * found by its own title. The index reads words through the vocabulary (in place, by hash, on the
 * main thread and on parse workers); queries read them as strings. Before both came from one scan,
 * a query of `𝐀` gave `A` where the index stored `a`, and Greek `ΟΔΟΣ.Α` gave `οδοσ` where it
 * stored `οδος`; these properties would have failed on them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { foldText } from '../../server/src/shared/text';
import { SearchIndex } from '../../server/src/index/searchIndex';
import { prepareWords } from '../../server/src/index/vocabulary';
import { searchWords } from '../../server/src/index/words';

const RUNS = { numRuns: 2000 };

/**
 * Characters where word rules go wrong: ASCII of both cases, digits, apostrophes and hyphens,
 * diacritics precomposed and combining, letters that fold to two (ß, ﬁ) or change length in lower
 * case (İ), Greek capital sigma (its lower case depends on what follows), CJK, full-width Latin,
 * fractions, zero-width and joining characters, surrogate pairs (mathematical capitals, emoji, rare
 * CJK) and lone surrogates.
 */
const tricky = [...'aZq9 0\t-\'’‐.:_/éÉüÜßİıΣσςΑΩ模型字ａＡ½²\u0301\u0308\u200b\u200d\u00ad'].concat(['𝐀', '𝚺', '😀', '𠀀', '\ud800', '\udc00']);
const text = fc.oneof(
  fc.array(fc.constantFrom(...tricky), { maxLength: 40 }).map((units) => units.join('')),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** The words the index stores for `title`, in text order, each once (as a parse worker finds them). */
function indexedWords(title: string, lineText?: string, titleStart?: number): string[] {
  const prepared = prepareWords(1, [{ line: 0, keyWords: '', title, lineText, titleStart }]);
  return [...prepared.wordIds.subarray(prepared.lineStarts[0], prepared.lineStarts[1])]
    .map((k) => prepared.wordText.slice(prepared.wordStarts[k], prepared.wordStarts[k + 1]));
}

/**
 * The rule, stated plainly: maximal runs of code units that are letters, digits, marks or
 * surrogates, each lower-cased with diacritics removed (and dropped when nothing is left).
 */
function referenceWords(text: string): string[] {
  const isWordUnit = (unit: string) => /[\p{L}\p{N}\p{M}]/u.test(unit) || /[\ud800-\udfff]/.test(unit);
  const words: string[] = [];
  let run = '';
  for (const unit of [...text.split(''), ' ']) {
    if (isWordUnit(unit)) { run += unit; continue; }
    const word = foldText(run).replace(/\p{M}+/gu, '').toLowerCase();
    if (word) words.push(word);
    run = '';
  }
  return words;
}

describe('search words', () => {
  it('reads a query into the words the index stores for the same text', () => {
    fc.assert(fc.property(text, (t) => {
      assert.deepEqual(indexedWords(t), [...new Set(searchWords(t))]);
    }), RUNS);
  });

  it('reads a title in its line as it reads the title alone', () => {
    fc.assert(fc.property(text, text, text, (before, title, after) => {
      assert.deepEqual(indexedWords(title, `${before}${title}${after}`, before.length), indexedWords(title));
    }), RUNS);
  });

  it('finds the words the plain rule gives', () => {
    fc.assert(fc.property(text, (t) => {
      assert.deepEqual(searchWords(t), referenceWords(t));
    }), RUNS);
  });

  it('folds case, diacritics and compatibility forms, and keeps scripts and digits', () => {
    assert.deepEqual(searchWords("Türkçe İstanbul Straße ﬁne ΟΔΟΣ.Α 𝐀𝐁 大型语言模型 GPT-4o don't 3D"),
      ['turkce', 'istanbul', 'strasse', 'fine', 'οδος', 'α', 'ab', '大型语言模型', 'gpt', '4o', 'don', 't', '3d']);
  });

  it('finds a paper by any word of its title as typed', () => {
    const titles = fc.array(fc.array(fc.constantFrom(...tricky), { minLength: 1, maxLength: 12 }).map((units) => units.join('')), { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
    fc.assert(fc.property(titles, (title) => {
      const index = new SearchIndex();
      index.add(0, { key: 'k', keyWords: 'k', title, abstract: '' });
      for (const typed of title.split(' ').filter((word) => searchWords(word).length > 0)) {
        assert.ok(index.search(typed).some((hit) => hit.id === 0), `'${typed}' does not find '${title}'`);
      }
    }), { numRuns: 300 });
  });
});
