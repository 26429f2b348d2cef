/** `litdigest export --format bibtex|csl-json [--cited-by NOTE] [--out FILE] [PATH...]`: the papers as a bibliography. */
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { formatBibliography } from '../../bibliography/bibliography';
import { selectPapersForExport } from '../../bibliography/exportSelection';
import { ParsedArguments, UsageError } from '../arguments';
import { CliWorkspace, displayPath, loadFileAsNote, Output } from '../cliWorkspace';

export async function exportCommand(args: ParsedArguments, workspace: CliWorkspace, output: Output): Promise<void> {
  const format = args.format;
  if (format !== 'bibtex' && format !== 'csl-json') throw new UsageError(`export needs --format bibtex or --format csl-json${format ? `, not '${format}'` : ''}`);
  const inputs = args.positional.length > 0 ? args.positional : ['.'];
  await workspace.load(inputs);
  let citedBy: string | undefined;
  if (args.citedBy) {
    citedBy = displayPath(args.citedBy);
    const kind = workspace.classifier.classify(nodePath.basename(citedBy));
    const result = await loadFileAsNote(workspace, citedBy, kind.kind === 'note' ? kind.language : 'markdown');
    if (result.problem) { workspace.report(result.problem); return; }
    await workspace.loadNamedBibliographies(citedBy);
  }
  const { papers, unknownKeys } = selectPapersForExport(workspace.index, { citedBy });
  for (const key of unknownKeys) output.err(`litdigest: ${citedBy}: unknown citation key '${key}' left out of the export`);
  const text = formatBibliography(papers, format);
  if (!args.out) {
    output.out(text.replace(/\n$/, ''));
    return;
  }
  // The tool never writes into what it reads.
  const out = nodePath.resolve(args.out);
  const inputFiles = workspace.index.allFiles().map((file) => nodePath.resolve(file.uri));
  if (inputFiles.includes(out) || inputs.some((input) => nodePath.resolve(input) === out)) {
    throw new UsageError(`--out ${args.out} is one of the inputs; choose another file`);
  }
  await fsp.writeFile(out, text);
  output.err(`litdigest: wrote ${papers.length} paper${papers.length === 1 ? '' : 's'} to ${args.out}`);
}
