/**
 * A protocol fuzzer for the language server (issue 16): a seeded list of random steps (ranged
 * edits of open digests and notes, open and close, files created, changed, renamed and deleted on
 * disk with `workspace/didChangeWatchedFiles`, reindex, requests at random positions) is played
 * against the real server over stdio; the open texts are then written to disk and a fresh server
 * started on the final state must answer the same: document symbols, published diagnostics,
 * references from every entry, workspace symbols and completion. A difference is shrunk by delta
 * debugging to a small list of steps. Used by test/lsp/fuzz.test.ts (short) and scripts/fuzz.ts (long).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CompletionList, DocumentSymbol, Location, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { seededRandom } from '../../scripts/seededRandom';
import { parseDigest } from '../../server/src/digest/digestParser';
import { startServer, TestServer } from './lspClient';

const FIXTURE = readFileSync(join(__dirname, '..', 'fixtures', 'tulu-search.txt'), 'utf8');
const FIXTURE_LINES = FIXTURE.split('\n').filter((line) => line.trim() !== '');
/** Keys of the fixture's papers (as its entries propose them), and one that exists nowhere. */
const KEYS = [...parseDigest(FIXTURE).entries.map((entry) => entry.baseKey), 'nosuch2024'];

/** What a step does, in the order it is played. Files are paths relative to the workspace folder. */
export type FuzzStep =
  | { kind: 'open'; file: string; text: string }
  | { kind: 'close'; file: string }
  /** A ranged `didChange` of an open document: `range` is [startLine, startCharacter, endLine, endCharacter]. */
  | { kind: 'edit'; file: string; range: [number, number, number, number]; text: string }
  /** Writes a file on disk (created or changed) and tells the server, unless `unwatched` (never generated: it proves the comparison sees a drift). */
  | { kind: 'write'; file: string; text: string; unwatched?: true }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'delete'; file: string }
  | { kind: 'reindex' }
  /** New settings (the client answers workspace/configuration with them), announced by didChangeConfiguration. */
  | { kind: 'settings'; settings: Record<string, unknown> }
  | { kind: 'request'; method: 'hover' | 'completion' | 'definition' | 'references'; file: string; at: [number, number] }
  | { kind: 'pause'; ms: number };

export interface RunOutcome {
  /** Facets of the final state where the fuzzed server and a fresh one disagree, each with both answers. */
  differences: string[];
  /**
   * Differences the key rule explains (see {@link explainKeyHistory}): a cited key that both
   * servers report as ambiguous, naming a different one of the same papers. Not drift.
   */
  explained: string[];
  /** Requests that failed, and what the server said went wrong internally. */
  errors: string[];
  /** Round-trip times of the requests among the steps, in milliseconds. */
  latenciesMs: number[];
  /** Steps that applied (a shrunk list may hold steps that no longer can, such as an edit of a closed file). */
  applied: number;
}

export interface FuzzResult {
  seed: number;
  steps: FuzzStep[];
  outcome: RunOutcome;
  durationMs: number;
  /** When the run drifted or failed: the smallest list of steps found that still does, and what it gives. */
  reproduction?: { steps: FuzzStep[]; outcome: RunOutcome; runs: number };
}

/** The workspace every run starts from. */
export function initialFiles(): Map<string, string> {
  const lines = FIXTURE_LINES;
  return new Map([
    ['tulu.digest.txt', FIXTURE],
    ['second.digest', ['# Copied', lines[4], lines[5], '', '## Later', lines[10], '> my note on it', lines[11]].join('\n')],
    ['listing.txt', [lines[2], lines[3], lines[6]].join('\n') + '\n'],
    ['notes/reading.md', ['# Reading notes', '', `Scaled DPO [@${KEYS[4]}, sec. 4; @${KEYS[0]}].`, `Small models: @${KEYS[5]}. Unknown: @nosuch2024.`, ''].join('\n')],
    ['notes/paper.tex', `\\citep{${KEYS[0]}}\nAs \\cite{${KEYS[2]}, ${KEYS[3]}} show.\n`],
  ]);
}

/** Names files may be created or renamed to, by kind (a rename keeps the kind). */
const NEW_NAMES: Record<FileKind, string[]> = {
  digest: ['fresh.digest', 'more.digest.txt', 'sub/deep.digest'],
  listing: ['pasted.txt'],
  markdown: ['notes/new.md', 'notes/sub/other.md'],
  latex: ['notes/new.tex'],
};

type FileKind = 'digest' | 'listing' | 'markdown' | 'latex';

function kindOf(file: string): FileKind {
  if (file.endsWith('.digest') || file.endsWith('.digest.txt')) return 'digest';
  if (file.endsWith('.txt')) return 'listing';
  return file.endsWith('.tex') ? 'latex' : 'markdown';
}

/** The language id an editor gives a file (a `.txt` listing is plain text; the server sniffs it). */
function languageIdOf(file: string): string {
  return { digest: 'paper-digest', listing: 'plaintext', markdown: 'markdown', latex: 'latex' }[kindOf(file)];
}

const isNote = (file: string) => kindOf(file) === 'markdown' || kindOf(file) === 'latex';

