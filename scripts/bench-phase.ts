/** One measurement of `npm run bench`, run in its own process; prints a JSON line of figures. */
import Fuse from 'fuse.js';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FILE_KIND_SETTINGS, FileClassifier } from '../server/src/loading/fileClassifier';
import { createNodeFileSystem } from '../server/src/loading/nodeFileSystem';
import { defaultPoolSize, ParseWorkerPool } from '../server/src/loading/parseWorkerPool';
import { WorkspaceIndex } from '../server/src/index/workspaceIndex';
import { loadWorkspace } from '../server/src/loading/workspaceLoader';
import { seededRandom } from './bench-corpus';

const [name, target] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Loads the workspace as the language server and the CLI do: digests parsed on worker threads. */
async function indexWorkspace(folder: string, workers: number): Promise<{ index: WorkspaceIndex; ms: number }> {
  const index = new WorkspaceIndex();
  const started = performance.now();
  const pool = workers > 0 ? new ParseWorkerPool(join(__dirname, '..', 'dist', 'parseWorker.js'), workers) : undefined;
  await loadWorkspace(index, createNodeFileSystem(), new FileClassifier(DEFAULT_FILE_KIND_SETTINGS), [folder], { reader: pool });
  const ms = performance.now() - started;
  if (pool?.failure) throw new Error(`the parse workers failed: ${pool.failure}`);
  await pool?.close();
  return { index, ms };
}

/** Queries a person would type: title words, a typo, an unfinished word, an abstract phrase. */
const QUERIES = [
  'pipeline parallelism', 'zero bubble', 'diffusion image synthesis', 'tulu', 'mixture of experts',
  'instruction tuning', 'retrieval augmented generation', 'lora fine-tuning', 'video generation',
  'reasoning math', 'transfromer', 'multimodal llm', 'speculative decoding', 'quantization 4-bit',
  'text-to-3d', 'agent', 'long context', 'preference optimization dpo', 'visual instruction', 'benchm',
  'scaling laws', 'state space models mamba', 'hallucination', 'code generation', 'embedding',
];

async function main(): Promise<Record<string, number>> {
  switch (name) {
    case 'read-split': {
      const started = performance.now();
      let lines = 0;
      for (const file of readdirSync(target)) lines += readFileSync(join(target, file), 'utf8').split(/\r\n|\r|\n/).length;
      return { ms: performance.now() - started, lines };
    }
    case 'index': {
      const workers = defaultPoolSize();
      const { index, ms } = await indexWorkspace(target, workers);
      gc();
      const memory = process.memoryUsage();
      return { ms, papers: index.paperCount, rss: memory.rss, heapUsed: memory.heapUsed, workers, cores: availableParallelism() };
    }
    case 'index-one-thread': {
      const { index, ms } = await indexWorkspace(target, 0);
      gc();
      return { ms, papers: index.paperCount, rss: process.memoryUsage().rss };
    }
    case 'edit': {
      const text = readFileSync(target, 'utf8');
      const started = performance.now();
      const lines = text.split(/\r\n|\r|\n/);
      const baselineMs = performance.now() - started;
      const index = new WorkspaceIndex();
      index.setDigestText(target, text);
      const random = seededRandom(3);
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const line = 2 + Math.floor(random() * (lines.length - 3));
        // Change the upvotes, or the title (a new paper, a new key), as a person would.
        const edited = i % 2 === 0 ? lines[line].replace(/^(\d+|-)/, String(i)) : lines[line].replace(/^(\d+|-) (\S+)/, `$1 $2 Revised${i}`);
        const before = performance.now();
        index.editDigestLines(target, line, 1, [edited]);
        times.push(performance.now() - before);
        lines[line] = edited;
      }
      return { baselineMs, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };
    }
    case 'search': {
      const { index } = await indexWorkspace(target, defaultPoolSize());
      for (const query of QUERIES.slice(0, 3)) index.search(query, { limit: 20 }); // warm up
      const times: number[] = [];
      for (let round = 0; round < 4; round++) {
        for (const query of QUERIES) {
          const before = performance.now();
          index.search(query, { limit: 20 });
          times.push(performance.now() - before);
        }
      }
      const docs = index.papers().map((paper) => ({ key: paper.key, title: paper.locations[0].entry.title, abstract: paper.locations[0].entry.abstract }));
      const buildStarted = performance.now();
      const fuse = new Fuse(docs, { keys: ['key', 'title', 'abstract'], ignoreLocation: true, threshold: 0.3 });
      const fuseBuild = performance.now() - buildStarted;
      const fuseQueries = QUERIES.slice(0, 3);
      const fuseStarted = performance.now();
      for (const query of fuseQueries) fuse.search(query, { limit: 20 });
      const fuseMean = (performance.now() - fuseStarted) / fuseQueries.length;
      return { papers: index.paperCount, queries: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), fuseBuild, fuseMean, fuseQueries: fuseQueries.length };
    }
    default:
      throw new Error(`unknown phase ${name}`);
  }
}

main().then((result) => console.log(JSON.stringify(result)));
