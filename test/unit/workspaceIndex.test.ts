import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';

const TULU = readFileSync(join(__dirname, '..', 'fixtures', 'tulu-search.txt'), 'utf8');
const TULU_LINES = TULU.split('\n');

function keysByTitle(index: WorkspaceIndex): Map<string, string> {
  return new Map(index.papers().map((paper) => [paper.locations[0].entry.title, paper.key]));
}

describe('workspace index', () => {
  it('gives every paper one unique key', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU);
    const keys = index.papers().map((paper) => paper.key);
    assert.equal(keys.length, 25);
    assert.equal(new Set(keys).size, 25);
    assert.equal(index.paperByKey('fipo2024')?.locations[0].entry.line, 0);
  });

  it('keeps keys when other entries are added, removed or reordered', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU_LINES.slice(0, 15).join('\n'));
    const before = keysByTitle(index);
    const reordered = [...TULU_LINES].reverse();
    index.setDigestText('a.digest', reordered.filter((_, i) => i % 3 !== 0).join('\n'));
    const after = keysByTitle(index);
    for (const [title, key] of after) if (before.has(title)) assert.equal(key, before.get(title), title);
  });

  it('makes the same paper in two digests one key with two locations', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU);
    index.setDigestText('b.digest', `# Copy\n${TULU_LINES[4].replace(/^20 /, '25 ')}`);
    const camels = index.paperByKey('camels-changing-climate2023');
    assert.deepEqual(camels?.locations.map((l) => [l.uri, l.entry.line]), [['a.digest', 4], ['b.digest', 1]]);
    assert.equal(index.paperCount, 25);
    index.remove('a.digest');
    assert.deepEqual(index.paperByKey('camels-changing-climate2023')?.locations.map((l) => l.uri), ['b.digest']);
    assert.equal(index.paperCount, 1);
  });

  it('gives a newcomer that derives a key already held a suffix from its own identity, and leaves the holder its key', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', '1 Tulu Models: Part One We study one. 2 authors · Jan 3, 2024');
    const first = index.paperByKey('tulu-models2024');
    assert.ok(first);
    index.setDigestText('b.digest', '1 Tulu Models: Part Two We study two. 2 authors · Jan 4, 2024');
    assert.equal(index.paperByKey('tulu-models2024'), first, 'the holder keeps the key');
    const newcomer = index.papers().find((paper) => paper !== first)!;
    assert.match(newcomer.key, /^tulu-models2024-[a-z2-9]{4}$/);
    // The holder's suffixed key names it too, so a citation of it survives whatever the group does.
    assert.equal(index.paperByKey(`tulu-models2024-${newcomer.key.slice(-4)}`), newcomer);
    assert.deepEqual(index.ambiguousKeyCandidates('tulu-models2024'), [first, newcomer]);
    // Each paper's suffix comes from itself alone: read in the other order, the roles swap.
    const reversed = new WorkspaceIndex();
    reversed.setDigestText('b.digest', '1 Tulu Models: Part Two We study two. 2 authors · Jan 4, 2024');
    reversed.setDigestText('a.digest', '1 Tulu Models: Part One We study one. 2 authors · Jan 3, 2024');
    assert.equal(reversed.paperByKey('tulu-models2024')!.identity, newcomer.identity);
    assert.equal(reversed.paperByKey(newcomer.key)!.identity, newcomer.identity, 'a suffixed key keeps naming its paper');
  });

  it('finds the citations of a key across notes and forgets a deleted note', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU);
    index.setNoteText('n1.md', 'See [@fipo2024; @smoltulu2024].\nAgain @fipo2024.', 'markdown');
    index.setNoteText('n2.tex', '\\cite{fipo2024}', 'latex');
    assert.deepEqual(index.citationsOf('fipo2024').map((c) => [c.uri, c.citation.line]), [['n1.md', 0], ['n1.md', 1], ['n2.tex', 0]]);
    index.setNoteText('n1.md', 'nothing', 'markdown');
    assert.deepEqual(index.citationsOf('fipo2024').map((c) => c.uri), ['n2.tex']);
    index.remove('n2.tex');
    assert.deepEqual(index.citationsOf('fipo2024'), []);
  });

  it('ranks fuzzy matches on key, title and abstract, with typos and unfinished words', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU);
    const top = (query: string) => index.search(query, { limit: 3 }).map((r) => r.paper.key);
    assert.equal(top('camels changing climate')[0], 'camels-changing-climate2023');
    assert.equal(top('heterogenous neurons')[0], index.papers().find((p) => p.locations[0].entry.title.startsWith('Dynamical'))!.key);
    assert.equal(top('smoltul')[0], 'smoltulu2024');
    assert.equal(top('finnish')[0], index.papers().find((p) => p.locations[0].entry.title.startsWith('FinGPT'))!.key, 'abstract words count');
    assert.deepEqual(top('zzzqqqxxx'), []);
    const results = index.search('tulu', { minYear: 2024, minUpvotes: 2 });
    assert.ok(results.length > 0 && results.every((r) => r.paper.locations[0].entry.year >= 2024 && (r.paper.locations[0].entry.upvotes ?? 0) >= 2));
  });

  it('gives matched ranges for highlighting', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU);
    const [first] = index.search('camels climate');
    const title = first.paper.locations[0].entry.title;
    const highlighted = first.matches.title.map(([s, e]) => title.slice(s, e).toLowerCase());
    assert.ok(highlighted.some((text) => text.includes('camels')), highlighted.join('|'));
  });

  it('suggests the closest known keys for an unknown one', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', TULU);
    assert.equal(index.closestKeys('smoltulu2023')[0], 'smoltulu2024');
    assert.equal(index.closestKeys('fipo')[0], 'fipo2024');
  });

  it('ranks the same workspace reached through edits as one read fresh, ties included (issue 16, #7)', () => {
    // Two papers that tie on 'alpha' (titles and keys of one length, one abstract), and papers
    // that come and go with words of their own.
    const gadget = '1 Alpha Gadget: We study alpha widget gadget things. 3 authors · Jan 5, 2024';
    const widget = '1 Alpha Widget: We study alpha widget gadget things. 3 authors · Jan 5, 2024';
    const crossed = '2 Widget Theory: A study of alpha. 2 authors · Jan 6, 2024';
    const gone = Array.from({ length: 40 }, (_, n) => `${n} Alpha Transient Paper ${n}: alpha alpha in every abstract. 2 authors · Feb ${1 + (n % 28)}, 2024`).join('\n');
    const final = [gadget, widget, crossed].join('\n');
    const edited = new WorkspaceIndex();
    edited.setDigestText('a.digest', final);
    edited.setDigestText('b.digest', gone);
    // Gadget leaves and comes back: its paper is read again, after widget.
    edited.setDigestText('a.digest', [widget, crossed].join('\n'));
    edited.setDigestText('a.digest', final);
    edited.remove('b.digest');
    edited.setNoteText('n.md', '[@alpha-gadget2024]', 'markdown');
    const fresh = new WorkspaceIndex();
    fresh.setDigestText('a.digest', final);
    fresh.setNoteText('n.md', '[@alpha-gadget2024]', 'markdown');
    const ranked = (index: WorkspaceIndex, query: string) => index.search(query).map((result) => `${result.paper.key} ${result.score.toFixed(9)}`);
    for (const query of ['alpha', 'alpha widget', 'widget alpha', 'gadget', 'alp', 'transient']) assert.deepEqual(ranked(edited, query), ranked(fresh, query), query);
    assert.deepEqual(ranked(fresh, 'alpha').slice(0, 2).map((hit) => hit.split(' ')[0]), ['alpha-gadget2024', 'alpha-widget2024'], 'the tie goes by key');
  });

  it('lists a key\'s citations by note, line and character, whatever order the notes were read in (issue 16, #7)', () => {
    const notes: [string, string][] = [['b.md', 'x @fipo2024 and @fipo2024\n@fipo2024'], ['a.md', '\n@fipo2024'], ['c.tex', '\\cite{fipo2024}']];
    const listed = (order: [string, string][]) => {
      const index = new WorkspaceIndex();
      index.setDigestText('a.digest', TULU);
      for (const [uri, text] of order) index.setNoteText(uri, text, uri.endsWith('.tex') ? 'latex' : 'markdown');
      // A note read again lands after the others unless the list is kept in order.
      index.setNoteText('a.md', '\n@fipo2024', 'markdown');
      return { byKey: index.citationsOf('fipo2024').map(({ uri, citation }) => `${uri}:${citation.line}:${citation.start}`), byPaper: index.citationsOfPaper(index.paperByKey('fipo2024')!).map(({ uri, citation }) => `${uri}:${citation.line}:${citation.start}`) };
    };
    const expected = ['a.md:1:1', 'b.md:0:3', 'b.md:0:17', 'b.md:1:1', 'c.tex:0:6'];
    for (const order of [notes, [...notes].reverse()]) assert.deepEqual(listed(order), { byKey: expected, byPaper: expected });
  });

  it('updates from a one-line edit exactly as from re-reading the file', () => {
    const edited = [...TULU_LINES];
    edited[6] = edited[6].replace(/^26 /, '27 ').replace('Xmodel-2 Technical Report', 'Xmodel-3 Technical Report');
    const incremental = new WorkspaceIndex();
    incremental.setDigestText('a.digest', TULU);
    incremental.editDigestLines('a.digest', 6, 1, [edited[6]]);
    const full = new WorkspaceIndex();
    full.setDigestText('a.digest', edited.join('\n'));
    const describe = (index: WorkspaceIndex) => index.papers().map((p) => `${p.key} ${p.locations[0].entry.line} ${p.locations[0].entry.upvotes}`).sort();
    assert.deepEqual(describe(incremental), describe(full));
    assert.ok(incremental.paperByKey('xmodel-3-technical-report2024'));
    assert.equal(incremental.paperByKey('xmodel-2-technical-report2024'), undefined);
    assert.equal(incremental.search('xmodel-3')[0]?.paper.key, 'xmodel-3-technical-report2024');
  });
});
