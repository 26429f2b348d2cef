/** Diagnostics of digests (broken entries, dates, duplicates, doubtful splits, capture year) and notes (unknown keys). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, provideDiagnostics, UNKNOWN_KEY_CODE, UnknownKeyData } from '../../server/src/features/diagnostics';
import { CAPTURE_YEAR, joinLines, TULU, TULU_URI, workspace } from './workspace';

const DIGEST_URI = 'file:///w/a.digest';
const NOTE_URI = 'file:///w/notes/reading.md';

/**
 * A line whose split is ambiguous to a reader too ("Language Models Model" or "... Model
 * Language"?), after a real title of hf-daily-2024-2026 (line 4664): the fitted model gets every
 * corpus line it was fitted on right, so a doubt must come from a line it has not seen.
 */
const DOUBTFUL = '5 Language Models Model Language Models of language are trained on text. 3 authors · Mar 4, 2025';

describe('digest diagnostics', () => {
  it('reports a broken entry with its reason, on the whole line', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines('1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024', '12 11 authors · Nov 17, 2023') });
    const [broken] = provideDiagnostics(ws.index, DIGEST_URI);
    assert.equal(broken.code, 'broken-entry');
    assert.match(String(broken.message), /^broken entry: .*no title/);
    assert.equal(broken.severity, DiagnosticSeverity.Warning);
    assert.equal(broken.source, DIAGNOSTIC_SOURCE);
    assert.deepEqual(broken.range, { start: { line: 1, character: 0 }, end: { line: 1, character: ws.line(1).length } });
  });

  it('reports the second listing of a paper in one file, pointing at the first, as unnecessary', () => {
    const line = '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024';
    const ws = workspace({ [DIGEST_URI]: joinLines(line, '12 11 authors · Nov 17, 2023', line.replace(/^1/, '3')) });
    const duplicate = provideDiagnostics(ws.index, DIGEST_URI).find((d) => d.code === 'duplicate-entry');
    assert.ok(duplicate, 'a duplicate-entry diagnostic');
    assert.equal(duplicate.message, 'the same paper is already listed on line 1');
    assert.equal(duplicate.severity, DiagnosticSeverity.Information);
    assert.deepEqual(duplicate.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 19 } }, 'the title of the second listing');
    assert.deepEqual(duplicate.tags, [DiagnosticTag.Unnecessary]);
    assert.deepEqual(duplicate.relatedInformation, [{
      location: { uri: DIGEST_URI, range: { start: { line: 0, character: 0 }, end: { line: 0, character: line.length } } },
      message: 'first listed here',
    }]);
  });

  it('says nothing of a paper listed once in each of two digests', () => {
    const copy = joinLines('# Copy', TULU.split('\n')[4]);
    const ws = workspace({ [TULU_URI]: TULU, 'file:///w/copy.digest': copy });
    assert.deepEqual(provideDiagnostics(ws.index, 'file:///w/copy.digest'), []);
    assert.equal(ws.index.paperByKey('camels-changing-climate2023')?.locations.length, 2);
  });

  it('reports an impossible date and zero authors on their own spans', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines('3 Gamma Paper Title || We study gamma. 1 author · «Feb 31, 2024»', '4 Delta Paper Title || We study delta. «0 authors» · Feb 3, 2024') });
    const [date, authors] = ws.ranges();
    const diagnostics = provideDiagnostics(ws.index, DIGEST_URI);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message, d.range]), [
      ['impossible-date', 'impossible date: 2024-02-31 does not exist', date],
      ['no-authors', 'the entry says it has 0 authors', authors],
    ]);
  });

  it('finds the impossible date in a file with a BOM, CRLF, lone CR, tabs, zero-width and RTL characters', () => {
    const text = '\ufeff# Mixed\r\n1 Alpha Paper\u200b Title We study \u202ealpha. 2 authors · Jan 3, 2024\r\n\t  \t\n2  Beta\tPaper  Title  We  study  beta.  3 authors  ·  Feb 4, 2024\r3 Gamma Paper Title We study gamma. 1 author · Feb 31, 2024\n';
    const ws = workspace({ 'file:///w/bom-crlf.digest': text });
    const impossible = provideDiagnostics(ws.index, 'file:///w/bom-crlf.digest').filter((d) => d.code === 'impossible-date');
    assert.deepEqual(impossible.map((d) => d.range.start.line), [4]);
  });

  it('hints at a doubtful title split on the title', () => {
    // "Language" may end the title or open the abstract.
    const ws = workspace({ [DIGEST_URI]: DOUBTFUL });
    const diagnostics = provideDiagnostics(ws.index, DIGEST_URI);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['doubtful-split', DiagnosticSeverity.Hint, 0]]);
    const title = ws.digest().digest.entries[0].title;
    assert.deepEqual(diagnostics[0].range, { start: { line: 0, character: 2 }, end: { line: 0, character: 2 + title.length } });
    assert.equal(diagnostics[0].message, "the title may end elsewhere: check it, and type '||' between title and abstract to fix it");
    assert.deepEqual(provideDiagnostics(workspace({ [TULU_URI]: TULU }).index, TULU_URI), [], 'no doubt on the sample, whose splits are right');
  });

  it('does not doubt a split the file writes with ||', () => {
    const line = DOUBTFUL.replace(' Model Language ', ' Model Language || ');
    assert.notEqual(line, DOUBTFUL);
    const ws = workspace({ [DIGEST_URI]: line });
    assert.deepEqual(provideDiagnostics(ws.index, DIGEST_URI), []);
  });

  it('hints on the first entry of a file that writes no year that its dates take the capture year', () => {
    const yearless = joinLines('# Saved long ago', '5 Zero Bubble Pipeline Parallelism || Pipelines are key. 4 authors · Nov 30', '3 Xmodel-2 Technical Report || Xmodel-2 reasons. 12 authors · Dec 24');
    const ws = workspace({ [DIGEST_URI]: yearless });
    const hints = provideDiagnostics(ws.index, DIGEST_URI).filter((d) => d.code === 'assumed-capture-year');
    assert.equal(hints.length, 1, 'one hint for the file');
    assert.equal(hints[0].severity, DiagnosticSeverity.Hint);
    assert.deepEqual(hints[0].range, { start: { line: 1, character: ws.line(1).indexOf('Nov 30') }, end: { line: 1, character: ws.line(1).length } }, 'on the date of the first entry');
    assert.match(String(hints[0].message), new RegExp(`read as ${CAPTURE_YEAR}.*add 'captured: ${CAPTURE_YEAR}'`));
    const written = workspace({ [DIGEST_URI]: joinLines('captured: 2021', ...yearless.split('\n').slice(1)) });
    assert.deepEqual(provideDiagnostics(written.index, DIGEST_URI), [], 'a captured: line says the year');
    const dated = workspace({ [DIGEST_URI]: joinLines(yearless, '1 Old Paper Title || We study. 1 author · Jan 2, 2023') });
    assert.deepEqual(provideDiagnostics(dated.index, DIGEST_URI), [], 'a year written in the file says it');
  });

  it('reports a line longer than the limit and reads the others', () => {
    const ws = workspace({ [DIGEST_URI]: joinLines(`1 Long Line Title ${'y '.repeat(600)} 2 authors · Jan 2, 2024`, '2 Short Paper Title || We study. 1 author · Jan 3, 2024') }, { fallbackCaptureYear: CAPTURE_YEAR, maxLineLength: 1000 });
    assert.deepEqual(provideDiagnostics(ws.index, DIGEST_URI).map((d) => [d.code, d.range.start.line]), [['line-too-long', 0]]);
    assert.deepEqual(ws.digest().digest.entries.map((e) => e.title), ['Short Paper Title']);
  });

  it('reports nothing for a clean, an empty or an unknown file', () => {
    const ws = workspace({ [DIGEST_URI]: '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024', 'file:///w/empty.digest': '' });
    assert.deepEqual(provideDiagnostics(ws.index, DIGEST_URI), []);
    assert.deepEqual(provideDiagnostics(ws.index, 'file:///w/empty.digest'), []);
    assert.deepEqual(provideDiagnostics(ws.index, 'file:///w/nowhere.digest'), []);
  });
});

