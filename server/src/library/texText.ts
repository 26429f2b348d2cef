/**
 * TeX in BibTeX field values, turned into the text a person reads: `{\"u}ber` and `\"{u}ber` are
 * "über", `\ss` is "ß", `--` an en dash, `~` a space, `\emph{x}` is "x", case-protecting braces
 * vanish. This is for display, search and keys only: exports of a `.bib` entry keep its own text.
 *
 * It reads the accents and named letters of LaTeX's text commands (the ones Better BibTeX and
 * Zotero write, and those of the biblatex examples), keeps the argument of any other command
 * (`\textsc{BERT}` is "BERT", `\url{x}` is "x"), drops commands with no argument it does not know,
 * and leaves math (`$...$`) as its source without the dollars: no more can be read without TeX.
 */

/** Accent commands and the combining character each adds (the result is NFC-normalised). */
const ACCENTS: Record<string, string> = {
  '`': '\u0300', "'": '\u0301', '^': '\u0302', '~': '\u0303', '=': '\u0304', u: '\u0306', '.': '\u0307',
  '"': '\u0308', r: '\u030a', H: '\u030b', v: '\u030c', d: '\u0323', c: '\u0327', k: '\u0328', b: '\u0331',
};

/** Commands that stand for a letter or symbol. */
const NAMED: Record<string, string> = {
  ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', dj: 'đ', DJ: 'Đ', ng: 'ŋ', NG: 'Ŋ',
  textendash: '–', textemdash: '—', textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“',
  textquotedblright: '”', textellipsis: '…', ldots: '…', dots: '…', textasciitilde: '~', textbackslash: '\\',
  textbar: '|', textless: '<', textgreater: '>', textregistered: '®', texttrademark: '™', copyright: '©',
  textcopyright: '©', S: '§', P: '¶', pounds: '£', euro: '€', textdegree: '°', LaTeX: 'LaTeX', TeX: 'TeX',
  BibTeX: 'BibTeX', LaTeXe: 'LaTeX2e', slash: '/', textunderscore: '_', guillemotleft: '«', guillemotright: '»',
  quad: ' ', qquad: ' ', space: ' ', nobreakspace: '\u00a0', relax: '', noopsort: '', hyp: '-', texthyphen: '-', allowbreak: '', break: '', newblock: ' ', par: ' ',
};

/** Commands whose argument is not text to show. */
const DROPPED_ARGUMENT = new Set(['noopsort', 'sortkey', 'label', 'index', 'footnote']);

/** Characters a backslash escapes into themselves: `\&`, `\%`, `\$`, `\#`, `\_`, `\{`, `\}`. */
const ESCAPED = new Set(['&', '%', '$', '#', '_', '{', '}', ' ', ',', ';', ':', '!', '@', '/', '-']);

/** Characters that make a value more than its text: TeX syntax, quotes, line breaks and tabs. */
const TEX_OR_BREAKS = /[\\{}$~'`\n\t\r]/;
const TEX = /[\\{}$~'`]/;

/** The text a person reads for a BibTeX field value (already stripped of its outer braces or quotes). */
export function texToText(value: string): string {
  // Most values (abstracts above all) are plain text: tell so with native scans only.
  if (!TEX_OR_BREAKS.test(value) && !value.includes('--') && !value.includes('  ') && value.trim() === value) return value;
  if (!TEX.test(value) && !value.includes('--')) return collapseSpaces(value);
  const out: string[] = [];
  readGroup(value, 0, out, false);
  return collapseSpaces(out.join('').normalize('NFC'));
}

function collapseSpaces(text: string): string {
  return /\s\s|^\s|\s$|[\n\t]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

/** Where the next character that is more than itself is: plain runs between are copied whole. */
const SPECIAL = /[{}\\$~\-'`]/g;

/** Reads from `at` to the end of the text or (inside a group) to its closing brace; returns the index after it. */
function readGroup(text: string, at: number, out: string[], inGroup: boolean): number {
  let i = at;
  while (i < text.length) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(text);
    const stop = next ? next.index : text.length;
    if (stop > i) {
      out.push(text.slice(i, stop));
      i = stop;
      if (i >= text.length) break;
    }
    const c = text[i];
    if (c === '}') {
      if (inGroup) return i + 1;
      i++;
      continue;
    }
    if (c === '{') {
      i = readGroup(text, i + 1, out, true);
      continue;
    }
    if (c === '\\') {
      i = readCommand(text, i, out);
      continue;
    }
    if (c === '$') {
      const end = text.indexOf('$', i + 1);
      if (end < 0) { out.push(text.slice(i + 1)); return text.length; }
      out.push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '~') { out.push('\u00a0'); i++; continue; }
    if (c === '-' && text[i + 1] === '-') {
      if (text[i + 2] === '-') { out.push('—'); i += 3; } else { out.push('–'); i += 2; }
      continue;
    }
    if ((c === '`' || c === "'") && text[i + 1] === c) { out.push(c === '`' ? '“' : '”'); i += 2; continue; }
    out.push(c);
    i++;
  }
  return i;
}

function readCommand(text: string, at: number, out: string[]): number {
  let i = at + 1;
  if (i >= text.length) return i;
  const first = text[i];
  if (!/[A-Za-z]/.test(first)) {
    // A control symbol: an accent, an escaped character, or `\\` (a line break).
    if (first in ACCENTS) return readAccent(text, i + 1, ACCENTS[first], out);
    if (first === '\\') { out.push(' '); return i + 1; }
    if (ESCAPED.has(first)) { out.push(first === '-' ? '' : first); return i + 1; }
    out.push(first);
    return i + 1;
  }
  let end = i;
  while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
  const name = text.slice(i, end);
  // Spaces after a control word belong to it.
  let next = end;
  while (next < text.length && (text[next] === ' ' || text[next] === '\t' || text[next] === '\n')) next++;
  if (name.length === 1 && name in ACCENTS) return readAccent(text, next, ACCENTS[name], out);
  if (name in NAMED) {
    out.push(NAMED[name]);
    // `{\ss}` and `\ss{}`: an empty group after a named letter is nothing.
    if (text[next] === '{' && text[next + 1] === '}') return next + 2;
    return next;
  }
  if (text[next] === '{') {
    // Any other command with an argument shows its argument (`\emph{x}`, `\textsc{x}`, `\url{x}`).
    if (DROPPED_ARGUMENT.has(name)) return skipGroup(text, next);
    return readGroup(text, next + 1, out, true);
  }
  return next;
}

/** An accent applies to the next letter, `{x}` group or named letter (`\"{u}`, `\"u`, `\'{\i}`). */
function readAccent(text: string, at: number, mark: string, out: string[]): number {
  let i = at;
  while (text[i] === ' ') i++;
  const inner: string[] = [];
  if (text[i] === '{') i = readGroup(text, i + 1, inner, true);
  else if (text[i] === '\\') i = readCommand(text, i, inner);
  else if (i < text.length) inner.push(text[i++]);
  const base = inner.join('');
  // The dotless i and j take the accent as plain i and j do.
  const letter = base === 'ı' ? 'i' : base === 'ȷ' ? 'j' : base;
  out.push(letter.length > 0 ? letter.slice(0, 1) + mark + letter.slice(1) : mark);
  return i;
}

function skipGroup(text: string, openAt: number): number {
  let depth = 0;
  for (let i = openAt; i < text.length; i++) {
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}
