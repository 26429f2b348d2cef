/** Entry point of the extension: builds the context, then registers what it offers. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerDigestDetection } from './digestDetection';
import { CitationPreview } from './markdownPreview';
import { SearchPanel } from './searchPanel';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<{ ctx: Ctx; extendMarkdownIt: CitationPreview['extendMarkdownIt'] }> {
  ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  registerCommands(ctx);
  registerDigestDetection(ctx);
  ctx.push(vscode.window.registerWebviewViewProvider(SearchPanel.viewId, new SearchPanel(ctx), { webviewOptions: { retainContextWhenHidden: true } }));
  // Trust granted later: restart the server so it may create notes and export again.
  ctx.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void ctx?.client.restart()));
  const preview = new CitationPreview(ctx);
  await ctx.start();
  void preview.refresh();
  return { ctx, extendMarkdownIt: (md) => preview.extendMarkdownIt(md) };
}

export async function deactivate(): Promise<void> {
  await ctx?.client.stop();
}
