/**
 * Rename a key (F2 on a citation, on a digest entry or on a bibliography entry's key): one
 * workspace edit that pins the new key on the paper's digest entry (or rewrites the key in the
 * bibliography file that holds it) and rewrites every citation of the old key that names the
 * paper, in every note. Refused, with the reason, for a key that is taken or that Pandoc and LaTeX
 * would not read as written.
 */
import { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { isValidPinnedKey } from '../digest/citationKeys';
import { isLibraryEntry } from '../library/libraryEntries';
import { isCrossReferenceKey } from '../notes/markdownCitations';
import { Paper, WorkspaceIndex } from '../index/workspaceIndex';
import { citationRange, spanRange, targetAt } from './documentContext';
import { fileName } from './paperCard';
import { pinKeyEdit } from './keyPin';

/** What F2 renames: a paper's key, shown at `range`. */
interface RenameTarget {
  paper: Paper;
  key: string;
  range: Range;
}

/** A rename that cannot be done, and why, in words for the person. */
export interface RenameRefusal {
  refused: string;
}

function renameTargetAt(index: WorkspaceIndex, uri: string, position: Position): RenameTarget | RenameRefusal | undefined {
  const target = targetAt(index, uri, position);
  if (!target) return undefined;
  if (target.kind === 'citation') {
    if (!target.paper) return { refused: `'${target.citation.key}' names no paper, so there is nothing to rename` };
    return { paper: target.paper, key: target.citation.key, range: citationRange(target.citation) };
  }
  const entry = target.entry;
  const key = isLibraryEntry(entry) ? entry.library.key : target.paper.key;
  if (key === '') return { refused: 'this entry has no key to rename' };
  return { paper: target.paper, key, range: spanRange(entry.line, entry.spans.title) };
}

/** `textDocument/prepareRename`: the range and the key to edit, null where nothing is renamed. */
export function providePrepareRename(index: WorkspaceIndex, uri: string, position: Position): { range: Range; placeholder: string } | RenameRefusal | null {
  const target = renameTargetAt(index, uri, position);
  if (!target) return null;
  if ('refused' in target) return target;
  return { range: target.range, placeholder: target.key };
}

/** `textDocument/rename`: the workspace edit, or why it is refused. */
export function provideRename(index: WorkspaceIndex, uri: string, position: Position, newName: string): WorkspaceEdit | RenameRefusal | null {
  const target = renameTargetAt(index, uri, position);
  if (!target) return null;
  if ('refused' in target) return target;
  const { paper, key } = target;
  const newKey = newName.trim();
  if (newKey === key) return { changes: {} };
  if (!isValidPinnedKey(newKey)) return { refused: `'${newKey}' is not a key that Pandoc and LaTeX both read as written: use letters, digits and _, with - : . + / only between them` };
  if (isCrossReferenceKey(newKey)) return { refused: `'${newKey}' would be read by Quarto as a cross-reference (fig-, tbl-, sec-, eq-, ...), not a citation` };
  const holder = index.paperByKey(newKey);
  if (holder && holder !== paper) return { refused: `'${newKey}' is already the key of "${holder.locations[0].entry.title}" (${fileName(holder.locations[0].uri)})` };

  const changes: Record<string, TextEdit[]> = {};
  const add = (fileUri: string, edit: TextEdit) => (changes[fileUri] ??= []).push(edit);
  // A bibliography's key is renamed where it is written; a digest paper's key is pinned; a paper
  // that both list under the key (a digest's paper exported into a .bib) gets both.
  const libraryPlaces = paper.locations.filter((location) => isLibraryEntry(location.entry) && location.entry.library.key === key);
  for (const location of libraryPlaces) add(location.uri, TextEdit.replace(spanRange(location.entry.line, location.entry.spans.title), newKey));
  const digestKeyed = paper.key === key && paper.locations.some((location) => !isLibraryEntry(location.entry));
  if (digestKeyed || libraryPlaces.length === 0) {
    const pin = pinKeyEdit(index, paper, newKey);
    if (!pin) return { refused: `'${key}' is not written in any digest or bibliography, so it cannot be renamed` };
    add(pin.uri, pin.edit);
  }
  for (const { uri: noteUri, citation } of index.citationsOf(key)) {
    const note = index.file(noteUri);
    // Only the citations that name this paper: a note that names other bibliographies keeps its own.
    if (note?.kind !== 'note' || index.paperCitedBy(note, key) !== paper) continue;
    add(noteUri, TextEdit.replace(citationRange(citation), newKey));
  }
  return { changes };
}
