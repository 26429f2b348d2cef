/** The metadata line under an entry: read, written back, kept through edits and across threads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDigest, parseDigest } from '../../server/src/digest/digestParser';
import { formatMetadataLine, normaliseArxivId, parseMetadataLine } from '../../server/src/digest/paperMetadata';
import { packDigest, unpackDigest } from '../../server/src/loading/digestTransfer';

const ENTRY = '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since the release of T\\"ULU, open resources grew. 11 authors · Nov 17, 2023 5';
const META = 'arXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang, Valentina Pyatkin · code: https://github.com/allenai/open-instruct';

describe('the metadata line', () => {
  it('reads the arXiv id, the authors and the links, and where a bad value stands', () => {
    const metadata = parseMetadataLine(META);
    assert.equal(metadata.arxiv, '2311.10702');
    assert.deepEqual(metadata.authorNames, ['Hamish Ivison', 'Yizhong Wang', 'Valentina Pyatkin']);
    assert.deepEqual(metadata.links, [{ label: 'code', url: 'https://github.com/allenai/open-instruct' }]);
    assert.deepEqual(metadata.problems, []);
    const bad = parseMetadataLine('arXiv: soon');
    assert.equal('arXiv: soon'.slice(bad.problems[0].span.start, bad.problems[0].span.end), 'soon', 'a problem points at the value');
  });

  it('accepts ids with a version or prefix, old-style ids, semicolons between names that hold commas', () => {
    assert.equal(normaliseArxivId('arXiv:2311.10702v3'), '2311.10702');
    assert.equal(normaliseArxivId('hep-th/9901001'), 'hep-th/9901001');
    assert.equal(normaliseArxivId('2311.107'), undefined);
    assert.deepEqual(parseMetadataLine('authors: King, Jr., Martin; Ada Lovelace').authorNames, ['King, Jr., Martin', 'Ada Lovelace']);
  });

  it('says what is wrong with a field, and keeps the rest', () => {
    const metadata = parseMetadataLine('arxiv: soon · authors: A B · colour: blue');
    assert.equal(metadata.arxiv, undefined);
    assert.deepEqual(metadata.authorNames, ['A B']);
    assert.deepEqual(metadata.problems.map((p) => p.message), ["'soon' is not an arXiv id (like 2311.10702)", "'colour' is not a known field (arXiv, authors, code, page, doi, key) and its value is no URL"]);
  });

  it('is written so that it reads back the same', () => {
    const fields = { arxiv: '2406.07550', authorNames: ['Qihang Yu', 'Liang-Chieh Chen'], links: [{ label: 'page', url: 'https://example.org/p' }] };
    const line = formatMetadataLine(fields)!;
    assert.equal(line, 'arXiv: 2406.07550 · authors: Qihang Yu, Liang-Chieh Chen · page: https://example.org/p');
    const read = parseMetadataLine(line);
    assert.deepEqual({ arxiv: read.arxiv, authorNames: read.authorNames, links: read.links }, fields);
    assert.equal(formatMetadataLine({ links: fields.links }), undefined, 'a line needs an arXiv id or authors to be one');
  });
});

describe('metadata in a digest', () => {
  it('belongs to the entry above, after its notes too, and leaves its key alone', () => {
    const plain = parseDigest(`${ENTRY}\n`).entries[0];
    const digest = parseDigest(`${ENTRY}\n  my note\n${META}\n> another note\n`);
    const entry = digest.entries[0];
    assert.equal(entry.baseKey, plain.baseKey);
    assert.equal(entry.identity, plain.identity);
    assert.equal(entry.metadataLine, 2);
    assert.deepEqual(entry.metadata?.authorNames, ['Hamish Ivison', 'Yizhong Wang', 'Valentina Pyatkin']);
    assert.deepEqual(entry.noteLines, [1, 3], 'notes after the metadata line still belong to the entry');
    assert.deepEqual(digest.lineKinds, ['entry', 'note', 'metadata', 'note', 'blank']);
    assert.deepEqual(digest.problems, []);
  });

  it('a metadata line with no entry above, or a second one, is reported and changes nothing', () => {
    const digest = parseDigest(`# Papers\n${META}\n${ENTRY}\n${META}\n${META}\n`);
    assert.deepEqual(digest.problems.map((p) => [p.line, p.code]), [[1, 'stray-metadata'], [4, 'stray-metadata']]);
    assert.equal(digest.entries[0].metadataLine, 3);
  });

  it('crosses threads and survives edits as a full parse reads it', () => {
    const text = `${ENTRY}\n${META}\n\n${ENTRY.replace('20 Camels', '3 Other').replace('Tulu 2', 'Zebras')}\n`;
    const digest = parseDigest(text);
    assert.deepEqual({ ...unpackDigest(packDigest(digest)), readings: [] }, { ...digest, readings: [] });
    // Editing the entry line keeps its metadata; editing the metadata line updates it.
    const entryEdited = editDigest(digest, 0, 1, [ENTRY.replace('20 ', '21 ')]);
    assert.deepEqual(entryEdited.entries[0].metadata?.arxiv, '2311.10702');
    assert.deepEqual({ ...entryEdited, readings: [] }, { ...parseDigest(text.replace('20 Camels', '21 Camels')), readings: [] });
    const metadataEdited = editDigest(digest, 1, 1, [META.replace('2311.10702', '2311.99999')]);
    assert.equal(metadataEdited.entries[0].metadata?.arxiv, '2311.99999');
  });
});
