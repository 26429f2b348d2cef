/**
 * Rename (prepareRename / rename) and the ambiguous-key diagnostic with its quick fixes, in
 * process on in-memory workspaces: the edits are applied to the files' text and the workspace is
 * read again, so each test checks what a person would get after the edit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { AMBIGUOUS_KEY_CODE, provideDiagnostics } from '../../server/src/features/diagnostics';
import { providePrepareRename, provideRename } from '../../server/src/features/rename';
import { CURSOR, workspace } from './workspace';

const A = 'file:///w/a.digest';
const B = 'file:///w/b.digest';
const NOTE = 'file:///w/notes/n.md';
const TEX = 'file:///w/notes/n.tex';

/** Every file's text after a workspace edit, the cursor marker removed. */
function applied(files: Record<string, string>, edit: WorkspaceEdit): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [uri, text] of Object.entries(files)) {
    const plain = text.replace(CURSOR, '');
    const edits: TextEdit[] = edit.changes?.[uri] ?? [];
    out[uri] = TextDocument.applyEdits(TextDocument.create(uri, 'x', 1, plain), edits);
  }
  return out;
}

describe('rename a key', () => {
  const files = {
    [A]: '3 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024\n  my note on alpha',
    [NOTE]: 'See [@alpha-paper-title2024‸, p. 3] and @alpha-paper-title2024.\n```\n@alpha-paper-title2024 in code\n```\n',
    [TEX]: 'As \\citet{beta, alpha-paper-title2024} show.',
  };

  it('prepares on a citation with the key as placeholder, and on an entry line', () => {
    const ws = workspace(files);
    assert.deepEqual(providePrepareRename(ws.index, ws.uri, ws.position), {
      range: { start: { line: 0, character: 6 }, end: { line: 0, character: 27 } },
      placeholder: 'alpha-paper-title2024',
    });
    const onEntry = providePrepareRename(ws.index, A, { line: 0, character: 5 });
    assert.equal(onEntry && 'placeholder' in onEntry ? onEntry.placeholder : onEntry, 'alpha-paper-title2024');
    assert.equal(providePrepareRename(ws.index, NOTE, { line: 4, character: 0 }), null, 'nothing to rename on an empty line');
  });

  it('pins the new key under the entry and rewrites every citation of it, in every note, in one edit', () => {
    const ws = workspace(files);
    const edit = provideRename(ws.index, ws.uri, ws.position, 'alpha2024') as WorkspaceEdit;
    const after = applied(files, edit);
    assert.equal(after[A], '3 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024\nkey: alpha2024\n  my note on alpha');
    assert.equal(after[NOTE], 'See [@alpha2024, p. 3] and @alpha2024.\n```\n@alpha-paper-title2024 in code\n```\n', 'code is not a citation');
    assert.equal(after[TEX], 'As \\citet{beta, alpha2024} show.');
    // Read again, the workspace resolves the new key to the paper and the note has no unknown key.
    const again = workspace(after);
    assert.equal(again.index.paperByKey('alpha2024')?.locations[0].entry.title, 'Alpha Paper Title');
    assert.deepEqual(provideDiagnostics(again.index, NOTE), []);
    // Renaming again rewrites the pin where it is written, not a second one.
    const second = provideRename(again.index, A, { line: 0, character: 3 }, 'alpha-v2') as WorkspaceEdit;
    assert.equal(applied(after, second)[A], '3 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024\nkey: alpha-v2\n  my note on alpha');
  });

  it('adds the pin to a metadata line the entry has', () => {
    const withMetadata = { ...files, [A]: '3 Alpha Paper Title || We study alpha. 2 authors · Jan 3, 2024\narXiv: 2401.00001 · authors: Ada Lovelace' };
    const ws = workspace(withMetadata);
    const after = applied(withMetadata, provideRename(ws.index, ws.uri, ws.position, 'lovelace2024') as WorkspaceEdit);
    assert.equal(after[A].split('\n')[1], 'arXiv: 2401.00001 · authors: Ada Lovelace · key: lovelace2024');
  });

  it('refuses a key that is taken, invalid in Pandoc, or a Quarto cross-reference, and says why', () => {
    const ws = workspace({ ...files, [B]: '1 Beta Paper || We study beta. 2 authors · Jan 4, 2024\nkey: beta' });
    const refused = (name: string) => {
      const answer = provideRename(ws.index, ws.uri, ws.position, name);
      assert.ok(answer && 'refused' in answer, `${name} was not refused`);
      return answer.refused;
    };
    assert.match(refused('beta'), /already the key of "Beta Paper" \(b\.digest\)/);
    assert.match(refused('two words'), /not a key that Pandoc and LaTeX both read/);
    assert.match(refused('a,b'), /not a key/);
    assert.match(refused('fig-alpha'), /cross-reference/);
    assert.match(refused('trailing-'), /not a key/);
  });

  it('renames a bibliography key where it is written, with the citations of it', () => {
    const bib = 'file:///w/refs.bib';
    const withBib = { [bib]: '@article{vaswani2017,\n  title = {Attention Is All You Need},\n  year = 2017,\n}\n', [NOTE]: 'See @vaswani2017‸.' };
    const ws = workspace(withBib);
    const after = applied(withBib, provideRename(ws.index, ws.uri, ws.position, 'attention2017') as WorkspaceEdit);
    assert.equal(after[bib].split('\n')[0], '@article{attention2017,');
    assert.equal(after[NOTE], 'See @attention2017.');
  });

  it('renames a digest paper that a bibliography holds under the same key in both places', () => {
    const bib = 'file:///w/cited.bib';
    const both = { ...files, [bib]: '@misc{alpha-paper-title2024,\n  title = {Alpha Paper Title},\n  year = 2024,\n}\n' };
    const ws = workspace(both);
    const after = applied(both, provideRename(ws.index, ws.uri, ws.position, 'alpha2024') as WorkspaceEdit);
    assert.equal(after[bib].split('\n')[0], '@misc{alpha2024,');
    assert.match(after[A], /\nkey: alpha2024\n/);
    assert.equal(workspace(after).index.paperByKey('alpha2024')?.locations.length, 2, 'still one paper, by both keys');
  });

  it('refuses to rename a key that names no paper', () => {
    const ws = workspace({ [A]: files[A], [NOTE]: 'See @unknown2024‸.' });
    const answer = provideRename(ws.index, ws.uri, ws.position, 'known2024');
    assert.ok(answer && 'refused' in answer && /names no paper/.test(answer.refused));
  });
});

