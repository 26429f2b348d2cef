/**
 * A bibliography file (BibTeX, BibLaTeX or CSL-JSON) as papers the workspace knows: each entry
 * becomes a listing with the same facts a digest entry gives (title, authors, date, year, abstract,
 * arXiv id, DOI, links), so every feature that reads papers reads these too, plus what only a
 * bibliography has (its own key, type, venue, the entry as written, for exports).
 *
 * The key is the file's own, never derived: a person's `.bib` names its papers. The identity (what
 * makes two entries one paper) is the digests' rule, folded title words and year, so the same
 * paper in a digest and in a Zotero export is one paper with both locations.
 */
import { paperIdentity } from '../digest/citationKeys';
import { DigestEntry } from '../digest/digestParser';
import { Span } from '../digest/entryLine';
import { normaliseArxivId, PaperLink, PaperMetadata } from '../digest/paperMetadata';
import { BibtexEntry, parseBibtex } from './bibtexParser';
import { CslItem, looksLikeCslJson, parseCslJson } from './cslJson';
import { texToText } from './texText';

export type LibraryFormat = 'bibtex' | 'csl-json';

/** What a bibliography entry says beyond what a listing says. */
export interface LibraryRecord {
  format: LibraryFormat;
  /** The entry's key (`@article{key,` or the CSL `id`). */
  key: string;
  /** `article`, `inproceedings`, `online` (BibTeX, lower case) or `article-journal`, `paper-conference` (CSL). */
  type: string;
  /** Journal, proceedings or publisher: where it appeared. */
  venue?: string;
  doi?: string;
  url?: string;
  /** Offsets of the whole entry in the file's text, and its last line. */
  start: number;
  end: number;
  endLine: number;
  /** The entry as written: BibTeX source text, or the CSL item as parsed. */
  bibtex?: string;
  csl?: CslItem;
  /** The BibTeX fields, macros expanded and crossrefs resolved (TeX kept), for conversions. */
  fields?: ReadonlyMap<string, string>;
}

/** A bibliography entry read as a listing: a digest entry's facts and its record. */
export interface LibraryEntry extends DigestEntry {
  library: LibraryRecord;
}

export interface LibraryProblem {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedLibrary {
  format: LibraryFormat;
  entries: LibraryEntry[];
  problems: LibraryProblem[];
}

export function isLibraryEntry(entry: DigestEntry): entry is LibraryEntry {
  return (entry as LibraryEntry).library !== undefined;
}

/** The format a file's name and content say, or undefined when it is no bibliography. */
export function libraryFormatOf(path: string, text: string): LibraryFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.bib') || lower.endsWith('.bibtex') || lower.endsWith('.biblatex')) return 'bibtex';
  if (lower.endsWith('.json') && looksLikeCslJson(text)) return 'csl-json';
  return undefined;
}

/**
 * Reads a bibliography. `uri` makes the identity of an entry that has no title or year unique to
 * its file (such entries are never merged with others).
 */
export function parseLibrary(uri: string, text: string, format: LibraryFormat): ParsedLibrary {
  const lines = new LineIndex(text);
  const problems: LibraryProblem[] = [];
  const entries: LibraryEntry[] = [];
  if (format === 'bibtex') {
    const parsed = parseBibtex(text);
    for (const entry of parsed.entries) entries.push(bibtexListing(uri, text, entry, lines));
    for (const problem of parsed.problems) problems.push(lines.problem(problem));
  } else {
    const parsed = parseCslJson(text);
    for (const entry of parsed.entries) entries.push(cslListing(uri, entry.item, entry.key, entry.start, entry.end, entry.keyStart, entry.keyEnd, lines));
    for (const problem of parsed.problems) problems.push(lines.problem(problem));
  }
  return { format, entries: withoutKeylessAndRepeated(entries, format), problems };
}

/**
 * The entries that count: one without a key cannot be cited, and of two with one key in a file
 * the first counts (as BibTeX and biber take it); both are reported as problems already.
 */
function withoutKeylessAndRepeated(entries: LibraryEntry[], format: LibraryFormat): LibraryEntry[] {
  const seen = new Set<string>();
  const identities = new Set<string>();
  return entries.filter((entry) => {
    if (entry.library.key === '') return false;
    const key = format === 'bibtex' ? entry.library.key.toLowerCase() : entry.library.key;
    if (seen.has(key)) return false;
    seen.add(key);
    // Two entries of one file with the same title and year (a book and its reprint, biblatex's
    // `related` entries) are two entries the person keeps apart: only across files, or with a
    // digest, is the same title and year one paper.
    if (identities.has(entry.identity)) entry.identity = `${entry.identity}#${entry.library.key}`;
    identities.add(entry.identity);
    return true;
  });
}

// ---- BibTeX ---------------------------------------------------------------------------------

