/**
 * Pandoc's `@key` citations in Markdown notes (so notes render with `pandoc --citeproc` or Quarto),
 * read as `pandoc -f markdown` reads them: test/unit/pandocCitations.test.ts compares this scanner
 * with Pandoc itself on real documents and on generated ones.
 *
 * Two passes. The block pass walks the lines as Pandoc's block parser would and keeps only the
 * text Pandoc reads as inlines: code blocks (fenced, indented, inside list items), raw HTML
 * comments and `<pre>`/`<script>`/`<style>`/`<textarea>` blocks, raw LaTeX environments, link
 * reference definitions, fenced-div and list markers are left out; YAML metadata values are kept,
 * since Pandoc reads them as Markdown. It also collects example-list labels `(@label)`, because a
 * bare `@label` anywhere in the document then refers to the example, not a paper. The inline pass
 * reads each paragraph as one string, so code spans, math and HTML may wrap lines.
 */
import { splitLines } from '../shared/text';
import { Citation } from './citation';

/** Characters Pandoc allows inside a key when a letter, digit or `_` follows. */
const INTERNAL_PUNCTUATION = ':.#$%&-+?<>~/';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Haskell's `isAlphaNum` (Unicode letters and numbers), on the code point at `at`. */
function isAlphanumericAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (Number.isNaN(code)) return false;
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(at)!));
}

/** Whether the code point ending right before `at` is a letter or digit. */
function isAlphanumericBefore(text: string, at: number): boolean {
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) return isAlphanumericAt(text, at - 2);
  return isAlphanumericAt(text, at - 1);
}

function codeUnitsAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}

/** Pandoc's `regchar`: a letter, digit or `_`. */
function isKeyCharAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === 0x5f || isAlphanumericAt(text, at);
}

/**
 * The end (exclusive) of a Pandoc key that starts at `start`, which holds a letter, digit, `_` or
 * `*`: Pandoc's `simpleCiteIdentifier`. Internal punctuation needs a letter, digit or `_` after it,
 * except `:` and `/` before a `/`, so `@https://example.org/a` is one key.
 */
export function pandocKeyEnd(line: string, start: number): number {
  let i = start + codeUnitsAt(line, start);
  while (i < line.length) {
    if (isKeyCharAt(line, i)) { i += codeUnitsAt(line, i); continue; }
    const char = line[i];
    if (INTERNAL_PUNCTUATION.includes(char) && isKeyCharAt(line, i + 1)) { i++; continue; }
    if ((char === ':' || char === '/') && line[i + 1] === '/') { i++; continue; }
    break;
  }
  return i;
}

/** Quarto's cross-reference prefixes: `@fig-x` names a figure, resolved by Quarto, not a paper. */
const CROSS_REFERENCE = /^(?:fig|tbl|sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|apx)-/;

/** Whether `key` is a Quarto cross-reference (`@fig-x`, `@tbl-x`, `@sec-x`, `@eq-x`, ...) rather than a citation. */
export function isCrossReferenceKey(key: string): boolean {
  return CROSS_REFERENCE.test(key);
}

/** A run of text Pandoc reads as inlines: part of `lines[line]` from column `from`. */
interface Segment { line: number; from: number }

