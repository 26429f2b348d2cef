/**
 * Asks the Hugging Face Papers API for papers: one by its arXiv id, a day's list, or a search.
 * Only on a command the person gave (the session checks trust); every request times out, can be
 * cancelled, and fails with a message a person can act on (offline, not found, a server error).
 */
import { normaliseArxivId } from '../digest/paperMetadata';
import { ApiPaper, readApiResponse } from './apiRecords';

export type PaperQuery =
  | { kind: 'paper'; arxiv: string }
  | { kind: 'daily'; date: string }
  | { kind: 'search'; query: string };

/** The public API, which needs no token. */
export const DEFAULT_API_URL = 'https://huggingface.co';
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * What a person typed, as a query: an arXiv id, a `huggingface.co/papers/ID` or
 * `arxiv.org/abs|pdf/ID` URL, a date `YYYY-MM-DD` (that day's papers), or else a search.
 */
export function parsePaperQuery(input: string): PaperQuery | undefined {
  const text = input.trim();
  if (!text) return undefined;
  const fromUrl = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co\/papers|arxiv\.org\/(?:abs|pdf))\/([^?#\s]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i.exec(text);
  const arxiv = normaliseArxivId(fromUrl ? fromUrl[1] : text);
  if (arxiv) return { kind: 'paper', arxiv };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { kind: 'daily', date: text };
  return { kind: 'search', query: text };
}

/** The request URL of a query against the API at `base`. */
export function queryUrl(base: string, query: PaperQuery): string {
  const root = base.replace(/\/+$/, '');
  switch (query.kind) {
    case 'paper': return `${root}/api/papers/${encodeURIComponent(query.arxiv).replace(/%2F/g, '/')}`;
    case 'daily': return `${root}/api/daily_papers?date=${encodeURIComponent(query.date)}`;
    case 'search': return `${root}/api/papers/search?q=${encodeURIComponent(query.query)}`;
  }
}

export class ApiError extends Error {}

export interface FetchOptions {
  /** Aborts the request when the person cancels. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The papers a query finds; throws {@link ApiError} with a message for the person. */
export async function fetchPapers(base: string, query: PaperQuery, options: FetchOptions = {}): Promise<ApiPaper[]> {
  const url = queryUrl(base, query);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (options.signal?.aborted) throw new ApiError('cancelled');
    if (timeout.aborted) throw new ApiError(`${url} did not answer within ${Math.round((options.timeoutMs ?? REQUEST_TIMEOUT_MS) / 1000)} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ApiError(`could not reach ${new URL(url).host} (${cause?.code ?? cause?.message ?? (error as Error).message}): are you offline?`);
  }
  if (response.status === 404) throw new ApiError(query.kind === 'paper' ? `Hugging Face Papers has no paper ${query.arxiv}` : `${url}: not found`);
  if (!response.ok) throw new ApiError(`${url} answered ${response.status} ${response.statusText}`);
  const text = await response.text();
  const read = readApiResponse(text);
  if (read.papers.length === 0 && read.problems.length > 0) throw new ApiError(`${url} answered with no paper it could read: ${read.problems[0].message}`);
  return read.papers;
}
