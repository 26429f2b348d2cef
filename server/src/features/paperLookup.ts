/**
 * Papers fetched from Hugging Face Papers, as edits of a digest document: Add Papers from Hugging
 * Face inserts the new ones and fills in the metadata of those it holds; Look Up on Hugging Face
 * finds one entry's paper by its title, adds its metadata line and, when Hugging Face ends the
 * title elsewhere than the inferred split, writes the split down there.
 */
import { TextEdit } from 'vscode-languageserver-types';
import { paperKeyParts } from '../digest/citationKeys';
import { DigestEntry, DigestParseOptions } from '../digest/digestParser';
import { TITLE_SPLIT_MARKER } from '../digest/entryLine';
import { formatMetadataLine } from '../digest/paperMetadata';
import { ApiPaper } from '../huggingface/apiRecords';
import { LineEdit, metadataOf, planImport } from '../huggingface/digestImport';
import { splitLines } from '../shared/text';

/** Line edits of `text` as LSP text edits, which give the same text when applied. */
export function lineEditsToTextEdits(text: string, edits: LineEdit[]): TextEdit[] {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = splitLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const last = lines.length - 1;
  // A byte-order mark is outside the lines but counts in the first line's characters in an editor.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const at = (line: number, character: number) => ({ line, character: line === 0 ? character + bom : character });
  return edits.map((edit) => {
    const end = edit.line + edit.deleteCount;
    if (end <= last) return { range: { start: at(edit.line, 0), end: at(end, 0) }, newText: edit.lines.map((line) => line + eol).join('') };
    // The edit reaches the end of the text: no line break follows its last line.
    if (edit.line > last) return { range: { start: at(last, lines[last].length), end: at(last, lines[last].length) }, newText: eol + edit.lines.join(eol) };
    return { range: { start: at(edit.line, 0), end: at(last, lines[last].length) }, newText: edit.lines.join(eol) };
  });
}

/** What Add Papers changes in the digest `text`. */
export function planAddPapers(text: string, papers: ApiPaper[], options: DigestParseOptions) {
  const plan = planImport(text, papers, options);
  return { ...plan, textEdits: lineEditsToTextEdits(text, plan.edits) };
}

/**
 * The search result that is `entry`'s paper: the same paper by title and year, or a title the
 * entry's line starts with (the inferred split ended it elsewhere), published in its year.
 */
export function matchingPaper(entry: DigestEntry, lineText: string, papers: ApiPaper[]): ApiPaper | undefined {
  const middle = lineText.slice(entry.spans.title.start, entry.spans.abstract.end);
  for (const paper of papers) if (paperKeyParts(paper.title, entry.year).identity === entry.identity) return paper;
  const fold = (text: string) => text.toLowerCase().replace(/\s+/g, ' ');
  return papers.find((paper) => Number(paper.date.slice(0, 4)) === entry.year && fold(middle).startsWith(`${fold(paper.title)} `));
}

/** The edits Look Up makes to `entry` once `paper` is known: its metadata line, and the split where Hugging Face ends the title. */
export function lookUpEdits(entry: DigestEntry, lineText: string, paper: ApiPaper, eol: string): { edits: TextEdit[]; correctsSplit: boolean } {
  const edits: TextEdit[] = [];
  let correctsSplit = false;
  if (entry.split.source === 'inferred' && entry.title !== paper.title) {
    const middle = lineText.slice(entry.spans.title.start, entry.spans.abstract.end);
    if (middle.toLowerCase().startsWith(`${paper.title.toLowerCase()} `)) {
      const gap = entry.spans.title.start + paper.title.length;
      edits.push({ range: { start: { line: entry.line, character: gap }, end: { line: entry.line, character: gap + 1 } }, newText: TITLE_SPLIT_MARKER });
      correctsSplit = true;
    }
  }
  const metadata = entry.metadataLine === undefined ? formatMetadataLine(metadataOf(paper)) : undefined;
  if (metadata) {
    const end = { line: entry.line, character: lineText.length };
    edits.push({ range: { start: end, end }, newText: `${eol}${metadata}` });
  }
  return { edits, correctsSplit };
}
