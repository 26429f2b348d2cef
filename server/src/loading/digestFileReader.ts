/**
 * From a digest file's bytes to a parsed digest, or to the reason it is not one. The same function
 * runs on the main thread (a file opened or changed) and in the parse workers (a workspace loaded;
 * see parseWorkerPool.ts), so both read a file the same way.
 */
import { readFileSync, statSync } from 'node:fs';
import { captureYearOfFile } from '../digest/dates';
import { DigestParseOptions, parseDigestLines, ParsedDigest } from '../digest/digestParser';
import { decodeLines } from './fileContent';
import { looksLikeDigest } from '../digest/digestSniffing';
import { PreparedWords } from '../index/vocabulary';

export interface DigestReadRequest {
  /** True when the file is a digest only if its first lines look like one (a `.txt` file, say). */
  sniff: boolean;
  options: DigestParseOptions;
}

/** What a file's bytes are. */
export type DigestFileResult =
  /** `searchWords`: the entries' key and title words, when a parse worker found them (see searchIndex.ts). */
  | { status: 'digest'; digest: ParsedDigest; warning?: string; searchWords?: PreparedWords }
  /** Sniffed, and its first lines are not entries. */
  | { status: 'not-digest' }
  /** `binary`: not text; `unreadable`: reading it failed otherwise. */
  | { status: 'unreadable'; code: 'binary' | 'unreadable'; reason: string };

/** The reader lost the file (a parse worker died): read it again and parse it here. */
export type RetryResult = { status: 'retry'; reason: string };

export type DigestReadResult = DigestFileResult | RetryResult;

/** How many lines decide whether a sniffed file is a digest. */
const SNIFF_LINES = 64;

export function readDigestBytes(bytes: Uint8Array, request: DigestReadRequest): DigestFileResult {
  const decoded = decodeLines(bytes);
  if (!decoded.ok) return { status: 'unreadable', code: decoded.code, reason: decoded.reason };
  if (request.sniff && !looksLikeDigest(decoded.lines.slice(0, SNIFF_LINES).join('\n'))) return { status: 'not-digest' };
  const digest = parseDigestLines(decoded.lines, decoded.hadByteOrderMark, request.options);
  return decoded.warning ? { status: 'digest', digest, warning: decoded.warning } : { status: 'digest', digest };
}

/** A digest to read from a path of the local disk, so that another thread can read it. */
export interface DigestPathRequest extends DigestReadRequest {
  /** Larger files are not read (setting maxFileSize). */
  maxFileSize: number;
}

/** What a path held: a digest read as {@link readDigestBytes} reads one, or why it was not read. */
export type DigestPathResult =
  | DigestFileResult
  | { status: 'folder' }
  /** Neither file nor folder (a socket, a device). */
  | { status: 'not-file' }
  | { status: 'too-large'; size: number }
  /** The file system refused: `code` is Node's error code (ENOENT, EACCES, ...). */
  | { status: 'failed'; code?: string; message: string };

/**
 * Reads a digest from the local disk with blocking calls: meant for a parse worker, whose thread
 * has nothing else to do meanwhile (the main thread reads asynchronously, see nodeFileSystem.ts).
 * Yearless dates fall back to the year the file was last modified, as on the main thread.
 */
export function readDigestPath(path: string, request: DigestPathRequest): DigestPathResult {
  let bytes: Uint8Array;
  let modified: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { status: 'folder' };
    if (!stat.isFile()) return { status: 'not-file' };
    if (stat.size > request.maxFileSize) return { status: 'too-large', size: stat.size };
    modified = stat.mtimeMs;
    bytes = readFileSync(path);
  } catch (error) {
    return { status: 'failed', code: (error as NodeJS.ErrnoException).code, message: error instanceof Error ? error.message : String(error) };
  }
  return readDigestBytes(bytes, { sniff: request.sniff, options: { ...request.options, fallbackCaptureYear: captureYearOfFile(modified) } });
}

/**
 * Reads digests for the workspace loader. The loader asks for several files at once and applies
 * the results in order, so a reader may parse them in parallel.
 */
export interface DigestReader {
  /** Takes ownership of `bytes` (a worker pool moves them to another thread). */
  read(bytes: Uint8Array, request: DigestReadRequest): Promise<DigestReadResult>;
  /**
   * Reads and parses a file of the local disk elsewhere (a worker thread), sparing the calling
   * thread the file-system calls. Readers without it get the bytes.
   */
  readPath?(path: string, request: DigestPathRequest): Promise<DigestPathResult | RetryResult>;
  /** How many files it is worth having in flight at once. */
  readonly parallelism: number;
}

/**
 * Parses on the calling thread. Two files in flight: the next file's read (a round trip to libuv's
 * thread pool) goes on while this one is parsed, time the thread otherwise spent waiting.
 */
export const IN_THREAD_READER: DigestReader = {
  read: async (bytes, request) => readDigestBytes(bytes, request),
  parallelism: 2,
};
