/** `litdigest` with bibliography files: check and export resolve keys of `.bib` and CSL-JSON files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const FIXTURES = join(__dirname, '..', 'fixtures');
let work: string;

function litdigest(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'litdigest-bib-'));
  mkdirSync(join(work, 'notes'));
  copyFileSync(join(FIXTURES, 'tulu-search.txt'), join(work, 'tulu.txt'));
  copyFileSync(join(FIXTURES, 'bibliographies', 'biblatex-examples.bib'), join(work, 'biblatex-examples.bib'));
  copyFileSync(join(FIXTURES, 'bibliographies', 'bbt-pandoc-citation.csl.json'), join(work, 'zotero.json'));
  writeFileSync(join(work, 'package.json'), '{"name": "not-a-bibliography"}\n');
  writeFileSync(join(work, 'notes', 'all.md'), 'See [@fipo2024; @knuth:ct:a; @Berndt1994, p. 5] and @westfahl:space.\n');
  writeFileSync(join(work, 'notes', 'own.md'), '---\nbibliography: ../zotero.json\n---\n\n@Adams2001 and @knuth:ct:a and @fipo2024.\n');
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('litdigest with bibliographies', () => {
  it('check finds keys of digests, .bib and CSL-JSON files', () => {
    const { code, stdout, stderr } = litdigest('check', 'notes/all.md');
    assert.equal(code, 0, stdout + stderr);
  });

  it("check holds a note with its own bibliography to it (and the digests)", () => {
    const { code, stdout } = litdigest('check', 'notes/own.md');
    assert.equal(code, 1);
    assert.deepEqual(stdout.trim().split('\n'), [
      "notes/own.md:5:17: citation key 'knuth:ct:a' is in biblatex-examples.bib, not in the bibliographies this note names (zotero.json)",
    ]);
  });

  it('export --cited-by writes .bib entries as they are, with their crossref parents', () => {
    const { code, stdout, stderr } = litdigest('export', '--format', 'bibtex', '--cited-by', 'notes/all.md');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /@book\{knuth:ct:a,\n {2}author {7}= \{Knuth, Donald E\.\},/);
    assert.match(stdout, /@incollection\{westfahl:space,/);
    assert.match(stdout, /@collection\{westfahl:frontier,/, 'the crossref parent comes along');
    assert.match(stdout, /@misc\{fipo2024,/);
    const csl = JSON.parse(litdigest('export', '--format', 'csl-json', '--cited-by', 'notes/all.md').stdout);
    const berndt = csl.find((item: { id: string }) => item.id === 'Berndt1994');
    assert.equal(berndt.source, 'MetaPress', 'the CSL item as Zotero wrote it');
  });

  it('keys lists bibliography entries with their files, and package.json is no bibliography', () => {
    const { stdout, stderr } = litdigest('keys', '--json');
    const keys = JSON.parse(stdout) as { key: string; locations: { file: string }[] }[];
    assert.equal(stderr, '');
    assert.ok(keys.some((k) => k.key === 'Adams2001' && k.locations[0].file === 'zotero.json'));
    assert.equal(keys.length, 25 + 92 + 4);
  });
});
