/** The command-line tool as a real process: `node dist/cli.js ...` (built by `npm run build`). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const FIXTURES = join(__dirname, '..', 'fixtures');
let work: string;

function litdigest(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'litdigest-cli-'));
  mkdirSync(join(work, 'digests'));
  mkdirSync(join(work, 'notes'));
  copyFileSync(join(FIXTURES, 'tulu-search.txt'), join(work, 'digests', 'tulu.txt'));
  writeFileSync(join(work, 'digests', 'more.digest'), [
    '# Copied again',
    '25 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 6',
    '7 Zero Bubble Pipeline Parallelism Pipeline parallelism is one of the key components for large-scale distributed training. 4 authors · Nov 30, 2023',
  ].join('\n'));
  writeFileSync(join(work, 'notes', 'note.md'), 'Works [@camels-changing-climate2023; @fipo2023, p. 3].\nSee @smoltulu2024 and @nosuchpaper1999; mail me@example.org.\n');
  writeFileSync(join(work, 'notes', 'paper.tex'), '\\citep{zero-bubble-pipeline2023,camels-changing-climate2023}\n');
});
// The work folder (about 50 MB, with the large digests some tests write) goes when the tests end: each run left one.
after(() => rmSync(work, { recursive: true, force: true }));

describe('litdigest --help and --version', () => {
  it('prints the usage for --help and -h, and each command its own', () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = litdigest(flag);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^Usage: litdigest <command> \[options\]/);
    }
    const parse = litdigest('parse', '--help');
    assert.equal(parse.code, 0);
    assert.equal(parse.stdout.trim(), 'Usage: litdigest parse FILE... [--json]\n\nthe entries of digest files');
    assert.match(litdigest('help', 'export').stdout, /^Usage: litdigest export --format bibtex\|csl-json/);
  });

  it('prints the version', () => {
    const { code, stdout } = litdigest('--version');
    assert.equal(code, 0);
    assert.match(stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});

describe('litdigest parse', () => {
  it('prints the entries as JSON with the documented fields', () => {
    const { code, stdout, stderr } = litdigest('parse', 'digests/tulu.txt', '--json');
    assert.equal(code, 0, stderr);
    const rows = JSON.parse(stdout);
    assert.equal(rows.length, 25);
    assert.deepEqual(rows[4], {
      file: 'digests/tulu.txt', line: 5, key: 'camels-changing-climate2023',
      title: 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2',
      abstract: rows[4].abstract, upvotes: 20, authors: 11, date: '2023-11-17', yearInferred: false, comments: 5, split: 'inferred',
      confidence: rows[4].confidence,
    });
    assert.ok(rows[4].confidence > 0.5 && rows[4].confidence <= 1, `confidence ${rows[4].confidence}`);
    assert.match(rows[4].abstract, /^Since the release of T\\"ULU/);
    assert.equal(rows[0].upvotes, null, "the listing shows '-': no count, not 0");
    assert.equal(rows[0].comments, null);
  });

  it('prints one line per entry without --json', () => {
    const { code, stdout } = litdigest('parse', 'digests/more.digest');
    assert.equal(code, 0);
    assert.deepEqual(stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2)), [['digests/more.digest:2', 'camels-changing-climate2023'], ['digests/more.digest:3', 'zero-bubble-pipeline2023']]);
    writeFileSync(join(work, 'one.digest'), '1 One of Each: A Paper || We study one thing. 1 author · Jan 3, 2024 1\n');
    assert.deepEqual(litdigest('parse', 'one.digest').stdout.trim().split('\t').slice(4), ['1 upvote', '1 author', '1 comment'], 'one is singular');
  });

  it('names each bad input in one line, still parses the good files, and fails with exit 2', () => {
    writeFileSync(join(work, 'binary.digest'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe]));
    mkdirSync(join(work, 'folder.digest'), { recursive: true });
    writeFileSync(join(work, 'long.digest'), `1 Long Title Begins Here ${'x'.repeat(50 * 1024 * 1024)} 3 authors · Jan 2, 2024\n2 Short Paper We study short things. 1 author · Jan 3, 2024\n`);
    const { code, stdout, stderr } = litdigest('parse', 'missing.digest', 'folder.digest', 'binary.digest', 'long.digest', 'digests/more.digest', '--json');
    assert.equal(code, 2);
    const lines = stderr.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/:.*/, '')), ['litdigest', 'litdigest', 'litdigest', 'long.digest']);
    assert.match(stderr, /missing\.digest: no such file/);
    assert.match(stderr, /folder\.digest: is a folder/);
    assert.match(stderr, /binary\.digest: binary data/);
    assert.match(stderr, /long\.digest:1:1: warning: line is 52,428,8\d\d characters long/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    const rows = JSON.parse(stdout);
    assert.deepEqual(rows.map((r: { file: string; line: number }) => `${r.file}:${r.line}`), ['long.digest:2', 'digests/more.digest:2', 'digests/more.digest:3']);
  });

  it('never writes into its inputs', () => {
    const path = join(work, 'digests', 'tulu.txt');
    const before = { text: readFileSync(path, 'utf8'), mtime: statSync(path).mtimeMs };
    litdigest('parse', path);
    litdigest('search', 'tulu', 'digests');
    litdigest('keys', 'digests');
    assert.equal(readFileSync(path, 'utf8'), before.text);
    assert.equal(statSync(path).mtimeMs, before.mtime);
  });
});

