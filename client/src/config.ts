/** The extension's settings, read through one typed class. */
import * as vscode from 'vscode';
import { LiteratureDigestSettings, normaliseSettings, SETTINGS_SECTION } from '../../server/src/shared/settings';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  /** Open plain-text files that hold digest entries as Paper Digest. */
  get detectTextDigests(): boolean {
    return this.section.get<boolean>('detectTextDigests', true);
  }

  /** How Insert Citation writes, for the note at `scope` (the settings are per resource). */
  citation(scope?: vscode.Uri): LiteratureDigestSettings['citation'] {
    const section = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
    return normaliseSettings({ citation: { latexCommand: section.get('citation.latexCommand'), askLocator: section.get('citation.askLocator') } }).citation;
  }
}
