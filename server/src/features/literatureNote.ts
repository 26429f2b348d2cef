/** Literature notes: a Markdown file for a paper, made from a template with variables. */
import * as nodePath from 'node:path';
import { Paper } from '../index/workspaceIndex';
import { arxivPdfUrl, huggingFacePaperUrl, huggingFaceSearchUrl } from '../digest/paperLinks';
import { metadataOfPaper } from '../index/paperFacts';

export interface NoteVariables {
  key: string;
  title: string;
  date: string;
  year: string;
  abstract: string;
  upvotes: string;
  url: string;
  /** Author names, comma-separated; empty without a metadata line. */
  authors: string;
  /** The arXiv id; empty when unknown. */
  arxiv: string;
  /** The arXiv PDF; empty when the id is unknown. */
  pdf: string;
  /** The paper's page on Hugging Face Papers (a title search when the id is unknown). */
  hf: string;
}

export function noteVariables(paper: Paper): NoteVariables {
  const entry = paper.locations[0].entry;
  const metadata = metadataOfPaper(paper);
  const hf = metadata?.arxiv ? huggingFacePaperUrl(metadata.arxiv) : huggingFaceSearchUrl(entry.title);
  return {
    key: paper.key,
    title: entry.title,
    date: entry.date,
    year: String(entry.year),
    abstract: entry.abstract,
    upvotes: String(entry.upvotes),
    url: hf,
    authors: metadata?.authorNames.join(', ') ?? '',
    arxiv: metadata?.arxiv ?? '',
    pdf: metadata?.arxiv ? arxivPdfUrl(metadata.arxiv) : '',
    hf,
  };
}

/** Fills `{{name}}` placeholders; unknown names are left as written so a typo shows. */
export function fillTemplate(template: string, variables: NoteVariables): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name as keyof NoteVariables] : whole));
}

/** The file name of a paper's note: its key, which is already safe in paths. */
export function noteFileName(paper: Paper): string {
  return `${paper.key.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.md`;
}

/** Where a paper's literature note goes and what a new one holds. */
export interface LiteratureNotePlan {
  path: string;
  text: string;
}

/**
 * The note for `paper` under `baseFolder` (the workspace folder of the digest that lists it), in
 * the `notes.folder` the settings name, filled from their template.
 */
export function planLiteratureNote(paper: Paper, baseFolder: string, settings: { folder: string; template: string }): LiteratureNotePlan {
  return { path: nodePath.join(baseFolder, settings.folder, noteFileName(paper)), text: fillTemplate(settings.template, noteVariables(paper)) };
}
