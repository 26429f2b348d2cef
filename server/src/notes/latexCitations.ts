/**
 * `\cite{...}` and its relatives in LaTeX notes, read the way biblatex (manual §3.9 "Citation
 * Commands", §3.8.11 "Dynamic Entry Sets") and natbib (natbib.dtx §2 "Using this Package") define
 * their arguments. The text is read once, front to back, as TeX tokenises it: `%` comments,
 * control symbols (`\%`, `\\`), arguments that continue on the next line, and verbatim-like
 * environments and commands whose contents are not TeX.
 */
import { Citation } from './citation';

/**
 * How a command's arguments hold its keys. `keys`: `[pre][post]{keys}`; `multi`: biblatex's
 * qualified citation lists `(pre)(post)[pre][post]{keys}[pre][post]{keys}...`; `volume`:
 * `[pre]{volume}[pages]{key}`, the key being the last group; `multiVolume`: the volume items as a
 * qualified list; `entrySet`: `{set}{keys}` (`\defbibentryset` implies `\nocite` of its members);
 * `none`: a command whose name says `cite` but cites nothing (its arguments are read as text).
 */
type ArgumentShape = 'keys' | 'multi' | 'volume' | 'multiVolume' | 'entrySet' | 'none';

interface CommandRule {
  shape: ArgumentShape;
  /** `\nocite{*}` means every entry of the bibliography: `*` is no key. */
  nocite?: boolean;
  /** biblatex's mcite module: `*key` in the list makes key a member of the set before it. */
  setMembers?: boolean;
}

const COMMAND_RULES = new Map<string, CommandRule>();

function declare(shape: ArgumentShape, names: string[], extra: Omit<CommandRule, 'shape'> = {}): void {
  for (const name of names) COMMAND_RULES.set(name, { shape, ...extra });
}

declare('keys', [
  // biblatex §3.9.1 Standard Commands, §3.9.2 Style-specific Commands
  'cite', 'Cite', 'parencite', 'Parencite', 'footcite', 'footcitetext',
  'textcite', 'Textcite', 'smartcite', 'Smartcite', 'supercite',
  // §3.9.4 Style-independent Commands
  'autocite', 'Autocite',
  // §3.9.5 Text Commands (\parentext and \brackettext take text, and do not say cite)
  'citeauthor', 'Citeauthor', 'citetitle', 'citeyear', 'citedate', 'citeurl',
  // §3.9.6 Special Commands
  'fullcite', 'footfullcite', 'notecite', 'Notecite', 'pnotecite', 'Pnotecite', 'fnotecite',
  // §3.9.7 Low-level Commands: `[pre][post]{key}[format]{field}`, the field names no key
  'citename', 'citelist', 'citefield',
  // natbib §2.3 Basic, §2.4 Extended, §2.5 Forcing Upper Cased Name, §2.6 Citation Aliasing
  // (also biblatex §3.9.9 natbib Compatibility Commands)
  'citet', 'citep', 'citealt', 'citealp', 'citenum', 'citeyearpar', 'citefullauthor',
  'Citet', 'Citep', 'Citealt', 'Citealp', 'citetalias', 'citepalias',
]);
declare('keys', ['nocite'], { nocite: true });
// biblatex §3.9.3 Qualified Citation Lists, §3.9.4 (\autocites)
declare('multi', [
  'cites', 'Cites', 'parencites', 'Parencites', 'footcites', 'footcitetexts', 'smartcites', 'Smartcites',
  'textcites', 'Textcites', 'supercites', 'autocites', 'Autocites',
]);
// biblatex §3.9.6: \volcite and its relatives, and their multicite forms
const VOLUME_COMMANDS = ['volcite', 'pvolcite', 'fvolcite', 'ftvolcite', 'svolcite', 'tvolcite', 'avolcite']
  .flatMap((name) => [name, name[0].toUpperCase() + name.slice(1)]);
