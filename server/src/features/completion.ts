/**
 * Citation completion after `@` (also `[@`, `; @`, `-@`, `@{`) in Markdown and inside the key group
 * of a citing command in LaTeX, read by the LaTeX scanner's own rules (`\Citet{`,
 * `\cites(pre)(post)[p]{a}{`, `\volcite{3}[45]{`; not a volume, a note, a comment or
 * `\setcitestyle{`). Candidates come from the fuzzy search over key, title and abstract, so
 * `@tulu` offers the Tulu 2 paper; they are ranked by match, then upvotes and recency. One or two
 * characters typed are the start of a key (see KEY_PREFIX_LENGTH). A response holds at most
 * `maxItems` items and says it is incomplete, so every keystroke asks again and 100,000 papers
 * never flood the client.
 */
import { CompletionItem, CompletionItemKind, CompletionList, MarkupKind, Position, Range } from 'vscode-languageserver-types';
import { latexKeyGroupAt } from '../notes/latexCitations';
import { NoteLanguage } from '../notes/noteCitations';
import { upvotesRank } from '../digest/entryLine';
import { splitPersonName } from '../digest/personNames';
import { authorNamesOf } from '../index/paperFacts';
import { NoteSummary, Paper, WorkspaceIndex } from '../index/workspaceIndex';
import { isLibraryEntry } from '../library/libraryEntries';
import { renderPaperCard } from './paperCard';

export interface CitationContext {
  /** What the person typed of the key so far. */
  prefix: string;
  /** The text the chosen key replaces: the typed prefix and the rest of a key the cursor is in. */
  range: Range;
}

const KEY_CHAR = /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u;

/** Where a citation key is being typed at `position` of `lineText`, if anywhere. */
export function citationContextAt(lineText: string, position: Position, language: NoteLanguage): CitationContext | undefined {
  const cursor = Math.min(position.character, lineText.length);
  const before = lineText.slice(0, cursor);
  if (language === 'latex') {
    const groupStart = latexKeyGroupAt(lineText, cursor);
    if (groupStart === undefined) return undefined;
    const inside = lineText.slice(groupStart, cursor);
    const lastSeparator = Math.max(inside.lastIndexOf(','), -1);
    const typed = inside.slice(lastSeparator + 1);
    const prefix = typed.trimStart();
    const start = cursor - prefix.length;
    let end = cursor;
    while (end < lineText.length && !/[,}\s]/.test(lineText[end])) end++;
    return { prefix, range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } } };
  }
  // Markdown: `@{partial` inside braces, or `@partial`.
  const braceOpen = before.lastIndexOf('@{');
  if (braceOpen >= 0 && !before.slice(braceOpen).includes('}') && !isWordChar(lineText[braceOpen - 1])) {
    const start = braceOpen + 2;
    let end = cursor;
    while (end < lineText.length && lineText[end] !== '}') end++;
    return { prefix: before.slice(start), range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } } };
  }
  let start = cursor;
  while (start > 0 && KEY_CHAR.test(lineText[start - 1])) start--;
  // A key char run may swallow the `@`'s neighbours; find the `@` right before the typed key.
  const at = before.lastIndexOf('@', cursor - 1);
  if (at < 0 || at < start - 1) return undefined;
  if (before.slice(at + 1).split('').some((c) => !KEY_CHAR.test(c))) return undefined;
  // An `@` right after a letter or digit is an e-mail address, not a citation.
  if (isWordChar(lineText[at - 1])) return undefined;
  let end = cursor;
  while (end < lineText.length && KEY_CHAR.test(lineText[end])) end++;
  return { prefix: before.slice(at + 1), range: { start: { line: position.line, character: at + 1 }, end: { line: position.line, character: end } } };
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

export interface CompletionOptions {
  maxItems: number;
  isCancelled?: () => boolean;
  /**
   * The note being written: when it names its own bibliographies (and the scope is the
   * document's), only papers of those and of the digests are offered, by the key it can cite.
   */
  note?: NoteSummary;
}

/** The key a note cites a paper by, or undefined when the note cannot cite it. */
function citableKey(index: WorkspaceIndex, paper: Paper, note: NoteSummary | undefined): string | undefined {
  if (!note || note.bibliographies.length === 0 || index.bibliographyScope === 'workspace') return paper.key;
  for (const location of paper.locations) {
    if (!isLibraryEntry(location.entry)) return paper.key;
    if (note.bibliographies.includes(location.uri)) return location.entry.library.key;
  }
  return undefined;
}

/**
 * The `count` papers offered for an empty prefix: most upvoted, then most recent. A single pass
 * keeping the best few, since any edit changes the index and sorting 100,000 papers per
 * keystroke was the slowest part of completion.
 */
