import assert from 'node:assert/strict';
/** What the in-process session tests share: a host that records what the session sends, and a session over a workspace on disk. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach } from 'node:test';
import type { FileSystemWatcher } from 'vscode-languageserver-protocol';
import type { Diagnostic, WorkspaceEdit } from 'vscode-languageserver-types';
import { MessageLevel, ProgressReporter, SessionHost } from '../../server/src/session/host';
import { ClientAbilities, LiteratureSession } from '../../server/src/session/session';
import type { FileSystem } from '../../server/src/loading/workspaceLoader';
import { StatusParams } from '../../server/src/shared/protocol';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const ENTRY = (upvotes: number, title: string, date: string) => `${upvotes} ${title} We study things in this paper. 3 authors · ${date}`;

/** A host that keeps everything the session sent, and answers as a configurable client would. */
export class RecordingHost implements SessionHost {
  readonly logs: string[] = [];
  readonly messages: { level: MessageLevel; message: string }[] = [];
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: StatusParams[] = [];
  readonly edits: { label: string; edit: WorkspaceEdit }[] = [];
  readonly shown: string[] = [];
  readonly progress: string[] = [];
  readonly watched: FileSystemWatcher[][] = [];
  /** Settings per scope (undefined: the window); undefined for a client that cannot answer. */
  settings: Map<string | undefined, unknown> | undefined;
  applies = true;

  log(message: string) { this.logs.push(message); }
  showMessage(level: MessageLevel, message: string) { this.messages.push({ level, message }); }
  publishDiagnostics(uri: string, diagnostics: Diagnostic[]) { this.diagnostics.set(uri, diagnostics); }
  sendStatus(status: StatusParams) { this.statuses.push(status); }
  async beginProgress(title: string, message: string): Promise<ProgressReporter> {
    this.progress.push(`begin ${title}: ${message}`);
    const progress = this.progress;
    return { report: (percentage, text) => progress.push(`${percentage}% ${text}`), done: () => progress.push('done'), isCancelled: false };
  }
  async fetchSettings(scopes: (string | undefined)[]) {
    // As VS Code does, a folder without settings of its own gets the window's.
    return this.settings && scopes.map((scope) => this.settings?.get(scope) ?? this.settings?.get(undefined));
  }
  async applyEdit(label: string, edit: WorkspaceEdit) {
    this.edits.push({ label, edit });
    return this.applies ? { applied: true } : { applied: false, failureReason: 'the editor refused' };
  }
  async showDocument(uri: string) { this.shown.push(uri); }
  watchFiles(watchers: FileSystemWatcher[]) { this.watched.push(watchers); }
}

const cleanups: (() => void)[] = [];
/** The sessions of the running test, whose consistency-mode findings must be none. */
const drifting: { consistencyDrifts: string[] }[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  const drifts = drifting.splice(0).flatMap((session) => session.consistencyDrifts);
  assert.deepEqual(drifts, [], 'the incremental state drifted from a reading from scratch');
});

/** A folder with the given files (relative path → text) and a started session over it. */
export async function startSession(files: Record<string, string>, options: { abilities?: Partial<ClientAbilities>; initializationOptions?: unknown; settings?: Map<string | undefined, unknown>; fileSystem?: FileSystem } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'litdigest-session-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const host = new RecordingHost();
  host.settings = options.settings;
  // Consistency mode: every incremental change is checked against a reading from scratch, and
  // a test whose session drifted fails when it ends.
  const session = new LiteratureSession(host, { fileSystem: options.fileSystem, consistencyCheck: true });
  drifting.push(session);
  cleanups.push(() => { session.dispose(); rmSync(root, { recursive: true, force: true }); });
  const rootUri = pathToFileURL(root).href;
  session.initialize({
    folders: [{ uri: rootUri, name: 'w' }],
    abilities: { fetchesSettings: false, showsDocuments: true, ...options.abilities },
    initializationOptions: options.initializationOptions,
  });
  await session.start();
  const uri = (path: string) => pathToFileURL(join(root, path)).href;
  return { root, host, session, uri };
}

export function tuluFiles(extra: Record<string, string> = {}): Record<string, string> {
  return { 'tulu.digest.txt': readFileSync(join(FIXTURES, 'tulu-search.txt'), 'utf8'), ...extra };
}

