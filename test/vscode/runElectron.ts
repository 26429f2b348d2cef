/**
 * `npm run test:vscode`: the in-editor suite under @vscode/test-electron, on the desktop VS Code it
 * downloads (machines with internet access). Here, offline, the same suite runs in code-server
 * (`npm run test:e2e`).
 */
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = join(__dirname, '..', '..');

runTests({
  extensionDevelopmentPath: root,
  extensionTestsPath: join(root, 'out', 'test', 'vscode', 'suite.js'),
  launchArgs: [join(root, 'samples'), '--disable-extensions', '--disable-workspace-trust'],
}).catch((error) => {
  console.error(`test:vscode failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
