/** `litdigest parse FILE... [--json]`: the entries of digest files. */
import { ParsedArguments, UsageError } from '../arguments';
import { CliWorkspace, counted, displayPath, entryJson, Output, upvotesText } from '../cliWorkspace';
import { loadFile } from '../../loading/workspaceLoader';

export async function parseCommand(args: ParsedArguments, workspace: CliWorkspace, output: Output): Promise<void> {
  if (args.positional.length === 0) throw new UsageError('parse needs at least one digest file');
  const files: string[] = [];
  for (const raw of args.positional) {
    const path = displayPath(raw);
    const kind = workspace.classifier.classify(path.replace(/\\/g, '/').split('/').pop() ?? path);
    if (kind.kind === 'note' || kind.kind === 'library') {
      // Parsed as a digest it would give nothing, silently: say what it is and what reads it.
      output.err(`litdigest: ${path} is ${kind.kind === 'note' ? 'a note' : 'a bibliography'}, not a digest: ${kind.kind === 'note' ? "'litdigest check' reads its citations" : "'litdigest keys' lists its entries"}`);
      continue;
    }
    const result = await loadFile(workspace.index, workspace.fs, workspace.classifier, path, path, 'digest');
    if (result.problem) workspace.report(result.problem.code === 'folder'
      ? { path, code: 'folder', message: 'is a folder; parse takes files (litdigest keys takes folders)' }
      : result.problem);
    if (result.loaded) {
      files.push(path);
      if (workspace.index.digest(path)?.digest.entries.length === 0) output.err(`litdigest: ${path}: no entries (a line of a Hugging Face Papers listing ends in 'N authors · date')`);
    }
  }
  workspace.reportLineProblems();
  const rows = files.flatMap((file) => workspace.index.digest(file)!.digest.entries.map((entry) => entryJson(workspace.index, file, entry)));
  if (args.json) {
    output.out(JSON.stringify(rows, null, 2));
    return;
  }
  for (const row of rows) {
    output.out(`${row.file}:${row.line}\t${row.key}\t${row.title}\t${row.date}\t${upvotesText(row.upvotes)}\t${counted(row.authors, 'author')}${row.comments !== null ? `\t${counted(row.comments, 'comment')}` : ''}`);
  }
}
