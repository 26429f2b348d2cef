/** Every cited paper that exists, with where it is listed: the Markdown preview turns citations of them into links. */
import { WorkspaceIndex } from '../index/workspaceIndex';
import { CitedPaper } from '../shared/protocol';

export function provideCitedPapers(index: WorkspaceIndex): CitedPaper[] {
  const papers: CitedPaper[] = [];
  for (const key of index.citedKeys()) {
    const paper = index.paperByKey(key);
    if (!paper) continue;
    const shown = paper.locations[0];
    papers.push({ key, title: shown.entry.title, date: shown.entry.date, uri: shown.uri, line: shown.entry.line });
  }
  return papers;
}
