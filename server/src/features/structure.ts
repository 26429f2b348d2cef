/** Code lens ("cited N×"), folding ranges and document links of digests. */
import { CodeLens, DocumentLink, FoldingRange, FoldingRangeKind } from 'vscode-languageserver-types';
import { showReferencesCommand } from '../shared/protocol';
import { DigestSummary, WorkspaceIndex } from '../index/workspaceIndex';
import { spanRange } from './documentContext';

export function provideCodeLenses(index: WorkspaceIndex, summary: DigestSummary): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const entry of summary.digest.entries) {
    const paper = index.paperOf(entry);
    if (!paper) continue;
    const citations = index.citationsOfPaper(paper);
    if (citations.length === 0) continue;
    const position = { line: entry.line, character: entry.spans.title.start };
    lenses.push({
      range: spanRange(entry.line, entry.spans.title),
      command: showReferencesCommand(`cited ${citations.length}×`, summary.uri, position, citations.map((c) => ({ uri: c.uri, range: spanRange(c.citation.line, c.citation) }))),
    });
  }
  return lenses;
}

export function provideFoldingRanges(summary: DigestSummary): FoldingRange[] {
  const { digest } = summary;
  const ranges: FoldingRange[] = [];
  // A section folds up to the last non-blank line before the next heading of its level or higher.
  digest.headings.forEach((heading, i) => {
    let end = digest.lines.length - 1;
    for (let j = i + 1; j < digest.headings.length; j++) {
      if (digest.headings[j].level <= heading.level) { end = digest.headings[j].line - 1; break; }
    }
    while (end > heading.line && digest.lineKinds[end] === 'blank') end--;
    if (end > heading.line) ranges.push({ startLine: heading.line, endLine: end, kind: FoldingRangeKind.Region });
  });
  for (const entry of digest.entries) {
    if (entry.noteLines.length > 0) ranges.push({ startLine: entry.line, endLine: entry.noteLines[entry.noteLines.length - 1], kind: FoldingRangeKind.Comment });
  }
  return ranges;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`\])}]+/g;

/** Links for the URLs written in abstracts and notes (trailing punctuation is not part of a URL). */
export function provideDocumentLinks(summary: DigestSummary): DocumentLink[] {
  const links: DocumentLink[] = [];
  summary.digest.lines.forEach((line, lineNumber) => {
    const kind = summary.digest.lineKinds[lineNumber];
    if (kind !== 'entry' && kind !== 'note') return;
    if (line.indexOf('http') < 0) return;
    URL_PATTERN.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = URL_PATTERN.exec(line)) !== null) {
      const url = match[0].replace(/[.,;:!?]+$/, '');
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') continue;
        links.push({ range: spanRange(lineNumber, { start: match.index, end: match.index + url.length }), target: parsed.href });
      } catch {
        // Not a URL after all.
      }
    }
  });
  return links;
}
