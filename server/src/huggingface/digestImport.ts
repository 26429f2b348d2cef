/**
 * Papers from the Hugging Face Papers API as digest text: an entry line whose split is explicit
 * (` || ` between title and abstract, so no title is inferred) and a metadata line under it. Into
 * an existing digest, only the papers it does not hold are added, and the metadata of those it
 * holds is filled in, as edits of those lines only: importing the same papers twice changes
 * nothing the second time.
 */
import { paperKeyParts } from '../digest/citationKeys';
import { DigestEntry, DigestParseOptions, parseDigest, ParsedDigest } from '../digest/digestParser';
import { TITLE_SPLIT_MARKER } from '../digest/entryLine';
import { formatMetadataLine, MetadataFields, parseMetadataLine } from '../digest/paperMetadata';
import { ApiPaper } from './apiRecords';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The entry line of a paper, as Hugging Face lists it but with the title split written down. */
export function entryLineOf(paper: ApiPaper): string {
  const [year, month, day] = paper.date.split('-').map(Number);
  // The marker may occur only once: a title holding it would end early.
  const title = paper.title.split(TITLE_SPLIT_MARKER).join(' | ');
  const abstract = paper.abstract || '(no abstract)';
  const authors = paper.authorNames.length;
  const comments = paper.comments ? ` ${paper.comments}` : '';
  return `${paper.upvotes} ${title}${TITLE_SPLIT_MARKER}${abstract} ${authors} author${authors === 1 ? '' : 's'} \u00b7 ${MONTHS[month - 1]} ${day}, ${year}${comments}`;
}

export function metadataOf(paper: ApiPaper): MetadataFields {
  return { arxiv: paper.arxiv, authorNames: paper.authorNames, links: paper.links };
}

/** A change to a digest's text: `deleteCount` lines from `line` replaced by `lines`. */
export interface LineEdit {
  line: number;
  deleteCount: number;
  lines: string[];
}

export interface ImportPlan {
  /** Edits of the digest, in order of their lines, none overlapping. */
  edits: LineEdit[];
  added: number;
  /** Papers the digest held whose metadata line was written or completed. */
  filled: number;
  /** Papers the digest held with nothing to add. */
  unchanged: number;
}

/**
 * What importing `papers` into the digest `text` changes. A paper is held when an entry has its
 * arXiv id, or is the same paper by the digest's identity rule (title and year). Papers the
 * import gives twice are added once.
 */
export function planImport(text: string, papers: ApiPaper[], options: DigestParseOptions = {}): ImportPlan {
  const digest = parseDigest(text, options);
  const byArxiv = new Map<string, DigestEntry>();
  const byIdentity = new Map<string, DigestEntry>();
  for (const entry of digest.entries) {
    if (entry.metadata?.arxiv && !byArxiv.has(entry.metadata.arxiv)) byArxiv.set(entry.metadata.arxiv, entry);
    if (!byIdentity.has(entry.identity)) byIdentity.set(entry.identity, entry);
  }
  const plan: ImportPlan = { edits: [], added: 0, filled: 0, unchanged: 0 };
  const appended: string[] = [];
  const seenNew = new Set<string>();
  const filledLines = new Set<number>();
  for (const paper of papers) {
    const identity = paperKeyParts(paper.title, Number(paper.date.slice(0, 4))).identity;
    const held = (paper.arxiv && byArxiv.get(paper.arxiv)) || byIdentity.get(identity);
    if (held) {
      if (filledLines.has(held.line)) continue;
      const edit = metadataEdit(digest, held, paper);
      if (edit) { plan.edits.push(edit); plan.filled++; filledLines.add(held.line); } else plan.unchanged++;
      continue;
    }
    const seenKey = paper.arxiv ?? identity;
    if (seenNew.has(seenKey)) continue;
    seenNew.add(seenKey);
    appended.push(entryLineOf(paper));
    const metadata = formatMetadataLine(metadataOf(paper));
    if (metadata) appended.push(metadata);
    plan.added++;
  }
  plan.edits.sort((a, b) => a.line - b.line);
  if (appended.length > 0) plan.edits.push(appendEdit(digest, appended));
  return plan;
}

/** The metadata line an entry should have once it knows `paper`, as an edit; undefined when it has it all. */
function metadataEdit(digest: ParsedDigest, entry: DigestEntry, paper: ApiPaper): LineEdit | undefined {
  const incoming = metadataOf(paper);
  if (entry.metadataLine === undefined) {
    const line = formatMetadataLine(incoming);
    return line ? { line: entry.line + 1, deleteCount: 0, lines: [line] } : undefined;
  }
  // What the person wrote wins; the import adds only what the line lacks.
  const current = parseMetadataLine(digest.lines[entry.metadataLine]);
  const knownLabels = new Set(current.links.map((link) => link.label));
  const merged: MetadataFields = {
    arxiv: current.arxiv ?? incoming.arxiv,
    authorNames: current.authorNames.length > 0 ? current.authorNames : incoming.authorNames,
    doi: current.doi,
    key: current.key,
    links: [...current.links, ...(incoming.links ?? []).filter((link) => !knownLabels.has(link.label))],
  };
  const adds = (!current.arxiv && !!incoming.arxiv) || (current.authorNames.length === 0 && (incoming.authorNames?.length ?? 0) > 0) || merged.links!.length > current.links.length;
  if (!adds || current.problems.length > 0) return undefined;
  return { line: entry.metadataLine, deleteCount: 1, lines: [formatMetadataLine(merged)!] };
}

/** New entries at the end of the file, after a blank line. */
function appendEdit(digest: ParsedDigest, lines: string[]): LineEdit {
  const { lines: existing } = digest;
  // A file ending with a line break ends with an empty last line, which the new entries replace.
  const endsEmpty = existing.length > 0 && existing[existing.length - 1] === '';
  const contentLines = endsEmpty ? existing.length - 1 : existing.length;
  const hasContent = existing.slice(0, contentLines).some((line) => line.trim());
  const separated = hasContent && existing[contentLines - 1]?.trim() !== '' ? ['', ...lines] : lines;
  return { line: contentLines, deleteCount: endsEmpty ? 1 : 0, lines: [...separated, ''] };
}

/** Applies line edits (in order of their lines, not overlapping) to a text, keeping its line breaks. */
export function applyLineEdits(text: string, edits: LineEdit[]): string {
  if (edits.length === 0) return text;
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? text.slice(1) : text;
  const eol = /\r\n/.test(body) ? '\r\n' : '\n';
  const lines = body.split(/\r\n|\r|\n/);
  // From the end, so that each edit's line numbers still hold; of two at one line, the later first.
  const order = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.line - a.edit.line || b.index - a.index);
  for (const { edit } of order) lines.splice(edit.line, edit.deleteCount, ...edit.lines);
  return bom + lines.join(eol);
}
