/**
 * One language-server session: the workspace index, the open documents, the settings of every
 * folder, loading and watching, and what goes out (diagnostics, status, progress, messages)
 * through a {@link SessionHost}. Every LSP method is one call of a method here (see lsp/server.ts),
 * so everything the server does can be driven and observed in process by tests.
 */
import { promises as fsp, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, Position, Range, SemanticTokens, SymbolInformation, WorkspaceEdit,
} from 'vscode-languageserver-types';
import { formatBibliography } from '../bibliography/bibliography';
import { selectPapersForExport } from '../bibliography/exportSelection';
import { captureYearOfFile } from '../digest/dates';
import { DigestParseOptions } from '../digest/digestParser';
import { provideCitedPapers } from '../features/citedPapers';
import { provideCodeActions } from '../features/codeActions';
import { provideCompletion, resolveCompletionItem } from '../features/completion';
import { provideDiagnostics } from '../features/diagnostics';
import { entryAtLine, providePaperAt } from '../features/documentContext';
import { provideDocumentSymbols, provideLibrarySymbols } from '../features/documentSymbols';
import { provideHover } from '../features/hover';
import { findGeneratedBlock, planLiteratureNote, planNoteRefresh, provideLiteratureNoteLenses } from '../features/literatureNote';
import { provideDefinition, provideReferences, provideWorkspaceSymbols } from '../features/navigation';
import { providePrepareRename, provideRename, RenameRefusal } from '../features/rename';
import { lookUpEdits, matchingPaper, planAddPapers } from '../features/paperLookup';
import { provideSearch } from '../features/search';
import { provideSemanticTokens } from '../features/semanticTokens';
import { provideCodeLenses, provideDocumentLinks, provideFoldingRanges } from '../features/structure';
import { ApiError, fetchPapers, PaperQuery, parsePaperQuery } from '../huggingface/apiClient';
import { ApiPaper } from '../huggingface/apiRecords';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { isLibraryEntry, libraryFormatOf, parseLibrary, rereadLibrary } from '../library/libraryEntries';
import { IN_THREAD_READER } from '../loading/digestFileReader';
import { looksLikeDigest, SNIFF_CHARS } from '../loading/fileClassifier';
import { createNodeFileSystem } from '../loading/nodeFileSystem';
import { ParseWorkerPool } from '../loading/parseWorkerPool';
import { FileSystem, loadFile, LoadProblem, LoadReport, loadWorkspace } from '../loading/workspaceLoader';
import { isMarkdownProseAt } from '../notes/markdownCitations';
import { FileKind, fileWatchers, kindOfLanguageId } from '../shared/fileKinds';
import { AddPapersParams, AddPapersResult, CitedPaper, CreateNoteResult, ExportParams, ExportResult, PaperAtResult, RefreshNoteResult, SearchParams, SearchResult, StatusParams } from '../shared/protocol';
import { SETTINGS_SECTION } from '../shared/settings';
import { BibliographyWriter } from './bibliographyWriter';
import { DocumentChange, OpenDocument, PlacedChange } from './openDocument';
import { consistencyModeFromEnvironment, digestDrift, indexDrift, libraryDrift, noteDrift } from './consistencyCheck';
import { externalBibliographyUri, ExternalBibliographies } from './externalBibliographies';
import { MessageLevel, SessionHost } from './host';
import { WorkspaceFolder, WorkspaceScopes } from './workspaceScopes';

export interface SessionOptions {
  /** The bundled parse worker (dist/parseWorker.js); without it, digests are parsed on this thread. */
  workerScript?: string;
  /** The disk; the local file system by default. */
  fileSystem?: FileSystem;
  /** Check every incremental change against a reading from scratch (consistencyCheck.ts); `LITDIGEST_CONSISTENCY` by default. */
  consistencyCheck?: boolean;
}

/** What the client said it can do, at initialize. */
export interface ClientAbilities {
  /** Answers `workspace/configuration`. */
  fetchesSettings: boolean;
  /** Opens documents on `window/showDocument`. */
  showsDocuments: boolean;
  /** Registers file watchers (`workspace/didChangeWatchedFiles` with dynamic registration). */
  watchesFiles?: boolean;
  /** Takes watchers relative to a folder (`relativePatternSupport`). */
  relativeWatchPatterns?: boolean;
}

export interface SessionStart {
  folders: WorkspaceFolder[];
  abilities: ClientAbilities;
  /** `initializationOptions`: settings under `literatureDigest` and `workspaceTrusted`, for clients that push them. */
  initializationOptions?: unknown;
}

/** A change on disk, as `workspace/didChangeWatchedFiles` reports it. */
export interface DiskChange {
  uri: string;
  deleted: boolean;
}

type DocumentKind = Exclude<FileKind, { kind: 'sniff' }>;

/** A bibliography read whole takes about a second per 20 MB; above this its whole readings wait for a pause. */
const LARGE_LIBRARY_CHARS = 1_000_000;
const LIBRARY_READ_DELAY_MS = 300;

/** How long diagnostics wait after a change: one change to a digest can change every note's. */
const DIAGNOSTICS_DELAY_MS = 150;

