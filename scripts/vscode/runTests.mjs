#!/usr/bin/env node
// Runs an extension's test suite inside a real VS Code: the code-server equivalent of
// @vscode/test-electron's runTests(), which cannot work here (it downloads VS Code).
//
//   node scripts/vscode/runTests.mjs --extension <dir> --tests <compiled suite index.js> \
//        --workspace <dir> [--timeout <seconds>] [--verbose]
//
// The suite module is the same one @vscode/test-electron would load: it exports run() and
// runs in the extension host with require('vscode') available. The process exits with the
// suite's exit code (0 = all passed).

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';

import { launchBrowser, startCodeServer } from './codeServer.mjs';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

// The workbench only honours extensionDevelopmentPath/extensionTestsPath (and only calls
// window.codeAutomationExit) when the server was started with VS Code's own
// --enable-smoke-test-driver, which code-server passes through via --vscode-option.
const SMOKE_TEST_DRIVER_ARGS = ['--vscode-option', 'enable-smoke-test-driver'];

// The workbench's own info messages share the log with the suite's output and carry no tag
// to tell them apart; these known start-up lines are dropped unless --verbose. Cosmetic only:
// other warnings and errors always pass. "Canceled" errors are the workbench's own calls
// into an extension host that a short suite has already shut down.
const CANCELED = /^Canceled: Canceled/;
const WORKBENCH_CHATTER =
  /^(Canceled: Canceled|Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|\[ChatModelSelection\])/;

class TimeoutError extends Error {}

/**
 * Builds the workbench URL. Paths in the payload are URIs on the server's file system, which
 * the browser names vscode-remote://<authority>; the authority must be the host:port the page
 * itself is loaded from, or the workbench treats them as another remote.
 */
export function testUrl({ url, port, workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  const q = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
  return `${url}/?${q}`;
}

function checkPath(label, p, kind) {
  if (!p) throw new Error(`${label} is required`);
  const abs = path.resolve(p);
  if (!existsSync(abs)) throw new Error(`${label} does not exist: ${abs}`);
  const isDir = statSync(abs).isDirectory();
  if (kind === 'dir' && !isDir) throw new Error(`${label} must be a folder: ${abs}`);
  return abs;
}

/**
 * @param {object} opts
 * @param {string} opts.extensionDevelopmentPath  folder with the extension's package.json
 * @param {string} opts.extensionTestsPath        compiled suite module (exports run()) or its folder
 * @param {string} opts.workspace                 folder to open
 * @param {number} [opts.timeoutMs]
 * @param {boolean} [opts.verbose]                also show code-server output, all workbench logs
 * @param {(line: string) => void} [opts.out]
 * @returns {Promise<number>} the suite's exit code
 */
export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  workspace,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  verbose = false,
  out = (line) => process.stdout.write(line + '\n'),
}) {
  extensionDevelopmentPath = checkPath('extensionDevelopmentPath', extensionDevelopmentPath, 'dir');
  extensionTestsPath = checkPath('extensionTestsPath', extensionTestsPath);
  workspace = checkPath('workspace', workspace, 'dir');

  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  let server;
  let browser;
  let timer;
  try {
    server = await startCodeServer({ workspace, extraArgs: SMOKE_TEST_DRIVER_ARGS, verbose });
    out(`[runTests] code-server up at ${server.url} (${elapsed()})`);
    browser = await launchBrowser();
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());

    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    // Must be exposed before the workbench loads: it looks the functions up on window.
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    // The workbench's log, as (level, [format, ...args]). With a test run from the "CLI"
    // (extensionTestsPath set) the extension host's console (Mocha's reporter included) is
    // relayed into this same log, so it is printed as console.log would print it.
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const line = Array.isArray(args) ? format(...args) : String(args);
      if (verbose || !(WORKBENCH_CHATTER.test(line) && (level === 'info' || CANCELED.test(line)))) out(line);
    });
    if (verbose) page.on('console', (msg) => out(`[browser ${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (err) => out(`[browser error] ${err.message}`));

    const url = testUrl({ ...server, workspace, extensionDevelopmentPath, extensionTestsPath });
    if (verbose) out(`[runTests] opening ${url}`);
    await page.goto(url);

    // One budget for the whole run, start-up included.
    const remainingMs = Math.max(0, timeoutMs - (Date.now() - started));
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TimeoutError(
              `extension tests did not finish within ${timeoutMs / 1000} s ` +
                `(extension ${extensionDevelopmentPath}, suite ${extensionTestsPath}). ` +
                `Re-run with --verbose to see code-server and workbench output.`,
            ),
          ),
        remainingMs,
      );
    });
    const code = await Promise.race([exited, timedOut]);
    out(`[runTests] suite exited with code ${code} after ${elapsed()}`);
    return code;
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await server?.stop();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string' }, // seconds
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.extension || !values.tests || !values.workspace) {
    console.log(
      'usage: node scripts/vscode/runTests.mjs --extension <dir> --tests <suite index.js> ' +
        '--workspace <dir> [--timeout <seconds>] [--verbose]',
    );
    return values.help ? 0 : 2;
  }
  const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new Error(`--timeout must be a positive number of seconds`);
  return runExtensionTests({
    extensionDevelopmentPath: values.extension,
    extensionTestsPath: values.tests,
    workspace: values.workspace,
    timeoutMs,
    verbose: values.verbose,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // code-server runs in its own process group, so Ctrl-C does not reach it. Exiting through
  // process.exit runs the 'exit' hook startCodeServer installed, which kills that group.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`[runTests] ${sig}: stopping code-server`);
      process.exit(130);
    });
  }
  main().then(
    // process.exit rather than letting the loop drain: Playwright keeps handles open.
    (code) => process.exit(code),
    (err) => {
      console.error(`[runTests] ERROR: ${err instanceof TimeoutError ? err.message : err.stack ?? err}`);
      process.exit(1);
    },
  );
}
