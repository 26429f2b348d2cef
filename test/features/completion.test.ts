/**
 * What citation completion offers for what was typed after `@` (or inside `\cite{...}`): the most
 * upvoted papers for nothing, keys starting with one or two typed characters, and the fuzzy search
 * for more; and the items it answers with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionItemKind, CompletionList, MarkupContent } from 'vscode-languageserver-types';
import { citationContextAt, provideCompletion, resolveCompletionItem } from '../../server/src/features/completion';
import { assertInertMarkdown, TestWorkspace, TULU, TULU_URI, workspace } from './workspace';


/** A workspace of the Tulu search and one note, `marked` with its cursor. */
function noteWorkspace(marked: string, uri = 'file:///w/notes/draft.md'): TestWorkspace {
  return workspace({ [TULU_URI]: TULU, [uri]: marked });
}

function complete(ws: TestWorkspace, maxItems = 10, isCancelled?: () => boolean): CompletionList | null {
  return provideCompletion(ws.index, ws.cursorLine, ws.position, ws.note().language, { maxItems, isCancelled });
}

function offered(typed: string, maxItems = 10): string[] {
  const list = complete(noteWorkspace(`As shown by @${typed}‸`), maxItems);
  assert.ok(list, `no completion for @${typed}`);
  return list.items.map((item) => item.label);
}

function upvotesOf(key: string): number | null {
  return workspace({ [TULU_URI]: TULU }).index.paperByKey(key)!.locations[0].entry.upvotes;
}

describe('what citation completion offers', () => {
  it('offers the keys that start with one or two typed characters, most upvoted first', () => {
    const keys = offered('t', 4);
    assert.deepEqual([...keys].sort(), ['teaching-language-models2024', 'tudataset2020', 'tumlu2025', 'turkce-dil-modellerinin2024']);
    const upvotes = keys.map(upvotesOf);
    assert.deepEqual(upvotes, [...upvotes].sort((a, b) => (b ?? -1) - (a ?? -1)), `${keys} by upvotes ${upvotes}`);
    assert.deepEqual([...offered('TU', 3)].sort(), ['tudataset2020', 'tumlu2025', 'turkce-dil-modellerinin2024']);
  });

  it('adds what the fuzzy search finds when few keys start so', () => {
    const keys = offered('t', 6);
    assert.equal(keys.length, 6);
    assert.deepEqual([...keys.slice(0, 4)].sort(), ['teaching-language-models2024', 'tudataset2020', 'tumlu2025', 'turkce-dil-modellerinin2024']);
  });

  it('searches key, title and abstract from three characters on', () => {
    // No key starts with "tulu", but the Tulu papers' titles and abstracts name it.
    const keys = offered('tulu');
    assert.ok(keys.includes('smoltulu2024'), keys.join(' '));
    assert.ok(!keys.every((key) => key.startsWith('tu')), keys.join(' '));
  });

  it('offers the most upvoted papers for a bare @, as many as allowed', () => {
    const keys = offered('', 3);
    const index = workspace({ [TULU_URI]: TULU }).index;
    const expected = index.papers().sort((a, b) => (b.locations[0].entry.upvotes ?? -1) - (a.locations[0].entry.upvotes ?? -1)).slice(0, 3).map((paper) => paper.key);
    assert.deepEqual(keys, expected);
    assert.equal(offered('', 5).length, 5);
  });

  it('ranks the best fuzzy match first, from title words, in a limited list that says it is incomplete', () => {
    const ws = noteWorkspace('As shown by [@tulu‸]');
    const list = complete(ws, 5);
    assert.ok(list);
    assert.equal(list.isIncomplete, true, 'every keystroke asks again');
    assert.ok(list.items.length > 0 && list.items.length <= 5, `${list.items.length} items`);
    const [first] = list.items;
    assert.equal(first.label, 'camels-changing-climate2023');
    assert.equal(first.kind, CompletionItemKind.Reference);
    assert.equal(first.detail, 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2');
    assert.deepEqual(first.labelDetails, { description: '2023-11-17 · 20↑' });
    assert.deepEqual(first.textEdit, { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 18 } }, newText: 'camels-changing-climate2023' });
    assert.deepEqual(list.items.map((item) => item.filterText), list.items.map(() => 'tulu'), 'the client keeps the server\'s matches');
    assert.deepEqual(list.items.map((item) => item.sortText), list.items.map((_, i) => String(i).padStart(6, '0')), 'and its order');
    assert.deepEqual(first.data, { key: 'camels-changing-climate2023' });
  });

  it('completes inside \\cite{...} in LaTeX, after a comma and optional arguments', () => {
    const ws = noteWorkspace('\\citep[see][]{smoltulu2024, fip‸}', 'file:///w/notes/draft.tex');
    const list = complete(ws);
    assert.equal(list?.items[0].label, 'fipo2024');
    const at = ws.cursorLine.indexOf('fip');
    assert.deepEqual(list.items[0].textEdit, { range: { start: { line: 0, character: at }, end: { line: 0, character: at + 3 } }, newText: 'fipo2024' });
  });

  it('completes in LaTeX wherever the scanner reads keys: \\Citet, after notes and multicite items, the key of \\volcite', () => {
    for (const marked of ['\\Citet{fip‸', '\\Citep[p.~3]{smoltulu2024, fip‸', '\\cites(pre)(post)[p]{smoltulu2024}{fip‸', '\\volcite{3}[45]{fip‸}']) {
      assert.equal(complete(noteWorkspace(marked, 'file:///w/notes/draft.tex'))?.items[0].label, 'fipo2024', marked);
    }
    for (const marked of ['\\volcite{fip‸', '\\setcitestyle{fip‸', '% \\cite{fip‸', '\\verb|\\cite{fip‸', '\\citep[fip‸']) {
      assert.equal(complete(noteWorkspace(marked, 'file:///w/notes/draft.tex')), null, marked);
    }
  });

  it('offers nothing after an e-mail address, outside citations, or once cancelled', () => {
    assert.equal(complete(noteWorkspace('write to tulu@exam‸')), null, 'an e-mail address');
    assert.equal(complete(noteWorkspace('no citation he‸re')), null, 'plain text');
    assert.equal(complete(noteWorkspace('\\section{Tu‸lu}', 'file:///w/notes/draft.tex')), null, 'a LaTeX command that cites nothing');
    assert.equal(complete(noteWorkspace('See @tul‸'), 10, () => true), null, 'cancelled');
  });

  it('shows a hostile paper as plain text in its label and inert Markdown in its documentation', () => {
    const ws = workspace({
      'file:///w/evil.digest': '9 <img src=x onerror=alert(1)> [Click](command:workbench.action.quit) ![i](https://evil.example/t.png) $(zap) &lt;b&gt; Evil || <script>alert(2)</script> [x](javascript:alert(3)) 2 authors · Jan 5, 2024 1',
      'file:///w/notes/draft.md': '@evil‸',
    });
    const list = complete(ws);
    assert.equal(list?.items[0].label, 'img-srcx-onerroralert1-2024');
    const resolved = resolveCompletionItem(ws.index, list.items[0]);
    assertInertMarkdown((resolved.documentation as MarkupContent).value);
  });
});

