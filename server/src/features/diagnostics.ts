/**
 * Diagnostics: broken entries, impossible dates, duplicates, doubtful title splits and a capture
 * year taken from the file's date in digests; what is broken in a bibliography (braces, keys,
 * `@string`s, JSON); a key that two different papers claim, on each of them;
 * citations that name no known key in notes (with the closest keys, for the quick fix), a key
 * that only a bibliography the note does not name holds, or a key that two papers derive and
 * none pins (the citation may mean either; see index/digestKeys.ts).
 */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { LineProblem } from '../digest/digestParser';
import { DigestSummary, LibrarySummary, NoteSummary, Paper, WorkspaceIndex } from '../index/workspaceIndex';
import { fileName } from './paperCard';
import { citationRange, spanRange } from './documentContext';

export const DIAGNOSTIC_SOURCE = 'literature-digest';
export const UNKNOWN_KEY_CODE = 'unknown-key';
export const SHARED_KEY_CODE = 'shared-key';
export const KEY_NOT_IN_DOCUMENT_BIBLIOGRAPHY_CODE = 'key-not-in-document-bibliography';
export const AMBIGUOUS_KEY_CODE = 'ambiguous-key';

const SEVERITY: Record<LineProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function digestDiagnostics(summary: DigestSummary): Diagnostic[] {
  return summary.digest.problems.map((problem) => {
    const diagnostic: Diagnostic = {
      range: spanRange(problem.line, problem.span),
      severity: SEVERITY[problem.severity],
      code: problem.code,
      source: DIAGNOSTIC_SOURCE,
      message: problem.message,
    };
    if (problem.relatedLine !== undefined) {
      diagnostic.relatedInformation = [{
        location: { uri: summary.uri, range: { start: { line: problem.relatedLine, character: 0 }, end: { line: problem.relatedLine, character: summary.digest.lines[problem.relatedLine].length } } },
        message: 'first listed here',
      }];
      diagnostic.tags = [DiagnosticTag.Unnecessary];
    }
    return diagnostic;
  });
}

/** Data an unknown-key diagnostic carries for its quick fix. */
export interface UnknownKeyData {
  suggestions: string[];
}

export function noteDiagnostics(index: WorkspaceIndex, summary: NoteSummary): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const citation of summary.citations) {
    const cited = index.paperCitedBy(summary, citation.key);
    if (cited) {
      const ambiguous = ambiguousKeyDiagnostic(index, citation.key, citationRange(citation));
      if (ambiguous) diagnostics.push(ambiguous);
      continue;
    }
    // Quarto resolves `@fig-x`, `@tbl-x`, `@sec-x` as cross-references: no paper is missing.
    if (citation.crossReference) continue;
    const elsewhere = index.paperByKey(citation.key);
    if (elsewhere) {
      diagnostics.push({
        range: citationRange(citation),
        severity: DiagnosticSeverity.Warning,
        code: KEY_NOT_IN_DOCUMENT_BIBLIOGRAPHY_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: `'${citation.key}' is in ${elsewhere.locations.map((l) => fileName(l.uri)).join(', ')}, not in the bibliographies this note names (${summary.bibliographies.map(fileName).join(', ')})`,
      });
      continue;
    }
    const suggestions = index.closestKeys(citation.key, 3);
    const data: UnknownKeyData = { suggestions };
    diagnostics.push({
      range: citationRange(citation),
      severity: DiagnosticSeverity.Warning,
      code: UNKNOWN_KEY_CODE,
      source: DIAGNOSTIC_SOURCE,
      message: `unknown citation key '${citation.key}'${suggestions.length > 0 ? ` (did you mean '${suggestions[0]}'?)` : ''}`,
      data,
    });
  }
  return diagnostics;
}

/**
 * A cited key that two or more unpinned papers derive: it names the one that held it first, which
 * a restart or another machine may not know; the candidates go with it, for the quick fixes.
 */
function ambiguousKeyDiagnostic(index: WorkspaceIndex, key: string, range: Diagnostic['range']): Diagnostic | undefined {
  const candidates = index.ambiguousKeyCandidates(key);
  if (candidates.length < 2) return undefined;
  const [named, ...others] = candidates;
  const describe = (paper: Paper) => `"${paper.locations[0].entry.title}" (${fileName(paper.locations[0].uri)}${paper.key !== key ? `, '${paper.key}'` : ''})`;
  return {
    range,
    severity: DiagnosticSeverity.Warning,
    code: AMBIGUOUS_KEY_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `'${key}' may mean ${candidates.length} papers: it names ${describe(named)}, and ${others.map(describe).join(', ')} derives it too; pin it on the paper you mean, or cite the other by its own key`,
    relatedInformation: candidates.map((paper) => ({
      location: { uri: paper.locations[0].uri, range: spanRange(paper.locations[0].entry.line, paper.locations[0].entry.spans.title) },
      message: paper === named ? `'${key}' names this paper now` : `also derives '${key}'; its own key is '${paper.key}'`,
    })),
  };
}

/** What is broken in a bibliography file, and the keys of its entries that other papers claim too. */
export function libraryDiagnostics(index: WorkspaceIndex, summary: LibrarySummary): Diagnostic[] {
  const diagnostics: Diagnostic[] = summary.library.problems.map((problem) => ({
    range: { start: { line: problem.line, character: problem.character }, end: { line: problem.endLine, character: problem.endCharacter } },
    severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  }));
  for (const entry of summary.library.entries) {
    const shared = sharedKeyDiagnostic(index, entry.library.key, index.paperOf(entry), spanRange(entry.line, entry.spans.title));
    if (shared) diagnostics.push(shared);
  }
  return diagnostics;
}

/**
 * A key that different papers claim (two bibliographies, or a bibliography and a digest's key):
 * said on each place, with the others as related information.
 */
function sharedKeyDiagnostic(index: WorkspaceIndex, key: string, paper: Paper | undefined, range: Diagnostic['range']): Diagnostic | undefined {
  if (!paper || key === '') return undefined;
  const sharing = index.papersSharingKey(key);
  if (sharing.length < 2) return undefined;
  const others = sharing.filter((other) => other !== paper);
  const answers = index.paperByKey(key) === paper;
  return {
    range,
    severity: DiagnosticSeverity.Warning,
    code: SHARED_KEY_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `the key '${key}' names ${sharing.length} different papers (${others.map((other) => `"${other.locations[0].entry.title}" in ${fileName(other.locations[0].uri)}`).join('; ')}); citations of it go to ${answers ? 'this one' : `"${index.paperByKey(key)?.locations[0].entry.title}"`}`,
    relatedInformation: others.map((other) => ({
      location: { uri: other.locations[0].uri, range: spanRange(other.locations[0].entry.line, other.locations[0].entry.spans.title) },
      message: `also '${key}'`,
    })),
  };
}

export function provideDiagnostics(index: WorkspaceIndex, uri: string): Diagnostic[] {
  const summary = index.file(uri);
  if (!summary) return [];
  if (summary.kind === 'library') return libraryDiagnostics(index, summary);
  if (summary.kind === 'note') return noteDiagnostics(index, summary);
  const diagnostics = digestDiagnostics(summary);
  for (const entry of summary.digest.entries) {
    const paper = index.paperOf(entry);
    if (!paper || paper.locations[0].entry !== entry) continue;
    const shared = sharedKeyDiagnostic(index, paper.key, paper, spanRange(entry.line, entry.spans.title));
    if (shared) diagnostics.push(shared);
  }
  return diagnostics;
}
