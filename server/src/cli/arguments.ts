/** The command line of `litdigest`: its usage text and how its words are read. */

export const USAGE = `Usage: litdigest <command> [options]

Commands:
  parse FILE... [--json]                       the entries of digest files
  search QUERY [PATH...] [--limit N] [--json]  ranked fuzzy search (PATH: files or folders; default .)
  check NOTE... [--digests PATH...]            citations that name no known key (exit 1 if any)
  keys [PATH...] [--json]                      key, title and locations of every paper (default .)
  export --format bibtex|csl-json [--cited-by NOTE] [--out FILE] [PATH...]
                                               the papers (or those NOTE cites) as a bibliography
  import FILE... [--into DIGEST]               Hugging Face Papers API responses (JSON, JSON Lines) as
                                               digest entries with their metadata: printed, or added
                                               to DIGEST (only papers it does not hold; metadata filled in)

Options:
  --json       machine-readable output
  --limit N    at most N search results (default 20)
  --format F   export format: bibtex or csl-json
  --cited-by NOTE  export only the papers a note cites
  --out FILE   write the export to FILE (never one of the inputs) instead of stdout
  --into DIGEST  import into DIGEST (created if missing) instead of printing
  -h, --help   this help
  --version    the version

Exit codes: 0 ok, 1 unknown citations found by check, 2 unreadable input or bad usage.`;

/** Each command's own usage, for `litdigest COMMAND --help`: its line of USAGE and what it does. */
export const COMMAND_USAGE: Record<string, string> = Object.fromEntries(
  USAGE.split('\nCommands:\n')[1].split('\n\nOptions:')[0]
    .split(/\n(?=  [a-z])/)
    .map((block) => {
      const [first, ...rest] = block.trim().split('\n').map((line) => line.trim());
      const [usage, ...description] = first.split(/\s{2,}/);
      return [usage.split(' ')[0], `Usage: litdigest ${usage}\n\n${[...description, ...rest].join(' ')}`];
    }),
);

/** A wrong call: told with the usage text, exit code 2. */
export class UsageError extends Error {}

export interface ParsedArguments {
  command: string;
  /** `--help` or `-h` was given (with a command: that command's help). */
  help: boolean;
  version: boolean;
  positional: string[];
  json: boolean;
  limit: number;
  digests: string[];
  format?: string;
  citedBy?: string;
  out?: string;
  into?: string;
}

export function parseArguments(argv: string[]): ParsedArguments {
  const result: ParsedArguments = { command: '', help: false, version: false, positional: [], json: false, limit: 20, digests: [] };
  let collectingDigests = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') { result.json = true; continue; }
    if (arg === '--help' || arg === '-h') { result.help = true; continue; }
    if (arg === '--version' || arg === '-V') { result.version = true; continue; }
    if (arg === '--limit') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new UsageError(`--limit needs a positive whole number, not '${argv[i] ?? ''}'`);
      result.limit = value;
      continue;
    }
    if (arg === '--digests') { collectingDigests = true; continue; }
    if (arg === '--format' || arg === '--cited-by' || arg === '--out' || arg === '--into') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      if (arg === '--format') result.format = value;
      else if (arg === '--cited-by') result.citedBy = value;
      else if (arg === '--out') result.out = value;
      else result.into = value;
      continue;
    }
    if (arg === '--') { result.positional.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--') || (arg.startsWith('-') && arg.length > 1)) throw new UsageError(`unknown option '${arg}'`);
    if (!result.command) result.command = arg;
    else if (collectingDigests) result.digests.push(arg);
    else result.positional.push(arg);
  }
  return result;
}

