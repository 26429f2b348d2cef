/** Reading bibliographies: BibTeX/BibLaTeX, CSL-JSON, TeX in fields, and the files a note names. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseBibtex } from '../../server/src/library/bibtexParser';
import { looksLikeCslJson, parseCslJson } from '../../server/src/library/cslJson';
import { documentBibliographies } from '../../server/src/library/documentBibliographies';
import { bibtexNames, libraryFormatOf, parseLibrary, rereadLibrary } from '../../server/src/library/libraryEntries';
import { texToText } from '../../server/src/library/texText';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bibliographies', name), 'utf8');
const EXAMPLES = fixture('biblatex-examples.bib');

describe('BibTeX and BibLaTeX', () => {
  it('reads every entry of biblatex-examples.bib without a problem', () => {
    const { entries, problems } = parseBibtex(EXAMPLES);
    assert.deepEqual(problems, []);
    // 100 `@` commands: 8 @string definitions and 92 entries.
    assert.equal(entries.length, 92);
    assert.equal(new Set(entries.map((e) => e.key)).size, 92);
    const jaffe = entries.find((e) => e.key === 'jaffe')!;
    assert.equal(jaffe.type, 'mvcollection');
    assert.equal(EXAMPLES.slice(jaffe.keyStart, jaffe.keyEnd), 'jaffe');
    assert.equal(EXAMPLES[jaffe.start], '@');
    assert.equal(EXAMPLES[jaffe.end - 1], '}');
  });

  it('expands @string macros and # concatenation, and predefines the months', () => {
    const { entries } = parseBibtex('@string{cup = "Cambridge University Press"}\n@book{b, publisher = cup # { (UK)}, month = aug, year = 1999}');
    assert.equal(entries[0].fields.get('publisher'), 'Cambridge University Press (UK)');
    assert.equal(entries[0].fields.get('month'), '8');
    const sigfridsson = parseBibtex(EXAMPLES).entries.find((e) => e.key === 'baez/article')!;
    assert.equal(sigfridsson.fields.get('journaltitle'), 'Theory and Applications of Categories');
  });

  it('inherits crossref fields, the parent title as booktitle', () => {
    const child = parseBibtex(EXAMPLES).entries.find((e) => e.key === 'westfahl:space')!;
    assert.equal(child.fields.get('booktitle'), 'Space and Beyond');
    assert.equal(child.fields.get('date'), '2000');
    assert.equal(child.fields.get('title'), 'The True Frontier', 'its own title stays');
  });

  it('balances braces inside quotes and braces, skips @comment and @preamble, takes parentheses', () => {
    const text = '@comment{jabref-meta: {x}}\n@preamble{"\\newcommand{\\x}{y}"}\n@article(p, title = "A {"}quoted{"} title", note = {a {nested} note})';
    const { entries, problems } = parseBibtex(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(entries.map((e) => [e.key, e.fields.get('title'), e.fields.get('note')]), [['p', 'A {"}quoted{"} title', 'a {nested} note']]);
  });

  it('recovers from a missing brace at the next entry line and reports where', () => {
    const text = '@article{a, title = {Open\n@article{b, title = {Fine}}\n';
    const { entries, problems } = parseBibtex(text);
    assert.deepEqual(entries.map((e) => e.key), ['a', 'b']);
    assert.equal(entries[1].fields.get('title'), 'Fine');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /unbalanced braces in a value of 'a'/);
  });

  it('reads an e-mail address in a comment as no entry', () => {
    assert.deepEqual(parseBibtex('Contact me@example.org\n@misc{k, title={T}}').entries.map((e) => e.key), ['k']);
  });
});

describe('TeX in field values', () => {
  it('decodes accents, named letters, dashes, quotes, ties and commands with arguments', () => {
    assert.equal(texToText('{\\"U}ber M{\\"{o}}bius \\ss{} \\o\\ \\aa'), 'Über Möbius ß ø å');
    assert.equal(texToText("\\'{\\i}ndice \\c{c}a \\v{S}koda \\k{a}"), 'índice ça Škoda ą');
    assert.equal(texToText('pages 1--2 --- and ``quoted\'\' Fig.~1'), 'pages 1–2 — and “quoted” Fig.\u00a01');
    assert.equal(texToText('\\emph{Deep} \\textsc{BERT} {GPT}-4 \\& co. 50\\%'), 'Deep BERT GPT-4 & co. 50%');
    assert.equal(texToText('$\\alpha$-shapes'), '\\alpha-shapes');
  });

  it('shows BibTeX names as people write them', () => {
    assert.deepEqual(bibtexNames('Knuth, Donald E. and {Barnes and Noble} and van Gennep, Arnold and Doe, Jr., John and Ada Lovelace'),
      ['Donald E. Knuth', 'Barnes and Noble', 'Arnold van Gennep', 'John Doe, Jr.', 'Ada Lovelace']);
  });
});

describe('CSL-JSON', () => {
  const zotero = fixture('bbt-pandoc-citation.csl.json');

  it('is recognised by content, and package.json is not', () => {
    assert.ok(looksLikeCslJson(zotero));
    assert.ok(!looksLikeCslJson('{"name": "x", "version": "1.0.0"}'));
    assert.ok(!looksLikeCslJson('[{"name": "x"}]'));
    assert.equal(libraryFormatOf('/w/My Library.json', zotero), 'csl-json');
    assert.equal(libraryFormatOf('/w/package.json', '{"name": "x"}'), undefined);
  });

  it('reads each item with where its id is', () => {
    const { entries, problems } = parseCslJson(zotero);
    assert.deepEqual(problems, []);
    assert.deepEqual(entries.map((e) => e.key), ['Adams2001', 'Berndt1994', 'Dunning2016', 'Wordsworth1883']);
    for (const entry of entries) {
      assert.equal(zotero.slice(entry.keyStart, entry.keyEnd), entry.key);
      assert.equal(zotero[entry.start], '{');
      assert.equal(zotero[entry.end - 1], '}');
    }
  });

  it('keeps the items before a place where the JSON breaks, and says where', () => {
    const text = '[\n  {"id": "a", "type": "book", "title": "A"},\n  {"id": "b", "type": "book", "title": "B"},\n  {"id": "c", "title": \n';
    const { entries, problems } = parseCslJson(text);
    assert.deepEqual(entries.map((e) => e.key), ['a', 'b']);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /not valid JSON here/);
  });

  it('gives listings: title without markup, authors, date, venue, DOI', () => {
    const library = parseLibrary('file:///w/z.json', zotero, 'csl-json');
    const berndt = library.entries[1];
    assert.equal(berndt.title, 'Skizze zur Auslegungsgeschichte der Bücher Prouerbia und Ecclesiastes in der abendländischen Kirche');
    assert.deepEqual(berndt.metadata?.authorNames, ['Rainer Berndt']);
    assert.equal(berndt.date, '1994');
    assert.equal(berndt.library.venue, 'Sacris Erudiri');
    assert.equal(berndt.library.doi, '10.1484/J.SE.2.303788');
    // Editors stand in for missing authors.
    assert.deepEqual(library.entries[3].metadata?.authorNames, ['John Wordsworth']);
  });
});

describe('the bibliographies a note names', () => {
  it('reads YAML front matter: one path, a flow list, a block list, quoted or not', () => {
    assert.deepEqual(documentBibliographies('---\nbibliography: refs.bib\n---\n', 'markdown').map((b) => b.path), ['refs.bib']);
    assert.deepEqual(documentBibliographies('---\ntitle: x\nbibliography: [a.bib, "b c.json"]\n---\n', 'markdown').map((b) => b.path), ['a.bib', 'b c.json']);
    assert.deepEqual(documentBibliographies('---\nbibliography:\n  - a.bib\n  - \'../z.json\'\nlink-citations: true\n---\n', 'markdown').map((b) => b.path), ['a.bib', '../z.json']);
    assert.deepEqual(documentBibliographies('No front matter\nbibliography: x.bib\n', 'markdown'), []);
    const [named] = documentBibliographies('---\nbibliography: refs.bib # mine\n---\n', 'markdown');
    assert.deepEqual([named.line, named.start, named.end], [1, 14, 22]);
  });

  it('reads \\addbibresource and \\bibliography, not in comments', () => {
    const tex = '\\addbibresource[location=local]{refs.bib}\n% \\addbibresource{old.bib}\n\\bibliography{a,b.bib}';
    assert.deepEqual(documentBibliographies(tex, 'latex').map((b) => b.path), ['refs.bib', 'a.bib', 'b.bib']);
  });
});

describe('re-reading a .bib after an edit', () => {
  /** What a reading says, to compare an incremental one with a fresh one. */
  const summary = (library: ReturnType<typeof parseLibrary>) => ({
    entries: library.entries.map((e) => [e.library.key, e.line, e.library.lineSpan, e.title, e.identity, e.date, e.metadata?.authorNames.join(';'), e.library.venue ?? '', e.spans.title.start]),
    problems: library.problems.map((p) => [p.line, p.character, p.endLine, p.endCharacter, p.message]).sort(),
  });

  it('gives what a fresh reading gives, for random edits (inserted lines, broken braces, keys, @strings)', () => {
    const random = (() => { let seed = 7; return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); })();
    const pieces = ['\n', '}', '{', ' and Smith, John', '\n@article{new, title = {New}, year = 2020}\n', 'x', '@string{neu = {Neu}}\n', ', crossref = {westfahl:frontier}', '"', '%'];
    let text = EXAMPLES;
    // Two chains of readings: one re-read from each change, one by comparing chunks.
    let library = parseLibrary('file:///w/x.bib', text, 'bibtex');
    let compared = parseLibrary('file:///w/x.bib', text, 'bibtex');
    let reused = 0;
    let reusedByComparison = 0;
    for (let step = 0; step < 120; step++) {
      const at = Math.floor(random() * text.length);
      const remove = random() < 0.3 ? Math.floor(random() * 40) : 0;
      const piece = pieces[Math.floor(random() * pieces.length)];
      const edited = text.slice(0, at) + piece + text.slice(at + remove);
      const change = { start: at, end: Math.min(text.length, at + remove), text: piece };
      // Re-read from the change alone (as the editor's changes give it) and by comparing chunks: both as a fresh reading.
      const byOffsets = rereadLibrary('file:///w/x.bib', library, change) ?? parseLibrary('file:///w/x.bib', edited, 'bibtex');
      const byComparison = parseLibrary('file:///w/x.bib', edited, 'bibtex', compared);
      const fresh = summary(parseLibrary('file:///w/x.bib', edited, 'bibtex'));
      assert.deepEqual(summary(byOffsets), fresh, `step ${step}, by offsets`);
      assert.deepEqual(summary(byComparison), fresh, `step ${step}, by comparison`);
      if (byOffsets.chunks?.[0] === library.chunks?.[0]) reused++;
      if (byComparison.chunks?.[0] === compared.chunks?.[0]) reusedByComparison++;
      text = edited;
      library = byOffsets;
      compared = byComparison;
    }
    assert.ok(reusedByComparison > 60, `chunks kept by comparison on ${reusedByComparison} of 120 edits`);
    // Most edits re-read only their chunks (an edit in an @string, or of an entry others inherit from, reads all).
    assert.ok(reused > 60, `chunks kept on ${reused} of 120 edits`);
  });

  it('keeps the objects of entries before the edit and moves those after it', () => {
    const before = parseLibrary('file:///w/x.bib', EXAMPLES, 'bibtex');
    const at = EXAMPLES.indexOf('@article{sigfridsson,');
    const index = before.entries.findIndex((e) => e.library.key === 'sigfridsson');
    const lines = before.entries.map((e) => e.line);
    const after = rereadLibrary('file:///w/x.bib', before, { start: at, end: at, text: '\n' });
    assert.ok(after, 'read again from the change');
    assert.equal(after.entries[0], before.entries[0], 'an entry above the edit is the same object');
    assert.equal(after.entries[index].line, lines[index] + 1);
    assert.equal(after.entries[index + 5], before.entries[index + 5], 'an entry below it too, moved a line down');
    assert.equal(after.entries[index + 5].line, lines[index + 5] + 1);
  });
});
