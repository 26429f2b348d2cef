/**
 * The language server process: `node dist/server.js --stdio` (or `--node-ipc` from VS Code).
 * Every handler finds the document, calls one feature of the core, and returns.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