export class LiteratureSession {
  readonly index = new WorkspaceIndex();
  private readonly documents = new Map<string, OpenDocument>();
  private readonly scopes = new WorkspaceScopes();
  private readonly fs: FileSystem;
  private readonly bibliography: BibliographyWriter;
  private abilities: ClientAbilities = { fetchesSettings: false, showsDocuments: false };
  /** The watchers last asked of the client, to ask again only when the settings change them. */
  private watching = '';
  /** False in an untrusted workspace (Restricted Mode): read and navigate, but create no files. */
  private trusted = true;
  private indexing = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private diagnosticsTimer: NodeJS.Timeout | undefined;
  private readonly pendingDiagnostics = new Set<string>();
  private diagnosedKeysVersion = -1;
  /** The last problem told per file, so the same one is not told again at every reload. */
  private readonly loadProblems = new Map<string, string>();
  /**
   * The capture year of an open digest that writes no year: the year its file was last modified,
   * as when the file was loaded from disk (README, "Dates without a year"), taken when it is opened;
   * the current year for text not on disk. Without it, opening a digest saved in another year
   * changed the year, and so the key, of every paper in it.
   */
  private readonly captureYears = new Map<string, number>();
  /** Bibliographies outside the walk (the `bibliographies.external` setting, files notes name), read and watched here. */
  private readonly externalBibliographies = new ExternalBibliographies({ changed: (uri, text, error) => this.externalBibliographyChanged(uri, text, error) });
  /** Open bibliographies to be read whole once typing pauses (see applyChanges). */
  private readonly pendingLibraryReads = new Map<string, NodeJS.Timeout>();
  /** Files whose diagnostics last said a key names two papers: refreshed when keys change. */
  private sharedKeyUris = new Set<string>();
  /**
   * Per file, the number of its last event (disk changes, opens, closes), numbered across all
   * files: a reload from disk applies only while no newer event came (and the file is not open),
   * and a walk of the folders does not apply what it read of a file that had an event after the
   * walk began. A reload still reading a file created a moment ago landed after its delete and
   * brought it back (issue 16, #5); so did a reindex that had read a note before it was deleted.
   */
  private readonly fileEvents = new Map<string, number>();
  private lastFileEvent = 0;

