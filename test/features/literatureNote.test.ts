/** Literature notes: where a paper's note goes, and the template filled with the paper's data. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { beginMarker, END_MARKER, fillNote, fillTemplate, findGeneratedBlock, noteFileName, noteVariables, planLiteratureNote, planNoteRefresh, provideLiteratureNoteLenses } from '../../server/src/features/literatureNote';
import { refreshNoteCommand } from '../../server/src/shared/protocol';
import { pandocJson, pandocVersion } from '../unit/pandocReading';
import { spawnSync } from 'node:child_process';
import { DEFAULT_NOTE_TEMPLATE, DEFAULT_SETTINGS } from '../../server/src/shared/settings';
import { TULU, workspace } from './workspace';

function paper(key: string, files: Record<string, string> = { 'file:///w/tulu.digest.txt': TULU }) {
  const found = workspace(files).index.paperByKey(key);
  assert.ok(found, `no paper ${key}`);
  return found;
}

describe('literature notes', () => {
  it('fills the default template with the paper\'s title, key, date, upvotes, abstract and link', () => {
    const text = fillNote(DEFAULT_NOTE_TEMPLATE, paper('fipo2024'));
    assert.match(text, /^---\ntitle: "FIPO: Free-form Instruction-oriented Prompt Optimization with Preference Dataset and Modular Fine-tuning Schema"\ncitekey: fipo2024\ndate: 2024-02-18\n---\n/);
    assert.match(text, /\n# FIPO: Free-form/);
    assert.match(text, /\[@fipo2024\] · 2024-02-18 · no upvotes · \[Hugging Face Papers\]\(https:\/\/huggingface\.co\/papers\?q=FIPO%3A%20Free-form%20/);
    assert.match(text, /## Abstract\n\n> In the quest to facilitate the deep intelligence .* https:\/\/github\.com\/LuJunru\/FIPO_Project\.\n\n<!-- literature-digest:end -->\n\n## Notes\n/);
    assert.doesNotMatch(text, /\{\{/, 'every placeholder filled');
  });

  it('fills every variable, with spaces inside the braces, and leaves unknown names as written', () => {
    const variables = noteVariables(paper('camels-changing-climate2023'));
    assert.deepEqual({ ...variables, abstract: variables.abstract.slice(0, 24) }, {
      key: 'camels-changing-climate2023',
      title: 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2',
      date: '2023-11-17',
      year: '2023',
      abstract: 'Since the release of T\\"',
      upvotes: '20',
      url: 'https://huggingface.co/papers?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202',
      hf: 'https://huggingface.co/papers?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202',
      authors: '',
      arxiv: '',
      pdf: '',
    });
    assert.equal(fillTemplate('{{ key }} ({{year}}) {{tilte}} {{constructor}}', variables), 'camels-changing-climate2023 (2023) {{tilte}} {{constructor}}');
  });

  it('fills the metadata variables from the metadata line, and links the paper page', () => {
    const camels = paper('camels-changing-climate2023', {
      'file:///w/camels.digest': '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since then. 11 authors · Nov 17, 2023\narXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang',
    });
    const variables = noteVariables(camels);
    assert.deepEqual([variables.authors, variables.arxiv, variables.pdf, variables.hf, variables.url], [
      'Hamish Ivison, Yizhong Wang', '2311.10702', 'https://arxiv.org/pdf/2311.10702', 'https://huggingface.co/papers/2311.10702', 'https://huggingface.co/papers/2311.10702',
    ]);
  });

  it('names the note after the key, and plans it in the notes folder of the base folder', () => {
    const camels = paper('camels-changing-climate2023');
    assert.equal(noteFileName(camels), 'camels-changing-climate2023.md');
    const plan = planLiteratureNote(camels, '/w', DEFAULT_SETTINGS.notes);
    assert.equal(plan.path, join('/w', 'notes', 'camels-changing-climate2023.md'));
    assert.equal(plan.text, fillNote(DEFAULT_NOTE_TEMPLATE, camels));
    assert.deepEqual(planLiteratureNote(camels, '/w', { folder: 'reading/papers', template: '# {{title}}' }), {
      path: join('/w', 'reading', 'papers', 'camels-changing-climate2023.md'),
      text: '<!-- literature-digest:begin key=camels-changing-climate2023 -->\n# Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2\n\n<!-- literature-digest:end -->\n',
    });
  });

  it('makes a safe file name of a hostile title', () => {
    const evil = paper('img-srcx-onerroralert1-2024', { 'file:///w/evil.digest': '9 <img src=x onerror=alert(1)> ../../etc Evil || We study. 2 authors · Jan 5, 2024' });
    assert.equal(noteFileName(evil), 'img-srcx-onerroralert1-2024.md');
  });
});

const CAMELS_ENTRY = '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since then. 11 authors · Nov 17, 2023';
const CAMELS_DIGEST = 'file:///w/camels.digest';

/** The text between a well-marked note's markers. */
function blockText(text: string): string {
  const { block, problem } = findGeneratedBlock(text);
  assert.ok(block, problem);
  return text.slice(block.start, block.end);
}

