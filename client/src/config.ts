/** The extension's settings, read through one typed class. */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  /** Open plain-text files that hold digest entries as Paper Digest. */
  get detectTextDigests(): boolean {
    return this.section.get<boolean>('detectTextDigests', true);
  }
}
