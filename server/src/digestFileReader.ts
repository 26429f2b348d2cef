/**
 * From a digest file's bytes to a parsed digest, or to the reason it is not one. The same function
 * runs on the main thread (a file opened or changed) and in the parse workers (a workspace loaded;
 * see parseWorkerPool.ts), so both read a file the same way.
 */
import { DigestParseOptions, parseDigestLines, ParsedDigest } from './digestParser';
import { decodeLines } from './fileContent';
import { looksLikeDigest } from './fileKinds';
import { PreparedWords } from './searchIndex';

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
  | { status: 'unreadable'; reason: string };

export type DigestReadResult =
  | DigestFileResult
  /** The reader lost the bytes (a parse worker died): read the file again and parse it here. */
  | { status: 'retry'; reason: string };

/** How many lines decide whether a sniffed file is a digest. */
const SNIFF_LINES = 64;

export function readDigestBytes(bytes: Uint8Array, request: DigestReadRequest): DigestFileResult {
  const decoded = decodeLines(bytes);
  if (!decoded.ok) return { status: 'unreadable', reason: decoded.reason };
  if (request.sniff && !looksLikeDigest(decoded.lines.slice(0, SNIFF_LINES).join('\n'))) return { status: 'not-digest' };
  const digest = parseDigestLines(decoded.lines, decoded.hadByteOrderMark, request.options);
  return decoded.warning ? { status: 'digest', digest, warning: decoded.warning } : { status: 'digest', digest };
}

/**
 * Reads digests for the workspace loader. The loader asks for several files at once and applies
 * the results in order, so a reader may parse them in parallel.
 */
export interface DigestReader {
  /** Takes ownership of `bytes` (a worker pool moves them to another thread). */
  read(bytes: Uint8Array, request: DigestReadRequest): Promise<DigestReadResult>;
  /** How many files it is worth having in flight at once. */
  readonly parallelism: number;
}

/** Parses on the calling thread. */
export const IN_THREAD_READER: DigestReader = {
  read: async (bytes, request) => readDigestBytes(bytes, request),
  parallelism: 1,
};
