/**
 * Walks workspace folders and feeds every digest and note to the index. Files come through a small
 * {@link FileSystem} interface, so the same walk serves the command-line tool and the language
 * server, and tests can give it anything. Whatever goes wrong with one file (unreadable, binary,
 * too large, deleted while the walk runs, a folder named like a digest, a symlink loop) becomes a
 * {@link LoadProblem} naming the file, and the walk goes on.
 */
import { captureYearOfFile } from '../digest/dates';
import { DigestFileResult, DigestReader, IN_THREAD_READER, readDigestBytes } from './digestFileReader';
import { DigestParseOptions, ParsedDigest } from '../digest/digestParser';
import { decodeContent } from './fileContent';
import { FileClassifier } from './fileClassifier';
import { NoteLanguage } from '../notes/noteCitations';
import { PreparedWords } from '../index/vocabulary';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { libraryFormatOf, ParsedLibrary, parseLibrary } from '../library/libraryEntries';
import { BIBTEX_EXTENSIONS, CSL_JSON_EXTENSIONS } from '../shared/fileKinds';

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  mtimeMs: number;
}

export interface DirectoryEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

export interface FileSystem {
  /** Follows symbolic links. */
  stat(path: string): Promise<FileStat>;
  readDirectory(path: string): Promise<DirectoryEntry[]>;
  readFile(path: string): Promise<Uint8Array>;
  /** The path with every symbolic link resolved (used to break symlink loops). */
  realPath(path: string): Promise<string>;
  /** The index's name for a file (a `file:` URI in the language server, the path in the CLI). */
  uriOf(path: string): string;
  join(folder: string, name: string): string;
  relative(root: string, path: string): string;
  /** True when paths name files of the local disk, which a parse worker can then read itself. */
  readonly isLocalDisk?: boolean;
}

/** What kind of problem a file had, for callers that treat kinds differently (see {@link LoadProblem}). */
export type LoadProblemCode =
  /** A file-system call failed: missing, permission denied, a symlink loop, ... */
  | 'unreadable'
  /** Larger than the maxFileSize setting; skipped. */
  | 'too-large'
  /** Binary data, not text; skipped. */
  | 'binary'
  /** Not valid UTF-8: read with replacement characters. */
  | 'invalid-utf8'
  /** A folder named like a digest or note, given to be read as a file; skipped. */
  | 'folder'
  /** A folder named like a digest or note, met while walking: its contents are still searched. */
  | 'folder-named-like-file'
  /** A symbolic link whose target cannot be reached. */
  | 'broken-symlink';

export interface LoadProblem {
  path: string;
  /**
   * Set on every problem the loader makes; optional only while callers that make problems of
   * their own (cli/main.ts) do not set it yet.
   */
  code: LoadProblemCode;
  message: string;
}

export interface LoadOptions {
  /** Called now and then with how many files were read of how many found so far. */
  onProgress?: (done: number, found: number) => void;
  isCancelled?: () => boolean;
  /** Options for reading digests (the longest line read as an entry). */
  parseOptions?: DigestParseOptions;
  /** Parses digests; a {@link ParseWorkerPool} parses several at once on other threads. Default: this thread. */
  reader?: DigestReader;
  /**
   * Files the walk leaves as the index has them (by the index's name): the language server's open
   * documents, whose editor text is newer than the disk. Asked when a file's reading is applied, so
   * that a file opened while the walk runs is kept too (issue 16, #4).
   */
  keeps?: (uri: string) => boolean;
}

export interface LoadReport {
  digests: number;
  notes: number;
  /** Bibliography files (BibTeX, BibLaTeX, CSL-JSON). */
  libraries?: number;
  problems: LoadProblem[];
}

/** A short reason for a failed file-system call, naming no stack. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder (it may have been deleted or renamed)';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, not a file';
    case 'ELOOP': return 'too many levels of symbolic links (a symlink loop)';
    case 'ENAMETOOLONG': return 'the path is too long';
    default: return error instanceof Error ? error.message : String(error);
  }
}

/** What reading a file gave, before it touches the index. */
type PreparedFile =
  | { action: 'none'; problem?: LoadProblem }
  | { action: 'remove'; uri: string; problem?: LoadProblem }
  | { action: 'note'; uri: string; text: string; language: NoteLanguage; problem?: LoadProblem }
  | { action: 'library'; uri: string; library: ParsedLibrary; problem?: LoadProblem }
  | { action: 'digest'; uri: string; digest: ParsedDigest; searchWords?: PreparedWords; problem?: LoadProblem };

/**
 * Reads and parses one file without touching the index, so that the workspace loader can have
 * several files in flight (parsed on worker threads) and still apply them in a fixed order.
 */
