// Starts code-server (a real VS Code server + workbench) and a headless Chromium to look at it.
// See /work/shared/REAL-EDITORS.md for why it is code-server and not desktop VS Code here.

import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { chromiumPath, codeServerEntry, ensureInstalled, loadPlaywright, node24Env, node24Path } from './install.mjs';

// Chromium's own background traffic is refused by this machine's closed network (and it
// retries many connections at a time); these flags keep it quiet and start-up fast.
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** An unused loopback port: let the kernel pick one, then release it for code-server. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// This machine is offline except for npm and Debian: anything in the workbench that reaches
// for a marketplace, an update server or an AI service only fails and fills the log (which
// runTests forwards). Settings, not flags, because code-server has no flags for these.
export const DEFAULT_SETTINGS = Object.freeze({
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'git.enabled': false,
});

/** Writes DEFAULT_SETTINGS unless the user-data dir already has settings of its own. */
function seedUserSettings(userDataDir) {
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  mkdirSync(path.dirname(settingsFile), { recursive: true });
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(DEFAULT_SETTINGS, null, 2) + '\n');
}

/**
 * Kills a whole process group. code-server leaves children (extension host, pty host, file
 * watcher, the language servers extensions start) that outlive it, so killing only its pid
 * is not enough. SIGTERM first so they can tidy up, SIGKILL whatever is left.
 */
async function killGroup(pgid, graceMs = 3000) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {}
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
}

/**
 * Starts code-server and resolves once it answers HTTP. Call stop() when done. If the
 * process may be ended by a signal, turn the signal into process.exit() (as runTests.mjs
 * does): code-server is in its own process group, so it would otherwise outlive us.
 * @param {object} opts
 * @param {string} opts.workspace   folder code-server opens by default
 * @param {number} [opts.port]      default: a free port
 * @param {string} [opts.extensionsDir]  default: fresh, empty (no user extensions leak in)
 * @param {string} [opts.userDataDir]    default: fresh (no settings/state from earlier runs)
 * @param {string[]} [opts.extraArgs]    appended to the command line, e.g. --vscode-option ...
 * @param {boolean} [opts.verbose]       also echo code-server's output to stderr
 * @param {number} [opts.startTimeoutMs]
 * @param {string} [opts.dataDir] where code-server keeps its state and logs (kept after stop); a temporary folder otherwise
 * @returns {Promise<{url: string, port: number, pid: number, logFile: string, tmpDir: string, stop: () => Promise<void>}>}
 */
export async function startCodeServer({
  workspace,
  port,
  extensionsDir,
  userDataDir,
  extraArgs = [],
  verbose = false,
  startTimeoutMs = 60_000,
  dataDir,
} = {}) {
  if (!workspace) throw new Error('startCodeServer: workspace is required');
  // code-server itself needs no browser; the tests start theirs with launchBrowser.
  ensureInstalled({ browser: false });
  port ??= await freePort();

  // dataDir: code-server's state and logs in a folder of the caller's (npm start keeps them in
  // the project's cache); else a temporary folder.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const tmpDir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'litdigest-code-server-'));
  userDataDir ??= path.join(tmpDir, 'user-data');
  extensionsDir ??= path.join(tmpDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  seedUserSettings(userDataDir);
  // Without an explicit --config, code-server reads (and on first run writes)
  // ~/.config/code-server/config.yaml, which could carry a password or bind address.
  const configFile = path.join(tmpDir, 'config.yaml');
  writeFileSync(configFile, '');
  const logFile = path.join(tmpDir, 'code-server.log');

  const args = [
    codeServerEntry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...extraArgs,
    path.resolve(workspace),
  ];

  const logFd = openSync(logFile, 'a');
  // detached: the child calls setsid(), so it leads a new process group that stop() can kill
  // whole, including the grandchildren code-server does not clean up itself.
  const child = spawn(node24Path, args, {
    detached: true,
    stdio: ['ignore', verbose ? 'pipe' : logFd, verbose ? 'pipe' : logFd],
    // Node 24 first on PATH too, for anything that spawns a plain `node`. An empty gallery
    // (no serviceUrl) turns the marketplace off: otherwise the workbench queries open-vsx.org
    // for updates and logs a stack trace per failed lookup on this offline machine.
    env: node24Env({ EXTENSIONS_GALLERY: '{}' }),
  });
  closeSync(logFd);
  if (verbose) {
    const log = createWriteStream(logFile, { flags: 'a' });
    for (const s of [child.stdout, child.stderr]) {
      s.on('data', (d) => {
        process.stderr.write(d);
        log.write(d);
      });
    }
  }
  const pgid = child.pid;

  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  // Last resort if the caller forgets stop() or the process dies on an exception: a
  // synchronous SIGKILL to the group is all an 'exit' handler can still do.
  const onExit = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
    if (!dataDir) rmSync(tmpDir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(pgid);
    process.off('exit', onExit);
    // A caller's data folder stays (npm start keeps its state from one start to the next).
    if (!dataDir) rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(
          `code-server exited during start-up (${exited.code ?? exited.signal}). Log:\n${tail(logFile)}`,
        );
      }
      // /healthz answers once the HTTP server is up; the workbench itself still needs ~10 s
      // in the browser after that.
      if ((await httpStatus(`${url}/healthz`)) === 200) break;
      if (Date.now() > deadline) {
        throw new Error(`code-server did not answer on ${url} within ${startTimeoutMs} ms. Log:\n${tail(logFile)}`);
      }
      await sleep(200);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return { url, port, pid: pgid, logFile, tmpDir, stop };
}

/**
 * Launches Debian's Chromium through playwright-core (no browser download: Playwright's own
 * `install` cannot reach its CDN here). A persistent context with a fresh profile is the
 * supported way to pass a user-data dir.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>}
 */
export async function launchBrowser({ headless = true, args = [], viewport = { width: 1280, height: 800 } } = {}) {
  ensureInstalled();
  const { chromium } = loadPlaywright();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'litdigest-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless,
      args: [...CHROMIUM_ARGS, ...args],
      viewport,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  // Playwright kills the browser on exit itself; this only removes the profile.
  const onExit = () => rmSync(userDataDir, { recursive: true, force: true });
  process.on('exit', onExit);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    process.off('exit', onExit);
    // Bounded: a wedged renderer must not keep the test run from ending.
    await Promise.race([context.close().catch(() => {}), sleep(10_000)]);
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  return { context, userDataDir, close };
}
