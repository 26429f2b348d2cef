/**
 * A BibTeX and BibLaTeX file, read the way BibTeX and biber read it, keeping where everything is.
 *
 * - Entries are `@type{key, field = value, ...}` or with parentheses; `@string{name = value}`
 *   defines a macro (the twelve month macros `jan`...`dec` are predefined), `@preamble` and
 *   `@comment` (JabRef's and Better BibTeX's metadata blocks) are skipped with their balanced
 *   braces; text between entries is a comment, as in BibTeX.
 * - A value is `{...}` with balanced braces, `"..."` (braces inside balance, so `"{"}"` is a
 *   quote), a number, or a macro name, and parts are joined with `#`. Field names and macro names
 *   are case-insensitive; field values keep their TeX, which texText.ts turns into display text.
 * - `crossref` (and biblatex's `xdata`): an entry inherits the fields it lacks from the entry it
 *   names, and the parent's `title` becomes the child's `booktitle` (biblatex's default
 *   inheritance for the common case of a chapter or paper in a book or proceedings).
 *
 * Broken files are the normal case while a person types, so nothing here throws: each problem
 * (braces that never close, a missing key, a duplicate key, an unknown `@string`, a field without
 * `=`) is reported with its place, and the rest of the file still counts. An entry whose braces do
 * not close before a line that starts a new entry (`@article{` at the start of a line) ends there;
 * that is where a person who forgot a brace expects it to end.
 *
 * Speed: a 20,000-entry file is read in one pass over its characters (a state machine on char
 * codes, no regular expression per character); see `npm run bench`.
 */

export interface BibtexEntry {
  /** Lower case: `article`, `inproceedings`, `online`. */
  type: string;
  /** As written; empty when the entry has none (a problem is reported). */
  key: string;
  /** Offsets in the file's text: from the `@` to just after the closing brace. */
  start: number;
  end: number;
  keyStart: number;
  keyEnd: number;
  /** Field values (TeX, macros expanded, delimiters removed) by lower-case name, crossrefs resolved. */
  fields: Map<string, string>;
}

