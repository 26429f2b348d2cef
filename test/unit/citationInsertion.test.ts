/**
 * Insert Citation where the cursor is (server/src/notes/citationInsertion.ts). Each case is the
 * note before, with `‸` for a cursor and `«…»` for a selection (several of either for multiple
 * cursors), and the note after, with `‸` where each cursor ends up.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { seededRandom } from '../../scripts/seededRandom';
import { pandocCitationGroups, scanMarkdownCitations } from '../../server/src/notes/markdownCitations';
import { scanLatexCitations } from '../../server/src/notes/latexCitations';
import { CitationInsertionOptions, OffsetSelection, parseCitationNotes, planCitationInsertion, planCitationInsertions } from '../../server/src/notes/citationInsertion';
import type { NoteLanguage } from '../../server/src/notes/noteCitations';
import { DEFAULT_SETTINGS, normaliseLatexCommand, normaliseSettings } from '../../server/src/shared/settings';

const CURSOR = '‸';

/** The text without markers and its selections, in text order. */
function parseSelections(marked: string): { text: string; selections: OffsetSelection[] } {
  let text = '';
  const selections: OffsetSelection[] = [];
  let open = -1;
  for (const char of marked) {
    if (char === CURSOR) selections.push({ start: text.length, end: text.length });
    else if (char === '«') open = text.length;
    else if (char === '»') { selections.push({ start: open, end: text.length }); open = -1; }
    else text += char;
  }
  if (selections.length === 0) throw new Error(`no ${CURSOR} or «» in ${marked}`);
  return { text, selections };
}

