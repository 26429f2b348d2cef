/**
 * Code actions: fix the title split at the cursor (inserts the marker), create a literature note
 * for the entry, look the entry up on Hugging Face, write down the capture year a digest takes from
 * its file's date, replace an unknown citation key by one of the closest known keys, and settle
 * an ambiguous key: pin it on the paper it names, or cite another candidate by its own key.
 */
import { CodeAction, CodeActionKind, Diagnostic, Range } from 'vscode-languageserver-types';
import { LineProblem } from '../digest/digestParser';
import { TITLE_SPLIT_MARKER } from '../digest/entryLine';
import { createNoteCommand, lookUpPaperCommand } from '../shared/protocol';
import { WorkspaceIndex } from '../index/workspaceIndex';
import { AMBIGUOUS_KEY_CODE, UNKNOWN_KEY_CODE, UnknownKeyData } from './diagnostics';
import { entryAtLine } from './documentContext';
import { pinKeyEdit } from './keyPin';

const ASSUMED_CAPTURE_YEAR: LineProblem['code'] = 'assumed-capture-year';

export function provideCodeActions(index: WorkspaceIndex, uri: string, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const summary = index.file(uri);
  if (!summary) return [];
  const actions: CodeAction[] = [];
  if (summary.kind === 'note') {
    for (const diagnostic of diagnostics) {
      if (diagnostic.code === AMBIGUOUS_KEY_CODE) {
        const key = summary.citations.find((c) => c.line === diagnostic.range.start.line && c.start === diagnostic.range.start.character)?.key;
        const [named, ...others] = key ? index.ambiguousKeyCandidates(key) : [];
        const pin = named && pinKeyEdit(index, named, key!);
        if (pin) {
          actions.push({
            title: `Keep '${key}' for "${shorten(named.locations[0].entry.title)}": pin it`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [pin.uri]: [pin.edit] } },
          });
        }
        for (const other of others) {
          actions.push({
            title: `Cite "${shorten(other.locations[0].entry.title)}" instead: '${other.key}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: { changes: { [uri]: [{ range: diagnostic.range, newText: other.key }] } },
          });
        }
        continue;
      }
      if (diagnostic.code !== UNKNOWN_KEY_CODE) continue;
      const suggestions = (diagnostic.data as UnknownKeyData | undefined)?.suggestions ?? index.closestKeys(summary.citations.find((c) => c.line === diagnostic.range.start.line && c.start === diagnostic.range.start.character)?.key ?? '');
      suggestions.forEach((key, i) => actions.push({
        title: `Change to '${key}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0,
        edit: { changes: { [uri]: [{ range: diagnostic.range, newText: key }] } },
      }));
    }
    return actions;
  }
  if (summary.kind === 'library') return actions;
  // The year of yearless dates written down, so that saving the file later does not change it.
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== ASSUMED_CAPTURE_YEAR) continue;
    const year = entryAtLine(summary, diagnostic.range.start.line)?.year;
    if (year === undefined) continue;
    const at = { line: diagnostic.range.start.line, character: 0 };
    actions.push({
      title: `Keep the year: add 'captured: ${year}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: { start: at, end: at }, newText: `captured: ${year}\n` }] } },
    });
  }
  const line = range.start.line;
  const entry = entryAtLine(summary, line);
  if (!entry) return actions;
  const lineText = summary.digest.lines[line];
  const paper = index.paperOf(entry);
  const cursor = range.start.character;
  // The title may end at the word gap nearest the cursor, within title or abstract.
  if (!entry.spans.splitMarker && cursor >= entry.spans.title.start && cursor <= entry.spans.abstract.end) {
    const gap = nearestWordGap(lineText, cursor, entry.spans.title.start, entry.spans.abstract.end);
    if (gap !== undefined && gap !== entry.spans.title.end) {
      const title = lineText.slice(entry.spans.title.start, gap).trim();
      actions.push({
        title: `Title ends here: "${shorten(title)}"`,
        kind: CodeActionKind.QuickFix,
        diagnostics: diagnostics.filter((d) => d.code === 'doubtful-split'),
        edit: { changes: { [uri]: [{ range: { start: { line, character: gap }, end: { line, character: gap + 1 } }, newText: TITLE_SPLIT_MARKER }] } },
      });
    }
  }
  if (entry.split.source === 'inferred') {
    actions.push({
      title: 'Confirm the title as read (insert the split marker)',
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [uri]: [{ range: { start: { line, character: entry.spans.title.end }, end: { line, character: entry.spans.abstract.start } }, newText: TITLE_SPLIT_MARKER }] } },
    });
  }
  // The paper's metadata, and its title as Hugging Face has it, fetched on the person's request.
  if (entry.metadataLine === undefined || entry.split.source === 'inferred') {
    actions.push({ title: 'Look Up on Hugging Face', kind: CodeActionKind.Empty, command: lookUpPaperCommand(uri, line) });
  }
  if (paper) {
    actions.push({
      title: `Open the literature note of ${paper.key}`,
      kind: CodeActionKind.Empty,
      command: createNoteCommand(paper.key),
    });
  }
  return actions;
}

/** The space between words closest to `cursor` in [from, to), if any. */
function nearestWordGap(line: string, cursor: number, from: number, to: number): number | undefined {
  let best: number | undefined;
  for (let i = from; i < to; i++) {
    if (line[i] !== ' ') continue;
    if (best === undefined || Math.abs(i - cursor) < Math.abs(best - cursor)) best = i;
    if (i > cursor && best !== undefined && i - cursor > Math.abs(best - cursor)) break;
  }
  return best;
}

function shorten(text: string): string {
  return text.length > 60 ? `…${text.slice(-57)}` : text;
}