/** The width of leading white space in columns (a tab to the next multiple of 4) and where the text starts. */
function indentation(line: string, from: number): { columns: number; end: number } {
  let columns = 0;
  let i = from;
  for (; i < line.length; i++) {
    if (line[i] === ' ') columns++;
    else if (line[i] === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return { columns, end: i };
}

function isBlank(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) if (line[i] !== ' ' && line[i] !== '\t') return false;
  return true;
}

/**
 * A code fence opening at `at`: three or more backticks or tildes, then nothing, attributes in
 * braces, or one word (Pandoc's rule: ```` ``` x ``` ```` on one line is a code span, not a fence).
 * Braces may hold anything, as in R Markdown and Quarto chunk headers ```` ```{r, echo=FALSE} ````.
 */
const FENCE_OPEN = /^(`{3,}|~{3,})[ \t]*(?:\{[^\n]*\}|[^ \t{][^ \t]*)?[ \t]*$/;
const LIST_MARKER = /^(?:[*+:~-]|\(?(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+|@[\p{L}\p{N}_-]*)[.)])(?=[ \t]|$)/u;
const REFERENCE_DEFINITION = /^\[(?!\^)(?:[^\]\\]|\\.)+\]:/;
const RAW_HTML_BLOCK = /^<(pre|script|style|textarea)(?=[\s>]|$)/i;
const HEADING_ATTRIBUTES = /\{(?:[^{}"']|"[^"]*"|'[^']*')*\}[ \t]*$/;
const LATEX_ENVIRONMENT = /^\\begin\{([^}\s]+)\}/;

interface ListItem { markerColumn: number; contentColumn: number }

/** What the block pass found: the paragraphs to read as inlines, and the example labels. */
interface Blocks { paragraphs: Segment[][]; exampleLabels: Set<string> }

class BlockReader {
  readonly paragraphs: Segment[][] = [];
  readonly exampleLabels = new Set<string>();
  private paragraph: Segment[] | undefined;
  private fence: { char: string; length: number; quoteDepth: number } | undefined;
  /** How many `>` the current line is quoted in. */
  private quoteDepth = 0;
  /** Text that ends a raw block (`-->`, `</pre>`, `\end{x}`), lower-cased for HTML. */
  private rawEnd: { text: string; ignoreCase: boolean } | undefined;
  private indentedCodeBase: number | undefined;
  private lists: ListItem[] = [];
  private afterBlank = true;

  constructor(private readonly lines: string[]) {}

  read(): Blocks {
    const { lines } = this;
    for (let n = 0; n < lines.length; n++) {
      if ((n === 0 || this.afterBlank) && !this.fence && !this.rawEnd && this.indentedCodeBase === undefined) {
        const yamlEnd = this.yamlBlockEnd(n);
        if (yamlEnd !== undefined) { this.closeParagraph(); this.readYaml(n + 1, yamlEnd); n = yamlEnd; this.afterBlank = false; continue; }
      }
      this.readLine(n, 0);
    }
    this.closeParagraph();
    return { paragraphs: this.paragraphs, exampleLabels: this.exampleLabels };
  }

  /** Reads `lines[n]` from column `from` (past a YAML block scalar's indentation, say). */
  private readLine(n: number, from: number): void {
    const line = this.lines[n];
    if (this.fence) {
      let { end } = indentation(line, from);
      // A fence opened in a block quote closes there too.
      for (let depth = 0; depth < this.fence.quoteDepth && line[end] === '>'; depth++) {
        end++;
        if (line[end] === ' ') end++;
        ({ end } = indentation(line, end));
      }
      let run = 0;
      while (line[end + run] === this.fence.char) run++;
      if (run >= this.fence.length && isBlank(line, end + run)) this.fence = undefined;
      return;
    }
    if (this.rawEnd) {
      const haystack = this.rawEnd.ignoreCase ? line.toLowerCase() : line;
      const close = haystack.indexOf(this.rawEnd.text, from);
      if (close < 0) return;
      const rest = close + this.rawEnd.text.length;
      this.rawEnd = undefined;
      if (!isBlank(line, rest)) this.addToParagraph(n, rest);
      return;
    }
    if (isBlank(line, from)) {
      this.closeParagraph();
      this.afterBlank = true;
      return;
    }
    let { columns, end } = indentation(line, from);
    // Block quotes: their content is read as if the `>` were not there.
    this.quoteDepth = 0;
    while (columns < 4 && line[end] === '>') {
      this.quoteDepth++;
      end++;
      if (line[end] === ' ') end++;
      ({ columns, end } = indentation(line, end));
    }
    if (this.indentedCodeBase !== undefined) {
      if (columns >= this.indentedCodeBase + 4) return;
      this.indentedCodeBase = undefined;
    }
    const afterBlank = this.afterBlank;
    this.afterBlank = false;
    if (this.paragraph) {
      // A paragraph goes on over its next line unless a backtick fence, a list item (in a list)
      // or a fenced div's closing line interrupts it.
      if (line[end] === '`' && FENCE_OPEN.test(line.slice(end))) { this.closeParagraph(); this.openFence(line, end); return; }
      if (line.startsWith(':::', end)) { this.closeParagraph(); return; }
      const definition = /^[:~](?=[ \t])/.test(line.slice(end));
      if (this.lists.length > 0 || definition) {
        const marker = LIST_MARKER.exec(line.slice(end));
        if (marker) { this.closeParagraph(); this.listItem(n, columns, end, marker[0]); return; }
      }
      this.paragraph.push({ line: n, from: end });
      return;
    }
    const marker = LIST_MARKER.exec(line.slice(end));
    if (afterBlank || marker) {
      while (this.lists.length > 0 && this.lists[this.lists.length - 1].contentColumn > columns) this.lists.pop();
    }
    const base = this.lists.length > 0 ? this.lists[this.lists.length - 1].contentColumn : 0;
    if (columns >= base + 4 && (afterBlank || n === 0)) { this.indentedCodeBase = base; return; }
    if (marker && columns < base + 4) { this.listItem(n, columns, end, marker[0]); return; }
    this.blockStart(n, end);
  }

  /** A list item's marker: the item's content is read from after it, as a block of its own. */
  private listItem(n: number, columns: number, end: number, marker: string): void {
    const line = this.lines[n];
    if (marker.includes('@')) {
      const label = /@([\p{L}\p{N}_-]*)/u.exec(marker)![1];
      if (label) this.exampleLabels.add(label);
    }
    while (this.lists.length > 0 && this.lists[this.lists.length - 1].markerColumn >= columns) this.lists.pop();
    const afterMarker = end + marker.length;
    const content = indentation(line, afterMarker);
    // Pandoc reads an item's later blocks from at most four columns past the marker's start.
    const contentColumn = columns + Math.min(4, marker.length + (content.columns > 4 || content.end === line.length ? 1 : content.columns));
    this.lists.push({ markerColumn: columns, contentColumn });
    if (content.end < line.length) this.blockStart(n, content.end);
  }

  /** The first line of a block that is no list item and no indented code, at column `at`. */
  private blockStart(n: number, at: number): void {
    const line = this.lines[n];
    const rest = line.slice(at);
    if ((rest[0] === '`' || rest[0] === '~') && FENCE_OPEN.test(rest)) { this.openFence(line, at); return; }
    if (rest.startsWith(':::')) return;
    if (REFERENCE_DEFINITION.test(rest)) return;
    if (rest.startsWith('<!--')) {
      const close = line.indexOf('-->', at + 4);
      if (close < 0) { this.rawEnd = { text: '-->', ignoreCase: false }; return; }
      if (!isBlank(line, close + 3)) this.addToParagraph(n, close + 3);
      return;
    }
    const html = RAW_HTML_BLOCK.exec(rest);
    if (html) { this.rawEnd = { text: `</${html[1].toLowerCase()}>`, ignoreCase: true }; this.readLine(n, at + html[0].length); return; }
    const latex = LATEX_ENVIRONMENT.exec(rest);
    if (latex) { this.rawEnd = { text: `\\end{${latex[1]}}`, ignoreCase: false }; this.readLine(n, at + latex[0].length); return; }
    this.addToParagraph(n, at);
  }

  private openFence(line: string, at: number): void {
    let length = 0;
    while (line[at + length] === line[at]) length++;
    this.fence = { char: line[at], length, quoteDepth: this.quoteDepth };
  }

  private addToParagraph(n: number, from: number): void {
    if (!this.paragraph) this.paragraph = [];
    this.paragraph.push({ line: n, from });
    // An ATX heading is one line, its attributes are no text, and what follows is a block of its own.
    if (this.lines[n][from] === '#' && this.paragraph.length === 1) {
      const attributes = HEADING_ATTRIBUTES.exec(this.lines[n]);
      if (attributes && attributes.index > from) this.lineCuts.set(n, attributes.index);
      this.closeParagraph();
    }
  }

  private closeParagraph(): void {
    if (this.paragraph) this.paragraphs.push(this.paragraph);
    this.paragraph = undefined;
  }

  /**
   * The closing line of a YAML metadata block opening at line `n` (`---` alone, then a non-blank
   * line, closed by `---` or `...`), or undefined when no such block opens there.
   */
  private yamlBlockEnd(n: number): number | undefined {
    const { lines } = this;
    if (lines[n].trimEnd() !== '---' || n + 1 >= lines.length || isBlank(lines[n + 1], 0)) return undefined;
    for (let end = n + 1; end < lines.length; end++) {
      const closing = lines[end].trimEnd();
      if (closing === '---' || closing === '...') return end;
    }
    return undefined;
  }

  /**
   * YAML metadata: Pandoc reads every string value as Markdown, so the values (plain, quoted and
   * block scalars, in maps and lists) are read as paragraphs; keys are not, nor the values of keys
   * ending in `_`, which Pandoc ignores, nor comments.
   */
  private readYaml(first: number, end: number): void {
    const { lines } = this;
    for (let n = first; n < end; n++) {
      const line = lines[n];
      let { columns, end: at } = indentation(line, 0);
      if (line[at] === '#') continue;
      while (line[at] === '-' && (line[at + 1] === ' ' || at + 1 === line.length)) ({ columns, end: at } = indentation(line, at + 1));
      const key = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:"'[{][^:#]*?)[ \t]*:(?=[ \t]|$)/.exec(line.slice(at));
      let valueStart = at;
      if (key) {
        const ignored = key[0].replace(/[ \t]*:$/, '').replace(/^["']|["']$/g, '').endsWith('_');
        valueStart = indentation(line, at + key[0].length).end;
        if (/^[|>][0-9+-]*[ \t]*(?:#.*)?$/.test(line.slice(valueStart))) {
          // A block scalar: the more indented lines that follow are its text.
          let last = n;
          while (last + 1 < end && (isBlank(lines[last + 1], 0) || indentation(lines[last + 1], 0).columns > columns)) last++;
          if (!ignored && last > n) this.readYamlBlockScalar(n + 1, last);
          n = last;
          continue;
        }
        if (ignored) {
          while (n + 1 < end && !isBlank(lines[n + 1], 0) && indentation(lines[n + 1], 0).columns > columns) n++;
          continue;
        }
      }
      if (valueStart >= line.length) continue;
      const value = line.slice(valueStart);
      if (value[0] === '"' || value[0] === "'") {
        const close = value[0] === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(value) : /^'(?:[^']|'')*'/.exec(value);
        if (close) this.lineCuts.set(n, valueStart + close[0].length - 1);
        this.paragraph = [{ line: n, from: valueStart + 1 }];
        if (value[0] === '"') this.yamlDoubleQuoted.add(this.paragraphs.length);
        this.closeParagraph();
        continue;
      }
      const comment = value.search(/[ \t]#/);
      this.paragraph = [{ line: n, from: valueStart }];
      if (comment >= 0) this.lineCuts.set(n, valueStart + comment);
      this.closeParagraph();
    }
  }

  /** Where a line's inline text ends early (a YAML comment or closing quote, a heading's attributes). */
  readonly lineCuts = new Map<number, number>();
  /** The paragraphs that are YAML double-quoted strings, whose `\\` is one backslash to Markdown. */
  readonly yamlDoubleQuoted = new Set<number>();

  private readYamlBlockScalar(first: number, last: number): void {
    let indent = Infinity;
    for (let n = first; n <= last; n++) if (!isBlank(this.lines[n], 0)) indent = Math.min(indent, indentation(this.lines[n], 0).end);
    const saved = { lists: this.lists, afterBlank: this.afterBlank };
    this.lists = [];
    this.afterBlank = true;
    for (let n = first; n <= last; n++) this.readLine(n, Math.min(indent, this.lines[n].length));
    this.closeParagraph();
    this.fence = undefined;
    this.rawEnd = undefined;
    this.indentedCodeBase = undefined;
    this.lists = saved.lists;
    this.afterBlank = saved.afterBlank;
  }
}

/**
 * Pandoc citations in a Markdown note, as `pandoc -f markdown` reads them: not in code, math, raw
 * HTML or LaTeX, link destinations or attributes; not `\@`, not after a letter, digit or `.` (an
 * e-mail address), and not a reference to an example-list item. Quarto's cross-references
 * (`@fig-x`) are reported with `crossReference` set.
 */
export function scanMarkdownCitations(text: string): Citation[] {
  return scanMarkdown(text, undefined);
}

/** A place in a note: 0-based line and UTF-16 column. */
export interface LinePosition { line: number; character: number }

/**
 * A bracketed citation group `[see @a, p. 3; @b]` as the scanner reads it: where its `[` and `]`
 * are, and its citations in text order. Insert Citation joins a group the cursor is in.
 */
export interface PandocCitationGroup {
  open: LinePosition;
  close: LinePosition;
  citations: Citation[];
}

/**
 * The bracketed citation groups of a Markdown note, read by the same rules as
 * scanMarkdownCitations: a bracket that holds citations and is no footnote, link or span. Like
 * the scanner (and unlike Pandoc), it counts `[@a; ]` as a group, the one being typed.
 */
export function pandocCitationGroups(text: string): PandocCitationGroup[] {
  const groups: PandocCitationGroup[] = [];
  scanMarkdown(text, groups);
  return groups;
}

function scanMarkdown(text: string, groups: PandocCitationGroup[] | undefined): Citation[] {
  if (text.indexOf('@') < 0) return [];
  const lines = splitLines(text);
  const reader = new BlockReader(lines);
  const { paragraphs, exampleLabels } = reader.read();
  const citations: Citation[] = [];
  for (let p = 0; p < paragraphs.length; p++) {
    const paragraph = paragraphs[p];
    let hasAt = false;
    for (const { line, from } of paragraph) if (lines[line].indexOf('@', from) >= 0) { hasAt = true; break; }
    if (hasAt) new InlineScanner(lines, paragraph, exampleLabels, reader.lineCuts, reader.yamlDoubleQuoted.has(p), citations, groups).scan();
  }
  return citations;
}

const AUTOLINK = /^<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>/;
const HTML_TAG = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/;

interface OpenBracket { at: number; citations: Citation[]; note: boolean; locator: boolean }

/** The inline pass over one paragraph, read as one string with `\n` between its lines. */
class InlineScanner {
  private readonly text: string;
  /** Where each segment starts in `text`. */
  private readonly starts: number[] = [];
  private readonly brackets: OpenBracket[] = [];
  private readonly found: Citation[] = [];
  /** Whether an outer bracket settled after an inner one, so `found` needs sorting. */
  private outOfOrder = false;
  /** Where the last emphasis closer ended: Pandoc takes no citation right after one. */
  private emphasisEnd = -1;
  private segmentCursor = 0;
  /** Where the last citation outside brackets ended. */
  private textualEnd = -1;
  /** The lengths of the open `*` and `_` runs, innermost last. */
  private readonly openers: Record<'*' | '_', number[]> = { '*': [], '_': [] };

  constructor(
    lines: string[],
    private readonly segments: Segment[],
    private readonly exampleLabels: Set<string>,
    lineCuts: Map<number, number>,
    /** A YAML double-quoted string: `\\` in it is the backslash Markdown sees, any other escape is YAML's. */
    private readonly yamlDoubleQuoted: boolean,
    private readonly out: Citation[],
    /** Where the bracketed groups go, when someone asks for them. */
    private readonly groups?: PandocCitationGroup[],
  ) {
    const parts: string[] = [];
    let offset = 0;
    for (const { line, from } of segments) {
      const cut = lineCuts.get(line);
      const part = lines[line].slice(from, cut !== undefined && cut >= from ? cut : undefined);
      this.starts.push(offset);
      parts.push(part);
      offset += part.length + 1;
    }
    this.text = parts.join('\n');
  }

  scan(): void {
    const { text } = this;
    const special = /[\\`$<[\]*_@]/g;
    for (let i = 0; ; i++) {
      // Only these characters start anything that matters; the text between them is skipped at once.
      special.lastIndex = i;
      const next = special.exec(text);
      if (!next) break;
      i = next.index;
      const char = text[i];
      switch (char) {
        case '\\': i = this.backslash(i); break;
        case '`': i = this.codeSpan(i); break;
        case '$': i = this.math(i); break;
        case '<': i = this.angle(i); break;
        case '[':
          this.brackets.push({ at: i, citations: [], note: text[i - 1] === '^' || text[i + 1] === '^', locator: this.followsTextualCitation(i) });
          break;
        case ']': i = this.closeBracket(i); break;
        case '*': case '_': i = this.emphasisRun(i, char); break;
        case '@': i = this.at(i); break;
        default: break;
      }
    }
    // Brackets never closed held textual citations after all.
    for (const bracket of this.brackets) this.settle(bracket.citations, false);
    // A bracket's citations are settled when it closes, after any inner bracket's.
    if (this.outOfOrder) this.found.sort((a, b) => a.line - b.line || a.start - b.start);
    for (const citation of this.found) this.out.push(citation);
  }

  /** `\@` and other escapes, and raw LaTeX commands with their arguments. */
  private backslash(i: number): number {
    const { text } = this;
    if (this.yamlDoubleQuoted) {
      if (text[i + 1] !== '\\') return i + 1;
      // YAML's `\\` is one backslash, which escapes the (YAML-decoded) character after it.
      i++;
      if (text[i + 1] === '\\') return text[i + 2] === '\\' ? i + 2 : i + 1;
    }
    const next = text[i + 1];
    if (next === undefined) return i;
    if (/[A-Za-z]/.test(next)) {
      let end = i + 2;
      while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
      const name = text.slice(i + 1, end);
      if (name === 'begin') {
        const env = /^\{([^}\s]+)\}/.exec(text.slice(end));
        if (env) {
          const close = text.indexOf(`\\end{${env[1]}}`, end);
          return close < 0 ? text.length : close + env[1].length + 6;
        }
      }
      // Raw LaTeX: the command and its [optional] and {braced} arguments, read by Pandoc as raw TeX.
      for (;;) {
        const open = text[end];
        if (open !== '{' && open !== '[') break;
        const close = balancedEnd(text, end, open, open === '{' ? '}' : ']');
        if (close < 0) break;
        end = close + 1;
      }
      return end - 1;
    }
    if (next === '(' || next === '[') {
      // \( \) and \[ \] are not math in Pandoc's Markdown by default: plain escapes.
      return i + 1;
    }
    return i + codeUnitsAt(text, i + 1);
  }

  /** A code span: a run of n backticks up to the next run of exactly n, in the same paragraph. */
  private codeSpan(i: number): number {
    const { text } = this;
    let run = 1;
    while (text[i + run] === '`') run++;
    let search = i + run;
    for (;;) {
      const close = text.indexOf('`', search);
      if (close < 0) return i + run - 1;
      let closeRun = 1;
      while (text[close + closeRun] === '`') closeRun++;
      if (closeRun === run) return this.attributesAfter(close + run) - 1;
      search = close + closeRun;
    }
  }

  /** `$math$` (no space inside either end, no digit after) and `$$display math$$`. */
  private math(i: number): number {
    const { text } = this;
    if (text[i + 1] === '$') {
      const close = text.indexOf('$$', i + 2);
      return close < 0 ? i + 1 : close + 1;
    }
    const first = text[i + 1];
    if (first === undefined || first === ' ' || first === '\t' || first === '\n') return i;
    for (let j = i + 1; j < text.length; j++) {
      const char = text[j];
      if (char === '\\') { j++; continue; }
      if (char === '\n' && text[j + 1] === '\n') return i;
      if (char !== '$') continue;
      const before = text[j - 1];
      if (before === ' ' || before === '\t' || before === '\n') continue;
      if (/[0-9]/.test(text[j + 1] ?? '')) continue;
      return j;
    }
    return i;
  }

  /** Autolinks, HTML comments and tags: raw, never read for citations. */
  private angle(i: number): number {
    const { text } = this;
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      return close < 0 ? text.length : close + 2;
    }
    const rest = text.slice(i, i + 2048);
    const link = AUTOLINK.exec(rest);
    if (link) return i + link[0].length - 1;
    const tag = HTML_TAG.exec(rest);
    if (tag) return i + tag[0].length - 1;
    return i;
  }

  /** `]`: a link's destination or a span's attributes may follow; a bracket of citations closes. */
  private closeBracket(i: number): number {
    const { text } = this;
    const bracket = this.brackets.pop();
    const next = text[i + 1];
    if (bracket) {
      const bracketed = !bracket.note && next !== '(' && next !== '[' && next !== '{';
      this.settle(bracket.citations, bracketed);
      if (this.groups && bracketed && bracket.citations.length > 0) {
        this.groups.push({ open: this.positionOf(bracket.at), close: this.positionOf(i), citations: bracket.citations });
      }
    }
    if (next === '(') {
      const close = balancedEnd(text, i + 1, '(', ')');
      if (close >= 0) return this.attributesAfter(close + 1) - 1;
    }
    // `@key [p. 3]{...}`: Pandoc reads the bracket as the citation's locator, the braces as text.
    if (bracket?.locator && next === '{') return i;
    return this.attributesAfter(i + 1) - 1;
  }

  /** Whether the `[` at `at` follows a bare citation across spaces and at most one line break (Pandoc's `bareloc`). */
  private followsTextualCitation(at: number): boolean {
    if (this.textualEnd < 0 || this.text[at + 1] === '^') return false;
    const between = this.text.slice(this.textualEnd, at);
    return /^[ \t]*\n?[ \t]*$/.test(between);
  }

  /** Past `{#id .class key="value"}` right at `at`, if there. */
  private attributesAfter(at: number): number {
    if (this.text[at] !== '{') return at;
    const close = attributesEnd(this.text, at);
    return close < 0 ? at : close + 1;
  }

  /**
   * A run of `*` or `_`. Only whether it closes an emphasis matters here: Pandoc takes no
   * citation right after a closer (`*word*@key`), and takes one after anything else (`_@key`).
   */
  private emphasisRun(i: number, char: '*' | '_'): number {
    const { text } = this;
    let end = i + 1;
    while (text[end] === char) end++;
    const run = end - i;
    const open = this.openers[char];
    const top = open[open.length - 1];
    const canClose = top !== undefined && (char === '*' || !isAlphanumericAt(text, end));
    const canOpen = end < text.length && !/\s/.test(text[end]) && (char === '*' || !isAlphanumericBefore(text, i));
    // Pandoc closes an open emphasis at a run of its length, space before it or not (`_a _@key`);
    // `**` inside `*...` opens a strong emphasis instead.
    if (canClose && run === top) {
      open.pop();
      this.emphasisEnd = end;
    } else if (canOpen) {
      open.push(Math.min(run, 3));
    } else if (canClose && run > top) {
      open.pop();
      this.emphasisEnd = end;
    }
    return end - 1;
  }

  private at(i: number): number {
    const { text } = this;
    if (this.emphasisEnd === i || isAlphanumericBefore(text, i) || (text[i - 1] === '.' && text[i - 2] !== '\\')) return i;
    const dash = text[i - 1] === '-' && text[i - 2] !== '\\' && text[i - 2] !== '-' && !isAlphanumericBefore(text, i - 1) && text[i - 2] !== '.';
    let start: number;
    let end: number;
    let braced = false;
    if (text[i + 1] === '{') {
      const close = balancedEnd(text, i + 1, '{', '}');
      if (close < 0 || /\s/.test(text.slice(i + 2, close))) return i;
      start = i + 2;
      end = close;
      braced = true;
      // An empty key `@{}` names nothing (Pandoc reads a citation with an empty id).
      if (start === end) return close;
    } else {
      const first = text[i + 1];
      if (first === undefined || (first !== '*' && !isKeyCharAt(text, i + 1))) return i;
      start = i + 1;
      end = pandocKeyEnd(text, start);
    }
    const key = text.slice(start, end);
    const citation = this.citation(key, start, end);
    if (braced) citation.braced = true;
    if (dash) citation.suppressAuthor = true;
    const bracket = this.brackets[this.brackets.length - 1];
    if (bracket && !bracket.note) bracket.citations.push(citation);
    else this.settle([citation], false);
    // A reference to an example takes no locator: a bracket after it is a span or text.
    if (!bracket) this.textualEnd = this.exampleLabels.has(key) ? -1 : braced ? end + 1 : end;
    return (braced ? end + 1 : end) - 1;
  }

  /** The line and column of an offset into the paragraph's text. */
  private positionOf(offset: number): LinePosition {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    const segment = this.segments[low];
    return { line: segment.line, character: offset - this.starts[low] + segment.from };
  }

  private citation(key: string, start: number, end: number): Citation {
    // Keys are met in order, so the segment only moves forward.
    let segment = this.segmentCursor;
    while (segment + 1 < this.starts.length && this.starts[segment + 1] <= start) segment++;
    this.segmentCursor = segment;
    const offset = this.segments[segment].from - this.starts[segment];
    const citation: Citation = { key, line: this.segments[segment].line, start: start + offset, end: end + offset, syntax: 'pandoc' };
    if (isCrossReferenceKey(key)) citation.crossReference = true;
    return citation;
  }

  /** Citations whose bracket is now known: in a `[...]` citation group or bare (textual). */
  private settle(citations: Citation[], bracketed: boolean): void {
    for (const citation of citations) {
      if (bracketed) citation.bracketed = true;
      // A bare `@label` of an example-list item is a reference to the example.
      else if (this.exampleLabels.has(citation.key)) continue;
      const last = this.found[this.found.length - 1];
      if (last && (last.line > citation.line || (last.line === citation.line && last.start > citation.start))) this.outOfOrder = true;
      this.found.push(citation);
    }
  }
}

/** The index of the `close` matching the `open` at `at` (nested pairs balanced, `\` escapes), or -1. */
function balancedEnd(text: string, at: number, open: string, close: string): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') { i++; continue; }
    if (char === open) depth++;
    else if (char === close && --depth === 0) return i;
  }
  return -1;
}

/** The `}` ending attributes that open at `at`, quoted values skipped, or -1. */
function attributesEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (char === '}') return i;
    else if (char === '{') return -1;
  }
  return -1;
}

/**
 * Whether `character` of `line` lies in text Pandoc reads as inlines (a paragraph, heading, list
 * item, table, YAML value), not in a code block, an HTML comment or raw HTML/LaTeX block: where
 * completion may offer citation keys. Block level only; a code span within a line is not seen.
 */
export function isMarkdownProseAt(text: string, line: number, character: number): boolean {
  const lines = splitLines(text);
  if (line < 0 || line >= lines.length) return false;
  const { paragraphs } = new BlockReader(lines).read();
  for (const paragraph of paragraphs) {
    for (const segment of paragraph) if (segment.line === line && segment.from <= character) return true;
  }
  return false;
}