/** The files on disk and the editor's open documents, as the client believes them to be. */
class WorkspaceModel {
  readonly disk: Map<string, string>;
  readonly open = new Map<string, TextDocument>();
  /** Every file that ever existed, on disk or open: the final state is compared for each. */
  readonly seen: Set<string>;
  /** The settings the client answers with now (a fresh server starts with the last ones). */
  settings: Record<string, unknown> = {};

  constructor(files: Map<string, string>) {
    this.disk = new Map(files);
    this.seen = new Set(files.keys());
  }

  text(file: string): string | undefined {
    return this.open.get(file)?.getText() ?? this.disk.get(file);
  }

  /** Whether a step can be played now (steps of a shrunk list may no longer make sense). */
  applies(step: FuzzStep): boolean {
    switch (step.kind) {
      case 'open': return !this.open.has(step.file);
      case 'close': return this.open.has(step.file);
      // Any range of an open document: one past the end or reversed is placed as the protocol
      // library places it (issue 16, class 8), and so it is in editedText.
      case 'edit': return this.open.has(step.file);
      case 'write': return true;
      case 'rename': return this.disk.has(step.from) && !this.disk.has(step.to) && !this.open.has(step.from) && !this.open.has(step.to);
      case 'delete': return this.disk.has(step.file) && !this.open.has(step.file);
      case 'request': {
        const text = this.text(step.file);
        return text !== undefined && validPosition(TextDocument.create('file:///x', 'plaintext', 0, text), step.at[0], step.at[1]);
      }
      default: return true;
    }
  }

  apply(step: FuzzStep): void {
    switch (step.kind) {
      case 'open':
        this.open.set(step.file, TextDocument.create(step.file, languageIdOf(step.file), 1, step.text));
        this.seen.add(step.file);
        break;
      case 'close':
        this.open.delete(step.file);
        break;
      case 'edit': {
        const document = this.open.get(step.file)!;
        this.open.set(step.file, TextDocument.create(step.file, document.languageId, document.version + 1, editedText(document, step.range, step.text)));
        break;
      }
      case 'settings':
        this.settings = step.settings;
        break;
      case 'write':
        this.disk.set(step.file, step.text);
        this.seen.add(step.file);
        break;
      case 'rename':
        this.disk.set(step.to, this.disk.get(step.from)!);
        this.disk.delete(step.from);
        this.seen.add(step.to);
        break;
      case 'delete':
        this.disk.delete(step.file);
        break;
      default:
        break;
    }
  }

  /** The final state: the disk with every open document's text written over it. */
  finalFiles(): Map<string, string> {
    const files = new Map(this.disk);
    for (const [file, document] of this.open) files.set(file, document.getText());
    return files;
  }
}

function toRange([startLine, startCharacter, endLine, endCharacter]: [number, number, number, number]): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

function lineLength(document: TextDocument, line: number): number {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '').length;
}

function validPosition(document: TextDocument, line: number, character: number): boolean {
  return line >= 0 && line < document.lineCount && character >= 0 && character <= lineLength(document, line);
}

/**
 * The text after a ranged edit, placed as the protocol means it: both ends clamped by offsetAt
 * (past a line's end, past the document's), a reversed range read forwards. The model keeps a
 * document read from scratch after each edit, so that it does not share the server's text model
 * (server/src/session/openDocument.ts), nor TextDocument.update's line table, which a range past
 * the end leaves miscounted.
 */
function editedText(document: TextDocument, range: [number, number, number, number], text: string): string {
  const { start, end } = toRange(range);
  const one = document.offsetAt(start);
  const other = document.offsetAt(end);
  const before = document.getText();
  return before.slice(0, Math.min(one, other)) + text + before.slice(Math.max(one, other));
}

// ---- generating steps -------------------------------------------------------------------------

class Dice {
  private readonly next: () => number;
  constructor(seed: number) { this.next = seededRandom(seed); }
  below(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[this.below(items.length)]; }
  /** One of the choices, by weight. */
  weighted<T>(choices: [number, T][]): T {
    let roll = this.next() * choices.reduce((sum, [weight]) => sum + weight, 0);
    for (const [weight, choice] of choices) {
      roll -= weight;
      if (roll < 0) return choice;
    }
    return choices[choices.length - 1][1];
  }
}

const TYPED = ['a', 'Z', ' ', '  ', '·', '1', '7', '@', ':', '-', '|', '||', '\t', 'é', '[', ']', ';', '> ', '# ', ', 2024', 'Nov 17', '𝔸'];

function citation(dice: Dice, file: string): string {
  const key = dice.pick(KEYS);
  if (kindOf(file) === 'latex') return dice.pick([`\\cite{${key}}`, `\\citep[p.~3]{${key}}`, `, ${key}`]);
  return dice.pick([` [@${key}]`, ` @${key}`, `; @${key}`, `[see @${key}, p. 3]`, ` -@${key}`]);
}

function digestText(dice: Dice): string {
  const lines: string[] = [];
  if (dice.chance(0.5)) lines.push(`# Section ${dice.below(9)}`);
  for (let i = 0, n = 1 + dice.below(4); i < n; i++) {
    lines.push(dice.pick(FIXTURE_LINES));
    if (dice.chance(0.2)) lines.push('  a note of mine');
  }
  const text = lines.join(dice.chance(0.2) ? '\r\n' : '\n');
  return dice.chance(0.05) ? `\uFEFF${text}` : text;
}

