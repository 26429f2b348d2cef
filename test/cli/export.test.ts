/**
 * Exports as a real process, checked by the tool people render notes with: the sample note goes
 * through `pandoc --citeproc` with each export format and every citation must resolve.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
let work: string;

function run(command: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: work, encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}); install it: apt-get install -y ${command}`);
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'litdigest-export-'));
  cpSync(join(ROOT, 'samples'), join(work, 'samples'), { recursive: true });
  writeFileSync(join(work, 'samples', 'hostile.digest'), '3 R&D for 50% of #1 Models_v2 {x} ~ $y$ ^z \\cmd Title We study &amp; <b>. 2 authors · Mar 3, 2024\n');
});
// The copy of the samples goes when the tests end: each run left one in the temporary folder.
after(() => rmSync(work, { recursive: true, force: true }));

describe('litdigest export', () => {
  it('writes CSL-JSON with key, title, date, abstract, URL and a note', () => {
    const { code, stdout } = run(process.execPath, [CLI, 'export', '--format', 'csl-json', 'samples']);
    assert.equal(code, 0);
    const items = JSON.parse(stdout);
    assert.equal(items.length, 37);
    const camels = items.find((item: { id: string }) => item.id === 'camels-changing-climate2023');
    assert.deepEqual({ ...camels, abstract: undefined }, {
      id: 'camels-changing-climate2023', 'citation-key': 'camels-changing-climate2023', type: 'article',
      title: 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2', issued: { 'date-parts': [[2023, 11, 17]] },
      URL: 'https://huggingface.co/papers?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202',
      note: '20 upvotes on Hugging Face Papers; 11 authors; 5 comments', source: 'Hugging Face Papers', abstract: undefined,
    });
    assert.match(camels.abstract, /^Since the release of T\\"ULU/);
  });

  it('escapes BibTeX specials and protects capitals', () => {
    const { stdout } = run(process.execPath, [CLI, 'export', '--format', 'bibtex', 'samples/hostile.digest']);
    assert.match(stdout, /^@misc\{rd-50-1-2024,$/m);
    assert.match(stdout, /title = \{\{R\\&D\} for 50\\% of \\#1 \{Models\\_v2\} \\\{x\\\} \\~\{\} \\\$y\\\$ \\\^\{\}z \\textbackslash\{\}cmd \{Title\}\}/);
    assert.match(stdout, /month = mar,\n {2}day = \{3\}/);
    assert.match(stdout, /abstract = \{We study \\&amp; <b>\.\}/);
  });

  it('exports only what a note cites, and never writes into its inputs', () => {
    const { code, stdout } = run(process.execPath, [CLI, 'export', '--format', 'csl-json', '--cited-by', 'samples/notes/alignment.md', 'samples']);
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).length, 8);
    const digest = readFileSync(join(work, 'samples', 'tulu-search.digest.txt'), 'utf8');
    const refused = run(process.execPath, [CLI, 'export', '--format', 'bibtex', '--out', 'samples/tulu-search.digest.txt', 'samples']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is one of the inputs/);
    assert.equal(readFileSync(join(work, 'samples', 'tulu-search.digest.txt'), 'utf8'), digest);
  });

  for (const [format, file] of [['csl-json', 'references.json'], ['bibtex', 'references.bib']] as const) {
    it(`renders the sample note with pandoc --citeproc from ${format}, every citation resolved`, () => {
      assert.equal(run(process.execPath, [CLI, 'export', '--format', format, '--out', file, 'samples']).code, 0);
      const { code, stdout, stderr } = run('pandoc', ['--citeproc', '--bibliography', file, '-t', 'plain', '--wrap=none', 'samples/notes/alignment.md']);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /not found/i, stderr);
      assert.doesNotMatch(stdout, /\?\?|@camels|@fipo/, 'no citation left unresolved');
      for (const [title, year] of [
        ['Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2', 2023],
        ['SmolTulu: Higher Learning Rate to Batch Size Ratios Can Lead to Better Reasoning in SLMs', 2024],
        ['Xmodel-2 Technical Report', 2024],
        ['Baichuan 2: Open Large', 2023],
      ] as const) {
        assert.match(stdout, new RegExp(`“${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^”]*” ${year}\\.`), `${title} (${year}) in the references`);
      }
      assert.equal((stdout.match(/^“.*” \d{4}\. https:\/\/huggingface\.co\//gm) ?? []).length, 8, 'eight papers in the references');
    });
  }
});
