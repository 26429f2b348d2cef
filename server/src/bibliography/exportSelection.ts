/**
 * Which papers an export holds: the workspace's, those of one digest, or those one note cites. The
 * command-line tool and the language server both choose through here, so `litdigest export` and
 * Export Bibliography give the same file.
 */
import { Paper, WorkspaceIndex } from '../index/workspaceIndex';
import { isLibraryEntry } from '../library/libraryEntries';

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
  } else if (selection.citedBy === undefined) {
    // The workspace's papers are the digests' ones: a person's own bibliographies are theirs already.
    papers = papers.filter((paper) => !isLibraryEntry(paper.locations[0].entry));
  }
  if (selection.citedBy !== undefined) {
    const note = index.file(selection.citedBy);
    const summary = note?.kind === 'note' ? note : undefined;
    const keys = new Set(summary ? summary.citations.filter((citation) => !citation.crossReference).map((citation) => citation.key) : []);
    const selected = new Set(selection.digest ? papers : index.papers());
    const cited: Paper[] = [];
    const exported = new Set<string>();
    const add = (paper: Paper, key: string) => {
      if (exported.has(key)) return;
      exported.add(key);
      // Under the key the note cites it by (a paper a digest and a .bib both list has two).
      cited.push(key === paper.key ? paper : { ...paper, key });
    };
    for (const key of keys) {
      const paper = index.paperCitedBy(summary, key);
      if (!paper) { unknownKeys.push(key); continue; }
      if (!selected.has(paper)) continue;
      add(paper, key);
      // A `.bib` entry that inherits from a `crossref` needs its parent beside it.
      for (const location of paper.locations) {
        const parentKey = isLibraryEntry(location.entry) && location.entry.library.key === key ? location.entry.library.fields?.get('crossref')?.trim() : undefined;
        const parent = parentKey ? index.paperByKey(parentKey) : undefined;
        if (parent && parentKey) add(parent, parentKey);
      }
    }
    papers = cited;
  }
  return { papers, unknownKeys };
}
