/**
 * The search panel: a webview view in the Literature activity-bar container. The webview only
 * renders (its script: client/src/webview/search.ts, bundled to dist/webview/search.js); every
 * search runs in the language server (searchRequest). The webview has a strict
 * Content-Security-Policy with a nonce, loads only this extension's media folder and its own
 * script, and puts every string from a digest into the page as text, never as markup.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { MessageFromSearchPanel, MessageToSearchPanel, SearchPanelState } from '../../server/src/shared/protocol';
import { citePapers } from './commands';
import { Ctx } from './context';

const STATE_KEY = 'literatureDigest.searchPanelState';

export class SearchPanel implements vscode.WebviewViewProvider {
  static readonly viewId = 'literatureDigest.search';
  constructor(private readonly ctx: Ctx) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    const scripts = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media, scripts] };
    // Listening before the page exists, so its first message ('ready') cannot come too early.
    const subscriptions: vscode.Disposable[] = [
      // Each page is answered itself: after a window reload an old view can be disposed after the
      // new one is resolved, and answering "the" view then left the new page without its state.
      view.webview.onDidReceiveMessage((message: MessageFromSearchPanel) => void this.handle(view.webview, message)),
      this.ctx.onStatus((status) => void post(view.webview, { type: 'status', status })),
    ];
    view.webview.html = this.html(view.webview, media, scripts);
    view.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
    });
  }

  private async handle(webview: vscode.Webview, message: MessageFromSearchPanel): Promise<void> {
    switch (message.type) {
      case 'ready':
        await post(webview, { type: 'init', state: this.ctx.extension.workspaceState.get<SearchPanelState>(STATE_KEY), status: this.ctx.status });
        break;
      case 'search': {
        try {
          const result = await this.ctx.search(message.params);
          const digests = result.digests.map((uri) => ({ uri, label: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)) }));
          const items = result.items.map((item) => ({ ...item, file: vscode.workspace.asRelativePath(vscode.Uri.parse(item.locations[0].uri)) }));
          await post(webview, { type: 'results', id: message.id, result: { ...result, items, digests } });
        } catch (error) {
          await post(webview, { type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) });
        }
        break;
      }
      case 'open': {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(message.uri));
        const position = new vscode.Position(message.line, 0);
        await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preserveFocus: false });
        break;
      }
      case 'insert': {
        const editor = this.ctx.lastTextEditor;
        if (!editor || editor.document.isClosed) {
          void vscode.window.showInformationMessage('Literature Digest: click into a note first; the citation goes where its cursor is.');
          break;
        }
        await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: editor.selection });
        const target = vscode.window.activeTextEditor ?? editor;
        await citePapers(this.ctx, target, [message.key]);
        break;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(message.key);
        vscode.window.setStatusBarMessage(`Copied citation key ${message.key}`, 3000);
        break;
      case 'state':
        await this.ctx.extension.workspaceState.update(STATE_KEY, message.state);
        break;
      default:
        break;
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri, scripts: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'search.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'search.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Search Papers</title>
</head>
<body>
<main id="app">
  <div class="search-row">
    <label for="query" class="visually-hidden">Search papers</label>
    <input id="query" type="search" placeholder="Search papers: title, key, abstract words" autocomplete="off" spellcheck="false" aria-describedby="summary" aria-controls="results">
  </div>
  <details id="filters">
    <summary>Filters and sort</summary>
    <div class="filters">
      <label>From year <input id="minYear" type="number" min="1900" max="2100" inputmode="numeric"></label>
      <label>To year <input id="maxYear" type="number" min="1900" max="2100" inputmode="numeric"></label>
      <label>Min. upvotes <input id="minUpvotes" type="number" min="0" inputmode="numeric"></label>
      <label>Author <input id="author" type="text" placeholder="a name, from metadata lines" autocomplete="off" spellcheck="false"></label>
      <label>Source <select id="digest" title="A digest or a bibliography file"><option value="">All sources</option></select></label>
      <label>Sort <select id="sort"><option value="relevance">Relevance</option><option value="date">Date</option><option value="upvotes">Upvotes</option></select></label>
    </div>
  </details>
  <div id="summary" role="status" aria-live="polite"></div>
  <div id="chart" aria-hidden="true"></div>
  <ul id="results" role="listbox" aria-label="Papers" tabindex="0"></ul>
  <p id="help" class="help">↑/↓ move · Enter opens the entry · Ctrl+Enter (⌘+Enter) inserts the citation into the last editor · Ctrl+Shift+C copies the key</p>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}

/** Posts a message of the panel's protocol to its page. */
function post(webview: vscode.Webview, message: MessageToSearchPanel): Thenable<boolean> {
  return webview.postMessage(message);
}
