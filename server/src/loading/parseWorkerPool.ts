/**
 * Parses digests on worker threads while the main thread builds the index, so loading a large
 * workspace uses every core. Each worker runs {@link readDigestBytes} (parseWorker.ts) and posts
 * the result back packed (digestTransfer.ts); the main thread only unpacks it.
 *
 * A file of the local disk is read by the worker itself (readPath): the main thread then makes no
 * file-system call for it, which took a quarter of its time while loading. Other files' bytes are
 * moved to the worker, not copied. If a worker cannot start or dies, the files it held are
 * answered with `retry`, which makes the loader read them again and parse them on the main thread:
 * loading is slower but nothing is lost. A worker keeps the process alive only while it holds files
 * (an idle pool never does; a busy one must, or its death could go unnoticed as the process ends).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  DigestPathRequest, DigestPathResult, DigestReader, DigestReadRequest, DigestReadResult, readDigestBytes, RetryResult,
} from './digestFileReader';
import { PackedDigest, unpackDigest } from './digestTransfer';
import { PreparedWords } from '../index/vocabulary';

/** A file for a worker: its bytes, or its path on the local disk for the worker to read. */
export type ParseJob =
  | { id: number; bytes: Uint8Array; request: DigestReadRequest }
  | { id: number; path: string; request: DigestPathRequest };

type NotDigest = Exclude<DigestPathResult, { status: 'digest' }>;

export type ParseReply =
  | { id: number; status: 'digest'; packed: PackedDigest; searchWords: PreparedWords; warning?: string }
  | ({ id: number } & NotDigest);

interface PendingJob {
  resolve: (result: DigestPathResult | RetryResult) => void;
}

interface PoolWorker {
  thread: Worker;
  pending: Map<number, PendingJob>;
}

/**
 * One worker per core but one, at least one and at most four: the main thread is busy building the
 * index from their results (on 2 cores, 2 workers were slower than 1: `npm run bench`).
 */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class ParseWorkerPool implements DigestReader {
  private readonly workers: PoolWorker[] = [];
  private nextJobId = 0;
  private closed = false;
  /** Files parsed on worker threads so far (tests check that the workers did the work). */
  parsedInWorkers = 0;
  /** Why the pool fell back to the main thread, if it did. */
  failure: string | undefined;

  /**
   * @param workerScript the bundled parseWorker.js (next to the server or CLI bundle)
   * @param size how many worker threads to start on first use
   */
  constructor(private readonly workerScript: string, readonly size = defaultPoolSize()) {}

  /** Two files per worker in flight: one being parsed, one waiting, so no worker idles. */
  get parallelism(): number {
    return this.size * 2;
  }

  read(bytes: Uint8Array, request: DigestReadRequest): Promise<DigestReadResult> {
    if (this.closed || this.failure !== undefined) return Promise.resolve(readDigestBytes(bytes, request));
    // Only a buffer the bytes fill alone can be moved; a view into a larger one is copied first.
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return this.post({ id: this.nextJobId++, bytes: owned, request }, [owned.buffer as ArrayBuffer]) as Promise<DigestReadResult>;
  }

  /** The worker reads the file itself. After a failure of the pool: `retry`, the caller reads it. */
  readPath(path: string, request: DigestPathRequest): Promise<DigestPathResult | RetryResult> {
    if (this.closed || this.failure !== undefined) return Promise.resolve({ status: 'retry', reason: this.failure ?? 'the parse workers were stopped' });
    return this.post({ id: this.nextJobId++, path, request }, []);
  }

  private post(job: ParseJob, transfer: ArrayBuffer[]): Promise<DigestPathResult | RetryResult> {
    if (this.workers.length === 0) this.start();
    const worker = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return new Promise((resolve) => {
      if (worker.pending.size === 0) worker.thread.ref();
      worker.pending.set(job.id, { resolve });
      worker.thread.postMessage(job, transfer);
    });
  }

  /** Stops the workers; reads after this run on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    for (const worker of workers) this.giveBack(worker, 'the parse workers were stopped');
    await Promise.all(workers.map((worker) => worker.thread.terminate()));
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker: PoolWorker = { thread: new Worker(this.workerScript), pending: new Map() };
      worker.thread.unref();
      worker.thread.on('message', (reply: ParseReply) => this.settle(worker, reply));
      worker.thread.on('error', (error) => this.fail(worker, error.message));
      worker.thread.on('exit', (code) => this.fail(worker, `a parse worker exited (code ${code})`));
      this.workers.push(worker);
    }
  }

  private settle(worker: PoolWorker, reply: ParseReply): void {
    const pending = worker.pending.get(reply.id);
    if (!pending) return;
    worker.pending.delete(reply.id);
    if (worker.pending.size === 0) worker.thread.unref();
    this.parsedInWorkers++;
    if (reply.status === 'digest') {
      let digest;
      try {
        digest = unpackDigest(reply.packed);
      } catch (error) {
        // Not expected; but a file must never be left waiting: read it again and parse it here.
        pending.resolve({ status: 'retry', reason: `a parse worker's result could not be read: ${(error as Error).message}` });
        return;
      }
      const { searchWords } = reply;
      pending.resolve(reply.warning ? { status: 'digest', digest, searchWords, warning: reply.warning } : { status: 'digest', digest, searchWords });
    } else {
      const { id: _id, ...result } = reply;
      pending.resolve(result);
    }
  }

  private fail(worker: PoolWorker, reason: string): void {
    if (this.closed) return;
    this.failure ??= reason;
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    this.giveBack(worker, reason);
    void worker.thread.terminate();
  }

  /** Answers a worker's unanswered files with `retry`: their bytes went to the worker, or it was to read them. */
  private giveBack(worker: PoolWorker, reason: string): void {
    const pending = [...worker.pending.values()];
    worker.pending.clear();
    for (const { resolve } of pending) resolve({ status: 'retry', reason });
  }
}
