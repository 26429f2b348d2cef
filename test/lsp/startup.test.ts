/** Starting the server by hand: without a transport it says how to start it, not a stack trace. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { SERVER } from './lspClient';

describe('server start-up', () => {
  it('explains a start without a transport in one line and exits 2', () => {
    const result = spawnSync(process.execPath, [SERVER], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /give a transport, e\.g\. `node dist\/server\.js --stdio`/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
});
