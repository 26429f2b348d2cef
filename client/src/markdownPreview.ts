/**
 * Citations in VS Code's Markdown preview: a markdown-it plugin (contributed through
 * `markdown.markdownItPlugins`) renders `@key` as a link to the paper's entry, with its title and
 * date as the link's tooltip. markdown-it renders synchronously, so the titles of cited papers are
 * kept in a cache the language server refreshes after every index change.
 */
import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import { pandocKeyEnd } from '../../server/src/notes/noteCitations';
import { CitedPaper } from '../../server/src/shared/protocol';
import { citedPapersRequest } from '../../server/src/shared/requests';
import { Ctx } from './context';

export class CitationPreview {
  private papers = new Map<string, CitedPaper>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {
    ctx.push(ctx.onStatus(() => this.scheduleRefresh()));
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    const papers = await this.ctx.client.sendRequest(citedPapersRequest);
    const changed = papers.length !== this.papers.size || papers.some((paper) => this.papers.get(paper.key)?.title !== paper.title);
    this.papers = new Map(papers.map((paper) => [paper.key, paper]));
    if (changed) await vscode.commands.executeCommand('markdown.preview.refresh');
  }

  /** The plugin VS Code's Markdown extension applies to its markdown-it instance. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt {
    md.inline.ruler.after('emphasis', 'literature_digest_citation', (state, silent) => {
      const start = state.pos;
      const src = state.src;
      const at = src[start] === '-' && src[start + 1] === '@' ? start + 1 : start;
      if (src[at] !== '@') return false;
      const before = start > 0 ? src[start - 1] : '';
      if (/[\p{L}\p{N}_/\\]/u.test(before)) return false;
      const braced = src[at + 1] === '{';
      let key: string;
      let end: number;
      if (braced) {
        const close = src.indexOf('}', at + 2);
        if (close < 0) return false;
        key = src.slice(at + 2, close).trim();
        end = close + 1;
      } else {
        // The same key rule as the index's scanner, so the preview links exactly what is indexed.
        if (!/[\p{L}\p{N}_]/u.test(src[at + 1] ?? '')) return false;
        end = pandocKeyEnd(src, at + 1);
        key = src.slice(at + 1, end);
      }
      const paper = this.papers.get(key);
      if (!paper) return false;
      if (!silent) {
        const open = state.push('link_open', 'a', 1);
        open.attrSet('href', `${paper.uri}#L${paper.line + 1}`);
        open.attrSet('title', `${paper.title} (${paper.date})`);
        open.attrSet('class', 'literature-digest-citation');
        open.attrSet('data-citation-key', key);
        const text = state.push('text', '', 0);
        text.content = src.slice(start, end);
        state.push('link_close', 'a', -1);
      }
      state.pos = end;
      return true;
    });
    return md;
  }
}
