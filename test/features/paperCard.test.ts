/** The paper card (hover and completion documentation): untrusted text escaped, links built here. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arxivSearchUrl, escapeMarkdown, fileName, huggingFaceSearchUrl, lineLink, renderPaperCard } from '../../server/src/features/paperCard';
import { assertInertMarkdown, joinLines, TULU, workspace } from './workspace';

describe('escaping untrusted text', () => {
  it('escapes every character that could start Markdown, HTML or a theme icon', () => {
    assert.equal(escapeMarkdown('<script>alert(1)</script>'), '&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    assert.equal(escapeMarkdown('[x](javascript:alert(3))'), '\\[x\\]\\(javascript\\:alert\\(3\\)\\)');
    assert.equal(escapeMarkdown('[Click](command:workbench.action.quit)'), '\\[Click\\]\\(command\\:workbench\\.action\\.quit\\)');
    assert.equal(escapeMarkdown('![i](https://evil.example/t.png)'), '\\!\\[i\\]\\(https\\://evil\\.example/t\\.png\\)');
    assert.equal(escapeMarkdown('$(zap) $x^2$'), '\\$\\(zap\\) \\$x\\^2\\$');
    assert.equal(escapeMarkdown('&amp; `code` *bold* _it_ # h ~s~ | a = b @c'), '&amp;amp; \\`code\\` \\*bold\\* \\_it\\_ \\# h \\~s\\~ \\| a \\= b \\@c');
    assert.equal(escapeMarkdown('T\\"ULU'), 'T\\\\\\"ULU');
  });

  it('joins lines and drops control characters, so no new block can start', () => {
    assert.equal(escapeMarkdown('one\n# two\r\n> three\u0000\u001b[0m'), 'one \\# two &gt; three \\[0m');
    assert.equal(escapeMarkdown('tab\tstays'), 'tab\tstays');
  });
});

describe('links of the card', () => {
  it('builds the search links from the URL-encoded title, parentheses and quotes included', () => {
    assert.equal(huggingFaceSearchUrl("A (b) c's!*"), 'https://huggingface.co/papers?q=A%20%28b%29%20c%27s%21%2A');
    assert.equal(arxivSearchUrl('x](javascript:alert(1))'), 'https://arxiv.org/search/?searchtype=title&query=x%5D%28javascript%3Aalert%281%29%29');
  });

  it('names files by their last segment, decoded, and links a line 1-based', () => {
    assert.equal(fileName('file:///w/notes/my%20notes.md'), 'my notes.md');
    assert.equal(fileName('file:///w/a.digest?x=1#frag'), 'a.digest');
    assert.equal(fileName('file:///w/bad%E0%A4%A.md'), 'bad%E0%A4%A.md', 'a malformed escape as written');
    assert.equal(lineLink('file:///w/a.md', 2, 7), 'file:///w/a.md#L3,8');
    assert.equal(lineLink('file:///w/a.md', 0), 'file:///w/a.md#L1,1');
  });
});

describe('the card', () => {
  it('lists at most the given number of citations, then how many more', () => {
    const notes: Record<string, string> = {};
    for (let i = 0; i < 4; i++) notes[`file:///w/notes/n${i}.md`] = `See @smoltulu2024 and @smoltulu2024.`;
    const ws = workspace({ 'file:///w/tulu.digest.txt': TULU, ...notes });
    const paper = ws.index.paperByKey('smoltulu2024')!;
    const card = renderPaperCard(ws.index, paper, { citationLimit: 3 });
    assert.match(card, /Cited 8× in 4 notes: \[n0\\\.md:1\]\(file:\/\/\/w\/notes\/n0\.md#L1,6\), \[n0\\\.md:1\]\(file:\/\/\/w\/notes\/n0\.md#L1,24\), \[n1\\\.md:1\]\(file:\/\/\/w\/notes\/n1\.md#L1,6\) and 5 more/);
    assert.match(renderPaperCard(ws.index, paper), /n3\\\.md:1\]\(file:\/\/\/w\/notes\/n3\.md#L1,24\)\n/, 'ten by default: all eight');
  });

  it('holds the parts in order: title, facts, abstract, notes, citations, places, search links', () => {
    const ws = workspace({
      'file:///w/a.digest': joinLines('3 Alpha Paper Title || We study alpha. 1 author · Jan 3, 2024 1', '> my note'),
      'file:///w/b.digest': '3 Alpha Paper Title || We study alpha. 1 author · Jan 3, 2024 1',
      'file:///w/n.md': '@alpha-paper-title2024',
    });
    const paper = ws.index.paperByKey('alpha-paper-title2024')!;
    const card = renderPaperCard(ws.index, paper, { noteLines: ['> my note'] });
    assert.deepEqual(card.split('\n\n'), [
      '**Alpha Paper Title**',
      '`alpha-paper-title2024` · 2024-01-03 · 3 upvotes · 1 author · 1 comment',
      'We study alpha\\.',
      '*Your notes:*',
      '> my note',
      'Cited 1× in 1 note: [n\\.md:1](file:///w/n.md#L1,2)',
      'Listed in 2 places: [a\\.digest:1](file:///w/a.digest#L1,1), [b\\.digest:1](file:///w/b.digest#L1,1)',
      '[Hugging Face Papers](https://huggingface.co/papers?q=Alpha%20Paper%20Title) · [arXiv](https://arxiv.org/search/?searchtype=title&query=Alpha%20Paper%20Title)',
    ]);
    assertInertMarkdown(card);
  });

  it('escapes a hostile file name in its links\' text', () => {
    const ws = workspace({ 'file:///w/a.digest': '3 Alpha Paper Title || We study alpha. 1 author · Jan 3, 2024', 'file:///w/%5Bx%5D(javascript:alert(1)).md': '@alpha-paper-title2024' });
    const card = renderPaperCard(ws.index, ws.index.paperByKey('alpha-paper-title2024')!);
    assert.match(card, /Cited 1× in 1 note: \[\\\[x\\\]\\\(javascript\\:alert\\\(1\\\)\\\)\\\.md:1\]/);
  });
});
