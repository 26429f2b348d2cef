/**
 * The keybindings package.json contributes take nothing away: each is scoped with `when`, none is
 * a key that types a character on some keyboard (Ctrl+Alt is AltGr on Windows, so Ctrl+Alt+C is
 * "ć" on a Polish one; Option+letter types on macOS), and none is a key of VS Code's own default
 * keymaps, compared per platform with the real keymaps in test/fixtures/vscode-keybindings/
 * (SOURCES.md there says which VS Code they come from). README's keybinding table lists them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  linux?: string;
  win?: string;
  when?: string;
}

type Platform = 'windows' | 'linux' | 'macos';
const PLATFORMS: Platform[] = ['windows', 'linux', 'macos'];

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { keybindings: Keybinding[] } };
const contributed = manifest.contributes.keybindings;

/** A keymap file as VS Code's "Open Default Keyboard Shortcuts (JSON)" writes it: JSON with `//` line comments. */
function defaultKeymap(platform: Platform): Keybinding[] {
  const text = readFileSync(join(ROOT, 'test', 'fixtures', 'vscode-keybindings', `${platform}.keybindings.json`), 'utf8');
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Keybinding[];
}

const MODIFIER_ORDER = ['ctrl', 'shift', 'alt', 'cmd'] as const;
const MODIFIER_ALIASES: Record<string, string> = { control: 'ctrl', option: 'alt', meta: 'cmd', win: 'cmd', super: 'cmd' };

/** One chord part: its modifiers (as a set) and its key. */
interface KeyPress {
  modifiers: Set<string>;
  key: string;
}

function parseKeys(keys: string): KeyPress[] {
  return keys.trim().toLowerCase().split(/\s+/).map((part) => {
    const tokens = part.split('+');
    const key = tokens.pop()!;
    return { modifiers: new Set(tokens.map((token) => MODIFIER_ALIASES[token] ?? token)), key };
  });
}

/** The keys in one spelling, whatever order and names the modifiers were written in (`alt+cmd+f` = `cmd+alt+f`). */
function canonical(keys: string): string {
  return parseKeys(keys).map(({ modifiers, key }) => [...MODIFIER_ORDER.filter((m) => modifiers.has(m)), key].join('+')).join(' ');
}

/** The keys a binding has on a platform, as VS Code picks them. */
function keysOn(binding: Keybinding, platform: Platform): string {
  const specific = platform === 'macos' ? binding.mac : platform === 'linux' ? binding.linux : binding.win;
  return specific ?? binding.key;
}

/** A key that types a character when pressed alone or with Shift: a letter, digit or punctuation key. */
const isCharacterKey = (key: string) => key.length === 1;

/** Why a contributed key would take a character from someone's keyboard, or undefined. */
function typesCharacter(keys: string, platform: Platform): string | undefined {
  for (const { modifiers, key } of parseKeys(keys)) {
    if (!isCharacterKey(key)) continue;
    if (platform !== 'macos' && modifiers.has('ctrl') && modifiers.has('alt')) return `${keys}: Ctrl+Alt is AltGr on Windows, which types characters ("ć", "ł", "@", "{")`;
    if (platform === 'macos' && modifiers.has('alt') && !modifiers.has('cmd')) return `${keys}: Option+${key} types a character on macOS`;
  }
  return undefined;
}

/** The default keymap's keys, its chord prefixes (`ctrl+k` of `ctrl+k ctrl+c`), and the commands of each. */
function keymapIndex(bindings: Keybinding[]): { keys: Map<string, string[]>; prefixes: Set<string> } {
  const keys = new Map<string, string[]>();
  const prefixes = new Set<string>();
  for (const binding of bindings) {
    const key = canonical(binding.key);
    keys.set(key, [...(keys.get(key) ?? []), binding.command]);
    const parts = key.split(' ');
    if (parts.length > 1) prefixes.add(parts[0]);
  }
  return { keys, prefixes };
}

/** Why `keys` would take a default binding away on a keymap, or undefined. */
function conflict(keys: string, index: ReturnType<typeof keymapIndex>): string | undefined {
  const key = canonical(keys);
  const taken = index.keys.get(key);
  if (taken) return `${keys} is ${taken.join(', ')}`;
  const parts = key.split(' ');
  if (parts.length === 1 && index.prefixes.has(key)) return `${keys} starts VS Code's chords (${key} …)`;
  if (parts.length > 1 && index.keys.has(parts[0]) && !index.prefixes.has(parts[0])) return `${keys} would make ${parts[0]} (${index.keys.get(parts[0])!.join(', ')}) wait for a second key`;
  return undefined;
}

const KEYMAPS = new Map(PLATFORMS.map((platform) => [platform, keymapIndex(defaultKeymap(platform))]));

