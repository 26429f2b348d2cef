/**
 * The extension's context: owns the language client's lifecycle, the status bar item, the search
 * panel and every disposable. `activate` builds one of these.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, RevealOutputChannelOn, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { editorDocumentSelector } from '../../server/src/shared/fileKinds';
import { PaperAtResult, SearchParams, SearchResult, StatusParams } from '../../server/src/shared/protocol';
import { paperAtRequest, reindexRequest, searchRequest, statusNotification } from '../../server/src/shared/requests';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';
import { Config } from './config';

export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly client: LanguageClient;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusListeners = new Set<(status: StatusParams) => void>();
  status: StatusParams = { papers: 0, digests: 0, notes: 0, indexing: true };
  /** The text editor the person used last, where the search panel inserts citations. */
  lastTextEditor: vscode.TextEditor | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    const serverModule = extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: editorDocumentSelector(),
      synchronize: { configurationSection: SETTINGS_SECTION },
      initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
      outputChannelName: 'Literature Digest',
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // If the server process dies, restart it (the default policy gives up after 5 crashes in 3 minutes).
      connectionOptions: { maxRestartCount: 10 },
    };
    this.client = new LanguageClient('literatureDigest', 'Literature Digest', serverOptions, clientOptions);

    this.statusBar = vscode.window.createStatusBarItem('literatureDigest.status', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = 'Literature Digest';
    this.statusBar.command = 'literatureDigest.focusSearch';
    this.renderStatus();
    this.statusBar.show();
    this.disposables.push(this.statusBar);

    this.lastTextEditor = vscode.window.activeTextEditor;
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && (editor.document.uri.scheme === 'file' || editor.document.uri.scheme === 'untitled' || editor.document.uri.scheme === 'vscode-remote')) this.lastTextEditor = editor;
    }));
  }

  async start(): Promise<void> {
    this.client.onNotification(statusNotification, (status) => {
      this.status = status;
      this.renderStatus();
      for (const listener of this.statusListeners) listener(status);
    });
    await this.client.start();
  }

  onStatus(listener: (status: StatusParams) => void): vscode.Disposable {
    this.statusListeners.add(listener);
    return new vscode.Disposable(() => this.statusListeners.delete(listener));
  }

  search(params: SearchParams, token?: vscode.CancellationToken): Promise<SearchResult> {
    return this.client.sendRequest(searchRequest, params, token);
  }

  paperAt(document: vscode.TextDocument, position: vscode.Position): Promise<PaperAtResult | null> {
    return this.client.sendRequest(paperAtRequest, { uri: this.client.code2ProtocolConverter.asUri(document.uri), position: { line: position.line, character: position.character } });
  }

  async reindex(): Promise<StatusParams> {
    return this.client.sendRequest(reindexRequest);
  }

  private renderStatus(): void {
    const { papers, digests, notes, indexing } = this.status;
    const abstractsPending = (this.status.pendingAbstracts ?? 0) > 0;
    this.statusBar.text = indexing
      ? '$(sync~spin) Indexing papers…'
      : `$(book) ${papers.toLocaleString()} paper${papers === 1 ? '' : 's'}${abstractsPending ? ' $(sync~spin)' : ''}`;
    this.statusBar.tooltip = `Literature Digest: ${papers} papers in ${digests} digests, ${notes} notes.${abstractsPending ? ' Indexing abstract words; search finds papers by key and title meanwhile.' : ''} Click to search.`;
    this.statusBar.accessibilityInformation = { label: indexing ? 'Literature Digest is indexing papers' : `Literature Digest: ${papers} papers indexed. Open the search panel.` };
  }

  push(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
