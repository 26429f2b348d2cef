/**
 * A real JSON-RPC client for protocol tests: starts `node dist/server.js --stdio` as a process and
 * talks LSP to it over its pipes, answering the server's own requests (configuration, progress,
 * registrations, applyEdit, showDocument) the way an editor would.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection, InitializeRequest, ProtocolConnection, StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

export interface TestServer {
  connection: ProtocolConnection;
  process: ChildProcess;
  root: string;
  uri(relative: string): string;
  /** Settings the server reads through workspace/configuration. */
  settings: Record<string, unknown>;
  /** Settings of one workspace folder (by its URI), where they differ from `settings`. */
  folderSettings: Map<string, Record<string, unknown>>;
  diagnostics: Map<string, Diagnostic[]>;
  waitForDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  waitForIndexed(minPapers: number, timeoutMs?: number): Promise<void>;
  shownDocuments: string[];
  /** window/showMessage texts the server sent. */
  messages: string[];
  /** window/logMessage texts the server sent (its output channel). */
  logs: string[];
  /** The file watchers of the server's latest workspace/didChangeWatchedFiles registration. */
  watchers: { globPattern: string | { baseUri: string; pattern: string } }[];
  stderr(): string;
  stop(): Promise<void>;
}

/** Applies a workspace edit to disk, as an editor would when the server asks. */
function applyWorkspaceEdit(edit: WorkspaceEdit): boolean {
  const applyTextEdits = (uri: string, edits: TextEdit[]) => {
    const path = fileURLToPath(uri);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    writeFileSync(path, TextDocument.applyEdits(TextDocument.create(uri, 'plaintext', 0, before), edits));
  };
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') return false;
      const path = fileURLToPath(change.uri);
      if (existsSync(path) && !change.options?.ignoreIfExists && !change.options?.overwrite) return false;
      if (!existsSync(path) || change.options?.overwrite) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, '');
      }
      continue;
    }
    applyTextEdits(change.textDocument.uri, change.edits.filter((e): e is TextEdit => 'range' in e));
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) applyTextEdits(uri, edits);
  return true;
}

export async function startServer(root: string, settings: Record<string, unknown> = {}, initializationOptions?: Record<string, unknown>, extraFolders: string[] = []): Promise<TestServer> {
  // Consistency mode on: the server checks every incremental change against a reading from
  // scratch and logs what differs; stop() fails a test whose server logged any. The benchmark
  // turns it off (LITDIGEST_CONSISTENCY=0 in its own environment): it times the server as shipped.
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LITDIGEST_CONSISTENCY: process.env.LITDIGEST_CONSISTENCY ?? '1' } });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const diagnosticWaiters: (() => void)[] = [];
  const statusWaiters: ((papers: number, indexing: boolean) => void)[] = [];
  // Indexing counts as done when the files are read and the abstract words indexed too.
  let lastStatus = { papers: 0, indexing: true };
  const server: TestServer = {
    connection,
    process: child,
    root,
    uri: (relative) => pathToFileURL(join(root, relative)).href,
    settings,
    folderSettings: new Map(),
    diagnostics,
    shownDocuments: [],
    messages: [],
    logs: [],
    watchers: [],
    stderr: () => stderr,
    waitForDiagnostics(uri, predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const current = diagnostics.get(uri);
          if (current && predicate(current)) { resolve(current); return true; }
          return false;
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(diagnostics.get(uri))}`)), timeoutMs);
        diagnosticWaiters.push(() => { if (check()) clearTimeout(timer); });
      });
    },
    waitForIndexed(minPapers, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        if (!lastStatus.indexing && lastStatus.papers >= minPapers) { resolve(); return; }
        const timer = setTimeout(() => reject(new Error(`not indexed: ${JSON.stringify(lastStatus)}`)), timeoutMs);
        statusWaiters.push((papers, indexing) => {
          if (!indexing && papers >= minPapers) { clearTimeout(timer); resolve(); }
        });
      });
    },
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) { resolve(); return; }
        const timer = setTimeout(() => { child.kill(); resolve(); }, 2000);
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
      connection.dispose();
      const drifts = server.logs.filter((line) => line.startsWith('consistency:'));
      if (drifts.length > 0) throw new Error(`the server's incremental state drifted:\n${drifts.join('\n')}`);
    },
  };
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.set(params.uri, params.diagnostics);
    for (const waiter of [...diagnosticWaiters]) waiter();
  });
  connection.onNotification('literatureDigest/status', (raw: { papers: number; indexing: boolean; pendingAbstracts?: number }) => {
    const params = { papers: raw.papers, indexing: raw.indexing || (raw.pendingAbstracts ?? 0) > 0 };
    lastStatus = params;
    for (const waiter of [...statusWaiters]) waiter(params.papers, params.indexing);
  });
  connection.onNotification('window/logMessage', (params: { message: string }) => { server.logs.push(params.message); });
  connection.onNotification('window/showMessage', (params: { message: string }) => { server.messages.push(params.message); });
  connection.onNotification('$/progress', () => undefined);
  connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) =>
    params.items.map((item) => (item.scopeUri && server.folderSettings.get(item.scopeUri)) || server.settings));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: { watchers?: TestServer['watchers'] } }[] }) => {
    for (const registration of params.registrations) {
      if (registration.method === 'workspace/didChangeWatchedFiles') server.watchers = registration.registerOptions?.watchers ?? [];
    }
    return null;
  });
  connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => ({ applied: applyWorkspaceEdit(params.edit) }));
  connection.onRequest('window/showDocument', (params: { uri: string }) => { server.shownDocuments.push(params.uri); return { success: true }; });
  connection.listen();

  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    initializationOptions,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [root, ...extraFolders].map((folder, i) => ({ uri: pathToFileURL(folder).href, name: `folder${i}` })),
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      window: { workDoneProgress: true, showDocument: { support: true } },
      textDocument: {
        hover: { contentFormat: ['markdown'] },
        completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown'] } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    },
  });
  await connection.sendNotification('initialized', {});
  return server;
}
