/**
 * Insert Citation where the cursor is. Inside a Pandoc citation group (`[see @a, p. 3; @b]`) the
 * keys join that group as items of their own; inside the key group of a LaTeX citing command
 * (`\cite{a,|}`, `\parencite[p.~3]{a}`, `\cites(pre)(post)[p]{a}{|}`) they join its key list;
 * anywhere else they start a new group. What is a group is decided by the note scanners
 * themselves (pandocCitationGroups, latexKeyGroupAround), so Insert Citation, completion,
 * diagnostics and the index agree on it.
 *
 * Where Pandoc reads no citations (code blocks, code spans, math), a bracket is no group: the
 * keys go in as a new group, as plain text at the cursor, because the person asked for that text
 * there (an example of the syntax, say) and a `[@a; |]` in code is not one to extend.
 */
import { normaliseLatexCommand } from '../shared/settings';
import { latexCitingCommandGroupAround, latexKeyGroupAround, LatexKeyGroup } from './latexCitations';
import { pandocCitationGroups, pandocKeyEnd, scanMarkdownCitations } from './markdownCitations';
import type { NoteLanguage } from './noteCitations';

/** What may surround the keys: Pandoc's prefix and locator, LaTeX's prenote and postnote. */
export interface CitationNotes {
  /** Text before the first key: `see` gives `[see @key]`, `\cite[see][]{key}`. */
  prefix?: string;
  /** A locator after the last key: `p. 3` gives `[@key, p. 3]`, `\cite[p.~3]{key}`. */
  locator?: string;
}

export interface CitationInsertionOptions extends CitationNotes {
  /** The LaTeX command a new citation uses, without the backslash (`cite`, `citep`, `parencite`, ...). */
  latexCommand?: string;
}

/** A selection by offsets into the text; `start === end` is a cursor. */
export interface OffsetSelection {
  start: number;
  end: number;
}

/** One edit: the text from `start` to `end` becomes `newText`. */
export interface CitationEdit {
  start: number;
  end: number;
  newText: string;
  /** Where the cursor goes, counted from the start of `newText`. */
  cursorInNewText: number;
  /** `joined`: the keys went into the group at the cursor; `new`: a group of their own. */
  mode: 'joined' | 'new';
  /** Where the joined group starts (its `[` or its key list's `{`), to tell two edits of one group apart. */
  groupStart?: number;
  /** Keys left out because the group already cites them. */
  skipped: string[];
  /**
   * A prefix or locator was asked for but not written: a LaTeX key list's notes belong to the
   * whole command, so keys joining `\cite[p.~3]{a,|}` take none.
   */
  notesDropped: boolean;
}

/** The edits for every selection (at most one each, none overlapping), and where each cursor ends up. */
export interface CitationInsertionPlan {
  edits: CitationEdit[];
  /** Offsets into the text after every edit is applied, one per selection, in the selections' order. */
  cursors: number[];
}

/**
 * The citation of `keys` at `selection` of a note: joined to the group the cursor is in, else a
 * new group. A selection that is exactly a cited key (with or without its `@`) is replaced by the
 * keys; any other selection inside a group is not deleted (that could break the group) but read as
 * a cursor at its end; a selection outside groups is replaced by a new group.
 */
export function planCitationInsertion(text: string, language: NoteLanguage, selection: OffsetSelection, keys: readonly string[], options: CitationInsertionOptions = {}): CitationEdit {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return { start: selection.end, end: selection.end, newText: '', cursorInNewText: 0, mode: 'new', skipped: [], notesDropped: false };
  return language === 'latex'
    ? latexInsertion(text, selection, unique, options)
    : markdownInsertion(text, selection, unique, options);
}

/**
 * planCitationInsertion for every selection (VS Code's multiple cursors) as one change: a group
 * two cursors are in gets the keys once, and an edit that would overlap an earlier one is left out.
 */
