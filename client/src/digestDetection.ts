/** Opens plain-text files whose lines are mostly digest entries as Paper Digest. */
import * as vscode from 'vscode';
import { looksLikeDigest } from '../../server/src/loading/fileClassifier';
import { Ctx } from './context';

export const DIGEST_LANGUAGE = 'paper-digest';

async function detect(ctx: Ctx, document: vscode.TextDocument): Promise<void> {
  if (!ctx.config.detectTextDigests || document.languageId !== 'plaintext') return;
  if (looksLikeDigest(document.getText(new vscode.Range(0, 0, 200, 0)))) await vscode.languages.setTextDocumentLanguage(document, DIGEST_LANGUAGE);
}

export function registerDigestDetection(ctx: Ctx): void {
  ctx.push(vscode.workspace.onDidOpenTextDocument((document) => void detect(ctx, document)));
  for (const document of vscode.workspace.textDocuments) void detect(ctx, document);
}
