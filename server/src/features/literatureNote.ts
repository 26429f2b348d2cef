/**
 * Literature notes: a Markdown file for a paper, made from a template with variables. The part the
 * template generated sits between two HTML comments (the generated block), so Refresh Literature
 * Note can write it again from the paper's current metadata without touching the person's text.
 */
import * as nodePath from 'node:path';
import type { CodeLens, Position, TextEdit } from 'vscode-languageserver-types';
import { Paper } from '../index/workspaceIndex';
import { arxivPdfUrl, huggingFacePaperUrl, huggingFaceSearchUrl, wellFormed } from '../digest/paperLinks';
import { metadataOfPaper } from '../index/paperFacts';
import { NOTE_BLOCK_BEGIN_TAG, NOTE_BLOCK_END_TAG, refreshNoteCommand } from '../shared/protocol';

export interface NoteVariables {
  key: string;
  title: string;
  date: string;
  year: string;
  abstract: string;
  upvotes: string;
  url: string;
  /** Author names, comma-separated; empty without a metadata line. */
  authors: string;
  /** The arXiv id; empty when unknown. */
  arxiv: string;
  /** The arXiv PDF; empty when the id is unknown. */
  pdf: string;
  /** The paper's page on Hugging Face Papers (a title search when the id is unknown). */
  hf: string;
}

export function noteVariables(paper: Paper): NoteVariables {
  const entry = paper.locations[0].entry;
  const metadata = metadataOfPaper(paper);
  const hf = metadata?.arxiv ? huggingFacePaperUrl(metadata.arxiv) : huggingFaceSearchUrl(entry.title);
  return {
    key: paper.key,
    title: entry.title,
    date: entry.date,
    year: String(entry.year),
    abstract: entry.abstract,
    // "no" where the listing shows `-`: the default template reads "no upvotes".
    upvotes: entry.upvotes === null ? 'no' : String(entry.upvotes),
    url: hf,
    authors: metadata?.authorNames.join(', ') ?? '',
    arxiv: metadata?.arxiv ?? '',
    pdf: metadata?.arxiv ? arxivPdfUrl(metadata.arxiv) : '',
    hf,
  };
}

/** Fills `{{name}}` placeholders; unknown names are left as written so a typo shows. */
export function fillTemplate(template: string, variables: NoteVariables): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name as keyof NoteVariables] : whole));
}

/** The file name of a paper's note: its key, which is already safe in paths. */
export function noteFileName(paper: Paper): string {
  return `${paper.key.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.md`;
}

/** Where a paper's literature note goes and what a new one holds. */
export interface LiteratureNotePlan {
  path: string;
  text: string;
}

/**
 * The note for `paper` under `baseFolder` (the workspace folder of the digest that lists it), in
 * the `notes.folder` the settings name, filled from their template.
 */
export function planLiteratureNote(paper: Paper, baseFolder: string, settings: { folder: string; template: string }): LiteratureNotePlan {
  return { path: nodePath.join(baseFolder, settings.folder, noteFileName(paper)), text: fillNote(settings.template, paper) };
}

/**
 * The comment that opens a note's generated block; the key is URI-encoded so no `-->` or space can
 * end it early, and made well-formed first (a key with a lone surrogate threw "URI malformed").
 */
export function beginMarker(key: string): string {
  return `<!-- ${NOTE_BLOCK_BEGIN_TAG} key=${encodeURIComponent(wellFormed(key))} -->`;
}

/** The comment that closes a note's generated block. */
export const END_MARKER = `<!-- ${NOTE_BLOCK_END_TAG} -->`;

const BEGIN_PLACEHOLDER = /\{\{\s*begin\s*\}\}/;
const END_PLACEHOLDER = /\{\{\s*end\s*\}\}/;
const ANY_BLOCK_PLACEHOLDER = /\{\{\s*(?:begin|end)\s*\}\}/g;
/** A YAML metadata block at the top of a template, with the blank lines after it. */
const LEADING_FRONT_MATTER = /^---[ \t]*\r?\n(?:[^\r\n]*\r?\n)*?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)(?:[ \t]*\r?\n)*/;
/** Either marker, on one line; the tag's colon is what a variable's value cannot hold (see {@link markerSafe}). */
const MARKER = /<!--[ \t]*literature-digest:(begin|end)\b([^\r\n]*?)-->/g;

/**
 * A value with any marker-like text defused (its tag's colon written as an entity, which pandoc and
 * the preview show as a colon): an abstract pasted from the web must not end or open a block.
 */
function markerSafe(value: string): string {
  return value.replace(/(<!--[ \t]*literature-digest):/g, '$1&#58;');
}

/**
 * The whole text of a new note for `paper`: the template filled, with the generated block marked.
 * `{{begin}}` and `{{end}}` in the template say where the block starts and ends (only the first of
 * each counts; others are dropped). Without `{{begin}}` the block starts after the template's
 * front matter (at the top when it has none); without `{{end}}` it ends with the template, a blank
 * line before the end marker so pandoc reads it as a block of its own.
 */
