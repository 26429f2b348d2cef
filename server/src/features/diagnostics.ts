/**
 * Diagnostics: broken entries, impossible dates, duplicates, doubtful title splits and a capture
 * year taken from the file's date in digests;
 * citations that name no known key in notes (with the closest keys, for the quick fix).
 */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { LineProblem } from '../digest/digestParser';
import { DigestSummary, NoteSummary, WorkspaceIndex } from '../index/workspaceIndex';
import { citationRange, spanRange } from './documentContext';

export const DIAGNOSTIC_SOURCE = 'literature-digest';
export const UNKNOWN_KEY_CODE = 'unknown-key';

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
    if (index.paperByKey(citation.key)) continue;
    // Quarto resolves `@fig-x`, `@tbl-x`, `@sec-x` as cross-references: no paper is missing.
    if (citation.crossReference) continue;
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

export function provideDiagnostics(index: WorkspaceIndex, uri: string): Diagnostic[] {
  const summary = index.file(uri);
  if (!summary) return [];
  return summary.kind === 'digest' ? digestDiagnostics(summary) : noteDiagnostics(index, summary);
}
