// Bundles the entry points with esbuild; `tsc --noEmit` does the type checking.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(version) },
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // Parses digests on worker threads while the server or CLI loads a large workspace.
  { ...common, entryPoints: ['server/src/loading/parseWorker.ts'], outfile: 'dist/parseWorker.js' },
  // The search panel's page, loaded by the webview (client/src/searchPanel.ts) under its nonce.
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['client/src/webview/search.ts'], outfile: 'dist/webview/search.js' },
];

if (watch) {
  for (const options of builds) (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
