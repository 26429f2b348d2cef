/**
 * Checks the extension end to end inside a real VS Code, on the sample workspace: language of the
 * digest, outline, hover, completion, definition, references (all through the real language
 * client and server), the edit Insert Citation makes, and next/previous entry.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startReplayServer } from '../../support/hfApiServer';

const EXTENSION_ID = 'literature-digest.literature-digest';

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open (samples/)');
  return vscode.Uri.joinPath(folder.uri, relative);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Api {
  ctx: {
    status: { papers: number; indexing: boolean };
    client: { sendRequest<R>(method: string, params?: unknown): Promise<R> };
  };
}

describe('Literature Digest in VS Code', () => {
  let digest: vscode.TextDocument;
  let note: vscode.TextDocument;
  let api: Api;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    api = await extension.activate() as Api;
    await waitFor('the workspace to be indexed', () => (!api.ctx.status.indexing && api.ctx.status.papers >= 25 ? true : undefined));
    digest = await vscode.workspace.openTextDocument(workspaceFile('tulu-search.digest.txt'));
    note = await vscode.workspace.openTextDocument(workspaceFile('notes/alignment.md'));
  });

  it('opens the sample digest as a Paper Digest', () => {
    assert.equal(digest.languageId, 'paper-digest');
  });

  it('opens a plain-text file of pasted entries as a Paper Digest', async () => {
    const pasted = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `${digest.lineAt(19).text}\n${digest.lineAt(20).text}\n` });
    const detected = await waitFor('the pasted text to be detected', () => {
      const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === pasted.uri.toString());
      return current?.languageId === 'paper-digest' ? current : undefined;
    }, 10_000);
    assert.equal(detected.languageId, 'paper-digest');
    const prose = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'Dear diary,\ntoday I read three papers.\n' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(prose.languageId, 'plaintext', 'prose stays plain text');
  });

  it('lists every paper in the outline', async () => {
    const symbols = await waitFor('document symbols', async () => {
      const result = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', digest.uri);
      return result && result.length > 0 ? result : undefined;
    });
    assert.equal(symbols.length, 25);
    assert.equal(symbols[4].name, 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2');
    assert.match(symbols[4].detail, /camels-changing-climate2023/);
  });

  it('shows a hover card on an entry', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', digest.uri, new vscode.Position(4, 8));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /camels-changing-climate2023/);
    assert.match(text, /Cited 1× in 1 note/);
  });

  it('completes a citation key from title words', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: 'As in [@tulu' }));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(0, 12), '@');
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.equal(labels[0], 'camels-changing-climate2023');
  });

  it('goes from a citation to the entry', async () => {
    const line = note.getText().split('\n').findIndex((text) => text.includes('@camels-changing-climate2023'));
    const character = note.lineAt(line).text.indexOf('@camels') + 3;
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', note.uri, new vscode.Position(line, character));
    assert.equal(locations.length, 1);
    const location = locations[0] as vscode.Location;
    assert.equal(location.uri.toString(), digest.uri.toString());
    assert.equal(location.range.start.line, 4);
  });

  it('finds the citations of an entry', async () => {
    const references = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', digest.uri, new vscode.Position(0, 5));
    // VS Code asks with includeDeclaration: the entry itself, and every citation.
    assert.deepEqual(references.map((r) => r.uri.toString()).sort(), [note.uri.toString(), digest.uri.toString()].sort());
    const inNote = references.find((r) => r.uri.toString() === note.uri.toString())!;
    assert.equal(note.getText(inNote.range), 'fipo2024');
    assert.equal(references.find((r) => r.uri.toString() === digest.uri.toString())!.range.start.line, 0);
  });

  it('inserts a citation in the syntax of the note', async () => {
    const markdown = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Both papers agree ' }));
    markdown.selection = new vscode.Selection(0, 18, 0, 18);
    assert.equal(await vscode.commands.executeCommand('literatureDigest.insertCitation', ['fipo2024', 'smoltulu2024']), true);
    assert.equal(markdown.document.getText(), 'Both papers agree [@fipo2024; @smoltulu2024]');
    const latex = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'latex', content: 'As shown ' }));
    latex.selection = new vscode.Selection(0, 9, 0, 9);
    await vscode.commands.executeCommand('literatureDigest.insertCitation', ['fipo2024', 'smoltulu2024']);
    assert.equal(latex.document.getText(), 'As shown \\cite{fipo2024,smoltulu2024}');
    await vscode.commands.executeCommand('undo');
    assert.equal(latex.document.getText(), 'As shown ', 'the insertion is one undoable edit');
  });

  it('inserts a citation into the Pandoc group or LaTeX key list at the cursor', async () => {
    const markdown = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: 'As [@fipo2024; ] said' }));
    markdown.selection = new vscode.Selection(0, 15, 0, 15);
    assert.equal(await vscode.commands.executeCommand('literatureDigest.insertCitation', ['smoltulu2024']), true);
    assert.equal(markdown.document.getText(), 'As [@fipo2024; @smoltulu2024] said');
    assert.deepEqual([markdown.selection.active.line, markdown.selection.active.character], [0, 28], 'the cursor is after the key it inserted');
    // A key the group cites already is not added again.
    await vscode.commands.executeCommand('literatureDigest.insertCitation', ['fipo2024']);
    assert.equal(markdown.document.getText(), 'As [@fipo2024; @smoltulu2024] said');

    const latex = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'latex', content: 'See \\citep[p.~3]{fipo2024,} there' }));
    latex.selection = new vscode.Selection(0, 26, 0, 26);
    await vscode.commands.executeCommand('literatureDigest.insertCitation', ['smoltulu2024']);
    assert.equal(latex.document.getText(), 'See \\citep[p.~3]{fipo2024,smoltulu2024} there');
    await vscode.commands.executeCommand('undo');
    assert.equal(latex.document.getText(), 'See \\citep[p.~3]{fipo2024,} there');
  });

  it('writes a new LaTeX citation with the command of literatureDigest.citation.latexCommand, and a locator', async () => {
    const settings = vscode.workspace.getConfiguration('literatureDigest');
    try {
      await settings.update('citation.latexCommand', 'parencite', vscode.ConfigurationTarget.Workspace);
      const latex = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'latex', content: 'As shown ' }));
      latex.selection = new vscode.Selection(0, 9, 0, 9);
      await vscode.commands.executeCommand('literatureDigest.insertCitation', ['fipo2024']);
      assert.equal(latex.document.getText(), 'As shown \\parencite{fipo2024}');
      await vscode.commands.executeCommand('literatureDigest.insertCitation', ['smoltulu2024'], { prefix: 'see', locator: 'p. 3' });
      assert.equal(latex.document.getText(), 'As shown \\parencite{fipo2024,smoltulu2024}', 'right after a command\'s `}` the key joins its list');
      latex.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand('literatureDigest.insertCitation', ['fipo2024'], { prefix: 'see', locator: 'p. 3' });
      assert.equal(latex.document.getText(), '\\parencite[see][p.~3]{fipo2024}As shown \\parencite{fipo2024,smoltulu2024}');
      // Markdown notes ignore the LaTeX command; the locator is Pandoc's.
      const markdown = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: 'As shown ' }));
      markdown.selection = new vscode.Selection(0, 9, 0, 9);
      await vscode.commands.executeCommand('literatureDigest.insertCitation', ['fipo2024'], { locator: 'p. 3' });
      assert.equal(markdown.document.getText(), 'As shown [@fipo2024, p. 3]');
    } finally {
      await settings.update('citation.latexCommand', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('renders citations in the Markdown preview as links carrying the title', async () => {
    const html = await waitFor('a rendered citation link', async () => {
      const rendered = await vscode.commands.executeCommand<string>('markdown.api.render', 'See [@fipo2024] and @nosuchkey2020.');
      return rendered.includes('literature-digest-citation') ? rendered : undefined;
    });
    assert.match(html, /<a[^>]*title="FIPO: Free-form Instruction-oriented Prompt Optimization[^"]*\(2024-02-18\)"[^>]*>@fipo2024<\/a>/);
    assert.doesNotMatch(html, /<a[^>]*>@nosuchkey2020/);
  });

  it('exports the papers a note cites as CSL-JSON', async () => {
    const target = workspaceFile('cited.json');
    const written = await vscode.commands.executeCommand<string>('literatureDigest.exportBibliography', { format: 'csl-json', citedBy: note.uri.toString(), target: target.fsPath });
    assert.equal(written, target.toString());
    const items = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as { id: string }[];
    assert.equal(items.length, 8);
    assert.ok(items.some((item) => item.id === 'camels-changing-climate2023'));
  });

  it('adds papers from Hugging Face (a local replay of the API) as one edit that undo takes back', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const replay = await startReplayServer(join(extension.extensionPath, 'test', 'fixtures', 'hf-api'));
    const settings = vscode.workspace.getConfiguration('literatureDigest');
    try {
      await settings.update('huggingFace.apiUrl', replay.url, vscode.ConfigurationTarget.Workspace);
      const added = await vscode.workspace.openTextDocument({ language: 'paper-digest', content: '# Added\n' });
      await vscode.window.showTextDocument(added);
      // The server reads the changed setting on its own time: ask until it asks the replay.
      const result = await waitFor('the papers to be added', async () => {
        const answer = await vscode.commands.executeCommand<{ applied: boolean; message: string }>('literatureDigest.addPapers', '2503.02682');
        return answer?.applied ? answer : undefined;
      }, 20_000);
      assert.match(result.message, /1 added/);
      assert.match(added.getText(), /^# Added\n\n12 MPO: Boosting LLM Agents with Meta Plan Optimization \|\| /);
      assert.match(added.getText(), /\narXiv: 2503\.02682 · authors: Weimin Xiong, /);
      assert.ok(replay.requests.includes('/api/papers/2503.02682'));
      await vscode.commands.executeCommand('undo');
      assert.equal(added.getText(), '# Added\n');

      // Look Up on Hugging Face, the code action on a pasted entry: its metadata line under it.
      const pasted = await vscode.workspace.openTextDocument({ language: 'paper-digest', content: '12 MPO: Boosting LLM Agents with Meta Plan Optimization || Recent advancements in LLMs. 7 authors · Mar 4, 2025\n' });
      await vscode.window.showTextDocument(pasted);
      const actions = await waitFor('the Look Up code action', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', pasted.uri, new vscode.Range(0, 5, 0, 5));
        return found?.find((action) => action.title === 'Look Up on Hugging Face');
      });
      await vscode.commands.executeCommand(actions.command!.command, ...(actions.command!.arguments ?? []));
      await waitFor('the metadata line', () => (pasted.lineCount > 2 && pasted.lineAt(1).text.startsWith('arXiv: 2503.02682 · authors: Weimin Xiong') ? true : undefined), 10_000);
    } finally {
      await settings.update('huggingFace.apiUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await replay.close();
    }
  });

  it('gets the language server back after it crashes', async () => {
    const before = await api.ctx.client.sendRequest<{ pid: number }>('literatureDigest/serverInfo');
    process.kill(before.pid, 'SIGKILL');
    const after = await waitFor('a restarted server', async () => {
      try {
        const info = await api.ctx.client.sendRequest<{ pid: number }>('literatureDigest/serverInfo');
        return info.pid !== before.pid ? info : undefined;
      } catch {
        return undefined;
      }
    });
    assert.notEqual(after.pid, before.pid);
    const hovers = await waitFor('hover from the new server', async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', digest.uri, new vscode.Position(4, 8));
      return result.length > 0 ? result : undefined;
    });
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /camels-changing-climate2023/);
  });

  it('reads a .bib and a CSL-JSON file written into the workspace: completion, hover, definition', async () => {
    const bib = workspaceFile('references.bib');
    const csl = workspaceFile('zotero.json');
    await vscode.workspace.fs.writeFile(bib, Buffer.from('@string{jcc = {Journal of Computational Chemistry}}\n\n@article{sigfridsson,\n  author = {Sigfridsson, Emma and Ryde, Ulf},\n  title = {Comparison of methods for deriving atomic charges},\n  journal = jcc,\n  year = 1998,\n}\n'));
    await vscode.workspace.fs.writeFile(csl, Buffer.from(JSON.stringify([{ id: 'Adams2001', type: 'article-journal', title: 'The physical volcanology of the 1600 eruption of <b>Huaynaputina</b>', author: [{ family: 'Adams', given: 'Nancy K' }], issued: { 'date-parts': [[2014]] } }], null, 2)));
    try {
      // The files reach the server through the file watcher: completion offers the .bib's key once they have.
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: 'As [@sigfr' }));
      const offered = async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(0, 10), '@');
        return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      };
      await waitFor('the .bib key to be offered', async () => ((await offered()).includes('sigfridsson') ? true : undefined));
      const cited = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'See @sigfridsson and @Adams2001.' });
      await vscode.window.showTextDocument(cited);
      const hovers = await waitFor('a hover on the .bib key', async () => {
        const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cited.uri, new vscode.Position(0, 8));
        return result.length > 0 ? result : undefined;
      });
      const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
      assert.match(text, /Comparison of methods for deriving atomic charges/);
      assert.match(text, /Journal of Computational Chemistry/);
      const [location] = await waitFor('the CSL item to be defined', async () => {
        const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', cited.uri, new vscode.Position(0, 24));
        return locations.length > 0 ? locations : undefined;
      });
      assert.equal(location.uri.toString(), csl.toString());
    } finally {
      // Cleaned up for the tests after this one; that a deleted file's keys go is tested over the
      // protocol (test/lsp/bibliographies.test.ts).
      await vscode.workspace.fs.delete(bib);
      await vscode.workspace.fs.delete(csl);
    }
  });

  it('serves a Quarto note (.qmd, with no Quarto extension installed): completion, definition, an unknown key', async () => {
    const qmd = workspaceFile('notes/quarto-note.qmd');
    await vscode.workspace.fs.writeFile(qmd, Buffer.from('---\ntitle: "Reading"\n---\n\nSee @fipo2024 and @nosuchpaper2024.\n\nAs in [@tulu\n'));
    try {
      const document = await vscode.workspace.openTextDocument(qmd);
      await vscode.window.showTextDocument(document);
      const labels = await waitFor('completion in the .qmd', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', qmd, new vscode.Position(6, 12), '@');
        const found = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
        return found.length > 0 ? found : undefined;
      });
      assert.equal(labels[0], 'camels-changing-climate2023');
      // VS Code orders the locations by file; an earlier test's export (cited.json) lists the paper too.
      const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', qmd, new vscode.Position(4, 7));
      assert.ok(locations.some((location) => location.uri.toString() === digest.uri.toString()), locations.map((l) => l.uri.toString()).join(' '));
      const unknown = await waitFor('the unknown key reported in the .qmd', () => {
        const found = vscode.languages.getDiagnostics(qmd).filter((d) => /nosuchpaper2024/.test(d.message));
        return found.length > 0 ? found : undefined;
      });
      assert.equal(unknown[0].range.start.line, 4);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(qmd);
    }
  });

  it('renames a key with F2: the pin under the entry and every citation, in one workspace edit', async () => {
    const line = note.getText().split('\n').findIndex((text) => text.includes('@camels-changing-climate2023'));
    const position = new vscode.Position(line, note.lineAt(line).text.indexOf('@camels') + 3);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', note.uri, position, 'tulu2-camels2023');
    const changed = new Map(edit.entries().map(([uri, edits]) => [uri.toString(), edits]));
    assert.ok(changed.get(digest.uri.toString())?.some((e) => e.newText === '\nkey: tulu2-camels2023'), 'the new key is pinned under the entry');
    assert.ok(changed.get(note.uri.toString())?.every((e) => e.newText === 'tulu2-camels2023' && note.getText(e.range) === 'camels-changing-climate2023'));
    // A taken key is refused with the server's reason (asked of the server through the client:
    // VS Code's own command would fall back to the Markdown extension's rename of the same spot).
    await assert.rejects(
      api.ctx.client.sendRequest('textDocument/rename', { textDocument: { uri: note.uri.toString() }, position: { line: position.line, character: position.character }, newName: 'fipo2024' }),
      /already the key of "FIPO/,
    );
  });

  it('moves to the next and previous entry', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'paper-digest', content: `# Section\n${digest.lineAt(0).text}\n  a note\n\n${digest.lineAt(1).text}\n` });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('literatureDigest.nextEntry');
    assert.equal(editor.selection.active.line, 1);
    await vscode.commands.executeCommand('literatureDigest.nextEntry');
    assert.equal(editor.selection.active.line, 4);
    await vscode.commands.executeCommand('literatureDigest.nextEntry');
    assert.equal(editor.selection.active.line, 4, 'stays on the last entry');
    await vscode.commands.executeCommand('literatureDigest.previousEntry');
    assert.equal(editor.selection.active.line, 1);
  });

  // Last, since the note it makes cites fipo2024 until it is deleted again.
  it('opens a literature note (creating it the first time only) and refreshes only its generated block, as one undoable edit', async () => {
    const target = workspaceFile('notes/fipo2024.md');
    try {
      const created = await vscode.commands.executeCommand<{ uri: string; created: boolean }>('literatureDigest.openNote', 'fipo2024');
      assert.equal(created?.created, true);
      assert.equal(vscode.Uri.parse(created.uri).fsPath, target.fsPath);
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.fsPath, target.fsPath, 'the new note is shown');
      const note = editor.document;
      assert.match(note.getText(), /\n<!-- literature-digest:begin key=fipo2024 -->\n# FIPO: Free-form[^]*\n<!-- literature-digest:end -->\n\n## Notes\n/);
      assert.ok(await note.save());

      // Opening it again, by the old command id too, shows it and leaves it as it is.
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      const opened = await vscode.commands.executeCommand<{ uri: string; created: boolean }>('literatureDigest.createNote', 'fipo2024');
      assert.equal(opened?.created, false);
      const reopened = vscode.window.activeTextEditor;
      assert.equal(reopened?.document.uri.fsPath, target.fsPath, 'the existing note is shown');
      const generated = reopened.document.getText();

      // The person's own words under the block, and a line typed inside it.
      const beginLine = generated.split('\n').findIndex((line) => line.startsWith('<!-- literature-digest:begin'));
      await reopened.edit((edit) => {
        edit.insert(reopened.document.lineAt(reopened.document.lineCount - 1).range.end, 'My own words.\n');
        edit.insert(new vscode.Position(beginLine + 1, 0), 'typed inside the block\n');
      });
      const mine = reopened.document.getText();
      const lens = await waitFor('the Refresh Literature Note lens', async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', reopened.document.uri);
        return lenses?.find((found) => found.command?.title === 'Refresh Literature Note');
      });
      assert.equal(lens.range.start.line, beginLine);

      // From the palette (the active note), then from the lens (the server's command, run as VS Code runs a lens).
      for (const run of [() => vscode.commands.executeCommand('literatureDigest.refreshNote'), () => vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []))]) {
        const result = await run() as { applied: boolean; key: string } | undefined;
        assert.deepEqual([result?.applied, result?.key], [true, 'fipo2024']);
        assert.equal(reopened.document.getText(), mine.replace('typed inside the block\n', ''), 'only the block is written again');
        assert.match(reopened.document.getText(), /\n## Notes\n\nMy own words\.\n$/);
        await vscode.commands.executeCommand('undo');
        assert.equal(reopened.document.getText(), mine, 'the refresh is one undoable edit');
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(target);
    }
  });
});
