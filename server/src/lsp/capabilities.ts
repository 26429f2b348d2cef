/** What the server offers, answered at `initialize`. */
import { CodeActionKind, ServerCapabilities, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { SEMANTIC_TOKENS_LEGEND } from '../features/semanticTokens';
import { SERVER_COMMANDS } from '../shared/protocol';

export function serverCapabilities(): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    documentSymbolProvider: { label: 'Papers' },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['@', '{', ','], resolveProvider: true },
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    workspaceSymbolProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Empty] },
    codeLensProvider: { resolveProvider: false },
    foldingRangeProvider: true,
    documentLinkProvider: { resolveProvider: false },
    semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
    executeCommandProvider: { commands: [...SERVER_COMMANDS] },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}
