/**
 * Wires the core to an LSP connection: document sync, workspace loading with progress, file
 * watching, settings, and one thin handler per feature.
 */
import { promises as fsp, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationToken, CodeActionKind, Connection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  FileChangeType, MessageType, RequestType, RequestType0, ShowMessageNotification, TextDocumentContentChangeEvent, TextDocumentSyncKind, WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatBibliography } from '../bibliography/bibliography';
import { provideCodeActions } from '../features/codeActions';
import { provideCompletion, resolveCompletionItem } from '../features/completion';
import { provideDiagnostics } from '../features/diagnostics';
import { targetAt } from '../features/documentContext';
import { provideDocumentSymbols } from '../features/documentSymbols';
import { provideHover } from '../features/hover';
import { fillTemplate, noteFileName, noteVariables } from '../features/literatureNote';
import { provideDefinition, provideReferences, provideWorkspaceSymbols } from '../features/navigation';
import { provideSemanticTokens, SEMANTIC_TOKENS_LEGEND } from '../features/semanticTokens';
import { provideCodeLenses, provideDocumentLinks, provideFoldingRanges } from '../features/structure';
import { FileClassifier, looksLikeDigest } from '../loading/fileClassifier';
import { createNodeFileSystem } from '../loading/nodeFileSystem';
import { NoteLanguage } from '../notes/noteCitations';
import {
  CITED_PAPERS_REQUEST, CitedPaper, CREATE_NOTE_COMMAND, EXPORT_REQUEST, ExportParams, ExportResult, SERVER_INFO_REQUEST, ServerInfo, PAPER_AT_REQUEST, PaperAtParams, PaperAtResult, REINDEX_REQUEST, SEARCH_REQUEST, SearchParams, SearchResult, STATUS_NOTIFICATION, StatusParams,
} from '../shared/protocol';
import { captureYearOfFile } from '../digest/dates';
import { DigestParseOptions } from '../digest/digestParser';
import { DEFAULT_SETTINGS, LiteratureDigestSettings, normaliseSettings, SETTINGS_SECTION } from '../shared/settings';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { ParseWorkerPool } from '../loading/parseWorkerPool';
import { loadFile, LoadReport, loadWorkspace } from '../loading/workspaceLoader';

const searchRequest = new RequestType<SearchParams, SearchResult, void>(SEARCH_REQUEST);
const reindexRequest = new RequestType0<StatusParams, void>(REINDEX_REQUEST);
const paperAtRequest = new RequestType<PaperAtParams, PaperAtResult | null, void>(PAPER_AT_REQUEST);
const citedPapersRequest = new RequestType0<CitedPaper[], void>(CITED_PAPERS_REQUEST);
const exportRequest = new RequestType<ExportParams, ExportResult, void>(EXPORT_REQUEST);
const serverInfoRequest = new RequestType0<ServerInfo, void>(SERVER_INFO_REQUEST);

type DocumentKind = { kind: 'digest' } | { kind: 'note'; language: NoteLanguage } | { kind: 'none' };

export function classifierFor(settings: LiteratureDigestSettings): FileClassifier {
  return new FileClassifier({
    digestGlobs: settings.digestFiles,
    markdownGlobs: settings.markdownNotes,
    latexGlobs: settings.latexNotes,
    sniffGlobs: settings.detectTextDigests ? ['**/*.txt'] : [],
    excludeGlobs: settings.exclude,
    maxFileSize: settings.maxFileSizeMB * 1024 * 1024,
  });
}