function noteText(dice: Dice, file: string): string {
  const lines = ['# A note', ''];
  for (let i = 0, n = 1 + dice.below(4); i < n; i++) lines.push(`Words${citation(dice, file)} and more.`);
  return lines.join('\n') + '\n';
}

function newText(dice: Dice, file: string): string {
  return isNote(file) ? noteText(dice, file) : digestText(dice);
}

/** Offsets never fall inside a CRLF pair (the text model would place them before it). */
function offsetIn(dice: Dice, text: string): number {
  let offset = dice.below(text.length + 1);
  if (offset > 0 && text[offset - 1] === '\r' && text[offset] === '\n') offset--;
  return offset;
}

function editStep(dice: Dice, file: string, document: TextDocument): FuzzStep {
  const text = document.getText();
  const step = (start: number, end: number, inserted: string): FuzzStep => {
    const from = document.positionAt(start);
    const to = document.positionAt(end);
    return { kind: 'edit', file, range: [from.line, from.character, to.line, to.character], text: inserted };
  };
  const lineStart = (line: number) => document.offsetAt({ line, character: 0 });
  const line = dice.below(document.lineCount);
  const breaks = [...text.matchAll(/\r\n|\r|\n/g)].map((match) => match.index!);
  const kind = dice.weighted<string>([
    [4, 'type'], [3, 'delete'], [2, 'delete-lines'], [2, 'insert-entry'], [1, 'replace-line'], [2, 'line-break'],
    [1, 'crlf'], [1, 'lone-cr'], [1, 'merge-lines'], [isNote(file) ? 5 : 0.5, 'cite'], [1, 'out-of-spec'],
  ]);
  switch (kind) {
    case 'type': {
      const at = offsetIn(dice, text);
      return step(at, at, dice.pick(TYPED));
    }
    case 'delete': {
      const at = offsetIn(dice, text);
      let end = Math.min(text.length, at + 1 + dice.below(12));
      if (text[end - 1] === '\r' && text[end] === '\n') end++;
      return step(at, end, '');
    }
    case 'delete-lines': {
      const last = Math.min(document.lineCount, line + 1 + dice.below(3));
      return step(lineStart(line), last >= document.lineCount ? text.length : lineStart(last), '');
    }
    case 'insert-entry': {
      const eol = text.includes('\r\n') && dice.chance(0.7) ? '\r\n' : '\n';
      return step(lineStart(line), lineStart(line), `${dice.pick(FIXTURE_LINES)}${eol}`);
    }
    case 'replace-line': {
      const start = lineStart(line);
      return step(start, start + lineLength(document, line), dice.pick(FIXTURE_LINES));
    }
    case 'line-break': {
      const at = offsetIn(dice, text);
      return step(at, at, dice.pick(['\n', '\r\n', '\n\n']));
    }
    case 'crlf': {
      const lf = breaks.filter((at) => text[at] === '\n');
      if (lf.length === 0) return step(text.length, text.length, '\r\n');
      const at = dice.pick(lf);
      return step(at, at + 1, '\r\n');
    }
    case 'lone-cr': {
      // A lone \r typed right before a \n: the two make one CRLF line break (issue 16, class 2).
      const lf = breaks.filter((at) => text[at] === '\n');
      const at = lf.length > 0 ? dice.pick(lf) : offsetIn(dice, text);
      return step(at, at, '\r');
    }
    case 'merge-lines': {
      if (breaks.length === 0) return step(text.length, text.length, '\n');
      const at = dice.pick(breaks);
      const width = text.startsWith('\r\n', at) ? 2 : 1;
      // Either join two lines, or delete what lies between a \r and the next line's \n.
      return dice.chance(0.5) ? step(at, at + width, dice.pick(['', ' '])) : step(at, at + width, '\r');
    }
    case 'out-of-spec': {
      // What a client should not send but may (issue 16, class 8): a range past a line's end or
      // the document's, or reversed.
      const lines = document.lineCount;
      const past = (): [number, number] => dice.weighted<[number, number]>([
        [2, [dice.below(lines), lineLength(document, Math.min(line, lines - 1)) + 1 + dice.below(40)]],
        [1, [lines + dice.below(3), dice.below(5)]],
        [1, [dice.below(lines), dice.below(200)]],
      ]);
      const [startLine, startCharacter] = past();
      const [endLine, endCharacter] = dice.chance(0.5) ? past() : [startLine, startCharacter];
      const reversed = dice.chance(0.3);
      return { kind: 'edit', file, range: reversed ? [endLine, endCharacter, startLine, startCharacter] : [startLine, startCharacter, endLine, endCharacter], text: dice.pick(['', 'x', '\n', ...TYPED]) };
    }
    default: {
      const at = offsetIn(dice, text);
      return step(at, at, citation(dice, file));
    }
  }
}

/** Settings a person may change while working: each changes what some facet answers. */
function settingsStep(dice: Dice): FuzzStep {
  const settings: Record<string, unknown> = {};
  if (dice.chance(0.4)) settings.detectTextDigests = dice.chance(0.5);
  if (dice.chance(0.3)) settings.completion = { maxItems: dice.pick([2, 5, 50]) };
  if (dice.chance(0.3)) settings.exclude = dice.pick([['notes/sub/**'], ['**/*.tex'], ['sub/**', '**/node_modules/**']]);
  if (dice.chance(0.2)) settings.maxLineLength = dice.pick([1000, 1300, 100_000]);
  if (dice.chance(0.2)) settings.markdownNotes = dice.pick([['notes/**/*.md'], ['**/*.md']]);
  return { kind: 'settings', settings };
}

