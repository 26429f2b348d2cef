/** What every `litdigest` command shares: the output, the papers read, and how inputs are read. */
import * as nodePath from 'node:path';
import { DigestEntry } from '../digest/digestParser';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { DEFAULT_FILE_KIND_SETTINGS, FileClassifier } from '../loading/fileClassifier';
import { decodeContent } from '../loading/fileContent';
import { createNodeFileSystem } from '../loading/nodeFileSystem';
import { ParseWorkerPool } from '../loading/parseWorkerPool';
import { describeError, FileSystem, LoadProblem, loadWorkspace } from '../loading/workspaceLoader';

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** What a `litdigest` run reads: the index, the file system, and whether some input could not be read. */
export class CliWorkspace {
  readonly index = new WorkspaceIndex();
  readonly classifier = new FileClassifier(DEFAULT_FILE_KIND_SETTINGS);
  readonly fs: FileSystem = createNodeFileSystem((path) => path);
  failed = false;

  constructor(private readonly output: Output) {}

  report(problem: LoadProblem): void {
    // Invalid UTF-8 is read, its bad bytes shown as U+FFFD: a warning, not a failure.
    if (problem.code === 'invalid-utf8') {
      this.output.err(`litdigest: warning: ${problem.path}: ${problem.message}`);
      return;
    }
    this.output.err(`litdigest: ${problem.path}: ${problem.message}`);
    this.failed = true;
  }

  /** Loads files or folders; a folder contributes every digest and note under it. */
  async load(paths: string[]): Promise<void> {
    // Digests are parsed on worker threads (dist/parseWorker.js, next to this bundle) when there are many.
    const pool = new ParseWorkerPool(nodePath.join(__dirname, 'parseWorker.js'));
    const report = await loadWorkspace(this.index, this.fs, this.classifier, paths.map(displayPath), { reader: pool }).finally(() => pool.close());
    for (const problem of report.problems) if (problem.code !== 'folder-named-like-file') this.report(problem);
  }

  /**
   * Reads the bibliographies a note names (YAML `bibliography:`, `\addbibresource`) that are not
   * read yet, as pandoc or biber would for that note.
   */
  async loadNamedBibliographies(notePath: string): Promise<void> {
    const note = this.index.file(notePath);
    if (note?.kind !== 'note') return;
    const toRead: string[] = [];
    for (const path of note.bibliographies) {
      if (this.index.file(path)) continue;
      // A bibliography not written yet (the one `export --out` makes, say) is worth a word, not a failure.
      const exists = await this.fs.stat(path).then((stat) => stat.isFile, () => false);
      if (exists) toRead.push(path);
      else this.output.err(`litdigest: ${notePath} names the bibliography ${path}, which does not exist (yet)`);
    }
    if (toRead.length > 0) await this.load(toRead);
  }

  /** Prints line problems (broken entries, impossible dates, over-long lines) of the digests read. */
  reportLineProblems(): void {
    for (const summary of this.index.allFiles()) {
      if (summary.kind !== 'digest') continue;
      for (const problem of summary.digest.problems) {
        if (problem.severity !== 'warning' && problem.severity !== 'error') continue;
        this.output.err(`${summary.uri}:${problem.line + 1}:${problem.span.start + 1}: ${problem.severity}: ${problem.message}`);
      }
    }
  }
}

/** A count with its noun, singular for one: "1 upvote", "11 authors". */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Paths as the person wrote them, normalised (no trailing slash), for messages and output. */
export function displayPath(path: string): string {
  const normalised = nodePath.normalize(path);
  return normalised.length > 1 ? normalised.replace(/[\\/]+$/, '') : normalised;
}

/**
 * A 0-based line of the index as the tool prints it: from 1, in text and in JSON alike, as
 * compilers and grep count (`file:line:col`), so a `line` read from `--json` opens the same line.
 */
export function lineNumber(line: number): number {
  return line + 1;
}

export { upvotesText } from '../digest/entryLine';

/** An entry as `parse --json`, `search --json` print it. */
export function entryJson(index: WorkspaceIndex, file: string, entry: DigestEntry) {
  return {
    file,
    line: lineNumber(entry.line),
    key: index.keyOf(entry),
    title: entry.title,
    abstract: entry.abstract,
    upvotes: entry.upvotes,
    authors: entry.authors,
    date: entry.date,
    yearInferred: entry.yearInferred,
    comments: entry.comments,
    split: entry.split.source,
    confidence: entry.split.confidence,
  };
}

/** Reads a file as a note of `language`, whatever its name; a problem instead of throwing. */
export async function loadFileAsNote(workspace: CliWorkspace, path: string, language: 'markdown' | 'latex'): Promise<{ problem?: LoadProblem }> {
  const { fs, index } = workspace;
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory) return { problem: { path, code: 'folder', message: 'is a folder; check takes note files' } };
    const decoded = decodeContent(await fs.readFile(path));
    if (!decoded.ok) return { problem: { path, code: decoded.code, message: `${decoded.reason}; skipped` } };
    index.setNoteText(path, decoded.text, language);
    return decoded.warning ? { problem: { path, code: 'invalid-utf8', message: decoded.warning } } : {};
  } catch (error) {
    return { problem: { path, code: 'unreadable', message: describeError(error) } };
  }
}

