/** The extension's commands: a table of small factories, each given the context. */
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { hasEntryShape } from '../../server/src/digest/entryLine';
import { CitationInsertionOptions, CitationNotes, parseCitationNotes, planCitationInsertions } from '../../server/src/notes/citationInsertion';
import { DIGEST_LANGUAGE_ID, hasDigestOrNoteExtension, kindOfLanguageId, LATEX_EXTENSIONS, NoteLanguage } from '../../server/src/shared/fileKinds';
import { CreateNoteResult, createNoteParams, ExportParams, NOTE_BLOCK_BEGIN_TAG, RefreshNoteResult, refreshNoteParams, SHOW_REFERENCES_COMMAND, ShowReferencesArguments } from '../../server/src/shared/protocol';
import { addPapersRequest, exportRequest } from '../../server/src/shared/requests';
import { Ctx } from './context';

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

/** The citation syntax of a document: LaTeX's by its language id or its name, else Pandoc's. */
function noteLanguageOf(document: vscode.TextDocument): NoteLanguage {
  const kind = kindOfLanguageId(document.languageId);
  if (kind?.kind === 'note') return kind.language;
  return LATEX_EXTENSIONS.some((extension) => document.uri.path.endsWith(extension)) ? 'latex' : 'markdown';
}

/**
 * Inserts a citation of `keys` at every selection of `editor`, as one undoable edit: into the
 * Pandoc group or LaTeX key list a cursor is in, else as a new group (notes/citationInsertion.ts
 * decides where); each cursor ends after what it inserted.
 */
export async function insertCitation(editor: vscode.TextEditor, keys: string[], options: CitationInsertionOptions = {}): Promise<boolean> {
  if (keys.length === 0) return false;
  const document = editor.document;
  const selections = editor.selections.map((selection) => ({ start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) }));
  const plan = planCitationInsertions(document.getText(), noteLanguageOf(document), selections, keys, options);
  const changes = plan.edits.filter((edit) => edit.newText !== '' || edit.start !== edit.end);
  if (changes.length > 0) {
    const ranges = changes.map((edit) => new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)));
    const applied = await editor.edit((builder) => changes.forEach((edit, index) => builder.replace(ranges[index], edit.newText)));
    if (!applied) return false;
    editor.selections = plan.cursors.map((offset) => new vscode.Selection(document.positionAt(offset), document.positionAt(offset)));
  } else {
    vscode.window.setStatusBarMessage(`Already cited here: ${keys.join(', ')}`, 4000);
  }
  if (plan.edits.some((edit) => edit.notesDropped)) {
    void vscode.window.showInformationMessage('Literature Digest: the keys joined the key list at the cursor without the locator or prefix; in LaTeX those belong to the whole citation command.');
  }
  return true;
}

/** The notes Insert Citation asks for when `citation.askLocator` is on: {} for none, undefined when the person pressed Escape. */
async function askCitationNotes(ctx: Ctx, document: vscode.TextDocument): Promise<CitationNotes | undefined> {
  if (!ctx.config.citation(document.uri).askLocator) return {};
  const input = await vscode.window.showInputBox({
    title: 'Insert Citation: locator or prefix',
    prompt: 'A locator (p. 3, chap. 2, 12–15), a prefix (see), or both (see, p. 3); empty for none',
    placeHolder: 'p. 3 · see · see, p. 3',
  });
  return input === undefined ? undefined : parseCitationNotes(input);
}

/**
 * Insert Citation once the papers are chosen: the notes (given, or asked for when the setting
 * says so), then the edit, with the LaTeX command of the note's settings.
 */
export async function citePapers(ctx: Ctx, editor: vscode.TextEditor, keys: string[], notes?: CitationNotes): Promise<boolean> {
  if (keys.length === 0) return false;
  const chosen = notes ?? await askCitationNotes(ctx, editor.document);
  if (!chosen) return false;
  return insertCitation(editor, keys, { ...chosen, latexCommand: ctx.config.citation(editor.document.uri).latexCommand });
}

/** Notes passed to the command as its second argument (scripts, tests), if they have that shape. */
function notesArgument(value: unknown): CitationNotes | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { prefix, locator } = value as Record<string, unknown>;
  return { prefix: typeof prefix === 'string' ? prefix : undefined, locator: typeof locator === 'string' ? locator : undefined };
}

interface PaperPick extends vscode.QuickPickItem {
  key: string;
}

