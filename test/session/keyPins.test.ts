/**
 * Keys through the session's document sync: a pin typed under an entry of an open digest, a
 * second paper that derives a cited key, and the ambiguity diagnostic that follows them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSession } from './sessionHarness';

const PART_ONE = '1 Tulu Models: Part One || We study one. 2 authors · Jan 3, 2024';
const PART_TWO = '1 Tulu Models: Part Two || We study two. 2 authors · Jan 4, 2024';

describe('session: keys as a person edits', () => {
  it('a second paper deriving a cited key leaves the citation on its paper and warns; a pin typed under the entry settles it', async () => {
    const { host, session, uri } = await startSession({ 'a.digest': `${PART_ONE}\n`, 'notes/n.md': 'See @tulu-models2024.\n' });
    const note = uri('notes/n.md');
    const digest = uri('b.digest');
    session.openDocument(note, 'markdown', 1, 'See @tulu-models2024.\n');
    session.openDocument(digest, 'paper-digest', 1, `${PART_TWO}\n`);
    await session.flush();
    assert.equal(session.paperAt(note, { line: 0, character: 6 })?.title, 'Tulu Models: Part One', 'the cited key stays on its paper');
    assert.match(String(host.diagnostics.get(note)?.[0]?.message), /'tulu-models2024' may mean 2 papers/);
    // Typed character by character under Part One's entry in the other digest: the pin, opened as a document.
    const first = uri('a.digest');
    session.openDocument(first, 'paper-digest', 1, `${PART_ONE}\n`);
    let version = 1;
    for (const [i, char] of [...'key: tulu-models2024'].entries()) {
      const text = i === 0 ? `\n${char}` : char;
      const at = i === 0 ? { line: 0, character: PART_ONE.length } : { line: 1, character: i };
      session.changeDocument(first, ++version, [{ range: { start: at, end: at }, text }]);
    }
    await session.flush();
    assert.equal(session.paperAt(note, { line: 0, character: 6 })?.title, 'Tulu Models: Part One');
    assert.deepEqual(host.diagnostics.get(note), [], 'a pinned key is not ambiguous');
    assert.match(session.paperAt(digest, { line: 0, character: 3 })?.key ?? '', /^tulu-models2024-[a-z2-9]{4}$/);
  });
});