describe('where the key is typed', () => {
  it('replaces the typed prefix and the rest of the key the cursor is in', () => {
    const line = 'See @smol‸tulu2024 and more';
    const ws = noteWorkspace(line);
    assert.deepEqual(citationContextAt(ws.cursorLine, ws.position, 'markdown'), { prefix: 'smol', range: { start: { line: 0, character: 5 }, end: { line: 0, character: 17 } } });
  });

  it('reads a braced key to its closing brace', () => {
    const ws = noteWorkspace('See @{smol tu‸lu} now');
    assert.deepEqual(citationContextAt(ws.cursorLine, ws.position, 'markdown'), { prefix: 'smol tu', range: { start: { line: 0, character: 6 }, end: { line: 0, character: 15 } } });
  });

  it('starts after [@, ; @ and -@, and right after the @', () => {
    for (const marked of ['[@fip‸]', '[see @smoltulu2024; @fip‸]', 'as [-@fip‸] says']) {
      const ws = noteWorkspace(marked);
      const context = citationContextAt(ws.cursorLine, ws.position, 'markdown');
      assert.equal(context?.prefix, 'fip', marked);
      assert.equal(complete(ws)?.items[0].label, 'fipo2024', marked);
    }
    const bare = noteWorkspace('see @‸');
    assert.deepEqual(citationContextAt(bare.cursorLine, bare.position, 'markdown'), { prefix: '', range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } } });
  });

  it('is no citation with a non-key character between the @ and the cursor', () => {
    const ws = noteWorkspace('see @fipo2024, and th‸at');
    assert.equal(citationContextAt(ws.cursorLine, ws.position, 'markdown'), undefined);
  });
});

describe('resolving an item', () => {
  it('adds the paper card, listing at most three citations', () => {
    const notes: Record<string, string> = {};
    for (let i = 0; i < 5; i++) notes[`file:///w/notes/n${i}.md`] = '@camels-changing-climate2023';
    const ws = workspace({ [TULU_URI]: TULU, ...notes, 'file:///w/notes/draft.md': '[@tulu‸]' });
    const item = complete(ws, 5)!.items[0];
    const documentation = resolveCompletionItem(ws.index, item).documentation as MarkupContent;
    assert.equal(documentation.kind, 'markdown');
    assert.match(documentation.value, /^\*\*Camels in a Changing Climate/);
    assert.match(documentation.value, /Cited 5× in 5 notes: .* and 2 more/);
  });

  it('leaves an item of an unknown key, or without data, as it is', () => {
    const ws = workspace({ [TULU_URI]: TULU });
    assert.deepEqual(resolveCompletionItem(ws.index, { label: 'gone2020', data: { key: 'gone2020' } }), { label: 'gone2020', data: { key: 'gone2020' } });
    assert.deepEqual(resolveCompletionItem(ws.index, { label: 'x' }), { label: 'x' });
  });
});
