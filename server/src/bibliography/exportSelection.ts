/**
 * Which papers an export holds: the workspace's, those of one digest, or those one note cites. The
 * command-line tool and the language server both choose through here, so `litdigest export` and
 * Export Bibliography give the same file.
 */
import { Paper, WorkspaceIndex } from '../index/workspaceIndex';

export interface ExportSelection {
  /** Only the papers listed in this digest (its name in the index). */
  digest?: string;
  /** Only the papers this note (its name in the index) cites. */
  citedBy?: string;
}

export interface SelectedPapers {
  papers: Paper[];
  /** Keys the `citedBy` note cites that name no paper, in the order first cited: left out of the export. */
  unknownKeys: string[];
}

export function selectPapersForExport(index: WorkspaceIndex, selection: ExportSelection): SelectedPapers {
  let papers = index.papers();
  const unknownKeys: string[] = [];
  if (selection.digest) {
    const digest = selection.digest;
    papers = papers.filter((paper) => paper.locations.some((location) => location.uri === digest));
  }
  if (selection.citedBy !== undefined) {
    const note = index.file(selection.citedBy);
    const keys = new Set(note?.kind === 'note' ? note.citations.map((citation) => citation.key) : []);
    papers = papers.filter((paper) => keys.has(paper.key));
    for (const key of keys) if (!index.paperByKey(key)) unknownKeys.push(key);
  }
  return { papers, unknownKeys };
}
