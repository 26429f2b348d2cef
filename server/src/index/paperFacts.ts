/**
 * What the workspace knows of a paper beyond its listing: the metadata line of whichever of its
 * entries has one (the one shown first, when several do), and the links that follow from it.
 */
import { PaperMetadata } from '../digest/paperMetadata';
import { arxivAbstractUrl, huggingFaceSearchUrl } from '../digest/paperLinks';
import { Paper } from './summaries';

export function metadataOfPaper(paper: Paper): PaperMetadata | undefined {
  for (const location of paper.locations) if (location.entry.metadata) return location.entry.metadata;
  return undefined;
}

/** Author names, when a metadata line gives them; empty otherwise. */
export function authorNamesOf(paper: Paper): string[] {
  return metadataOfPaper(paper)?.authorNames ?? [];
}

/** The paper's URL: its arXiv abstract page when the id is known, else a title search on Hugging Face. */
export function paperUrl(paper: Paper): string {
  const arxiv = metadataOfPaper(paper)?.arxiv;
  return arxiv ? arxivAbstractUrl(arxiv) : huggingFaceSearchUrl(paper.locations[0].entry.title);
}
