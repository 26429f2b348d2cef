/**
 * Bibliographies that live outside the workspace's walk: the files of the
 * `bibliographies.external` setting (a Better BibTeX auto-export in `~/Zotero/`) and files a note
 * names that no glob reads. They are read from disk and watched here, since an editor only
 * watches its workspace folders for the server.
 *
 * An auto-export rewrites its file by writing a new one and renaming it over the old, which ends a
 * watch on the file itself; so the folder is watched and its events filtered by name. A change is
 * read again after a short pause (an export writes in several steps), well within a second.
 */
import { FSWatcher, promises as fsp, watch } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How long after the last event in a burst a file is read again. */
const SETTLE_MS = 120;

export interface ExternalBibliographyEvents {
  /** The file's current text, or undefined when it cannot be read (deleted, unreadable). */
  changed(uri: string, text: string | undefined, error?: string): void;
}

export class ExternalBibliographies {
  /** Watched files by URI, with the reason each is watched (a setting, or the notes naming it). */
  private readonly files = new Map<string, Set<string>>();
  private readonly folders = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly events: ExternalBibliographyEvents) {}

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Makes `uris` the files watched for `reason` (`settings`, or a note's URI); files no reason
   * wants any more are forgotten (returned, so the caller can drop them from the index).
   */
  setFor(reason: string, uris: readonly string[]): { added: string[]; dropped: string[] } {
    const added: string[] = [];
    const dropped: string[] = [];
    for (const uri of uris) {
      if (!uri.startsWith('file:')) continue;
      let reasons = this.files.get(uri);
      if (!reasons) {
        reasons = new Set();
        this.files.set(uri, reasons);
        added.push(uri);
        this.watchFolderOf(uri);
      }
      reasons.add(reason);
    }
    for (const [uri, reasons] of this.files) {
      if (!reasons.has(reason) || uris.includes(uri)) continue;
      reasons.delete(reason);
      if (reasons.size === 0) {
        this.files.delete(uri);
        dropped.push(uri);
      }
    }
    this.unwatchUnusedFolders();
    return { added, dropped };
  }

  /** Reads a watched file now and reports it. */
  async read(uri: string): Promise<void> {
    try {
      this.events.changed(uri, await fsp.readFile(fileURLToPath(uri), 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.events.changed(uri, undefined, code === 'ENOENT' ? 'no such file' : (error as Error).message);
    }
  }

  close(): void {
    for (const watcher of this.folders.values()) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.folders.clear();
    this.timers.clear();
  }

  private watchFolderOf(uri: string): void {
    const folder = nodePath.dirname(fileURLToPath(uri));
    if (this.folders.has(folder)) return;
    try {
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        if (!name) {
          // Some platforms give no name: every watched file of the folder may have changed.
          for (const file of this.files.keys()) if (nodePath.dirname(fileURLToPath(file)) === folder) this.settleThenRead(file);
          return;
        }
        const changed = pathToFileURL(nodePath.join(folder, name.toString())).href;
        if (this.files.has(changed)) this.settleThenRead(changed);
      });
      watcher.on('error', () => {
        watcher.close();
        this.folders.delete(folder);
      });
      this.folders.set(folder, watcher);
    } catch {
      // A folder that does not exist (yet) cannot be watched; the file is read on reindex.
    }
  }

  private unwatchUnusedFolders(): void {
    const wanted = new Set([...this.files.keys()].map((uri) => nodePath.dirname(fileURLToPath(uri))));
    for (const [folder, watcher] of this.folders) {
      if (wanted.has(folder)) continue;
      watcher.close();
      this.folders.delete(folder);
    }
  }

  private settleThenRead(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.read(uri);
    }, SETTLE_MS));
  }
}

/** A setting's path as a `file:` URI: absolute, or from the home folder (`~/Zotero/My Library.bib`). */
export function externalBibliographyUri(path: string): string | undefined {
  const expanded = path.startsWith('~/') || path === '~' ? nodePath.join(process.env.HOME ?? process.env.USERPROFILE ?? '', path.slice(1)) : path;
  if (!nodePath.isAbsolute(expanded)) return undefined;
  return pathToFileURL(expanded).href;
}
