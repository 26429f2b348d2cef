/**
 * Add Papers from Hugging Face and Look Up on Hugging Face in the session, against a local server
 * that replays the recorded API responses (test/support/hfApiServer.ts): the real fetch path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { parseDigest } from '../../server/src/digest/digestParser';
import { parsePaperQuery } from '../../server/src/huggingface/apiClient';
import { startReplayServer, ReplayServer } from '../support/hfApiServer';
import { startSession } from './sessionHarness';

let api: ReplayServer;
before(async () => { api = await startReplayServer(); });
after(() => api.close());

const settings = () => ({ literatureDigest: { huggingFace: { apiUrl: api.url } } });

/** The text after applying the edits the session asked the editor to make. */
function applied(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'paper-digest', 1, text), edits);
}

describe('what a person types to add papers', () => {
  it('reads ids, paper and arXiv URLs, dates and searches', () => {
    assert.deepEqual(parsePaperQuery(' 2503.02682v2 '), { kind: 'paper', arxiv: '2503.02682' });
    assert.deepEqual(parsePaperQuery('https://huggingface.co/papers/2503.02682'), { kind: 'paper', arxiv: '2503.02682' });
    assert.deepEqual(parsePaperQuery('arxiv.org/pdf/2503.02682.pdf'), { kind: 'paper', arxiv: '2503.02682' });
    assert.deepEqual(parsePaperQuery('2025-03-05'), { kind: 'daily', date: '2025-03-05' });
    assert.deepEqual(parsePaperQuery('meta plan'), { kind: 'search', query: 'meta plan' });
    assert.equal(parsePaperQuery('   '), undefined);
  });
});

