/**
 * `litdigest`: the digest core on the command line. Parses, searches and checks digests and notes
 * outside the editor. A file that cannot be read gets one line on stderr naming it, the other files
 * are still processed, and the exit code tells what happened:
 * 0 all good, 1 `check` found unknown citations, 2 some input could not be read or the usage is wrong.
 */
import { COMMAND_USAGE, parseArguments, ParsedArguments, USAGE, UsageError } from './arguments';
import { CliWorkspace, Output } from './cliWorkspace';
import { checkCommand } from './commands/check';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { keysCommand } from './commands/keys';
import { parseCommand } from './commands/parse';
import { searchCommand } from './commands/search';

/** Runs the CLI; returns the exit code. */
export async function run(argv: string[], output: Output): Promise<number> {
  let args: ParsedArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    output.err(`litdigest: ${(error as Error).message} (litdigest --help for usage)`);
    return 2;
  }
  if (args.version) { output.out(VERSION); return 0; }
  if (args.command === 'help') { output.out(COMMAND_USAGE[args.positional[0] ?? ''] ?? USAGE); return 0; }
  if (args.help) { output.out(COMMAND_USAGE[args.command] ?? USAGE); return 0; }
  const workspace = new CliWorkspace(output);
  try {
    let code = 0;
    switch (args.command) {
      case 'parse': await parseCommand(args, workspace, output); break;
      case 'search': await searchCommand(args, workspace, output); break;
      case 'check': code = await checkCommand(args, workspace, output); break;
      case 'keys': await keysCommand(args, workspace, output); break;
      case 'export': await exportCommand(args, workspace, output); break;
      case 'import': await importCommand(args, workspace, output); break;
      case '': throw new UsageError('no command given');
      default: throw new UsageError(`unknown command '${args.command}'`);
    }
    return workspace.failed ? 2 : code;
  } catch (error) {
    if (error instanceof UsageError) {
      // One line that says what is wrong: the whole usage is one --help away.
      output.err(`litdigest: ${error.message} (litdigest ${args.command && COMMAND_USAGE[args.command] ? `${args.command} ` : ''}--help for usage)`);
      return 2;
    }
    output.err(`litdigest: internal error: ${(error as Error).message ?? String(error)}`);
    return 2;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

if (require.main === module) {
  // `litdigest keys | head` closes the pipe early: the reader has all it wants, so stop quietly
  // (as other command-line tools do) instead of dying with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  run(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => { process.exitCode = code; });
}