describe('literature notes: the generated block', () => {
  it('marks the built-in template\'s block after the front matter and before ## Notes, and pandoc shows no marker', async () => {
    const text = fillNote(DEFAULT_NOTE_TEMPLATE, paper('fipo2024'));
    assert.match(text, /^---\n[^]*?\n---\n\n<!-- literature-digest:begin key=fipo2024 -->\n# FIPO: /);
    assert.match(text, /FIPO_Project\.\n\n<!-- literature-digest:end -->\n\n## Notes\n\n$/);
    assert.deepEqual({ ...findGeneratedBlock(text).block, start: undefined, end: undefined }, { key: 'fipo2024', beginLine: 6, start: undefined, end: undefined });
    assert.match(blockText(text), /^\n# FIPO: [^]*## Abstract\n\n> In the quest [^]*\n\n$/);

    pandocVersion();
    const plain = spawnSync('pandoc', ['-f', 'markdown', '-t', 'plain'], { input: text, encoding: 'utf8' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /literature-digest|<!--|-->/, 'the markers do not show in pandoc\'s output');
    assert.match(plain.stdout, /^FIPO: Free-form[^]*\nAbstract\n[^]*\nNotes\n$/);
    // Each marker is a raw block of its own, so it neither joins the blockquote nor swallows a heading.
    const blocks = (await pandocJson(text) as { blocks: { t: string; c?: unknown }[] }).blocks;
    assert.deepEqual(blocks.map((block) => block.t), ['RawBlock', 'Header', 'Para', 'Header', 'BlockQuote', 'RawBlock', 'Header']);
    assert.deepEqual(blocks[5].c, ['html', END_MARKER]);
  });

  it('puts the block where {{begin}} and {{end}} say, else after the front matter up to the template\'s end', () => {
    const camels = paper('camels-changing-climate2023', { [CAMELS_DIGEST]: CAMELS_ENTRY });
    const begin = beginMarker('camels-changing-climate2023');
    const title = 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2';
    assert.equal(fillNote('{{begin}}# {{title}}{{ end }}\nmine', camels), `${begin}# ${title}${END_MARKER}\nmine`);
    assert.equal(fillNote('---\nk: {{key}}\n---\n\n# {{title}}\n', camels), `---\nk: camels-changing-climate2023\n---\n\n${begin}\n# ${title}\n\n${END_MARKER}\n`);
    assert.equal(fillNote('# {{title}}', camels), `${begin}\n# ${title}\n\n${END_MARKER}\n`, 'no front matter: the block starts at the top');
    assert.equal(fillNote('# {{title}}\n\n{{end}}\n\n## Mine\n', camels), `${begin}\n# ${title}\n\n${END_MARKER}\n\n## Mine\n`, 'only {{end}}: the template says where the block ends');
    assert.equal(fillNote('{{begin}}A{{begin}}B{{end}}C{{end}}', camels), `${begin}AB${END_MARKER}C`, 'only the first of each counts');
    assert.equal(fillNote('', camels), `${begin}\n${END_MARKER}\n`);
  });

  it('keeps any key intact in the begin marker, and reads markers written by hand', () => {
    const odd = 'doi:10.1/x-->y z%';
    assert.equal(beginMarker(odd), '<!-- literature-digest:begin key=doi%3A10.1%2Fx--%3Ey%20z%25 -->', 'nothing in the key ends the comment or the attribute');
    assert.equal(findGeneratedBlock(`${beginMarker(odd)}\nx\n${END_MARKER}`).block?.key, odd);
    assert.deepEqual(findGeneratedBlock('a\n<!--literature-digest:begin  key=k1 -->b<!--   literature-digest:end-->c').block, { key: 'k1', start: 41, end: 42, beginLine: 1 });
    assert.equal(findGeneratedBlock('<!-- literature-digest:begin key=50%off -->\n<!-- literature-digest:end -->').block?.key, '50%off', 'a stray % is taken as written');
  });

  it('an abstract that holds a marker opens and ends no block', () => {
    const hostile = paper('marker-paper-title2024', { 'file:///w/m.digest': '9 Marker Paper Title || We study <!-- literature-digest:end --> and <!-- literature-digest:begin key=x --> things. 2 authors · Jan 5, 2024' });
    const text = fillNote(DEFAULT_NOTE_TEMPLATE, hostile);
    assert.equal(findGeneratedBlock(text).block?.key, 'marker-paper-title2024');
    assert.match(blockText(text), /We study <!-- literature-digest&#58;end --> and <!-- literature-digest&#58;begin key=x --> things\./);
  });

  it('says what is wrong with missing or broken markers, with the lines', () => {
    const b = (key = 'k') => `<!-- literature-digest:begin key=${key} -->`;
    const cases: [string, RegExp][] = [
      ['# Mine\n', /^has no generated block: no `<!-- literature-digest:begin key=… -->` marker$/],
      [`a\n${END_MARKER}\n`, /^has an end marker \(line 2\) but no begin marker/],
      [`${b()}\n${END_MARKER}\n${b()}\n${END_MARKER}\n`, /^has 2 begin markers \(lines 1, 3\); a literature note has one generated block$/],
      ['<!-- literature-digest:begin -->\nx\n<!-- literature-digest:end -->', /^has a begin marker \(line 1\) that names no paper/],
      [`x\n${b()}\nmine, the end deleted\n`, /^has a generated block \(from line 2\) without its end marker `<!-- literature-digest:end -->`$/],
      [`${b()}\n${END_MARKER}\n${END_MARKER}\n`, /^has 2 end markers \(lines 2, 3\)/],
      [`${END_MARKER}\n${b()}\n`, /^has its end marker \(line 1\) before its begin marker \(line 2\)$/],
    ];
    for (const [text, problem] of cases) {
      const found = findGeneratedBlock(text);
      assert.equal(found.block, undefined, text);
      assert.match(found.problem ?? '', problem, text);
    }
  });
});

describe('literature notes: refresh', () => {
  const TEMPLATE = '---\ntags: []\n---\n\n{{begin}}\n# {{title}}\n\n{{authors}} · {{upvotes}} upvotes · {{pdf}}\n\n{{end}}\n\n## Notes\n';
  const before = paper('camels-changing-climate2023', { [CAMELS_DIGEST]: CAMELS_ENTRY });
  const after = paper('camels-changing-climate2023', {
    [CAMELS_DIGEST]: `${CAMELS_ENTRY.replace(/^20 /, '42 ')}\narXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang`,
  });
  /** The note as the person has it: created from the template, then their own text in the front matter and under the block. */
  const mine = (text: string) => text.replace('tags: []', 'tags: [rlhf]').replace('## Notes\n', '## Notes\n\nMy reading: the DPO part matters.\n');

  function applied(text: string, refresh: ReturnType<typeof planNoteRefresh>): string {
    assert.ok(refresh.edit, refresh.problem ?? 'an edit');
    return TextDocument.applyEdits(TextDocument.create('file:///w/n.md', 'markdown', 1, text), [refresh.edit]);
  }

  it('rewrites only the text between the markers, from the paper\'s metadata as it is now', () => {
    const note = mine(fillNote(TEMPLATE, before));
    assert.match(note, /\n · 20 upvotes · \n/);
    const { block } = findGeneratedBlock(note);
    assert.ok(block);
    const refresh = planNoteRefresh(note, block, after, TEMPLATE);
    const begin = beginMarker('camels-changing-climate2023');
    assert.deepEqual(refresh.edit?.range, { start: { line: 4, character: begin.length }, end: { line: 9, character: 0 } }, 'the range is the block, markers excluded');
    assert.equal(applied(note, refresh), mine(fillNote(TEMPLATE, after)));
    assert.match(applied(note, refresh), /^---\ntags: \[rlhf\]\n[^]*\nHamish Ivison, Yizhong Wang · 42 upvotes · https:\/\/arxiv\.org\/pdf\/2311\.10702\n[^]*\nMy reading: the DPO part matters\.\n$/);
  });

  it('makes no edit when the block is current, and writes the note\'s own line ends', () => {
    const note = fillNote(TEMPLATE, after);
    assert.deepEqual(planNoteRefresh(note, findGeneratedBlock(note).block!, after, TEMPLATE), {});
    const crlf = mine(fillNote(TEMPLATE, before)).replace(/\n/g, '\r\n');
    const refresh = planNoteRefresh(crlf, findGeneratedBlock(crlf).block!, after, TEMPLATE);
    assert.equal(applied(crlf, refresh), mine(fillNote(TEMPLATE, after)).replace(/\n/g, '\r\n'));
  });

  it('throws away edits inside the block, and keeps the markers as written', () => {
    const note = fillNote(TEMPLATE, before).replace('# Camels', '# My own heading\n\n# Camels').replace(beginMarker('camels-changing-climate2023'), '<!--literature-digest:begin key=camels-changing-climate2023-->');
    const result = applied(note, planNoteRefresh(note, findGeneratedBlock(note).block!, after, TEMPLATE));
    assert.doesNotMatch(result, /My own heading/);
    assert.match(result, /^---\ntags: \[\]\n---\n\n<!--literature-digest:begin key=camels-changing-climate2023-->\n# Camels/);
  });

  it('refuses when the template itself holds marker comments written out', () => {
    const note = fillNote(TEMPLATE, before);
    const refresh = planNoteRefresh(note, findGeneratedBlock(note).block!, after, `<!-- literature-digest:end -->\n${TEMPLATE}`);
    assert.match(refresh.problem ?? '', /^cannot be refreshed: the filled template has 2 end markers/);
  });

  it('offers a Refresh Literature Note lens above the begin marker of a well-marked note only', () => {
    const note = fillNote(TEMPLATE, before);
    assert.deepEqual(provideLiteratureNoteLenses('file:///w/n.md', note), [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, command: refreshNoteCommand('file:///w/n.md') }]);
    assert.deepEqual(provideLiteratureNoteLenses('file:///w/n.md', note.replace(END_MARKER, '')), []);
    assert.deepEqual(provideLiteratureNoteLenses('file:///w/n.md', '# Just a note\n'), []);
  });
});