async function prepareFile(fs: FileSystem, classifier: FileClassifier, root: string, path: string, forcedKind: 'digest' | 'library' | undefined, parseOptions: DigestParseOptions, reader: DigestReader): Promise<PreparedFile> {
  const kind = forcedKind ? { kind: forcedKind } as const : classifier.classify(fs.relative(root, path));
  if (kind.kind === 'none') return { action: 'none' };
  const folderProblem = (): PreparedFile => (kind.kind === 'sniff' ? { action: 'none' } : { action: 'none', problem: { path, code: 'folder', message: 'is a folder named like a digest or note; skipped' } });
  const tooLarge = (size: number): PreparedFile => ({
    action: 'remove', uri: fs.uriOf(path), problem: { path, code: 'too-large', message: `is ${formatBytes(size)}, over the limit of ${formatBytes(classifier.settings.maxFileSize)} (setting maxFileSize); skipped` },
  });
  if (kind.kind !== 'note' && kind.kind !== 'library' && reader.readPath && fs.isLocalDisk) {
    // A parse worker reads the file itself: this thread makes no file-system call for it.
    const result = await reader.readPath(path, { sniff: kind.kind === 'sniff', options: parseOptions, maxFileSize: classifier.settings.maxFileSize });
    switch (result.status) {
      case 'folder': return folderProblem();
      case 'not-file': return { action: 'none' };
      case 'too-large': return tooLarge(result.size);
      case 'failed': return { action: 'remove', uri: fs.uriOf(path), problem: { path, code: 'unreadable', message: describeError(Object.assign(new Error(result.message), { code: result.code })) } };
      case 'retry': break; // the worker was lost: read the file here, below
      default: return preparedDigest(fs.uriOf(path), path, kind.kind === 'sniff', result);
    }
  }
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory) return folderProblem();
    if (!stat.isFile) return { action: 'none' };
    const uri = fs.uriOf(path);
    if (stat.size > classifier.settings.maxFileSize) return tooLarge(stat.size);
    const bytes = await fs.readFile(path);
    if (kind.kind === 'note') {
      const decoded = decodeContent(bytes);
      if (!decoded.ok) return { action: 'remove', uri, problem: { path, code: decoded.code, message: `${decoded.reason}; skipped` } };
      return { action: 'note', uri, text: decoded.text, language: kind.language, problem: decoded.warning ? { path, code: 'invalid-utf8', message: decoded.warning } : undefined };
    }
    if (kind.kind === 'library') {
      const decoded = decodeContent(bytes);
      if (!decoded.ok) return { action: 'remove', uri, problem: { path, code: decoded.code, message: `${decoded.reason}; skipped` } };
      // A `.json` file is a bibliography only when its content is CSL-JSON (package.json is not).
      const format = libraryFormatOf(path, decoded.text);
      if (!format) return { action: 'remove', uri };
      return { action: 'library', uri, library: parseLibrary(uri, decoded.text, format), problem: decoded.warning ? { path, code: 'invalid-utf8', message: decoded.warning } : undefined };
    }
    const request = { sniff: kind.kind === 'sniff', options: { ...parseOptions, fallbackCaptureYear: captureYearOfFile(stat.mtimeMs) } };
    let result = await reader.read(bytes, request);
    if (result.status === 'retry') result = readDigestBytes(await fs.readFile(path), request);
    return preparedDigest(uri, path, kind.kind === 'sniff', result);
  } catch (error) {
    return { action: 'remove', uri: fs.uriOf(path), problem: { path, code: 'unreadable', message: describeError(error) } };
  }
}

function preparedDigest(uri: string, path: string, sniffed: boolean, result: DigestFileResult): PreparedFile {
  switch (result.status) {
    case 'unreadable':
      return sniffed ? { action: 'remove', uri } : { action: 'remove', uri, problem: { path, code: result.code, message: `${result.reason}; skipped` } };
    case 'not-digest':
      return { action: 'remove', uri };
    default:
      return { action: 'digest', uri, digest: result.digest, searchWords: result.searchWords, problem: result.warning ? { path, code: 'invalid-utf8', message: result.warning } : undefined };
  }
}

function applyPrepared(index: WorkspaceIndex, prepared: PreparedFile): { loaded?: 'digest' | 'note' | 'library'; problem?: LoadProblem } {
  switch (prepared.action) {
    case 'none':
      return { problem: prepared.problem };
    case 'remove':
      index.remove(prepared.uri);
      return { problem: prepared.problem };
    case 'note':
      index.setNoteText(prepared.uri, prepared.text, prepared.language);
      return { loaded: 'note', problem: prepared.problem };
    case 'digest':
      index.setDigest(prepared.uri, prepared.digest, prepared.searchWords);
      return { loaded: 'digest', problem: prepared.problem };
    case 'library':
      index.setLibrary(prepared.uri, prepared.library);
      return { loaded: 'library', problem: prepared.problem };
  }
}