describe('line numbers and upvotes, the same in every output', () => {
  before(() => {
    mkdirSync(join(work, 'lines'), { recursive: true });
    // The entry is on the file's third line (0-based 2): a 0-based number anywhere shows as 2.
    writeFileSync(join(work, 'lines', 'a.digest'), '# Heading\n\n- Lined Up Papers: One || We count lines. 2 authors · Jan 3, 2024\n');
    writeFileSync(join(work, 'lines', 'b.digest'), '0 Lined Up Papers: Two || We count again. 2 authors · Jan 4, 2024\n');
    writeFileSync(join(work, 'lines', 'note.md'), 'See @lined-up-papers2024.\n');
  });

  it('gives one entry the same 1-based line in parse, parse --json, search --json, keys, keys --json and check', () => {
    const where = 'lines/a.digest:3';
    const parseText = litdigest('parse', 'lines/a.digest').stdout.trim().split('\t');
    assert.equal(parseText[0], where);
    const parsed = JSON.parse(litdigest('parse', 'lines/a.digest', '--json').stdout)[0];
    assert.equal(`${parsed.file}:${parsed.line}`, where);
    const searched = (JSON.parse(litdigest('search', 'lined up papers one', 'lines', '--json').stdout) as { file: string; line: number; locations: string[]; title: string }[])
      .find((result) => result.title === 'Lined Up Papers: One')!;
    assert.equal(`${searched.file}:${searched.line}`, where, 'search --json: line');
    assert.deepEqual(searched.locations, [where], 'search --json: locations, in the same object');
    const keys = JSON.parse(litdigest('keys', 'lines', '--json').stdout) as { title: string; locations: { file: string; line: number }[] }[];
    const located = keys.find((paper) => paper.title === 'Lined Up Papers: One')!.locations.map((l) => `${l.file}:${l.line}`);
    assert.deepEqual(located, [where], 'keys --json');
    assert.match(litdigest('keys', 'lines').stdout, new RegExp(`\tLined Up Papers: One\t${where}$`, 'm'), 'keys');
    const check = litdigest('check', 'lines/note.md', '--digests', 'lines');
    assert.match(check.stdout, new RegExp(`"Lined Up Papers: One" \\(${where}\\)`), `check: ${check.stdout}`);
  });

  it("gives null upvotes in JSON and 'no upvotes' in text where the listing shows '-', and 0 where it shows 0", () => {
    const parsed = JSON.parse(litdigest('parse', 'lines/a.digest', 'lines/b.digest', '--json').stdout) as { upvotes: number | null }[];
    assert.deepEqual(parsed.map((row) => row.upvotes), [null, 0]);
    assert.deepEqual(litdigest('parse', 'lines/a.digest', 'lines/b.digest').stdout.trim().split('\n').map((line) => line.split('\t')[4]), ['no upvotes', '0 upvotes']);
    const searched = JSON.parse(litdigest('search', 'lined up papers', 'lines', '--json').stdout) as { title: string; upvotes: number | null }[];
    assert.deepEqual(searched.map((result) => [result.title, result.upvotes]).sort(), [['Lined Up Papers: One', null], ['Lined Up Papers: Two', 0]]);
    assert.match(litdigest('search', 'lined up papers one', 'lines').stdout, /Lined Up Papers: One \(2024-01-03, no upvotes\)/);
  });
});

describe('litdigest search', () => {
  it('ranks the paper a person means first', () => {
    const { code, stdout } = litdigest('search', 'zero bubble pipeline', 'digests', '--json', '--limit', '3');
    assert.equal(code, 0);
    const results = JSON.parse(stdout);
    assert.ok(results.length >= 1 && results.length <= 3);
    assert.equal(results[0].key, 'zero-bubble-pipeline2023');
    assert.equal(results[0].rank, 1);
  });

  it('finds papers by words of the abstract and tolerates a typo', () => {
    const { stdout } = litdigest('search', 'heterogenous chain neurons', 'digests');
    assert.match(stdout.split('\n')[0], /^\s+1\. dynamical-properties-small2024 /);
  });

  it('says so when nothing matches', () => {
    const { code, stdout } = litdigest('search', 'qqqzzzxxx', 'digests');
    assert.equal(code, 0);
    assert.match(stdout, /no papers match 'qqqzzzxxx' \(26 papers searched\)/);
  });
});

