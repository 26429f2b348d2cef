/**
 * The language server process: `node dist/server.js --stdio` (or `--node-ipc` from VS Code).
 * Every handler finds the document, calls one feature of the core, and returns.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

/** The transports vscode-languageserver reads from the command line. */
const TRANSPORT = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;

if (!process.argv.slice(2).some((arg) => TRANSPORT.test(arg)) && process.send === undefined) {
  // Started by hand: say how to start it instead of the library's stack trace.
  process.stderr.write('literature-digest language server: give a transport, e.g. `node dist/server.js --stdio` (or --node-ipc, --socket=PORT, --pipe=NAME); editors start it for you.\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all));