/** Every complaint about one binding, on every platform. */
function problemsOf(binding: Keybinding): string[] {
  const problems: string[] = [];
  if (!binding.when?.trim()) problems.push(`${binding.command} (${binding.key}) has no when`);
  for (const platform of PLATFORMS) {
    const keys = keysOn(binding, platform);
    const typed = typesCharacter(keys, platform);
    if (typed) problems.push(`${binding.command} on ${platform}: ${typed}`);
    const taken = conflict(keys, KEYMAPS.get(platform)!);
    if (taken) problems.push(`${binding.command} on ${platform}: ${taken}`);
  }
  return problems;
}

describe('keybindings', () => {
  it('reads the real default keymaps of the three platforms', () => {
    for (const platform of PLATFORMS) {
      const { keys, prefixes } = KEYMAPS.get(platform)!;
      assert.ok(keys.size > 300, `${platform}: ${keys.size} distinct keys`);
      assert.ok(prefixes.has(platform === 'macos' ? 'cmd+k' : 'ctrl+k'), `${platform} has the Ctrl/Cmd+K chords`);
      // Move Line Down, the binding the old digest keys took away.
      assert.ok(keys.get('alt+down')?.includes('editor.action.moveLinesDownAction'), `${platform}: alt+down is Move Line Down`);
    }
  });

  it('finds what the old defaults took away (so it can fail)', () => {
    const old: Keybinding[] = [
      { command: 'literatureDigest.nextEntry', key: 'alt+down', mac: 'alt+down', when: 'editorLangId == paper-digest' },
      { command: 'literatureDigest.insertCitation', key: 'ctrl+alt+c', mac: 'cmd+alt+c', when: 'editorTextFocus' },
      { command: 'literatureDigest.focusSearch', key: 'ctrl+alt+l', mac: 'cmd+alt+l' },
      { command: 'x', key: 'ctrl+k', when: 'true' },
      { command: 'x', key: 'ctrl+k ctrl+c', mac: 'cmd+k cmd+c', when: 'true' },
      { command: 'x', key: 'shift+alt+p', mac: 'alt+p', when: 'true' },
    ];
    const problems = old.flatMap(problemsOf);
    const expected = [
      /nextEntry on windows: alt\+down is editor\.action\.moveLinesDownAction/,
      /nextEntry on macos: alt\+down is editor\.action\.moveLinesDownAction/,
      /insertCitation on windows: ctrl\+alt\+c: Ctrl\+Alt is AltGr/,
      /insertCitation on linux: ctrl\+alt\+c is copyFilePath/,
      /focusSearch \(ctrl\+alt\+l\) has no when/,
      /focusSearch on windows: ctrl\+alt\+l: Ctrl\+Alt is AltGr/,
      /x on linux: ctrl\+k starts VS Code's chords/,
      /x on windows: ctrl\+k ctrl\+c is editor\.action\.addCommentLine/,
      /x on macos: cmd\+k cmd\+c is editor\.action\.addCommentLine/,
      /x on macos: alt\+p: Option\+p types a character on macOS/,
    ];
    for (const pattern of expected) assert.ok(problems.some((problem) => pattern.test(problem)), `${pattern} in\n${problems.join('\n')}`);
  });

  it('contributes only bindings with a when that take no key from VS Code or the keyboard', () => {
    assert.ok(contributed.length > 0);
    assert.deepEqual(contributed.flatMap(problemsOf), []);
  });

  it('no two contributed bindings share keys where both apply', () => {
    for (const platform of PLATFORMS) {
      const seen = new Map<string, string>();
      for (const binding of contributed) {
        const key = canonical(keysOn(binding, platform));
        assert.ok(!seen.has(key), `${platform}: ${key} is both ${seen.get(key)} and ${binding.command}`);
        seen.set(key, binding.command);
      }
    }
  });

  it('keeps a binding for next and previous entry and for Insert Citation', () => {
    for (const command of ['literatureDigest.nextEntry', 'literatureDigest.previousEntry', 'literatureDigest.insertCitation']) {
      assert.ok(contributed.some((binding) => binding.command === command), `${command} has a keybinding`);
    }
  });

  it('README\'s keybinding table lists every binding with its keys on Windows/Linux and on macOS', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const display = (keys: string) => parseKeys(keys).map(({ modifiers, key }) => [
      ...MODIFIER_ORDER.filter((m) => modifiers.has(m)).map((m) => ({ ctrl: 'Ctrl', shift: 'Shift', alt: 'Alt', cmd: 'Cmd' })[m]),
      ({ pagedown: 'PageDown', pageup: 'PageUp' } as Record<string, string>)[key] ?? key.toUpperCase(),
    ].join('+')).join(' ');
    for (const binding of contributed) {
      const row = readme.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${binding.command}\``));
      assert.ok(row, `README has a table row for ${binding.command}`);
      for (const keys of [keysOn(binding, 'windows'), keysOn(binding, 'macos')]) assert.ok(row.includes(display(keys)), `${row} shows ${display(keys)}`);
    }
  });
});
