#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code (code-server in headless Chromium).
//  1. The in-editor Mocha suite (test/vscode/suite), the same one @vscode/test-electron runs.
//  2. The UI as a person uses it: open the search panel, type a query, see the paper first,
//     press Enter and land on its line, insert a citation into a note, hover an entry.
//     Screenshots go to test-results/.
// Needs what scripts/vscode/install.mjs installs (Node 24, code-server, Chromium, playwright-core);
// it installs them into .cache/vscode on first use.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchBrowser, startCodeServer } from './codeServer.mjs';
import { ensureInstalled, projectRoot } from './install.mjs';
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
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The editor's cursor position as the status bar shows it ("Ln 5, Col 1"). */
async function cursorPosition(page) {
  const text = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
  const match = /Ln (\d+), Col (\d+)/.exec(text);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

async function ui() {
  console.log('== the UI, as a person uses it');
  const workspace = freshWorkspace();
  const server = await startCodeServer({ workspace, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
  const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  try {
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${projectRoot}`]]);
    await page.goto(`${server.url}/?${new URLSearchParams({ folder: workspace, payload })}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar item appears once the extension is active and counts the papers when indexed.
    await page.locator('.statusbar-item', { hasText: /25 papers/ }).waitFor({ timeout: 60_000 });
    check(true, 'the status bar counts 25 papers');

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

ensureInstalled();
const suiteCode = await suite();
const uiCode = await ui();
console.log(`== in-editor suite: ${suiteCode === 0 ? 'passed' : 'FAILED'}; UI: ${uiCode === 0 ? 'passed' : 'FAILED'}`);
process.exit(suiteCode || uiCode);