export function fillNote(template: string, paper: Paper): string {
  const raw = noteVariables(paper);
  const variables = Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, markerSafe(value)])) as unknown as NoteVariables;
  const fill = (part: string) => fillTemplate(part.replace(ANY_BLOCK_PLACEHOLDER, ''), variables);
  const begin = BEGIN_PLACEHOLDER.exec(template);
  const blockStart = begin ? begin.index : (LEADING_FRONT_MATTER.exec(template)?.[0].length ?? 0);
  const afterBegin = begin ? begin.index + begin[0].length : blockStart;
  const end = END_PLACEHOLDER.exec(template.slice(afterBegin));
  const before = template.slice(0, blockStart);
  const block = fill(template.slice(afterBegin, end ? afterBegin + end.index : template.length));
  const opening = `${beginMarker(paper.key)}${begin ? '' : '\n'}`;
  if (end) return `${fill(before)}${opening}${block}${END_MARKER}${fill(template.slice(afterBegin + end.index + end[0].length))}`;
  const closing = block === '' || block.endsWith('\n\n') ? '' : block.endsWith('\n') ? '\n' : '\n\n';
  return `${fill(before)}${opening}${block}${closing}${END_MARKER}\n`;
}

/** A note's generated block: the paper's key (from the begin marker) and the offsets of the text between the markers. */
export interface GeneratedBlock {
  key: string;
  /** Offset just after the begin marker. */
  start: number;
  /** Offset of the end marker. */
  end: number;
  /** 0-based line of the begin marker. */
  beginLine: number;
}

/** The generated block of a note, or what is wrong with its markers (a phrase that follows the note's name). */
export type BlockSearch = { block: GeneratedBlock; problem?: undefined } | { block?: undefined; problem: string };

/** Finds the one generated block of `text`; any doubt about its markers is a problem, never a guess. */
export function findGeneratedBlock(text: string): BlockSearch {
  const begins: RegExpMatchArray[] = [];
  const ends: RegExpMatchArray[] = [];
  for (const match of text.matchAll(MARKER)) (match[1] === 'begin' ? begins : ends).push(match);
  const lineNumbers = (matches: RegExpMatchArray[]) => matches.map((match) => positionAt(text, match.index ?? 0).line + 1).join(', ');
  const written = `<!-- ${NOTE_BLOCK_BEGIN_TAG} key=… -->`;
  if (begins.length === 0) {
    return { problem: ends.length > 0 ? `has an end marker (line ${lineNumbers(ends)}) but no begin marker \`${written}\`` : `has no generated block: no \`${written}\` marker` };
  }
  if (begins.length > 1) return { problem: `has ${begins.length} begin markers (lines ${lineNumbers(begins)}); a literature note has one generated block` };
  const [begin] = begins;
  const beginLine = positionAt(text, begin.index ?? 0).line;
  const key = /(?:^|\s)key=(\S+)/.exec(begin[2])?.[1];
  if (!key) return { problem: `has a begin marker (line ${beginLine + 1}) that names no paper (\`key=…\`)` };
  if (ends.length === 0) return { problem: `has a generated block (from line ${beginLine + 1}) without its end marker \`${END_MARKER}\`` };
  if (ends.length > 1) return { problem: `has ${ends.length} end markers (lines ${lineNumbers(ends)}); a literature note has one generated block` };
  const [end] = ends;
  if ((end.index ?? 0) < (begin.index ?? 0)) return { problem: `has its end marker (line ${lineNumbers(ends)}) before its begin marker (line ${beginLine + 1})` };
  return { block: { key: decodedKey(key), start: (begin.index ?? 0) + begin[0].length, end: end.index ?? 0, beginLine } };
}

function decodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // Typed by hand with a stray '%': the key as written.
    return encoded;
  }
}

/** What Refresh Literature Note does to a note: one edit over the generated block, none when it is current, or why it cannot. */
export type NoteRefresh = { edit: TextEdit; problem?: undefined } | { edit?: undefined; problem?: undefined } | { edit?: undefined; problem: string };

/**
 * The edit that writes `block` of `noteText` again from `paper` and `template`: only the text
 * between the markers changes (the markers and everything outside stay as they are), in the note's
 * line ends. No edit when the block already reads so.
 */
export function planNoteRefresh(noteText: string, block: GeneratedBlock, paper: Paper, template: string): NoteRefresh {
  const filled = fillNote(template, paper);
  const fresh = findGeneratedBlock(filled);
  if (!fresh.block) return { problem: `cannot be refreshed: the filled template ${fresh.problem}` };
  const lineEnd = /\r\n/.test(noteText) ? '\r\n' : '\n';
  const newText = filled.slice(fresh.block.start, fresh.block.end).replace(/\r\n|\r|\n/g, lineEnd);
  if (noteText.slice(block.start, block.end) === newText) return {};
  return { edit: { range: { start: positionAt(noteText, block.start), end: positionAt(noteText, block.end) }, newText } };
}

/** The "Refresh Literature Note" lens above the begin marker of a note whose block is well marked. */
export function provideLiteratureNoteLenses(uri: string, text: string): CodeLens[] {
  if (!text.includes(NOTE_BLOCK_BEGIN_TAG)) return [];
  const { block } = findGeneratedBlock(text);
  if (!block) return [];
  const at = { line: block.beginLine, character: 0 };
  return [{ range: { start: at, end: at }, command: refreshNoteCommand(uri) }];
}

/** The position of `offset` in `text` (UTF-16 columns, as LSP counts; `\r\n`, `\r` and `\n` end lines). */
function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  const lineEnds = /\r\n|\r|\n/g;
  for (let match = lineEnds.exec(text); match && match.index < offset; match = lineEnds.exec(text)) {
    line++;
    lineStart = match.index + match[0].length;
  }
  return { line, character: offset - lineStart };
}
