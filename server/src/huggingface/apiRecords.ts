/**
 * Papers as the Hugging Face Papers API gives them (`/api/daily_papers`, `/api/papers/search`,
 * `/api/papers/{id}`), read from the shapes people keep them in: an array of items
 * (`{paper, numComments, ...}`) or of papers, an array wrapped in an object (`{date, data: [...]}`),
 * one paper, or JSON Lines of any of these. Whatever cannot be read is told per file and record,
 * and the rest is read.
 */
import { normaliseArxivId, PaperLink } from '../digest/paperMetadata';

/** One paper, with what a digest entry and its metadata line hold. */
export interface ApiPaper {
  arxiv?: string;
  title: string;
  abstract: string;
  authorNames: string[];
  upvotes: number;
  /** Comments on the paper's Hugging Face page, when the response tells. */
  comments: number | null;
  /** The paper's publication date (UTC), ISO `YYYY-MM-DD`. */
  date: string;
  links: PaperLink[];
}

export interface RecordProblem {
  /** 1-based record number in the file (in JSON Lines: the line), or undefined for the whole file. */
  record?: number;
  message: string;
}

export interface ReadRecords {
  papers: ApiPaper[];
  problems: RecordProblem[];
}

/** Property names under which wrapped responses keep their array. */
const WRAPPED_ARRAYS = ['data', 'papers', 'items', 'results'];

/** Reads every paper in the text of one response file. */
export function readApiResponse(text: string): ReadRecords {
  const result: ReadRecords = { papers: [], problems: [] };
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    return readJsonLines(text, error);
  }
  const records = recordsOf(whole);
  if (!records) {
    result.problems.push({ message: 'not a Hugging Face Papers response (expected a list of papers, a list wrapped in an object, one paper, or JSON Lines)' });
    return result;
  }
  records.forEach((record, index) => addRecord(result, record, index + 1));
  return result;
}

/** JSON Lines: one document per line, each a paper, an item or a list of them. */
function readJsonLines(text: string, wholeError: unknown): ReadRecords {
  const result: ReadRecords = { papers: [], problems: [] };
  const lines = text.split(/\r\n|\r|\n/);
  const documents = lines.filter((line) => line.trim()).length;
  if (documents <= 1) {
    result.problems.push({ message: `not JSON: ${wholeError instanceof Error ? wholeError.message : String(wholeError)}` });
    return result;
  }
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      result.problems.push({ record: index + 1, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const records = recordsOf(value);
    if (!records) result.problems.push({ record: index + 1, message: 'neither a paper nor a list of papers' });
    else for (const record of records) addRecord(result, record, index + 1);
  });
  return result;
}

/** The records of a parsed document, or undefined when it has none of the known shapes. */
function recordsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return undefined;
  if ('paper' in value || 'title' in value) return [value];
  for (const name of WRAPPED_ARRAYS) if (Array.isArray(value[name])) return value[name] as unknown[];
  return undefined;
}

function addRecord(result: ReadRecords, record: unknown, number: number): void {
  const read = readRecord(record);
  if (typeof read === 'string') result.problems.push({ record: number, message: read });
  else result.papers.push(read);
}

/** A record as a paper, or what is wrong with it. */
function readRecord(record: unknown): ApiPaper | string {
  if (!isObject(record)) return 'not an object';
  const paper = isObject(record.paper) ? record.paper : record;
  const title = oneLine(stringOf(paper.title) ?? stringOf(record.title) ?? '');
  if (!title) return 'has no title; skipped';
  const published = stringOf(paper.publishedAt) ?? stringOf(record.publishedAt);
  const date = published && /^\d{4}-\d{2}-\d{2}/.test(published) ? published.slice(0, 10) : undefined;
  if (!date) return `'${title}' has no publication date (publishedAt); skipped`;
  const authors = Array.isArray(paper.authors) ? paper.authors : [];
  const authorNames = authors
    .filter((author): author is Record<string, unknown> => isObject(author) && author.hidden !== true)
    .map((author) => oneLine(stringOf(author.name) ?? stringOf((author.user as Record<string, unknown> | undefined)?.fullname) ?? ''))
    .filter((name) => name.length > 0);
  const links: PaperLink[] = [];
  const github = stringOf(paper.githubRepo);
  if (github && /^https?:\/\//.test(github)) links.push({ label: 'code', url: github });
  const page = stringOf(paper.projectPage);
  if (page && /^https?:\/\//.test(page)) links.push({ label: 'page', url: page });
  const id = stringOf(paper.id);
  const comments = numberOf(record.numComments);
  return {
    arxiv: id ? normaliseArxivId(id) : undefined,
    title,
    abstract: oneLine(stringOf(paper.summary) ?? stringOf(record.summary) ?? ''),
    authorNames,
    upvotes: numberOf(paper.upvotes) ?? 0,
    comments: comments ?? null,
    date,
    links,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Text on one line: arXiv titles and abstracts wrap with newlines and runs of spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
