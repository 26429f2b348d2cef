/**
 * Keeps the bibliography file that `export.bibliography` names current, a second after the last
 * change, so `pandoc --citeproc --bibliography references.json note.md` needs no manual step.
 */
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { BibliographyFormat, formatBibliography } from '../bibliography/bibliography';
import { Paper } from '../index/workspaceIndex';
import { describeError } from '../loading/workspaceLoader';

/** How long after the last change the file is written: one write for a burst of edits. */
const WRITE_DELAY_MS = 1000;

export function bibliographyFormatOf(path: string): BibliographyFormat {
  return /\.bib$/i.test(path) ? 'bibtex' : 'csl-json';
}

export class BibliographyWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private last: { path: string; text: string } | undefined;

  constructor(private readonly papers: () => Paper[], private readonly onError: (path: string, message: string) => void) {}

  /** Writes the papers to `path` (absolute) soon; a later call within the delay replaces this one. */
  schedule(path: string): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.write(path).finally(() => { this.writing = undefined; });
    }, WRITE_DELAY_MS);
  }

  /** Writes now what is scheduled, and waits for a write under way. */
  async flush(path: string | undefined): Promise<void> {
    const scheduled = this.timer !== undefined;
    this.cancel();
    await this.writing;
    if (scheduled && path) await this.write(path);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Writes only when the content would change, so a file watcher (or Zotero, or git) sees no churn. */
  private async write(path: string): Promise<void> {
    const text = formatBibliography(this.papers(), bibliographyFormatOf(path));
    if (this.last?.path === path && this.last.text === text) return;
    const current = await fsp.readFile(path, 'utf8').catch(() => undefined);
    if (current !== text) {
      try {
        await fsp.mkdir(nodePath.dirname(path), { recursive: true });
        await fsp.writeFile(path, text);
      } catch (error) {
        this.onError(path, `could not write the bibliography: ${describeError(error)}`);
        return;
      }
    }
    this.last = { path, text };
  }
}