declare('volume', VOLUME_COMMANDS);
declare('multiVolume', VOLUME_COMMANDS.map((name) => `${name}s`));
// biblatex §3.9.10 mcite-like Citation Commands
declare('keys', [
  'mcite', 'Mcite', 'mparencite', 'Mparencite', 'mfootcite', 'mfootcitetext', 'mtextcite', 'Mtextcite',
  'msupercite', 'mautocite', 'Mautocite',
], { setMembers: true });
// biblatex §3.8.11 Dynamic Entry Sets
declare('entrySet', ['defbibentryset']);
declare('none', [
  // biblatex §3.9.8 Miscellaneous Commands, and macros and fields named with cite (§4)
  'citereset', 'mancite', 'citesetup', 'mkvolcitenote', 'citecount', 'citeorder', 'intciteorder',
  'citetrackertrue', 'citetrackerfalse', 'bibcite',
  // natbib: \citetext holds text (and maybe \citealp), \defcitealias{key}{alias} defines and cites
  // nothing, style and indexing settings, \shortcites{keys} only declares how keys are printed
  'citetext', 'defcitealias', 'setcitestyle', 'citestyle', 'citeindextrue', 'citeindexfalse', 'citeindextype',
  'citenumfont', 'shortcites',
  // natbib's summary of the \bibitem labels it reads: author and year text, in a bibliography
  'citeauthoryear', 'astroncite',
]);

const KEYS_RULE: CommandRule = { shape: 'keys' };
const MULTI_RULE: CommandRule = { shape: 'multi' };

/**
 * The rule of a command, or undefined if it cites nothing. A command neither manual names whose
 * name holds `cite` or starts with `Cite` (a style's own `\citeA`, `\Citeyear`) reads like
 * `\cite`, or like `\cites` if its name ends so; internal (`@`) names, tests (`\ifciteseen`) and
 * delimiters (`\multicitedelim`) cite nothing.
 */
function commandRule(name: string): CommandRule | undefined {
  const known = COMMAND_RULES.get(name);
  if (known) return known.shape === 'none' ? undefined : known;
  if (!name.includes('cite') && !name.startsWith('Cite')) return undefined;
  if (name.includes('@') || name.startsWith('if') || name.endsWith('delim')) return undefined;
  return name.endsWith('cites') ? MULTI_RULE : KEYS_RULE;
}

/** Environments whose body is not TeX (verbatim, listings, minted, comment, fancyvrb, filecontents). */
const VERBATIM_ENVIRONMENTS = new Set([
  'verbatim', 'verbatim*', 'Verbatim', 'Verbatim*', 'BVerbatim', 'LVerbatim', 'lstlisting', 'minted', 'comment',
  'filecontents', 'filecontents*',
]);

const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const STAR = 0x2a;

function isControlWordChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x40;
}

/** 2 for `\r\n`, 1 for a lone `\r` or `\n` (the line ends splitLines knows), 0 otherwise. */
function lineBreakLength(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code === LF) return 1;
  if (code === CR) return text.charCodeAt(i + 1) === LF ? 2 : 1;
  return 0;
}

/** From a `%` to the start of the next line: TeX drops the comment and the line end with it. */
function skipComment(text: string, i: number): number {
  for (; i < text.length; i++) {
    const length = lineBreakLength(text, i);
    if (length) return i + length;
  }
  return text.length;
}

/** The part `start`..`end` of a key group as a key, unless it is none (`#1`, `*` in \nocite). */
function addKey(text: string, rule: CommandRule, start: number, end: number, found: FoundKey[]): void {
  if (rule.setMembers && text.charCodeAt(start) === STAR) start++;
  const key = text.slice(start, end);
  if (key && !key.includes('#') && !(rule.nocite && key === '*')) found.push({ key, start, end });
}

/** A key found, by offsets into the text. */
interface FoundKey {
  key: string;
  start: number;
  end: number;
}

/**
 * One pass over a LaTeX text. With `probe`, it also notes the key group (of a citing command) the
 * probe offset is in: completion asks that of the line being typed.
 */
class LatexScanner {
  readonly keys: FoundKey[] = [];
  /** The key group (of a citing command) the probe offset is in, if any. */
  probeGroup: LatexKeyGroup | undefined;
  /** The last key group of the citing command the probe offset is in (its name, notes or keys), if any. */
  probeCommandGroup: LatexKeyGroup | undefined;
  /** The key group read last, so a command knows its own once its arguments are read. */
  private lastKeyGroup: LatexKeyGroup | undefined;

  constructor(private readonly text: string, private readonly probe?: number) {}

