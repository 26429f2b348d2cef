/**
 * Pinning a key: the edit that writes `key: K` on a paper's metadata line (making one right under
 * the entry when it has none), so that the paper keeps K whatever other papers derive. Rename and
 * the ambiguous-key quick fix both write it.
 */
import { TextEdit } from 'vscode-languageserver-types';
import { DigestEntry } from '../digest/digestParser';
import { isLibraryEntry } from '../library/libraryEntries';
import { Paper, WorkspaceIndex } from '../index/workspaceIndex';

export interface PinEdit {
  uri: string;
  edit: TextEdit;
}

/** The digest entry whose metadata line decides a paper's pin: the first one that pins, else the first. */
export function pinnedEntryOf(paper: Paper): { uri: string; entry: DigestEntry } | undefined {
  let first: { uri: string; entry: DigestEntry } | undefined;
  for (const location of paper.locations) {
    if (isLibraryEntry(location.entry)) continue;
    if (location.entry.metadata?.key) return location;
    first ??= location;
  }
  return first;
}

/** The edit that pins `key` on `paper`; undefined when no digest lists it (a bibliography's key is its own). */
export function pinKeyEdit(index: WorkspaceIndex, paper: Paper, key: string): PinEdit | undefined {
  const place = pinnedEntryOf(paper);
  const digest = place && index.digest(place.uri)?.digest;
  if (!place || !digest) return undefined;
  const { entry } = place;
  const metadata = entry.metadata;
  if (metadata && entry.metadataLine !== undefined) {
    const line = entry.metadataLine;
    if (metadata.key && metadata.keySpan) {
      return { uri: place.uri, edit: TextEdit.replace({ start: { line, character: metadata.keySpan.start }, end: { line, character: metadata.keySpan.end } }, key) };
    }
    const end = digest.lines[line].trimEnd().length;
    return { uri: place.uri, edit: TextEdit.insert({ line, character: end }, ` \u00b7 key: ${key}`) };
  }
  // A metadata line of its own, right under the entry (where the parser looks for it first).
  const end = digest.lines[entry.line].length;
  return { uri: place.uri, edit: TextEdit.insert({ line: entry.line, character: end }, `\nkey: ${key}`) };
}
