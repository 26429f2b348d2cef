/** What is under the cursor: the entry of a digest line, or the citation of a note. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { citationAt, entryAtLine, providePaperAt, targetAt } from '../../server/src/features/documentContext';
import { joinLines, workspace } from './workspace';

const DIGEST = joinLines(
  '# Papers',
  '1 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024',
  '> first thought',
  '  second thought',
  '',
  '> a quote after a blank line',
  '2 Beta Paper Title || We study beta. 2 authors · Jan 4, 2024',
);

describe('entries of digest lines', () => {
  it('finds the entry of an entry line, and none on other lines', () => {
    const ws = workspace({ 'file:///w/a.digest': DIGEST });
    const summary = ws.digest();
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((line) => entryAtLine(summary, line)?.title), [undefined, 'Alpha Paper Title', undefined, undefined, undefined, undefined, 'Beta Paper Title', undefined]);
  });
});

describe('citations under the cursor', () => {
  it('counts the @, the braces and the place right after the key', () => {
    const ws = workspace({ 'file:///w/n.md': 'See «@alpha», «@{beta-two}» and [«@gamma»; «@delta»].' });
    const summary = ws.note();
    for (const range of ws.ranges()) {
      const { line, character: start } = range.start;
      const end = range.end.character;
      const text = ws.line(line).slice(start, end);
      const key = text.replace(/^@\{?|\}$/g, '');
      assert.equal(citationAt(summary, { line, character: start })?.key, key, `on the @ of ${text}`);
      const keyEnd = text.endsWith('}') ? end - 1 : end;
      assert.equal(citationAt(summary, { line, character: keyEnd })?.key, key, `right after ${key}`);
      assert.equal(citationAt(summary, { line, character: start - 1 }), undefined, `before ${text}`);
    }
  });

  it('finds a LaTeX key from its first letter to right after it', () => {
    const ws = workspace({ 'file:///w/n.tex': '\\citep[see][]{«alpha», «beta»}' });
    const summary = ws.note();
    for (const range of ws.ranges()) {
      assert.equal(citationAt(summary, range.start)?.key, ws.line(0).slice(range.start.character, range.end.character));
      assert.equal(citationAt(summary, range.end)?.key, ws.line(0).slice(range.start.character, range.end.character));
    }
    assert.equal(citationAt(summary, { line: 0, character: 13 }), undefined, 'the {');
  });

  it('tells an entry target from a citation target, known or not', () => {
    const ws = workspace({ 'file:///w/a.digest': DIGEST, 'file:///w/n.md': 'See @alpha-paper-title2024 and @nothing.' });
    const entry = targetAt(ws.index, 'file:///w/a.digest', { line: 1, character: 4 });
    assert.equal(entry?.kind, 'entry');
    assert.equal(entry.paper.key, 'alpha-paper-title2024');
    const known = targetAt(ws.index, 'file:///w/n.md', { line: 0, character: 6 });
    assert.equal(known?.kind, 'citation');
    assert.equal(known.paper, entry.paper, 'the same paper');
    const unknown = targetAt(ws.index, 'file:///w/n.md', { line: 0, character: 33 });
    assert.deepEqual(unknown?.kind === 'citation' && [unknown.citation.key, unknown.paper], ['nothing', undefined]);
    assert.equal(targetAt(ws.index, 'file:///w/a.digest', { line: 2, character: 4 }), undefined, 'a note line');
    assert.equal(targetAt(ws.index, 'file:///w/other.md', { line: 0, character: 0 }), undefined, 'a file not indexed');
  });

  it('names the paper under the cursor for the client\'s commands: key and shown title', () => {
    const ws = workspace({ 'file:///w/a.digest': DIGEST, 'file:///w/n.md': 'See @alpha-paper-title2024‸ and @nothing.' });
    assert.deepEqual(providePaperAt(ws.index, ws.uri, ws.position), { key: 'alpha-paper-title2024', title: 'Alpha Paper Title' });
    assert.deepEqual(providePaperAt(ws.index, 'file:///w/a.digest', { line: 6, character: 0 }), { key: 'beta-paper-title2024', title: 'Beta Paper Title' });
    assert.equal(providePaperAt(ws.index, ws.uri, { line: 0, character: 33 }), null, 'an unknown key');
    assert.equal(providePaperAt(ws.index, 'file:///w/a.digest', { line: 0, character: 0 }), null, 'a heading');
  });
});