function bibtexListing(uri: string, text: string, entry: BibtexEntry, lines: LineIndex): LibraryEntry {
  const field = (name: string): string | undefined => {
    const value = entry.fields.get(name);
    return value === undefined ? undefined : texToText(value);
  };
  const title = [field('title'), field('subtitle')].filter(Boolean).join(': ');
  const names = bibtexNames(entry.fields.get('author') ?? entry.fields.get('editor') ?? '');
  const date = bibtexDate(entry.fields);
  const arxiv = bibtexArxivId(entry.fields);
  const doi = field('doi')?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  const url = field('url');
  const venue = field('journaltitle') ?? field('journal') ?? field('booktitle') ?? field('eventtitle') ?? field('publisher') ?? field('institution') ?? field('school') ?? field('organization');
  const record: LibraryRecord = {
    format: 'bibtex', key: entry.key, type: entry.type, start: entry.start, end: entry.end,
    endLine: lines.lineOf(Math.max(entry.start, entry.end - 1)), bibtex: text.slice(entry.start, entry.end), fields: entry.fields,
    ...(venue ? { venue } : {}), ...(doi ? { doi } : {}), ...(url ? { url } : {}),
  };
  return listing(uri, entry.key, title, field('abstract') ?? '', names, date, arxiv, doi, url, entry.keyStart, entry.keyEnd, lines, record);
}

/**
 * BibTeX's name list: names separated by `and` outside braces, each `Family, Given`,
 * `Family, Jr, Given` or `Given von Family`, shown as "Given Family"; `{Braced Names}` and
 * `others` as they are.
 */
export function bibtexNames(value: string): string[] {
  if (value.trim() === '') return [];
  let names: string[];
  if (!value.includes('{')) {
    // No braces, so no `and` is protected: the common case, split natively.
    names = value.split(/\s+and\s+/i);
  } else {
    names = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (depth === 0 && /\s/.test(c) && /^and\s/i.test(value.slice(i + 1, i + 5)) && /\s/.test(value[i + 4] ?? '')) {
        names.push(value.slice(start, i));
        start = i + 5;
        i += 4;
      }
    }
    names.push(value.slice(start));
  }
  return names.map((name) => {
    const parts = (name.includes('{') ? splitOutsideBraces(name, ',') : name.split(',')).map((part) => texToText(part.trim()));
    if (parts.length === 1) return parts[0];
    const [family, ...rest] = parts;
    const given = rest.length === 2 ? `${rest[1]} ${family}, ${rest[0]}` : `${rest.join(' ')} ${family}`;
    return given.trim();
  }).filter((name) => name !== '');
}

