/**
 * Which files are digests and which are notes, declared once: the language ids an editor gives
 * them, their extensions, the default globs of the settings, and what the client asks the server
 * to see and the server asks the client to watch. package.json repeats some of these facts (a
 * manifest cannot import); test/unit/fileKinds.test.ts keeps it equal to this file.
 */
import type { DocumentSelector, FileSystemWatcher } from 'vscode-languageserver-protocol';
import type { LiteratureDigestSettings } from './settings';

/** The two languages notes are written in, each with its own citation syntax. */
export type NoteLanguage = 'markdown' | 'latex';

/** The language id this extension contributes for digests. */
export const DIGEST_LANGUAGE_ID = 'paper-digest';

/** The language id of plain-text files, whose content decides whether they are digests. */
export const PLAIN_TEXT_LANGUAGE_ID = 'plaintext';

/**
 * Language ids per kind, as VS Code and other LSP clients name them: Quarto's extension says
 * `quarto`, R Markdown's `rmd`, LaTeX Workshop `latex` for `.tex` and `tex` for `.sty`/`.cls`.
 */
export const LANGUAGE_IDS = {
  digest: [DIGEST_LANGUAGE_ID],
  markdown: ['markdown', 'quarto', 'rmd'],
  latex: ['latex', 'tex'],
  /** LaTeX Workshop and other extensions name `.bib` files `bibtex`; VS Code has no id of its own. */
  library: ['bibtex', 'biblatex'],
} as const satisfies Record<'digest' | NoteLanguage | 'library', readonly string[]>;

/** Extensions of digests by name (`.digest.txt` too, though `.txt` alone only by content). */
export const DIGEST_EXTENSIONS = ['.digest', '.digest.txt'] as const;
/** Extensions of Markdown notes: Markdown, Quarto and R Markdown (both spellings, for case-sensitive globs). */
export const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.qmd', '.rmd', '.Rmd'] as const;
/** Extensions of LaTeX notes. */
export const LATEX_EXTENSIONS = ['.tex'] as const;
/** Extensions of BibTeX and BibLaTeX files. */
export const BIBTEX_EXTENSIONS = ['.bib', '.bibtex', '.biblatex'] as const;
/** Extensions of files that are CSL-JSON bibliographies when their content is a CSL-JSON array. */
export const CSL_JSON_EXTENSIONS = ['.json'] as const;
/** Extensions of files that are digests when their first lines are entries. */
export const SNIFFED_EXTENSIONS = ['.txt'] as const;

/**
 * Markdown extensions VS Code has no language for unless another extension is installed (Quarto,
 * R): the client selects them by name so their citations are served anyway.
 */
const MARKDOWN_EXTENSIONS_WITHOUT_BUILTIN_LANGUAGE = ['.qmd', '.rmd', '.Rmd'] as const;

const globsOf = (extensions: readonly string[]): string[] => extensions.map((extension) => `**/*${extension}`);

/** Default of the `digestFiles` setting. */
export const DEFAULT_DIGEST_GLOBS: readonly string[] = globsOf(DIGEST_EXTENSIONS);
/** Default of the `markdownNotes` setting. */
export const DEFAULT_MARKDOWN_GLOBS: readonly string[] = globsOf(MARKDOWN_EXTENSIONS);
/** Default of the `latexNotes` setting. */
export const DEFAULT_LATEX_GLOBS: readonly string[] = globsOf(LATEX_EXTENSIONS);
/** Default of the `bibliographies.files` setting. */
export const DEFAULT_BIBLIOGRAPHY_GLOBS: readonly string[] = globsOf([...BIBTEX_EXTENSIONS, ...CSL_JSON_EXTENSIONS]);
/** Files read by content when `detectTextDigests` is on. */
export const SNIFFED_GLOBS: readonly string[] = globsOf(SNIFFED_EXTENSIONS);
/** Default of the `exclude` setting: version control, dependencies, build output and caches. */
export const DEFAULT_EXCLUDE_GLOBS: readonly string[] = [
  '**/node_modules/**', '**/.git/**', '**/.hg/**', '**/.svn/**', '**/dist/**', '**/out/**', '**/.cache/**', '**/.vscode-test/**',
];

/**
 * What a file is: a digest, a note, a bibliography (a `.json` one only when its content is
 * CSL-JSON), a text file whose content decides, or none of these.
 */
export type FileKind = { kind: 'digest' } | { kind: 'note'; language: NoteLanguage } | { kind: 'library' } | { kind: 'sniff' } | { kind: 'none' };