export function planCitationInsertions(text: string, language: NoteLanguage, selections: readonly OffsetSelection[], keys: readonly string[], options: CitationInsertionOptions = {}): CitationInsertionPlan {
  const planned = selections.map((selection) => planCitationInsertion(text, language, selection, keys, options));
  const kept: { edit: CitationEdit; selection: number }[] = [];
  const joinedGroups = new Set<number>();
  planned.forEach((edit, selection) => {
    if (edit.groupStart !== undefined) {
      if (joinedGroups.has(edit.groupStart)) return;
      joinedGroups.add(edit.groupStart);
    }
    if (kept.some(({ edit: other }) => overlaps(edit, other))) return;
    kept.push({ edit, selection });
  });
  kept.sort((a, b) => a.edit.start - b.edit.start || a.selection - b.selection);
  const cursors = selections.map((selection) => selection.end);
  const placed = new Set<number>();
  let delta = 0;
  for (const { edit, selection } of kept) {
    cursors[selection] = edit.start + delta + edit.cursorInNewText;
    placed.add(selection);
    delta += edit.newText.length - (edit.end - edit.start);
  }
  // A cursor whose edit was left out stays where it was, moved by the edits before it.
  selections.forEach((selection, index) => {
    if (placed.has(index)) return;
    for (const { edit } of kept) if (edit.end <= selection.end) cursors[index] += edit.newText.length - (edit.end - edit.start);
  });
  return { edits: kept.map(({ edit }) => edit), cursors };
}

