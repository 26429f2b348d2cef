/**
 * `litdigest`: the digest core on the command line. Parses, searches and checks digests and notes
 * outside the editor. A file that cannot be read gets one line on stderr naming it, the other files
 * are still processed, and the exit code tells what happened:
 * 0 all good, 1 `check` found unknown citations, 2 some input could not be read or the usage is wrong.
 */
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { formatBibliography } from '../bibliography/bibliography';
import { selectPapersForExport } from '../bibliography/exportSelection';
import { DigestEntry } from '../digest/digestParser';
import { DEFAULT_FILE_KIND_SETTINGS, FileClassifier } from '../loading/fileClassifier';
import { createNodeFileSystem } from '../loading/nodeFileSystem';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { decodeContent } from '../loading/fileContent';
import { ParseWorkerPool } from '../loading/parseWorkerPool';
import { describeError, FileSystem, loadFile, loadWorkspace, LoadProblem } from '../loading/workspaceLoader';

const USAGE = `Usage: litdigest <command> [options]

Commands:
  parse FILE... [--json]                       the entries of digest files
  search QUERY [PATH...] [--limit N] [--json]  ranked fuzzy search (PATH: files or folders; default .)
  check NOTE... [--digests PATH...]            citations that name no known key (exit 1 if any)
  keys [PATH...] [--json]                      key, title and locations of every paper (default .)
  export --format bibtex|csl-json [--cited-by NOTE] [--out FILE] [PATH...]
                                               the papers (or those NOTE cites) as a bibliography

Options:
  --json       machine-readable output
  --limit N    at most N search results (default 20)
  --format F   export format: bibtex or csl-json
  --cited-by NOTE  export only the papers a note cites
  --out FILE   write the export to FILE (never one of the inputs) instead of stdout
  -h, --help   this help
  --version    the version

Exit codes: 0 ok, 1 unknown citations found by check, 2 unreadable input or bad usage.`;

class UsageError extends Error {}

interface ParsedArguments {
  command: string;
  positional: string[];
  json: boolean;
  limit: number;
  digests: string[];
  format?: string;
  citedBy?: string;
  out?: string;
}

function parseArguments(argv: string[]): ParsedArguments {
  const result: ParsedArguments = { command: '', positional: [], json: false, limit: 20, digests: [] };
  let collectingDigests = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') { result.json = true; continue; }
    if (arg === '--limit') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new UsageError(`--limit needs a positive whole number, not '${argv[i] ?? ''}'`);
      result.limit = value;
      continue;
    }
    if (arg === '--digests') { collectingDigests = true; continue; }
    if (arg === '--format' || arg === '--cited-by' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      if (arg === '--format') result.format = value; else if (arg === '--cited-by') result.citedBy = value; else result.out = value;
      continue;
    }
    if (arg === '--') { result.positional.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--') || (arg.startsWith('-') && arg.length > 1)) throw new UsageError(`unknown option '${arg}'`);
    if (!result.command) result.command = arg;
    else if (collectingDigests) result.digests.push(arg);
    else result.positional.push(arg);
  }
  return result;
}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The CLI's context: the index, the file system and where problems were reported. */
class Session {
  readonly index = new WorkspaceIndex();
  readonly classifier = new FileClassifier(DEFAULT_FILE_KIND_SETTINGS);
  readonly fs: FileSystem = createNodeFileSystem((path) => path);
  failed = false;

  constructor(private readonly output: Output) {}

  report(problem: LoadProblem): void {
    this.output.err(`litdigest: ${problem.path}: ${problem.message}`);
    // A warning (invalid UTF-8 decoded with replacements) still counts: the input was not clean.
    this.failed = true;
  }

