/** `litdigest search QUERY [PATH...] [--limit N] [--json]`: ranked fuzzy search. */
import { ParsedArguments, UsageError } from '../arguments';
import { CliWorkspace, entryJson, lineNumber, Output, upvotesText } from '../cliWorkspace';

export async function searchCommand(args: ParsedArguments, workspace: CliWorkspace, output: Output): Promise<void> {
  const [query, ...paths] = args.positional;
  if (!query) throw new UsageError('search needs a query');
  await workspace.load(paths.length > 0 ? paths : ['.']);
  const results = workspace.index.search(query, { limit: args.limit });
  if (args.json) {
    output.out(JSON.stringify(results.map((result, rank) => {
      const shown = result.paper.locations[0];
      return { rank: rank + 1, score: Number(result.score.toFixed(4)), ...entryJson(workspace.index, shown.uri, shown.entry), locations: result.paper.locations.map((l) => `${l.uri}:${lineNumber(l.entry.line)}`) };
    }), null, 2));
    return;
  }
  if (results.length === 0) {
    output.out(`no papers match '${query}' (${workspace.index.paperCount} papers searched)`);
    return;
  }
  results.forEach((result, rank) => {
    const shown = result.paper.locations[0];
    output.out(`${String(rank + 1).padStart(3)}. ${result.paper.key}  ${shown.entry.title} (${shown.entry.date}, ${upvotesText(shown.entry.upvotes)})  ${shown.uri}:${lineNumber(shown.entry.line)}`);
  });
}
