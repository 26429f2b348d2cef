/**
 * The entry point of a parse worker thread (bundled as dist/parseWorker.js): reads the digest it is
 * sent (its bytes, or its path on the local disk, read here) and posts back the packed result (see
 * parseWorkerPool.ts and digestTransfer.ts).
 */
import { parentPort } from 'node:worker_threads';
import { readDigestBytes, readDigestPath } from './digestFileReader';
import { packDigest, transferablesOf } from './digestTransfer';
import { ParseJob, ParseReply } from './parseWorkerPool';
import { prepareWords } from '../index/vocabulary';

parentPort?.on('message', (job: ParseJob) => {
  let reply: ParseReply;
  try {
    const result = 'path' in job ? readDigestPath(job.path, job.request) : readDigestBytes(job.bytes, job.request);
    if (result.status === 'digest') {
      const { digest } = result;
      const packed = packDigest(digest);
      // The key and title words, so that the main thread need not scan the titles again.
      const searchWords = prepareWords(digest.lines.length, digest.entries.map((entry) => ({ line: entry.line, keyWords: entry.baseKey, title: entry.title, lineText: digest.lines[entry.line], titleStart: entry.spans.title.start })));
      reply = { id: job.id, status: 'digest', packed, searchWords, warning: result.warning };
      parentPort!.postMessage(reply, [...transferablesOf(packed), searchWords.wordStarts.buffer as ArrayBuffer, searchWords.wordHashes.buffer as ArrayBuffer, searchWords.lineStarts.buffer as ArrayBuffer, searchWords.wordIds.buffer as ArrayBuffer]);
      return;
    }
    reply = { id: job.id, ...result };
  } catch (error) {
    // The parser is written never to throw; if it does, the file is reported, not the thread lost.
    reply = { id: job.id, status: 'unreadable', code: 'unreadable', reason: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  parentPort!.postMessage(reply);
});