function overlaps(a: CitationEdit, b: CitationEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

// ---------------------------------------------------------------------------------------------
// Pandoc

/** A citation of a group by offsets: its whole token (`-@key`, `@{key}`), its `@` and its key. */
interface GroupCitation {
  key: string;
  tokenStart: number;
  at: number;
  tokenEnd: number;
  keyStart: number;
  keyEnd: number;
}

interface GroupByOffsets {
  /** The `[`. */
  open: number;
  /** The `]`. */
  close: number;
  citations: GroupCitation[];
}

/** The start offset of every line, for the line ends splitLines knows (`\r\n`, `\r`, `\n`). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  const breaks = /\r\n?|\n/g;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

function markdownGroups(text: string): GroupByOffsets[] {
  const groups = pandocCitationGroups(text);
  if (groups.length === 0) return [];
  const starts = lineStartsOf(text);
  const offset = (line: number, character: number) => starts[line] + character;
  return groups.map((group) => ({
    open: offset(group.open.line, group.open.character),
    close: offset(group.close.line, group.close.character),
    citations: group.citations.map((citation) => {
      const keyStart = offset(citation.line, citation.start);
      const keyEnd = offset(citation.line, citation.end);
      const at = citation.braced ? keyStart - 2 : keyStart - 1;
      return { key: citation.key, keyStart, keyEnd, at, tokenStart: citation.suppressAuthor ? at - 1 : at, tokenEnd: citation.braced ? keyEnd + 1 : keyEnd };
    }),
  }));
}

/** `@key`, or `@{key}` for a key Pandoc would not read whole without braces. */
export function pandocCitationToken(key: string): string {
  const plain = key.length > 0 && /^[\p{L}\p{N}_]/u.test(key) && pandocKeyEnd(key, 0) === key.length;
  return plain ? `@${key}` : `@{${key}}`;
}

/** The citation items of `keys` as Pandoc writes them inside a group: `see @a; @b, p. 3`. */
function pandocItems(keys: readonly string[], notes: CitationNotes): { text: string; keysEnd: number } {
  const prefix = notes.prefix?.trim();
  const locator = cleanLocator(notes.locator);
  const text = `${prefix ? `${prefix} ` : ''}${keys.map(pandocCitationToken).join('; ')}${locator ? `, ${locator}` : ''}`;
  return { text, keysEnd: text.length };
}

function cleanLocator(locator: string | undefined): string {
  return (locator ?? '').replace(/^[\s,]+/, '').trim();
}

const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

function markdownInsertion(text: string, selection: OffsetSelection, keys: string[], options: CitationInsertionOptions): CitationEdit {
  const groups = markdownGroups(text);
  const cursor = selection.end;
  if (selection.start !== selection.end) {
    // Replacing a selection with an end between a group's brackets would break the group.
    const inside = (offset: number) => groups.find((group) => group.open < offset && offset <= group.close);
    const first = inside(selection.start);
    const last = inside(selection.end);
    if (!first && !last) return newMarkdownGroup(selection, keys, options);
    if (first && first === last) {
      const replaced = first.citations.find((citation) => (selection.end === citation.tokenEnd || selection.end === citation.keyEnd)
        && [citation.tokenStart, citation.at, citation.keyStart].includes(selection.start));
      if (replaced) return replacePandocKey(first, replaced, keys);
    }
  }
  // A group the cursor touches: inside it, at its `[` or right after its `]` (`[@a]|` joins it:
  // `[@a][@b]` would be a reference link, not two groups).
  const group = groups.find((candidate) => candidate.open <= cursor && cursor <= candidate.close + 1);
  if (!group) {
    const at = outsideBareCitation(text, cursor);
    return spacedFromNeighbours(text, newMarkdownGroup({ start: at, end: at }, keys, options));
  }
  return joinPandocGroup(text, group, Math.min(Math.max(cursor, group.open + 1), group.close), keys, options);
}

/** `cursor`, or the end of the bare citation (`@key`, `-@key`, `@{key}`) it is inside: a new group never splits a key. */
function outsideBareCitation(text: string, cursor: number): number {
  if (text.indexOf('@') < 0) return cursor;
  const starts = lineStartsOf(text);
  for (const citation of scanMarkdownCitations(text)) {
    const keyStart = starts[citation.line] + citation.start;
    const keyEnd = starts[citation.line] + citation.end;
    const tokenStart = (citation.braced ? keyStart - 2 : keyStart - 1) - (citation.suppressAuthor ? 1 : 0);
    const tokenEnd = citation.braced ? keyEnd + 1 : keyEnd;
    if (tokenStart < cursor && cursor < tokenEnd) return tokenEnd;
  }
  return cursor;
}

/**
 * A new group with a space where its neighbours would make it something else: `[@k](x)` and
 * `[@k][x]` are links, `[@k]{.x}` a span, `x][@k]` a reference link, `![@k]` an image, `^[@k]` a
 * note, `\[` an escaped bracket.
 */
function spacedFromNeighbours(text: string, edit: CitationEdit): CitationEdit {
  const before = text[edit.start - 1];
  const after = text[edit.end];
  const lead = before === ']' || before === '!' || before === '^' || before === '\\' ? ' ' : '';
  const trail = after === '(' || after === '[' || after === '{' ? ' ' : '';
  if (!lead && !trail) return edit;
  return { ...edit, newText: `${lead}${edit.newText}${trail}`, cursorInNewText: lead.length + edit.cursorInNewText };
}

function newMarkdownGroup(selection: OffsetSelection, keys: string[], notes: CitationNotes): CitationEdit {
  const items = pandocItems(keys, notes);
  const newText = `[${items.text}]`;
  return { start: selection.start, end: selection.end, newText, cursorInNewText: newText.length, mode: 'new', skipped: [], notesDropped: false };
}

function replacePandocKey(group: GroupByOffsets, replaced: GroupCitation, keys: string[]): CitationEdit {
  const others = new Set(group.citations.filter((citation) => citation !== replaced).map((citation) => citation.key));
  const kept = keys.filter((key) => !others.has(key));
  const skipped = keys.filter((key) => others.has(key));
  // With every key cited elsewhere in the group, the selected one stays.
  if (kept.length === 0) return { start: replaced.tokenEnd, end: replaced.tokenEnd, newText: '', cursorInNewText: 0, mode: 'joined', groupStart: group.open, skipped, notesDropped: false };
  // From the `@` on: a `-` before it (suppress author) stays, and goes to the first new key.
  const newText = kept.map(pandocCitationToken).join('; ');
  return { start: replaced.at, end: replaced.tokenEnd, newText, cursorInNewText: newText.length, mode: 'joined', groupStart: group.open, skipped, notesDropped: false };
}

/**
 * The keys as items of `group`, placed by the item the cursor is in: the items are what lies
 * between the group's `[`, its `;` separators and its `]`. At an item's start (only white space
 * before the cursor in it) they go before the item; anywhere else in an item (its prefix, key or
 * locator) after it; in an empty item (`[@a; |]`, `[@a; see |]`) at the cursor.
 */
function joinPandocGroup(text: string, group: GroupByOffsets, cursor: number, keys: string[], notes: CitationNotes): CitationEdit {
  const cited = new Set(group.citations.map((citation) => citation.key));
  const added = keys.filter((key) => !cited.has(key));
  const skipped = keys.filter((key) => cited.has(key));
  const base = { mode: 'joined' as const, groupStart: group.open, skipped, notesDropped: false };
  if (added.length === 0) return { start: cursor, end: cursor, newText: '', cursorInNewText: 0, ...base };
  const items = itemsOf(text, group);
  const item = items.find((candidate) => candidate.start <= cursor && cursor <= candidate.end) ?? items[items.length - 1];
  const { text: itemText, keysEnd } = pandocItems(added, notes);
  const before = text.slice(item.start, cursor);
  if (item.citations === 0) {
    // An empty item, maybe with a prefix typed: the keys go at the cursor, spaced from what is there.
    const previous = text[cursor - 1];
    const next = text[cursor];
    const lead = cursor > group.open + 1 && !isSpace(previous) ? ' ' : '';
    const trail = cursor < item.end && !isSpace(next) ? ' ' : '';
    const newText = `${lead}${itemText}${trail}`;
    return { start: cursor, end: cursor, newText, cursorInNewText: lead.length + keysEnd, ...base };
  }
  if (/^\s*$/.test(before)) {
    let at = cursor;
    while (at < item.end && isSpace(text[at])) at++;
    const newText = `${itemText}; `;
    return { start: at, end: at, newText, cursorInNewText: keysEnd, ...base };
  }
  let end = item.end;
  while (end > item.start && isSpace(text[end - 1])) end--;
  const newText = `; ${itemText}`;
  return { start: end, end, newText, cursorInNewText: newText.length, ...base };
}

/**
 * The items of a group: the first `;` after each citation ends its item (Pandoc's suffix holds no
 * `;`); a `;` after the last citation opens an empty item, the one being typed.
 */
function itemsOf(text: string, group: GroupByOffsets): { start: number; end: number; citations: number }[] {
  const items: { start: number; end: number; citations: number }[] = [];
  let start = group.open + 1;
  group.citations.forEach((citation, index) => {
    const limit = index + 1 < group.citations.length ? group.citations[index + 1].tokenStart : group.close;
    const separator = text.indexOf(';', citation.tokenEnd);
    if (separator >= 0 && separator < limit) {
      items.push({ start, end: separator, citations: 1 });
      start = separator + 1;
    } else if (index + 1 === group.citations.length) {
      items.push({ start, end: group.close, citations: 1 });
      start = -1;
    } else {
      // Two citations with no `;` between (`[@a @b]`): one item, as far as placing goes.
      items.push({ start, end: limit, citations: 1 });
      start = limit;
    }
  });
  if (start >= 0) items.push({ start, end: group.close, citations: 0 });
  return items;
}

// ---------------------------------------------------------------------------------------------
// LaTeX

/**
 * The key group of the citing command that `offset` is in (its name, its notes, its keys, right
 * after its `}`), read from the whole note; failing that the key group it is in read from its line
 * alone, where a group still being typed (`\cite{a,` before a blank line) is open to the line's
 * end, as completion reads it.
 */
function latexGroupAt(text: string, offset: number): LatexKeyGroup | undefined {
  const whole = latexCitingCommandGroupAround(text, offset);
  if (whole) return whole;
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  let lineEnd = offset;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  const line = latexKeyGroupAround(text.slice(lineStart, lineEnd), offset - lineStart);
  if (!line) return undefined;
  return {
    contentStart: line.contentStart + lineStart,
    contentEnd: line.contentEnd + lineStart,
    closed: line.closed,
    keys: line.keys.map((key) => ({ key: key.key, start: key.start + lineStart, end: key.end + lineStart })),
  };
}

function latexInsertion(text: string, selection: OffsetSelection, keys: string[], options: CitationInsertionOptions): CitationEdit {
  let cursor = selection.end;
  if (selection.start !== selection.end) {
    // As in Markdown: a selection with an end inside a key list is not replaced, lest it break.
    const first = latexGroupAt(text, selection.start);
    const last = latexGroupAt(text, selection.end);
    if (!first && !last) return newLatexCommand(selection, keys, options);
    if (first && last && first.contentStart === last.contentStart) {
      const replaced = first.keys.find((key) => key.start === selection.start && key.end === selection.end);
      if (replaced) return replaceLatexKey(text, first, replaced, keys);
    }
  }
  const group = latexGroupAt(text, cursor);
  if (!group) {
    const at = outsideControlSequence(text, cursor);
    return newLatexCommand({ start: at, end: at }, keys, options);
  }
  // In the command's name or notes, or right after its `}` (`\cite{a}\cite{k}` is not meant): at the list's end.
  if (cursor < group.contentStart || cursor > group.contentEnd) cursor = group.contentEnd;
  return joinLatexGroup(text, group, cursor, keys, options);
}

const isControlWordChar = (char: string | undefined) => char !== undefined && /[A-Za-z@]/.test(char);

/**
 * `cursor`, or the backslash of the control sequence it would split or take an argument from:
 * `\ve|rb`, `\emph|{x}`, `\|%`, `\begin{verb|atim}` get the new command before them, while
 * after `\LaTeX| ` it goes where the cursor is.
 */
function outsideControlSequence(text: string, cursor: number): number {
  const environment = /\\(?:begin|end)[ \t]*\{[^{}\r\n]*$/.exec(text.slice(Math.max(0, cursor - 200), cursor));
  if (environment && /^[^{}\r\n]*\}/.test(text.slice(cursor, cursor + 200))) return cursor - environment[0].length;
  let nameStart = cursor;
  while (nameStart > 0 && isControlWordChar(text[nameStart - 1])) nameStart--;
  let backslashes = 0;
  while (nameStart - backslashes > 0 && text[nameStart - backslashes - 1] === '\\') backslashes++;
  // An even run is escaped backslashes (`\\`), no control sequence.
  if (backslashes % 2 === 0) return cursor;
  const backslash = nameStart - 1;
  if (nameStart === cursor) return backslash;
  const next = text[cursor];
  if (next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r' || next === '\\') return cursor;
  return backslash;
}

function newLatexCommand(selection: OffsetSelection, keys: string[], options: CitationInsertionOptions): CitationEdit {
  const command = normaliseLatexCommand(options.latexCommand);
  const newText = `\\${command}${latexNotes(options)}{${keys.join(',')}}`;
  return { start: selection.start, end: selection.end, newText, cursorInNewText: newText.length, mode: 'new', skipped: [], notesDropped: false };
}

/**
 * biblatex's and natbib's optional arguments: `[post]` alone, `[pre][]` for a prenote alone,
 * `[pre][post]` for both. `p. 3` is written `p.~3`, the tie LaTeX wants between a label and its
 * number; a `]` is put in braces so that it does not end the argument.
 */
function latexNotes(notes: CitationNotes): string {
  const prefix = notes.prefix?.trim() ?? '';
  const locator = cleanLocator(notes.locator).replace(/\.[ \t]+(?=\d)/g, '.~');
  const argument = (value: string) => `[${value.includes(']') ? `{${value}}` : value}]`;
  if (prefix) return `${argument(prefix)}${argument(locator)}`;
  return locator ? argument(locator) : '';
}

const isKeyListDelimiter = (char: string | undefined) => char === undefined || char === ',' || char === '{' || char === '}' || char === '%' || isSpace(char);

function joinLatexGroup(text: string, group: LatexKeyGroup, cursor: number, keys: string[], notes: CitationNotes): CitationEdit {
  const cited = new Set(group.keys.map((key) => key.key));
  const added = keys.filter((key) => !cited.has(key));
  const skipped = keys.filter((key) => cited.has(key));
  const notesDropped = !!(notes.prefix?.trim() || cleanLocator(notes.locator));
  const base = { mode: 'joined' as const, groupStart: group.contentStart - 1, skipped, notesDropped };
  if (added.length === 0) return { start: cursor, end: cursor, newText: '', cursorInNewText: 0, ...base };
  // Never inside a key: from the middle of one, the keys go after it.
  if (cursor > group.contentStart && !isKeyListDelimiter(text[cursor - 1])) {
    while (cursor < group.contentEnd && !isKeyListDelimiter(text[cursor])) cursor++;
  }
  let previous = cursor - 1;
  while (previous >= group.contentStart && isSpace(text[previous])) previous--;
  let next = cursor;
  while (next < group.contentEnd && isSpace(text[next])) next++;
  const content = text.slice(group.contentStart, group.contentEnd);
  const separator = /,[ \t]/.test(content) ? ', ' : ',';
  const lead = previous >= group.contentStart && text[previous] !== ',' ? separator : '';
  const trail = next < group.contentEnd && text[next] !== ',' ? separator : '';
  const inserted = added.join(separator);
  const newText = `${lead}${inserted}${trail}`;
  return { start: cursor, end: cursor, newText, cursorInNewText: lead.length + inserted.length, ...base };
}

function replaceLatexKey(text: string, group: LatexKeyGroup, replaced: { key: string; start: number; end: number }, keys: string[]): CitationEdit {
  const others = new Set(group.keys.filter((key) => key !== replaced).map((key) => key.key));
  const kept = keys.filter((key) => !others.has(key));
  const skipped = keys.filter((key) => others.has(key));
  const base = { mode: 'joined' as const, groupStart: group.contentStart - 1, skipped, notesDropped: false };
  if (kept.length === 0) return { start: replaced.end, end: replaced.end, newText: '', cursorInNewText: 0, ...base };
  const separator = /,[ \t]/.test(text.slice(group.contentStart, group.contentEnd)) ? ', ' : ',';
  const newText = kept.join(separator);
  return { start: replaced.start, end: replaced.end, newText, cursorInNewText: newText.length, ...base };
}

// ---------------------------------------------------------------------------------------------
// What a person types for the notes

/**
 * Locator labels Pandoc recognises (its manual, "Citation syntax": the CSL locator terms, in full
 * and abbreviated, singular and plural), longest first so `pp.` is not read as `p.`.
 */
const LOCATOR_LABELS = [
  'book', 'books', 'bk.', 'bks.', 'chapter', 'chapters', 'chap.', 'chaps.', 'column', 'columns', 'col.', 'cols.',
  'figure', 'figures', 'fig.', 'figs.', 'folio', 'folios', 'fol.', 'fols.', 'number', 'numbers', 'no.', 'nos.',
  'line', 'lines', 'l.', 'll.', 'note', 'notes', 'n.', 'nn.', 'opus', 'opera', 'op.', 'opp.', 'page', 'pages', 'p.', 'pp.',
  'paragraph', 'paragraphs', 'para.', 'paras.', '¶¶', '¶', '§§', '§', 'part', 'parts', 'pt.', 'pts.',
  'section', 'sections', 'sec.', 'secs.', 'sub verbo', 'sub verbis', 's.v.', 's.vv.', 'verse', 'verses', 'v.', 'vv.',
  'volume', 'volumes', 'vol.', 'vols.',
].sort((a, b) => b.length - a.length);

/** Whether `text` reads as a locator: a number, or a locator label followed by a space, a number or nothing. */
export function looksLikeLocator(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (/^\d/.test(value)) return true;
  return LOCATOR_LABELS.some((label) => value.startsWith(label) && (value.length === label.length || /[\s\d]/.test(value[label.length]) || label.endsWith('.') || label.startsWith('¶') || label.startsWith('§')));
}

/**
 * What a person typed after choosing the papers, as notes: `p. 3` (a number or a locator label
 * first) is a locator, `see` a prefix, `see, p. 3` both (the first comma after which a locator
 * follows divides them). Empty input: no notes.
 */
export function parseCitationNotes(input: string): CitationNotes {
  const value = input.trim();
  if (!value) return {};
  if (looksLikeLocator(value)) return { locator: value };
  for (let comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
    const rest = value.slice(comma + 1);
    if (rest.trim() && looksLikeLocator(rest)) return { prefix: value.slice(0, comma).trim(), locator: rest.trim() };
  }
  return { prefix: value };
}
