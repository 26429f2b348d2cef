/**
 * An in-memory workspace for feature tests, after microsoft/vscode-markdown-languageservice's
 * tests: the files are strings, a cursor `‸` and expected ranges `«…»` are marked in their text,
 * and every test builds its own index, so no test sees another's state.
 *
 *     const ws = workspace({
 *       'file:///w/papers.digest': '3 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024',
 *       'file:///w/notes/a.md': 'See @alpha-paper-title2024‸.',
 *     });
 *     provideHover(ws.index, ws.uri, ws.position);
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hover, MarkupContent, Position, Range } from 'vscode-languageserver-types';
import { DigestParseOptions } from '../../server/src/digest/digestParser';
import { DigestSummary, NoteSummary, WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { LibraryFormat, parseLibrary } from '../../server/src/library/libraryEntries';
import { NoteLanguage } from '../../server/src/notes/noteCitations';
import { MarkedRange, parseMarkers } from '../unit/markers';

/** Marks the cursor. Not `|`, which digests use for the title split ` || `. */
export const CURSOR = '‸';

/**
 * The year of dates written without one when nothing in the file tells it (the server takes the
 * file's modification year); fixed so that keys do not change with the year the tests run in.
 */
export const CAPTURE_YEAR = 2025;

/** The text of a file in test/fixtures. */
export function readFixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
}

/** The 25 entries of a real Hugging Face Papers search for "tulu". */
export const TULU = readFixture('tulu-search.txt');

/** Where the feature tests put the sample digest. */
export const TULU_URI = 'file:///w/tulu.digest.txt';

/** The sample's Camels paper pasted again, with other upvotes (25) and a comment count: one paper, two locations. */
export const CAMELS_AGAIN = '25 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 6';

/** The lines of a file, joined as an editor would write them. */
export function joinLines(...lines: string[]): string {
  return lines.join('\n');
}

export interface TestWorkspace {
  index: WorkspaceIndex;
  /** The file holding the cursor; the first file given when none does. */
  uri: string;
  /** The cursor; a test that asks for it without marking one fails. */
  readonly position: Position;
  /** The text of the cursor's line (what completion reads). */
  readonly cursorLine: string;
  /** The ranges marked `«…»` in a file (the cursor's by default), in reading order. */
  ranges(uri?: string): Range[];
  /** A file's text without its markers. */
  text(uri?: string): string;
  /** One line of a file's text without its markers. */
  line(lineNumber: number, uri?: string): string;
  /** A digest's summary in the index; fails the test if the file is no digest. */
  digest(uri?: string): DigestSummary;
  /** A note's summary in the index; fails the test if the file is no note. */
  note(uri?: string): NoteSummary;
}

/** What a file is, by its name, as the default settings of the server decide it. */
function kindOf(uri: string): { kind: 'digest' } | { kind: 'note'; language: NoteLanguage } | { kind: 'library'; format: LibraryFormat } {
  if (/\.(digest|txt)$/.test(uri)) return { kind: 'digest' };
  if (/\.bib$/.test(uri)) return { kind: 'library', format: 'bibtex' };
  if (/\.json$/.test(uri)) return { kind: 'library', format: 'csl-json' };
  if (/\.(md|markdown|qmd|rmd)$/i.test(uri)) return { kind: 'note', language: 'markdown' };
  if (/\.tex$/.test(uri)) return { kind: 'note', language: 'latex' };
  throw new Error(`${uri}: neither a digest (.digest, .txt), a bibliography (.bib, .json) nor a note (.md, .tex)`);
}

/**
 * Builds a fresh index from `files` (URI → marked text). Digests are read with a fixed capture
 * year ({@link CAPTURE_YEAR}) unless `parseOptions` say otherwise.
 */
export function workspace(files: Record<string, string>, parseOptions: DigestParseOptions = { fallbackCaptureYear: CAPTURE_YEAR }): TestWorkspace {
  const index = new WorkspaceIndex(parseOptions);
  const texts = new Map<string, string>();
  const marked = new Map<string, MarkedRange[]>();
  let cursor: { uri: string; position: Position } | undefined;
  for (const [uri, source] of Object.entries(files)) {
    const parsed = parseMarkers(source, CURSOR);
    if (parsed.cursor) {
      if (cursor) throw new Error(`a cursor in ${cursor.uri} and in ${uri}`);
      cursor = { uri, position: parsed.cursor };
    }
    texts.set(uri, parsed.text);
    marked.set(uri, parsed.ranges);
    const kind = kindOf(uri);
    if (kind.kind === 'digest') index.setDigestText(uri, parsed.text);
    else if (kind.kind === 'library') index.setLibrary(uri, parseLibrary(uri, parsed.text, kind.format));
    else index.setNoteText(uri, parsed.text, kind.language);
  }
  const first = Object.keys(files)[0];
  if (first === undefined) throw new Error('a workspace needs at least one file');
  const home = cursor?.uri ?? first;
  const textOf = (uri: string) => {
    const text = texts.get(uri);
    if (text === undefined) throw new Error(`no file ${uri} in the workspace`);
    return text;
  };
  const lineOf = (lineNumber: number, uri: string) => textOf(uri).split(/\r\n|\r|\n/)[lineNumber] ?? '';
  return {
    index,
    uri: home,
    get position() {
      if (!cursor) throw new Error(`no ${CURSOR} cursor in any file`);
      return cursor.position;
    },
    get cursorLine() {
      if (!cursor) throw new Error(`no ${CURSOR} cursor in any file`);
      return lineOf(cursor.position.line, cursor.uri);
    },
    ranges: (uri = home) => (marked.get(uri) ?? []).map((r) => ({ start: { line: r.line, character: r.start }, end: { line: r.line, character: r.end } })),
    text: (uri = home) => textOf(uri),
    line: (lineNumber, uri = home) => lineOf(lineNumber, uri),
    digest(uri = home) {
      const summary = index.file(uri);
      assert.equal(summary?.kind, 'digest', `${uri} is not an indexed digest`);
      return summary as DigestSummary;
    },
    note(uri = home) {
      const summary = index.file(uri);
      assert.equal(summary?.kind, 'note', `${uri} is not an indexed note`);
      return summary as NoteSummary;
    },
  };
}

/** The Markdown of a hover, failing the test if there is no hover or it is not Markdown. */
export function markdownOf(hover: Hover | null | undefined): string {
  assert.ok(hover, 'no hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown', `hover contents ${JSON.stringify(contents)}`);
  return contents.value;
}

/**
 * Markdown that holds no live HTML, no image, no theme icon and no link but the card's own: the
 * Hugging Face and arXiv searches and workspace files.
 */
export function assertInertMarkdown(markdown: string): void {
  assert.doesNotMatch(markdown, /<(img|script|b)\b/i, 'no raw HTML');
  assert.doesNotMatch(markdown, /!\[/, 'no image');
  assert.doesNotMatch(markdown, /(?<!\\)\$\(/, 'no theme icon');
  for (const [, target] of markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) {
    assert.match(target, /^(https:\/\/huggingface\.co\/papers\?q=|https:\/\/arxiv\.org\/search\/|file:\/\/)/, `link target ${target}`);
  }
}