  constructor(private readonly host: SessionHost, private readonly options: SessionOptions = {}) {
    // Requests never wait for abstract words: those are indexed in idle time (indexInIdleTime).
    this.index.waitForSearchText = false;
    this.fs = options.fileSystem ?? createNodeFileSystem();
    // The bibliography kept current holds the digests' papers: those of a person's own
    // bibliographies are in their files already.
    this.bibliography = new BibliographyWriter(() => this.index.papers().filter((paper) => !isLibraryEntry(paper.locations[0].entry)), (path, message) => this.reportLoadProblem(path, message));
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** `initialize`: the folders, what the client can do, and settings given at start-up. */
  initialize(start: SessionStart): void {
    this.abilities = start.abilities;
    this.scopes.setFolders(start.folders);
    const options = start.initializationOptions as Record<string, unknown> | undefined;
    if (options?.workspaceTrusted === false) this.trusted = false;
    const initial = options?.[SETTINGS_SECTION];
    if (initial !== undefined) this.scopes.setSettings(initial);
  }

  /** `initialized`: reads the settings and the workspace. */
  async start(): Promise<void> {
    await this.loadSettings();
    this.updateWatchers();
    await this.loadAllFolders();
  }

  /** Asks the client to watch the files the settings read (custom globs included), when they changed. */
  private updateWatchers(): void {
    if (!this.abilities.watchesFiles) return;
    const watchers = fileWatchers(this.scopes.fileKindScopes(), this.abilities.relativeWatchPatterns ?? false);
    const signature = JSON.stringify(watchers);
    if (signature === this.watching) return;
    this.watching = signature;
    this.host.watchFiles(watchers);
  }

  /** Stops the timers, so the process (or a test) can end. */
  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.diagnosticsTimer) clearTimeout(this.diagnosticsTimer);
    this.idleTimer = this.diagnosticsTimer = undefined;
    this.bibliography.cancel();
    this.externalBibliographies.close();
    for (const timer of this.pendingLibraryReads.values()) clearTimeout(timer);
    this.pendingLibraryReads.clear();
  }

  async foldersChanged(added: WorkspaceFolder[], removed: WorkspaceFolder[]): Promise<void> {
    this.scopes.changeFolders(added, removed);
    await this.loadSettings();
    this.updateWatchers();
    await this.loadAllFolders();
  }

  /**
   * `workspace/didChangeConfiguration`. Clients that cannot answer `workspace/configuration`
   * (Neovim 0.7) push the settings in it instead. Only what decides which files are read needs a
   * new walk; the rest applies at the next request.
   */
  async settingsChanged(pushed: unknown): Promise<void> {
    const before = this.scopes.fileSettingsSignature();
    const exportedBefore = this.bibliographyPath();
    if (this.abilities.fetchesSettings) {
      await this.loadSettings();
    } else {
      const section = (pushed as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
      if (section !== undefined) this.scopes.setSettings(section);
    }
    this.updateWatchers();
    this.index.bibliographyScope = this.scopes.scopeFor(undefined).settings.bibliographies.scope;
    if (before !== this.scopes.fileSettingsSignature()) await this.loadAllFolders();
    else await this.exportTargetChanged(exportedBefore, this.bibliographyPath());
    this.scheduleDiagnostics();
    this.scheduleExport();
  }

  /**
   * The bibliography this product writes is no source (the classifier leaves it out): when the
   * setting names another file, the new one leaves the index and the old one is read as any file.
   */
  private async exportTargetChanged(before: string | undefined, after: string | undefined): Promise<void> {
    if (before === after) return;
    if (after) this.index.remove(pathToFileURL(after).href);
    if (before && !this.documents.has(pathToFileURL(before).href)) await this.reloadFromDisk(pathToFileURL(before).href);
  }

  /** `literatureDigest/reindex`: reads the workspace again from disk. */
  async reindex(): Promise<StatusParams> {
    await this.loadAllFolders();
    return this.status();
  }

  get folders(): readonly WorkspaceFolder[] {
    return this.scopes.folders;
  }

  // ---- documents ---------------------------------------------------------------------------

  openDocument(uri: string, languageId: string, version: number, text: string): void {
    this.cancelPendingLibraryRead(uri);
    const document = new OpenDocument(uri, languageId, version, text);
    this.documents.set(uri, document);
    this.noteFileEvent(uri);
    this.captureYears.delete(uri);
    this.indexDocument(document);
    this.scheduleDiagnostics(uri);
  }

  changeDocument(uri: string, version: number, changes: DocumentChange[]): void {
    const document = this.documents.get(uri);
    if (!document) return;
    // One ranged change is applied to the index from where it lies in the text before it (a
    // BibTeX file from its offsets, a digest from its lines), placed as the text model places it.
    const single = changes.length === 1 && 'range' in changes[0] ? changes[0] : undefined;
    const placed = single && document.place(single.range, single.text);
    document.update(changes, version);
    this.applyChanges(document, placed);
    if (this.consistencyCheck) this.checkConsistency(document);
    this.scheduleDiagnostics(uri);
  }

  private get consistencyCheck(): boolean {
    return this.options.consistencyCheck ?? consistencyModeFromEnvironment();
  }
  /** What consistency mode found: each difference between the incremental state and a reading from scratch. */
  readonly consistencyDrifts: string[] = [];

  /** Consistency mode: the document's state as edited against the document read from scratch. */
  private checkConsistency(document: OpenDocument): void {
    const summary = this.index.file(document.uri);
    if (!summary || this.pendingLibraryReads.has(document.uri)) return;
    const text = document.getText();
    const drift = (summary.kind === 'digest' ? digestDrift(summary.digest, text, this.digestOptions(document.uri))
      : summary.kind === 'note' ? noteDrift(summary.citations, text, summary.language)
        : libraryDrift(document.uri, summary.read, text, summary.read.format)) ?? indexDrift(this.index, summary);
    if (drift === undefined) return;
    this.consistencyDrifts.push(`${document.uri} (version ${document.version}): ${drift}`);
    this.host.log(`consistency: ${document.uri} (version ${document.version}): ${drift}`);
  }

  closeDocument(uri: string): void {
    this.cancelPendingLibraryRead(uri);
    this.documents.delete(uri);
    this.captureYears.delete(uri);
    // The file on disk is the truth again (the editor may have dropped unsaved changes).
    void this.reloadFromDisk(uri);
  }

  /** `workspace/didChangeWatchedFiles`. The editor's copy of an open document stays the truth. */
  async diskChanged(changes: DiskChange[]): Promise<void> {
    for (const change of changes) {
      this.noteFileEvent(change.uri);
      if (this.documents.has(change.uri)) continue;
      if (change.deleted) {
        this.index.remove(change.uri);
        this.host.publishDiagnostics(change.uri, []);
      } else {
        await this.reloadFromDisk(change.uri);
      }
    }
    this.scheduleDiagnostics();
  }

  private kindOf(document: OpenDocument): DocumentKind {
    const byLanguage = kindOfLanguageId(document.languageId);
    if (byLanguage?.kind === 'digest' || byLanguage?.kind === 'note') return byLanguage;
    // A `bibtex` language id makes a bibliography whatever the name; otherwise name and content decide.
    if (byLanguage?.kind === 'library') return { kind: 'library' };
    if (this.externalBibliographies.has(document.uri)) return libraryFormatOf(document.uri, document.getText()) ? { kind: 'library' } : { kind: 'none' };
    const byName = this.scopes.scopeFor(document.uri).classifier.classify(this.scopes.relativePath(document.uri));
    if (byName.kind === 'digest' || byName.kind === 'note') return byName;
    if (byName.kind === 'library') return libraryFormatOf(document.uri, document.getText()) ? byName : { kind: 'none' };
    if (byName.kind === 'sniff' || byLanguage?.kind === 'sniff') return looksLikeDigest(document.head(SNIFF_CHARS)) ? { kind: 'digest' } : { kind: 'none' };
    return { kind: 'none' };
  }

  private digestOptions(uri: string): DigestParseOptions {
    let year = this.captureYears.get(uri);
    if (year === undefined) {
      year = new Date().getFullYear();
      try {
        if (uri.startsWith('file:')) year = captureYearOfFile(statSync(fileURLToPath(uri)).mtimeMs);
      } catch {
        // Not on disk (yet): the current year.
      }
      this.captureYears.set(uri, year);
    }
    return { maxLineLength: this.scopes.scopeFor(uri).settings.maxLineLength, fallbackCaptureYear: year };
  }

  private indexDocument(document: OpenDocument): void {
    const kind = this.kindOf(document);
    if (kind.kind === 'digest') this.index.setDigestText(document.uri, document.getText(), this.digestOptions(document.uri));
    else if (kind.kind === 'note') {
      this.index.setNoteText(document.uri, document.getText(), kind.language);
      this.loadNamedBibliographies(document.uri);
    } else if (kind.kind === 'library') {
      const text = document.getText();
      // A BibTeX file is re-read from what the last reading found: only the entries an edit touched.
      const previous = this.index.file(document.uri);
      this.index.setLibrary(document.uri, parseLibrary(document.uri, text, libraryFormatOf(document.uri, text) ?? 'bibtex', previous?.kind === 'library' ? previous.read : undefined));
    } else this.index.remove(document.uri);
  }

  /**
   * Applies an edit to the index. A single ranged change (`placed`) to a digest re-reads only the
   * lines it touched (the rest keep their parse), which keeps typing in a 10,000-entry digest fast.
   */
  private applyChanges(document: OpenDocument, placed?: PlacedChange): void {
    const summary = this.index.file(document.uri);
    if (summary?.kind === 'library') {
      const pending = this.pendingLibraryReads.get(document.uri);
      // Only the entries the change reaches are read again (a keystroke in a 36 MB .bib), from
      // the reading of the text just before it; while a whole reading waits, it waits too.
      const reread = !pending && placed ? rereadLibrary(document.uri, summary.read, placed) : undefined;
      if (reread) {
        this.index.setLibrary(document.uri, reread);
        return;
      }
      // A large file read whole (CSL-JSON, an @string changed) is read once typing pauses:
      // a second a keystroke would stall every request behind it.
      if (document.textLength > LARGE_LIBRARY_CHARS) {
        if (pending) clearTimeout(pending);
        this.pendingLibraryReads.set(document.uri, setTimeout(() => this.readPendingLibrary(document.uri), LIBRARY_READ_DELAY_MS));
        return;
      }
    }
    if (summary?.kind === 'digest' && placed && this.kindOf(document).kind === 'digest') {
      const { from, oldTo, newTo } = changedLines(document, placed);
      this.index.editDigestLines(document.uri, from, oldTo - from + 1, document.lineTexts(from, newTo), this.digestOptions(document.uri));
      return;
    }
    this.indexDocument(document);
  }

  private cancelPendingLibraryRead(uri: string): void {
    const pending = this.pendingLibraryReads.get(uri);
    if (pending) clearTimeout(pending);
    this.pendingLibraryReads.delete(uri);
  }

  private readPendingLibrary(uri: string): void {
    const pending = this.pendingLibraryReads.get(uri);
    if (pending) clearTimeout(pending);
    this.pendingLibraryReads.delete(uri);
    const document = this.documents.get(uri);
    if (document) this.indexDocument(document);
    this.scheduleDiagnostics(uri);
  }

  /** Numbers an event for a file; returns its number (see {@link fileEvents}). */
  private noteFileEvent(uri: string): number {
    const event = ++this.lastFileEvent;
    this.fileEvents.set(uri, event);
    return event;
  }

  private async reloadFromDisk(uri: string): Promise<void> {
    if (!uri.startsWith('file:')) { this.index.remove(uri); return; }
    if (this.externalBibliographies.has(uri)) { await this.externalBibliographies.read(uri); return; }
    const path = fileURLToPath(uri);
    const folder = this.scopes.folderOf(uri);
    const root = folder ? fileURLToPath(folder.uri) : nodePath.dirname(path);
    const scope = this.scopes.scopeFor(uri);
    // This reload is the newest event for the file; another one coming while the disk is read
    // (a delete, a newer reload, an open) makes what it read out of date: it is then dropped, and
    // an open document keeps the editor's text, which openDocument indexed.
    const event = this.noteFileEvent(uri);
    const result = await loadFile(this.index, this.fs, scope.classifier, root, path, undefined, { maxLineLength: scope.settings.maxLineLength }, undefined,
      () => this.fileEvents.get(uri) === event && !this.documents.has(uri));
    if (result.stale) return;
    if (result.problem) this.reportLoadProblem(result.problem.path, result.problem.message);
    else this.loadProblems.delete(path);
    if (!result.loaded) this.index.remove(uri);
    if (result.loaded === 'note') this.loadNamedBibliographies(uri);
    this.scheduleDiagnostics(uri);
  }

  /**
   * Watches and reads the bibliographies a note names that the walk does not read (outside the
   * workspace, or not matched by `bibliographies.files`).
   */
  private loadNamedBibliographies(noteUri: string): void {
    const note = this.index.file(noteUri);
    if (note?.kind !== 'note') return;
    const exported = this.bibliographyPath();
    const outside = note.bibliographies.filter((uri) => {
      if (!uri.startsWith('file:') || this.documents.has(uri)) return false;
      // The bibliography this product writes is never read back as a source of its own papers.
      if (exported && uri === pathToFileURL(exported).href) return false;
      const folder = this.scopes.folderOf(uri);
      // In Restricted Mode nothing outside the workspace folders is read on a note's word.
      if (!folder) return this.trusted;
      return this.scopes.scopeFor(uri).classifier.classify(this.scopes.relativePath(uri)).kind !== 'library';
    });
    const { added } = this.externalBibliographies.setFor(noteUri, outside);
    for (const uri of added) void this.externalBibliographies.read(uri);
  }

  /** Reads the `bibliographies.external` setting's files, watching them from now on. */
  private async loadExternalBibliographies(): Promise<void> {
    const settings = this.scopes.scopeFor(undefined).settings.bibliographies;
    this.index.bibliographyScope = settings.scope;
    const uris: string[] = [];
    for (const path of this.trusted ? settings.external : []) {
      const uri = externalBibliographyUri(path);
      if (uri) uris.push(uri);
      else this.reportLoadProblem(path, 'is not an absolute path (setting literatureDigest.bibliographies.external); skipped');
    }
    const { dropped } = this.externalBibliographies.setFor('settings', uris);
    for (const uri of dropped) if (!this.documents.has(uri)) this.index.remove(uri);
    await Promise.all(this.externalBibliographies.uris().map((uri) => this.externalBibliographies.read(uri)));
  }

  private externalBibliographyChanged(uri: string, text: string | undefined, error?: string): void {
    if (this.documents.has(uri)) return;
    const path = fileURLToPath(uri);
    const format = text === undefined ? undefined : libraryFormatOf(uri, text);
    if (text === undefined || !format) {
      this.index.remove(uri);
      this.host.publishDiagnostics(uri, []);
      this.reportLoadProblem(path, text === undefined ? `${error ?? 'cannot be read'} (a bibliography named in the settings or a note)` : 'is neither BibTeX nor CSL-JSON; skipped');
    } else {
      this.loadProblems.delete(path);
      this.index.setLibrary(uri, parseLibrary(uri, text, format));
    }
    this.scheduleDiagnostics(uri);
  }

  private reportLoadProblem(path: string, message: string): void {
    if (this.loadProblems.get(path) === message) return;
    this.loadProblems.set(path, message);
    this.host.showMessage('warning', `Literature Digest: ${path}: ${message}`);
  }

  // ---- loading -----------------------------------------------------------------------------

  /** Reads the settings of the window and of every workspace folder, in one request. */
  private async loadSettings(): Promise<void> {
    if (!this.abilities.fetchesSettings) return;
    const folders = this.scopes.folders;
    try {
      const answer = await this.host.fetchSettings([undefined, ...folders.map((folder) => folder.uri)]);
      if (!answer) return;
      const [window, ...perFolder] = answer;
      this.scopes.setSettings(window, new Map(folders.map((folder, i) => [folder.uri, perFolder[i]])));
    } catch {
      this.scopes.setSettings(undefined);
    }
  }

  private async loadAllFolders(): Promise<void> {
    // Open documents are read again with the settings as they are now, before anything is awaited:
    // an edit from then on re-reads its lines with them, and the lines it does not touch must
    // agree (a changed maxLineLength made lines read before it entries and lines after it not).
    for (const document of this.documents.values()) this.indexDocument(document);
    this.indexing = true;
    this.sendStatus();
    const progress = await this.host.beginProgress('Literature Digest', 'Indexing papers…').catch(() => undefined);
    // Digests are parsed on worker threads while this thread builds the index; the workers stop
    // once the workspace is loaded.
    const pool = this.options.workerScript ? new ParseWorkerPool(this.options.workerScript) : undefined;
    const walkBegan = this.lastFileEvent;
    try {
      for (const summary of this.index.allFiles()) if (!this.documents.has(summary.uri)) this.index.remove(summary.uri);
      const report: LoadReport = { digests: 0, notes: 0, libraries: 0, problems: [] };
      const local = this.scopes.localFolders;
      for (const [i, folder] of local.entries()) {
        // Each folder is read with its own settings.
        const scope = this.scopes.scopeFor(folder.uri);
        const part = await loadWorkspace(this.index, this.fs, scope.classifier, [fileURLToPath(folder.uri)], {
          // An open document is never replaced by its disk version, not even for the time of the
          // walk; a file changed or deleted since the walk began is what its own event made it.
          keeps: (uri) => this.documents.has(uri) || (this.fileEvents.get(uri) ?? 0) > walkBegan,
          onProgress: (done, found) => progress?.report(Math.round((100 * (i + done / Math.max(1, found))) / local.length), `${folder.name}: ${done}/${found} files`),
          isCancelled: () => progress?.isCancelled ?? false,
          parseOptions: { maxLineLength: scope.settings.maxLineLength },
          reader: pool ?? IN_THREAD_READER,
        });
        report.digests += part.digests;
        report.notes += part.notes;
        report.libraries! += part.libraries ?? 0;
        report.problems.push(...part.problems);
      }
      for (const summary of this.index.allFiles()) if (summary.kind === 'note') this.loadNamedBibliographies(summary.uri);
      await this.loadExternalBibliographies();
      // Open documents are newer than the disk; settings may have changed what they are. Their
      // diagnostics are those of the editor's text, whatever a walk may have published meanwhile.
      for (const document of this.documents.values()) {
        this.indexDocument(document);
        this.pendingDiagnostics.add(document.uri);
      }
      this.tellLoadProblems(report.problems);
      // Every digest read gets its diagnostics once (broken entries show in the Problems view
      // without opening the file); afterwards only changed files are refreshed.
      for (const summary of this.index.allFiles()) if (summary.kind === 'digest' || summary.kind === 'library') this.pendingDiagnostics.add(summary.uri);
      this.host.log(`Indexed ${this.index.paperCount} papers from ${report.digests} digests, ${report.libraries} bibliographies and ${report.notes} notes.`);
      if (pool?.failure) this.host.log(`Parse workers unavailable (${pool.failure}); digests were parsed on the main thread.`);
      else if (pool && pool.parsedInWorkers > 0) this.host.log(`Parsed ${pool.parsedInWorkers} digests on ${pool.size} worker thread${pool.size === 1 ? '' : 's'}.`);
    } finally {
      void pool?.close();
      progress?.done();
      this.indexing = false;
      this.indexInIdleTime();
      this.scheduleDiagnostics();
    }
  }

  /** One message for the lot, naming the first file, so a broken workspace does not flood the person. */
  private tellLoadProblems(all: LoadProblem[]): void {
    // A folder named like a digest is walked into like any folder: nothing went wrong.
    const problems = all.filter((problem) => problem.code !== 'folder-named-like-file');
    for (const problem of problems) this.host.log(`${problem.path}: ${problem.message}`);
    if (problems.length === 0) return;
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see the Literature Digest output)` : '';
    this.host.showMessage('warning', `Literature Digest: ${first.path}: ${first.message}${more}`);
  }

  /** Indexes abstract words in small slices while nothing else is asked of the server. */
  private indexInIdleTime(): void {
    if (this.idleTimer) return;
    const step = () => {
      this.idleTimer = undefined;
      if (!this.index.indexPendingSearchText(20)) {
        this.idleTimer = setTimeout(step, 1);
        return;
      }
      // Notes diagnosed while abstract words waited got their "did you mean" from part of the
      // text: diagnosed again now, they read as a fresh server reads them.
      if (this.notesDiagnosedEarly.size > 0) {
        for (const uri of this.notesDiagnosedEarly) this.pendingDiagnostics.add(uri);
        this.notesDiagnosedEarly.clear();
        this.scheduleDiagnostics();
      }
      this.sendStatus();
      // Then the vocabulary is sorted for prefixes, once, rather than at the first search.
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        this.index.prepareForSearch();
      }, 1);
    };
    this.idleTimer = setTimeout(step, 1);
  }

  // ---- what goes out -----------------------------------------------------------------------

  /** Notes whose diagnostics were published while abstract words still waited (see indexInIdleTime). */
  private readonly notesDiagnosedEarly = new Set<string>();

  private scheduleDiagnostics(uri?: string): void {
    if (uri) this.pendingDiagnostics.add(uri);
    if (this.diagnosticsTimer) clearTimeout(this.diagnosticsTimer);
    this.diagnosticsTimer = setTimeout(() => this.publishDiagnostics(), DIAGNOSTICS_DELAY_MS);
  }

  private publishDiagnostics(): void {
    this.diagnosticsTimer = undefined;
    const uris = new Set(this.pendingDiagnostics);
    this.pendingDiagnostics.clear();
    // A note's diagnostics depend on which keys exist: when a key appeared or went, refresh them all.
    if (this.index.keysVersion !== this.diagnosedKeysVersion) {
      this.diagnosedKeysVersion = this.index.keysVersion;
      for (const summary of this.index.allFiles()) if (summary.kind === 'note' || summary.kind === 'library') uris.add(summary.uri);
      // A key two papers claim is said in each file that lists one; so is its end.
      const shared = this.index.urisWithSharedKeys();
      for (const uri of [...shared, ...this.sharedKeyUris]) uris.add(uri);
      this.sharedKeyUris = shared;
    }
    for (const uri of uris) this.host.publishDiagnostics(uri, provideDiagnostics(this.index, uri));
    if (this.index.pendingSearchText > 0) for (const uri of uris) if (this.index.file(uri)?.kind === 'note') this.notesDiagnosedEarly.add(uri);
    this.sendStatus();
    this.scheduleExport();
    // Papers added by the change wait for their abstract words.
    if (this.index.pendingSearchText > 0) this.indexInIdleTime();
  }

  /**
   * Publishes the diagnostics that wait for their delay and writes the bibliography that waits
   * for its own, now: for tests, and for a client that asks to be in sync.
   */
  async flush(): Promise<void> {
    for (const uri of [...this.pendingLibraryReads.keys()]) this.readPendingLibrary(uri);
    if (this.diagnosticsTimer) {
      clearTimeout(this.diagnosticsTimer);
      this.publishDiagnostics();
    }
    await this.bibliography.flush(this.bibliographyPath());
  }

  /** The bibliography file to keep current, absolute; undefined when none is set or none may be written. */
  private bibliographyPath(): string | undefined {
    const target = this.scopes.scopeFor(undefined).settings.export.bibliography;
    const first = this.scopes.folders[0];
    if (!this.trusted || !target || !first?.uri.startsWith('file:')) return undefined;
    return nodePath.resolve(fileURLToPath(first.uri), target);
  }

  private scheduleExport(): void {
    const path = this.bibliographyPath();
    if (path) this.bibliography.schedule(path);
  }

  status(): StatusParams {
    const files = this.index.allFiles();
    return { papers: this.index.paperCount, digests: files.filter((f) => f.kind === 'digest').length, notes: files.filter((f) => f.kind === 'note').length, indexing: this.indexing, pendingAbstracts: this.index.pendingSearchText };
  }

  private sendStatus(): void {
    this.host.sendStatus(this.status());
  }

  // ---- features ----------------------------------------------------------------------------

  documentSymbols(uri: string): DocumentSymbol[] {
    const summary = this.index.file(uri);
    if (summary?.kind === 'library') return provideLibrarySymbols(summary);
    return summary?.kind === 'digest' ? provideDocumentSymbols(this.index, summary) : [];
  }

  hover(uri: string, position: Position): Hover | null {
    return provideHover(this.index, uri, position);
  }

  completion(uri: string, position: Position, isCancelled: () => boolean = () => false): CompletionList | null {
    const document = this.documents.get(uri);
    const summary = this.index.file(uri);
    if (!document || summary?.kind !== 'note') return null;
    // No keys offered inside a code block, an HTML comment or a raw block of a Markdown note.
    if (summary.language === 'markdown' && !isMarkdownProseAt(document.getText(), position.line, position.character)) return null;
    const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return provideCompletion(this.index, lineText, position, summary.language, { maxItems: this.scopes.scopeFor(uri).settings.completion.maxItems, isCancelled, note: summary });
  }

  resolveCompletion(item: CompletionItem): CompletionItem {
    return resolveCompletionItem(this.index, item);
  }

  definition(uri: string, position: Position): Location[] {
    return provideDefinition(this.index, uri, position);
  }

  references(uri: string, position: Position, includeDeclaration: boolean): Location[] {
    return provideReferences(this.index, uri, position, includeDeclaration);
  }

  /** The key F2 would rename at a position (a citation, an entry), or why none can be. */
  prepareRename(uri: string, position: Position): { range: Range; placeholder: string } | RenameRefusal | null {
    return providePrepareRename(this.index, uri, position);
  }

  /** The edit that renames the key at a position to `newName` (pins it, rewrites its citations), or why not. */
  rename(uri: string, position: Position, newName: string): WorkspaceEdit | RenameRefusal | null {
    return provideRename(this.index, uri, position, newName);
  }

  workspaceSymbols(query: string): SymbolInformation[] {
    return provideWorkspaceSymbols(this.index, query);
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
    return provideCodeActions(this.index, uri, range, diagnostics);
  }

  codeLenses(uri: string): CodeLens[] {
    const summary = this.index.digest(uri);
    if (summary) return provideCodeLenses(this.index, summary);
    const note = this.index.file(uri);
    const document = this.documents.get(uri);
    return note?.kind === 'note' && note.language === 'markdown' && document ? provideLiteratureNoteLenses(uri, document.getText()) : [];
  }

  foldingRanges(uri: string): FoldingRange[] {
    const summary = this.index.digest(uri);
    return summary ? provideFoldingRanges(summary) : [];
  }

  documentLinks(uri: string): DocumentLink[] {
    const summary = this.index.digest(uri);
    return summary ? provideDocumentLinks(summary) : [];
  }

  semanticTokens(uri: string): SemanticTokens {
    const summary = this.index.digest(uri);
    return summary ? provideSemanticTokens(summary) : { data: [] };
  }

  search(params: SearchParams, isCancelled?: () => boolean): SearchResult {
    return provideSearch(this.index, params, { indexing: this.indexing, isCancelled });
  }

  paperAt(uri: string, position: Position): PaperAtResult | null {
    return providePaperAt(this.index, uri, position);
  }

  citedPapers(): CitedPaper[] {
    return provideCitedPapers(this.index);
  }

  exportBibliography({ format, digest, citedBy }: ExportParams): ExportResult {
    const { papers } = selectPapersForExport(this.index, { digest, citedBy });
    return { text: formatBibliography(papers, format === 'bibtex' ? 'bibtex' : 'csl-json'), papers: papers.length };
  }

  /**
   * `literatureDigest/addPapers`: fetches what the person asked for from Hugging Face Papers and
   * adds it to a digest as one edit they can undo. Never in Restricted Mode.
   */
  async addPapers({ uri, input }: AddPapersParams, isCancelled: () => boolean = () => false): Promise<AddPapersResult> {
    const refuse = (message: string): AddPapersResult => ({ applied: false, added: 0, filled: 0, unchanged: 0, message });
    if (!this.trusted) return refuse('This workspace is in Restricted Mode: nothing is fetched. Trust the workspace to add papers from Hugging Face.');
    const query = parsePaperQuery(input);
    if (!query) return refuse('Type an arXiv id, a Hugging Face or arXiv URL, a date (YYYY-MM-DD) or words to search for.');
    const text = await this.currentText(uri);
    if (text === undefined) return refuse(`${uri} cannot be read.`);
    const papers = await this.fetchWithProgress(query, isCancelled);
    if (typeof papers === 'string') return refuse(papers);
    if (papers.length === 0) return refuse(`Hugging Face Papers found nothing for '${input.trim()}'.`);
    const plan = planAddPapers(text, papers, this.digestOptions(uri));
    const summary = `${plan.added} added, metadata filled in for ${plan.filled}, ${plan.unchanged} already complete`;
    if (plan.textEdits.length === 0) return { applied: false, added: 0, filled: 0, unchanged: plan.unchanged, message: `Nothing to change: ${summary}.` };
    const result = await this.host.applyEdit(`Add papers from Hugging Face (${input.trim()})`, { changes: { [uri]: plan.textEdits } });
    if (!result.applied) return refuse(`The edit was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`);
    return { applied: true, added: plan.added, filled: plan.filled, unchanged: plan.unchanged, message: `Papers from Hugging Face: ${summary}.` };
  }

  /** Look Up on Hugging Face: the entry's paper found by its title, its metadata line added (and the split corrected). */
  async lookUpPaper(uri: string, line: number, isCancelled: () => boolean = () => false): Promise<void> {
    if (!this.trusted) {
      this.host.showMessage('info', 'Literature Digest: this workspace is in Restricted Mode, so nothing is fetched. Trust the workspace to look papers up on Hugging Face.');
      return;
    }
    const summary = this.index.digest(uri);
    const entry = summary && entryAtLine(summary, line);
    if (!summary || !entry) {
      this.host.showMessage('error', `Literature Digest: no entry on line ${line + 1} of ${uri}.`);
      return;
    }
    const papers = await this.fetchWithProgress({ kind: 'search', query: entry.title }, isCancelled);
    if (typeof papers === 'string') { this.host.showMessage('error', `Literature Digest: ${papers}`); return; }
    const lineText = summary.digest.lines[line];
    const paper = matchingPaper(entry, lineText, papers);
    if (!paper) {
      this.host.showMessage('warning', `Literature Digest: Hugging Face Papers has no paper titled '${entry.title}' from ${entry.year}.`);
      return;
    }
    const text = (await this.currentText(uri)) ?? '';
    const { edits, correctsSplit } = lookUpEdits(entry, lineText, paper, /\r\n/.test(text) ? '\r\n' : '\n');
    if (edits.length === 0) {
      this.host.showMessage('info', `Literature Digest: '${paper.title}' already has its metadata.`);
      return;
    }
    const label = correctsSplit ? `Metadata of ${paper.arxiv ?? paper.title} from Hugging Face, and the title ended where Hugging Face ends it` : `Metadata of ${paper.arxiv ?? paper.title} from Hugging Face`;
    const result = await this.host.applyEdit(label, { changes: { [uri]: edits } });
    if (!result.applied) this.host.showMessage('error', `Literature Digest: the edit was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`);
  }

  /** The papers a query finds, with progress and cancellation, or the message saying why there are none. */
  private async fetchWithProgress(query: PaperQuery, isCancelled: () => boolean): Promise<ApiPaper[] | string> {
    const base = this.scopes.scopeFor(undefined).settings.huggingFace.apiUrl;
    const what = query.kind === 'paper' ? query.arxiv : query.kind === 'daily' ? `the papers of ${query.date}` : `'${query.query}'`;
    const progress = await this.host.beginProgress('Hugging Face Papers', `Fetching ${what}…`).catch(() => undefined);
    const controller = new AbortController();
    const watch = setInterval(() => { if (isCancelled() || progress?.isCancelled) controller.abort(); }, 50);
    try {
      return await fetchPapers(base, query, { signal: controller.signal });
    } catch (error) {
      return error instanceof ApiError ? error.message : `could not fetch ${what}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      clearInterval(watch);
      progress?.done();
    }
  }

  /** A digest's text: the editor's when it is open, else the file's. */
  private async currentText(uri: string): Promise<string | undefined> {
    const open = this.documents.get(uri);
    if (open) return open.getText();
    if (!uri.startsWith('file:')) return undefined;
    return fsp.readFile(fileURLToPath(uri), 'utf8').catch(() => undefined);
  }

  /**
   * Open Literature Note: the paper's note, created first from the template when there is none (in
   * an edit the person can undo; never over an existing file). An existing note opens in
   * Restricted Mode too, since that creates nothing.
   */
  async openLiteratureNote(key: string): Promise<CreateNoteResult | undefined> {
    const paper = this.index.paperByKey(key);
    if (!paper) {
      this.host.showMessage('error', `Literature Digest: no paper has the key '${key}'.`);
      return undefined;
    }
    const shownUri = paper.locations[0].uri;
    const folder = this.scopes.folderOf(shownUri) ?? this.scopes.folders[0];
    const base = folder ? fileURLToPath(folder.uri) : nodePath.dirname(fileURLToPath(shownUri));
    const { path, text } = planLiteratureNote(paper, base, this.scopes.scopeFor(shownUri).settings.notes);
    const uri = pathToFileURL(path).href;
    // A note created a moment ago may be open in the editor and not yet saved.
    const exists = this.documents.has(uri) || await fsp.stat(path).then(() => true, () => false);
    if (!exists && !this.trusted) {
      this.host.showMessage('info', 'Literature Digest: this workspace is in Restricted Mode, so no note is created. Trust the workspace to create literature notes.');
      return undefined;
    }
    if (!exists) {
      const result = await this.host.applyEdit(`Create literature note for ${key}`, {
        documentChanges: [
          { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } },
          { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] },
        ],
      });
      if (!result.applied) {
        this.host.showMessage('error', `Literature Digest: could not create ${path}${result.failureReason ? `: ${result.failureReason}` : ''}.`);
        return undefined;
      }
    }
    if (this.abilities.showsDocuments) await this.host.showDocument(uri);
    return { uri, created: !exists };
  }

  /**
   * Refresh Literature Note: the note's generated block written again from its paper's current
   * metadata and the template of the note's folder, as one edit over the block only. When the
   * markers are missing or broken, or the paper is gone, it says so and changes nothing.
   */
  async refreshLiteratureNote(uri: string): Promise<RefreshNoteResult> {
    const name = nodePath.basename(uri.startsWith('file:') ? fileURLToPath(uri) : uri);
    const unchanged = (message: string, key?: string, level: MessageLevel = 'warning'): RefreshNoteResult => {
      this.host.showMessage(level, `Literature Digest: ${message}`);
      return { applied: false, key, message };
    };
    const text = await this.currentText(uri);
    if (text === undefined) return unchanged(`${name} cannot be read; nothing changed.`, undefined, 'error');
    const found = findGeneratedBlock(text);
    if (!found.block) return unchanged(`${name} ${found.problem}; nothing changed.`);
    const { key } = found.block;
    const paper = this.index.paperByKey(key);
    if (!paper) return unchanged(`no paper has the key '${key}' that ${name} is the note of; nothing changed.`, key);
    const refresh = planNoteRefresh(text, found.block, paper, this.scopes.scopeFor(uri).settings.notes.template);
    if (refresh.problem) return unchanged(`${name} ${refresh.problem}; nothing changed.`, key);
    if (!refresh.edit) return unchanged(`${name} is up to date with ${key}.`, key, 'info');
    const version = this.documents.get(uri)?.version ?? null;
    const result = await this.host.applyEdit(`Refresh literature note ${key}`, { documentChanges: [{ textDocument: { uri, version }, edits: [refresh.edit] }] });
    if (!result.applied) return unchanged(`the refresh of ${name} was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`, key, 'error');
    return { applied: true, key, message: `Refreshed the literature note of ${key}.` };
  }
}

/** A ranged change in offsets of the text before it, and the lines its start and end were on then. */
/**
 * The old lines `from` .. `oldTo` that a placed change replaced, and the lines `from` .. `newTo`
 * of the text after it (`document`, updated) that stand for them. Counted from the text after the
 * change, not from the breaks of the inserted text alone: a `\r` before the change and a `\n` at
 * its start become one CRLF break (a lone `\r` typed before a `\n`, or what stood between them
 * deleted), which took the line before into the change; counting the inserted breaks listed an
 * entry twice and put every line below one off (issue 16, #2). At the end no widening is needed:
 * the new end is read from the text model, which counts a CRLF made there as one break.
 */
function changedLines(document: OpenDocument, placed: PlacedChange): { from: number; oldTo: number; newTo: number } {
  return { from: Math.min(placed.startLine, document.lineAt(placed.start)), oldTo: placed.endLine, newTo: document.lineAt(placed.start + placed.text.length) };
}
