/** Hover: the paper card on an entry line of a digest and on a citation in a note. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provideHover } from '../../server/src/features/hover';
import { assertInertMarkdown, CAMELS_AGAIN, joinLines, markdownOf, TULU, TULU_URI, workspace } from './workspace';

const COPY_URI = 'file:///w/second.digest';
const NOTE_URI = 'file:///w/notes/reading.md';
/** The Camels paper again (25 upvotes here, 20 in the search), and a broken line. */
const COPY = joinLines(
  '# Copied',
  CAMELS_AGAIN,
  '12 11 authors · Nov 17, 2023',
);
const NOTE = joinLines(
  '# Reading notes',
  '',
  'Tulu 2 scaled DPO [@camels-changing-climate2023, sec. 4; @fipo2024].',
  'Small models: @smoltulu2024. Unknown: @smoltulu2023.',
);

const EVIL_TITLE = '<img src=x onerror=alert(1)> [Click](command:workbench.action.quit) ![i](https://evil.example/t.png) $(zap) &lt;b&gt; Evil';
const EVIL_LINE = `9 ${EVIL_TITLE} || <script>alert(2)</script> [x](javascript:alert(3)) \`code\` *bold* # heading 2 authors · Jan 5, 2024 1`;

describe('hover on an entry line', () => {
  it('shows the card: title, facts, the whole abstract, where it is cited, where it is listed, search links', () => {
    const ws = workspace({ [TULU_URI]: TULU, [COPY_URI]: COPY, [NOTE_URI]: NOTE });
    const hover = provideHover(ws.index, TULU_URI, { line: 4, character: 10 });
    const value = markdownOf(hover);
    assert.match(value, /^\*\*Camels in a Changing Climate\\: Enhancing LM Adaptation with Tulu 2\*\*/, 'the escaped title in bold first');
    assert.match(value, /`camels-changing-climate2023` · 2023-11-17 · 20 upvotes · 11 authors · 5 comments/, 'the facts of the listing hovered');
    assert.match(value, /adapting large language models\\\./, 'the abstract to its end');
    assert.match(value, /Cited 1× in 1 note: \[reading\\\.md:3\]\(file:\/\/\/w\/notes\/reading\.md#L3,21\)/, 'a link to the citation, line and column 1-based');
    assert.match(value, /Listed in 2 places: \[second\\\.digest:2\]\(file:\/\/\/w\/second\.digest#L2,1\), \[tulu\\\.digest\\\.txt:5\]\(file:\/\/\/w\/tulu\.digest\.txt#L5,1\)/);
    assert.match(value, /\[Hugging Face Papers\]\(https:\/\/huggingface\.co\/papers\?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202\)/);
    assert.match(value, /\[arXiv\]\(https:\/\/arxiv\.org\/search\/\?searchtype=title&query=Camels%20in/);
    assert.deepEqual(hover!.range, { start: { line: 4, character: 0 }, end: { line: 4, character: ws.line(4, TULU_URI).length } }, 'the whole entry line');
  });

  it('shows the listing hovered when a paper is listed in two digests', () => {
    const ws = workspace({ [TULU_URI]: TULU, [COPY_URI]: COPY });
    assert.match(markdownOf(provideHover(ws.index, COPY_URI, { line: 1, character: 0 })), /· 25 upvotes · 11 authors · 6 comments/);
    assert.match(markdownOf(provideHover(ws.index, TULU_URI, { line: 4, character: 0 })), /· 20 upvotes · 11 authors · 5 comments/);
  });

  it('answers anywhere on the line, from its first to past its last character', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    const end = ws.line(6, TULU_URI).length;
    for (const character of [0, 1, end - 1, end]) {
      assert.match(markdownOf(provideHover(ws.index, TULU_URI, { line: 6, character })), /^\*\*Xmodel\\-2 Technical Report\*\*/, `character ${character}`);
    }
  });

  it('says a paper is not cited yet, and a year taken from the capture year', () => {
    const ws = workspace({ 'file:///w/a.digest': '3 Alpha Paper Title || We study alpha. 1 author · Jan 3' });
    const value = markdownOf(provideHover(ws.index, ws.uri, { line: 0, character: 2 }));
    assert.match(value, /`alpha-paper-title2025` · 2025-01-03 \(year inferred\) · 3 upvotes · 1 author(?!s)/);
    assert.match(value, /Not cited in any note yet\./);
    assert.doesNotMatch(value, /Listed in/, 'one place only');
    assert.doesNotMatch(value, /comment/, 'no comment count written');
  });

  it('carries the reader\'s notes on the entry, as quotes', () => {
    const ws = workspace({ 'file:///w/a.digest': joinLines('1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024', '> read *twice*', '  then <b>cite</b>', '2 Beta Paper Title || We study beta. 2 authors · Jan 4, 2024') });
    const value = markdownOf(provideHover(ws.index, ws.uri, { line: 0, character: 0 }));
    assert.match(value, /\*Your notes:\*\n\n> read \\\*twice\\\*\n>\n> then &lt;b&gt;cite&lt;\/b&gt;/);
    assert.doesNotMatch(markdownOf(provideHover(ws.index, ws.uri, { line: 3, character: 0 })), /Your notes/);
  });

  it('is empty off the entries: a heading, a broken line, a note line, a file not indexed', () => {
    const ws = workspace({ [COPY_URI]: joinLines(COPY, '5 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024', '> mine') });
    assert.equal(provideHover(ws.index, COPY_URI, { line: 0, character: 3 }), null, 'heading');
    assert.equal(provideHover(ws.index, COPY_URI, { line: 2, character: 3 }), null, 'broken line');
    assert.equal(provideHover(ws.index, COPY_URI, { line: 4, character: 3 }), null, 'note line');
    assert.equal(provideHover(ws.index, COPY_URI, { line: 40, character: 0 }), null, 'past the end');
    assert.equal(provideHover(ws.index, 'file:///w/elsewhere.md', { line: 0, character: 0 }), null, 'unknown file');
  });
});

describe('hover on a citation', () => {
  it('shows the card of the cited paper with the citation\'s range', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE.replace('@smoltulu2024', '@smoltul‸u2024') });
    const hover = provideHover(ws.index, ws.uri, ws.position);
    assert.match(markdownOf(hover), /^\*\*SmolTulu\\: Higher Learning Rate/);
    assert.match(markdownOf(hover), /Cited 1× in 1 note/);
    assert.deepEqual(hover!.range, { start: { line: 3, character: 15 }, end: { line: 3, character: 27 } }, 'the key, without the @');
  });

  it('answers with the cursor on the @, inside the key, and right after it; not before the @ or after the next character', () => {
    const text = 'See «@smoltulu2024», then.';
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: text });
    const [citation] = ws.ranges(NOTE_URI);
    const at = citation.start.character;
    const end = citation.end.character;
    for (const character of [at, at + 1, end - 1, end]) {
      assert.match(markdownOf(provideHover(ws.index, NOTE_URI, { line: 0, character })), /SmolTulu/, `character ${character}`);
    }
    assert.equal(provideHover(ws.index, NOTE_URI, { line: 0, character: at - 1 }), null, 'before the @');
    assert.equal(provideHover(ws.index, NOTE_URI, { line: 0, character: end + 1 }), null, 'past the key');
  });

  it('counts the @{ of a braced key, and a LaTeX key from its first letter', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: 'Braced ‸@{smoltulu2024}.', 'file:///w/notes/paper.tex': '\\citep{fipo2024}' });
    assert.match(markdownOf(provideHover(ws.index, NOTE_URI, ws.position)), /SmolTulu/, 'on the @ of @{');
    assert.match(markdownOf(provideHover(ws.index, NOTE_URI, { line: 0, character: ws.position.character + 1 })), /SmolTulu/, 'on the {');
    assert.equal(provideHover(ws.index, 'file:///w/notes/paper.tex', { line: 0, character: 6 }), null, 'on the { of \\citep');
    assert.match(markdownOf(provideHover(ws.index, 'file:///w/notes/paper.tex', { line: 0, character: 7 })), /^\*\*FIPO/);
  });

  it('shows the first listing of a paper in two digests, with its notes', () => {
    const ws = workspace({ [TULU_URI]: TULU, [COPY_URI]: COPY.replace(' 6\n', ' 6\n> copied from the search\n'), [NOTE_URI]: '@camels-changing-climate2023‸' });
    const value = markdownOf(provideHover(ws.index, ws.uri, ws.position));
    // second.digest sorts before tulu.digest.txt, so its listing is the one shown.
    assert.match(value, /· 25 upvotes ·/);
    assert.match(value, /\*Your notes:\*\n\n> copied from the search/);
    assert.match(value, /Listed in 2 places/);
  });

  it('names an unknown key and the closest known keys', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: NOTE.replace('@smoltulu2023', '@smoltulu2023‸') });
    const hover = provideHover(ws.index, ws.uri, ws.position);
    assert.equal(markdownOf(hover), 'No paper in the workspace has the key **smoltulu2023**. Did you mean `smoltulu2024`?');
    assert.deepEqual(hover!.range, { start: { line: 3, character: 39 }, end: { line: 3, character: 51 } });
  });

  it('names an unknown key with nothing close, escaped', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: 'About @zz<scr‸ipt>.' });
    assert.equal(markdownOf(provideHover(ws.index, ws.uri, ws.position)), 'No paper in the workspace has the key **zz&lt;script**.');
  });

  it('is empty away from citations', () => {
    const ws = workspace({ [TULU_URI]: TULU, [NOTE_URI]: joinLines(NOTE, 'Mail tulu@example.org.') });
    assert.equal(provideHover(ws.index, NOTE_URI, { line: 0, character: 3 }), null, 'a heading');
    assert.equal(provideHover(ws.index, NOTE_URI, { line: 4, character: 12 }), null, 'an e-mail address');
  });
});

