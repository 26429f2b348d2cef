/**
 * Property tests: for any text, the parser and the citation scanners never throw, every range lies
 * inside its line, an entry's fields come in order without overlapping, reading a line depends
 * only on the line (and the year rule), and an edited digest is the one a full parse gives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { editDigest, parseDigest, ParsedDigest } from '../../server/src/digest/digestParser';
import { parseEntryLine } from '../../server/src/digest/lineReading';
import { packDigest, unpackDigest } from '../../server/src/loading/digestTransfer';
import { scanLatexCitations, scanMarkdownCitations } from '../../server/src/notes/noteCitations';
import { splitTitleAbstract } from '../../server/src/digest/titleSplit';
import { splitLines } from '../../server/src/shared/text';

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

  it('edits a digest into what a full parse of the edited text gives', () => {
    // Few titles, so that the same paper recurs; dates with and without a year, around a capture date.
    const title = fc.constantFrom('Zero Bubble Pipeline Parallelism', 'Tulu 3: Pushing Frontiers', 'SmolTulu Higher Learning Rate', 'A Study of Camels');
    const date = fc.constantFrom('Nov 30, 2023', 'Feb 6', 'Dec 24', 'Feb 31', 'Mar 1, 2024', 'Jan 2, 2025', 'Feb 20');
    const entry = fc.tuple(fc.oneof(fc.nat(99).map(String), fc.constant('-')), title, fc.constantFrom('We study it.', 'It is shown here.', ''), fc.nat(4), date, fc.option(fc.nat(9)))
      .map(([up, t, abstract, authors, d, comments]) => `${up} ${t} ${abstract} ${authors} authors · ${d}${comments === null ? '' : ` ${comments}`}`);
    const line = fc.oneof({ weight: 6, arbitrary: entry }, fc.constantFrom('# Heading', '## Sub', '  a note', '> quoted', 'captured: 2025-02-20', 'captured: 2024', '', 'just words', 'arXiv: 2311.10702 · authors: A B, C D', 'authors: E F', 'arxiv: soon'));
    const edit = fc.record({
      lines: fc.array(line, { minLength: 1, maxLength: 30 }),
      edits: fc.array(fc.record({ at: fc.nat(40), count: fc.nat(2), inserted: fc.array(line, { maxLength: 3 }), sameCount: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      viaWorker: fc.boolean(),
      firstYear: fc.constantFrom(2023, 2024),
      editYear: fc.constantFrom(2023, 2024),
    });
    fc.assert(fc.property(edit, ({ lines, edits, viaWorker, firstYear, editYear }) => {
      const parsed = parseDigest(lines.join('\n'), { fallbackCaptureYear: firstYear });
      let digest: ParsedDigest = viaWorker ? unpackDigest(packDigest(parsed)) : parsed;
      const current = [...lines];
      for (const { at, count, inserted, sameCount } of edits) {
        const start = Math.min(at, current.length - 1);
        const deleteCount = Math.min(sameCount ? Math.max(1, inserted.length) : count, current.length - start);
        const replacement = sameCount ? inserted.slice(0, deleteCount) : inserted;
        while (sameCount && replacement.length < deleteCount) replacement.push(current[start + replacement.length].replace(/^\d+/, '7'));
        if (current.length - deleteCount + replacement.length === 0) continue; // a file has at least one line
        digest = editDigest(digest, start, deleteCount, replacement, { fallbackCaptureYear: editYear });
        current.splice(start, deleteCount, ...replacement);
        const full = parseDigest(current.join('\n'), { fallbackCaptureYear: editYear });
        assert.deepStrictEqual({ ...digest, readings: [] }, { ...full, readings: [] });
      }
    }), { numRuns: Number(process.env.EDIT_RUNS ?? 1500) }); // EDIT_RUNS=60000 searches longer
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