describe('an ambiguous key', () => {
  // Two papers derive tulu-models2024; a.digest's, listed first, holds it.
  const files = {
    [A]: '1 Tulu Models: Part One || We study one. 2 authors · Jan 3, 2024',
    [B]: '1 Tulu Models: Part Two || We study two. 2 authors · Jan 4, 2024',
    [NOTE]: 'See @tulu-models2024‸.',
  };

  it('is reported where a note cites it, naming both papers, and the quick fixes pin it or cite the other', () => {
    const ws = workspace(files);
    const [diagnostic] = provideDiagnostics(ws.index, NOTE);
    assert.equal(diagnostic?.code, AMBIGUOUS_KEY_CODE);
    assert.match(String(diagnostic.message), /'tulu-models2024' may mean 2 papers: it names "Tulu Models: Part One" \(a\.digest\), and "Tulu Models: Part Two" \(b\.digest, 'tulu-models2024-[a-z2-9]{4}'\)/);
    const actions = provideCodeActions(ws.index, NOTE, diagnostic.range, [diagnostic]);
    assert.deepEqual(actions.map((action) => action.title.replace(/-[a-z2-9]{4}'/, "-xxxx'")), [
      `Keep 'tulu-models2024' for "Tulu Models: Part One": pin it`,
      `Cite "Tulu Models: Part Two" instead: 'tulu-models2024-xxxx'`,
    ]);
    // The pin settles it: read again, no diagnostic, and the key still names Part One.
    const pinned = applied(files, actions[0].edit!);
    assert.equal(pinned[A], '1 Tulu Models: Part One || We study one. 2 authors · Jan 3, 2024\nkey: tulu-models2024');
    const again = workspace(pinned);
    assert.deepEqual(provideDiagnostics(again.index, NOTE), []);
    assert.equal(again.index.paperByKey('tulu-models2024')?.locations[0].entry.title, 'Tulu Models: Part One');
    // Citing the other paper instead names it.
    const other = workspace(applied(files, actions[1].edit!));
    const citedKey = other.note(NOTE).citations[0].key;
    assert.equal(other.index.paperByKey(citedKey)?.locations[0].entry.title, 'Tulu Models: Part Two');
  });
});