export interface BibtexProblem {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedBibtex {
  entries: BibtexEntry[];
  problems: BibtexProblem[];
}

const MONTHS: [string, string][] = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
  .map((month, i): [string, string] => [month.slice(0, 3), String(i + 1)]);

const enum Code {
  Tab = 9, LineFeed = 10, CarriageReturn = 13, Space = 32, Quote = 34, Hash = 35, OpenParen = 40, CloseParen = 41,
  Comma = 44, Equals = 61, At = 64, Backslash = 92, OpenBrace = 123, CloseBrace = 125,
}

/**
 * True when an entry starts at `at`: `@`, spaces, a type (a letter, then letters, digits, `_`,
 * `-`), spaces and line breaks, `{` or `(`. By char codes: this runs at every line that starts
 * with `@`, on every edit of a large file.
 */
export function entryStartsAt(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== Code.At) return false;
  let i = at + 1;
  while (text.charCodeAt(i) === Code.Space || text.charCodeAt(i) === Code.Tab) i++;
  const first = text.charCodeAt(i) | 0x20;
  if (first < 97 || first > 122) return false;
  i++;
  while (i < text.length && (isNameChar(text.charCodeAt(i)))) i++;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const open = text.charCodeAt(i);
  return open === Code.OpenBrace || open === Code.OpenParen;
}
/** What a braced or quoted value's scan stops at; everything else is skipped by the regex engine. */
const DELIMITED_STOP = /[{}\\"\n]/g;

/**
 * A file's text cut where entries start: at every line that begins with `@type{` (or `@type(`).
 * The reader never reads across such a line (a value or group not closed before it ends there,
 * with a problem), so the file reads the same as its chunks read one after another, each with the
 * `@string`s of the chunks before it. That lets an edit re-read only the chunks it touched.
 */
export function splitBibtexChunks(text: string): string[] {
  const starts = [0];
  for (let at = text.indexOf('\n@'); at >= 0; at = text.indexOf('\n@', at + 1)) {
    if (entryStartsAt(text, at + 1)) starts.push(at + 1);
  }
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

/** One chunk as read: its entries and problems (offsets in the chunk), and the `@string`s it defines. */
export interface BibtexChunk {
  entries: BibtexEntry[];
  problems: BibtexProblem[];
  /** The macros the chunk defines, in order (names lower case). */
  strings: [string, string][];
}

/** The macros every file starts with: the months. */
export function predefinedStrings(): Map<string, string> {
  return new Map(MONTHS);
}

/**
 * Reads one chunk (see splitBibtexChunks) with the macros defined before it, which it extends with
 * its own. Crossrefs are not resolved here: they join entries of any chunk.
 */
export function parseBibtexChunk(text: string, strings: Map<string, string>): BibtexChunk {
  const reader = new BibtexReader(text, strings);
  reader.read();
  return { entries: reader.entries, problems: reader.problems, strings: reader.defined };
}

/** A whole file at once: its chunks read in order, offsets in the file, crossrefs resolved, duplicates reported. */
export function parseBibtex(text: string): ParsedBibtex {
  const strings = predefinedStrings();
  const entries: BibtexEntry[] = [];
  const problems: BibtexProblem[] = [];
  let base = 0;
  for (const chunk of splitBibtexChunks(text)) {
    const read = parseBibtexChunk(chunk, strings);
    for (const entry of read.entries) entries.push({ ...entry, start: entry.start + base, end: entry.end + base, keyStart: entry.keyStart + base, keyEnd: entry.keyEnd + base });
    for (const problem of read.problems) problems.push({ ...problem, start: problem.start + base, end: problem.end + base });
    base += chunk.length;
  }
  resolveCrossrefs(entries);
  problems.push(...duplicateKeyProblems(entries));
  return { entries, problems };
}

class BibtexReader {
  private at = 0;
  readonly entries: BibtexEntry[] = [];
  readonly problems: BibtexProblem[] = [];
  readonly defined: [string, string][] = [];

  constructor(private readonly text: string, private readonly strings: Map<string, string>) {}

  read(): void {
    const text = this.text;
    while (this.at < text.length) {
      const at = text.indexOf('@', this.at);
      if (at < 0) break;
      this.at = at + 1;
      // BibTeX starts an entry at any `@`; an `@` inside a word of a comment (an e-mail address)
      // starts none here, which is what every file meant.
      const before = at > 0 ? text.charCodeAt(at - 1) : Code.LineFeed;
      if (!isSpace(before) && before !== Code.CloseBrace && before !== Code.CloseParen) continue;
      this.readCommand(at);
    }
  }

  private readCommand(at: number): void {
    const text = this.text;
    let i = at + 1;
    while (i < text.length && (text.charCodeAt(i) === Code.Space || text.charCodeAt(i) === Code.Tab)) i++;
    const typeStart = i;
    while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
    const type = text.slice(typeStart, i).toLowerCase();
    if (type === '' || !/^[a-z]/.test(type)) return;
    i = this.skipSpace(i);
    const open = text.charCodeAt(i);
    if (type === 'comment') {
      // `@comment{...}` skips its balanced group; a bare `@comment` is a comment to the line end.
      if (open === Code.OpenBrace || open === Code.OpenParen) this.at = this.skipBalanced(i, open === Code.OpenBrace ? Code.CloseBrace : Code.CloseParen);
      return;
    }
    if (open !== Code.OpenBrace && open !== Code.OpenParen) {
      this.problem(at, i, `'@${type}' is not followed by '{' or '('`, 'error');
      return;
    }
    const close = open === Code.OpenBrace ? Code.CloseBrace : Code.CloseParen;
    if (type === 'preamble') {
      this.at = this.skipBalanced(i, close);
      return;
    }
    if (type === 'string') {
      this.readString(at, i + 1, close);
      return;
    }
    this.readEntry(at, type, i + 1, close);
  }

  private readString(at: number, from: number, close: number): void {
    const fields = new Map<string, string>();
    const end = this.readFields(from, close, fields, at);
    for (const [name, value] of fields) {
      this.strings.set(name, value);
      this.defined.push([name, value]);
    }
    this.at = end;
  }

  private readEntry(at: number, type: string, from: number, close: number): void {
    const text = this.text;
    let i = this.skipSpace(from);
    const keyStart = i;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === Code.Comma || isSpace(c) || c === close || c === Code.OpenBrace || c === Code.CloseBrace || c === Code.Equals) break;
      i++;
    }
    let keyEnd = i;
    let key = text.slice(keyStart, keyEnd);
    let fieldsFrom = this.skipSpace(i);
    if (text.charCodeAt(fieldsFrom) === Code.Equals) {
      // `@article{title = ...`: the key is missing and what was read is the first field's name.
      this.problem(at, keyEnd, `'@${type}' entry has no key`, 'error');
      key = '';
      keyEnd = keyStart;
      fieldsFrom = keyStart;
    } else if (key === '') {
      this.problem(at, Math.max(keyStart, at + 1 + type.length), `'@${type}' entry has no key`, 'error');
    } else if (text.charCodeAt(fieldsFrom) === Code.Comma) {
      fieldsFrom++;
    }
    const fields = new Map<string, string>();
    const end = this.readFields(fieldsFrom, close, fields, at, key);
    this.entries.push({ type, key, start: at, end, keyStart, keyEnd, fields });
    this.at = end;
  }

  /**
   * Reads `name = value, ...` up to the closing delimiter; returns the offset after it (or where a
   * new entry starts, or the end of the text, with a problem reported).
   */
  private readFields(from: number, close: number, fields: Map<string, string>, entryStart: number, key?: string): number {
    const text = this.text;
    let i = from;
    const label = key ? `'${key}'` : 'this entry';
    for (;;) {
      i = this.skipSpaceAndCommas(i);
      if (i >= text.length) {
        this.problem(entryStart, Math.min(text.length, entryStart + 1), `${label} is not closed: a '${String.fromCharCode(close)}' is missing`, 'error');
        return text.length;
      }
      const c = text.charCodeAt(i);
      if (c === close) return i + 1;
      if (c === Code.At && this.startsEntryAt(i)) {
        this.problem(entryStart, entryStart + 1, `${label} is not closed before the next entry: a '${String.fromCharCode(close)}' is missing`, 'error');
        return i;
      }
      const nameEnd = this.nameEnd(i);
      const name = nameEnd > i ? text.slice(i, nameEnd) : undefined;
      if (!name) {
        this.problem(i, i + 1, `unexpected '${text[i]}' in ${label}`, 'error');
        // Skip what cannot be read: a stray group, or one character.
        i = c === Code.OpenBrace ? this.skipBalanced(i, Code.CloseBrace) : i + 1;
        continue;
      }
      const nameStart = i;
      i = this.skipSpace(i + name.length);
      if (text.charCodeAt(i) !== Code.Equals) {
        this.problem(nameStart, nameStart + name.length, `field '${name}' of ${label} has no '='`, 'error');
        continue;
      }
      const value = this.readValue(this.skipSpace(i + 1), close, label);
      i = this.valueEnd;
      const fieldName = name.toLowerCase();
      if (fields.has(fieldName)) this.problem(nameStart, nameStart + name.length, `field '${fieldName}' appears twice in ${label}; the first counts`, 'warning');
      else fields.set(fieldName, value);
      if (this.valueUnclosed) return this.valueEnd;
    }
  }

  /** Where the last value read ends, and whether it ran into a new entry or the end unclosed (fields, not a result object: this runs once per field of 20,000 entries). */
  private valueEnd = 0;
  private valueUnclosed = false;

  /** A value: parts joined by `#`; sets valueEnd and valueUnclosed. */
  private readValue(from: number, close: number, label: string): string {
    const text = this.text;
    let i = from;
    let result = '';
    this.valueUnclosed = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === Code.OpenBrace || c === Code.Quote) {
        const part = this.readDelimited(i, c === Code.OpenBrace ? Code.CloseBrace : Code.Quote);
        result = result === '' ? part : result + part;
        if (this.valueUnclosed) {
          this.problem(i, i + 1, `unbalanced braces in a value of ${label}: a '${c === Code.OpenBrace ? '}' : '"'}' is missing`, 'error');
          return result;
        }
        i = this.valueEnd;
      } else {
        const nameEnd = this.nameEnd(i);
        const name = nameEnd > i ? text.slice(i, nameEnd) : undefined;
        if (!name) {
          if (c === close || c === Code.Comma || i >= text.length) this.problem(from, from + 1, `a field of ${label} has no value`, 'error');
          else this.problem(i, i + 1, `unexpected '${text[i]}' in a value of ${label}`, 'error');
          this.valueEnd = i;
          return result;
        }
        i += name.length;
        if (isDigits(name)) result += name;
        else {
          const macro = this.strings.get(name.toLowerCase());
          if (macro === undefined) this.problem(i - name.length, i, `unknown @string '${name}'`, 'warning');
          else result += macro;
        }
      }
      const next = this.skipSpace(i);
      if (text.charCodeAt(next) !== Code.Hash) {
        this.valueEnd = i;
        return result;
      }
      i = this.skipSpace(next + 1);
    }
  }

  /**
   * `{...}` or `"..."` from its opening delimiter: the text inside and the offset after it. Braces
   * balance inside both; a line that starts a new entry ends a group that never closed.
   */
  private readDelimited(open: number, closeCode: number): string {
    const text = this.text;
    let depth = 0;
    const stop = DELIMITED_STOP;
    stop.lastIndex = open + 1;
    for (let match = stop.exec(text); match !== null; match = stop.exec(text)) {
      const i = match.index;
      const c = text.charCodeAt(i);
      if (c === Code.Backslash) { stop.lastIndex = i + 2; continue; }
      if (c === Code.OpenBrace) depth++;
      else if (c === Code.CloseBrace) {
        if (depth === 0) {
          // A `}` that closes nothing inside quotes: the quotes end the entry's group here.
          this.valueEnd = closeCode === Code.CloseBrace ? i + 1 : i;
          this.valueUnclosed = closeCode !== Code.CloseBrace;
          return text.slice(open + 1, i);
        }
        depth--;
      } else if (c === Code.Quote) {
        if (closeCode === Code.Quote && depth === 0) {
          this.valueEnd = i + 1;
          return text.slice(open + 1, i);
        }
      } else if (text.charCodeAt(i + 1) === Code.At && this.startsEntryAt(i + 1)) {
        this.valueEnd = i + 1;
        this.valueUnclosed = true;
        return text.slice(open + 1, i);
      }
    }
    this.valueEnd = text.length;
    this.valueUnclosed = true;
    return text.slice(open + 1);
  }

  /**
   * Where a field or macro name that starts at `from` ends: at white space or one of `"#%'(),={}`
   * (from `from` itself when there is none). By char codes: this runs for every field.
   */
  private nameEnd(from: number): number {
    const text = this.text;
    let i = from;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c <= 32 || c === Code.Quote || c === Code.Hash || c === 37 || c === 39 || c === Code.OpenParen || c === Code.CloseParen
        || c === Code.Comma || c === Code.Equals || c === Code.OpenBrace || c === Code.CloseBrace) break;
      i++;
    }
    return i;
  }

  private startsEntryAt(i: number): boolean {
    return entryStartsAt(this.text, i);
  }

  /** The offset after the group opened at `open`, braces balanced (for @comment and @preamble). */
  private skipBalanced(open: number, closeCode: number): number {
    const text = this.text;
    let depth = 0;
    for (let i = open + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === Code.OpenBrace) depth++;
      else if (c === Code.CloseBrace && depth > 0) depth--;
      else if (c === closeCode && depth === 0) return i + 1;
      else if (c === Code.LineFeed && text.charCodeAt(i + 1) === Code.At && this.startsEntryAt(i + 1)) {
        this.problem(open, open + 1, `'${text[open]}' is not closed before the next entry`, 'error');
        return i + 1;
      }
    }
    this.problem(open, open + 1, `'${text[open]}' is never closed`, 'error');
    return text.length;
  }

  private skipSpace(from: number): number {
    const text = this.text;
    let i = from;
    for (;;) {
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      // `%` starts a comment to the end of the line outside values (biber reads it so).
      if (text.charCodeAt(i) !== 37) return i;
      const lineEnd = text.indexOf('\n', i);
      i = lineEnd < 0 ? text.length : lineEnd + 1;
    }
  }

  private skipSpaceAndCommas(from: number): number {
    let i = this.skipSpace(from);
    while (this.text.charCodeAt(i) === Code.Comma) i = this.skipSpace(i + 1);
    return i;
  }

  private problem(start: number, end: number, message: string, severity: BibtexProblem['severity']): void {
    this.problems.push({ start, end: Math.max(end, start), message, severity });
  }

}

