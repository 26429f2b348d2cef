/**
 * What the workspace index holds: one summary per file (a digest as parsed, a note's citations)
 * and the papers the digests add up to, each with the places it is listed.
 */
import { DigestEntry, ParsedDigest } from '../digest/digestParser';
import { Citation, NoteLanguage } from '../notes/noteCitations';

/** One place a paper is listed. */
export interface PaperLocation {
  uri: string;
  entry: DigestEntry;
}

/** A paper of the workspace: one key, listed in one or more digests. */
export interface Paper {
  key: string;
  identity: string;
  /** Where it is listed; the first is the one shown (title, abstract, upvotes). */
  locations: PaperLocation[];
}

export interface DigestSummary {
  kind: 'digest';
  uri: string;
  digest: ParsedDigest;
}

export interface NoteSummary {
  kind: 'note';
  uri: string;
  language: NoteLanguage;
  citations: Citation[];
}

export type FileSummary = DigestSummary | NoteSummary;

export interface CitationLocation {
  uri: string;
  citation: Citation;
}

/** A file's entries grouped by paper (identity), in line order. */
export function entriesByIdentity(entries: DigestEntry[]): Map<string, DigestEntry[]> {
  const map = new Map<string, DigestEntry[]>();
  for (const entry of entries) {
    const list = map.get(entry.identity);
    if (list) list.push(entry); else map.set(entry.identity, [entry]);
  }
  return map;
}

/** Locations in a fixed order (file, then line), so the paper shown does not depend on load order. */
export function compareLocations(a: PaperLocation, b: PaperLocation): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.entry.line - b.entry.line;
}
