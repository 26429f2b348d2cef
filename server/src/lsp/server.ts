/**
 * Binds LSP methods to a {@link LiteratureSession}: each handler unpacks its params, calls the
 * session and returns. The session's outgoing side ({@link SessionHost}) is implemented here over
 * the connection.
 */
import * as nodePath from 'node:path';
import {
  CancellationToken, CodeActionParams, CompletionItem, Connection, DidChangeConfigurationNotification, DidChangeTextDocumentParams, DidChangeWatchedFilesNotification, DidChangeWatchedFilesParams,
  DidCloseTextDocumentParams, DidOpenTextDocumentParams, Disposable, ErrorCodes, ExecuteCommandParams, FileChangeType, MessageType, ReferenceParams, RenameParams, ResponseError,
  ShowMessageNotification, TextDocumentIdentifier, TextDocumentPositionParams, WorkspaceSymbolParams,
} from 'vscode-languageserver/node';
import { MessageLevel, SessionHost } from '../session/host';
import { LiteratureSession } from '../session/session';
import {
  AddPapersParams, addPapersParamsProblem, codeActionParamsProblem, completionItemProblem, CREATE_NOTE_COMMAND, createNoteKey, didChangeParamsProblem, didChangeWatchedFilesParamsProblem,
  didCloseParamsProblem, didOpenParamsProblem, executeCommandParamsProblem, ExportParams, exportParamsProblem, LOOK_UP_PAPER_COMMAND, lookUpPaperArguments, PaperAtParams, paperAtParamsProblem,
  referenceParamsProblem, REFRESH_NOTE_COMMAND, refreshNoteArguments, renameParamsProblem, SearchParams, searchParamsProblem, textDocumentParamsProblem, textDocumentPositionParamsProblem,
  workspaceSymbolParamsProblem,
} from '../shared/protocol';
import { addPapersRequest, citedPapersRequest, exportRequest, paperAtRequest, reindexRequest, searchRequest, serverInfoRequest, statusNotification } from '../shared/requests';
import { SETTINGS_SECTION } from '../shared/settings';
import { serverCapabilities } from './capabilities';

const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

const MESSAGE_TYPES: Record<MessageLevel, MessageType> = { error: MessageType.Error, warning: MessageType.Warning, info: MessageType.Info };

/** The session's outgoing side over an LSP connection. */
function connectionHost(connection: Connection): SessionHost {
  let watching: Promise<Disposable> | undefined;
  return {
    log: (message) => connection.console.log(message),
    // A plain notification: the request form (showMessageRequest) waits for an answer some
    // clients never give, and its rejection must not take the server down.
    showMessage: (level, message) => void connection.sendNotification(ShowMessageNotification.type, { type: MESSAGE_TYPES[level], message }),
    publishDiagnostics: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    sendStatus: (status) => void connection.sendNotification(statusNotification, status),
    async beginProgress(title, message) {
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin(title, 0, message, true);
      return {
        report: (percentage, text) => progress.report(percentage, text),
        done: () => progress.done(),
        get isCancelled() { return progress.token.isCancellationRequested; },
      };
    },
    fetchSettings: async (scopes) => await connection.workspace.getConfiguration(scopes.map((scopeUri) => (scopeUri ? { scopeUri, section: SETTINGS_SECTION } : { section: SETTINGS_SECTION }))) as unknown[],
    watchFiles(watchers) {
      const previous = watching;
      watching = (async () => {
        await previous?.then((registration) => registration.dispose(), () => undefined);
        return connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
      })();
      watching.catch((error) => connection.console.log(`could not register file watchers: ${error instanceof Error ? error.message : String(error)}`));
    },
    applyEdit: (label, edit) => connection.workspace.applyEdit({ label, edit }),
    showDocument: async (uri) => { await connection.window.showDocument({ uri, takeFocus: true }); },
  };
}

