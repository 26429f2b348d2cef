#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code (code-server in headless Chromium).
//  1. The in-editor Mocha suite (test/vscode/suite), the same one @vscode/test-electron runs.
//  2. The UI as a person uses it: open the search panel, type a query, see the paper first,
//     press Enter and land on its line, insert a citation into a note, hover an entry; and a
//     hostile digest whose titles carry HTML and script, shown as text with no script run and no
//     request leaving the machine. Screenshots go to test-results/.
//  3. The packaged .vsix (npm run package), installed into code-server, working there.
// Needs what scripts/vscode/install.mjs installs (Node 24, code-server, Chromium, playwright-core);
// it installs them into .cache/vscode on first use.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchBrowser, startCodeServer } from './codeServer.mjs';
import { codeServerEntry, ensureInstalled, node24Env, node24Path, projectRoot } from './install.mjs';
import { runExtensionTests } from './runTests.mjs';

const results = path.join(projectRoot, 'test-results');
mkdirSync(results, { recursive: true });

function freshWorkspace() {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'litdigest-e2e-ws-'));
  cpSync(path.join(projectRoot, 'samples'), folder, { recursive: true });
  return folder;
}

function check(condition, message) {
  if (!condition) throw new Error(`e2e: ${message}`);
  console.log(`  ✔ ${message}`);
}