/** Steps for one run, each generated from the state the steps before it leave. */
export function generateSteps(seed: number, count: number): FuzzStep[] {
  const dice = new Dice(seed);
  const model = new WorkspaceModel(initialFiles());
  const steps: FuzzStep[] = [];
  const push = (step: FuzzStep) => {
    if (!model.applies(step)) return;
    model.apply(step);
    steps.push(step);
  };
  const allNames = () => [...new Set([...model.disk.keys(), ...model.open.keys(), ...Object.values(NEW_NAMES).flat()])];
  while (steps.length < count) {
    const open = [...model.open.keys()];
    const closedOnDisk = [...model.disk.keys()].filter((file) => !model.open.has(file));
    const action = dice.weighted<string>([
      [open.length > 0 ? 40 : 0, 'edit'], [open.length > 0 ? 4 : 0, 'burst'], [8, 'open'], [open.length > 0 ? 5 : 0, 'close'],
      [open.length > 0 ? 2 : 0, 'close-reopen'], [5, 'write'], [closedOnDisk.length > 0 ? 3 : 0, 'rename'], [closedOnDisk.length > 0 ? 2 : 0, 'delete'],
      [1, 'create-rename'], [1, 'reindex'], [1, 'settings'], [14, 'request'], [3, 'pause'],
    ]);
    switch (action) {
      case 'edit': {
        const file = dice.pick(open);
        push(editStep(dice, file, model.open.get(file)!));
        break;
      }
      case 'burst': {
        // Typing: several edits of one document in a row.
        const file = dice.pick(open);
        for (let i = 0, n = 2 + dice.below(6); i < n; i++) push(editStep(dice, file, model.open.get(file)!));
        break;
      }
      case 'open': {
        const file = dice.pick(allNames());
        const onDisk = model.disk.get(file);
        // Mostly what the disk holds; sometimes an unsaved buffer that differs.
        push({ kind: 'open', file, text: onDisk !== undefined && dice.chance(0.85) ? onDisk : newText(dice, file) });
        break;
      }
      case 'close':
        push({ kind: 'close', file: dice.pick(open) });
        break;
      case 'close-reopen': {
        // Close, open with the same text and edit, in one burst (issue 16, class 1).
        const file = dice.pick(open);
        const text = model.open.get(file)!.getText();
        push({ kind: 'close', file });
        push({ kind: 'open', file, text });
        push(editStep(dice, file, model.open.get(file)!));
        break;
      }
      case 'write': {
        const file = dice.pick(allNames());
        const before = model.disk.get(file);
        const text = before !== undefined && dice.chance(0.5)
          ? before + (isNote(file) ? `More${citation(dice, file)}.\n` : `\n${dice.pick(FIXTURE_LINES)}`)
          : newText(dice, file);
        push({ kind: 'write', file, text });
        break;
      }
      case 'rename': {
        const from = dice.pick(closedOnDisk);
        const to = NEW_NAMES[kindOf(from)].find((name) => !model.disk.has(name) && !model.open.has(name));
        if (to) push({ kind: 'rename', from, to });
        break;
      }
      case 'delete':
        push({ kind: 'delete', file: dice.pick(closedOnDisk) });
        break;
      case 'create-rename': {
        // A file created and at once renamed (issue 16, class 5).
        const kind = dice.pick<FileKind>(['digest', 'markdown']);
        const [from, to] = NEW_NAMES[kind].filter((name) => !model.disk.has(name) && !model.open.has(name));
        if (!from || !to) break;
        push({ kind: 'write', file: from, text: newText(dice, from) });
        push({ kind: 'rename', from, to });
        break;
      }
      case 'reindex':
        push({ kind: 'reindex' });
        break;
      case 'settings':
        push(settingsStep(dice));
        break;
      case 'request': {
        const files = [...new Set([...model.disk.keys(), ...model.open.keys()])];
        if (files.length === 0) break;
        const file = dice.pick(files);
        const document = TextDocument.create('file:///x', 'plaintext', 0, model.text(file)!);
        const line = dice.below(document.lineCount);
        const character = dice.chance(0.2) ? lineLength(document, line) : dice.below(lineLength(document, line) + 1);
        push({ kind: 'request', method: dice.pick(['hover', 'completion', 'definition', 'references'] as const), file, at: [line, character] });
        break;
      }
      default:
        push({ kind: 'pause', ms: dice.weighted([[3, 0], [2, 20], [1, 200]]) });
    }
  }
  return steps.slice(0, count);
}

// ---- playing steps ----------------------------------------------------------------------------

