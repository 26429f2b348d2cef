// `npm start` (after `npm run build`, which the npm script runs first): opens the extension in a
// real VS Code on the sample workspace samples/. The desktop `code` when it is on PATH; otherwise a
// local code-server (installed on first use into .cache/vscode, as @vscode/test-electron caches VS
// Code) on 127.0.0.1, whose URL is printed for your browser. Ctrl-C stops it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = path.join(root, 'samples');

const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
if (code.status === 0 && !process.argv.includes('--code-server')) {
  console.log(`Opening VS Code ${code.stdout.split('\n')[0]} with the extension on ${samples}`);
  spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, samples], { stdio: 'inherit' });
} else {
  const { startCodeServer } = await import('./vscode/codeServer.mjs');
  const { cacheDir } = await import('./vscode/install.mjs');
  // Everything npm start makes stays in the project's cache: code-server's state and logs, and a
  // copy of the samples (so playing with them never changes the ones the tests and README rely
  // on), made afresh at each start rather than left behind in /tmp.
  const startDir = path.join(cacheDir, 'start');
  const workspace = path.join(startDir, 'samples');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(samples, workspace, { recursive: true });
  const port = Number(process.env.PORT) || undefined;
  const server = await startCodeServer({ workspace, port, dataDir: path.join(startDir, 'code-server'), extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${root}`]]);
  const url = `${server.url}/?${new URLSearchParams({ folder: workspace, payload })}`;
  console.log(`\nLiterature Digest is running in code-server on a copy of samples/ (${workspace}, made again at each start; code-server's logs in ${path.join(startDir, 'code-server')}).\nOpen this URL in your browser:\n\n  ${url}\n\nCtrl-C stops it.`);
  const stop = async () => { await server.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}
