/**
 * The client recognises digests with entryLine.ts alone, without the title split: it must answer
 * as the full line parser does, on the corpus and on any line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { looksLikeDigest } from '../../server/src/digest/digestSniffing';
import { hasEntryShape, readEntryFields } from '../../server/src/digest/entryLine';
import { parseEntryLine } from '../../server/src/digest/lineReading';
import { splitLines } from '../../server/src/shared/text';

const FIXTURES = join(__dirname, '..', 'fixtures');
const CORPUS = ['hf-papers-2024.txt', 'tulu-search.txt'].map((name) => readFileSync(join(FIXTURES, name), 'utf8'));

/** looksLikeDigest as it was before it moved out of fileClassifier.ts: with the full line parser. */
function looksLikeDigestWithTitleSplit(text: string): boolean {
  return looksLikeDigest(text, (line) => parseEntryLine(line).kind === 'entry');
}

/** The line read both ways: the light reading must give every field the full one gives but title and abstract. */
function assertSameReading(line: string): void {
  const light = readEntryFields(line);
  const full = parseEntryLine(line);
  assert.equal(light.kind, full.kind, line);
  if (light.kind === 'broken' && full.kind === 'broken') assert.equal(light.message, full.message);
  if (light.kind === 'entry' && full.kind === 'entry') {
    const { title, abstract, ...fullSpans } = full.parts.spans;
    const { title: noTitle, abstract: noAbstract, ...lightSpans } = light.fields.spans;
    assert.deepEqual(lightSpans, fullSpans);
    assert.equal(light.fields.upvotes, full.parts.upvotes);
    assert.equal(light.fields.authors, full.parts.authors);
    assert.deepEqual(light.fields.writtenDate, full.parts.writtenDate);
    assert.equal(light.fields.comments, full.parts.comments);
    assert.equal(line.slice(light.fields.middleStart).startsWith(light.fields.middle), true);
    assert.ok(title.start >= light.fields.middleStart && abstract.end <= light.fields.middleStart + light.fields.middle.length);
  }
}

/** Lines like a digest's, with the pieces that make a line an entry or break it. */
const entryLike = fc.tuple(
  fc.constantFrom('12 ', '- ', '0\t', 'x ', '', '\ufeff3 ', '  4 '),
  fc.array(fc.constantFrom('Scaling', 'laws', 'We', 'show', '||', ' || ', '·', '模型', 'é', '3D', ':', '.'), { maxLength: 12 }).map((words) => words.join(' ')),
  fc.constantFrom(' 3 authors', ' 1 author', ' 0 authors', ' authors', ' 2 authors  ', ''),
  fc.constantFrom(' · Jan 3, 2024', ' · Feb 31', ' · Smarch 2', ' ·Dec 24 7', ' · ', '', ' · Nov 17, 2023 12'),
).map((parts) => parts.join(''));
const anyLine = fc.oneof(entryLike, fc.string({ maxLength: 120 }), fc.constantFrom('# Heading', '> quoted', '  a note', 'captured: 2024-02-20', ''));

describe('digest sniffing without the title split', () => {
  it('reads every line of the corpus as the full parser does', () => {
    for (const text of CORPUS) for (const line of splitLines(text)) assertSameReading(line);
  });

  it('reads any line as the full parser does, and agrees with the cheap entry-shape test', () => {
    fc.assert(fc.property(anyLine, (line) => {
      assertSameReading(line);
      if (hasEntryShape(line)) assert.notEqual(readEntryFields(line).kind, 'none', line);
    }), { numRuns: 3000 });
  });

  it('tells digests from other text as before, from every line of the corpus on', () => {
    for (const text of CORPUS) {
      const lines = splitLines(text);
      for (let start = 0; start < lines.length; start++) {
        const rest = lines.slice(start, start + 12).join('\n');
        assert.equal(looksLikeDigest(rest), looksLikeDigestWithTitleSplit(rest), `from line ${start + 1}`);
      }
      assert.equal(looksLikeDigest(text), true);
    }
  });

  it('tells digests from other text as before, for any lines', () => {
    fc.assert(fc.property(fc.array(anyLine, { maxLength: 12 }), (lines) => {
      const text = lines.join('\n');
      assert.equal(looksLikeDigest(text), looksLikeDigestWithTitleSplit(text));
    }), { numRuns: 3000 });
  });
});
