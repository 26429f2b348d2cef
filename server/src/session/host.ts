/**
 * What a session needs from the editor it serves: the outgoing side of the protocol, as a small
 * interface. The LSP binding (lsp/server.ts) implements it over a connection; tests implement it
 * in memory and read what the session sent.
 */
import type { FileSystemWatcher } from 'vscode-languageserver-protocol';
import { Diagnostic, WorkspaceEdit } from 'vscode-languageserver-types';
import { StatusParams } from '../shared/protocol';

export type MessageLevel = 'error' | 'warning' | 'info';

/** A progress report shown while the workspace is indexed; cancellable by the person. */
export interface ProgressReporter {
  report(percentage: number, message: string): void;
  done(): void;
  readonly isCancelled: boolean;
}

export interface SessionHost {
  /** A line in the server's log (the Output panel in VS Code). */
  log(message: string): void;
  /** A message for the person. Never waits for an answer: some clients never give one. */
  showMessage(level: MessageLevel, message: string): void;
  publishDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  sendStatus(status: StatusParams): void;
  /** A progress report, begun with `title` and `message`; undefined when the client shows none. */
  beginProgress(title: string, message: string): Promise<ProgressReporter | undefined>;
  /**
   * The settings section of the window (`undefined` scope) and of each folder URI, in order;
   * undefined when the client cannot answer (then settings come pushed or at start-up).
   */
  fetchSettings(scopes: (string | undefined)[]): Promise<unknown[] | undefined>;
  /** Asks the editor to apply an edit the person can undo. */
  applyEdit(label: string, edit: WorkspaceEdit): Promise<{ applied: boolean; failureReason?: string }>;
  /** Asks the client to report changes to these files, in place of the watchers asked before. */
  watchFiles(watchers: FileSystemWatcher[]): void;
  /** Opens a document in the editor, when the client can. */
  showDocument(uri: string): Promise<void>;
}