async function suite() {
  console.log('== the in-editor suite in code-server');
  const workspace = freshWorkspace();
  try {
    return await runExtensionTests({
      extensionDevelopmentPath: projectRoot,
      extensionTestsPath: path.join(projectRoot, 'out', 'test', 'vscode', 'suite.js'),
      workspace,
      timeoutMs: 5 * 60_000,
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The search panel's document: a webview is an iframe holding the extension's page in another iframe. */
function panelFrame(page) {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

async function runCommand(page, title) {
  // The workbench may still be settling (after a reload, say) and swallow the first F1: retry.
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    // A webview that has the focus (the search panel, restored after a reload) keeps F1 and the
    // typed text to itself: give the focus back to the workbench first.
    await page.evaluate(() => { if (document.activeElement instanceof HTMLElement) document.activeElement.blur(); });
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
  await page.keyboard.press('Enter');
}

/** The editor's cursor position as the status bar shows it ("Ln 5, Col 1"). */
async function cursorPosition(page) {
  const text = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
  const match = /Ln (\d+), Col (\d+)/.exec(text);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

// Its title also holds a token with no place to break (a URL as pasted), which must wrap inside the card.
const HOSTILE = `7 <img src=x onerror="window.__pwned=1;alert(1)"> Hostile <script>window.__pwned=2</script> Title https://evil.example/${'a'.repeat(240)} [x](command:workbench.action.quit) || We study <b onmouseover=alert(3)>evil</b> https://evil.example/beacon.png 2 authors · Jan 5, 2024\n`;

async function ui() {
  console.log('== the UI, as a person uses it');
  const workspace = freshWorkspace();
  writeFileSync(path.join(workspace, 'hostile.digest'), HOSTILE);
  const server = await startCodeServer({ workspace, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
  const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  const dialogs = [];
  const foreignRequests = [];
  try {
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    browser.context.on('request', (request) => {
      const url = new URL(request.url());
      // Webview resources have vscode-cdn.net addresses that the workbench's service worker
      // answers from the local server; those of this extension's media folder and of the panel's
      // script (dist/webview/) are expected.
      const localResource = url.hostname.endsWith('.vscode-resource.vscode-cdn.net') && [`${projectRoot}/media/`, `${projectRoot}/dist/webview/`].some((folder) => url.pathname.startsWith(folder));
      if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !localResource && !['data:', 'blob:', 'vscode-webview:', 'vscode-file:'].includes(url.protocol)) foreignRequests.push(request.url());
    });
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${projectRoot}`]]);
    await page.goto(`${server.url}/?${new URLSearchParams({ folder: workspace, payload })}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar item appears once the extension is active and counts the papers when indexed.
    await page.locator('.statusbar-item', { hasText: /37 papers/ }).waitFor({ timeout: 60_000 });
    check(true, 'the status bar counts 37 papers (the samples and a hostile digest)');

    await runCommand(page, 'Literature Digest: Focus Search Panel');
    const panel = panelFrame(page);
    const query = panel.locator('#query');
    await query.waitFor({ timeout: 30_000 });
    await query.fill('camels climate');
    const first = panel.locator('.result').first();
    await first.locator('.title', { hasText: 'Camels in a Changing Climate' }).waitFor({ timeout: 15_000 });
    check((await first.locator('.key').innerText()) === 'camels-changing-climate2023', 'the search panel shows the Camels paper first');
    check((await first.locator('mark').count()) > 0, 'matched words are highlighted');
    await page.screenshot({ path: path.join(results, 'search-panel.png') });

    await query.press('Enter');
    await page.locator('.tab.active', { hasText: 'tulu-search.digest.txt' }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const position = await cursorPosition(page);
    check(position?.line === 5, `Enter opens the digest with the cursor on the entry's line (Ln ${position?.line})`);

    // The hover card on that entry, shown from the keyboard (Ctrl+K Ctrl+I).
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 200, y: 10 } }).catch(() => undefined);
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover .hover-contents, .monaco-hover .rendered-markdown').first();
    await hover.waitFor({ timeout: 15_000 });
    check((await page.locator('.monaco-hover').first().innerText()).includes('camels-changing-climate2023'), 'the hover card shows the paper and its key');
    await page.screenshot({ path: path.join(results, 'hover-card.png') });
    await page.keyboard.press('Escape');

    // Insert a citation into a note: open it, put the cursor at the end, pick the paper in the panel.
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('alignment.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'alignment.md' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'alignment.md' }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nSee also ');
    await runCommand(page, 'Literature Digest: Focus Search Panel');
    await query.fill('smoltulu');
    await first.locator('.key', { hasText: 'smoltulu2024' }).waitFor({ timeout: 15_000 });
    await query.press('Control+Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'See also [@smoltulu2024]' }).waitFor({ timeout: 15_000 });
    check(true, 'Ctrl+Enter in the panel inserts [@smoltulu2024] at the cursor of the note');

    // Hostile titles and abstracts are shown as text: no script runs, no request leaves.
    await runCommand(page, 'Literature Digest: Focus Search Panel');
    await query.fill('hostile evil');
    await first.locator('.title', { hasText: 'Hostile' }).waitFor({ timeout: 15_000 });
    const shownTitle = await first.locator('.title').innerText();
    check(shownTitle.includes('<img src=x onerror=') && shownTitle.includes('<script>'), 'a hostile title is shown as text');
    check((await first.locator('img, script, b').count()) === 0, 'no element comes from a digest');
    const overflow = await first.evaluate((card) => ({ scroll: card.scrollWidth, client: card.clientWidth }));
    check(overflow.scroll <= overflow.client + 1, `a long unbreakable token wraps inside the card (${overflow.scroll} <= ${overflow.client} px)`);
    await first.hover();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(results, 'search-panel-hostile.png') });
    const pwned = await Promise.all(page.frames().map((frame) => frame.evaluate(() => window.__pwned).catch(() => undefined)));
    check(pwned.every((value) => value === undefined), 'no script from a digest ran in any frame');
    check(dialogs.length === 0, `no dialog opened (${dialogs.join(', ') || 'none'})`);
    check(foreignRequests.length === 0, `no request left the machine (${foreignRequests.join(', ') || 'none'})`);

    // The query, filters and sort survive a reload of the window.
    await panel.locator('#filters summary').click();
    await panel.locator('#sort').selectOption('upvotes');
    await panel.locator('#minUpvotes').fill('3');
    await page.waitForTimeout(1000);
    const reloadedPage = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloadedPage;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: /37 papers/ }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Literature Digest: Focus Search Panel');
    const reloaded = panelFrame(page);
    await reloaded.locator('#query').waitFor({ timeout: 30_000 });
    // The page restores its state when the extension answers its 'ready' message.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await reloaded.locator('#query').inputValue()) === '') await page.waitForTimeout(200);
    const kept = { query: await reloaded.locator('#query').inputValue(), sort: await reloaded.locator('#sort').inputValue(), minUpvotes: await reloaded.locator('#minUpvotes').inputValue() };
    check(kept.query === 'hostile evil' && kept.sort === 'upvotes' && kept.minUpvotes === '3', `query, filters and sort survive a reload of the window (${JSON.stringify(kept)})`);
    return 0;
  } catch (error) {
    await browser.context.pages()[0]?.screenshot({ path: path.join(results, 'e2e-failure.png') }).catch(() => undefined);
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The .vsix that `npm run package` makes, installed into a fresh code-server, working there. */
async function packaged() {
  console.log('== the packaged extension, installed into code-server');
  const vsix = path.join(projectRoot, 'literature-digest.vsix');
  const made = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: projectRoot, encoding: 'utf8', env: process.env });
  if (made.status !== 0 || !existsSync(vsix)) {
    console.error(made.stdout, made.stderr);
    return 1;
  }
  const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).stdout.split('\n').filter((name) => name.startsWith('extension/')).sort();
  const expected = ['extension/LICENSE.txt', 'extension/changelog.md', 'extension/dist/client.js', 'extension/dist/parseWorker.js', 'extension/dist/server.js', 'extension/dist/webview/search.js', 'extension/language-configuration.json', 'extension/media/books.svg', 'extension/media/icon.png', 'extension/media/search.css', 'extension/package.json', 'extension/readme.md', 'extension/syntaxes/citations.injection.tmLanguage.json', 'extension/syntaxes/paper-digest.tmLanguage.json'];
  const workspace = freshWorkspace();
  const extensionsDir = mkdtempSync(path.join(os.tmpdir(), 'litdigest-vsix-extensions-'));
  const config = path.join(extensionsDir, 'config.yaml');
  writeFileSync(config, '');
  let server;
  let browser;
  try {
    check(JSON.stringify(listing) === JSON.stringify(expected), `the .vsix holds only bundles, manifest, grammars, media, README, CHANGELOG and LICENSE (${listing.length} files)`);
    const installed = spawnSync(node24Path, [codeServerEntry, '--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(extensionsDir, 'user'), '--install-extension', vsix], { encoding: 'utf8', env: node24Env() });
    check(installed.status === 0, `code-server --install-extension literature-digest.vsix (${(installed.stdout + installed.stderr).trim().split('\n').pop()})`);
    server = await startCodeServer({ workspace, extensionsDir });
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    await page.goto(`${server.url}/?${new URLSearchParams({ folder: workspace })}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: /36 papers/ }).waitFor({ timeout: 60_000 });
    check(true, 'the installed extension indexes the 36 sample papers');
    await runCommand(page, 'Literature Digest: Focus Search Panel');
    const first = panelFrame(page).locator('.result').first();
    await panelFrame(page).locator('#query').fill('tulu');
    await first.locator('.key', { hasText: 'camels-changing-climate2023' }).waitFor({ timeout: 15_000 });
    check(true, 'its search panel finds the Tulu 2 paper first');
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(extensionsDir, { recursive: true, force: true });
  }
}

ensureInstalled();
const suiteCode = await suite();
const uiCode = await ui();
const packagedCode = await packaged();
console.log(`== in-editor suite: ${suiteCode === 0 ? 'passed' : 'FAILED'}; UI: ${uiCode === 0 ? 'passed' : 'FAILED'}; packaged: ${packagedCode === 0 ? 'passed' : 'FAILED'}`);
process.exit(suiteCode || uiCode || packagedCode);
