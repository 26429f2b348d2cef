/** Settings are read per workspace folder and apply without a restart. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { startServer, TestServer } from './lspClient';

let server: TestServer;
let root: string;
let first: string;
let second: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'litdigest-settings-'));
  first = join(root, 'first');
  second = join(root, 'second');
  for (const folder of [first, second]) {
    mkdirSync(folder);
    copyFileSync(join(__dirname, '..', 'fixtures', 'tulu-search.txt'), join(folder, 'tulu.digest.txt'));
  }
  // The second folder reads only `*.papers` files as digests, so its copy is not indexed.
  server = await startServer(first, { completion: { maxItems: 4 } }, undefined, [second]);
  server.folderSettings.set(pathToFileURL(second).href, { completion: { maxItems: 2 }, digestFiles: ['**/*.papers'], detectTextDigests: false });
  await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await server.waitForIndexed(25);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function completionCount(folder: string): Promise<number> {
  const uri = pathToFileURL(join(folder, 'note.md')).href;
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: '@' } });
  const list = await server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 1 } }) as CompletionList;
  return list.items.length;
}

describe('settings per workspace folder', () => {
  it('limits completion by the setting of the note\'s own folder', async () => {
    assert.equal(await completionCount(first), 4);
    assert.equal(await completionCount(second), 2);
  });

  it('decides which files are digests by each folder\'s globs', async () => {
    // The new globs make the server walk the folders again; wait for that walk to finish.
    const locations = async () => {
      const result = await server.connection.sendRequest('literatureDigest/search', { query: 'camels', limit: 5 }) as { items: { locations: { uri: string }[] }[] };
      return result.items.flatMap((item) => item.locations.map((l) => l.uri));
    };
    const deadline = Date.now() + 10_000;
    let uris = await locations();
    while (uris.some((uri) => uri.includes('/second/')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      uris = await locations();
    }
    assert.ok(uris.some((uri) => uri.includes('/first/')));
    assert.ok(!uris.some((uri) => uri.includes('/second/')), uris.join(' '));
  });

  it('watches the files each folder\'s globs name, and indexes a custom-glob digest created on disk', async () => {
    const patterns = () => server.watchers.map((watcher) => (typeof watcher.globPattern === 'string' ? watcher.globPattern : watcher.globPattern.pattern));
    const deadline = Date.now() + 10_000;
    while (!patterns().includes('**/*.papers') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(patterns().includes('**/*.papers'), `the custom glob is registered: ${patterns().join(' ')}`);
    assert.ok(patterns().includes('**/*.digest'), 'the first folder keeps the default globs');
    // A file the custom glob names, created on disk and reported by the client's watcher, is read.
    writeFileSync(join(second, 'list.papers'), '7 Wombat Planning: Burrows as Search Trees We study wombats. 3 authors · Mar 3, 2024\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(second, 'list.papers')).href, type: 1 }] });
    const found = async () => ((await server.connection.sendRequest('literatureDigest/search', { query: 'wombat planning', limit: 1 })) as { items: { key: string }[] }).items.map((item) => item.key);
    const until = Date.now() + 10_000;
    while (!(await found()).includes('wombat-planning2024') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await found(), ['wombat-planning2024']);
  });
});
