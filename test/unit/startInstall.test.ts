/**
 * What `npm start` installs: code-server and what builds it, never a browser (the person opens the
 * printed URL in their own); the tests' Chromium only when a browser is asked for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { debianPackagesFor } from '../../scripts/vscode/install.mjs';

const ROOT = join(__dirname, '..', '..');

describe('npm start installs only what running needs', () => {
  it('asks Debian for no browser unless the tests drive one', () => {
    assert.deepEqual(debianPackagesFor({ browser: false, toolsMissing: true }), ['libkrb5-dev']);
    assert.deepEqual(debianPackagesFor({ browser: false, toolsMissing: false }), []);
    assert.deepEqual(debianPackagesFor({ browser: true, toolsMissing: false }), ['chromium']);
  });

  it('starts code-server without a browser, its state and the samples\' copy in the project cache', () => {
    const start = readFileSync(join(ROOT, 'scripts', 'start.mjs'), 'utf8');
    const codeServer = readFileSync(join(ROOT, 'scripts', 'vscode', 'codeServer.mjs'), 'utf8');
    assert.match(codeServer, /ensureInstalled\(\{ browser: false \}\)/, 'startCodeServer installs no browser');
    assert.doesNotMatch(start, /tmpdir|mkdtemp/, 'npm start leaves nothing in /tmp');
    assert.match(start, /dataDir: path\.join\(startDir, 'code-server'\)/);
  });
});
