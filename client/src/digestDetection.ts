/** Opens plain-text files whose lines are mostly digest entries as Paper Digest. */
import * as vscode from 'vscode';
import { looksLikeDigest } from '../../server/src/digest/digestSniffing';
import { DIGEST_LANGUAGE_ID, PLAIN_TEXT_LANGUAGE_ID } from '../../server/src/shared/fileKinds';
import { Ctx } from './context';

async function detect(ctx: Ctx, document: vscode.TextDocument): Promise<void> {
  if (!ctx.config.detectTextDigests || document.languageId !== PLAIN_TEXT_LANGUAGE_ID) return;
  if (looksLikeDigest(document.getText(new vscode.Range(0, 0, 200, 0)))) await vscode.languages.setTextDocumentLanguage(document, DIGEST_LANGUAGE_ID);
}

export function registerDigestDetection(ctx: Ctx): void {
  ctx.push(vscode.workspace.onDidOpenTextDocument((document) => void detect(ctx, document)));
  for (const document of vscode.workspace.textDocuments) void detect(ctx, document);
}