/** The note after inserting `keys` at the marked selections, with the cursors marked. */
function inserted(language: NoteLanguage, marked: string, keys: string[], options: CitationInsertionOptions = {}): string {
  const { text, selections } = parseSelections(marked);
  const plan = planCitationInsertions(text, language, selections, keys, options);
  let result = text;
  for (const edit of [...plan.edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  for (const cursor of [...plan.cursors].sort((a, b) => b - a)) result = result.slice(0, cursor) + CURSOR + result.slice(cursor);
  return result;
}

/** [before, keys, after] triples, checked one by one so that a failure names its case. */
function checkAll(language: NoteLanguage, cases: [before: string, keys: string[], after: string, options?: CitationInsertionOptions][]): void {
  for (const [before, keys, after, options] of cases) assert.equal(inserted(language, before, keys, options), after, `${before} + ${keys.join(',')}`);
}

describe('Insert Citation in Markdown', () => {
  it('joins the Pandoc group the cursor is in, after the item it is in', () => {
    checkAll('markdown', [
      ['[@a; ‸]', ['b'], '[@a; @b‸]'],
      ['[@a;‸]', ['b'], '[@a; @b‸]'],
      ['[@a‸]', ['b'], '[@a; @b‸]'],
      ['[see @a, p. 3‸]', ['b'], '[see @a, p. 3; @b‸]'],
      // Never inside a key or a locator: from the middle of an item, after it.
      ['[@a‸, p. 3]', ['b'], '[@a, p. 3; @b‸]'],
      ['[@a, p.‸ 3; @c]', ['b'], '[@a, p. 3; @b‸; @c]'],
      ['[@long‸key; @c]', ['b'], '[@longkey; @b‸; @c]'],
      ['[-@a‸]', ['b'], '[-@a; @b‸]'],
      // At an item's start, before it.
      ['[‸@a]', ['b'], '[@b‸; @a]'],
      ['[@a; ‸@c]', ['b'], '[@a; @b‸; @c]'],
      ['[@a;‸ @c]', ['b'], '[@a; @b‸; @c]'],
      ['[@a; ‸see @c]', ['b'], '[@a; @b‸; see @c]'],
      // An empty item, perhaps with the prefix typed already: at the cursor.
      ['[@a; see ‸]', ['b'], '[@a; see @b‸]'],
      ['[@a; see‸]', ['b'], '[@a; see @b‸]'],
      // A group over two lines.
      ['As [@a;\n‸] said', ['b'], 'As [@a;\n@b‸] said'],
    ]);
  });

  it('joins a group the cursor touches rather than writing `[@b][@a]`, which is a reference link', () => {
    checkAll('markdown', [
      ['‸[@a]', ['b'], '[@b‸; @a]'],
      ['[@a]‸', ['b'], '[@a; @b‸]'],
      ['[@a]‸ and [@c]', ['b'], '[@a; @b‸] and [@c]'],
    ]);
  });

  it('adds no key the group cites already', () => {
    checkAll('markdown', [
      ['[@a; ‸]', ['a', 'b'], '[@a; @b‸]'],
      ['[@a‸; @b]', ['b', 'a'], '[@a‸; @b]'],
    ]);
    const edit = planCitationInsertion('[@a]', 'markdown', { start: 3, end: 3 }, ['a']);
    assert.deepEqual([edit.newText, edit.skipped, edit.mode], ['', ['a'], 'joined']);
  });

  it('starts a new group in prose, after a bare citation, in a footnote and in a link text', () => {
    checkAll('markdown', [
      ['Both papers agree ‸', ['fipo2024', 'smoltulu2024'], 'Both papers agree [@fipo2024; @smoltulu2024]‸'],
      ['As shown‸.', ['b'], 'As shown[@b]‸.'],
      ['@a says ‸so.', ['b'], '@a says [@b]‸so.'],
      // Never inside a key: a bare citation's key stays whole.
      ['See @lo‸ngkey now', ['b'], 'See @longkey[@b]‸ now'],
      ['See @‸{long.key} now', ['b'], 'See @{long.key}[@b]‸ now'],
      // Spaced where a neighbour would make it a link, a reference link, a span, an image or a note.
      ['the database ‸(@lst-x).', ['b'], 'the database [@b]‸ (@lst-x).'],
      ['[text]‸ more', ['b'], '[text] [@b]‸ more'],
      ['Wow!‸', ['b'], 'Wow! [@b]‸'],
      ['a‸{.class}', ['b'], 'a[@b]‸ {.class}'],
      ['Text.^[A note ‸]', ['b'], 'Text.^[A note [@b]‸]'],
      ['[a link ‸](https://example.org)', ['b'], '[a link [@b]‸](https://example.org)'],
    ]);
  });

  it('writes a new group as plain text in code and math, where Pandoc reads no group to join', () => {
    checkAll('markdown', [
      ['```\n[@a; ‸]\n```', ['b'], '```\n[@a; [@b]‸]\n```'],
      ['    [@a; ‸]', ['b'], '    [@a; [@b]‸]'],
      ['Write `[@a; ‸]` for two.', ['b'], 'Write `[@a; [@b]‸]` for two.'],
      ['$[@a; ‸]$', ['b'], '$[@a; [@b]‸]$'],
    ]);
  });

  it('writes a locator and a prefix as Pandoc does: the prefix before the first key, the locator after the last', () => {
    checkAll('markdown', [
      ['‸', ['b'], '[@b, p. 3]‸', { locator: 'p. 3' }],
      ['‸', ['b'], '[see @b]‸', { prefix: 'see' }],
      ['‸', ['b'], '[see @b, p. 3]‸', { prefix: 'see', locator: ', p. 3' }],
      ['‸', ['b', 'c'], '[see @b; @c, chap. 2]‸', { prefix: ' see ', locator: 'chap. 2' }],
      ['[@a‸]', ['b'], '[@a; see @b, p. 3‸]', { prefix: 'see', locator: 'p. 3' }],
      ['[@a; ‸]', ['b'], '[@a; @b, 12‸]', { locator: '12' }],
    ]);
  });

  it('braces a key Pandoc would not read whole', () => {
    checkAll('markdown', [['‸', ['a.', 'x_1'], '[@{a.}; @x_1]‸']]);
  });

  it('replaces a selection outside groups, a selected key, and reads any other selection in a group as a cursor at its end', () => {
    checkAll('markdown', [
      ['As «TODO» says', ['b'], 'As [@b]‸ says'],
      ['«[@a] and [@c]»', ['b'], '[@b]‸'],
      ['[@a; «@c»]', ['b'], '[@a; @b‸]'],
      ['[@a; @«c»]', ['b', 'd'], '[@a; @b; @d‸]'],
      ['[@a; -«@c»]', ['b'], '[@a; -@b‸]'],
      ['[@a; «@c»]', ['a'], '[@a; @c‸]'],
      ['[«see» @a]', ['b'], '[see @a; @b‸]'],
      ['«x [@a» z]', ['b'], 'x [@a z; @b‸]'],
      // From inside a group out of it: nothing is deleted, the cursor is at the selection's end.
      ['[@a «z] and» more', ['b'], '[@a z] and[@b]‸ more'],
    ]);
  });

  it('serves every cursor, a group two cursors are in getting the keys once', () => {
    checkAll('markdown', [
      ['A ‸ and [@a‸]', ['b'], 'A [@b]‸ and [@a; @b‸]'],
      ['[@a‸; @c‸]', ['b'], '[@a; @b‸; @c‸]'],
      ['‸ x ‸', ['b'], '[@b]‸ x [@b]‸'],
    ]);
  });
});

describe('Insert Citation in LaTeX', () => {
  it('joins the key list of the citing command the cursor is in', () => {
    checkAll('latex', [
      ['\\cite{a,‸}', ['k'], '\\cite{a,k‸}'],
      ['\\cite{a‸}', ['k'], '\\cite{a,k‸}'],
      ['\\cite{‸a}', ['k'], '\\cite{k‸,a}'],
      ['\\cite{‸}', ['k', 'l'], '\\cite{k,l‸}'],
      ['\\cite{a, ‸}', ['k', 'l'], '\\cite{a, k, l‸}'],
      ['\\cite{a‸b,c}', ['k'], '\\cite{ab,k‸,c}'],
      ['\\parencite[p.~3]{a‸}', ['k'], '\\parencite[p.~3]{a,k‸}'],
      ['\\citep[see][]{a, ‸b}', ['k'], '\\citep[see][]{a, k‸, b}'],
      ['\\cites(pre)(post)[p]{a}{‸}', ['k'], '\\cites(pre)(post)[p]{a}{k‸}'],
      ['\\volcite{3}[45]{a‸}', ['k'], '\\volcite{3}[45]{a,k‸}'],
      ['\\Textcite*{a‸}', ['k'], '\\Textcite*{a,k‸}'],
      // A list over lines, and one still being typed before a blank line.
      ['\\cite{a,\n  ‸}', ['k'], '\\cite{a,\n  k‸}'],
      ['\\cite{a,‸\n\nMore.', ['k'], '\\cite{a,k‸\n\nMore.'],
      // Right after the `}`: the list, not `\cite{a}\cite{k}`.
      ['\\cite{a}‸ shows', ['k'], '\\cite{a,k‸} shows'],
    ]);
  });

  it('adds no key the list holds already (another command\'s key may repeat)', () => {
    checkAll('latex', [
      ['\\cite{a,‸}', ['a', 'k'], '\\cite{a,k‸}'],
      ['\\cite{a,k‸}', ['k'], '\\cite{a,k‸}'],
      ['\\cites{a}{‸}', ['a'], '\\cites{a}{a‸}'],
    ]);
  });

  it('joins the key list from anywhere in the command: its name, a note, a volume, between its arguments', () => {
    checkAll('latex', [
      ['\\cite[p.‸]{a}', ['k'], '\\cite[p.]{a,k‸}'],
      ['\\ci‸te{a}', ['k'], '\\cite{a,k‸}'],
      ['\\cite‸{a}', ['k'], '\\cite{a,k‸}'],
      ['\\volcite{‸3}[45]{a}', ['k'], '\\volcite{3}[45]{a,k‸}'],
      // A qualified list: its last key group.
      ['\\cites(pre)‸(post)[p]{a}{b}', ['k'], '\\cites(pre)(post)[p]{a}{b,k‸}'],
      // At the backslash the command has not begun: a new one before it.
      ['‸\\cite{a}', ['k'], '\\cite{k}‸\\cite{a}'],
    ]);
  });

  it('starts a new command in prose, in a command that cites nothing, and in verbatim text', () => {
    checkAll('latex', [
      ['As shown ‸.', ['k', 'l'], 'As shown \\cite{k,l}‸.'],
      ['\\begin{verbatim}\\cite{a,‸}\\end{verbatim}', ['k'], '\\begin{verbatim}\\cite{a,\\cite{k}‸}\\end{verbatim}'],
      ['\\setcitestyle{‸}', ['k'], '\\setcitestyle{\\cite{k}‸}'],
      // Never splitting a control sequence or taking another command's argument.
      ['\\emph‸{x}', ['k'], '\\cite{k}‸\\emph{x}'],
      ['\\ve‸rb|x|', ['k'], '\\cite{k}‸\\verb|x|'],
      ['\\‸%', ['k'], '\\cite{k}‸\\%'],
      ['\\begin{verb‸atim}x\\end{verbatim}', ['k'], '\\cite{k}‸\\begin{verbatim}x\\end{verbatim}'],
      ['\\LaTeX‸ is', ['k'], '\\LaTeX\\cite{k}‸ is'],
      ['a\\\\‸b', ['k'], 'a\\\\\\cite{k}‸b'],
    ]);
  });

  it('uses the command of the setting and writes the notes as pre- and postnote', () => {
    checkAll('latex', [
      ['‸', ['k'], '\\citep{k}‸', { latexCommand: 'citep' }],
      ['‸', ['k'], '\\parencite{k}‸', { latexCommand: '\\parencite' }],
      ['‸', ['k'], '\\autocite*{k}‸', { latexCommand: 'autocite*' }],
      ['‸', ['k'], '\\cite{k}‸', { latexCommand: 'not a command' }],
      ['‸', ['k'], '\\cite[p.~3]{k}‸', { locator: 'p. 3' }],
      ['‸', ['k'], '\\cite[see][]{k}‸', { prefix: 'see' }],
      ['‸', ['k', 'l'], '\\textcite[see][pp.~3--5]{k,l}‸', { latexCommand: 'textcite', prefix: 'see', locator: 'pp. 3--5' }],
      ['‸', ['k'], '\\cite[{fig. [2]}]{k}‸', { locator: 'fig. [2]' }],
    ]);
  });

  it('says when it could not write the notes: a joined list\'s notes belong to the whole command', () => {
    const edit = planCitationInsertion('\\cite[p.~3]{a}', 'latex', { start: 13, end: 13 }, ['k'], { locator: 'p. 4' });
    assert.deepEqual([edit.newText, edit.notesDropped, edit.mode], [',k', true, 'joined']);
    assert.equal(planCitationInsertion('\\cite{a}', 'latex', { start: 7, end: 7 }, ['k']).notesDropped, false);
  });

  it('replaces a selection outside key lists and a selected key', () => {
    checkAll('latex', [
      ['see «TODO» there', ['k'], 'see \\cite{k}‸ there'],
      ['\\cite{a,«c»}', ['k'], '\\cite{a,k‸}'],
      ['\\cite{a, «c»}', ['k', 'l'], '\\cite{a, k, l‸}'],
      ['\\cite{a,«c»}', ['a'], '\\cite{a,c‸}'],
      ['\\cite{«a,c»}', ['k'], '\\cite{a,c,k‸}'],
    ]);
  });
});

describe('the notes a person types after choosing papers', () => {
  it('reads a locator, a prefix, or both', () => {
    const cases: [string, ReturnType<typeof parseCitationNotes>][] = [
      ['', {}],
      ['   ', {}],
      ['p. 3', { locator: 'p. 3' }],
      ['pp. 3-5', { locator: 'pp. 3-5' }],
      ['12–15', { locator: '12–15' }],
      ['chap. 2', { locator: 'chap. 2' }],
      ['§ 4', { locator: '§ 4' }],
      ['sec. 3.1', { locator: 'sec. 3.1' }],
      ['see', { prefix: 'see' }],
      ['see especially', { prefix: 'see especially' }],
      ['particularly', { prefix: 'particularly' }],
      ['see, p. 3', { prefix: 'see', locator: 'p. 3' }],
      ['cf., e.g., chap. 2', { prefix: 'cf., e.g.', locator: 'chap. 2' }],
      ['see also, 45', { prefix: 'see also', locator: '45' }],
      ['see, for example', { prefix: 'see, for example' }],
    ];
    for (const [input, expected] of cases) assert.deepEqual(parseCitationNotes(input), expected, input);
  });
});

describe('the citation settings', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };

  it('are declared in package.json with the defaults of settings.ts', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.equal(properties['literatureDigest.citation.latexCommand']?.default, DEFAULT_SETTINGS.citation.latexCommand);
    assert.equal(properties['literatureDigest.citation.askLocator']?.default, DEFAULT_SETTINGS.citation.askLocator);
  });

  it('take a command name with or without its backslash and star, and nothing else', () => {
    assert.deepEqual(['citep', '\\parencite', ' autocite ', 'cite*', 'Textcite', 'ci te', '', 'cite{', 42, undefined].map(normaliseLatexCommand),
      ['citep', 'parencite', 'autocite', 'cite*', 'Textcite', 'cite', 'cite', 'cite', 'cite', 'cite']);
    assert.deepEqual(normaliseSettings({ citation: { latexCommand: '\\citet', askLocator: true } }).citation, { latexCommand: 'citet', askLocator: true });
    assert.deepEqual(normaliseSettings({ citation: { askLocator: 'yes' } }).citation, DEFAULT_SETTINGS.citation);
  });
});