let popularCache: { index: WorkspaceIndex; version: number; count: number; papers: Paper[] } | undefined;

function popularPapers(index: WorkspaceIndex, count: number): Paper[] {
  // Typing in a note does not change the papers: the list is kept until a digest changes.
  if (popularCache && popularCache.index === index && popularCache.version === index.papersVersion && popularCache.count === count) return popularCache.papers;
  const best = mostPopular(index.papers(), count);
  popularCache = { index, version: index.papersVersion, count, papers: best };
  return best;
}

/** The `count` most upvoted (then most recent) of `papers`, in one pass. */
function mostPopular(papers: Paper[], count: number): Paper[] {
  const best: Paper[] = [];
  for (const paper of papers) {
    if (best.length === count && byUpvotesThenRecency(paper, best[count - 1]) >= 0) continue;
    let at = best.length;
    while (at > 0 && byUpvotesThenRecency(paper, best[at - 1]) < 0) at--;
    best.splice(at, 0, paper);
    if (best.length > count) best.pop();
  }
  return best;
}

/**
 * Up to this many characters typed after `@` are the start of a key, as in other citation pickers:
 * one or two letters say nothing about a title or abstract (a fuzzy search for "a" matched every
 * paper, slowly, in no useful order), while keys start with the paper's name or first title word.
 */
const KEY_PREFIX_LENGTH = 2;

function byUpvotesThenRecency(a: Paper, b: Paper): number {
  const x = a.locations[0].entry;
  const y = b.locations[0].entry;
  return upvotesRank(y.upvotes) - upvotesRank(x.upvotes) || (y.date < x.date ? -1 : y.date > x.date ? 1 : 0) || (a.key < b.key ? -1 : 1);
}

export function provideCompletion(index: WorkspaceIndex, lineText: string, position: Position, language: NoteLanguage, options: CompletionOptions): CompletionList | null {
  const context = citationContextAt(lineText, position, language);
  if (!context) return null;
  let papers: Paper[];
  if (context.prefix.trim() === '') {
    papers = popularPapers(index, options.maxItems);
  } else if (context.prefix.length <= KEY_PREFIX_LENGTH && !/\s/.test(context.prefix)) {
    papers = mostPopular(index.papersWithKeyPrefix(context.prefix), options.maxItems);
    // Too few keys start so: the fuzzy search adds what else matches.
    if (papers.length < options.maxItems) {
      const chosen = new Set(papers);
      for (const { paper } of index.search(context.prefix, { limit: options.maxItems })) {
        if (papers.length >= options.maxItems) break;
        if (!chosen.has(paper)) papers.push(paper);
      }
    }
  } else {
    const results = index.search(context.prefix, { limit: options.maxItems });
    // Ranked by match; among equally good matches, the more upvoted and the more recent first.
    papers = results
      .map((result, rank) => ({ result, rank, bucket: Math.round(result.score * 20) }))
      .sort((a, b) => b.bucket - a.bucket || byUpvotesThenRecency(a.result.paper, b.result.paper) || a.rank - b.rank)
      .map(({ result }) => result.paper);
  }
  if (options.isCancelled?.()) return null;
  const items: CompletionItem[] = [];
  for (const paper of papers) {
    const key = citableKey(index, paper, options.note);
    if (key === undefined) continue;
    const shown = paper.locations[0].entry;
    const firstAuthor = authorNamesOf(paper)[0];
    const description = isLibraryEntry(shown)
      ? [shown.year > 0 ? String(shown.year) : '', firstAuthor ? `${splitPersonName(firstAuthor).family}${shown.authors > 1 ? ' et al.' : ''}` : ''].filter(Boolean).join(' · ')
      : shown.upvotes === null ? shown.date : `${shown.date} · ${shown.upvotes}↑`;
    items.push({
      label: key,
      kind: CompletionItemKind.Reference,
      detail: shown.title,
      labelDetails: { description },
      // The client filters by the text typed so far; the server has already matched fuzzily, so
      // each item presents the typed text as its filter text and keeps the server's order.
      filterText: context.prefix || key,
      sortText: String(items.length).padStart(6, '0'),
      textEdit: { range: context.range, newText: key },
      data: { key },
    });
  }
  return { isIncomplete: true, items };
}

/** Adds the paper card to an item the client is about to show. */
export function resolveCompletionItem(index: WorkspaceIndex, item: CompletionItem): CompletionItem {
  const key = (item.data as { key?: unknown } | undefined)?.key;
  const paper = typeof key === 'string' ? index.paperByKey(key) : undefined;
  if (paper) item.documentation = { kind: MarkupKind.Markdown, value: renderPaperCard(index, paper, { citationLimit: 3 }) };
  return item;
}
