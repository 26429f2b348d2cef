import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanLatexCitations, scanMarkdownCitations } from '../../server/src/notes/noteCitations';
import { isMarkdownProseAt } from '../../server/src/notes/markdownCitations';
import { parseMarkedRanges } from './markers';

/** Every «marked» range must be found as a citation key, and nothing else. */
function assertMarkdownKeys(marked: string): void {
  const { text, ranges } = parseMarkedRanges(marked);
  const found = scanMarkdownCitations(text).map(({ key, line, start, end }) => ({ key, line, start, end }));
  assert.deepEqual(found, ranges.map(({ text: key, line, start, end }) => ({ key, line, start, end })));
}

describe('Pandoc citations in Markdown', () => {
  it('finds bare, bracketed and multiple citations with their key ranges', () => {
    assertMarkdownKeys('DPO at 70B scale works [@«camels2023»; @«fipo2024», p. 3], and @«smoltulu2024» says so too.');
  });

  it('handles locators, prefixes, suppressed authors and braces', () => {
    const marked = '[see @«a1», pp. 33-35; also @«b_2», chap. 1] and -@«suppressed» and @{«doi:10.1000/{x}.y»}, not @{key with spaces}.';
    assertMarkdownKeys(marked);
    const { text } = parseMarkedRanges(marked);
    const citations = scanMarkdownCitations(text);
    assert.equal(citations[0].bracketed, true);
    assert.equal(citations[2].suppressAuthor, true);
    assert.equal(citations[2].bracketed, undefined);
    assert.equal(citations[3].braced, true);
  });

  it('keeps internal punctuation but not trailing punctuation', () => {
    assertMarkdownKeys('As @«doe:2020.v2» shows. Also @«x-y+z»: and @«smith2020»... and (@«paren»).');
  });

  it('ignores e-mail addresses, escaped @ and code, and reads an @ after / as Pandoc does', () => {
    assertMarkdownKeys([
      'Write to someone@example.com or \\@notakey; see https://medium.com/@«author».',
      'Inline `@code` is code but @«real» is not.',
      '```python',
      '@decorator',
      '```',
      'After the fence @«after».',
    ].join('\n'));
  });

  it('reads keys in any script, and a citation at the very start and end of a line', () => {
    assertMarkdownKeys('@«türkçe2024» and @«模型2024»\nend @«last»');
  });

  it('reads keys, code, examples and metadata exactly as pandoc -f markdown does', () => {
    assertMarkdownKeys([
      '---',
      'title: "On @«meta» and \\\\@escaped"',
      'notes_: "@ignored"',
      '---',
      '',
      '@«https://openreview.net/forum?id»=x, _@«under», *em*@closed, end.@dot, @{«a{b}c»}, @{no spaces}.',
      '```` x @span ````',
      'after the one-line code span @«after».',
      '',
      '(@ex) An example, cited as @ex but [@«ex»] is a citation; <!-- @c --> `@code',
      'wrapped` $@math$ [link](http://x/@path){key="@attr"} \\emph{@tex} @«fig-x».',
    ].join('\n'));
    const { text } = parseMarkedRanges('@fig-x and @tbl-y, @figure');
    assert.deepEqual(scanMarkdownCitations(text).map((c) => c.crossReference ?? false), [true, true, false]);
  });

  it('does not treat a lone @ or @ before a space as a citation', () => {
    assertMarkdownKeys('an @ sign, @ twice, @-nope and @.');
  });
});

describe('where Markdown prose is (for completion)', () => {
  it('tells text from code blocks and comments', () => {
    const text = ['See @a', '```', '@b', '```', '', '    @c', '', '<!-- @d', '-->', '- item @e'].join('\n');
    assert.deepEqual([0, 2, 5, 7, 9].map((line) => isMarkdownProseAt(text, line, 5)), [true, false, false, false, true]);
    assert.equal(isMarkdownProseAt(text, 9, 0), false, 'the list marker is no text');
  });
});

describe('LaTeX citations', () => {
  function assertLatexKeys(marked: string): void {
    const { text, ranges } = parseMarkedRanges(marked);
    const found = scanLatexCitations(text).map(({ key, line, start, end }) => ({ key, line, start, end }));
    assert.deepEqual(found, ranges.map(({ text: key, line, start, end }) => ({ key, line, start, end })));
  }

  it('finds \\cite and its relatives, with several keys and optional arguments', () => {
    assertLatexKeys('\\cite{«a»,«b»} \\citep[p.~3]{«c»} \\citet*{«d»} \\parencite[see][12]{ «e» } \\textcite{«f»} \\nocite{«g»}');
  });

  it('reads every group of the multi-cite forms and skips comments', () => {
    assertLatexKeys('\\cites{«a»}[p. 2]{«b»} % \\cite{commented}\n50\\% as \\autocite{«c»} shows');
  });
});
