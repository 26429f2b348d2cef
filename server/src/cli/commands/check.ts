/**
 * `litdigest check NOTE... [--digests PATH...]`: citations that name no known key (exit 1), and
 * keys that two papers derive and none pins (a warning: the key names the paper listed first,
 * which another machine or a later edit may not agree on).
 */
import * as nodePath from 'node:path';
import { ParsedArguments, UsageError } from '../arguments';
import { CliWorkspace, counted, displayPath, lineNumber, loadFileAsNote, Output } from '../cliWorkspace';

export async function checkCommand(args: ParsedArguments, workspace: CliWorkspace, output: Output): Promise<number> {
  if (args.positional.length === 0) throw new UsageError('check needs at least one note');
  await workspace.load(args.digests.length > 0 ? args.digests : ['.']);
  let unknown = 0;
  let checked = 0;
  let notes = 0;
  for (const raw of args.positional) {
    const path = displayPath(raw);
    const kind = workspace.classifier.classify(nodePath.basename(path));
    const language = kind.kind === 'note' ? kind.language : 'markdown';
    const result = await loadFileAsNote(workspace, path, language);
    if (result.problem) { workspace.report(result.problem); continue; }
    await workspace.loadNamedBibliographies(path);
    const note = workspace.index.file(path);
    if (note?.kind !== 'note') continue;
    notes++;
    checked += note.citations.length;
    for (const citation of note.citations) {
      // Quarto's cross-references (`@fig-x`) name figures, not papers.
      if (citation.crossReference) continue;
      if (workspace.index.paperCitedBy(note, citation.key)) {
        const candidates = workspace.index.ambiguousKeyCandidates(citation.key);
        if (candidates.length > 1) {
          const [named, ...others] = candidates;
          const place = (paper: typeof named) => `"${paper.locations[0].entry.title}" (${paper.locations[0].uri}:${lineNumber(paper.locations[0].entry.line)})`;
          output.out(`${path}:${citation.line + 1}:${citation.start + 1}: warning: citation key '${citation.key}' may mean ${candidates.length} papers: it names ${place(named)}; ${others.map((other) => `${place(other)} is '${other.key}'`).join('; ')}; pin it with 'key: ${citation.key}' under the entry you mean`);
        }
        continue;
      }
      unknown++;
      const elsewhere = workspace.index.paperByKey(citation.key);
      if (elsewhere) {
        output.out(`${path}:${citation.line + 1}:${citation.start + 1}: citation key '${citation.key}' is in ${elsewhere.locations.map((l) => l.uri).join(', ')}, not in the bibliographies this note names (${note.bibliographies.join(', ')})`);
        continue;
      }
      const suggestion = workspace.index.closestKeys(citation.key, 1)[0];
      output.out(`${path}:${citation.line + 1}:${citation.start + 1}: unknown citation key '${citation.key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
    }
  }
  // A summary on stderr, so that stdout stays the list of unknown keys a script reads.
  const summary = `${counted(checked, 'citation')} in ${counted(notes, 'note')} checked against ${counted(workspace.index.paperCount, 'paper')}`;
  if (unknown > 0) output.err(`${counted(unknown, 'unknown citation')} (${summary})`);
  else if (notes > 0) output.err(`litdigest: ${summary}: all known`);
  return unknown > 0 ? 1 : 0;
}
