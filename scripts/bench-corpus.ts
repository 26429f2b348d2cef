/**
 * Generates benchmark workspaces from the real papers of the fixtures: each paper is repeated with
 * a varied title (words swapped in from other titles, a version suffix) and a shifted date, and
 * the lines are shuffled into files. Half the papers carry a metadata line (an arXiv id, their
 * authors' names drawn from the recorded API responses, sometimes a code link), as imported papers
 * do. Deterministic (seeded), so runs compare.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Mulberry32: a small seeded random generator. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SourcePaper {
  upvotes: string;
  title: string;
  abstract: string;
  authors: number;
}

function loadSourcePapers(): SourcePaper[] {
  const lines = readFileSync(join(FIXTURES, 'hf-papers-2024.txt'), 'utf8').split('\n').filter((line) => line.trim());
  const truth = readFileSync(join(FIXTURES, 'hf-papers-2024.truth.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { line: number; title: string; authors: number });
  return truth.map((row) => {
    const line = lines[row.line];
    const upvotes = line.slice(0, line.indexOf(' '));
    const start = line.indexOf(row.title) + row.title.length + 1;
    const tail = line.search(/\s\d+ authors? · /);
    return { upvotes, title: row.title, abstract: line.slice(start, tail), authors: row.authors };
  });
}

/** Author names of the recorded Hugging Face API responses. */
function recordedAuthorNames(): string[] {
  const folder = join(FIXTURES, 'hf-api');
  const names = new Set<string>();
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.json'))) {
    for (const item of JSON.parse(readFileSync(join(folder, name), 'utf8')) as { paper: { authors: { name: string }[] } }[]) {
      for (const author of item.paper.authors) names.add(author.name.replace(/\s+/g, ' ').trim());
    }
  }
  return [...names].filter(Boolean).sort();
}

/**
 * Makes `count` entries from the real papers, each title varied so keys and searches differ; an
 * entry with metadata is its line and its metadata line, joined by a newline.
 */
export function generateEntryLines(count: number, seed = 42): string[] {
  const papers = loadSourcePapers();
  const authorNames = recordedAuthorNames();
  const random = seededRandom(seed);
  const titleWords = [...new Set(papers.flatMap((p) => p.title.split(/\s+/)).filter((w) => /^[A-Z][a-z]{3,}$/.test(w)))];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const paper = papers[i % papers.length];
    const copy = Math.floor(i / papers.length);
    let title = paper.title;
    if (copy > 0) {
      const words = title.split(' ');
      const at = 1 + Math.floor(random() * Math.max(1, words.length - 1));
      words.splice(at, 0, titleWords[Math.floor(random() * titleWords.length)]);
      title = `${words.join(' ')} ${titleWords[Math.floor(random() * titleWords.length)]} ${copy}`;
    }
    const year = 2019 + Math.floor(random() * 6);
    const date = `${MONTHS[Math.floor(random() * 12)]} ${1 + Math.floor(random() * 28)}, ${year}`;
    const comments = random() < 0.4 ? ` ${1 + Math.floor(random() * 9)}` : '';
    // No split marker: every line goes through the title split, as pasted listings do.
    const entry = `${paper.upvotes} ${title} ${paper.abstract} ${paper.authors} authors · ${date}${comments}`;
    if (random() < 0.5) {
      const names = Array.from({ length: Math.max(1, paper.authors) }, () => authorNames[Math.floor(random() * authorNames.length)]);
      const arxiv = `${String(year).slice(2)}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}.${String(Math.floor(random() * 100000)).padStart(5, '0')}`;
      const code = random() < 0.4 ? ` · code: https://github.com/example/paper-${i}` : '';
      lines.push(`${entry}\narXiv: ${arxiv} · authors: ${names.join(', ')}${code}`);
    } else {
      lines.push(entry);
    }
  }
  return lines;
}

/** Writes `entries` entries over `files` digest files under `folder` (emptied first). */
export function writeBenchWorkspace(folder: string, entries: number, files: number, seed = 42): { bytes: number; paths: string[] } {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const lines = generateEntryLines(entries, seed);
  const random = seededRandom(seed + 1);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  const perFile = Math.ceil(entries / files);
  const paths: string[] = [];
  let bytes = 0;
  for (let f = 0; f < files; f++) {
    const text = `# Bench digest ${f}\n\n${lines.slice(f * perFile, (f + 1) * perFile).join('\n')}\n`;
    const path = join(folder, `papers-${String(f).padStart(4, '0')}.digest`);
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
    paths.push(path);
  }
  return { bytes, paths };
}