const WORKSPACE_QUERIES = ['tulu', 'language models', 'dpo', 'smol', 'preference optimization', 'maxmin-rlhf2024', 'x'];
/** Longer than the server's diagnostics delay (150 ms), so two equal snapshots mean it has settled. */
const SETTLE_INTERVAL_MS = 250;
const SETTLE_TIMEOUT_MS = 15_000;
/** Internal failures the server logs (it survives them; the fuzzer counts them). */
const INTERNAL_ERROR = /internal error|Request \S+ failed|Unhandled/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function writeFiles(root: string, files: Map<string, string>): void {
  for (const [file, text] of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}

/** Plays the steps against one server and compares its final state with a fresh server's. */
export async function runSteps(steps: readonly FuzzStep[]): Promise<RunOutcome> {
  const root = mkdtempSync(join(tmpdir(), 'litdigest-fuzz-'));
  const outcome: RunOutcome = { differences: [], explained: [], errors: [], latenciesMs: [], applied: 0 };
  const model = new WorkspaceModel(initialFiles());
  writeFiles(root, model.disk);
  const servers: TestServer[] = [];
  try {
    const fuzzed = await startServer(root);
    servers.push(fuzzed);
    await fuzzed.waitForIndexed(1);
    const inFlight: Promise<unknown>[] = [];
    const versions = new Map<string, number>();
    const send = (method: string, params: unknown) => void fuzzed.connection.sendNotification(method, params);
    const watched = (changes: [string, number][]) => send('workspace/didChangeWatchedFiles', { changes: changes.map(([file, type]) => ({ uri: fuzzed.uri(file), type })) });
    for (const step of steps) {
      if (!model.applies(step)) continue;
      outcome.applied++;
      switch (step.kind) {
        case 'open':
          versions.set(step.file, 1);
          send('textDocument/didOpen', { textDocument: { uri: fuzzed.uri(step.file), languageId: languageIdOf(step.file), version: 1, text: step.text } });
          break;
        case 'close':
          send('textDocument/didClose', { textDocument: { uri: fuzzed.uri(step.file) } });
          break;
        case 'edit': {
          const version = (versions.get(step.file) ?? 1) + 1;
          versions.set(step.file, version);
          send('textDocument/didChange', { textDocument: { uri: fuzzed.uri(step.file), version }, contentChanges: [{ range: toRange(step.range), text: step.text }] });
          break;
        }
        case 'write': {
          const existed = existsSync(join(root, step.file));
          mkdirSync(dirname(join(root, step.file)), { recursive: true });
          writeFileSync(join(root, step.file), step.text);
          if (!step.unwatched) watched([[step.file, existed ? 2 : 1]]);
          break;
        }
        case 'rename':
          mkdirSync(dirname(join(root, step.to)), { recursive: true });
          renameSync(join(root, step.from), join(root, step.to));
          watched([[step.from, 3], [step.to, 1]]);
          break;
        case 'delete':
          unlinkSync(join(root, step.file));
          watched([[step.file, 3]]);
          break;
        case 'reindex':
          inFlight.push(fuzzed.connection.sendRequest('literatureDigest/reindex').catch((error: Error) => outcome.errors.push(`reindex: ${error.message}`)));
          break;
        case 'settings':
          // The client answers workspace/configuration with the new settings from now on.
          fuzzed.settings = step.settings;
          send('workspace/didChangeConfiguration', { settings: null });
          break;
        case 'request': {
          const started = performance.now();
          const params: Record<string, unknown> = { textDocument: { uri: fuzzed.uri(step.file) }, position: { line: step.at[0], character: step.at[1] } };
          if (step.method === 'references') params.context = { includeDeclaration: true };
          try {
            await fuzzed.connection.sendRequest(`textDocument/${step.method}`, params);
          } catch (error) {
            outcome.errors.push(`${step.method} ${step.file}:${step.at.join(':')}: ${(error as Error).message}`);
          }
          outcome.latenciesMs.push(performance.now() - started);
          break;
        }
        case 'pause':
          await sleep(step.ms);
          break;
      }
      model.apply(step);
    }
    await Promise.all(inFlight);

    const final = model.finalFiles();
    const files = [...model.seen].sort();
    const fuzzedState = await settledSnapshot(fuzzed, files, outcome);
    // The final state on disk, for a fresh server: the disk as the steps left it, open texts written over it.
    writeFiles(root, final);
    const fresh = await startServer(root, model.settings);
    servers.push(fresh);
    await fresh.waitForIndexed(0);
    // The same editor: the documents open in the fuzzed server are open in the fresh one, with
    // the same text (an open document counts whatever the settings exclude on disk).
    const openInBoth = [...model.open.keys()].sort();
    for (const file of openInBoth) void fresh.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fresh.uri(file), languageId: languageIdOf(file), version: 1, text: final.get(file) } });
    const freshState = await settledSnapshot(fresh, files, outcome);
    outcome.explained.push(...explainKeyHistory(fuzzedState, freshState, `${fuzzed.uri('')}/`));
    outcome.differences.push(...compareSnapshots(fuzzedState, freshState));

    // Completion needs the note open: open every note in both (the fuzzed server keeps the ones it has).
    const notes = [...final.keys()].filter(isNote).sort();
    for (const note of notes) {
      const open = (server: TestServer) => void server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: server.uri(note), languageId: languageIdOf(note), version: 1, text: final.get(note) } });
      if (model.open.has(note)) continue;
      open(fuzzed);
      open(fresh);
    }
    outcome.differences.push(...compareSnapshots(await completions(fuzzed, notes, final, outcome), await completions(fresh, notes, final, outcome)));
    for (const [name, server] of [['fuzzed', fuzzed], ['fresh', fresh]] as const) {
      for (const log of server.logs.filter((line) => INTERNAL_ERROR.test(line))) outcome.errors.push(`${name} server log: ${log.slice(0, 300)}`);
      if (server.process.exitCode !== null) outcome.errors.push(`${name} server exited with ${server.process.exitCode}: ${server.stderr().slice(-300)}`);
    }
  } finally {
    // A server in consistency mode that logged a drift fails its stop: that is an error of the run.
    for (const server of servers) await server.stop().catch((error: Error) => outcome.errors.push(error.message));
    rmSync(root, { recursive: true, force: true });
  }
  return outcome;
}

