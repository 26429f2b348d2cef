/** Literature notes: a Markdown file for a paper, made from a template with variables. */
import { Paper } from '../index/workspaceIndex';
import { huggingFaceSearchUrl } from './paperCard';

export interface NoteVariables {
  key: string;
  title: string;
  date: string;
  year: string;
  abstract: string;
  upvotes: string;
  url: string;
}

export function noteVariables(paper: Paper): NoteVariables {
  const entry = paper.locations[0].entry;
  return {
    key: paper.key,
    title: entry.title,
    date: entry.date,
    year: String(entry.year),
    abstract: entry.abstract,
    upvotes: String(entry.upvotes),
    url: huggingFaceSearchUrl(entry.title),
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