  scan(): void {
    const text = this.text;
    let i = 0;
    // The next `%` is looked up again only once reading has passed it: a text with many commands
    // and few comments is read in one pass, not one per command.
    let percent = text.indexOf('%');
    while (i < text.length) {
      if (percent >= 0 && percent < i) percent = text.indexOf('%', i);
      const backslash = text.indexOf('\\', i);
      if (percent >= 0 && (backslash < 0 || percent < backslash)) {
        i = skipComment(text, percent);
        continue;
      }
      if (backslash < 0) break;
      let nameEnd = backslash + 1;
      while (nameEnd < text.length && isControlWordChar(text.charCodeAt(nameEnd))) nameEnd++;
      // A control symbol (`\%`, `\\`, `\{`) is one character: the next one is not a comment or command.
      if (nameEnd === backslash + 1) { i = backslash + 2; continue; }
      i = this.command(text.slice(backslash + 1, nameEnd), nameEnd);
    }
  }

  /** Reads the command `name` whose name ends at `after`; returns where reading goes on. */
  private command(name: string, after: number): number {
    switch (name) {
      case 'begin': return this.environment(after);
      case 'verb': return this.inlineVerbatim(this.text.charCodeAt(after) === STAR ? after + 1 : after);
      case 'lstinline': case 'href': {
        // \href's link text is TeX; only its address is verbatim.
        const options = this.optional(after, '[', ']');
        return options < 0 ? after : this.inlineVerbatim(options);
      }
      case 'mintinline': {
        const language = this.plainGroup(this.optional(after, '[', ']'));
        return language < 0 ? after : this.inlineVerbatim(language);
      }
      case 'url': case 'nolinkurl': return this.inlineVerbatim(after);
    }
    const rule = commandRule(name);
    if (!rule) return after;
    const end = this.citation(rule, after);
    const probe = this.probe;
    // From its backslash to its last `}`: `\ci|te[p.|]{a}` is in the command, not in the prose.
    if (probe !== undefined && end >= 0 && after - name.length - 1 < probe && probe <= end && !this.probeCommandGroup) this.probeCommandGroup = this.lastKeyGroup;
    // An argument that never closes cites nothing; what follows the name is read as text.
    return end < 0 ? after : end;
  }

  /** `\begin{name}`: a verbatim-like body is skipped to its `\end{name}`. */
  private environment(after: number): number {
    const text = this.text;
    const open = this.skipBetweenArguments(after);
    if (text.charCodeAt(open) !== OPEN_BRACE) return after;
    const close = text.indexOf('}', open + 1);
    if (close < 0) return after;
    const name = text.slice(open + 1, close);
    if (!VERBATIM_ENVIRONMENTS.has(name)) return close + 1;
    const end = text.indexOf(`\\end{${name}}`, close + 1);
    return end < 0 ? text.length : end + name.length + 6;
  }

