/**
 * What the tests leave behind: `npm test` left about 58 MB of temporary folders a run (issue 16),
 * from test files that made folders and never removed them. Checked on the text of every test
 * file: one that makes a temporary folder also removes folders recursively (in an after hook or
 * a finally). Listing the temporary folder before and after a run is the real proof; this keeps a
 * new test from forgetting.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

describe('test hygiene', () => {
  it('every test file that makes a temporary folder removes it', () => {
    const files = readdirSync(join(ROOT, 'test'), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name));
    const making = files.filter((file) => /\bmkdtemp(Sync)?\(/.test(readFileSync(file, 'utf8')));
    assert.ok(making.length > 5, `found the test files that make temporary folders: ${making.length}`);
    const leaving = making.filter((file) => !/\brmSync\([^)]*recursive: true/.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    assert.deepEqual(leaving, [], 'these make temporary folders and never remove one');
  });
});