  /** Loads files or folders; a folder contributes every digest and note under it. */
  async load(paths: string[]): Promise<void> {
    // Digests are parsed on worker threads (dist/parseWorker.js, next to this bundle) when there are many.
    const pool = new ParseWorkerPool(nodePath.join(__dirname, 'parseWorker.js'));
    const report = await loadWorkspace(this.index, this.fs, this.classifier, paths.map(displayPath), { reader: pool }).finally(() => pool.close());
    for (const problem of report.problems) if (problem.code !== 'folder-named-like-file') this.report(problem);
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

/** Paths as the person wrote them, normalised (no trailing slash), for messages and output. */
function displayPath(path: string): string {
  const normalised = nodePath.normalize(path);
  return normalised.length > 1 ? normalised.replace(/[\\/]+$/, '') : normalised;
}

function entryJson(index: WorkspaceIndex, file: string, entry: DigestEntry) {
  return {
    file,
    line: entry.line,
    key: index.keyOf(entry),
    title: entry.title,
    abstract: entry.abstract,
    upvotes: entry.upvotes,
    authors: entry.authors,
    date: entry.date,
    yearInferred: entry.yearInferred,
    comments: entry.comments,
    split: entry.split.source,
  };
}

async function parseCommand(args: ParsedArguments, session: Session, output: Output): Promise<void> {
  if (args.positional.length === 0) throw new UsageError('parse needs at least one digest file');
  const files: string[] = [];
  for (const raw of args.positional) {
    const path = displayPath(raw);
    const result = await loadFile(session.index, session.fs, session.classifier, path, path, 'digest');
    if (result.problem) session.report(result.problem.message === 'is a folder named like a digest or note; skipped'
      ? { path, message: 'is a folder; parse takes files (litdigest keys takes folders)' }
      : result.problem);
    if (result.loaded) files.push(path);
  }
  session.reportLineProblems();
  const rows = files.flatMap((file) => session.index.digest(file)!.digest.entries.map((entry) => entryJson(session.index, file, entry)));
  if (args.json) {
    output.out(JSON.stringify(rows, null, 2));
    return;
  }
  for (const row of rows) {
    output.out(`${row.file}:${row.line + 1}\t${row.key}\t${row.title}\t${row.date}\t${row.upvotes} upvotes\t${row.authors} authors${row.comments !== null ? `\t${row.comments} comments` : ''}`);
  }
}

async function searchCommand(args: ParsedArguments, session: Session, output: Output): Promise<void> {
  const [query, ...paths] = args.positional;
  if (!query) throw new UsageError('search needs a query');
  await session.load(paths.length > 0 ? paths : ['.']);
  const results = session.index.search(query, { limit: args.limit });
  if (args.json) {
    output.out(JSON.stringify(results.map((result, rank) => {
      const shown = result.paper.locations[0];
      return { rank: rank + 1, score: Number(result.score.toFixed(4)), ...entryJson(session.index, shown.uri, shown.entry), locations: result.paper.locations.map((l) => `${l.uri}:${l.entry.line + 1}`) };
    }), null, 2));
    return;
  }
  if (results.length === 0) {
    output.out(`no papers match '${query}' (${session.index.paperCount} papers searched)`);
    return;
  }
  results.forEach((result, rank) => {
    const shown = result.paper.locations[0];
    output.out(`${String(rank + 1).padStart(3)}. ${result.paper.key}  ${shown.entry.title} (${shown.entry.date}, ${shown.entry.upvotes} upvotes)  ${shown.uri}:${shown.entry.line + 1}`);
  });
}

async function checkCommand(args: ParsedArguments, session: Session, output: Output): Promise<number> {
  if (args.positional.length === 0) throw new UsageError('check needs at least one note');
  await session.load(args.digests.length > 0 ? args.digests : ['.']);
  let unknown = 0;
  for (const raw of args.positional) {
    const path = displayPath(raw);
    const kind = session.classifier.classify(nodePath.basename(path));
    const language = kind.kind === 'note' ? kind.language : 'markdown';
    const result = await loadFileAsNote(session, path, language);
    if (result.problem) { session.report(result.problem); continue; }
    const note = session.index.file(path);
    if (note?.kind !== 'note') continue;
    for (const citation of note.citations) {
      if (session.index.paperByKey(citation.key)) continue;
      unknown++;
      const suggestion = session.index.closestKeys(citation.key, 1)[0];
      output.out(`${path}:${citation.line + 1}:${citation.start + 1}: unknown citation key '${citation.key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
    }
  }
  if (unknown > 0) output.err(`${unknown} unknown citation${unknown === 1 ? '' : 's'} (${session.index.paperCount} papers known)`);
  return unknown > 0 ? 1 : 0;
}

async function loadFileAsNote(session: Session, path: string, language: 'markdown' | 'latex'): Promise<{ problem?: LoadProblem }> {
  const { fs, index } = session;
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory) return { problem: { path, message: 'is a folder; check takes note files' } };
    const decoded = decodeContent(await fs.readFile(path));
    if (!decoded.ok) return { problem: { path, message: `${decoded.reason}; skipped` } };
    index.setNoteText(path, decoded.text, language);
    return decoded.warning ? { problem: { path, message: decoded.warning } } : {};
  } catch (error) {
    return { problem: { path, message: describeError(error) } };
  }
}

async function keysCommand(args: ParsedArguments, session: Session, output: Output): Promise<void> {
  await session.load(args.positional.length > 0 ? args.positional : ['.']);
  const papers = session.index.papers().sort((a, b) => a.key.localeCompare(b.key));
  if (args.json) {
    output.out(JSON.stringify(papers.map((paper) => ({
      key: paper.key,
      title: paper.locations[0].entry.title,
      date: paper.locations[0].entry.date,
      locations: paper.locations.map((l) => ({ file: l.uri, line: l.entry.line })),
    })), null, 2));
    return;
  }
  for (const paper of papers) {
    output.out(`${paper.key}\t${paper.locations[0].entry.title}\t${paper.locations.map((l) => `${l.uri}:${l.entry.line + 1}`).join(' ')}`);
  }
}

async function exportCommand(args: ParsedArguments, session: Session, output: Output): Promise<void> {
  const format = args.format;
  if (format !== 'bibtex' && format !== 'csl-json') throw new UsageError(`export needs --format bibtex or --format csl-json${format ? `, not '${format}'` : ''}`);
  const inputs = args.positional.length > 0 ? args.positional : ['.'];
  await session.load(inputs);
  let citedBy: string | undefined;
  if (args.citedBy) {
    citedBy = displayPath(args.citedBy);
    const kind = session.classifier.classify(nodePath.basename(citedBy));
    const result = await loadFileAsNote(session, citedBy, kind.kind === 'note' ? kind.language : 'markdown');
    if (result.problem) { session.report(result.problem); return; }
  }
  const { papers, unknownKeys } = selectPapersForExport(session.index, { citedBy });
  for (const key of unknownKeys) output.err(`litdigest: ${citedBy}: unknown citation key '${key}' left out of the export`);
  const text = formatBibliography(papers, format);
  if (!args.out) {
    output.out(text.replace(/\n$/, ''));
    return;
  }
  // The tool never writes into what it reads.
  const out = nodePath.resolve(args.out);
  const inputFiles = session.index.allFiles().map((file) => nodePath.resolve(file.uri));
  if (inputFiles.includes(out) || inputs.some((input) => nodePath.resolve(input) === out)) {
    throw new UsageError(`--out ${args.out} is one of the inputs; choose another file`);
  }
  await fsp.writeFile(out, text);
  output.err(`litdigest: wrote ${papers.length} paper${papers.length === 1 ? '' : 's'} to ${args.out}`);
}

/** Runs the CLI; returns the exit code. */
export async function run(argv: string[], output: Output): Promise<number> {
  let args: ParsedArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    output.err(`litdigest: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h') || args.command === 'help') { output.out(USAGE); return 0; }
  if (argv.includes('--version')) { output.out(VERSION); return 0; }
  const session = new Session(output);
  try {
    let code = 0;
    switch (args.command) {
      case 'parse': await parseCommand(args, session, output); break;
      case 'search': await searchCommand(args, session, output); break;
      case 'check': code = await checkCommand(args, session, output); break;
      case 'keys': await keysCommand(args, session, output); break;
      case 'export': await exportCommand(args, session, output); break;
      case '': throw new UsageError('no command given');
      default: throw new UsageError(`unknown command '${args.command}'`);
    }
    return session.failed ? 2 : code;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`litdigest: ${error.message}\n${USAGE}`);
      return 2;
    }
    output.err(`litdigest: internal error: ${(error as Error).message ?? String(error)}`);
    return 2;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

if (require.main === module) {
  // `litdigest keys | head` closes the pipe early: the reader has all it wants, so stop quietly
  // (as other command-line tools do) instead of dying with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  run(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => { process.exitCode = code; });
}
