/**
 * The hover card of a paper, in Markdown. Everything taken from a digest is untrusted text pasted
 * from the web: it is escaped so that LaTeX, brackets, HTML, Markdown and `$(icon)` syntax render as
 * written. Links are built by the server (paperLinks.ts): from the URL-encoded title, or from an
 * arXiv id the metadata line accepted in arXiv's own forms; the code and page links of a metadata
 * line only when they are http(s) URLs, encoded; the citation links point at workspace files.
 */
import { DigestEntry } from '../digest/digestParser';
import { upvotesText } from '../digest/entryLine';
import { arxivAbstractUrl, arxivPdfUrl, arxivSearchUrl, doiUrl, huggingFacePaperUrl, huggingFaceSearchUrl, safeWebLink } from '../digest/paperLinks';
import { shortAuthorList } from '../digest/personNames';
import { metadataOfPaper } from '../index/paperFacts';
import { isLibraryEntry } from '../library/libraryEntries';
import { Paper, WorkspaceIndex } from '../index/workspaceIndex';

// The card's links, importable with it.
export { arxivSearchUrl, huggingFaceSearchUrl } from '../digest/paperLinks';

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~$&"':=@^]/g;

/** Makes text inert in Markdown: every punctuation character that could start syntax is escaped. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MARKDOWN_SPECIAL, (char) => (char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : `\\${char}`))
    // Line breaks and control characters from hostile input must not start new Markdown blocks.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\r\n]+/g, ' ');
}

/**
 * A key as code. Nothing is escaped inside a code span, so a key of a person's `.bib` (any
 * character but braces, commas and spaces) takes a fence longer than any run of backticks in it.
 */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${text.replace(/[\r\n]+/g, ' ')}${pad}${fence}`;
}

/** A short name of a file for display: its last path segment. */
export function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path.slice(path.lastIndexOf('/') + 1);
  }
}

/** A link that opens a workspace file at a line, the form VS Code's hovers understand. */
export function lineLink(uri: string, line: number, character = 0): string {
  return `${uri}#L${line + 1},${character + 1}`;
}

export interface PaperCardOptions {
  /** The reader's note lines of the entry shown, if the card should carry them. */
  noteLines?: string[];
  /** How many citation places to list before "and N more". */
  citationLimit?: number;
  /** The listing to show (the one hovered); by default the paper's first location. */
  entry?: DigestEntry;
}

export function renderPaperCard(index: WorkspaceIndex, paper: Paper, options: PaperCardOptions = {}): string {
  const shown: DigestEntry = options.entry ?? paper.locations[0].entry;
  const parts: string[] = [];
  parts.push(`**${escapeMarkdown(shown.title)}**`);
  const keys = paper.keys.length > 0 ? paper.keys : [paper.key];
  const facts = [keys.map(codeSpan).join(' = ')];
  const record = isLibraryEntry(shown) ? shown.library : undefined;
  if (record) {
    // A bibliography's entry: what it is and where it appeared, no upvotes.
    if (shown.date) facts.push(shown.date);
    facts.push(escapeMarkdown(record.type));
    if (record.venue) facts.push(`*${escapeMarkdown(record.venue)}*`);
  } else {
    facts.push(`${shown.date}${shown.yearInferred ? ' (year inferred)' : ''}`);
    facts.push(upvotesText(shown.upvotes));
    facts.push(`${shown.authors} author${shown.authors === 1 ? '' : 's'}`);
    if (shown.comments !== null) facts.push(`${shown.comments} comment${shown.comments === 1 ? '' : 's'}`);
  }
  parts.push(facts.join(' · '));
  const metadata = metadataOfPaper(paper);
  if (metadata?.authorNames.length) parts.push(escapeMarkdown(shortAuthorList(metadata.authorNames)));
  if (shown.abstract) parts.push(escapeMarkdown(shown.abstract));
  if (options.noteLines && options.noteLines.length > 0) {
    parts.push(`*Your notes:*\n\n${options.noteLines.map((line) => `> ${escapeMarkdown(line.replace(/^\s*>?\s*/, ''))}`).join('\n>\n')}`);
  }
  const citations = index.citationsOfPaper(paper);
  if (citations.length > 0) {
    const notes = new Set(citations.map((c) => c.uri));
    const limit = options.citationLimit ?? 10;
    const links = citations.slice(0, limit).map((c) => `[${escapeMarkdown(fileName(c.uri))}:${c.citation.line + 1}](${lineLink(c.uri, c.citation.line, c.citation.start)})`);
    const more = citations.length > limit ? ` and ${citations.length - limit} more` : '';
    parts.push(`Cited ${citations.length}× in ${notes.size} note${notes.size === 1 ? '' : 's'}: ${links.join(', ')}${more}`);
  } else {
    parts.push('Not cited in any note yet.');
  }
  if (paper.locations.length > 1) {
    parts.push(`Listed in ${paper.locations.length} places: ${paper.locations.map((l) => `[${escapeMarkdown(fileName(l.uri))}:${l.entry.line + 1}](${lineLink(l.uri, l.entry.line)})`).join(', ')}`);
  }
  const webLinks = metadata?.arxiv
    ? [`[Hugging Face Papers](${huggingFacePaperUrl(metadata.arxiv)})`, `[arXiv ${escapeMarkdown(metadata.arxiv)}](${arxivAbstractUrl(metadata.arxiv)})`, `[PDF](${arxivPdfUrl(metadata.arxiv)})`]
    : [`[Hugging Face Papers](${huggingFaceSearchUrl(shown.title)})`, `[arXiv](${arxivSearchUrl(shown.title)})`];
  for (const link of metadata?.links ?? []) {
    const url = safeWebLink(link.url);
    if (url) webLinks.push(`[${escapeMarkdown(link.label)}](${url})`);
  }
  for (const location of paper.locations) {
    const doi = isLibraryEntry(location.entry) ? location.entry.library.doi : undefined;
    const url = doi && !/^10\.48550\//i.test(doi) ? doiUrl(doi) : undefined;
    if (url) {
      webLinks.push(`[DOI ${escapeMarkdown(doi!)}](${url})`);
      break;
    }
  }
  parts.push(webLinks.join(' · '));
  return parts.join('\n\n');
}
