/**
 * A real third-party LSP client: Neovim's built-in client (0.7+), headless, drives
 * `node dist/server.js --stdio` through test/nvim/probe.lua and checks document symbols, hover,
 * completion and definition. Needs `nvim` on PATH (Debian: `apt-get install -y neovim`) or in
 * LITDIGEST_NVIM, and a built server (`npm run bundle`). Missing either fails the test.
 *
 *   node --import tsx --test test/nvim/neovim.test.ts
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const REPO = join(__dirname, '..', '..');
const SERVER = join(REPO, 'dist', 'server.js');
const PROBE = join(__dirname, 'probe.lua');
const FIXTURE = join(REPO, 'test', 'fixtures', 'tulu-search.txt');
const NVIM = process.env.LITDIGEST_NVIM || 'nvim';
const TIMEOUT_MS = 60_000;
const INSTALL = 'Neovim (>= 0.7) is required for this test: install it with `apt-get update && apt-get install -y neovim` (or point LITDIGEST_NVIM at an nvim binary).';

const NOTE = [
  '# Reading notes',
  '',
  'Tulu 2 scaled DPO [@camels-changing-climate2023; @fipo2024].',
  'Compare [@tulu] with',
  'As shown by @tul',
  '',
].join('\n');

interface ProbeRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; timedOut: boolean }

/** The nvim version as [major, minor, patch], or fails the test with how to install it. */
function nvimVersion(): [number, number, number] {
  const result = spawnSync(NVIM, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) assert.fail(`${INSTALL}\n(${NVIM} --version: ${result.error.message})`);
  const match = /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(result.stdout);
  assert.ok(match, `${INSTALL}\n(unexpected \`${NVIM} --version\` output: ${result.stdout.slice(0, 200)})`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Runs the probe in headless Neovim; on timeout ends nvim and the server (its process group). */
function runProbe(root: string): Promise<ProbeRun> {
  const state = join(root, '.nvim-state');
  const started = Date.now();
  const child = spawn(NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${PROBE.replace(/ /g, '\\ ')}`], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LITDIGEST_SERVER: SERVER,
      LITDIGEST_ROOT: root,
      LITDIGEST_NODE: process.execPath,
      // Keep Neovim away from the user's config, state and LSP log.
      XDG_CONFIG_HOME: join(state, 'config'),
      XDG_DATA_HOME: join(state, 'data'),
      XDG_STATE_HOME: join(state, 'state'),
      XDG_CACHE_HOME: join(state, 'cache'),
      NVIM_LOG_FILE: join(state, 'nvim.log'),
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, TIMEOUT_MS);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

describe('Neovim built-in LSP client (headless)', () => {
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'litdigest-nvim-'));
    mkdirSync(join(root, 'notes'));
    copyFileSync(FIXTURE, join(root, 'tulu.digest.txt'));
    writeFileSync(join(root, 'notes', 'reading.md'), NOTE);
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('gets document symbols, hover, completion and definition from the server', async () => {
    const [major, minor] = nvimVersion();
    assert.ok(major > 0 || minor >= 7, `${INSTALL}\n(found NVIM ${major}.${minor}, which has no usable built-in LSP client)`);
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run bundle\` first`);

    const run = await runProbe(root);
    const transcript = `nvim exit ${run.code}${run.signal ? ` (${run.signal})` : ''} after ${run.ms} ms\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    assert.equal(run.timedOut, false, `nvim did not finish within ${TIMEOUT_MS} ms\n${transcript}`);
    assert.equal(run.code, 0, `the Neovim probe failed\n${transcript}`);
    assert.doesNotMatch(run.stdout + run.stderr, /^FAIL /m, transcript);
    assert.doesNotMatch(run.stderr, /Error detected|\bE\d{1,4}:|Warning:/, `Neovim reported errors\n${transcript}`);

    for (const name of ['initialize', 'indexed', 'documentSymbol', 'hover', 'completion @tul', 'completion @tulu', 'definition', 'didChange', 'pushed settings', 'shutdown']) {
      assert.match(run.stdout, new RegExp(`^ok ${name}:`, 'm'), `no "ok ${name}" line\n${transcript}`);
    }
    const line = run.stdout.split('\n').find((l) => l.startsWith('SUMMARY '));
    assert.ok(line, `no SUMMARY line\n${transcript}`);
    const summary = JSON.parse(line.slice('SUMMARY '.length)) as {
      checks: string[];
      info: {
        status: { papers: number; indexing: boolean };
        definition: string[];
        completion_tul: { labels: string[]; first: string };
        completion_tulu: { first: string };
        server_exit: { code: number; signal: number };
      };
    };
    assert.equal(summary.checks.length, 10, transcript);
    assert.deepEqual([summary.info.status.papers, summary.info.status.indexing], [25, false]);
    assert.ok(summary.info.completion_tul.labels.includes('camels-changing-climate2023'), transcript);
    assert.equal(summary.info.completion_tulu.first, 'camels-changing-climate2023');
    assert.deepEqual(summary.info.definition, ['tulu.digest.txt:4']);
    assert.deepEqual(summary.info.server_exit, { code: 0, signal: 0 });
  });
});