describe('note diagnostics', () => {
  it('reports an unknown key with the closest known key, and carries the suggestions for the quick fix', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: joinLines('# Notes', 'Tulu 2 [@camels-changing-climate2023; @fipo2024].', 'Small models: @smoltulu2024. Unknown: @«smoltulu2023».') });
    const diagnostics = provideDiagnostics(ws.index, NOTE_URI);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [unknown] = diagnostics;
    assert.equal(unknown.message, "unknown citation key 'smoltulu2023' (did you mean 'smoltulu2024'?)");
    assert.equal(unknown.code, UNKNOWN_KEY_CODE);
    assert.equal(unknown.severity, DiagnosticSeverity.Warning);
    assert.equal(unknown.source, DIAGNOSTIC_SOURCE);
    assert.deepEqual(unknown.range, ws.ranges(NOTE_URI)[0], 'the key, without the @');
    assert.equal((unknown.data as UnknownKeyData).suggestions[0], 'smoltulu2024');
    assert.ok((unknown.data as UnknownKeyData).suggestions.length <= 3);
  });

  it('reports an unknown key with nothing close without a guess, keeping its text as written', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: 'About @nokey<script>.\n' });
    // `<` followed by a letter is internal punctuation of a Pandoc key, so the key is `nokey<script`.
    assert.deepEqual(provideDiagnostics(ws.index, NOTE_URI).map((d) => [d.message, (d.data as UnknownKeyData).suggestions]), [["unknown citation key 'nokey<script'", []]]);
  });

  it('reports no unknown key in Markdown code, HTML comments, raw HTML and LaTeX, math, example references or Quarto cross-references', () => {
    const note = joinLines(
      '---',
      'title: "Notes on @«yamlkey»"',
      '---',
      '',
      '```python',
      '@decorator',
      '```',
      '',
      '    @indented',
      '',
      '<!-- @commented',
      '',
      'still @commented -->',
      '',
      '<pre>',
      '@preformatted',
      '</pre>',
      '',
      '(@good) An example; see @good, `@code span',
      'across lines`, $@math$ and <span title="@attribute">@«unknown2024»</span>.',
      '',
      'As @fig-plot and @tbl-summary show [@sec-intro; @fipo2024].',
    );
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: note });
    const diagnostics = provideDiagnostics(ws.index, NOTE_URI);
    assert.deepEqual(diagnostics.map((d) => d.range), ws.ranges(NOTE_URI), diagnostics.map((d) => d.message).join('; '));
  });

  it('reports unknown keys in LaTeX \\cite commands, each of several', () => {
    const ws = workspace({ [TULU_URI]: TULU, 'file:///w/notes/paper.tex': '\\citep{fipo2024, «fipo2023», «nothing-like-it»}' });
    const diagnostics = provideDiagnostics(ws.index, 'file:///w/notes/paper.tex');
    assert.deepEqual(diagnostics.map((d) => d.range), ws.ranges('file:///w/notes/paper.tex'));
    assert.equal(diagnostics[0].message, "unknown citation key 'fipo2023' (did you mean 'fipo2024'?)");
  });

  it('reports no unknown key inside a LaTeX verbatim environment, a comment, \\verb, a volume or \\nocite{*}', () => {
    const uri = 'file:///w/notes/paper.tex';
    const ws = workspace({ [TULU_URI]: TULU, [uri]: joinLines('\\begin{verbatim}', '\\cite{not-a-key}', '\\end{verbatim}', '% \\cite{commented}', '\\verb|\\cite{code}| \\volcite{3}[45]{fipo2024} \\nocite{*} \\Citet{«fipo2023»}') });
    assert.deepEqual(provideDiagnostics(ws.index, uri).map((d) => d.range), ws.ranges(uri));
  });

  it('clears once the paper appears in a digest', () => {
    const ws = workspace({ [NOTE_URI]: 'See @alpha-paper-title2024.' });
    assert.equal(provideDiagnostics(ws.index, NOTE_URI).length, 1);
    ws.index.setDigestText(DIGEST_URI, '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024');
    assert.deepEqual(provideDiagnostics(ws.index, NOTE_URI), []);
  });
});
