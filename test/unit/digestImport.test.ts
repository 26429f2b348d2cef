/** Papers from recorded Hugging Face Papers API responses, read and written as digest entries. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDigest } from '../../server/src/digest/digestParser';
import { readApiResponse } from '../../server/src/huggingface/apiRecords';
import { applyLineEdits, entryLineOf, planImport } from '../../server/src/huggingface/digestImport';

const API = join(__dirname, '..', 'fixtures', 'hf-api');
const RECORDED = readdirSync(API).filter((name) => name.endsWith('.json')).map((name) => ({ name, text: readFileSync(join(API, name), 'utf8') }));
const raw = (name: string) => JSON.parse(RECORDED.find((file) => file.name === name)!.text) as { paper: { id: string; title: string; authors: { name: string }[] }; numComments: number }[];

describe('reading API responses', () => {
  it('reads every recorded daily list, with arXiv id, title, authors and comments', () => {
    for (const { name, text } of RECORDED) {
      const { papers, problems } = readApiResponse(text);
      const records = raw(name);
      assert.deepEqual(problems, [], name);
      assert.equal(papers.length, records.length, name);
      papers.forEach((paper, i) => {
        assert.equal(paper.arxiv, records[i].paper.id);
        assert.equal(paper.title, records[i].paper.title.replace(/\s+/g, ' ').trim());
        assert.deepEqual(paper.authorNames, records[i].paper.authors.map((a) => a.name.replace(/\s+/g, ' ').trim()));
        assert.equal(paper.comments, records[i].numComments);
        assert.match(paper.date, /^\d{4}-\d{2}-\d{2}$/);
      });
    }
  });

  it('reads wrapped arrays, one paper, papers without their item, and JSON Lines', () => {
    const items = raw('daily_papers-2025-03-05.json');
    assert.equal(readApiResponse(JSON.stringify({ date: '2025-03-05', count: items.length, data: items })).papers.length, items.length);
    assert.equal(readApiResponse(JSON.stringify(items[0].paper)).papers[0].arxiv, items[0].paper.id);
    assert.equal(readApiResponse(JSON.stringify(items.map((item) => item.paper))).papers.length, items.length);
    const lines = items.map((item) => JSON.stringify(item)).join('\n');
    assert.equal(readApiResponse(lines).papers.length, items.length);
  });

  it('names what it cannot read and reads the rest', () => {
    const items = raw('daily_papers-2024-06-12.json');
    const broken = [items[0], { paper: { id: '1', authors: [] } }, 'text', items[1]];
    const { papers, problems } = readApiResponse(JSON.stringify(broken));
    assert.equal(papers.length, 2);
    assert.deepEqual(problems, [{ record: 2, message: 'has no title; skipped' }, { record: 3, message: 'not an object' }]);
    assert.match(readApiResponse('{"oops": 1').problems[0].message, /^not JSON: /);
    assert.match(readApiResponse('{"date": "x"}').problems[0].message, /^not a Hugging Face Papers response/);
    const jsonLines = readApiResponse(`${JSON.stringify(items[0])}\n{broken\n${JSON.stringify(items[1])}\n`);
    assert.equal(jsonLines.papers.length, 2);
    assert.equal(jsonLines.problems[0].record, 2);
  });
});

describe('papers as digest entries', () => {
  it('writes lines whose title, authors, date and comments read back exactly, with no title inferred', () => {
    for (const { text } of RECORDED) {
      const { papers } = readApiResponse(text);
      const digest = parseDigest(applyLineEdits('', planImport('', papers).edits));
      assert.equal(digest.entries.length, papers.length);
      assert.deepEqual(digest.problems.filter((p) => p.severity === 'warning' || p.severity === 'error'), []);
      digest.entries.forEach((entry, i) => {
        assert.equal(entry.split.source, 'marker');
        assert.equal(entry.title, papers[i].title);
        assert.equal(entry.authors, papers[i].authorNames.length);
        assert.equal(entry.date, papers[i].date);
        assert.equal(entry.comments, papers[i].comments || null);
        assert.equal(entry.metadata?.arxiv, papers[i].arxiv);
        assert.deepEqual(entry.metadata?.authorNames, papers[i].authorNames);
      });
    }
  });

  it('writes one author in the singular and a title holding the marker without ending early', () => {
    const paper = { title: 'A || B', abstract: 'We do it.', authorNames: ['Solo Author'], upvotes: 3, comments: null, date: '2025-01-02', links: [] };
    const line = entryLineOf(paper);
    assert.match(line, / 1 author · Jan 2, 2025$/);
    assert.equal(parseDigest(line).entries[0].title, 'A | B');
  });
});

describe('importing into a digest', () => {
  const papers = readApiResponse(RECORDED.find((file) => file.name === 'daily_papers-2025-03-05.json')!.text).papers;

  it('appends the papers it does not hold and fills in the metadata of those it does, once', () => {
    const [first, second, ...rest] = papers;
    // A pasted entry of the first paper (no metadata) and an imported one of the second.
    const pasted = `# Mine\n${entryLineOf(first).replace(' || ', ' ')}\n  my note\n`;
    const start = applyLineEdits(pasted, planImport(pasted, [second]).edits);
    const plan = planImport(start, papers);
    assert.equal(plan.added, rest.length);
    assert.equal(plan.filled, 1, 'the pasted entry gets its metadata line');
    assert.equal(plan.unchanged, 1);
    const after = applyLineEdits(start, plan.edits);
    const lines = after.split('\n');
    assert.equal(lines[0], '# Mine');
    assert.match(lines[2], /^arXiv: /, 'the metadata line goes right under the entry');
    assert.equal(lines[3], '  my note', 'the note stays');
    const digest = parseDigest(after);
    assert.equal(digest.entries.length, papers.length);
    assert.ok(digest.entries.every((entry) => entry.metadata?.arxiv), 'every entry has its arXiv id');
    assert.ok(after.endsWith('\n'));
    // The second time, nothing changes.
    const again = planImport(after, papers);
    assert.deepEqual(again.edits, []);
    assert.equal(applyLineEdits(after, again.edits), after);
  });

  it('completes a metadata line the person wrote, keeping what they wrote', () => {
    const [first] = papers;
    const text = `${entryLineOf(first)}\nauthors: Me Myself\n`;
    const after = applyLineEdits(text, planImport(text, [first]).edits);
    assert.equal(after.split('\n')[1].startsWith(`arXiv: ${first.arxiv} · authors: Me Myself`), true, after);
  });

  it('keeps CRLF line ends and a byte-order mark', () => {
    const text = `\ufeff# Papers\r\n`;
    const after = applyLineEdits(text, planImport(text, papers.slice(0, 1)).edits);
    assert.ok(after.startsWith('\ufeff# Papers\r\n\r\n'));
    assert.doesNotMatch(after.replace(/\r\n/g, ''), /\n/);
  });
});