type Snapshot = Map<string, string>;

async function ask<T>(server: TestServer, method: string, params: unknown, outcome: RunOutcome): Promise<T | undefined> {
  try {
    return await server.connection.sendRequest(method, params) as T;
  } catch (error) {
    outcome.errors.push(`${method} ${JSON.stringify(params).slice(0, 200)}: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Keys read up to their collision suffix (`maxmin-rlhf2024-97u3` as `maxmin-rlhf2024`). The key
 * rule is history-dependent on purpose (README, "Citation keys"; index/digestKeys.ts): of two
 * papers that derive one key, the one that had it keeps it and the newcomer takes the suffix, and
 * a key a note cites waits for its paper while it is away, where a fresh server can only go by
 * the order of the walk. Which of the two holds the plain key is the one thing a fresh server may
 * answer otherwise; everything else must agree. (test/unit/keyStability.test.ts checks the rule
 * itself, and that after a restart a cited key names its paper or is reported ambiguous.)
 */
function withoutCollisionSuffixes(json: string): string {
  return json.replace(/(\d{4})-[a-z2-9]{4}\b/g, '$1');
}

/** What the comparison looks at, facet by facet (empty answers left out, so missing and empty agree). */
async function snapshot(server: TestServer, files: string[], outcome: RunOutcome): Promise<Snapshot> {
  const state: Snapshot = new Map();
  const put = (facet: string, value: unknown) => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return;
    state.set(facet, withoutCollisionSuffixes(JSON.stringify(value)));
  };
  const prefix = `${server.uri('')}/`;
  const relative = (uri: string) => (uri.startsWith(prefix) ? uri.slice(prefix.length) : uri);
  const located = (locations: Location[] | undefined) => locations?.map((l) => `${relative(l.uri)}:${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`);
  for (const file of files) {
    const uri = server.uri(file);
    const symbols = await ask<DocumentSymbol[]>(server, 'textDocument/documentSymbol', { textDocument: { uri } }, outcome);
    put(`symbols ${file}`, symbols);
    const entries: DocumentSymbol[] = [];
    const walk = (list: DocumentSymbol[]) => { for (const symbol of list) { entries.push(symbol); walk(symbol.children ?? []); } };
    walk(symbols ?? []);
    for (const entry of entries) {
      const position = entry.selectionRange.start;
      const references = await ask<Location[]>(server, 'textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } }, outcome);
      put(`references ${file}:${position.line}:${position.character}`, located(references ?? undefined));
    }
  }
  // Diagnostics of every file ever published to (the order within a file is no matter).
  const published = new Set([...files.map((file) => server.uri(file)), ...server.diagnostics.keys()]);
  for (const uri of [...published].sort()) {
    put(`diagnostics ${relative(uri)}`, (server.diagnostics.get(uri) ?? []).map((diagnostic) => JSON.stringify(diagnostic)).sort());
  }
  for (const query of WORKSPACE_QUERIES) {
    const symbols = await ask<{ name: string; containerName?: string; location: Location }[]>(server, 'workspace/symbol', { query }, outcome);
    // As a set: of two papers whose keys read the same without their suffixes, either may rank
    // first (ties go by key); ranking itself is checked in test/unit/searchIndex.test.ts.
    put(`workspace symbols '${query}'`, symbols?.map((s) => withoutCollisionSuffixes(`${s.name} | ${s.containerName} | ${located([s.location])}`)).sort());
  }
  return state;
}

/** An `ambiguous-key` warning as a snapshot holds it: where the citation is, which papers derive the key, which one it names. */
interface Ambiguity {
  /** The citation: `file:line:character-line:character`. */
  citation: string;
  /** The entries of the papers that derive the key (`file:line`), sorted. */
  candidates: string[];
  /** The entry of the paper the key names now (`file:line`). */
  named: string;
  /** The facet and the diagnostic's JSON, to be put in a form without the named paper. */
  facet: string;
  json: string;
}

function ambiguitiesOf(state: Snapshot, prefix: string): Ambiguity[] {
  const relative = (uri: string) => (uri.startsWith(prefix) ? uri.slice(prefix.length) : uri);
  const found: Ambiguity[] = [];
  for (const [facet, value] of state) {
    if (!facet.startsWith('diagnostics ')) continue;
    const file = facet.slice('diagnostics '.length);
    for (const json of JSON.parse(value) as string[]) {
      const diagnostic = JSON.parse(json) as { code?: string; range: Range; relatedInformation?: { location: Location; message: string }[] };
      if (diagnostic.code !== 'ambiguous-key' || !diagnostic.relatedInformation) continue;
      const entryOf = (location: Location) => `${relative(location.uri)}:${location.range.start.line}`;
      const { start, end } = diagnostic.range;
      found.push({
        citation: `${file}:${start.line}:${start.character}-${end.line}:${end.character}`,
        candidates: diagnostic.relatedInformation.map((related) => entryOf(related.location)).sort(),
        named: diagnostic.relatedInformation.filter((related) => /names this paper now/.test(related.message)).map((related) => entryOf(related.location))[0] ?? '',
        facet,
        json,
      });
    }
  }
  return found;
}

/**
 * Takes out of both snapshots what the key rule lets differ, and says what it took. Of two
 * unpinned papers that derive one key, the one that had it keeps it (index/digestKeys.ts); a
 * fresh server can only go by the order of its walk, so after a restart it may give the key to the
 * other. The person is told: both servers warn that the cited key is ambiguous and name both
 * papers (test/unit/keyStability.test.ts checks that this warning comes whenever the two differ).
 * Where both warn about the same citation and the same papers but name different ones, the
 * warning is compared without which paper it names, and the references of those papers without
 * that citation; everything else must still agree.
 */
export function explainKeyHistory(fuzzed: Snapshot, fresh: Snapshot, prefix: string): string[] {
  const explained: string[] = [];
  const freshByCitation = new Map(ambiguitiesOf(fresh, prefix).map((ambiguity) => [ambiguity.citation, ambiguity]));
  for (const mine of ambiguitiesOf(fuzzed, prefix)) {
    const theirs = freshByCitation.get(mine.citation);
    if (!theirs || theirs.named === mine.named || theirs.candidates.join() !== mine.candidates.join()) continue;
    explained.push(`${mine.citation}: the fuzzed server names ${mine.named}, a fresh one ${theirs.named} (both warn the key is ambiguous between ${mine.candidates.join(', ')})`);
    const citationFile = mine.citation.slice(0, mine.citation.indexOf(':'));
    const citedAt = `${citationFile}:${mine.citation.slice(citationFile.length + 1)}`;
    for (const [state, ambiguity] of [[fuzzed, mine], [fresh, theirs]] as const) {
      const diagnostics = (JSON.parse(state.get(ambiguity.facet)!) as string[]).map((json) => (json === ambiguity.json ? JSON.stringify({ ambiguous: ambiguity.citation, between: ambiguity.candidates }) : json));
      state.set(ambiguity.facet, JSON.stringify(diagnostics.sort()));
      for (const [facet, value] of state) {
        if (!facet.startsWith('references ')) continue;
        const entry = facet.slice('references '.length).replace(/:\d+$/, '');
        if (!ambiguity.candidates.includes(entry)) continue;
        const rest = (JSON.parse(value) as string[]).filter((location) => location !== citedAt);
        if (rest.length > 0) state.set(facet, JSON.stringify(rest));
        else state.delete(facet);
      }
    }
  }
  return explained;
}

/** A snapshot once two in a row agree: the server has read what it was told and published its diagnostics. */
async function settledSnapshot(server: TestServer, files: string[], outcome: RunOutcome): Promise<Snapshot> {
  await server.waitForIndexed(0, SETTLE_TIMEOUT_MS).catch(() => outcome.errors.push('never settled: still indexing'));
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let previous = await snapshot(server, files, { ...outcome, errors: [] });
  for (;;) {
    await sleep(SETTLE_INTERVAL_MS);
    const current = await snapshot(server, files, outcome);
    if (compareSnapshots(previous, current).length === 0) return current;
    if (Date.now() > deadline) {
      outcome.errors.push('never settled: answers kept changing');
      return current;
    }
    previous = current;
  }
}

/** Completion after each `@` or `{` of a citation in the notes (the first few), and two characters into its key. */
async function completions(server: TestServer, notes: string[], final: Map<string, string>, outcome: RunOutcome): Promise<Snapshot> {
  const state: Snapshot = new Map();
  await sleep(SETTLE_INTERVAL_MS);
  for (const note of notes) {
    const document = TextDocument.create('file:///x', 'plaintext', 0, final.get(note)!);
    const text = document.getText();
    const starts = [...text.matchAll(/@|\\cite[a-z]*(?:\[[^\]]*\])*\{/g)].map((match) => match.index! + match[0].length).slice(0, 4);
    for (const offset of starts.flatMap((at) => [at, Math.min(at + 2, text.length)])) {
      const position = document.positionAt(offset);
      const list = await ask<CompletionList | null>(server, 'textDocument/completion', { textDocument: { uri: server.uri(note) }, position }, outcome);
      const items = list?.items.map(({ data: _data, ...item }) => item);
      // Items as a set, without their rank (sortText), for the reason workspace symbols are.
      if (items && items.length > 0) state.set(`completion ${note}:${position.line}:${position.character}`, JSON.stringify({ incomplete: list!.isIncomplete, items: items.map((item) => withoutCollisionSuffixes(JSON.stringify({ ...item, sortText: undefined }))).sort() }));
    }
  }
  return state;
}

/** Each facet that differs, with both answers from where they part. */
export function compareSnapshots(fuzzed: Snapshot, fresh: Snapshot): string[] {
  const differences: string[] = [];
  for (const facet of [...new Set([...fuzzed.keys(), ...fresh.keys()])].sort()) {
    const a = fuzzed.get(facet) ?? '(nothing)';
    const b = fresh.get(facet) ?? '(nothing)';
    if (a === b) continue;
    let at = 0;
    while (at < a.length && at < b.length && a[at] === b[at]) at++;
    const from = Math.max(0, at - 60);
    const excerpt = (s: string) => `${from > 0 ? '…' : ''}${s.slice(from, at + 160)}${s.length > at + 160 ? '…' : ''}`;
    differences.push(`${facet}\n    fuzzed: ${excerpt(a)}\n    fresh:  ${excerpt(b)}`);
  }
  return differences;
}

// ---- shrinking --------------------------------------------------------------------------------

export interface ShrinkOptions {
  /** Stop shrinking after this long (each try starts two servers). */
  budgetMs: number;
  log?: (line: string) => void;
}

/**
 * Delta debugging (ddmin): removes chunks of steps, halves first, then smaller, down to single
 * steps, keeping a removal whenever the rest still fails the same way (drift, or else errors).
 */
export async function shrink(steps: FuzzStep[], failing: RunOutcome, options: ShrinkOptions): Promise<{ steps: FuzzStep[]; outcome: RunOutcome; runs: number }> {
  const drifts = failing.differences.length > 0;
  const stillFails = (outcome: RunOutcome) => (drifts ? outcome.differences.length > 0 : outcome.errors.length > 0);
  const deadline = Date.now() + options.budgetMs;
  let current = steps;
  let outcome = failing;
  let runs = 0;
  let chunks = 2;
  while (current.length >= 2 && Date.now() < deadline) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length && Date.now() < deadline; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      runs++;
      const tried = await runSteps(candidate);
      if (stillFails(tried)) {
        current = candidate;
        outcome = tried;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        options.log?.(`  shrunk to ${current.length} steps (${runs} runs)`);
        break;
      }
    }
    if (reduced) continue;
    if (size === 1) break;
    chunks = Math.min(current.length, chunks * 2);
  }
  return { steps: current, outcome, runs };
}

/** One seeded run, shrunk when it drifts or fails. */
export async function fuzz(seed: number, count: number, options: ShrinkOptions): Promise<FuzzResult> {
  const started = Date.now();
  const steps = generateSteps(seed, count);
  const outcome = await runSteps(steps);
  const result: FuzzResult = { seed, steps, outcome, durationMs: Date.now() - started };
  if ((outcome.differences.length > 0 || outcome.errors.length > 0) && options.budgetMs > 0) {
    options.log?.(`seed ${seed}: ${outcome.differences.length} differences, ${outcome.errors.length} errors; shrinking ${steps.length} steps`);
    result.reproduction = await shrink(steps, outcome, options);
  }
  return result;
}

/** Where a step's text holds a whole line of the fixture, `{{fixture N}}` stands for it: entries are long. */
const FIXTURE_MARK = /\{\{fixture (\d+)\}\}/g;

/** The steps as JSON lines, fixture lines abbreviated (`npm run fuzz -- --replay FILE` reads them back). */
export function stepsAsJson(steps: readonly FuzzStep[]): string[] {
  return steps.map((step) => {
    let json = JSON.stringify(step);
    FIXTURE_LINES.forEach((line, i) => { json = json.split(JSON.stringify(line).slice(1, -1)).join(`{{fixture ${i}}}`); });
    return json;
  });
}

/** Steps from {@link stepsAsJson} lines (or a JSON array of steps), fixture lines written out again. */
export function stepsFromJson(text: string): FuzzStep[] {
  const expand = (step: FuzzStep): FuzzStep => JSON.parse(JSON.stringify(step).replace(FIXTURE_MARK, (_, i: string) => JSON.stringify(FIXTURE_LINES[Number(i)]).slice(1, -1))) as FuzzStep;
  const trimmed = text.trim();
  const steps = trimmed.startsWith('[') ? JSON.parse(trimmed) as FuzzStep[] : trimmed.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as FuzzStep);
  return steps.map(expand);
}

/** A reproduction as the person fixing it reads it: the steps as JSON, then what differs. */
export function describeReproduction(result: FuzzResult): string {
  const { differences, errors } = result.outcome;
  if (!result.reproduction && differences.length + errors.length === 0) return `seed ${result.seed}: no drift, no errors`;
  // Not shrunk (no budget left): what differs, without the whole list of steps.
  if (!result.reproduction) return `seed ${result.seed}: not shrunk; ${differences.length} differences (${differences.map((d) => d.split('\n')[0]).join('; ')}), ${errors.length} errors${errors.length ? `: ${errors.join('; ')}` : ''}`;
  const { steps, outcome, runs } = result.reproduction;
  return [
    `seed ${result.seed}: shrunk from ${result.steps.length} to ${steps.length} steps in ${runs} runs ({{fixture N}}: line N of test/fixtures/tulu-search.txt without blank lines; save the step lines to a file and replay with npm run fuzz -- --replay FILE)`,
    'steps:',
    ...stepsAsJson(steps).map((line) => `  ${line}`),
    ...(outcome.differences.length > 0 ? ['differences (fuzzed server vs fresh server on the final state):', ...outcome.differences.map((d) => `  ${d}`)] : []),
    ...(outcome.errors.length > 0 ? ['errors:', ...outcome.errors.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

/** The 95th percentile of some timings. */
export function percentile95(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}