describe('Add Papers from Hugging Face', () => {
  it('adds a day\'s papers to an open digest as one edit, with progress; the second time it changes nothing', async () => {
    const { host, session, uri } = await startSession({}, { initializationOptions: settings() });
    const digest = uri('new.digest');
    session.openDocument(digest, 'paper-digest', 1, '# Daily\n');
    const result = await session.addPapers({ uri: digest, input: '2025-03-05' });
    assert.equal(result.applied, true, result.message);
    assert.equal(result.added, 11);
    assert.equal(host.edits.length, 1, 'one undoable edit');
    assert.ok(host.progress.includes('begin Hugging Face Papers: Fetching the papers of 2025-03-05…'));
    assert.ok(api.requests.includes('/api/daily_papers?date=2025-03-05'));
    const text = applied('# Daily\n', host.edits[0].edit.changes![digest]);
    const parsed = parseDigest(text);
    assert.equal(parsed.entries.length, 11);
    assert.ok(parsed.entries.every((entry) => entry.metadata?.arxiv && entry.split.source === 'marker'));
    // The editor applies the edit; the same papers again add nothing.
    session.changeDocument(digest, 2, [{ text }]);
    const again = await session.addPapers({ uri: digest, input: '2025-03-05' });
    assert.equal(again.applied, false);
    assert.match(again.message, /Nothing to change: 0 added, metadata filled in for 0, 11 already complete/);
  });

  it('adds one paper by its URL, to a digest file that is not open', async () => {
    const { host, session, uri, root } = await startSession({ 'd.digest': '# Mine\n' }, { initializationOptions: settings() });
    const result = await session.addPapers({ uri: uri('d.digest'), input: 'https://huggingface.co/papers/2503.02682' });
    assert.equal(result.added, 1, result.message);
    assert.ok(api.requests.includes('/api/papers/2503.02682'));
    const text = applied(readFileSync(`${root}/d.digest`, 'utf8'), host.edits[0].edit.changes![uri('d.digest')]);
    assert.match(text, /^# Mine\n\n12 MPO: Boosting LLM Agents with Meta Plan Optimization \|\| /);
    assert.match(text, /\narXiv: 2503\.02682 · authors: Weimin Xiong, /);
  });

  it('says so when nothing is found, the paper does not exist, or the server cannot be reached', async () => {
    const { session, uri } = await startSession({}, { initializationOptions: settings() });
    const digest = uri('d.digest');
    session.openDocument(digest, 'paper-digest', 1, '');
    assert.match((await session.addPapers({ uri: digest, input: 'no such words anywhere' })).message, /found nothing for 'no such words anywhere'/);
    assert.match((await session.addPapers({ uri: digest, input: '2101.00001' })).message, /has no paper 2101\.00001/);
    // A port nothing listens on: one just let go.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = await startSession({}, { initializationOptions: { literatureDigest: { huggingFace: { apiUrl: `http://127.0.0.1:${port}` } } } });
    offline.session.openDocument(offline.uri('d.digest'), 'paper-digest', 1, '');
    const result = await offline.session.addPapers({ uri: offline.uri('d.digest'), input: '2503.02682' });
    assert.equal(result.applied, false);
    assert.equal(result.message, `could not reach 127.0.0.1:${port} (ECONNREFUSED): are you offline?`);
  });

  it('stops when the person cancels', async () => {
    const { session, uri } = await startSession({}, { initializationOptions: settings() });
    session.openDocument(uri('d.digest'), 'paper-digest', 1, '');
    api.delayMs = 2000;
    try {
      const started = Date.now();
      const result = await session.addPapers({ uri: uri('d.digest'), input: '2503.02682' }, () => Date.now() - started > 100);
      assert.equal(result.message, 'cancelled');
      assert.ok(Date.now() - started < 1500, 'did not wait for the answer');
    } finally {
      api.delayMs = 0;
    }
  });

  it('fetches nothing in Restricted Mode', async () => {
    const { session, uri } = await startSession({}, { initializationOptions: { ...settings(), workspaceTrusted: false } });
    const asked = api.requests.length;
    const result = await session.addPapers({ uri: uri('d.digest'), input: '2503.02682' });
    assert.match(result.message, /Restricted Mode/);
    assert.equal(api.requests.length, asked);
  });
});

describe('Look Up on Hugging Face', () => {
  it('finds a pasted entry by its title and adds its metadata line under it, as one edit', async () => {
    const printed = (await import('../../server/src/huggingface/digestImport')).entryLineOf;
    const { readApiResponse } = await import('../../server/src/huggingface/apiRecords');
    const paper = readApiResponse(readFileSync(`${__dirname}/../fixtures/hf-api/daily_papers-2025-03-05.json`, 'utf8')).papers[0];
    const pasted = `${printed(paper)}\n`;
    const { host, session, uri } = await startSession({}, { initializationOptions: settings() });
    const digest = uri('p.digest');
    session.openDocument(digest, 'paper-digest', 1, pasted);
    await session.lookUpPaper(digest, 0);
    assert.equal(host.edits.length, 1, JSON.stringify(host.messages));
    const text = applied(pasted, host.edits[0].edit.changes![digest]);
    assert.equal(text.split('\n')[1], 'arXiv: 2503.02682 · authors: Weimin Xiong, Yifan Song, Qingxiu Dong, Bingchan Zhao, Feifan Song, Xun Wang, Sujian Li · code: https://github.com/WeiminXiong/MPO');
  });

  it('ends the title where Hugging Face ends it when the inferred split differs', async () => {
    const { session, host, uri } = await startSession({}, { initializationOptions: settings() });
    const digest = uri('p.digest');
    // The title runs on into the abstract's first words, as a wrong split leaves it.
    const line = '12 MPO: Boosting LLM Agents with Meta Plan Optimization Recent Advancements in large language models have enabled agents. 7 authors · Mar 4, 2025';
    session.openDocument(digest, 'paper-digest', 1, line);
    const entry = session.index.digest(digest)!.digest.entries[0];
    await session.lookUpPaper(digest, 0);
    const text = applied(line, host.edits.at(-1)!.edit.changes![digest]);
    const fixed = parseDigest(text).entries[0];
    assert.equal(fixed.title, 'MPO: Boosting LLM Agents with Meta Plan Optimization');
    assert.equal(fixed.metadata?.arxiv, '2503.02682');
    if (entry.title !== fixed.title) assert.match(host.edits.at(-1)!.label, /title ended where Hugging Face ends it/);
  });

  it('tells when Hugging Face has no such paper', async () => {
    const { session, host, uri } = await startSession({}, { initializationOptions: settings() });
    const digest = uri('p.digest');
    session.openDocument(digest, 'paper-digest', 1, '3 Nothing Like This Exists || We study. 2 authors · Jan 5, 2025');
    await session.lookUpPaper(digest, 0);
    assert.equal(host.edits.length, 0);
    assert.match(host.messages.at(-1)!.message, /has no paper titled 'Nothing Like This Exists' from 2025/);
  });
});
