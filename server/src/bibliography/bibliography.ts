/**
 * Exports papers as BibTeX and CSL-JSON, so notes render with `pandoc --citeproc`, Quarto, LaTeX
 * or Zotero. Keys are the workspace's citation keys.
 *
 * BibTeX is written here rather than through citation-js: its BibTeX output drops characters
 * outside its Unicode table (a Chinese or Cyrillic title vanishes), puts the day into `month`, and
 * leaves out abstracts. We write UTF-8 (which biber, pandoc and bibtex8 read), escape the ten LaTeX
 * special characters, and protect every capitalised word of a title with braces so that styles
 * which lower-case titles keep "LLM", "Tulu" and "GPT-4" as written.
 */
import { DigestEntry } from '../digest/digestParser';
import { upvotesText } from '../digest/entryLine';
import { arxivDoi } from '../digest/paperLinks';
import { splitPersonName } from '../digest/personNames';
import { metadataOfPaper, paperUrl } from '../index/paperFacts';
import { Paper } from '../index/workspaceIndex';
import { isLibraryEntry, LibraryEntry } from '../library/libraryEntries';

export type BibliographyFormat = 'bibtex' | 'csl-json';

const MONTH_MACROS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
};

/** Text as a BibTeX field value shows it: LaTeX specials escaped, line breaks flattened. */
export function escapeBibtex(text: string): string {
  return text.replace(/[\\{}&%$#_^~]/g, (char) => LATEX_SPECIALS[char]).replace(/[\r\n\t]+/g, ' ');
}

/** A title whose capitalised words keep their case in any style: `{Camels} in a {Changing} {Climate}`. */
export function protectTitle(title: string): string {
  return title.split(/(\s+)/).map((word, i) => {
    if (i % 2 === 1) return word;
    const escaped = escapeBibtex(word);
    return /\p{Lu}/u.test(word) ? `{${escaped}}` : escaped;
  }).join('');
}

/** Year, month and day; a bibliography's entry may give only the year (or nothing: 0). */
function dateParts(entry: DigestEntry): number[] {
  const parts = entry.date.split('-').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return parts.length > 0 ? parts : entry.year > 0 ? [entry.year] : [];
}

/**
 * The bibliography entry a paper is exported as, when its key is a bibliography's: exports give
 * a person's own entries as they wrote them.
 */
function sourceEntry(paper: Paper): LibraryEntry | undefined {
  for (const location of paper.locations) {
    if (isLibraryEntry(location.entry) && location.entry.library.key === paper.key) return location.entry;
  }
  return undefined;
}

function paperNote(entry: DigestEntry): string {
  const parts = [`${upvotesText(entry.upvotes)} on Hugging Face Papers`, `${entry.authors} author${entry.authors === 1 ? '' : 's'}`];
  if (entry.comments !== null) parts.push(`${entry.comments} comment${entry.comments === 1 ? '' : 's'}`);
  return parts.join('; ');
}

export function toBibtex(papers: Paper[]): string {
  return papers.map((paper) => {
    const source = sourceEntry(paper);
    if (source?.library.bibtex !== undefined) return `${source.library.bibtex}\n`;
    const entry = source ?? paper.locations[0].entry;
    const [year, month, day] = dateParts(entry);
    const fields: [string, string][] = [['title', `{${protectTitle(entry.title)}}`]];
    if (year) fields.push(['year', `{${year}}`]);
    if (month) fields.push(['month', MONTH_MACROS[month - 1]]);
    if (day) fields.push(['day', `{${day}}`]);
    if (source?.library.venue) fields.push([/^article/.test(source.library.type) ? 'journal' : 'booktitle', `{${escapeBibtex(source.library.venue)}}`]);
    const metadata = metadataOfPaper(paper);
    if (metadata?.authorNames.length) fields.unshift(['author', `{${metadata.authorNames.map(bibtexName).join(' and ')}}`]);
    if (entry.abstract) fields.push(['abstract', `{${escapeBibtex(entry.abstract)}}`]);
    if (metadata?.arxiv) {
      fields.push(['eprint', `{${metadata.arxiv}}`], ['archiveprefix', '{arXiv}']);
      fields.push(['doi', `{${metadata.doi ?? arxivDoi(metadata.arxiv)}}`]);
    } else if (metadata?.doi) {
      fields.push(['doi', `{${escapeBibtex(metadata.doi)}}`]);
    }
    // URLs are verbatim fields (pandoc, biber and hyperref read them as written); ours are
    // percent-encoded, so they hold no braces or backslashes.
    const url = source ? source.library.url : paperUrl(paper);
    if (url) fields.push(['url', `{${url.replace(/[{}\\\s]/g, encodeURIComponent)}}`]);
    if (!source) fields.push(['note', `{${escapeBibtex(paperNote(entry))}}`]);
    const type = source ? BIBTEX_TYPE_OF_CSL[source.library.type] ?? 'misc' : 'misc';
    return `@${type}{${paper.key},\n${fields.map(([name, value]) => `  ${name} = ${value}`).join(',\n')}\n}\n`;
  }).join('\n');
}

/**
 * A name as BibTeX reads it, "von Last, Jr, First": the comma form is the one that never
 * misplaces a multi-word family name. A name holding " and " or a comma of its own is braced whole.
 */
function bibtexName(name: string): string {
  const { given, family, suffix } = splitPersonName(name);
  if (/\band\b|,/i.test(family) || (given && /\band\b|,/i.test(given))) return `{${escapeBibtex(name)}}`;
  return [family, suffix, given].filter((part): part is string => !!part).map(escapeBibtex).join(', ');
}

/** The BibTeX types of the common CSL types (a CSL item exported as BibTeX). */
const BIBTEX_TYPE_OF_CSL: Record<string, string> = {
  'article-journal': 'article', 'article-magazine': 'article', 'article-newspaper': 'article', 'paper-conference': 'inproceedings',
  book: 'book', chapter: 'incollection', thesis: 'phdthesis', report: 'techreport', webpage: 'online', manuscript: 'unpublished',
};

/** The CSL types of the common BibTeX types (a `.bib` entry exported as CSL-JSON). */
const CSL_TYPE_OF_BIBTEX: Record<string, string> = {
  article: 'article-journal', inproceedings: 'paper-conference', conference: 'paper-conference', book: 'book', incollection: 'chapter',
  inbook: 'chapter', phdthesis: 'thesis', mastersthesis: 'thesis', thesis: 'thesis', techreport: 'report', report: 'report', online: 'webpage',
  unpublished: 'manuscript', misc: 'document', proceedings: 'book', collection: 'book', manual: 'book', patent: 'patent',
};

export interface CslItem {
  id: string;
  'citation-key': string;
  type: string;
  title: string;
  issued?: { 'date-parts': number[][] };
  author?: { family: string; given?: string; suffix?: string }[];
  abstract?: string;
  DOI?: string;
  /** The arXiv id (CSL's report or preprint number). */
  number?: string;
  'container-title'?: string;
  URL?: string;
  note?: string;
  source?: string;
}

export function toCslItems(papers: Paper[]): CslItem[] {
  return papers.map((paper) => {
    const source = sourceEntry(paper);
    // A CSL-JSON item goes out as it came, whatever fields it has.
    if (source?.library.csl) return { ...source.library.csl, id: paper.key } as unknown as CslItem;
    const entry = source ?? paper.locations[0].entry;
    const date = dateParts(entry);
    const item: CslItem = source
      ? { id: paper.key, 'citation-key': paper.key, type: CSL_TYPE_OF_BIBTEX[source.library.type] ?? 'document', title: entry.title }
      : { id: paper.key, 'citation-key': paper.key, type: 'article', title: entry.title, URL: paperUrl(paper), note: paperNote(entry), source: 'Hugging Face Papers' };
    if (date.length > 0) item.issued = { 'date-parts': [date] };
    if (source?.library.venue) item['container-title'] = source.library.venue;
    if (source?.library.url) item.URL = source.library.url;
    const metadata = metadataOfPaper(paper);
    if (metadata?.authorNames.length) item.author = metadata.authorNames.map(splitPersonName);
    if (entry.abstract) item.abstract = entry.abstract;
    if (metadata?.arxiv) {
      item.DOI = metadata.doi ?? arxivDoi(metadata.arxiv);
      item.number = metadata.arxiv;
      item['container-title'] = 'arXiv';
    } else if (metadata?.doi) {
      item.DOI = metadata.doi;
    }
    return item;
  });
}

export function formatBibliography(papers: Paper[], format: BibliographyFormat): string {
  const sorted = [...papers].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return format === 'bibtex' ? toBibtex(sorted) : `${JSON.stringify(toCslItems(sorted), null, 2)}\n`;
}
