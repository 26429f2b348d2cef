/**
 * The Markdown citation scanner against Pandoc itself (`pandoc -f markdown -t json`, run for real):
 * on real documents written by others (test/fixtures/pandoc-citations, sources in its SOURCES.md)
 * and on generated snippets, every citation id must agree. Without pandoc the test fails: it must
 * never pass by not running.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { scanMarkdownCitations } from '../../server/src/notes/markdownCitations';
import { splitLines } from '../../server/src/shared/text';
import { asKnitted, citationIds, pandocJson, pandocVersion } from './pandocReading';
import { markdownSnippets } from './pandocSnippets';

const CORPUS = join(__dirname, '..', 'fixtures', 'pandoc-citations');
const SNIPPETS = 400;
const SEED = 12;

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return /\.(md|txt|qmd|Rmd|rmd|markdown)$/.test(name) && name !== 'SOURCES.md' ? [path] : [];
  });
}

/** Pandoc's ids without the empty one of `@{}`, which the scanner leaves out on purpose (README). */
function pandocIds(node: unknown): string[] {
  return citationIds(node).filter((id) => id !== '');
}

const sorted = (ids: string[]) => [...ids].sort();

describe('Markdown citations agree with Pandoc', () => {
  before(() => { pandocVersion(); });

  it('on every file of the real corpus (Pandoc\'s tests and manual, Quarto, R Markdown), as a multiset per file and in order outside the metadata', async () => {
    const files = corpusFiles(CORPUS);
    assert.ok(files.length >= 150, `the corpus is there (${files.length} files)`);
    let citations = 0;
    const disagreements: string[] = [];
    await Promise.all(files.map(async (file) => {
      const text = readFileSync(file, 'utf8');
      // R Markdown and Quarto files reach Pandoc after knitr, for which chunk headers are code.
      const json = await pandocJson(/\.(qmd|rmd)$/i.test(file) ? asKnitted(text) : text) as { meta: unknown; blocks: unknown };
      const pandoc = pandocIds(json);
      const scanned = scanMarkdownCitations(text).map((citation) => citation.key);
      citations += pandoc.length;
      if (JSON.stringify(sorted(pandoc)) !== JSON.stringify(sorted(scanned))) {
        disagreements.push(`${relative(CORPUS, file)}: pandoc ${JSON.stringify(pandoc)}, scanner ${JSON.stringify(scanned)}`);
      }
    }));
    assert.deepEqual(disagreements, [], `${disagreements.length} of ${files.length} files disagree`);
    assert.ok(citations >= 200, `the corpus holds citations (${citations})`);
  });

  it(`on ${SNIPPETS} generated snippets of the constructs that matter, in order, in one pandoc run`, async () => {
    const snippets = markdownSnippets(SEED, SNIPPETS);
    const parts: string[] = [];
    const ranges: { first: number; end: number }[] = [];
    let line = 0;
    snippets.forEach((snippet, n) => {
      const lines = splitLines(snippet.text).length;
      ranges.push({ first: line, end: line + lines });
      parts.push(snippet.text, '', `SEPARATOR-${n}`, '');
      line += lines + 3;
    });
    const document = parts.join('\n');
    const json = await pandocJson(document) as { meta: unknown; blocks: { t: string; c: unknown }[] };

    // Pandoc's top-level blocks, cut at the separator paragraphs.
    const pandocBySnippet: string[][] = [];
    let current: unknown[] = [];
    for (const block of json.blocks) {
      const separator = block.t === 'Para' && JSON.stringify(block.c).match(/^\[\{"t":"Str","c":"SEPARATOR-(\d+)"\}\]$/);
      if (separator) {
        assert.equal(Number(separator[1]), pandocBySnippet.length, 'snippets stay apart (each closes what it opens)');
        pandocBySnippet.push(pandocIds(current));
        current = [];
      } else current.push(block);
    }
    assert.equal(pandocBySnippet.length, SNIPPETS);

    const scanned = scanMarkdownCitations(document);
    const disagreements: string[] = [];
    const yamlScanned: string[] = [];
    ranges.forEach(({ first, end }, n) => {
      const keys = scanned.filter((c) => c.line >= first && c.line < end).map((c) => c.key);
      if (snippets[n].yaml) { yamlScanned.push(...keys); return; }
      if (JSON.stringify(keys) !== JSON.stringify(pandocBySnippet[n])) {
        disagreements.push(`snippet ${n}: ${JSON.stringify(snippets[n].text)}\n  pandoc  ${JSON.stringify(pandocBySnippet[n])}\n  scanner ${JSON.stringify(keys)}`);
      }
    });
    // Pandoc gathers the YAML blocks' metadata in one map, ordered by field name.
    assert.deepEqual(sorted(yamlScanned), sorted(pandocIds(json.meta)), 'citations in YAML metadata');
    assert.equal(disagreements.length, 0, `${disagreements.length} of ${SNIPPETS} snippets disagree:\n${disagreements.slice(0, 15).join('\n')}`);
    assert.ok(pandocBySnippet.flat().length > SNIPPETS, 'the snippets hold citations');
  });
});

describe('Markdown citation scanner speed', () => {
  it('scans a 5,000-line note in a few milliseconds', () => {
    const note = markdownSnippets(7, 900).filter((s) => !s.yaml).map((s) => s.text).join('\n\n');
    const text = splitLines(note).slice(0, 5000).join('\n');
    assert.ok(splitLines(text).length === 5000);
    scanMarkdownCitations(text);
    const runs = 20;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) scanMarkdownCitations(text);
    const milliseconds = Number(process.hrtime.bigint() - start) / 1e6 / runs;
    // Measured about 2-3 ms here; the bound leaves room for a slow CI machine.
    assert.ok(milliseconds < 25, `${milliseconds.toFixed(1)} ms for 5,000 lines`);
  });
});
