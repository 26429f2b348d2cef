/**
 * The LaTeX citation scanner against the biblatex manual (doc/latex/biblatex/biblatex.tex, §3.9
 * "Citation Commands" and §3.8.11 "Dynamic Entry Sets") and natbib's (natbib.dtx, §2 "Using this
 * Package"): each case is an example of the section it names, with the keys it cites «marked».
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latexKeyGroupAt, scanLatexCitations } from '../../server/src/notes/latexCitations';
import { parseMarkedRanges } from './markers';

/** Every «marked» range must be found as a citation key, and nothing else. */
function assertLatexKeys(marked: string): void {
  const { text, ranges } = parseMarkedRanges(marked);
  const found = scanLatexCitations(text).map(({ key, line, start, end }) => ({ key, line, start, end }));
  assert.deepEqual(found, ranges.map(({ text: key, line, start, end }) => ({ key, line, start, end })), marked);
}

/** Manual sections and their examples, as the manuals write them. */
const MANUAL_EXAMPLES: [section: string, examples: string[]][] = [
  ['biblatex §3.9 Citation Commands', ['\\cite[see][]{«key»}']],
  ['biblatex §3.9.1 Standard Commands', [
    '\\cite[see][12]{«key»} \\Cite{«key»} \\parencite[12]{«key»} \\Parencite{«key»}',
    '\\footcite[see][12]{«key»} \\footcitetext{«key»}',
  ]],
  ['biblatex §3.9.2 Style-specific Commands', [
    '\\textcite{«key»} \\Textcite[12]{«key»} \\smartcite{«key»} \\Smartcite{«key»}',
    '\\cite*[see][12]{«key»} \\parencite*{«key»} \\supercite{«key»}',
  ]],
  ['biblatex §3.9.3 Qualified Citation Lists', [
    '\\parencites[35]{«key1»}[88--120]{«key2»}[23]{«key3»}',
    '\\parencites[35]{«key1»}[chapter 2 in][]{«key2»}[23]{«key3»}',
    '\\parencites(and chapter 3)[35]{«key1»}[78]{«key2»}[23]{«key3»}',
    '\\parencites(Compare)()[35]{«key1»}[78]{«key2»}[23]{«key3»}',
    '\\parencites(See)(and the introduction)[35]{«key1»}[78]{«key2»}[23]{«key3»}',
    // The scanner stops at \relax or a control space, as the manual says the commands do.
    '\\parencites[35]{«key1»}[78]{«key2»}\\relax[...]',
    '\\parencites[35]{«key1»}[78]{«key2»}\\ {...}',
    '\\cites(pre)(post)[a][b]{«k1»}[c]{«k2»} \\Cites{«a»}{«b»} \\footcites{«a»}[p]{«b»} \\footcitetexts{«a»}{«b»}',
    '\\smartcites{«a»}{«b»} \\Smartcites{«a»}{«b»} \\textcites{«a»}{«b»} \\Textcites{«a»}{«b»} \\supercites{«a»}{«b»}',
  ]],
  ['biblatex §3.9.4 Style-independent Commands', [
    '\\autocite{«key»} \\Autocite[12]{«key»} \\autocite*{«key»} \\Autocite*[see][]{«key»}',
    '\\autocites(See)()[35]{«key1»}[78]{«key2»} \\Autocites{«a»}{«b»}',
  ]],
  ['biblatex §3.9.5 Text Commands', [
    '\\citeauthor{«key»} \\citeauthor*{«key»} \\Citeauthor{«key»} \\Citeauthor*{«key»}',
    '\\citetitle{«key»} \\citetitle*{«key»} \\citeyear{«key»} \\citeyear*{«key»} \\citedate{«key»} \\citedate*{«key»} \\citeurl{«key»}',
    // \parentext and \brackettext wrap text, not keys.
    '\\parentext{text} \\brackettext{text}',
  ]],
  ['biblatex §3.9.6 Special Commands', [
    '\\nocite{«key»} \\fullcite[12]{«key»} \\footfullcite{«key»}',
    // \nocite{*} adds all entries: `*` is no key.
    '\\nocite{*} \\nocite{«a»,*}',
    '\\volcite[see]{3}[45]{«key»} \\Volcite{3}{«key»} \\volcites(pre)(post)[see]{1}[2]{«k1»}{4}{«k2»} \\Volcites{1}{«k»}',
    '\\pvolcite{3}[45]{«key»} \\Pvolcite{3}{«key»} \\pvolcites{1}{«a»}[p]{2}[3]{«b»} \\Pvolcites{1}{«k»}',
    '\\fvolcite{3}{«key»} \\Fvolcite{3}{«key»} \\ftvolcite{3}{«key»} \\Ftvolcite{3}{«key»} \\fvolcites{1}{«a»} \\Fvolcites{1}{«a»} \\ftvolcites{1}{«a»} \\Ftvolcites{1}{«a»}',
    '\\svolcite{3}{«key»} \\Svolcite{3}{«key»} \\svolcites{1}{«a»} \\Svolcites{1}{«a»} \\tvolcite{3}{«key»} \\Tvolcite{3}{«key»} \\tvolcites{1}{«a»} \\Tvolcites{1}{«a»}',
    '\\avolcite{3}{«key»} \\Avolcite{3}{«key»} \\avolcites{1}{«a»} \\Avolcites{1}{«a»}',
    '\\notecite[see][12]{«key»} \\Notecite{«key»} \\pnotecite{«key»} \\Pnotecite{«key»} \\fnotecite{«key»}',
  ]],
  ['biblatex §3.9.7 Low-level Commands', [
    '\\citename[see][12]{«key»}[given-family]{author} \\citelist{«key»}{publisher} \\citefield{«key»}[emph]{title}',
  ]],
  ['biblatex §3.9.8 Miscellaneous Commands', [
    '\\citereset \\citereset* \\mancite \\autocite[\\pnfmt{378-381, 383} and more]{«sigfridsson»}',
  ]],
  ['biblatex §3.9.9 natbib Compatibility Commands', [
    '\\defcitealias{key}{Paper~I} \\citetalias{«key»} \\citepalias[p.~3]{«key»}',
  ]],
  ['biblatex §3.9.10 mcite-like Citation Commands', [
    '\\mcite{«key1»,«setA»,*«keyA1»,*«keyA2»,*«keyA3»,«key2»,«setB»,*«keyB1»,*«keyB2»,*«keyB3»}',
    '\\mcite*[pre][post]{«setA»,*«keyA1»,*«keyA2»,*«keyA3»} \\Mcite{«set1»} \\mparencite{«a»} \\Mtextcite{«a»} \\mautocite{«a»}',
    // With \cite, a `*` is no set marker: the key is written as it stands.
    '\\cite{«glashow»,«*salam»,«*weinberg»}',
  ]],
  ['biblatex §3.8.11 Dynamic Entry Sets', ['\\defbibentryset{set}{«key1»,«key2»,«key3»}']],
  ['biblatex §3.14.3 Page Numbers in Citations', [
    '\\cite[\\pno~27a]{«key»} \\cite[see][\\ppno~37--46, in particular \\pno~40]{«key»} \\cite[XI \\& XV]{«key»}',
  ]],
  ['natbib §2.3 Basic Citation Commands', [
    '\\citet{«jon90»} \\citet[chap.~2]{«jon90»} \\citep{«jon90»} \\citep[chap.~2]{«jon90»} \\citep[see][]{«jon90»} \\citep[see][chap.~2]{«jon90»}',
    '\\citet*{«jon90»} \\citep*{«jon90»} \\citet{«jon90»,«jam91»} \\citep{«jon90a»,«jon90b»}',
  ]],
  ['natbib §2.4 Extended Citation Commands', [
    '\\citealt{«jon90»} \\citealt*{«jon90»} \\citealp{«jon90»} \\citealp*{«jon90»} \\citealp[pg.~32]{«jon90»} \\citenum{«jon90»}',
    // \citetext holds text, and maybe citations of its own.
    '\\citetext{priv.\\ comm.} \\citetext{see \\citealp{«jon90»}, or even better \\citealp{«jam91»}}',
    '\\citeauthor{«jon90»} \\citeauthor*{«jon90»} \\citeyear{«jon90»} \\citeyearpar{«jon90»} \\citefullauthor{«jon90»}',
  ]],
  ['natbib §2.5 Forcing Upper Cased Name', [
    '\\Citet{«dRob98»} \\Citep{«dRob98»} \\Citealt{«dRob98»} \\Citealp{«dRob98»} \\Citeauthor{«dRob98»} \\Citet*{«dRob98»}',
  ]],
  ['natbib §2.6 Citation Aliasing', ['\\defcitealias{jon90}{Paper~I} \\citetalias{«jon90»} \\citepalias{«jon90»}']],
  ['natbib §2.9 Selecting Citation Punctuation', [
    '\\setcitestyle{square,aysep={},yysep={;}} \\citep{«jon90»,«jon91»,«jam92»}',
    '\\setcitestyle{notesep={; },round,aysep={},yysep={;}} \\citep[and references therein]{«jon90»}',
  ]],
  ['natbib §2.10 Predefining a citation style', ['\\citestyle{agu} \\newcommand{\\bibstyle@agu}{\\bibpunct{[}{]}{;}{a}{,}{,~}}']],
  ['natbib §2.13 Automatic Indexing of Citations', ['\\citeindextrue \\citep{«jon90»} \\citeindexfalse \\renewcommand{\\citeindextype}{cite}']],
  ['natbib §2.17 Long Author List on First Citation', ['\\shortcites{jon90,jam91} \\citet{«jon90»}']],
  ['natbib, the package summary: \\bibitem labels', [
    '\\bibitem[\\protect\\citeauthoryear{Jones, Baker, and Williams}{Jones et al.}{1990}]{key} \\bibitem[\\protect\\astroncite{Jones et al.}{1990}]{key}',
  ]],
];