/**
 * What an open document is by its language id alone: a digest, a note, `sniff` for plain text
 * (its name may still make it a digest or a note, else its content decides), or undefined when
 * the language id says nothing and its name must decide.
 */
export function kindOfLanguageId(languageId: string): Exclude<FileKind, { kind: 'none' }> | undefined {
  if ((LANGUAGE_IDS.digest as readonly string[]).includes(languageId)) return { kind: 'digest' };
  if ((LANGUAGE_IDS.markdown as readonly string[]).includes(languageId)) return { kind: 'note', language: 'markdown' };
  if ((LANGUAGE_IDS.latex as readonly string[]).includes(languageId)) return { kind: 'note', language: 'latex' };
  if ((LANGUAGE_IDS.library as readonly string[]).includes(languageId)) return { kind: 'library' };
  if (languageId === PLAIN_TEXT_LANGUAGE_ID) return { kind: 'sniff' };
  return undefined;
}

/**
 * True when `path` ends like a digest, a note or a text file (any case): the files an export must
 * never overwrite.
 */
export function hasDigestOrNoteExtension(path: string): boolean {
  const lower = path.toLowerCase();
  return [...DIGEST_EXTENSIONS, ...MARKDOWN_EXTENSIONS, ...LATEX_EXTENSIONS, ...SNIFFED_EXTENSIONS].some((extension) => lower.endsWith(extension.toLowerCase()));
}

/**
 * The documents an editor client sends the server: every language id above, plain text named
 * `.txt`, and Quarto and R Markdown files by name, which VS Code opens as plain text (or as
 * nothing it knows) when no Quarto or R extension is installed. A `pattern` without a language
 * matches whatever language the editor gave the file.
 */
export function editorDocumentSelector(): DocumentSelector {
  return [
    ...[...LANGUAGE_IDS.digest, ...LANGUAGE_IDS.markdown, ...LANGUAGE_IDS.latex, ...LANGUAGE_IDS.library].map((language) => ({ language })),
    ...SNIFFED_GLOBS.map((pattern) => ({ language: PLAIN_TEXT_LANGUAGE_ID, pattern })),
    // Bibliographies whatever language another extension gives them; JSON only matters when it is CSL-JSON (the server reads the content).
    ...globsOf([...BIBTEX_EXTENSIONS, ...CSL_JSON_EXTENSIONS]).map((pattern) => ({ pattern })),
    ...globsOf(MARKDOWN_EXTENSIONS_WITHOUT_BUILTIN_LANGUAGE).map((pattern) => ({ pattern })),
  ];
}

/** The settings of one workspace folder, or the window's (no `folderUri`). */
export interface FileKindScope {
  folderUri?: string;
  settings: Pick<LiteratureDigestSettings, 'digestFiles' | 'markdownNotes' | 'latexNotes' | 'detectTextDigests' | 'bibliographies'>;
}

/**
 * The file watchers the server registers with the client: every glob of digests and notes of
 * every scope (so custom `digestFiles` are watched too), and `.txt` where text digests are
 * detected. Settings globs are relative to a workspace folder: one that starts with `**` matches
 * anywhere as it is; any other becomes a pattern relative to its folder when the client supports
 * relative patterns (`workspace.didChangeWatchedFiles.relativePatternSupport`), and is otherwise
 * widened to match in any folder (watching too much costs little: every change is classified
 * again). Exclusions are not expressed here; the server applies them to each change.
 */
export function fileWatchers(scopes: readonly FileKindScope[], relativePatternSupport: boolean): FileSystemWatcher[] {
  const watchers = new Map<string, FileSystemWatcher>();
  for (const { folderUri, settings } of scopes) {
    const globs = [...settings.digestFiles, ...settings.markdownNotes, ...settings.latexNotes, ...settings.bibliographies.files, ...(settings.detectTextDigests ? SNIFFED_GLOBS : [])];
    for (const glob of globs) {
      let watcher: FileSystemWatcher;
      if (glob.startsWith('**')) watcher = { globPattern: glob };
      else if (relativePatternSupport && folderUri !== undefined) watcher = { globPattern: { baseUri: folderUri, pattern: glob } };
      else watcher = { globPattern: `**/${glob.replace(/^\.?\//, '')}` };
      watchers.set(JSON.stringify(watcher.globPattern), watcher);
    }
  }
  return [...watchers.values()];
}