/** A quick pick over every paper, fuzzy (the server ranks), several at once. */
async function pickPapers(ctx: Ctx): Promise<string[] | undefined> {
  const pick = vscode.window.createQuickPick<PaperPick>();
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.placeholder = 'Search papers by title, key or abstract words; Space to select several, Enter to insert';
  const chosen = new Map<string, PaperPick>();
  let generation = 0;
  const refresh = async (query: string) => {
    const mine = ++generation;
    pick.busy = true;
    const result = await ctx.search({ query, limit: 100 });
    if (mine !== generation) return;
    const items = result.items.map((item): PaperPick => chosen.get(item.key) ?? {
      key: item.key,
      label: item.title,
      description: `${item.key} · ${item.date}${item.upvotes === null ? '' : ` · ${item.upvotes}↑`}`,
      detail: item.abstractStart,
      // The server has matched fuzzily already; keep its results whatever the quick pick's own filter thinks.
      alwaysShow: true,
    });
    pick.items = items;
    pick.selectedItems = items.filter((item) => chosen.has(item.key));
    pick.busy = false;
  };
  let timer: NodeJS.Timeout | undefined;
  pick.onDidChangeValue((value) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(value), 80);
  });
  pick.onDidChangeSelection((items) => {
    for (const item of pick.items) if (!items.includes(item)) chosen.delete(item.key);
    for (const item of items) chosen.set(item.key, item);
  });
  void refresh('');
  pick.show();
  const accepted = await new Promise<boolean>((resolve) => {
    pick.onDidAccept(() => resolve(true));
    pick.onDidHide(() => resolve(false));
  });
  pick.dispose();
  if (!accepted) return undefined;
  if (chosen.size === 0 && pick.activeItems[0]) chosen.set(pick.activeItems[0].key, pick.activeItems[0]);
  return [...chosen.keys()];
}

/** Moves the cursor to the next (`direction` 1) or previous (-1) entry line of a digest. */
function goToEntry(direction: 1 | -1) {
  return (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const document = editor.document;
    for (let line = editor.selection.active.line + direction; line >= 0 && line < document.lineCount; line += direction) {
      if (!hasEntryShape(document.lineAt(line).text)) continue;
      const position = new vscode.Position(line, 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return;
    }
  };
}

async function keyAtCursor(ctx: Ctx): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const paper = await ctx.paperAt(editor.document, editor.selection.active);
  if (!paper) void vscode.window.showInformationMessage('Literature Digest: put the cursor on an entry of a digest or on a citation.');
  return paper?.key;
}

/** Asks format and scope, then writes the bibliography where the person chooses (never over an input). */
async function exportBibliography(ctx: Ctx, preset?: ExportParams & { target?: string }): Promise<string | undefined> {
  let params: ExportParams;
  if (preset) {
    params = preset;
  } else {
    const format = await vscode.window.showQuickPick([
      { label: 'CSL-JSON', description: 'references.json: pandoc --citeproc, Quarto, Zotero', format: 'csl-json' as const },
      { label: 'BibTeX', description: 'references.bib: LaTeX, biber, pandoc', format: 'bibtex' as const },
    ], { title: 'Export Bibliography: format' });
    if (!format) return undefined;
    const editor = vscode.window.activeTextEditor;
    const uri = editor && ctx.client.code2ProtocolConverter.asUri(editor.document.uri);
    const scopes: (vscode.QuickPickItem & { scope: Partial<ExportParams> })[] = [{ label: 'Every paper in the workspace', scope: {} }];
    if (editor) {
      const kind = kindOfLanguageId(editor.document.languageId)?.kind;
      const name = vscode.workspace.asRelativePath(editor.document.uri);
      if (kind === 'digest') scopes.push({ label: `The papers of ${name}`, scope: { digest: uri } });
      if (kind === 'note') scopes.push({ label: `The papers ${name} cites`, scope: { citedBy: uri } });
    }
    const scope = scopes.length === 1 ? scopes[0] : await vscode.window.showQuickPick(scopes, { title: 'Export Bibliography: which papers' });
    if (!scope) return undefined;
    params = { format: format.format, ...scope.scope };
  }
  const result = await ctx.client.sendRequest(exportRequest, params);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  let target = preset?.target ? vscode.Uri.file(preset.target) : undefined;
  if (!target) {
    const suggested = folder ? vscode.Uri.joinPath(folder, params.format === 'bibtex' ? 'references.bib' : 'references.json') : undefined;
    target = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: params.format === 'bibtex' ? { BibTeX: ['bib'] } : { 'CSL-JSON': ['json'] } });
  }
  if (!target) return undefined;
  if (hasDigestOrNoteExtension(target.path)) {
    void vscode.window.showErrorMessage('Literature Digest: a bibliography must not overwrite a digest or a note; choose a .bib or .json file.');
    return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  vscode.window.setStatusBarMessage(`Exported ${result.papers} papers to ${vscode.workspace.asRelativePath(target)}`, 5000);
  return target.toString();
}

/**
 * Open Literature Note: the server opens the paper's note, creating it first (never over a file,
 * through an edit the person can undo) when there is none; the editor shows the one it names.
 */
async function openLiteratureNote(ctx: Ctx, key?: string): Promise<CreateNoteResult | null | undefined> {
  const chosen = typeof key === 'string' ? key : await keyAtCursor(ctx);
  if (!chosen) return undefined;
  const result = await ctx.client.sendRequest(ExecuteCommandRequest.type, createNoteParams(chosen)) as CreateNoteResult | null;
  if (result) await vscode.window.showTextDocument(ctx.client.protocol2CodeConverter.asUri(result.uri));
  return result;
}

