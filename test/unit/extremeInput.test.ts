/** Extreme input: sizes that must stay bounded (speed itself is measured by `npm run bench`). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDigest } from '../../server/src/digest/digestParser';
import { scanMarkdownCitations } from '../../server/src/notes/noteCitations';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';

const ENTRY = '3 Zero Bubble Pipeline Parallelism Pipeline parallelism is key. 4 authors · Nov 30, 2023';

describe('extreme input', () => {
  it('reads a 1,000,000-line file', () => {
    const lines = Array.from({ length: 1_000_000 }, (_, i) => (i % 100_000 === 0 ? ENTRY.replace('Zero', `Zero${i}`) : i % 3 === 0 ? '' : 'a line of my own'));
    const digest = parseDigest(lines.join('\n'));
    assert.equal(digest.lines.length, 1_000_000);
    assert.equal(digest.entries.length, 10);
    const blank = lines.filter((line) => line === '').length;
    assert.equal(digest.lineKinds.filter((k) => k === 'blank').length, blank);
    assert.equal(digest.lineKinds.filter((k) => k === 'unrecognised').length, 1_000_000 - 10 - blank);
  });

  it('keeps a 50 MB line without reading it as an entry, and says why', () => {
    const huge = `1 Title ${'x'.repeat(50 * 1024 * 1024)} 2 authors · Jan 2, 2024`;
    const digest = parseDigest(`${ENTRY}\n${huge}\n${ENTRY.replace('Zero', 'One')}`);
    assert.equal(digest.entries.length, 2);
    assert.equal(digest.lineKinds[1], 'unrecognised');
    const problem = digest.problems.find((p) => p.code === 'line-too-long')!;
    assert.equal(problem.line, 1);
    assert.match(problem.message, /52,428,8\d\d characters long, over the limit of 1,000,000 \(setting maxLineLength\)/);
    // The limit is a setting: raised, the line is read.
    assert.equal(parseDigest(huge, { maxLineLength: 60 * 1024 * 1024 }).entries.length, 1);
  });

  it('scans a 50 MB note line and indexes 10,000 copies of one paper as one paper', () => {
    const citations = scanMarkdownCitations(`${'word '.repeat(10 * 1024 * 1024)}@last`);
    assert.deepEqual(citations.map((c) => c.key), ['last']);
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', Array.from({ length: 10_000 }, () => ENTRY).join('\n'));
    assert.equal(index.paperCount, 1);
    assert.equal(index.papers()[0].locations.length, 10_000);
  });
});
