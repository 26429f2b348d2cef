/**
 * The extension's test suite, run inside a real VS Code extension host by either launcher
 * (@vscode/test-electron on the desktop, code-server in headless Chromium here). Bundled by
 * scripts/build-tests.mjs into out/test/vscode/suite.js.
 */
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // The tests are bundled into this file: give them Mocha's globals, then load them.
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  require('./extension.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
