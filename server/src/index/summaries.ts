/**
 * What the workspace index holds: one summary per file (a digest as parsed, a note's citations)
 * and the papers the digests add up to, each with the places it is listed.
 */
import { DigestEntry, ParsedDigest } from '../digest/digestParser';
import { isLibraryEntry, ParsedLibrary } from '../library/libraryEntries';
import { Citation, NoteLanguage } from '../notes/noteCitations';

/**
 * One place a paper is listed: a digest's entry, or a bibliography's entry read as one (a
 * {@link LibraryEntry}, see isLibraryEntry).
 */
export interface PaperLocation {
  uri: string;
  entry: DigestEntry;
}

/**
 * A paper of the workspace: listed in one or more digests or bibliographies. Its key is the
 * digests' key when a digest lists it, else the key of its first bibliography entry; `keys` holds
 * that key and every bibliography key of the paper (all of them resolve to it).
 */
export interface Paper {
  key: string;
  keys: readonly string[];
  identity: string;
  /** Where it is listed, digests first; the first is the one shown (title, abstract, upvotes). */
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
  /**
   * The bibliography files the note names for itself (YAML `bibliography:`, `\addbibresource`),
   * as URIs; empty when it names none.
   */
  bibliographies: string[];
}

/** A BibTeX, BibLaTeX or CSL-JSON file. */
export interface LibrarySummary {
  kind: 'library';
  uri: string;
  /**
   * The file's entries as the index places them: an entry whose arXiv id or DOI a digest's paper
   * has carries that paper's identity.
   */
  library: ParsedLibrary;
  /** The file as read, before that. */
  read: ParsedLibrary;
}

export type FileSummary = DigestSummary | NoteSummary | LibrarySummary;

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

/**
 * Locations in a fixed order (digests before bibliographies, then file, then line), so the paper
 * shown does not depend on load order, and a paper a digest lists shows the digest's listing.
 */
export function compareLocations(a: PaperLocation, b: PaperLocation): number {
  const aLibrary = isLibraryEntry(a.entry);
  const bLibrary = isLibraryEntry(b.entry);
  if (aLibrary !== bLibrary) return aLibrary ? 1 : -1;
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.entry.line - b.entry.line;
}
