/**
 * The layering README's layout promises, checked on the imports of every source file: the core
 * imports neither `vscode` nor the LSP transport, each folder of server/src depends only on the
 * folders before it, and the client and the search panel's script take from the server only what
 * they are meant to share.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'server', 'src');

/** server/src's folders, each allowed to import the folders before it (and itself). */
const LAYERS = ['shared', 'digest', 'library', 'huggingface', 'notes', 'index', 'loading', 'bibliography', 'features', 'session', 'lsp', 'cli'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The module specifiers a file imports or re-exports, with whether the import is of types only. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) found.push({ specifier: match[3], typeOnly: !!match[2] });
  for (const match of text.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push({ specifier: match[1], typeOnly: false });
  return found;
}

/** The server folder a relative import from `file` lands in, or undefined outside server/src. */
function layerOfImport(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(SERVER, join(file, '..', specifier));
  return target.startsWith('..') ? undefined : target.split(/[\\/]/)[0];
}

describe('architecture', () => {
  it('server/src has exactly the folders of the layout, and no file outside them', () => {
    const entries = readdirSync(SERVER, { withFileTypes: true });
    assert.deepEqual(entries.filter((e) => e.isFile()).map((e) => e.name), [], 'no loose files in server/src');
    assert.deepEqual(entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(), [...LAYERS].sort());
  });

  it('only lsp/ imports the LSP transport, and nothing in server/src imports vscode', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SERVER)) {
      const layer = relative(SERVER, file).split(/[\\/]/)[0];
      for (const { specifier } of importsOf(file)) {
        if (specifier === 'vscode' || specifier.startsWith('vscode-languageclient')) offenders.push(`${relative(ROOT, file)}: ${specifier}`);
        if (/^vscode-languageserver(\/|$)/.test(specifier) && layer !== 'lsp') offenders.push(`${relative(ROOT, file)}: ${specifier}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('each server folder imports only the folders before it in the layout', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SERVER)) {
      const layer = relative(SERVER, file).split(/[\\/]/)[0];
      for (const { specifier } of importsOf(file)) {
        const target = layerOfImport(file, specifier);
        if (target && LAYERS.indexOf(target) > LAYERS.indexOf(layer)) offenders.push(`${relative(ROOT, file)} (${layer}) imports ${specifier} (${target})`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the client takes from the server only shared/ and the light readings it bundles', () => {
    // The title split's model must stay out of the client bundle: entryLine and digestSniffing read
    // entry lines without it.
    const allowed = /server\/src\/(shared\/[a-zA-Z]+|digest\/(entryLine|digestSniffing)|notes\/(noteCitations|citationInsertion))$/;
    const offenders: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'client', 'src'))) {
      for (const { specifier } of importsOf(file)) {
        if (specifier.includes('server/src') && !allowed.test(specifier)) offenders.push(`${relative(ROOT, file)}: ${specifier}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the search panel\'s script imports only types, so its browser bundle carries no server code', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'client', 'src', 'webview'))) {
      for (const { specifier, typeOnly } of importsOf(file)) if (!typeOnly) offenders.push(`${relative(ROOT, file)}: ${specifier}`);
    }
    assert.deepEqual(offenders, []);
  });
});