describe('hostile text in hover cards', () => {
  it('renders HTML, links, images, theme icons and Markdown of a title and abstract as text', () => {
    const ws = workspace({ 'file:///w/evil.digest': EVIL_LINE, [NOTE_URI]: 'About [@img-srcx-onerroralert1-2024‸].' });
    for (const value of [markdownOf(provideHover(ws.index, 'file:///w/evil.digest', { line: 0, character: 3 })), markdownOf(provideHover(ws.index, NOTE_URI, ws.position))]) {
      assert.match(value, /Evil/);
      assertInertMarkdown(value);
      assert.match(value, /^\*\*&lt;img src\\=x onerror\\=alert\\\(1\\\)&gt; \\\[Click\\\]\\\(command\\:workbench\\\.action\\\.quit\\\) \\!\\\[i\\\]\\\(https\\:\/\/evil\\\.example\/t\\\.png\\\) \\\$\\\(zap\\\) &amp;lt;b&amp;gt; Evil\*\*/, 'the title, every piece escaped');
      assert.match(value, /&lt;script&gt;alert\\\(2\\\)&lt;\/script&gt; \\\[x\\\]\\\(javascript\\:alert\\\(3\\\)\\\) \\`code\\` \\\*bold\\\* \\# heading/, 'the abstract, every piece escaped');
    }
  });

  it('keeps a title\'s line breaks and control characters from starting Markdown blocks', () => {
    const ws = workspace({ 'file:///w/evil.digest': '9 Evil\u0007\u001b[31m Title || We study. 2 authors · Jan 5, 2024' });
    const [title] = markdownOf(provideHover(ws.index, 'file:///w/evil.digest', { line: 0, character: 3 })).split('\n');
    assert.equal(title, '**Evil \\[31m Title**');
  });
});
