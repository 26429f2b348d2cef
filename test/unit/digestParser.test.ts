import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { editDigest, parseDigest } from '../../server/src/digest/digestParser';
import { parseEntryLine } from '../../server/src/digest/lineReading';
import { parseMarkedRanges } from './markers';

const FIXTURES = join(__dirname, '..', 'fixtures');

describe('entry lines', () => {
  it('gives every field and its range in the line', () => {
    const { text, ranges } = parseMarkedRanges('«20» «Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2» «Since the release of T\\"ULU [Wang et al., 2023b], open resources have grown.» «11 authors» · «Nov 17, 2023» «5»');
    const [upvotes, title, abstract, authors, date, comments] = ranges;
    const digest = parseDigest(text);
    assert.equal(digest.entries.length, 1);
    const entry = digest.entries[0];
    assert.equal(entry.upvotes, 20);
    assert.equal(entry.title, title.text);
    assert.equal(entry.abstract, abstract.text);
    assert.equal(entry.authors, 11);
    assert.equal(entry.date, '2023-11-17');
    assert.equal(entry.yearInferred, false);
    assert.equal(entry.comments, 5);
    const span = ({ start, end }: { start: number; end: number }) => ({ start, end });
    assert.deepEqual(entry.spans.upvotes, span(upvotes));
    assert.deepEqual(entry.spans.title, span(title));
    assert.deepEqual(entry.spans.abstract, span(abstract));
    assert.deepEqual(entry.spans.authors, span(authors));
    assert.deepEqual(entry.spans.date, span(date));
    assert.deepEqual(entry.spans.comments, span(comments));
  });

  it("reads '-' as no upvotes, '1 author', no comment count, and pasted variants", () => {
    const digest = parseDigest('\ufeff-  FIPO: Free-form Prompt Optimization In the quest to facilitate prompts.  1 author  ·  Feb 18, 2024\r\n');
    assert.equal(digest.hadByteOrderMark, true);
    const [entry] = digest.entries;
    assert.equal(entry.upvotes, null, "'-' is no count, not 0");
    assert.equal(entry.authors, 1);
    assert.equal(entry.comments, null);
    assert.equal(entry.date, '2024-02-18');
    assert.equal(entry.title, 'FIPO: Free-form Prompt Optimization');
  });

  it('honours the title split marker a person typed', () => {
    const { text, ranges } = parseMarkedRanges('3 «Dynamical Properties Of Neurons» «||» «We Propose A Network.» 4 authors · May 9, 2024');
    const [entry] = parseDigest(text).entries;
    assert.equal(entry.title, ranges[0].text);
    assert.equal(entry.abstract, ranges[2].text);
    assert.equal(entry.split.source, 'marker');
    assert.deepEqual(entry.spans.splitMarker, { start: ranges[1].start, end: ranges[1].end });
  });

  it('reports a line that has the tail of an entry but no title or no upvotes', () => {
    assert.equal(parseEntryLine('12 11 authors · Nov 17, 2023').kind, 'broken');
    assert.equal(parseEntryLine('Camels in a Changing Climate 11 authors · Nov 17, 2023').kind, 'broken');
    assert.equal(parseEntryLine('5 Some Title An abstract. 3 authors · Smarch 40').kind, 'broken');
    assert.equal(parseEntryLine('just a remark about authors · and dots').kind, 'none');
    const digest = parseDigest('12 11 authors · Nov 17, 2023');
    assert.equal(digest.problems[0].code, 'broken-entry');
    assert.match(digest.problems[0].message, /no title/);
  });

  it('flags impossible dates and zero authors but keeps the entry', () => {
    const digest = parseDigest('1 A Title Here We study things. 0 authors · Feb 31, 2024');
    assert.equal(digest.entries.length, 1);
    assert.deepEqual(digest.problems.map((p) => p.code).sort(), ['impossible-date', 'no-authors']);
  });
});

