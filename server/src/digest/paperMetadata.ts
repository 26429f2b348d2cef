/**
 * A paper's metadata line: what a listing does not show (its arXiv id, its authors' names, links to
 * its code and project page), on a line of its own right under the entry, readable and typable:
 *
 *     20 Camels in a Changing Climate || Since the release of ... 11 authors · Nov 17, 2023 5
 *     arXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang · code: https://github.com/allenai/open-instruct
 *
 * The line starts, in its first column, with `arXiv:` or `authors:` (any case), which no line of a
 * pasted listing does; its fields are `name: value`, separated by ` · ` as a listing separates the
 * author count from the date. Author names are separated by commas, or by semicolons when a name
 * holds a comma. Fields: `arXiv`, `authors`, `code` (or `github`), `page`, `doi`, `key`; any other
 * field is kept as a link when its value is a URL. Only `key` (a pinned citation key, which may
 * also open the line: `key: tulu2023`) changes the paper's key; nothing changes its identity.
 */
import { isValidPinnedKey } from './citationKeys';
import { Span } from './entryLine';

export interface PaperLink {
  /** The field's name as written (`code`, `page`, ...), lower-cased. */
  label: string;
  url: string;
}

export interface PaperMetadata {
  /** The arXiv id without version (`2311.10702`), when given. */
  arxiv?: string;
  /** Author names in order, as written (`Hamish Ivison`); empty when not given. */
  authorNames: string[];
  /** A DOI other than the arXiv one, when given. */
  doi?: string;
  /** The citation key pinned by a `key:` field, and where its value stands in the line. */
  key?: string;
  keySpan?: Span;
  links: PaperLink[];
  /** What is wrong with the line, worth a warning (a malformed arXiv id, a field without a value). */
  problems: { span: Span; message: string }[];
}

// Most metadata lines have no links or problems: they share these (never written to), which keeps
// a workspace of 100,000 papers two arrays a paper lighter.
const NO_LINKS: PaperLink[] = Object.freeze([]) as unknown as PaperLink[];
const NO_PROBLEMS: PaperMetadata['problems'] = Object.freeze([]) as unknown as PaperMetadata['problems'];

/**
 * `arXiv:` or `authors:` open a metadata line; so does `key:` when one plain key follows it (a
 * person's own line "Key: this matters" stays a line of text).
 */
const METADATA_LINE = /^(?:(?:arxiv|authors)[ \t]*:|key[ \t]*:[ \t]*[\p{L}\p{N}_][^\s\u00b7]*[ \t]*(?:$| \u00b7 ))/iu;
const FIELD_SEPARATOR = ' \u00b7 ';
/** New-style arXiv ids (`2311.10702`, optionally `v2`) and old-style ones (`hep-th/9901001`). */
const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/i;

/** True when a line is a metadata line (it may still hold mistakes, reported by {@link parseMetadataLine}). */
export function isMetadataLine(line: string): boolean {
  return METADATA_LINE.test(line);
}

/** The arXiv id in `text` without version (`arXiv:2311.10702v2` gives `2311.10702`), or undefined. */
export function normaliseArxivId(text: string): string | undefined {
  const match = ARXIV_ID.exec(text.trim());
  return match ? match[1] : undefined;
}

/** Reads a metadata line; call only on lines {@link isMetadataLine} accepts. */
export function parseMetadataLine(line: string): PaperMetadata {
  const links: PaperLink[] = [];
  const problems: PaperMetadata['problems'] = [];
  let arxiv: string | undefined;
  let doi: string | undefined;
  let key: string | undefined;
  let keySpan: Span | undefined;
  let names: string[] = [];
  let at = 0;
  for (const field of line.split(FIELD_SEPARATOR)) {
    const fieldStart = at;
    at += field.length + FIELD_SEPARATOR.length;
    const colon = field.indexOf(':');
    const rawValue = colon >= 0 ? field.slice(colon + 1) : '';
    const value = rawValue.trim();
    const valueStart = fieldStart + colon + 1 + (rawValue.length - rawValue.trimStart().length);
    const span = { start: valueStart, end: valueStart + value.length };
    const name = (colon >= 0 ? field.slice(0, colon) : field).trim().toLowerCase();
    if (colon < 0 || !value) {
      if (field.trim()) problems.push({ span: { start: fieldStart, end: fieldStart + field.length }, message: `'${field.trim()}' is not a field of the form 'name: value'` });
      continue;
    }
    switch (name) {
      case 'arxiv': {
        const id = normaliseArxivId(value);
        if (id) arxiv = id;
        else problems.push({ span, message: `'${value}' is not an arXiv id (like 2311.10702)` });
        break;
      }
      case 'authors':
        names = splitAuthorNames(value);
        break;
      case 'doi':
        doi = value.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
        break;
      case 'key':
        if (isValidPinnedKey(value)) { key = value; keySpan = span; }
        else problems.push({ span, message: `'${value}' is not a citation key that Pandoc and LaTeX both read (letters, digits and _, with - : . + / inside)` });
        break;
      case 'github':
        links.push({ label: 'code', url: value });
        break;
      default:
        if (/^https?:\/\/\S+$/i.test(value)) links.push({ label: name, url: value });
        else problems.push({ span, message: `'${name}' is not a known field (arXiv, authors, code, page, doi, key) and its value is no URL` });
    }
  }
  // One shape for every line (the optional ids present, possibly undefined): V8 keeps them alike.
  return { arxiv, authorNames: names, doi, key, keySpan, links: links.length > 0 ? links : NO_LINKS, problems: problems.length > 0 ? problems : NO_PROBLEMS };
}

function splitAuthorNames(value: string): string[] {
  const separator = value.includes(';') ? ';' : ',';
  return value.split(separator).map((name) => name.trim().replace(/\s+/g, ' ')).filter((name) => name.length > 0);
}

/** What a metadata line says, to write one. */
export interface MetadataFields {
  arxiv?: string;
  authorNames?: string[];
  doi?: string;
  /** A pinned citation key. */
  key?: string;
  links?: PaperLink[];
}

/** The metadata line for `fields`, as {@link parseMetadataLine} reads it back; undefined when there is nothing to say. */
export function formatMetadataLine(fields: MetadataFields): string | undefined {
  const parts: string[] = [];
  if (fields.arxiv) parts.push(`arXiv: ${fields.arxiv}`);
  const names = (fields.authorNames ?? []).map((name) => name.replace(/\s+/g, ' ').replace(/ \u00b7 /g, ' ').trim()).filter(Boolean);
  if (names.length > 0) parts.push(`authors: ${names.join(names.some((name) => name.includes(',')) ? '; ' : ', ')}`);
  if (fields.doi) parts.push(`doi: ${fields.doi}`);
  if (fields.key) parts.push(`key: ${fields.key}`);
  for (const link of fields.links ?? []) if (/^https?:\/\/\S+$/i.test(link.url)) parts.push(`${link.label}: ${link.url}`);
  // The line must start with a field that marks it as metadata (a key alone opens it too).
  if (!fields.arxiv && names.length === 0 && !fields.key) return undefined;
  return parts.join(FIELD_SEPARATOR);
}