/** The keys a note cites, counted. */
function keyCounts(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** What inserting `NEW_KEY` at `cursor` did to a note's citations that it must not: a key lost, or anything but the new key gained. */
const NEW_KEY = 'inserted-key2024';
function damage(language: NoteLanguage, text: string, cursor: number): string | undefined {
  const scan = (note: string) => (language === 'latex' ? scanLatexCitations(note) : scanMarkdownCitations(note)).map((citation) => citation.key);
  const edit = planCitationInsertion(text, language, { start: cursor, end: cursor }, [NEW_KEY]);
  const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  const before = keyCounts(scan(text));
  const now = keyCounts(scan(after));
  for (const [key, count] of before) if ((now.get(key) ?? 0) < count) return `lost ${key}`;
  for (const [key, count] of now) if (key !== NEW_KEY && count > (before.get(key) ?? 0)) return `gained ${key}`;
  if ((now.get(NEW_KEY) ?? 0) > 1) return `${NEW_KEY} twice`;
  if (edit.mode === 'joined' && now.get(NEW_KEY) !== 1) return `${NEW_KEY} joined a group but is not read as a citation`;
  return undefined;
}

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return /\.(md|txt|qmd|Rmd|rmd|markdown)$/.test(name) && name !== 'SOURCES.md' ? [path] : [];
  });
}

