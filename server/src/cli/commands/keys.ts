/** `litdigest keys [PATH...] [--json]`: key, title and locations of every paper. */
import { ParsedArguments } from '../arguments';
import { CliWorkspace, lineNumber, Output } from '../cliWorkspace';

export async function keysCommand(args: ParsedArguments, workspace: CliWorkspace, output: Output): Promise<void> {
  await workspace.load(args.positional.length > 0 ? args.positional : ['.']);
  const papers = workspace.index.papers().sort((a, b) => a.key.localeCompare(b.key));
  if (args.json) {
    output.out(JSON.stringify(papers.map((paper) => ({
      key: paper.key,
      title: paper.locations[0].entry.title,
      date: paper.locations[0].entry.date,
      locations: paper.locations.map((l) => ({ file: l.uri, line: lineNumber(l.entry.line) })),
    })), null, 2));
    return;
  }
  for (const paper of papers) {
    output.out(`${paper.key}\t${paper.locations[0].entry.title}\t${paper.locations.map((l) => `${l.uri}:${lineNumber(l.entry.line)}`).join(' ')}`);
  }
}
