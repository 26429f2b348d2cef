/**
 * What citation completion offers for what was typed after `@`: the most upvoted papers for
 * nothing, keys starting with one or two typed characters, and the fuzzy search for more.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { provideCompletion } from '../../server/src/features/completion';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';

const TULU = readFileSync(join(__dirname, '..', 'fixtures', 'tulu-search.txt'), 'utf8');

function offered(typed: string, maxItems = 10): string[] {
  const index = new WorkspaceIndex({ fallbackCaptureYear: 2025 });
  index.setDigestText('tulu.digest', TULU);
  const line = `As shown by @${typed}`;
  const list = provideCompletion(index, line, { line: 0, character: line.length }, 'markdown', { maxItems });
  assert.ok(list, `no completion for @${typed}`);
  return list.items.map((item) => item.label);
}

function upvotesOf(key: string): number {
  const index = new WorkspaceIndex({ fallbackCaptureYear: 2025 });
  index.setDigestText('tulu.digest', TULU);
  return index.paperByKey(key)!.locations[0].entry.upvotes;
}

describe('citation completion', () => {
  it('offers the keys that start with one or two typed characters, most upvoted first', () => {
    const keys = offered('t', 4);
    assert.deepEqual([...keys].sort(), ['teaching-language-models2024', 'tudataset2020', 'tumlu2025', 'turkce-dil-modellerinin2024']);
    const upvotes = keys.map(upvotesOf);
    assert.deepEqual(upvotes, [...upvotes].sort((a, b) => b - a), `${keys} by upvotes ${upvotes}`);
    assert.deepEqual([...offered('TU', 3)].sort(), ['tudataset2020', 'tumlu2025', 'turkce-dil-modellerinin2024']);
  });

  it('adds what the fuzzy search finds when few keys start so', () => {
    const keys = offered('t', 6);
    assert.equal(keys.length, 6);
    assert.deepEqual([...keys.slice(0, 4)].sort(), ['teaching-language-models2024', 'tudataset2020', 'tumlu2025', 'turkce-dil-modellerinin2024']);
  });

  it('searches key, title and abstract from three characters on', () => {
    // No key starts with "tulu", but the Tulu papers' titles and abstracts name it.
    const keys = offered('tulu');
    assert.ok(keys.includes('smoltulu2024'), keys.join(' '));
    assert.ok(!keys.every((key) => key.startsWith('tu')), keys.join(' '));
  });

  it('offers the most upvoted papers for a bare @', () => {
    const keys = offered('', 3);
    const index = new WorkspaceIndex({ fallbackCaptureYear: 2025 });
    index.setDigestText('tulu.digest', TULU);
    const expected = index.papers().sort((a, b) => b.locations[0].entry.upvotes - a.locations[0].entry.upvotes).slice(0, 3).map((paper) => paper.key);
    assert.deepEqual(keys, expected);
  });
});
