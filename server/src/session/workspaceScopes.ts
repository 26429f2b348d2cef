/**
 * The workspace folders and the settings that apply in each: settings are per resource, so a
 * folder may read other digests and notes than its neighbour.
 */
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileClassifier, fileKindSettingsOf } from '../loading/fileClassifier';
import { FileKindScope } from '../shared/fileKinds';
import { DEFAULT_SETTINGS, LiteratureDigestSettings, normaliseSettings } from '../shared/settings';

export interface WorkspaceFolder {
  uri: string;
  name: string;
}

/** Settings and the file classifier they give. */
export interface Scope {
  settings: LiteratureDigestSettings;
  classifier: FileClassifier;
}

const scopeOf = (settings: LiteratureDigestSettings): Scope => ({ settings, classifier: new FileClassifier(fileKindSettingsOf(settings)) });

export class WorkspaceScopes {
  private folderList: WorkspaceFolder[] = [];
  /** Window-wide settings, and those a client pushes; a folder without its own uses these. */
  private defaultScope = scopeOf(DEFAULT_SETTINGS);
  private folderScopes = new Map<string, Scope>();

  get folders(): readonly WorkspaceFolder[] {
    return this.folderList;
  }

  /** Folders on the local disk, the ones the walk reads. */
  get localFolders(): WorkspaceFolder[] {
    return this.folderList.filter((folder) => folder.uri.startsWith('file:'));
  }

  setFolders(folders: WorkspaceFolder[]): void {
    this.folderList = folders;
  }

  changeFolders(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    this.folderList = this.folderList.filter((folder) => !removed.some((r) => r.uri === folder.uri)).concat(added);
  }

  /** Settings for every folder: `window` for the folders that have none of their own. */
  setSettings(window: unknown, perFolder: Map<string, unknown> = new Map()): void {
    this.defaultScope = scopeOf(normaliseSettings(window));
    this.folderScopes = new Map([...perFolder].map(([uri, raw]) => [uri, scopeOf(normaliseSettings(raw))]));
  }

  /** The innermost workspace folder holding `uri`. */
  folderOf(uri: string): WorkspaceFolder | undefined {
    let best: WorkspaceFolder | undefined;
    for (const folder of this.folderList) {
      const inside = uri === folder.uri || uri.startsWith(folder.uri.endsWith('/') ? folder.uri : `${folder.uri}/`);
      if (inside && (!best || folder.uri.length > best.uri.length)) best = folder;
    }
    return best;
  }

  /** The settings for a document (or, without one, those of the first folder). */
  scopeFor(uri: string | undefined): Scope {
    const folder = uri ? this.folderOf(uri) : this.folderList[0];
    return (folder && this.folderScopes.get(folder.uri)) ?? this.defaultScope;
  }

  /** The path of `uri` relative to its folder (forward slashes), what the globs are matched against. */
  relativePath(uri: string): string {
    const folder = this.folderOf(uri);
    if (!folder || !uri.startsWith('file:') || !folder.uri.startsWith('file:')) return nodePath.posix.basename(uri);
    return nodePath.relative(fileURLToPath(folder.uri), fileURLToPath(uri)).split(nodePath.sep).join('/');
  }

  /** The settings that say which files are read, of the window and of each folder with its own. */
  fileKindScopes(): FileKindScope[] {
    return [{ settings: this.defaultScope.settings }, ...[...this.folderScopes].map(([folderUri, { settings }]) => ({ folderUri, settings }))];
  }

  /** What decides which files are read and how: when it changes, the workspace is walked again. */
  fileSettingsSignature(): string {
    const signature = ({ settings }: Scope) => [settings.digestFiles, settings.detectTextDigests, settings.markdownNotes, settings.latexNotes, settings.exclude, settings.maxFileSizeMB, settings.maxLineLength, settings.bibliographies.files, settings.bibliographies.external];
    return JSON.stringify([signature(this.defaultScope), ...[...this.folderScopes].map(([uri, scope]) => [uri, signature(scope)])]);
  }
}
