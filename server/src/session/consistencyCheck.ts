/**
 * Consistency mode (after marksman's): with `LITDIGEST_CONSISTENCY=1` in the server's environment,
 * every change the session applies incrementally to an open document is checked against the same
 * document read from scratch, and any difference is logged ("consistency: ..."), so that drift
 * between the incremental state and the truth is seen where it starts. Off by default (a fresh
 * reading per keystroke costs what the incremental path saves); on in the tests.
 */
import { DigestEntry, DigestParseOptions, parseDigest, ParsedDigest } from '../digest/digestParser';
import { LibraryFormat, parseLibrary, ParsedLibrary } from '../library/libraryEntries';
import { Citation, NoteLanguage, scanCitations } from '../notes/noteCitations';
import { FileSummary, WorkspaceIndex } from '../index/workspaceIndex';

/** Whether consistency mode is on: `LITDIGEST_CONSISTENCY` set to anything but `0` or empty. */
export function consistencyModeFromEnvironment(environment: NodeJS.ProcessEnv = process.env): boolean {
  const value = environment.LITDIGEST_CONSISTENCY;
  return value !== undefined && value !== '' && value !== '0';
}

/** What a document's reading must agree on, as plain values. */
function entryFacts(entry: DigestEntry): unknown {
  return {
    line: entry.line, upvotes: entry.upvotes, title: entry.title, abstract: entry.abstract, authors: entry.authors,
    date: entry.date, year: entry.year, yearInferred: entry.yearInferred, comments: entry.comments,
    baseKey: entry.baseKey, identity: entry.identity, spans: entry.spans, split: entry.split.source,
    noteLines: entry.noteLines, heading: entry.heading, metadataLine: entry.metadataLine,
    metadata: entry.metadata && { arxiv: entry.metadata.arxiv, key: entry.metadata.key, authors: entry.metadata.authorNames, doi: entry.metadata.doi },
  };
}

/** The first difference between two lists of facts, in words; undefined when they agree. */
function firstDifference(what: string, incremental: readonly unknown[], fresh: readonly unknown[]): string | undefined {
  const count = Math.max(incremental.length, fresh.length);
  for (let i = 0; i < count; i++) {
    const a = JSON.stringify(incremental[i]);
    const b = JSON.stringify(fresh[i]);
    if (a !== b) return `${what} ${i}: incremental ${a ?? 'none'}, from scratch ${b ?? 'none'}`;
  }
  return undefined;
}

/** A digest as edited against the same text parsed whole. */
export function digestDrift(incremental: ParsedDigest, text: string, options: DigestParseOptions): string | undefined {
  const fresh = parseDigest(text, options);
  const problemFacts = (digest: ParsedDigest) => digest.problems
    .map((problem) => ({ line: problem.line, span: problem.span, code: problem.code, message: problem.message, severity: problem.severity }))
    .sort((a, b) => a.line - b.line || a.span.start - b.span.start || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
  return firstDifference('line', incremental.lines, fresh.lines)
    ?? firstDifference('line kind', incremental.lineKinds, fresh.lineKinds)
    ?? firstDifference('entry', incremental.entries.map(entryFacts), fresh.entries.map(entryFacts))
    ?? firstDifference('heading', incremental.headings, fresh.headings)
    ?? firstDifference('problem', problemFacts(incremental), problemFacts(fresh));
}

/** A bibliography as re-read chunk by chunk against the same text read whole. */
export function libraryDrift(uri: string, incremental: ParsedLibrary, text: string, format: LibraryFormat): string | undefined {
  const fresh = parseLibrary(uri, text, format);
  const facts = (library: ParsedLibrary) => library.entries.map((entry) => ({ key: entry.library.key, line: entry.line, title: entry.title, identity: entry.identity, span: entry.spans.title }));
  const problems = (library: ParsedLibrary) => library.problems.map((problem) => ({ ...problem }));
  return firstDifference('entry', facts(incremental), facts(fresh)) ?? firstDifference('problem', problems(incremental), problems(fresh));
}

/** A note's citations against the same text scanned again. */
export function noteDrift(incremental: readonly Citation[], text: string, language: NoteLanguage): string | undefined {
  return firstDifference('citation', incremental, scanCitations(text, language));
}

/**
 * The index's side of a file: every entry of a digest or bibliography is a location of the paper
 * its identity names, with that very entry object (not a stale one from before an edit).
 */
export function indexDrift(index: WorkspaceIndex, summary: FileSummary): string | undefined {
  if (summary.kind === 'note') return undefined;
  const entries = summary.kind === 'digest' ? summary.digest.entries : summary.library.entries;
  for (const entry of entries) {
    const paper = index.paperOf(entry);
    if (!paper) return `the entry on line ${entry.line + 1} is no paper of the index`;
    if (!paper.locations.some((location) => location.uri === summary.uri && location.entry === entry)) return `the paper of line ${entry.line + 1} does not list that entry`;
  }
  for (const paper of index.papers()) {
    for (const location of paper.locations) {
      if (location.uri === summary.uri && !entries.includes(location.entry)) return `"${paper.locations[0].entry.title}" still lists a location on line ${location.entry.line + 1} that the file no longer has`;
    }
  }
  return undefined;
}