describe('Insert Citation breaks no citation', () => {
  it('in the real Markdown corpus: at every place in and around every group and citation, and after seeded spaces', () => {
    const corpus = join(__dirname, '..', 'fixtures', 'pandoc-citations');
    const random = seededRandom(15);
    const problems: string[] = [];
    let tried = 0;
    let joined = 0;
    for (const file of corpusFiles(corpus)) {
      const text = readFileSync(file, 'utf8');
      const starts = [0];
      for (const match of text.matchAll(/\r\n?|\n/g)) starts.push(match.index + match[0].length);
      const cursors = new Set<number>();
      for (const group of pandocCitationGroups(text)) {
        const open = starts[group.open.line] + group.open.character;
        const close = starts[group.close.line] + group.close.character;
        for (let at = Math.max(0, open - 1); at <= Math.min(text.length, close + 2) && at - open < 200; at++) cursors.add(at);
      }
      for (const citation of scanMarkdownCitations(text)) {
        const start = starts[citation.line] + citation.start;
        for (let at = start - 2; at <= starts[citation.line] + citation.end + 1; at++) if (at >= 0) cursors.add(at);
      }
      const spaces = [...text.matchAll(/ /g)].map((match) => match.index + 1);
      for (let n = 0; n < 10 && spaces.length > 0; n++) cursors.add(spaces[Math.floor(random() * spaces.length)]);
      for (const cursor of cursors) {
        tried++;
        if (planCitationInsertion(text, 'markdown', { start: cursor, end: cursor }, [NEW_KEY]).mode === 'joined') joined++;
        const problem = damage('markdown', text, cursor);
        if (problem) problems.push(`${relative(corpus, file)} at ${cursor} (${JSON.stringify(text.slice(Math.max(0, cursor - 20), cursor))}‸${JSON.stringify(text.slice(cursor, cursor + 20))}): ${problem}`);
      }
    }
    assert.ok(tried > 3000 && joined > 1000, `enough cursors tried (${tried}, ${joined} in groups)`);
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} of ${tried}`);
  });

  it('in LaTeX, at every offset of the biblatex and natbib manuals\' examples', () => {
    const examples = [
      '\\cite[see][12]{key} \\Cite{key} \\parencite[12]{key} and \\footcite[see][12]{key}',
      '\\parencites(See)(and the introduction)[35]{key1}[78]{key2}[23]{key3}',
      '\\cites(pre)(post)[a][b]{k1}[c]{k2} \\Cites{a}{b}',
      '\\volcite[see]{3}[45]{key} \\volcites(pre)(post)[see]{1}[2]{k1}{4}{k2}',
      '\\citep[see][chap.~2]{jon90, jam91} and \\citet*{jon90}% a comment \\cite{x}\n\\nocite{*}',
      '\\cite{a,\n  b} then \\verb|\\cite{v}| and \\defbibentryset{set}{k1,k2} \\mcite{set,*m1}',
      '\\begin{verbatim}\\cite{v}\\end{verbatim} \\setcitestyle{round} \\citetext{see \\citealp{x}}',
    ];
    const problems: string[] = [];
    for (const text of examples) {
      for (let cursor = 0; cursor <= text.length; cursor++) {
        const problem = damage('latex', text, cursor);
        if (problem) problems.push(`${JSON.stringify(text.slice(0, cursor))}‸${JSON.stringify(text.slice(cursor))}: ${problem}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