function splitOutsideBraces(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (depth === 0 && text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** biblatex's `date` (`2024-03-05`, `2024-03`, `2024`, ranges `2023/2024`), else `year`, `month`, `day`. */
function bibtexDate(fields: ReadonlyMap<string, string>): { iso: string; year: number } {
  const date = fields.get('date');
  const match = date ? /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date) : null;
  if (match) return { iso: [match[1], match[2], match[3]].filter(Boolean).join('-'), year: Number(match[1]) };
  const year = /\d{4}/.exec(texToText(fields.get('year') ?? ''))?.[0];
  if (!year) return { iso: '', year: 0 };
  const monthText = texToText(fields.get('month') ?? '').toLowerCase();
  const monthNumber = /^\d{1,2}$/.test(monthText) ? Number(monthText) : MONTH_NAMES.indexOf(monthText.slice(0, 3)) + 1;
  const day = /^\d{1,2}$/.test(texToText(fields.get('day') ?? '')) ? Number(texToText(fields.get('day')!)) : 0;
  const parts = [year];
  if (monthNumber >= 1 && monthNumber <= 12) {
    parts.push(String(monthNumber).padStart(2, '0'));
    if (day >= 1 && day <= 31) parts.push(String(day).padStart(2, '0'));
  }
  return { iso: parts.join('-'), year: Number(year) };
}

/** An arXiv id from `eprint` (with `eprinttype`/`archiveprefix` arXiv), an arXiv DOI or URL, or `journal = {arXiv preprint arXiv:...}`. */
function bibtexArxivId(fields: ReadonlyMap<string, string>): string | undefined {
  const kind = (fields.get('eprinttype') ?? fields.get('archiveprefix') ?? '').toLowerCase();
  const eprint = fields.get('eprint');
  if (eprint && (kind === 'arxiv' || kind === '')) {
    const id = normaliseArxivId(eprint);
    if (id) return id;
  }
  return arxivIdIn([fields.get('doi'), fields.get('url'), fields.get('journal'), fields.get('journaltitle'), fields.get('note')]);
}

function arxivIdIn(values: (string | undefined)[]): string | undefined {
  for (const value of values) {
    if (!value) continue;
    const match = /(?:10\.48550\/arxiv\.|arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*)([\w./-]+?)(?:v\d+)?(?:\.pdf)?(?=$|[\s}/?#,])/i.exec(value);
    const id = match ? normaliseArxivId(match[1]) : undefined;
    if (id) return id;
  }
  return undefined;
}

// ---- CSL-JSON -------------------------------------------------------------------------------

function cslListing(uri: string, item: CslItem, key: string, start: number, end: number, keyStart: number, keyEnd: number, lines: LineIndex): LibraryEntry {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.replace(/\s+/g, ' ').trim() : typeof value === 'number' ? String(value) : undefined);
  const people = Array.isArray(item.author) ? item.author : Array.isArray(item.editor) ? item.editor : [];
  const names = people.map((person) => {
    if (!person || typeof person !== 'object') return '';
    const p = person as Record<string, unknown>;
    return text(p.literal) ?? [text(p.given), text(p['non-dropping-particle']), text(p.family), text(p.suffix)].filter(Boolean).join(' ');
  }).filter((name) => name !== '');
  const date = cslDate(item.issued);
  const doi = text(item.DOI)?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  const url = text(item.URL);
  const arxiv = arxivIdIn([text(item.DOI), url, text(item.number), text(item['container-title'])]);
  const venue = text(item['container-title']) ?? text(item['collection-title']) ?? text(item.publisher) ?? text(item['event-title']);
  const type = text(item.type) ?? 'document';
  const record: LibraryRecord = {
    format: 'csl-json', key, type, start, end, endLine: lines.lineOf(Math.max(start, end - 1)), csl: item,
    ...(venue ? { venue } : {}), ...(doi ? { doi } : {}), ...(url ? { url } : {}),
  };
  // CSL's rich text is a little HTML (`<i>`, `<b>`, `<sub>`, `<span class="nocase">`): shown as its text.
  const title = (text(item.title) ?? '').replace(/<\/?(?:i|b|sub|sup|sc|span)\b[^>]*>/gi, '');
  return listing(uri, key, title, text(item.abstract) ?? '', names, date, arxiv, doi, url, keyStart, keyEnd, lines, record);
}

/** CSL's `issued`: `date-parts` (`[[2024, 3, 5]]`), or `raw`/`literal` text holding a year. */
function cslDate(issued: unknown): { iso: string; year: number } {
  if (!issued || typeof issued !== 'object') return { iso: '', year: 0 };
  const value = issued as Record<string, unknown>;
  const parts = Array.isArray(value['date-parts']) && Array.isArray(value['date-parts'][0]) ? (value['date-parts'][0] as unknown[]).map(Number) : [];
  if (parts.length > 0 && Number.isInteger(parts[0]) && parts[0] > 0) {
    const [year, month, day] = parts;
    const iso = [String(year).padStart(4, '0')];
    if (Number.isInteger(month) && month >= 1 && month <= 12) {
      iso.push(String(month).padStart(2, '0'));
      if (Number.isInteger(day) && day >= 1 && day <= 31) iso.push(String(day).padStart(2, '0'));
    }
    return { iso: iso.join('-'), year };
  }
  const raw = typeof value.raw === 'string' ? value.raw : typeof value.literal === 'string' ? value.literal : '';
  const match = /(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(raw);
  return match ? { iso: [match[1], match[2], match[3]].filter(Boolean).join('-'), year: Number(match[1]) } : { iso: '', year: 0 };
}

// ---- the listing ----------------------------------------------------------------------------

const NO_NOTES: number[] = Object.freeze([]) as unknown as number[];
const NO_PROBLEMS: PaperMetadata['problems'] = Object.freeze([]) as unknown as PaperMetadata['problems'];

function listing(
  uri: string, key: string, title: string, abstract: string, names: string[], date: { iso: string; year: number },
  arxiv: string | undefined, doi: string | undefined, url: string | undefined, keyStart: number, keyEnd: number,
  lines: LineIndex, library: LibraryRecord,
): LibraryEntry {
  const line = lines.lineOf(keyStart);
  const keySpan: Span = { start: keyStart - lines.startOf(line), end: keyEnd - lines.startOf(line) };
  const links: PaperLink[] = url && !(arxiv && /arxiv\.org/i.test(url)) && /^https?:\/\//i.test(url) ? [{ label: 'url', url }] : [];
  const metadata: PaperMetadata = { authorNames: names, links, problems: NO_PROBLEMS, ...(arxiv ? { arxiv } : {}), ...(doi && !/^10\.48550\//.test(doi) ? { doi } : {}) };
  const shownTitle = title || key;
  return {
    line,
    upvotes: 0,
    title: shownTitle,
    abstract,
    authors: names.length,
    date: date.iso,
    year: date.year,
    yearInferred: false,
    comments: null,
    baseKey: key,
    // Without a title and year the entry is only itself: its identity names its file and key.
    identity: title && date.year > 0 ? paperIdentity(title, date.year) : `${uri}#${key}`,
    spans: { upvotes: keySpan, title: keySpan, abstract: keySpan, authors: keySpan, date: keySpan },
    split: { source: 'marker', confidence: 1 },
    noteLines: NO_NOTES,
    metadata,
    library,
  };
}

/** Offsets to lines and columns, by binary search over the line starts. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return low;
  }

  startOf(line: number): number {
    return this.starts[line];
  }

  problem(problem: { start: number; end: number; message: string; severity: 'error' | 'warning' }): LibraryProblem {
    const line = this.lineOf(problem.start);
    const endLine = this.lineOf(problem.end);
    return { line, character: problem.start - this.starts[line], endLine, endCharacter: problem.end - this.starts[endLine], message: problem.message, severity: problem.severity };
  }
}