describe('LaTeX citations: the manuals\' examples', () => {
  for (const [section, examples] of MANUAL_EXAMPLES) {
    it(section, () => {
      for (const example of examples) assertLatexKeys(example);
    });
  }
});

describe('LaTeX citations: arguments as TeX reads them', () => {
  it('balances braces in notes and keys, and ends a note at its first ] outside braces', () => {
    assertLatexKeys('\\cite[{]}]{«key»} \\cite[see {\\S}~3]{«k»} \\cite[a [b]{«c»} \\parencites({)})[x]{«k2»}');
  });

  it('reads arguments and keys across a line end, each key on its own line', () => {
    assertLatexKeys('\\cite{«a»,\n  «b»} and \\cite[p.~3]\n{«key»} and \\parencites[35]{«k1»}\n  [78]{«k2»}\n\\textcite\n  {«t»}');
  });

  it('does not read past a blank line, which ends the paragraph and the arguments', () => {
    assertLatexKeys('\\cite[p.~3]\n\n{notakey} \\cite{a,\n\nb} then \\cite{«after»}');
  });

  it('skips % comments, also inside and between arguments, but not an escaped \\%', () => {
    assertLatexKeys([
      '\\cites{«a»}[p. 2]{«b»} % \\cite{commented}',
      '50\\% as \\autocite{«c»} shows',
      '\\cite{«d», % the second key follows',
      '  «e»}',
      '\\parencite[see]% a comment between arguments',
      '  % and a comment line',
      '  [12]{«f»}',
      '\\\\% a line break, then a comment: \\cite{g}',
    ].join('\n'));
  });

  it('leaves verbatim-like environments alone', () => {
    assertLatexKeys([
      '\\begin{verbatim}', '\\cite{v1}', '\\end{verbatim}',
      '\\begin{Verbatim}[frame=single]', '\\cite{v2}', '\\end{Verbatim}',
      '\\begin{lstlisting}[language=TeX]', '\\cite{v3} % not a comment \\end{verbatim}', '\\end{lstlisting}',
      '\\begin{minted}{latex}', '\\citep{v4}', '\\end{minted}',
      '\\begin{comment}', '\\cite{v5}', '\\end{comment}',
      '\\begin{filecontents*}{refs.bib}', '@article{v6, note = {\\cite{v6}}}', '\\end{filecontents*}',
      '% \\begin{verbatim} in a comment opens nothing', '\\begin{quote}\\cite{«q»}\\end{quote} \\cite{«after»}',
    ].join('\n'));
  });

  it('leaves \\verb, \\lstinline, \\mintinline, \\url and \\href\'s address alone', () => {
    assertLatexKeys([
      '\\verb|\\cite{v1}| \\verb*+\\cite{v2}+ \\lstinline{\\cite{v3}} \\lstinline[language=TeX]!\\cite{v4}! \\mintinline{latex}{\\cite{v5}}',
      '\\url{https://example.org/a%20b} \\cite{«u»} \\href{https://example.org/%7Eme}{\\cite{«h»}} \\nolinkurl{x%y} \\cite{«n»}',
    ].join('\n'));
  });

  it('reads no macro parameter (#1) or macro as a key, so definitions cite nothing', () => {
    assertLatexKeys([
      '\\newcommand{\\mycite}[1]{\\cite{#1}} \\def\\pcite#1{\\parencite{##1}} \\cite{«a», #2}',
      '\\renewcommand{\\cite}{\\citep} \\DeclareCiteCommand{\\cite}{\\usebibmacro{cite}}{} \\cite{\\keymacro}',
    ].join('\n'));
  });

  it('reads no key from commands that say cite but cite nothing', () => {
    assertLatexKeys('\\ifciteseen{seen}{unseen} \\multicitedelim{x} \\citesetup{y} \\NAT@citex{z} \\bibcite{k}{1} \\cite{«k»}');
  });

  it('reads commands neither manual names like \\cite, or like \\cites if their name ends so', () => {
    assertLatexKeys('\\citeA[p.~3]{«a»} \\Citeyear{«b»} \\footcitet{«c»} \\mycites{«d»}[p]{«e»}');
  });

  it('takes line ends as editors do (CRLF, lone CR) and ranges in UTF-16 units', () => {
    const text = 'Ünïcödé 𝐀 \\cite{a,\r\n b}\r\\citep{c}';
    assert.deepEqual(scanLatexCitations(text).map(({ key, line, start, end }) => [key, line, start, end]), [
      ['a', 0, 17, 18], ['b', 1, 1, 2], ['c', 2, 7, 8],
    ]);
  });

  it('ignores an argument that never closes and reads on after the command', () => {
    assertLatexKeys('\\cite{unclosed \\cite{«inner»} \\cite[never closes {\\cite{«x»}');
  });

  it('scans a 5,000-line note in a few milliseconds', () => {
    const paragraph = [
      'As \\textcite{camels2023} show, DPO works \\parencite[see][12]{fipo2024,smoltulu2024}; see also',
      '\\cites(compare)()[35]{key1}[78]{key2} and \\volcite{3}[45]{vkey}. 50\\% of \\emph{all} % \\cite{x}',
      'models are \\textbf{small} \\citep[p.~3]{a,',
      '  b}. The \\url{https://example.org/a%20b} page says so \\footcite{c}.',
      '\\begin{verbatim}', '\\cite{notakey}', '\\end{verbatim}',
      '\\begin{equation} x = \\frac{a}{b} + \\alpha_{i}^{2} \\end{equation}', 'Plain words only.', '',
    ];
    const text = Array.from({ length: 500 }, () => paragraph.join('\n')).join('\n');
    assert.equal(scanLatexCitations(text).length, 500 * 9);
    let best = Infinity;
    for (let run = 0; run < 10; run++) {
      const start = performance.now();
      scanLatexCitations(text);
      best = Math.min(best, performance.now() - start);
    }
    // About 2 ms here; the bound leaves room for a slow or busy machine.
    assert.ok(best < 25, `${best.toFixed(1)} ms`);
  });
});

