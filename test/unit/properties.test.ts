/**
 * Property tests: for any text, the parser and the citation scanners never throw, every range lies
 * inside its line, an entry's fields come in order without overlapping, and reading a line depends
 * only on the line (and the year rule).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDigest, parseEntryLine, splitLines } from '../../server/src/digestParser';
import { scanLatexCitations, scanMarkdownCitations } from '../../server/src/noteCitations';
import { splitTitleAbstract } from '../../server/src/titleSplit';

const RUNS = { numRuns: 400 };

/** Text that looks like digest lines often enough to reach deep paths, plus arbitrary noise. */
const word = fc.stringMatching(/^[A-Za-z0-9\-:()$\\^_{}[\]<>&'"é\u200b\u202eπ模]{1,12}$/);
const entryLike = fc.tuple(
  fc.oneof(fc.nat(999).map(String), fc.constant('-')),
  fc.array(word, { minLength: 0, maxLength: 30 }),
  fc.nat(60),
  fc.constantFrom('Jan 3, 2024', 'Feb 31', 'Dec 24', 'Smarch 2', 'Nov 17, 2023'),
  fc.option(fc.nat(20)),
  fc.constantFrom(' ', '  ', '\t'),
).map(([up, words, authors, date, comments, gap]) => `${up}${gap}${words.join(' ')}${gap}${authors} author${authors === 1 ? '' : 's'} · ${date}${comments === null ? '' : ` ${comments}`}`);
const anyLine = fc.oneof(entryLike, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('# Heading', '  a note', '> quoted', 'captured: 2025-02-20', '', '\ufeff'));
const digestText = fc.array(anyLine, { maxLength: 25 }).chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => lines.join(eol)));

describe('digest parser properties', () => {
  it('never throws, and every range lies inside its line, fields in order without overlap', () => {
    fc.assert(fc.property(digestText, (text) => {
      const digest = parseDigest(text, { fallbackCaptureYear: 2024 });
      assert.equal(digest.lineKinds.length, digest.lines.length);
      for (const entry of digest.entries) {
        const length = digest.lines[entry.line].length;
        const spans = [entry.spans.upvotes, entry.spans.title, entry.spans.abstract, entry.spans.authors, entry.spans.date, entry.spans.comments].filter((s) => s !== undefined);
        let previousEnd = 0;
        for (const span of spans) {
          assert.ok(span.start >= 0 && span.start <= span.end && span.end <= length, `span ${JSON.stringify(span)} in a line of ${length}`);
          assert.ok(span.start >= previousEnd, `fields overlap or are out of order: ${JSON.stringify(spans)}`);
          previousEnd = span.end;
        }
        assert.equal(digest.lines[entry.line].slice(entry.spans.title.start, entry.spans.title.end), entry.title);
      }
      for (const problem of digest.problems) {
        assert.ok(problem.span.end <= digest.lines[problem.line].length);
      }
    }), RUNS);
  });

  it('reads a line the same wherever it stands', () => {
    fc.assert(fc.property(entryLike, digestText, (line, context) => {
      const alone = parseEntryLine(line);
      const lines = splitLines(context);
      const inside = parseDigest([...lines, line].join('\n'), { fallbackCaptureYear: 2024 });
      const entry = inside.entries.find((e) => e.line === lines.length);
      if (alone.kind === 'entry' && entry) {
        assert.equal(entry.title, alone.parts.title);
        assert.equal(entry.abstract, alone.parts.abstract);
        assert.deepEqual(entry.spans, alone.parts.spans);
      }
    }), RUNS);
  });

  it("honours the first ' || ' as the split marker, whatever bars and spaces surround it", () => {
    const middle = fc.array(fc.constantFrom(' ', '|', 'a', 'B', ' || '), { minLength: 1, maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(fc.property(middle, (text) => {
      const line = `7 T${text}x 2 authors · Jan 3, 2024`;
      const parsed = parseEntryLine(line);
      if (parsed.kind !== 'entry') return;
      // The marker can only be found inside the middle of the line (after "7 ", before " 2 authors").
      const middleEnd = line.lastIndexOf(' 2 authors');
      const at = line.slice(0, middleEnd).trimEnd().indexOf(' || ', 2);
      if (at < 0) assert.equal(parsed.parts.spans.splitMarker, undefined);
      else assert.deepEqual(parsed.parts.spans.splitMarker, { start: at + 1, end: at + 3 });
    }), RUNS);
  });

  it('splits any text without throwing, within bounds', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
      const split = splitTitleAbstract(text);
      assert.ok(split.titleLength >= 0 && split.titleLength <= text.length);
      assert.ok(split.confidence >= 0 && split.confidence <= 1);
    }), RUNS);
  });
});

describe('citation scanner properties', () => {
  const noteText = fc.array(fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('[@a; -@b, p. 3]', '@{x y}', 'me@x.org', '```', '`@code`', '\\cite[p.~2]{a, b}', '\\cites{a}{b', '% \\cite{c}', '@', '@{', '\\@x'),
  ), { maxLength: 20 }).map((parts) => parts.join(''));

  it('never throws, and every key range lies inside its line and holds the key', () => {
    fc.assert(fc.property(noteText, (text) => {
      const lines = splitLines(text);
      for (const citation of [...scanMarkdownCitations(text), ...scanLatexCitations(text)]) {
        const line = lines[citation.line];
        assert.ok(citation.start >= 0 && citation.start < citation.end && citation.end <= line.length);
        assert.equal(line.slice(citation.start, citation.end), citation.key);
      }
    }), RUNS);
  });
});
