import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { DEFAULT_FILE_KIND_SETTINGS, FileClassifier, fileKindSettingsOf } from '../../server/src/loading/fileClassifier';
import {
  DEFAULT_BIBLIOGRAPHY_GLOBS, DEFAULT_DIGEST_GLOBS, DEFAULT_EXCLUDE_GLOBS, DEFAULT_LATEX_GLOBS, DEFAULT_MARKDOWN_GLOBS, DIGEST_EXTENSIONS, DIGEST_LANGUAGE_ID, editorDocumentSelector,
  fileWatchers, hasDigestOrNoteExtension, kindOfLanguageId, LANGUAGE_IDS, PLAIN_TEXT_LANGUAGE_ID,
} from '../../server/src/shared/fileKinds';
import { DEFAULT_SETTINGS } from '../../server/src/shared/settings';

interface Manifest {
  activationEvents: string[];
  contributes: {
    languages: { id: string; extensions?: string[] }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const defaultOf = (setting: string) => manifest.contributes.configuration.properties[`literatureDigest.${setting}`].default;

/** Paths a workspace holds, and what the default settings make of each. */
const SAMPLE_PATHS = {
  'a.digest': 'digest',
  'lists/b.digest.txt': 'digest',
  'pasted.txt': 'sniff',
  'notes/n.md': 'note',
  'notes/n.markdown': 'note',
  'report.qmd': 'note',
  'analysis.rmd': 'note',
  'analysis.Rmd': 'note',
  'paper/main.tex': 'note',
  'references.bib': 'library',
  'zotero/My Library.json': 'library',
  'node_modules/pkg/c.digest': 'none',
  'script.py': 'none',
} as const;

describe('package.json says what shared/fileKinds.ts says', () => {
  it('has the default globs of digests, notes and exclusions', () => {
    assert.deepEqual(defaultOf('digestFiles'), DEFAULT_DIGEST_GLOBS);
    assert.deepEqual(defaultOf('markdownNotes'), DEFAULT_MARKDOWN_GLOBS);
    assert.deepEqual(defaultOf('latexNotes'), DEFAULT_LATEX_GLOBS);
    assert.deepEqual(defaultOf('exclude'), DEFAULT_EXCLUDE_GLOBS);
    assert.equal(defaultOf('detectTextDigests'), DEFAULT_SETTINGS.detectTextDigests);
    assert.deepEqual(defaultOf('bibliographies.files'), DEFAULT_BIBLIOGRAPHY_GLOBS);
    assert.deepEqual(defaultOf('bibliographies.external'), DEFAULT_SETTINGS.bibliographies.external);
    assert.equal(defaultOf('bibliographies.scope'), DEFAULT_SETTINGS.bibliographies.scope);
  });

  it('contributes the digest language with the digest extensions', () => {
    const digest = manifest.contributes.languages.find((language) => language.id === DIGEST_LANGUAGE_ID);
    assert.ok(digest, `contributes.languages has ${DIGEST_LANGUAGE_ID}`);
    assert.deepEqual(digest.extensions, DIGEST_EXTENSIONS);
  });

  it('activates in a workspace holding digests and on every language the server reads', () => {
    const workspaceContains = manifest.activationEvents.filter((event) => event.startsWith('workspaceContains:')).map((event) => event.slice('workspaceContains:'.length));
    assert.deepEqual(workspaceContains, DEFAULT_DIGEST_GLOBS);
    const onLanguage = manifest.activationEvents.filter((event) => event.startsWith('onLanguage:')).map((event) => event.slice('onLanguage:'.length));
    assert.deepEqual(onLanguage.sort(), [...LANGUAGE_IDS.digest, ...LANGUAGE_IDS.markdown, ...LANGUAGE_IDS.latex, 'bibtex', PLAIN_TEXT_LANGUAGE_ID].sort());
  });
});

describe('file kinds', () => {
  it('derives the settings defaults and the classifier defaults from the one source', () => {
    assert.deepEqual(DEFAULT_FILE_KIND_SETTINGS, fileKindSettingsOf(DEFAULT_SETTINGS));
    const classifier = new FileClassifier();
    assert.deepEqual(Object.fromEntries(Object.keys(SAMPLE_PATHS).map((path) => [path, classifier.classify(path).kind])), SAMPLE_PATHS);
  });

  it('reads no text digests by content when detection is off', () => {
    const classifier = new FileClassifier(fileKindSettingsOf({ ...DEFAULT_SETTINGS, detectTextDigests: false }));
    assert.equal(classifier.classify('pasted.txt').kind, 'none');
    assert.equal(classifier.classify('lists/b.digest.txt').kind, 'digest');
  });

  it('tells digests, Markdown (Quarto, R Markdown) and LaTeX notes and plain text apart by language id', () => {
    const kinds = ['paper-digest', 'markdown', 'quarto', 'rmd', 'latex', 'tex', 'plaintext', 'python'].map((id) => kindOfLanguageId(id));
    assert.deepEqual(kinds, [
      { kind: 'digest' },
      { kind: 'note', language: 'markdown' }, { kind: 'note', language: 'markdown' }, { kind: 'note', language: 'markdown' },
      { kind: 'note', language: 'latex' }, { kind: 'note', language: 'latex' },
      { kind: 'sniff' },
      undefined,
    ]);
  });

  it('knows which paths an export must not overwrite, in any case', () => {
    assert.equal(['a.digest', 'b.DIGEST.TXT', 'n.md', 'n.Rmd', 'r.QMD', 'm.tex', 'x.txt'].filter(hasDigestOrNoteExtension).length, 7);
    assert.deepEqual(['references.bib', 'references.json', 'notes.md.bak'].filter(hasDigestOrNoteExtension), []);
  });

  it('has the editor send Quarto and R Markdown notes, by language id and by name', () => {
    const selector = editorDocumentSelector();
    for (const language of ['paper-digest', 'markdown', 'quarto', 'rmd', 'latex', 'tex']) assert.ok(selector.some((filter) => typeof filter !== 'string' && filter.language === language && !('pattern' in filter)), language);
    for (const pattern of ['**/*.qmd', '**/*.rmd', '**/*.Rmd']) assert.ok(selector.some((filter) => typeof filter !== 'string' && 'pattern' in filter && filter.pattern === pattern && filter.language === undefined), pattern);
    assert.ok(selector.some((filter) => typeof filter !== 'string' && filter.language === 'plaintext' && 'pattern' in filter && filter.pattern === '**/*.txt'));
  });
});

describe('file watchers', () => {
  const patterns = (watchers: ReturnType<typeof fileWatchers>) => watchers.map((watcher) => watcher.globPattern);

  it('watch every file the default settings read', () => {
    const watched = picomatch(patterns(fileWatchers([{ settings: DEFAULT_SETTINGS }], false)) as string[], { dot: true });
    for (const [path, kind] of Object.entries(SAMPLE_PATHS)) {
      if (kind !== 'none') assert.ok(watched(path), `${path} is watched`);
    }
  });

  it('watch custom digest globs of every folder, relative to the folder when the client can', () => {
    const scopes = [
      { settings: DEFAULT_SETTINGS },
      { folderUri: 'file:///work/a', settings: { ...DEFAULT_SETTINGS, digestFiles: ['reading/*.papers'], detectTextDigests: false } },
    ];
    const relative = patterns(fileWatchers(scopes, true));
    assert.ok(relative.some((pattern) => typeof pattern !== 'string' && pattern.baseUri === 'file:///work/a' && pattern.pattern === 'reading/*.papers'));
    // Defaults shared by both scopes are registered once.
    assert.equal(relative.filter((pattern) => pattern === '**/*.md').length, 1);
    assert.ok(relative.includes('**/*.txt'), 'the window scope still detects text digests');
    assert.ok(patterns(fileWatchers(scopes, false)).includes('**/reading/*.papers'));
  });
});
