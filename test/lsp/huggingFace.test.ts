/**
 * The Hugging Face commands over the real protocol: the server as a process, asked by a JSON-RPC
 * client, fetching from a local server that replays the recorded API responses, and editing
 * through workspace/applyEdit. What they do in detail is tested in process (test/session).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReplayServer, startReplayServer } from '../support/hfApiServer';
import { startServer, TestServer } from './lspClient';

let api: ReplayServer;
let server: TestServer;
let root: string;

before(async () => {
  api = await startReplayServer();
  root = mkdtempSync(join(tmpdir(), 'litdigest-hf-'));
  writeFileSync(join(root, 'daily.digest'), '# Daily\n');
  writeFileSync(join(root, 'pasted.digest'), '12 MPO: Boosting LLM Agents with Meta Plan Optimization || Recent advancements in LLMs. 7 authors · Mar 4, 2025\n');
  server = await startServer(root, { huggingFace: { apiUrl: api.url } });
  await server.waitForIndexed(1);
});

after(async () => {
  await server?.stop();
  await api?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('Hugging Face over the protocol', () => {
  it('literatureDigest/addPapers fetches a day and applies one edit to the digest', async () => {
    const result = await server.connection.sendRequest('literatureDigest/addPapers', { uri: server.uri('daily.digest'), input: '2024-06-12' }) as { applied: boolean; added: number; message: string };
    assert.equal(result.applied, true, result.message);
    assert.equal(result.added, 16);
    const text = readFileSync(join(root, 'daily.digest'), 'utf8');
    assert.match(text, /^# Daily\n\n29 An Image is Worth 32 Tokens for Reconstruction and Generation \|\| /);
    assert.match(text, /\narXiv: 2406\.07550 · authors: Qihang Yu, Mark Weber, /);
  });

  it('the lookUpPaper command adds the metadata line of a pasted entry', async () => {
    await server.connection.sendRequest('workspace/executeCommand', { command: 'literatureDigest.server.lookUpPaper', arguments: [server.uri('pasted.digest'), 0] });
    const lines = readFileSync(join(root, 'pasted.digest'), 'utf8').split('\n');
    assert.match(lines[1], /^arXiv: 2503\.02682 · authors: Weimin Xiong, /);
    assert.ok(api.requests.some((request) => request.startsWith('/api/papers/search?q=MPO')));
  });
});
