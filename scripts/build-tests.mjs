// Bundles the in-editor test suite (Mocha inside the VS Code extension host) into out/.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['test/vscode/suite/index.ts'],
  outfile: 'out/test/vscode/suite.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: true,
  // Mocha's parallel-mode workers are never used in the extension host; their require.resolve warnings are noise.
  logLevel: 'error',
});