  /**
   * `|...|` with any delimiter, or `{...}` with balanced braces, as \verb, \lstinline, \url and
   * \href's address take them: nothing inside is a comment or a command. It ends with its line.
   */
  private inlineVerbatim(i: number): number {
    const text = this.text;
    while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
    if (text.charCodeAt(i) === OPEN_BRACE) {
      let depth = 0;
      for (let j = i; j < text.length; j++) {
        const code = text.charCodeAt(j);
        if (code === OPEN_BRACE) depth++;
        else if (code === CLOSE_BRACE && --depth === 0) return j + 1;
        else if (lineBreakLength(text, j)) return j;
      }
      return text.length;
    }
    const delimiter = text[i];
    if (delimiter === undefined || lineBreakLength(text, i)) return i;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === delimiter) return j + 1;
      if (lineBreakLength(text, j)) return j;
    }
    return text.length;
  }

  /** Reads a citing command's arguments from `i`; returns the end of the last, or -1. */
  private citation(rule: CommandRule, i: number): number {
    const star = this.skipBetweenArguments(i);
    if (this.text.charCodeAt(star) === STAR) i = star + 1;
    switch (rule.shape) {
      case 'keys': return this.keyGroup(this.notes(i, '[', ']', 2), rule);
      case 'volume': return this.volumeItem(i, rule);
      case 'entrySet': {
        const set = this.plainGroup(i);
        return set < 0 ? -1 : this.keyGroup(set, rule);
      }
      case 'multi': case 'multiVolume': {
        // The multicite commands read items until a token that is no argument (biblatex §3.9.3).
        let end = this.notes(i, '(', ')', 2);
        let items = 0;
        for (;;) {
          const item = rule.shape === 'multi' ? this.keyGroup(this.notes(end, '[', ']', 2), rule) : this.volumeItem(end, rule);
          if (item < 0) break;
          end = item;
          items++;
        }
        return items > 0 ? end : -1;
      }
      default: return -1;
    }
  }

  /** `[pre]{volume}[pages]{key}`: the volume is no key. */
  private volumeItem(i: number, rule: CommandRule): number {
    const volume = this.plainGroup(this.optional(i, '[', ']'));
    return volume < 0 ? -1 : this.keyGroup(this.optional(volume, '[', ']'), rule);
  }

  /** Up to `count` optional `open...close` notes from `i`; -1 if one never closes. */
  private notes(i: number, open: string, close: string, count: number): number {
    for (let n = 0; n < count && i >= 0; n++) {
      const next = this.optional(i, open, close);
      if (next === i) break;
      i = next;
    }
    return i;
  }

  /**
   * An optional argument delimited by `open` and `close` after `i`: its end, `i` itself if there
   * is none, -1 if it never closes. Like TeX, the first `close` outside braces ends it, so
   * `[{]}]` is one argument.
   */
  private optional(i: number, open: string, close: string): number {
    if (i < 0) return -1;
    const text = this.text;
    const start = this.skipBetweenArguments(i);
    if (text[start] !== open) return i;
    let depth = 0;
    let atLineStart = false;
    for (let j = start + 1; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code === BACKSLASH) { j++; atLineStart = false; continue; }
      if (code === PERCENT) { j = skipComment(text, j) - 1; atLineStart = true; continue; }
      const lineBreak = lineBreakLength(text, j);
      if (lineBreak) {
        if (atLineStart) return -1;
        atLineStart = true;
        j += lineBreak - 1;
        continue;
      }
      if (code === OPEN_BRACE) depth++;
      else if (code === CLOSE_BRACE) { if (--depth < 0) return -1; }
      else if (depth === 0 && text[j] === close) return j + 1;
      if (code !== SPACE && code !== TAB) atLineStart = false;
    }
    return -1;
  }

  /** A mandatory `{...}` after `i` that holds no keys (a volume, a set's name): its end, or -1. */
  private plainGroup(i: number): number {
    if (i < 0) return -1;
    const start = this.skipBetweenArguments(i);
    if (this.text.charCodeAt(start) !== OPEN_BRACE) return -1;
    return this.group(start, undefined);
  }

  /** The mandatory `{keys}` after `i`: its keys are kept once it closes; its end, or -1. */
  private keyGroup(i: number, rule: CommandRule): number {
    if (i < 0) return -1;
    const start = this.skipBetweenArguments(i);
    if (this.text.charCodeAt(start) !== OPEN_BRACE) return -1;
    return this.group(start, rule);
  }

  /**
   * The group opening at `open`, with balanced braces, `%` comments and escaped characters; a
   * blank line ends the paragraph and so the argument (then -1). With a rule, its comma-separated
   * parts are keys: trimmed, without comments; a part written over two lines, holding a macro
   * (`\key`) or a macro parameter (`#1` in a definition), is no literal key.
   */
  private group(open: number, rule: CommandRule | undefined): number {
    const text = this.text;
    const found: FoundKey[] = [];
    let depth = 0;
    let atLineStart = false;
    let partStart = -1;
    let partEnd = -1;
    let partBrokenAfterStart = false;
    let partUnusable = false;
    let probeInComment = false;
    for (let j = open + 1; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code === PERCENT) {
        const next = skipComment(text, j);
        if (this.probe !== undefined && j < this.probe && this.probe <= next) probeInComment = true;
        if (partStart >= 0) partBrokenAfterStart = true;
        j = next - 1;
        atLineStart = true;
        continue;
      }
      const lineBreak = lineBreakLength(text, j);
      if (lineBreak) {
        if (atLineStart) return -1;
        atLineStart = true;
        if (partStart >= 0) partBrokenAfterStart = true;
        j += lineBreak - 1;
        continue;
      }
      if (code === SPACE || code === TAB) continue;
      atLineStart = false;
      if (depth === 0 && (code === CLOSE_BRACE || code === COMMA)) {
        if (rule && partStart >= 0 && !partUnusable) addKey(text, rule, partStart, partEnd, found);
        if (code === COMMA) {
          partStart = partEnd = -1;
          partBrokenAfterStart = partUnusable = false;
          continue;
        }
        this.noteProbe(rule, open, j, probeInComment, found, true);
        for (const key of found) this.keys.push(key);
        if (rule) this.lastKeyGroup = { contentStart: open + 1, contentEnd: j, closed: true, keys: [...found] };
        return j + 1;
      }
      if (partBrokenAfterStart) partUnusable = true;
      if (partStart < 0) partStart = j;
      if (code === OPEN_BRACE) depth++;
      else if (code === CLOSE_BRACE) depth--;
      else if (code === BACKSLASH) { partUnusable = true; j++; }
      partEnd = j + 1;
    }
    // The text ends inside the group: the line being typed, for completion.
    this.noteProbe(rule, open, text.length, probeInComment, found, false);
    return -1;
  }

  private noteProbe(rule: CommandRule | undefined, open: number, close: number, probeInComment: boolean, found: FoundKey[], closed: boolean): void {
    const probe = this.probe;
    if (rule && probe !== undefined && open < probe && probe <= close && !probeInComment) {
      this.probeGroup = { contentStart: open + 1, contentEnd: close, closed, keys: [...found] };
    }
  }

  /**
   * Where the next argument may start: TeX skips spaces, one line end and comments between a
   * command's arguments, but a blank line is a paragraph and ends them.
   */
  private skipBetweenArguments(i: number): number {
    const text = this.text;
    let atLineStart = false;
    for (;;) {
      const code = text.charCodeAt(i);
      if (code === SPACE || code === TAB) { i++; continue; }
      if (code === PERCENT) { i = skipComment(text, i); atLineStart = true; continue; }
      const lineBreak = lineBreakLength(text, i);
      if (!lineBreak || atLineStart) return i;
      atLineStart = true;
      i += lineBreak;
    }
  }
}