export function startServer(connection: Connection): void {
  const index = new WorkspaceIndex();
  index.waitForSearchText = false;
  const documents = new Map<string, TextDocument>();
  const fs = createNodeFileSystem();
  let folders: WorkspaceFolder[] = [];
  /** Settings and the file classifier they give, per workspace folder (settings are per resource). */
  interface Scope {
    settings: LiteratureDigestSettings;
    classifier: FileClassifier;
  }
  const scopeOf = (settings: LiteratureDigestSettings): Scope => ({ settings, classifier: classifierFor(settings) });
  /** Window-wide settings, and those a client pushes; a folder without its own uses these. */
  let defaultScope = scopeOf(DEFAULT_SETTINGS);
  let folderScopes = new Map<string, Scope>();
  let canFetchConfiguration = false;
  let canWatchFiles = false;
  let canShowDocument = false;
  let canTrackFolders = false;
  /** False in an untrusted workspace (Restricted Mode): read and navigate, but create no files. */
  let trusted = true;
  let indexing = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let diagnosticsTimer: NodeJS.Timeout | undefined;
  const loadProblems = new Map<string, string>();

  const log = (message: string) => connection.console.log(message);
  /**
   * A message for the person, as a plain notification: the request form (showMessageRequest)
   * waits for an answer some clients never give, and its rejection must not take the server down.
   */
  const showMessage = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });
  // A failed promise somewhere must cost that operation only, never the server.
  process.on('unhandledRejection', (reason) => log(`internal error: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));

  // ---- documents -------------------------------------------------------------------------

  function folderOf(uri: string): WorkspaceFolder | undefined {
    return folders.filter((f) => uri === f.uri || uri.startsWith(f.uri.endsWith('/') ? f.uri : `${f.uri}/`)).sort((a, b) => b.uri.length - a.uri.length)[0];
  }

  function scopeFor(uri: string | undefined): Scope {
    const folder = uri ? folderOf(uri) : folders[0];
    return (folder && folderScopes.get(folder.uri)) ?? defaultScope;
  }

  function relativePath(uri: string): string {
    const folder = folderOf(uri);
    if (!folder || !uri.startsWith('file:') || !folder.uri.startsWith('file:')) return nodePath.posix.basename(uri);
    return nodePath.relative(fileURLToPath(folder.uri), fileURLToPath(uri)).split(nodePath.sep).join('/');
  }

  function kindOf(document: TextDocument): DocumentKind {
    switch (document.languageId) {
      case 'paper-digest': return { kind: 'digest' };
      case 'markdown': case 'quarto': case 'rmd': return { kind: 'note', language: 'markdown' };
      case 'latex': case 'tex': return { kind: 'note', language: 'latex' };
      default: break;
    }
    const byName = scopeFor(document.uri).classifier.classify(relativePath(document.uri));
    if (byName.kind === 'digest' || byName.kind === 'note') return byName;
    if (byName.kind === 'sniff' || document.languageId === 'plaintext') return looksLikeDigest(document.getText()) ? { kind: 'digest' } : { kind: 'none' };
    return { kind: 'none' };
  }

  /**
   * The capture year of an open digest that writes no year: the year its file was last modified,
   * as when the file was loaded from disk (README, "Dates without a year"), taken when it is opened;
   * the current year for text not on disk. Without it, opening a digest saved in another year
   * changed the year, and so the key, of every paper in it.
   */
  const captureYears = new Map<string, number>();
  function digestOptions(uri: string): DigestParseOptions {
    let year = captureYears.get(uri);
    if (year === undefined) {
      year = new Date().getFullYear();
      try {
        if (uri.startsWith('file:')) year = captureYearOfFile(statSync(fileURLToPath(uri)).mtimeMs);
      } catch {
        // Not on disk (yet): the current year.
      }
      captureYears.set(uri, year);
    }
    return { maxLineLength: scopeFor(uri).settings.maxLineLength, fallbackCaptureYear: year };
  }

  function indexDocument(document: TextDocument): void {
    const kind = kindOf(document);
    if (kind.kind === 'digest') index.setDigestText(document.uri, document.getText(), digestOptions(document.uri));
    else if (kind.kind === 'note') index.setNoteText(document.uri, document.getText(), kind.language);
    else index.remove(document.uri);
  }

  /** The lines `from` .. `to` (inclusive) of a document. */
  function documentLines(document: TextDocument, from: number, to: number): string[] {
    const text = document.getText({ start: { line: from, character: 0 }, end: { line: to + 1, character: 0 } });
    const lines = text.split(/\r\n|\r|\n/);
    if (to + 1 < document.lineCount) lines.pop();
    return lines;
  }

  /**
   * Applies an edit to the index. A single ranged change to a digest re-reads only the lines it
   * touched (the rest keep their parse), which keeps typing in a 10,000-entry digest fast.
   */
  function applyChanges(document: TextDocument, changes: TextDocumentContentChangeEvent[]): void {
    const summary = index.file(document.uri);
    const single = changes.length === 1 && 'range' in changes[0] ? changes[0] : undefined;
    if (summary?.kind === 'digest' && single && kindOf(document).kind === 'digest') {
      const startLine = single.range.start.line;
      const oldLines = single.range.end.line - startLine + 1;
      const newLineCount = single.text.split(/\r\n|\r|\n/).length;
      index.editDigestLines(document.uri, startLine, oldLines, documentLines(document, startLine, startLine + newLineCount - 1), digestOptions(document.uri));
      return;
    }
    indexDocument(document);
  }

  connection.onDidOpenTextDocument(({ textDocument }) => {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    documents.set(document.uri, document);
    captureYears.delete(document.uri);
    indexDocument(document);
    scheduleDiagnostics(document.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return;
    TextDocument.update(document, contentChanges, textDocument.version);
    applyChanges(document, contentChanges);
    scheduleDiagnostics(document.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.delete(textDocument.uri);
    captureYears.delete(textDocument.uri);
    // The file on disk is the truth again (the editor may have dropped unsaved changes).
    void reloadFromDisk(textDocument.uri);
  });

  async function reloadFromDisk(uri: string): Promise<void> {
    if (!uri.startsWith('file:')) { index.remove(uri); return; }
    const path = fileURLToPath(uri);
    const folder = folderOf(uri);
    const root = folder ? fileURLToPath(folder.uri) : nodePath.dirname(path);
    const scope = scopeFor(uri);
    const result = await loadFile(index, fs, scope.classifier, root, path, undefined, { maxLineLength: scope.settings.maxLineLength });
    if (result.problem) reportLoadProblem(result.problem.path, result.problem.message);
    else loadProblems.delete(path);
    if (!result.loaded) index.remove(uri);
    scheduleDiagnostics(uri);
  }

  function reportLoadProblem(path: string, message: string): void {
    if (loadProblems.get(path) === message) return;
    loadProblems.set(path, message);
    showMessage(MessageType.Warning, `Literature Digest: ${path}: ${message}`);
  }

  // ---- diagnostics and status --------------------------------------------------------------

  const pendingDiagnostics = new Set<string>();

  /** Diagnostics are debounced: a change to one digest can change which keys exist for every note. */
  function scheduleDiagnostics(uri?: string): void {
    if (uri) pendingDiagnostics.add(uri);
    if (diagnosticsTimer) clearTimeout(diagnosticsTimer);
    diagnosticsTimer = setTimeout(publishDiagnostics, 150);
  }

  let diagnosedKeysVersion = -1;

  function publishDiagnostics(): void {
    diagnosticsTimer = undefined;
    const uris = new Set(pendingDiagnostics);
    pendingDiagnostics.clear();
    // A note's diagnostics depend on which keys exist: when a key appeared or went, refresh them all.
    if (index.keysVersion !== diagnosedKeysVersion) {
      diagnosedKeysVersion = index.keysVersion;
      for (const summary of index.allFiles()) if (summary.kind === 'note') uris.add(summary.uri);
    }
    for (const uri of uris) connection.sendDiagnostics({ uri, diagnostics: provideDiagnostics(index, uri) });
    sendStatus();
    scheduleExport();
    // Papers added by the change wait for their abstract words.
    if (index.pendingSearchText > 0) indexInIdleTime();
  }

  let exportTimer: NodeJS.Timeout | undefined;
  let lastExport: { path: string; text: string } | undefined;

  /**
   * Keeps the bibliography file the settings name current, a second after the last change, so
   * `pandoc --citeproc --bibliography references.json note.md` needs no manual step. The file is
   * written only when its content would change.
   */
  function scheduleExport(): void {
    const target = scopeFor(undefined).settings.export.bibliography;
    if (!trusted || !target || !folders[0]?.uri.startsWith('file:')) return;
    if (exportTimer) clearTimeout(exportTimer);
    exportTimer = setTimeout(() => void writeBibliography(target), 1000);
  }

  async function writeBibliography(target: string): Promise<void> {
    const path = nodePath.resolve(fileURLToPath(folders[0].uri), target);
    const format = /\.bib$/i.test(path) ? 'bibtex' : 'csl-json';
    const text = formatBibliography(index.papers(), format);
    if (lastExport?.path === path && lastExport.text === text) return;
    const current = await fsp.readFile(path, 'utf8').catch(() => undefined);
    if (current !== text) {
      try {
        await fsp.mkdir(nodePath.dirname(path), { recursive: true });
        await fsp.writeFile(path, text);
      } catch (error) {
        reportLoadProblem(path, `could not write the bibliography: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
    lastExport = { path, text };
  }

  function status(): StatusParams {
    const files = index.allFiles();
    return { papers: index.paperCount, digests: files.filter((f) => f.kind === 'digest').length, notes: files.filter((f) => f.kind === 'note').length, indexing, pendingAbstracts: index.pendingSearchText };
  }

  function sendStatus(): void {
    void connection.sendNotification(STATUS_NOTIFICATION, status());
  }

  /** Indexes abstract words in small slices while nothing else is asked of the server. */
  function indexInIdleTime(): void {
    if (idleTimer) return;
    const step = () => {
      idleTimer = undefined;
      if (!index.indexPendingSearchText(20)) {
        idleTimer = setTimeout(step, 1);
        return;
      }
      sendStatus();
      // Then the vocabulary is sorted for prefixes, once, rather than at the first search.
      idleTimer = setTimeout(() => {
        idleTimer = undefined;
        index.prepareForSearch();
      }, 1);
    };
    idleTimer = setTimeout(step, 1);
  }

  // ---- workspace loading ----------------------------------------------------------------

  /** Reads the settings of the window and of every workspace folder, in one request. */
  async function loadSettings(): Promise<void> {
    if (!canFetchConfiguration) return;
    try {
      const items = [{ section: SETTINGS_SECTION }, ...folders.map((folder) => ({ scopeUri: folder.uri, section: SETTINGS_SECTION }))];
      const [windowSettings, ...perFolder] = await connection.workspace.getConfiguration(items) as unknown[];
      defaultScope = scopeOf(normaliseSettings(windowSettings));
      folderScopes = new Map(folders.map((folder, i) => [folder.uri, scopeOf(normaliseSettings(perFolder[i]))]));
    } catch {
      defaultScope = scopeOf(DEFAULT_SETTINGS);
      folderScopes = new Map();
    }
  }

  /** What decides which files are read and how: a change to it needs a new walk. */
  function fileSettingsSignature(): string {
    const signature = (scope: Scope) => [scope.settings.digestFiles, scope.settings.detectTextDigests, scope.settings.markdownNotes, scope.settings.latexNotes, scope.settings.exclude, scope.settings.maxFileSizeMB, scope.settings.maxLineLength];
    return JSON.stringify([signature(defaultScope), ...[...folderScopes.entries()].map(([uri, scope]) => [uri, signature(scope)])]);
  }

  async function loadAllFolders(): Promise<void> {
    indexing = true;
    sendStatus();
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Literature Digest', 0, 'Indexing papers…', true);
    // Digests are parsed on worker threads (dist/parseWorker.js, next to this bundle) while this
    // thread builds the index; the workers stop once the workspace is loaded.
    const pool = new ParseWorkerPool(nodePath.join(__dirname, 'parseWorker.js'));
    try {
      for (const summary of index.allFiles()) if (!documents.has(summary.uri)) index.remove(summary.uri);
      const report: LoadReport = { digests: 0, notes: 0, problems: [] };
      const local = folders.filter((f) => f.uri.startsWith('file:'));
      for (const [i, folder] of local.entries()) {
        // Each folder is read with its own settings.
        const scope = scopeFor(folder.uri);
        const part = await loadWorkspace(index, fs, scope.classifier, [fileURLToPath(folder.uri)], {
          onProgress: (done, found) => progress?.report(Math.round((100 * (i + done / Math.max(1, found))) / local.length), `${folder.name}: ${done}/${found} files`),
          isCancelled: () => progress?.token.isCancellationRequested ?? false,
          parseOptions: { maxLineLength: scope.settings.maxLineLength },
          reader: pool,
        });
        report.digests += part.digests;
        report.notes += part.notes;
        report.problems.push(...part.problems);
      }
      // Open documents are newer than the disk.
      for (const document of documents.values()) indexDocument(document);
      const problems = report.problems.filter((problem) => !problem.message.includes('its contents are still searched'));
      for (const problem of problems) log(`${problem.path}: ${problem.message}`);
      // One message for the lot, naming the first file, so a broken workspace does not flood the person.
      if (problems.length > 0) {
        const first = problems[0];
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see the Literature Digest output)` : '';
        showMessage(MessageType.Warning, `Literature Digest: ${first.path}: ${first.message}${more}`);
      }
      // Every digest read gets its diagnostics once (broken entries show in the Problems view
      // without opening the file); afterwards only changed files are refreshed.
      for (const summary of index.allFiles()) if (summary.kind === 'digest') pendingDiagnostics.add(summary.uri);
      log(`Indexed ${index.paperCount} papers from ${report.digests} digests and ${report.notes} notes.`);
      if (pool.failure) log(`Parse workers unavailable (${pool.failure}); digests were parsed on the main thread.`);
      else if (pool.parsedInWorkers > 0) log(`Parsed ${pool.parsedInWorkers} digests on ${pool.size} worker thread${pool.size === 1 ? '' : 's'}.`);
    } finally {
      void pool.close();
      progress?.done();
      indexing = false;
      indexInIdleTime();
      scheduleDiagnostics();
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------

  connection.onInitialize((params) => {
    const capabilities = params.capabilities;
    canFetchConfiguration = !!capabilities.workspace?.configuration;
    canWatchFiles = !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canShowDocument = !!capabilities.window?.showDocument?.support;
    canTrackFolders = !!capabilities.workspace?.workspaceFolders;
    folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    // Settings given at start-up, for clients that do not serve workspace/configuration.
    const options = params.initializationOptions as Record<string, unknown> | undefined;
    if (options?.workspaceTrusted === false) trusted = false;
    const initial = options?.[SETTINGS_SECTION];
    if (initial !== undefined) defaultScope = scopeOf(normaliseSettings(initial));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Papers' },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['@', '{', ','], resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Empty] },
        codeLensProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        executeCommandProvider: { commands: [CREATE_NOTE_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'literature-digest', version: typeof __VERSION__ === 'string' ? __VERSION__ : 'dev' },
    };
  });

  connection.onInitialized(async () => {
    if (canFetchConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{digest,txt,md,markdown,qmd,rmd,Rmd,tex}' }],
      });
    }
    if (canTrackFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
        folders = folders.filter((f) => !event.removed.some((r) => r.uri === f.uri)).concat(event.added);
        await loadSettings();
        await loadAllFolders();
      });
    }
    await loadSettings();
    await loadAllFolders();
  });

  connection.onDidChangeConfiguration(async ({ settings: pushed }) => {
    const before = fileSettingsSignature();
    if (canFetchConfiguration) {
      await loadSettings();
    } else {
      // Clients that cannot answer workspace/configuration (Neovim 0.7) push settings instead.
      const section = (pushed as Record<string, unknown> | null)?.[SETTINGS_SECTION];
      if (section !== undefined) defaultScope = scopeOf(normaliseSettings(section));
    }
    // Only what decides which files are read needs a new walk; the rest applies at the next request.
    if (before !== fileSettingsSignature()) await loadAllFolders();
    scheduleExport();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      if (documents.has(change.uri)) continue; // the editor's copy is the truth while it is open
      if (change.type === FileChangeType.Deleted) {
        index.remove(change.uri);
        connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      } else {
        await reloadFromDisk(change.uri);
      }
    }
    scheduleDiagnostics();
  });

  // ---- features ---------------------------------------------------------------------------

  const cancelled = (token: CancellationToken) => () => token.isCancellationRequested;

  connection.onDocumentSymbol(({ textDocument }) => {
    const summary = index.digest(textDocument.uri);
    return summary ? provideDocumentSymbols(index, summary) : [];
  });

  connection.onHover(({ textDocument, position }) => provideHover(index, textDocument.uri, position));

  connection.onCompletion(({ textDocument, position }, token) => {
    const document = documents.get(textDocument.uri);
    const summary = index.file(textDocument.uri);
    if (!document || summary?.kind !== 'note') return null;
    const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return provideCompletion(index, lineText, position, summary.language, { maxItems: scopeFor(textDocument.uri).settings.completion.maxItems, isCancelled: cancelled(token) });
  });

  connection.onCompletionResolve((item) => resolveCompletionItem(index, item));

  connection.onDefinition(({ textDocument, position }) => provideDefinition(index, textDocument.uri, position));

  connection.onReferences(({ textDocument, position, context }) => provideReferences(index, textDocument.uri, position, context.includeDeclaration));

  connection.onWorkspaceSymbol(({ query }) => provideWorkspaceSymbols(index, query));

  connection.onCodeAction(({ textDocument, range, context }) => provideCodeActions(index, textDocument.uri, range, context.diagnostics));

  connection.onCodeLens(({ textDocument }) => {
    const summary = index.digest(textDocument.uri);
    return summary ? provideCodeLenses(index, summary) : [];
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const summary = index.digest(textDocument.uri);
    return summary ? provideFoldingRanges(summary) : [];
  });

  connection.onDocumentLinks(({ textDocument }) => {
    const summary = index.digest(textDocument.uri);
    return summary ? provideDocumentLinks(summary) : [];
  });

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const summary = index.digest(textDocument.uri);
    return summary ? provideSemanticTokens(summary) : { data: [] };
  });

  connection.onRequest(searchRequest, (params, token) => {
    const limit = Math.min(Math.max(1, params.limit ?? 50), 500);
    const filters = { minYear: params.minYear, maxYear: params.maxYear, minUpvotes: params.minUpvotes, uri: params.digest };
    let results = params.query.trim()
      ? index.search(params.query, { ...filters, limit: params.sort && params.sort !== 'relevance' ? 500 : limit })
      : index.filterPapers(filters).map((paper) => ({ paper, score: 0, matches: { key: [], title: [], abstract: [] } }));
    if (token.isCancellationRequested) return { items: [], total: index.paperCount, indexing, digests: [] };
    if (params.sort === 'date') results = [...results].sort((a, b) => (a.paper.locations[0].entry.date < b.paper.locations[0].entry.date ? 1 : -1));
    else if (params.sort === 'upvotes' || !params.query.trim()) results = [...results].sort((a, b) => b.paper.locations[0].entry.upvotes - a.paper.locations[0].entry.upvotes);
    return {
      items: results.slice(0, limit).map(({ paper, matches }) => {
        const shown = paper.locations[0].entry;
        return {
          key: paper.key, title: shown.title, date: shown.date, upvotes: shown.upvotes, authors: shown.authors, comments: shown.comments,
          abstractStart: shown.abstract.slice(0, 240),
          locations: paper.locations.map((l) => ({ uri: l.uri, line: l.entry.line })),
          matches: { title: matches.title, key: matches.key, abstract: matches.abstract },
        };
      }),
      total: index.paperCount,
      indexing,
      digests: index.allFiles().filter((f) => f.kind === 'digest').map((f) => f.uri).sort(),
    };
  });

  connection.onRequest(paperAtRequest, ({ uri, position }) => {
    const target = targetAt(index, uri, position);
    const paper = target?.paper;
    return paper ? { key: paper.key, title: paper.locations[0].entry.title } : null;
  });

  connection.onRequest(citedPapersRequest, () => {
    const papers: CitedPaper[] = [];
    for (const key of index.citedKeys()) {
      const paper = index.paperByKey(key);
      if (!paper) continue;
      const shown = paper.locations[0];
      papers.push({ key, title: shown.entry.title, date: shown.entry.date, uri: shown.uri, line: shown.entry.line });
    }
    return papers;
  });

  connection.onRequest(exportRequest, ({ format, digest, citedBy }) => {
    let papers = index.papers();
    if (digest) papers = papers.filter((paper) => paper.locations.some((location) => location.uri === digest));
    if (citedBy) {
      const note = index.file(citedBy);
      const keys = new Set(note?.kind === 'note' ? note.citations.map((citation) => citation.key) : []);
      papers = papers.filter((paper) => keys.has(paper.key));
    }
    return { text: formatBibliography(papers, format === 'bibtex' ? 'bibtex' : 'csl-json'), papers: papers.length };
  });

  connection.onRequest(serverInfoRequest, () => ({ pid: process.pid, version: typeof __VERSION__ === 'string' ? __VERSION__ : 'dev' }));

  connection.onRequest(reindexRequest, async () => {
    await loadAllFolders();
    return status();
  });

  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command !== CREATE_NOTE_COMMAND) return undefined;
    return createLiteratureNote(String(args?.[0] ?? ''));
  });

  /** Creates a note for a paper from the template and opens it; never overwrites an existing file. */
  async function createLiteratureNote(key: string): Promise<{ uri: string; created: boolean } | undefined> {
    if (!trusted) {
      showMessage(MessageType.Info, 'Literature Digest: this workspace is in Restricted Mode, so no note is created. Trust the workspace to create literature notes.');
      return undefined;
    }
    const paper = index.paperByKey(key);
    if (!paper) {
      showMessage(MessageType.Error, `Literature Digest: no paper has the key '${key}'.`);
      return undefined;
    }
    const shownUri = paper.locations[0].uri;
    const folder = folderOf(shownUri) ?? folders[0];
    const base = folder ? fileURLToPath(folder.uri) : nodePath.dirname(fileURLToPath(shownUri));
    const { settings } = scopeFor(shownUri);
    const path = nodePath.join(base, settings.notes.folder, noteFileName(paper));
    const uri = pathToFileURL(path).href;
    const exists = await fsp.stat(path).then(() => true, () => false);
    if (!exists) {
      const text = fillTemplate(settings.notes.template, noteVariables(paper));
      const result = await connection.workspace.applyEdit({
        label: `Create literature note for ${key}`,
        edit: { documentChanges: [
          { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } },
          { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] },
        ] },
      });
      if (!result.applied) {
        showMessage(MessageType.Error, `Literature Digest: could not create ${path}${result.failureReason ? `: ${result.failureReason}` : ''}.`);
        return undefined;
      }
    }
    if (canShowDocument) await connection.window.showDocument({ uri, takeFocus: true });
    return { uri, created: !exists };
  }

  connection.listen();
}

declare const __VERSION__: string | undefined;