/** Reads one file into the index as the kind it is; returns a problem instead of throwing. */
export async function loadFile(index: WorkspaceIndex, fs: FileSystem, classifier: FileClassifier, root: string, path: string, forcedKind?: 'digest' | 'library', parseOptions: DigestParseOptions = {}, reader: DigestReader = IN_THREAD_READER, stillWanted?: () => boolean): Promise<{ loaded?: 'digest' | 'note' | 'library'; problem?: LoadProblem; stale?: true }> {
  const prepared = await prepareFile(fs, classifier, root, path, forcedKind, parseOptions, reader);
  // The file may have changed again (deleted, renamed, opened) while it was read: then this
  // reading is no longer the truth and must not touch the index (issue 16, #5).
  if (stillWanted && !stillWanted()) return { stale: true };
  return applyPrepared(index, prepared);
}

/** Fewer files than this are parsed on the calling thread even when a worker pool is given. */
export const PARALLEL_MIN_FILES = 8;

/** Indexes every digest and note under the given folders (or the files themselves). */
export async function loadWorkspace(index: WorkspaceIndex, fs: FileSystem, classifier: FileClassifier, roots: string[], options: LoadOptions = {}): Promise<LoadReport> {
  const report: LoadReport = { digests: 0, notes: 0, libraries: 0, problems: [] };
  const files: { root: string; path: string; forced?: 'digest' | 'library' }[] = [];
  const visitedFolders = new Set<string>();

  const walk = async (root: string, folder: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.realPath(folder);
    } catch (error) {
      report.problems.push({ path: folder, code: 'unreadable', message: describeError(error) });
      return;
    }
    // A symlink back up the tree would otherwise be walked forever.
    if (visitedFolders.has(real)) return;
    visitedFolders.add(real);
    let children: DirectoryEntry[];
    try {
      children = await fs.readDirectory(folder);
    } catch (error) {
      report.problems.push({ path: folder, code: 'unreadable', message: describeError(error) });
      return;
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (options.isCancelled?.()) return;
      const path = fs.join(folder, child.name);
      const relative = fs.relative(root, path);
      let isDirectory = child.isDirectory;
      if (child.isSymbolicLink) {
        try {
          isDirectory = (await fs.stat(path)).isDirectory;
        } catch (error) {
          report.problems.push({ path, code: 'broken-symlink', message: `broken symbolic link: ${describeError(error)}` });
          continue;
        }
      }
      if (isDirectory) {
        if (!classifier.excludesFolder(relative)) {
          if (classifier.classify(relative).kind === 'digest' || classifier.classify(relative).kind === 'note') {
            report.problems.push({ path, code: 'folder-named-like-file', message: 'is a folder named like a digest or note; its contents are still searched' });
          }
          await walk(root, path);
        }
        continue;
      }
      if (classifier.classify(relative).kind !== 'none') files.push({ root, path });
    }
  };

  for (const root of roots) {
    try {
      const stat = await fs.stat(root);
      if (stat.isDirectory) await walk(root, root);
      // A file given by name is read as what its name says, else as a digest.
      else files.push({ root, path: root, forced: isLibraryPath(root) ? 'library' : 'digest' });
    } catch (error) {
      report.problems.push({ path: root, code: 'unreadable', message: describeError(error) });
    }
  }

  // Several files are read (and, with a worker pool, parsed) at once, but applied in the order of
  // the walk, so the index comes out the same whatever finishes first.
  // Starting worker threads costs more than it saves on a handful of files.
  const reader = options.reader && files.length >= PARALLEL_MIN_FILES ? options.reader : IN_THREAD_READER;
  const inFlight: Promise<PreparedFile>[] = [];
  let started = 0;
  const startNext = () => {
    const file = files[started++];
    inFlight.push(prepareFile(fs, classifier, file.root, file.path, file.forced, options.parseOptions ?? {}, reader));
  };
  let done = 0;
  for (let i = 0; i < files.length; i++) {
    if (options.isCancelled?.()) break;
    while (started < files.length && started <= i + Math.max(0, reader.parallelism - 1)) startNext();
    const prepared = await inFlight[i];
    delete inFlight[i];
    const result = prepared.action !== 'none' && options.keeps?.(prepared.uri) ? {} : applyPrepared(index, prepared);
    if (result.loaded === 'digest') report.digests++;
    if (result.loaded === 'note') report.notes++;
    if (result.loaded === 'library') report.libraries = (report.libraries ?? 0) + 1;
    if (result.problem) report.problems.push(result.problem);
    done++;
    if (options.onProgress && (done % 50 === 0 || done === files.length)) options.onProgress(done, files.length);
  }
  return report;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** True for a path named like a bibliography (a `.json` one is read as CSL-JSON only when it is). */
function isLibraryPath(path: string): boolean {
  const lower = path.toLowerCase();
  return [...BIBTEX_EXTENSIONS, ...CSL_JSON_EXTENSIONS].some((extension) => lower.endsWith(extension));
}