export function startServer(connection: Connection): void {
  const session = new LiteratureSession(connectionHost(connection), {
    // Digests are parsed on worker threads: dist/parseWorker.js, next to this bundle.
    workerScript: nodePath.join(__dirname, 'parseWorker.js'),
  });
  let fetchesSettings = false;
  let tracksFolders = false;
  const cancelled = (token: CancellationToken) => () => token.isCancellationRequested;

  // A failed promise somewhere must cost that operation only, never the server.
  process.on('unhandledRejection', (reason) => connection.console.log(`internal error: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));

  connection.onInitialize(({ capabilities, workspaceFolders, rootUri, initializationOptions }) => {
    fetchesSettings = !!capabilities.workspace?.configuration;
    tracksFolders = !!capabilities.workspace?.workspaceFolders;
    session.initialize({
      folders: workspaceFolders ?? (rootUri ? [{ uri: rootUri, name: 'root' }] : []),
      abilities: {
        fetchesSettings,
        showsDocuments: !!capabilities.window?.showDocument?.support,
        watchesFiles: !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration,
        relativeWatchPatterns: !!capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport,
      },
      initializationOptions,
    });
    return { capabilities: serverCapabilities(), serverInfo: { name: 'literature-digest', version: VERSION } };
  });

  connection.onInitialized(async () => {
    if (fetchesSettings) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (tracksFolders) connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => session.foldersChanged(added, removed));
    await session.start();
  });
  connection.onShutdown(() => session.dispose());

  // Params come untyped off the wire: what a client got wrong is answered InvalidParams (-32602)
  // saying what, never reaching the session to fail as an internal error (-32603) (issue 16, #9);
  // a notification, which has no answer, is logged and dropped.
  const checked = <P>(problemOf: (params: unknown) => string | undefined) => (params: P): P => {
    const problem = problemOf(params);
    if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
    return params;
  };
  const whenValid = <P>(method: string, problemOf: (params: unknown) => string | undefined, handle: (params: P) => void | Promise<void>) => (params: P): void | Promise<void> => {
    const problem = problemOf(params);
    if (!problem) return handle(params);
    connection.console.error(`${method} dropped: ${problem}`);
  };
  const inDocument = checked<{ textDocument: TextDocumentIdentifier }>(textDocumentParamsProblem);
  const atPosition = checked<TextDocumentPositionParams>(textDocumentPositionParamsProblem);

  connection.onDidOpenTextDocument(whenValid('textDocument/didOpen', didOpenParamsProblem, ({ textDocument: { uri, languageId, version, text } }: DidOpenTextDocumentParams) => session.openDocument(uri, languageId, version, text)));
  connection.onDidChangeTextDocument(whenValid('textDocument/didChange', didChangeParamsProblem, ({ textDocument: { uri, version }, contentChanges }: DidChangeTextDocumentParams) => session.changeDocument(uri, version, contentChanges)));
  connection.onDidCloseTextDocument(whenValid('textDocument/didClose', didCloseParamsProblem, ({ textDocument }: DidCloseTextDocumentParams) => session.closeDocument(textDocument.uri)));
  connection.onDidChangeConfiguration(({ settings }) => session.settingsChanged(settings));
  connection.onDidChangeWatchedFiles(whenValid('workspace/didChangeWatchedFiles', didChangeWatchedFilesParamsProblem, ({ changes }: DidChangeWatchedFilesParams) => session.diskChanged(changes.map(({ uri, type }) => ({ uri, deleted: type === FileChangeType.Deleted })))));

  connection.onDocumentSymbol((params) => session.documentSymbols(inDocument(params).textDocument.uri));
  connection.onHover((params) => {
    const { textDocument, position } = atPosition(params);
    return session.hover(textDocument.uri, position);
  });
  connection.onCompletion((params, token) => {
    const { textDocument, position } = atPosition(params);
    return session.completion(textDocument.uri, position, cancelled(token));
  });
  connection.onCompletionResolve((item) => session.resolveCompletion(checked<CompletionItem>(completionItemProblem)(item)));
  connection.onDefinition((params) => {
    const { textDocument, position } = atPosition(params);
    return session.definition(textDocument.uri, position);
  });
  connection.onReferences((params) => {
    const { textDocument, position, context } = checked<ReferenceParams>(referenceParamsProblem)(params);
    return session.references(textDocument.uri, position, context.includeDeclaration);
  });
  // A refused rename is an error response: clients show its message where the person typed.
  const refusedAsError = <T>(answer: T | { refused: string }): T => {
    if (answer && typeof answer === 'object' && 'refused' in answer) throw new ResponseError(ErrorCodes.InvalidRequest, answer.refused);
    return answer;
  };
  connection.onPrepareRename((params) => {
    const { textDocument, position } = atPosition(params);
    return refusedAsError(session.prepareRename(textDocument.uri, position));
  });
  connection.onRenameRequest((params) => {
    const { textDocument, position, newName } = checked<RenameParams>(renameParamsProblem)(params);
    return refusedAsError(session.rename(textDocument.uri, position, newName));
  });
  connection.onWorkspaceSymbol((params) => session.workspaceSymbols(checked<WorkspaceSymbolParams>(workspaceSymbolParamsProblem)(params).query));
  connection.onCodeAction((params) => {
    const { textDocument, range, context } = checked<CodeActionParams>(codeActionParamsProblem)(params);
    return session.codeActions(textDocument.uri, range, context.diagnostics);
  });
  connection.onCodeLens((params) => session.codeLenses(inDocument(params).textDocument.uri));
  connection.onFoldingRanges((params) => session.foldingRanges(inDocument(params).textDocument.uri));
  connection.onDocumentLinks((params) => session.documentLinks(inDocument(params).textDocument.uri));
  connection.languages.semanticTokens.on((params) => session.semanticTokens(inDocument(params).textDocument.uri));
  connection.onExecuteCommand((params, token) => {
    const { command, arguments: args } = checked<ExecuteCommandParams>(executeCommandParamsProblem)(params);
    if (command === CREATE_NOTE_COMMAND) return session.openLiteratureNote(createNoteKey(args));
    if (command === REFRESH_NOTE_COMMAND) {
      const refresh = refreshNoteArguments(args);
      return refresh ? session.refreshLiteratureNote(...refresh) : undefined;
    }
    const lookUp = command === LOOK_UP_PAPER_COMMAND ? lookUpPaperArguments(args) : undefined;
    return lookUp ? session.lookUpPaper(...lookUp, cancelled(token)) : undefined;
  });

  // The custom requests, checked the same way.
  const searchParams = checked<SearchParams>(searchParamsProblem);
  const addPapersParams = checked<AddPapersParams>(addPapersParamsProblem);
  const paperAtParams = checked<PaperAtParams>(paperAtParamsProblem);
  const exportParams = checked<ExportParams>(exportParamsProblem);
  connection.onRequest(searchRequest, (params, token) => session.search(searchParams(params), cancelled(token)));
  connection.onRequest(addPapersRequest, (params, token) => session.addPapers(addPapersParams(params), cancelled(token)));
  connection.onRequest(paperAtRequest, (params) => {
    const { uri, position } = paperAtParams(params);
    return session.paperAt(uri, position);
  });
  connection.onRequest(citedPapersRequest, () => session.citedPapers());
  connection.onRequest(exportRequest, (params) => session.exportBibliography(exportParams(params)));
  connection.onRequest(reindexRequest, () => session.reindex());
  connection.onRequest(serverInfoRequest, () => ({ pid: process.pid, version: VERSION }));

  connection.listen();
}

declare const __VERSION__: string | undefined;
