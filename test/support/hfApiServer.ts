/**
 * A local stand-in for the Hugging Face Papers API on 127.0.0.1 that replays the recorded responses
 * of test/fixtures/hf-api: `/api/daily_papers?date=D` answers the recording of that day (an empty
 * list for other days), `/api/papers/ID` the recorded paper object (404 when none), and
 * `/api/papers/search?q=…` the recorded items whose title holds every word of the query. Nothing in
 * the tests reaches the internet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The recordings, beside this file; a bundled copy of it (the in-editor suite) names them itself. */
const RECORDINGS = join(__dirname, '..', 'fixtures', 'hf-api');

interface RecordedItem { paper: { id: string; title: string } }

export interface ReplayServer {
  url: string;
  /** The paths and queries asked, in order. */
  requests: string[];
  /** Holds every answer for this long (to test time-outs and cancelling). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReplayServer(recordings = RECORDINGS): Promise<ReplayServer> {
  const days = new Map<string, string>();
  const items: RecordedItem[] = [];
  for (const name of readdirSync(recordings)) {
    const day = /^daily_papers-(\d{4}-\d{2}-\d{2})\.json$/.exec(name)?.[1];
    if (!day) continue;
    const text = readFileSync(join(recordings, name), 'utf8');
    days.set(day, text);
    items.push(...(JSON.parse(text) as RecordedItem[]));
  }
  const state = { requests: [] as string[], delayMs: 0 };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    state.requests.push(`${url.pathname}${url.search}`);
    const answer = (status: number, body: string) => setTimeout(() => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    }, state.delayMs);
    if (url.pathname === '/api/daily_papers') return answer(200, days.get(url.searchParams.get('date') ?? '') ?? '[]');
    if (url.pathname === '/api/papers/search') {
      const words = (url.searchParams.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      return answer(200, JSON.stringify(items.filter((item) => words.every((word) => item.paper.title.toLowerCase().includes(word)))));
    }
    const paper = /^\/api\/papers\/(.+)$/.exec(url.pathname);
    if (paper) {
      const found = items.find((item) => item.paper.id === decodeURIComponent(paper[1]));
      return found ? answer(200, JSON.stringify(found.paper)) : answer(404, '{"error":"Paper not found"}');
    }
    return answer(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() { return state.requests; },
    get delayMs() { return state.delayMs; },
    set delayMs(value: number) { state.delayMs = value; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