describe('the key group under the cursor, for completion', () => {
  function groupAt(marked: string): string | undefined {
    const cursor = marked.indexOf('‸');
    const line = marked.replace('‸', '');
    const start = latexKeyGroupAt(line, cursor);
    return start === undefined ? undefined : line.slice(start, cursor);
  }

  it('is inside the keys of every citing command, open or closed', () => {
    assert.equal(groupAt('\\Citet{‸'), '');
    assert.equal(groupAt('\\Citep[p.~3]{a, fi‸'), 'a, fi');
    assert.equal(groupAt('\\cites(pre)(post)[p]{a}{‸'), '');
    assert.equal(groupAt('\\volcite{3}[45]{k‸'), 'k');
    assert.equal(groupAt('\\cite{ab‸cd} more'), 'ab');
    assert.equal(groupAt('\\nocite{‸}'), '');
  });

  it('is not in a volume, a note, a non-citing command, a comment, \\verb or after the group', () => {
    for (const marked of ['\\volcite{3‸', '\\volcite{‸}', '\\cite[p.~‸', '\\setcitestyle{‸', '\\citetext{‸', '% \\cite{‸', '\\cite{a, % b‸', '\\verb|\\cite{‸', '\\cite{ab} x‸', '\\section{‸}']) {
      assert.equal(groupAt(marked), undefined, marked);
    }
  });
});