/** The message of a key that an earlier entry of the file has. */
export function duplicateKeyMessage(key: string): string {
  return `duplicate key '${key}': an earlier entry has it (the first counts)`;
}

/**
 * Entries whose key an earlier entry has. biber compares keys case-sensitively but warns of keys
 * differing only in case; BibTeX treats them as one: a duplicate in either sense is a mistake.
 */
function duplicateKeyProblems(entries: BibtexEntry[]): BibtexProblem[] {
  const seen = new Set<string>();
  const problems: BibtexProblem[] = [];
  for (const entry of entries) {
    if (entry.key === '') continue;
    const folded = entry.key.toLowerCase();
    if (!seen.has(folded)) { seen.add(folded); continue; }
    problems.push({ start: entry.keyStart, end: entry.keyEnd, message: duplicateKeyMessage(entry.key), severity: 'error' });
  }
  return problems;
}

/** Fields a child never takes from its parent: they name the parent itself. */
const NOT_INHERITED = new Set(['crossref', 'xdata', 'ids', 'key', 'entryset', 'label', 'shorthand', 'sortkey']);

/**
 * Inherits fields along `crossref` and `xdata`: missing fields come from the parent (resolved
 * first, so chains work; a cycle stops), the parent's title becomes the child's `booktitle`.
 */