/** Refresh Literature Note on `uri` (the active editor's note when none is given); the server explains what it did not do. */
async function refreshLiteratureNote(ctx: Ctx, uri?: string): Promise<RefreshNoteResult | null | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  const target = typeof uri === 'string' ? uri : document && ctx.client.code2ProtocolConverter.asUri(document.uri);
  if (!target) {
    void vscode.window.showInformationMessage('Literature Digest: open a literature note to refresh.');
    return undefined;
  }
  const result = await ctx.client.sendRequest(ExecuteCommandRequest.type, refreshNoteParams(target)) as RefreshNoteResult | null;
  if (result?.applied) vscode.window.setStatusBarMessage(result.message, 5000);
  return result;
}

/** Keeps `literatureDigest.inLiteratureNote` (the palette's when-clause for Refresh) true while the active editor holds a generated block. */
function trackLiteratureNotes(ctx: Ctx): void {
  let shown: boolean | undefined;
  const update = () => {
    const inNote = vscode.window.activeTextEditor?.document.getText().includes(NOTE_BLOCK_BEGIN_TAG) ?? false;
    if (inNote !== shown) void vscode.commands.executeCommand('setContext', 'literatureDigest.inLiteratureNote', (shown = inNote));
  };
  update();
  ctx.push(vscode.window.onDidChangeActiveTextEditor(update));
  ctx.push(vscode.workspace.onDidChangeTextDocument(({ document }) => { if (document === vscode.window.activeTextEditor?.document) update(); }));
}

export const COMMANDS: Record<string, CommandFactory> = {
  'literatureDigest.exportBibliography': (ctx) => (preset?: ExportParams & { target?: string }) => exportBibliography(ctx, preset),
  'literatureDigest.insertCitation': (ctx) => async (keys?: string[], notes?: unknown) => {
    const editor = vscode.window.activeTextEditor ?? ctx.lastTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Literature Digest: open a note to insert a citation into.');
      return false;
    }
    const picked = Array.isArray(keys) ? keys : await pickPapers(ctx);
    return picked ? citePapers(ctx, editor, picked, notesArgument(notes)) : false;
  },
  'literatureDigest.nextEntry': () => goToEntry(1),
  'literatureDigest.previousEntry': () => goToEntry(-1),
  'literatureDigest.focusSearch': () => () => vscode.commands.executeCommand('literatureDigest.search.focus'),
  'literatureDigest.copyCitationKey': (ctx) => async (key?: string) => {
    const chosen = typeof key === 'string' ? key : await keyAtCursor(ctx);
    if (!chosen) return undefined;
    await vscode.env.clipboard.writeText(chosen);
    vscode.window.setStatusBarMessage(`Copied citation key ${chosen}`, 3000);
    return chosen;
  },
  'literatureDigest.openNote': (ctx) => (key?: string) => openLiteratureNote(ctx, key),
  // The command's id before it opened existing notes, kept for keybindings and scripts that use it.
  'literatureDigest.createNote': (ctx) => (key?: string) => openLiteratureNote(ctx, key),
  'literatureDigest.refreshNote': (ctx) => (uri?: string) => refreshLiteratureNote(ctx, uri),
  'literatureDigest.addPapers': (ctx) => async (input?: string) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || kindOfLanguageId(editor.document.languageId)?.kind !== 'digest') {
      void vscode.window.showInformationMessage('Literature Digest: open the digest to add papers to first.');
      return undefined;
    }
    const asked = typeof input === 'string' ? input : await vscode.window.showInputBox({
      title: 'Add Papers from Hugging Face',
      prompt: 'An arXiv id or URL, a huggingface.co/papers URL, a date (YYYY-MM-DD: that day\'s papers), or words to search for',
      placeHolder: '2311.10702 · https://huggingface.co/papers/2311.10702 · 2025-03-05 · tulu',
      ignoreFocusOut: true,
    });
    if (!asked?.trim()) return undefined;
    const uri = ctx.client.code2ProtocolConverter.asUri(editor.document.uri);
    // The server fetches (with progress, cancellable there) and applies one edit the person can undo.
    const result = await ctx.client.sendRequest(addPapersRequest, { uri, input: asked });
    if (result.applied) vscode.window.setStatusBarMessage(result.message, 5000);
    else void vscode.window.showInformationMessage(`Literature Digest: ${result.message}`);
    return result;
  },
  'literatureDigest.reindex': (ctx) => () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Literature Digest: reindexing' },
    () => ctx.reindex(),
  ),
  'literatureDigest.treatAsDigest': () => async () => {
    const editor = vscode.window.activeTextEditor;
    if (editor) await vscode.languages.setTextDocumentLanguage(editor.document, DIGEST_LANGUAGE_ID);
  },
  [SHOW_REFERENCES_COMMAND]: (ctx) => async (...[uri, position, locations]: ShowReferencesArguments) => {
    const converter = ctx.client.protocol2CodeConverter;
    await vscode.commands.executeCommand('editor.action.showReferences', converter.asUri(uri), converter.asPosition(position), locations.map((location) => converter.asLocation(location)));
  },
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(COMMANDS)) ctx.push(vscode.commands.registerCommand(name, factory(ctx)));
  trackLiteratureNotes(ctx);
}
