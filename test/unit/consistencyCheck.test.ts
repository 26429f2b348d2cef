/** Consistency mode's comparisons: they agree on a faithful incremental state and name the first difference otherwise. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDigest, parseDigest } from '../../server/src/digest/digestParser';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { scanCitations } from '../../server/src/notes/noteCitations';
import { consistencyModeFromEnvironment, digestDrift, indexDrift, noteDrift } from '../../server/src/session/consistencyCheck';

const OPTIONS = { fallbackCaptureYear: 2024 };
const TWO = '1 Alpha Paper || We study alpha. 2 authors · Jan 3, 2024\n2 Beta Paper || We study beta. 2 authors · Jan 4, 2024';

describe('consistency mode', () => {
  it('finds no drift in an edit the parser applies faithfully, and names the first difference of a wrong one', () => {
    const edited = editDigest(parseDigest(TWO, OPTIONS), 1, 1, ['3 Gamma Paper || We study gamma. 2 authors · Jan 5, 2024'], OPTIONS);
    const truth = TWO.replace(/2 Beta.*$/, '3 Gamma Paper || We study gamma. 2 authors · Jan 5, 2024');
    assert.equal(digestDrift(edited, truth, OPTIONS), undefined);
    assert.match(digestDrift(edited, `${truth}\n`, OPTIONS) ?? '', /^line 2: incremental none, from scratch ""/);
    assert.match(digestDrift(edited, truth.replace('Gamma Paper', 'Delta Paper'), OPTIONS) ?? '', /^line 1: /);
  });

  it('compares a note\'s citations with a new scan', () => {
    const citations = scanCitations('See [@a; @b].', 'markdown');
    assert.equal(noteDrift(citations, 'See [@a; @b].', 'markdown'), undefined);
    assert.match(noteDrift(citations, 'See [@a; @c].', 'markdown') ?? '', /^citation 1: /);
  });

  it('finds an index location that the file no longer has', () => {
    const index = new WorkspaceIndex(OPTIONS);
    const before = index.setDigestText('a.digest', TWO);
    assert.equal(indexDrift(index, before), undefined);
    const after = index.setDigestText('a.digest', TWO.split('\n')[0]);
    assert.equal(indexDrift(index, after), undefined);
    // The summary before the edit is what a session holding a stale one would compare.
    assert.match(indexDrift(index, before) ?? '', /^the paper of line 1 does not list that entry$/);
  });

  it('is on when LITDIGEST_CONSISTENCY is set to anything but 0 or empty', () => {
    assert.equal(consistencyModeFromEnvironment({}), false);
    assert.equal(consistencyModeFromEnvironment({ LITDIGEST_CONSISTENCY: '0' }), false);
    assert.equal(consistencyModeFromEnvironment({ LITDIGEST_CONSISTENCY: '1' }), true);
  });
});