describe('digest structure', () => {
  const sample = [
    '# Alignment',                                                       // 0
    '',                                                                  // 1
    '20 Camels in a Changing Climate Since the release of Tulu, open resources grew. 11 authors · Nov 17, 2023 5', // 2
    '  worth reading: section 4',                                        // 3
    '> and the appendix',                                                // 4
    '## Small models',                                                   // 5
    'a line of my own',                                                  // 6
    '    an indented line after a non-entry',                            // 7
    '4 SmolTulu: Higher Learning Rate We present SmolTulu. 1 authors · Dec 11, 2024 2', // 8
    '20 Camels in a Changing Climate Since the release of Tulu, open resources grew. 11 authors · Nov 17, 2023 7', // 9
  ].join('\n');

  it('classifies every line and keeps them all', () => {
    const digest = parseDigest(sample);
    assert.deepEqual(digest.lineKinds, ['heading', 'blank', 'entry', 'note', 'note', 'heading', 'unrecognised', 'unrecognised', 'entry', 'entry']);
    assert.equal(digest.lines.length, 10);
  });

  it('nests headings and attaches entries and notes', () => {
    const digest = parseDigest(sample);
    assert.deepEqual(digest.headings.map((h) => [h.text, h.level, h.parent]), [['Alignment', 1, undefined], ['Small models', 2, 0]]);
    assert.deepEqual(digest.entries.map((e) => e.heading), [0, 1, 1]);
    assert.deepEqual(digest.entries[0].noteLines, [3, 4]);
  });

  it('reports the same paper twice in a file, pointing at the first', () => {
    const duplicate = parseDigest(sample).problems.find((p) => p.code === 'duplicate-entry');
    assert.equal(duplicate?.line, 9);
    assert.equal(duplicate?.relatedLine, 2);
  });

  it('re-reads only edited lines and gives the same result as a full parse', () => {
    const original = parseDigest(sample);
    const edited = editDigest(original, 8, 1, ['9 SmolTulu: Higher Learning Rate We present SmolTulu. 1 authors · Dec 11, 2024 3', '']);
    const lines = sample.split('\n');
    lines.splice(8, 1, '9 SmolTulu: Higher Learning Rate We present SmolTulu. 1 authors · Dec 11, 2024 3', '');
    const full = parseDigest(lines.join('\n'));
    assert.deepEqual({ ...edited, readings: [] }, { ...full, readings: [] });
    assert.equal(edited.readings[2], original.readings[2], 'untouched lines keep their cached reading');
  });

  it('reads an edited line 0 that begins with a byte-order mark as a full parse does', () => {
    const entry = '3 Alpha Paper Title: We study alpha. 2 authors · Jan 3, 2024';
    for (const [before, line0] of [['\uFEFF# Section', '\uFEFF# Long Section'], ['\uFEFF# Section', '# Section'], ['# Section', '\uFEFF# Section'], [`\uFEFF${entry}`, `\uFEFF${entry.replace('3', '4')}`]]) {
      const edited = editDigest(parseDigest(`${before}\n${entry}\n`), 0, 1, [line0]);
      assert.deepEqual({ ...edited, readings: [] }, { ...parseDigest(`${line0}\n${entry}\n`), readings: [] }, JSON.stringify(line0));
    }
  });
});

describe('the year of dates without one', () => {
  it('is the year after the latest year written out in the file', () => {
    const digest = parseDigest('1 Alpha Paper We study alpha. 2 authors · Dec 27, 2024\n2 Beta Paper We study beta. 3 authors · Feb 6');
    assert.deepEqual(digest.entries.map((e) => [e.date, e.yearInferred]), [['2024-12-27', false], ['2025-02-06', true]]);
  });

  it('is the year of a captured: line, which applies to the entries below it', () => {
    const digest = parseDigest([
      '1 Alpha Paper We study alpha. 2 authors · Feb 6',
      'captured: 2023-03-01',
      '2 Beta Paper We study beta. 3 authors · Feb 6',
      '3 Gamma Paper We study gamma. 3 authors · Dec 24',
      'Captured: 2030',
      '4 Delta Paper We study delta. 3 authors · Dec 24',
    ].join('\n'), { fallbackCaptureYear: 2019 });
    assert.deepEqual(digest.entries.map((e) => e.date), ['2019-02-06', '2023-02-06', '2022-12-24', '2030-12-24']);
    assert.equal(digest.lineKinds[1], 'capture');
  });

  it('makes keys carry the inferred year', () => {
    const [entry] = parseDigest('captured: 2025-06-01\n1 FIPO: Free-form Prompting In the quest. 6 authors · Feb 18').entries;
    assert.equal(entry.baseKey, 'fipo2025');
  });
});

describe('the real example digest', () => {
  it('reads all 25 papers of tulu-search.txt with their tails', () => {
    const digest = parseDigest(readFileSync(join(FIXTURES, 'tulu-search.txt'), 'utf8'));
    assert.equal(digest.entries.length, 25);
    assert.equal(digest.problems.filter((p) => p.severity === 'warning').length, 0);
    const camels = digest.entries.find((e) => e.title.startsWith('Camels'))!;
    assert.equal(camels.title, 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2');
    assert.equal(camels.date, '2023-11-17');
    // Yearless dates (Feb 6) belong to the year after the latest one shown (2024).
    const best = digest.entries.find((e) => e.title.startsWith('The Best'))!;
    assert.equal(best.date, '2025-02-06');
    assert.equal(best.yearInferred, true);
  });
});
