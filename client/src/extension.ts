/** Entry point of the extension: builds the context, then registers what it offers. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerDigestDetection } from './digestDetection';
import { SearchPanel } from './searchPanel';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<{ ctx: Ctx }> {
  ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  registerCommands(ctx);
  registerDigestDetection(ctx);
  ctx.push(vscode.window.registerWebviewViewProvider(SearchPanel.viewId, new SearchPanel(ctx), { webviewOptions: { retainContextWhenHidden: true } }));
  await ctx.start();
  return { ctx };
}

export async function deactivate(): Promise<void> {
  await ctx?.client.stop();
}
