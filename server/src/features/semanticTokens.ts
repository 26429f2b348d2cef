/**
 * Semantic tokens for digests: the title of each entry. Where the title ends is inferred by the
 * parser, which a TextMate grammar cannot do, so the grammar colours the line and these tokens
 * mark the title (scope `entity.name.title.paper-digest` through the manifest's semanticTokenScopes).
 */
import { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { DigestSummary } from '../index/workspaceIndex';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: ['paperTitle'], tokenModifiers: [] };

export function provideSemanticTokens(summary: DigestSummary): SemanticTokens {
  const data: number[] = [];
  let previousLine = 0;
  for (const entry of summary.digest.entries) {
    const { start, end } = entry.spans.title;
    if (end <= start) continue;
    data.push(entry.line - previousLine, start, end - start, 0, 0);
    previousLine = entry.line;
  }
  return { data };
}
