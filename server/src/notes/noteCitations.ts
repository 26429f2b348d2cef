/**
 * Finds citations in notes: Pandoc's `@key` syntax in Markdown (markdownCitations.ts) and
 * `\cite{...}` and its relatives in LaTeX (latexCitations.ts), chosen by the note's language.
 */
import type { NoteLanguage } from '../shared/fileKinds';
import { Citation } from './citation';
import { scanLatexCitations } from './latexCitations';
import { scanMarkdownCitations } from './markdownCitations';

/** Declared with the file kinds; re-exported because the scanners are chosen by it. */
export type { NoteLanguage };
export type { Citation };
export { pandocKeyEnd, scanMarkdownCitations } from './markdownCitations';
export { scanLatexCitations } from './latexCitations';

export function scanCitations(text: string, language: NoteLanguage): Citation[] {
  return language === 'latex' ? scanLatexCitations(text) : scanMarkdownCitations(text);
}