export function resolveCrossrefs(entries: BibtexEntry[], among: readonly BibtexEntry[] = entries): void {
  const byKey = new Map<string, BibtexEntry>();
  for (const entry of among) if (entry.key && !byKey.has(entry.key.toLowerCase())) byKey.set(entry.key.toLowerCase(), entry);
  const done = new Set<BibtexEntry>();
  const resolve = (entry: BibtexEntry, path: Set<BibtexEntry>): void => {
    if (done.has(entry) || path.has(entry)) return;
    path.add(entry);
    for (const link of ['crossref', 'xdata']) {
      const names = entry.fields.get(link);
      if (!names) continue;
      for (const name of names.split(',')) {
        const parent = byKey.get(name.trim().toLowerCase());
        if (!parent || parent === entry) continue;
        resolve(parent, path);
        for (const [field, value] of parent.fields) {
          if (NOT_INHERITED.has(field)) continue;
          const target = field === 'title' && link === 'crossref' ? 'booktitle' : field;
          if (!entry.fields.has(target)) entry.fields.set(target, value);
        }
      }
    }
    done.add(entry);
  };
  for (const entry of entries) if (entry.fields.has('crossref') || entry.fields.has('xdata')) resolve(entry, new Set());
}

function isSpace(c: number): boolean {
  return c === Code.Space || c === Code.LineFeed || c === Code.CarriageReturn || c === Code.Tab || c === 12;
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return text.length > 0;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
