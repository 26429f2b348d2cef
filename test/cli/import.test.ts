/**
 * `litdigest import` as a real process, on the recorded Hugging Face Papers API responses, and the
 * sample note made from an imported digest rendered by `pandoc --citeproc` with its authors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const API = join(ROOT, 'test', 'fixtures', 'hf-api');
const RECORDED = readdirSync(API).filter((name) => name.endsWith('.json')).map((name) => join(API, name));
let work: string;

function run(command: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}); install it: apt-get install -y ${command}`);
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
const litdigest = (...args: string[]) => run(process.execPath, [CLI, ...args]);

before(() => { work = mkdtempSync(join(tmpdir(), 'litdigest-import-')); });
after(() => rmSync(work, { recursive: true, force: true }));

describe('litdigest import', () => {
  it('prints entries whose titles, authors and arXiv ids are exactly the API\'s', () => {
    for (const file of RECORDED) {
      const { code, stdout, stderr } = litdigest('import', file);
      assert.equal(code, 0, stderr);
      writeFileSync(join(work, 'printed.digest'), stdout);
      const rows = JSON.parse(litdigest('parse', 'printed.digest', '--json').stdout) as { title: string; split: string }[];
      const records = JSON.parse(readFileSync(file, 'utf8')) as { paper: { id: string; title: string; authors: { name: string }[] } }[];
      assert.deepEqual(rows.map((row) => row.title), records.map((r) => r.paper.title.replace(/\s+/g, ' ').trim()));
      assert.ok(rows.every((row) => row.split === 'marker'), 'no title is inferred');
      for (const record of records) {
        assert.ok(stdout.includes(`arXiv: ${record.paper.id} · authors: ${record.paper.authors.map((a) => a.name.trim()).join(', ')}`), record.paper.id);
      }
    }
  });

  it('imports into a digest once: the second time changes nothing', () => {
    const target = join(work, 'daily.digest');
    const first = litdigest('import', ...RECORDED, '--into', 'daily.digest');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /daily\.digest: 39 papers added, metadata filled in for 0 papers, 0 papers already complete/);
    const text = readFileSync(target, 'utf8');
    const second = litdigest('import', ...RECORDED, '--into', 'daily.digest');
    assert.match(second.stderr, /0 papers added, metadata filled in for 0 papers, 39 papers already complete/);
    assert.equal(readFileSync(target, 'utf8'), text);
  });

  it('fills in the metadata of pasted entries, as an edit of those lines only', () => {
    const printed = litdigest('import', RECORDED[0]).stdout.split('\n');
    // The first paper pasted as Hugging Face shows it: no marker, no metadata line.
    const pasted = `# Pasted\n${printed[0].replace(' || ', ' ')}\n  my note\n`;
    writeFileSync(join(work, 'pasted.digest'), pasted);
    const { stderr } = litdigest('import', RECORDED[0], '--into', 'pasted.digest');
    assert.match(stderr, /metadata filled in for 1 paper,/);
    const lines = readFileSync(join(work, 'pasted.digest'), 'utf8').split('\n');
    assert.deepEqual(lines.slice(0, 4), ['# Pasted', printed[0].replace(' || ', ' '), printed[1], '  my note']);
  });

  it('names the file and record it cannot read, imports the rest, and exits 2', () => {
    const records = JSON.parse(readFileSync(RECORDED[0], 'utf8')) as unknown[];
    writeFileSync(join(work, 'mixed.json'), JSON.stringify([records[0], { paper: { id: '2401.00001' } }]));
    writeFileSync(join(work, 'broken.json'), '{"paper": ');
    const { code, stdout, stderr } = litdigest('import', 'mixed.json', 'broken.json');
    assert.equal(code, 2);
    assert.match(stderr, /litdigest: mixed\.json: record 2: has no title; skipped/);
    assert.match(stderr, /litdigest: broken\.json: not JSON: /);
    assert.equal(stdout.split('\n').filter((line) => /^\d+ /.test(line)).length, 1, 'the readable record is imported');
  });

  it('refuses to import into one of its inputs', () => {
    writeFileSync(join(work, 'same.json'), readFileSync(RECORDED[0]));
    const { code, stderr } = litdigest('import', 'same.json', '--into', 'same.json');
    assert.equal(code, 2);
    assert.match(stderr, /--into same\.json is one of the inputs/);
  });
});

describe('the sample note on imported papers', () => {
  for (const format of ['csl-json', 'bibtex'] as const) {
    it(`renders with pandoc --citeproc from ${format} with the authors' names`, () => {
      cpSync(join(ROOT, 'samples'), join(work, 'samples'), { recursive: true });
      const file = join(work, format === 'bibtex' ? 'refs.bib' : 'refs.json');
      assert.equal(litdigest('export', '--format', format, '--out', file, 'samples').code, 0);
      const { code, stdout, stderr } = run('pandoc', ['--citeproc', '--bibliography', file, '-t', 'plain', '--wrap=none', 'samples/notes/agents.md']);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /not found/, 'every citation resolves');
      assert.match(stdout, /\(Xiong et al\. 2025\)/, 'author-year citations');
      assert.match(stdout, /Xiong, Weimin, Yifan Song, Qingxiu Dong/, 'the reference list names the authors');
      assert.match(stdout, /https:\/\/doi\.org\/10\.48550\/arXiv\.2503\.02682/);
    });
  }
});
