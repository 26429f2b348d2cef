/**
 * What Pandoc itself reads as citations: `pandoc -f markdown -t json` run for real, and the
 * `citationId` of every Cite in its output, in the order the JSON holds them. The differential
 * tests compare the Markdown scanner with this.
 */
import { spawn, spawnSync } from 'node:child_process';

/** Pandoc's version line, or a failure that says how to get it (the differential test must not pass without it). */
export function pandocVersion(): string {
  const result = spawnSync('pandoc', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`pandoc is needed for the differential citation test and could not be run (${result.error?.message ?? result.stderr}); install it (Debian: apt-get install pandoc, as .ci/run does)`);
  }
  return result.stdout.split('\n')[0];
}

/** The JSON AST of `markdown` as `pandoc -f markdown -t json` gives it. */
export function pandocJson(markdown: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn('pandoc', ['-f', 'markdown', '-t', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pandoc exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
      else resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
    });
    child.stdin.end(markdown, 'utf8');
  });
}

interface CiteNode { t: 'Cite'; c: [{ citationId: string; citationPrefix: unknown; citationSuffix: unknown }[], unknown] }

function isCite(node: unknown): node is CiteNode {
  return typeof node === 'object' && node !== null && (node as { t?: unknown }).t === 'Cite';
}

/**
 * Every citation id under `node`, depth first. A Cite's own content is Pandoc's copy of the source
 * text, not something it read, so only the prefixes and suffixes are searched further.
 */
export function citationIds(node: unknown, out: string[] = []): string[] {
  if (isCite(node)) {
    for (const citation of node.c[0]) {
      citationIds(citation.citationPrefix, out);
      out.push(citation.citationId);
      citationIds(citation.citationSuffix, out);
    }
  } else if (Array.isArray(node)) {
    for (const child of node) citationIds(child, out);
  } else if (typeof node === 'object' && node !== null) {
    for (const child of Object.values(node)) citationIds(child, out);
  }
  return out;
}

/**
 * What Pandoc reads of an R Markdown or Quarto file once knitr has run its chunks: a chunk header
 * ```` ```{r, label=x} ```` is code to knitr, though its attributes are no valid Pandoc
 * attributes (Pandoc alone would read the line as text). The header becomes a plain fence of the
 * same length, so lines keep their numbers.
 */
export function asKnitted(markdown: string): string {
  return markdown.replace(/^([ \t]*)(`{3,})[ \t]*\{[^\n]*$/gm, '$1$2');
}
