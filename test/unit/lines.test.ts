/**
 * Line ends as editors read them (VS Code, and the LSP's positions): `\r\n`, a lone `\n` and a lone
 * `\r` each end a line. splitLines takes a faster way when the text has no `\r`; it must cut every
 * text where the rule cuts it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { splitLines } from '../../server/src/shared/text';

const text = fc.array(fc.constantFrom('a', ' ', '\r', '\n', '\r\n', '\n\r', '\u2028', 'é'), { maxLength: 30 }).map((parts) => parts.join(''));

describe('splitLines', () => {
  it('cuts at \\r\\n, \\n and a lone \\r, and nowhere else', () => {
    assert.deepEqual(splitLines('a\r\nb\nc\rd\n\re\u2028f'), ['a', 'b', 'c', 'd', '', 'e\u2028f']);
    assert.deepEqual(splitLines(''), ['']);
    assert.deepEqual(splitLines('a\n'), ['a', '']);
  });

  it('agrees with the rule on any mix of line ends', () => {
    fc.assert(fc.property(text, (sample) => {
      assert.deepEqual(splitLines(sample), sample.split(/\r\n|\r|\n/));
    }), { numRuns: 3000 });
  });
});