describe('litdigest check', () => {
  it('reports each unknown key with its position and the closest known key, exit 1', () => {
    const { code, stdout } = litdigest('check', 'notes/note.md', 'notes/paper.tex', '--digests', 'digests');
    assert.equal(code, 1);
    assert.deepEqual(stdout.trim().split('\n'), [
      "notes/note.md:1:39: unknown citation key 'fipo2023' (did you mean 'fipo2024'?)",
      "notes/note.md:2:24: unknown citation key 'nosuchpaper1999'",
    ]);
  });

  it('exits 0 when every citation resolves', () => {
    const { code, stdout, stderr } = litdigest('check', 'notes/paper.tex', '--digests', 'digests');
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.equal(stderr.trim(), 'litdigest: 2 citations in 1 note checked against 26 papers: all known', 'a clean check says what it checked');
  });
});

describe('litdigest check and the key rule', () => {
  it('warns of a key that two papers derive (exit 0: it resolves), and is silent once a digest pins it', () => {
    mkdirSync(join(work, 'shared-keys'), { recursive: true });
    writeFileSync(join(work, 'shared-keys', 'a.digest'), '1 Tulu Models: Part One || We study one. 2 authors · Jan 3, 2024\n');
    writeFileSync(join(work, 'shared-keys', 'b.digest'), '1 Tulu Models: Part Two || We study two. 2 authors · Jan 4, 2024\n');
    writeFileSync(join(work, 'shared-keys', 'note.md'), 'See @tulu-models2024.\n');
    const warned = litdigest('check', 'shared-keys/note.md', '--digests', 'shared-keys');
    assert.equal(warned.code, 0);
    assert.match(warned.stdout, /^shared-keys\/note\.md:1:6: warning: citation key 'tulu-models2024' may mean 2 papers: it names "Tulu Models: Part One" \(shared-keys\/a\.digest:1\); "Tulu Models: Part Two" \(shared-keys\/b\.digest:1\) is 'tulu-models2024-[a-z2-9]{4}'; pin it/);
    writeFileSync(join(work, 'shared-keys', 'a.digest'), '1 Tulu Models: Part One || We study one. 2 authors · Jan 3, 2024\nkey: tulu-models2024\n');
    const pinned = litdigest('check', 'shared-keys/note.md', '--digests', 'shared-keys');
    assert.deepEqual([pinned.code, pinned.stdout], [0, '']);
    assert.match(litdigest('keys', 'shared-keys').stdout, /^tulu-models2024\t/m);
  });
});

describe('litdigest keys', () => {
  it('lists every paper once with all its locations, from a folder', () => {
    const { code, stdout } = litdigest('keys', 'digests');
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 26);
    const camels = lines.find((l) => l.startsWith('camels-changing-climate2023\t'))!;
    assert.equal(camels.split('\t')[2], 'digests/more.digest:2 digests/tulu.txt:5');
  });
});

describe('usage', () => {
  it('explains a wrong call in one line and exits 2', () => {
    const { code, stderr } = litdigest('frobnicate');
    assert.equal(code, 2);
    assert.equal(stderr.trim(), "litdigest: unknown command 'frobnicate' (litdigest --help for usage)");
    const option = litdigest('search', 'tulu', '--limit', 'many');
    assert.equal(option.code, 2);
    assert.equal(option.stderr.trim(), "litdigest: --limit needs a positive whole number, not 'many' (litdigest --help for usage)");
    const missing = litdigest('check');
    assert.equal(missing.stderr.trim(), 'litdigest: check needs at least one note (litdigest check --help for usage)');
  });

  it('says so when parse is given a note or a file without entries, instead of printing nothing', () => {
    const note = litdigest('parse', 'notes/note.md');
    assert.equal(note.stdout, '');
    assert.match(note.stderr, /^litdigest: notes\/note\.md is a note, not a digest: 'litdigest check' reads its citations/);
    writeFileSync(join(work, 'empty.digest'), '# Nothing pasted yet\n');
    assert.match(litdigest('parse', 'empty.digest').stderr, /^litdigest: empty\.digest: no entries/);
  });

  it('reads a file with invalid UTF-8 with a warning, and exits 0', () => {
    writeFileSync(join(work, 'latin1.digest'), Buffer.concat([Buffer.from('3 Caf'), Buffer.from([0xe9]), Buffer.from(' Paper Title || We study caf\u00e9s. 2 authors \u00b7 Jan 3, 2024\n', 'utf8')]));
    const { code, stdout, stderr } = litdigest('parse', 'latin1.digest', '--json');
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^litdigest: warning: latin1\.digest: /);
    assert.equal(JSON.parse(stdout)[0].title, 'Caf\ufffd Paper Title');
  });
});

describe('output into a pipe closed early', () => {
  it('stops quietly when the reader has had enough (litdigest keys | head -1)', () => {
    const corpus = join(FIXTURES, 'hf-papers-2024.txt');
    // 746 keys is more than a pipe holds, so the tool is still writing when head exits.
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" keys "${corpus}" 2>"${join(work, 'stderr.txt')}" | head -1; echo "exit \${PIPESTATUS[0]}"`], { cwd: work, encoding: 'utf8' });
    const [first, exit] = result.stdout.trim().split('\n');
    assert.match(first, /^[a-z0-9-]+\t/);
    assert.equal(exit, 'exit 0');
    assert.equal(readFileSync(join(work, 'stderr.txt'), 'utf8'), '');
  });
});
