/**
 * Which files are digests and which are notes. Names decide first (configurable globs); a `.txt`
 * file is a digest when its first non-blank lines are mostly entries, because people paste
 * listings into plain text files.
 */
import picomatch from 'picomatch';
import { FileKind, SNIFFED_GLOBS } from '../shared/fileKinds';
import { DEFAULT_SETTINGS, LiteratureDigestSettings } from '../shared/settings';

export type { FileKind } from '../shared/fileKinds';
export { looksLikeDigest, SNIFF_CHARS } from '../digest/digestSniffing';

export interface FileKindSettings {
  /** Globs (matched against the path relative to a workspace root) of digest files. */
  digestGlobs: string[];
  /** Globs of Markdown notes. */
  markdownGlobs: string[];
  /** Globs of LaTeX notes. */
  latexGlobs: string[];
  /** Globs of files whose content decides (`.txt`). */
  sniffGlobs: string[];
  /** Globs of bibliographies (`.json` ones are read by content). */
  libraryGlobs: string[];
  /** Folders never entered. */
  excludeGlobs: string[];
  /**
   * Files never read though their names match (relative paths): the bibliography this product
   * writes itself, which must not come back as a second source of its own papers.
   */
  ignoredFiles: string[];
  /** Files larger than this (bytes) are skipped with a message. */
  maxFileSize: number;
}

/** What the settings of the extension say about which files to read and how. */
export function fileKindSettingsOf(settings: LiteratureDigestSettings): FileKindSettings {
  return {
    digestGlobs: settings.digestFiles,
    markdownGlobs: settings.markdownNotes,
    latexGlobs: settings.latexNotes,
    sniffGlobs: settings.detectTextDigests ? [...SNIFFED_GLOBS] : [],
    libraryGlobs: settings.bibliographies.files,
    excludeGlobs: settings.exclude,
    ignoredFiles: settings.export.bibliography ? [normaliseRelative(settings.export.bibliography)] : [],
    maxFileSize: settings.maxFileSizeMB * 1024 * 1024,
  };
}

/** The classification the default settings give (the CLI's, and any workspace that sets none). */
export const DEFAULT_FILE_KIND_SETTINGS: FileKindSettings = fileKindSettingsOf(DEFAULT_SETTINGS);

export class FileClassifier {
  private readonly isDigest: (path: string) => boolean;
  private readonly isMarkdown: (path: string) => boolean;
  private readonly isLatex: (path: string) => boolean;
  private readonly isSniffed: (path: string) => boolean;
  private readonly isLibrary: (path: string) => boolean;
  private readonly isExcluded: (path: string) => boolean;

  constructor(readonly settings: FileKindSettings = DEFAULT_FILE_KIND_SETTINGS) {
    const options = { dot: true, nocase: true };
    this.isDigest = picomatch(settings.digestGlobs, options);
    this.isMarkdown = picomatch(settings.markdownGlobs, options);
    this.isLatex = picomatch(settings.latexGlobs, options);
    this.isSniffed = picomatch(settings.sniffGlobs, options);
    this.isLibrary = picomatch(settings.libraryGlobs, options);
    this.isExcluded = picomatch(settings.excludeGlobs, options);
  }

  /** Kind of a file by its path relative to a workspace root (forward slashes). */
  classify(relativePath: string): FileKind {
    if (this.isExcluded(relativePath) || this.settings.ignoredFiles.includes(normaliseRelative(relativePath))) return { kind: 'none' };
    if (this.isDigest(relativePath)) return { kind: 'digest' };
    if (this.isMarkdown(relativePath)) return { kind: 'note', language: 'markdown' };
    if (this.isLatex(relativePath)) return { kind: 'note', language: 'latex' };
    if (this.isLibrary(relativePath)) return { kind: 'library' };
    if (this.isSniffed(relativePath)) return { kind: 'sniff' };
    return { kind: 'none' };
  }

  /** True for a folder the walk must not enter. */
  excludesFolder(relativePath: string): boolean {
    return this.isExcluded(relativePath) || this.isExcluded(`${relativePath}/x`);
  }
}

/** A relative path compared as written by a person: `./refs.bib` and `refs.bib` are one file. */
function normaliseRelative(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