/**
 * Citations in a LaTeX note: every key of every citing command, with its line and its range on
 * that line (UTF-16 code units), in text order. `\nocite{*}` (all entries) reports no key.
 */
export function scanLatexCitations(text: string): Citation[] {
  const scanner = new LatexScanner(text);
  scanner.scan();
  const citations: Citation[] = [];
  if (scanner.keys.length === 0) return citations;
  // Keys come in text order, so one walk over the line ends places them all.
  const lineBreaks = /\r\n?|\n/g;
  let lineBreak = lineBreaks.exec(text);
  let line = 0;
  let lineStart = 0;
  for (const { key, start, end } of scanner.keys) {
    while (lineBreak && lineBreak.index < start) {
      line++;
      lineStart = lineBreak.index + lineBreak[0].length;
      lineBreak = lineBreaks.exec(text);
    }
    citations.push({ key, line, start: start - lineStart, end: end - lineStart, syntax: 'latex' });
  }
  return citations;
}

/**
 * Whether `cursor` (an offset into `lineText`) is inside the key group of a citing command on
 * that line, read by the same rules as scanLatexCitations (a volume, a note, a comment, `\verb`
 * or a non-citing command is not): the offset where the group's content starts, or undefined.
 */
export function latexKeyGroupAt(lineText: string, cursor: number): number | undefined {
  return latexKeyGroupAround(lineText, cursor)?.contentStart;
}

/** The key group of a citing command, by offsets into the text it was read from. */
export interface LatexKeyGroup {
  /** Just after its `{`. */
  contentStart: number;
  /** Its `}`, or the end of the text when the group never closes there (the line being typed). */
  contentEnd: number;
  closed: boolean;
  /** The keys it holds (those a `,` or the `}` has completed), with their offsets. */
  keys: { key: string; start: number; end: number }[];
}

/**
 * The key group of a citing command that `cursor` is in (after its `{`, up to and including its
 * `}`), read by the same rules as scanLatexCitations; `text` may be a whole note or one line.
 */
export function latexKeyGroupAround(text: string, cursor: number): LatexKeyGroup | undefined {
  const scanner = new LatexScanner(text, cursor);
  scanner.scan();
  return scanner.probeGroup;
}

/**
 * The key group of the citing command `cursor` is in anywhere from its backslash to its last `}`
 * (its name, a note, between arguments, its keys: the last key group of a qualified list), read by
 * the rules of scanLatexCitations; undefined outside citing commands and in unclosed ones.
 */
export function latexCitingCommandGroupAround(text: string, cursor: number): LatexKeyGroup | undefined {
  const scanner = new LatexScanner(text, cursor);
  scanner.scan();
  return scanner.probeGroup ?? scanner.probeCommandGroup;
}
