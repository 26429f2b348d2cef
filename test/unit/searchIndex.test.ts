/**
 * The search index's postings: removing documents drops them from results at once, and once dead
 * postings outnumber live ones the pool is compacted without changing any result.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDigest } from '../../server/src/digest/digestParser';
import { SearchIndex } from '../../server/src/index/searchIndex';

const entries = parseDigest(readFileSync(join(__dirname, '..', 'fixtures', 'hf-papers-2024.txt'), 'utf8'), { fallbackCaptureYear: 2025 }).entries;
const QUERIES = ['pipeline parallelism', 'diffusion', 'language model', 'transfromer', 'agent', 'video generation', 'lo', 'reasoning math'];

function fields(id: number) {
  const entry = entries[id % entries.length];
  return { key: `${entry.baseKey}-${id}`, keyWords: entry.baseKey, title: entry.title, abstract: entry.abstract };
}

function results(index: SearchIndex): string[][] {
  return QUERIES.map((query) => index.search(query, { limit: 25 }).map((hit) => `${hit.id} ${hit.score.toFixed(9)}`));
}

describe('search index postings', () => {
  it('compacts dead postings without changing what a search finds', () => {
    // Each paper eight times: removing most of them crosses the threshold of compacting by
    // itself (100,000 dead postings, more than the live ones) at least once on the way.
    const count = entries.length * 8;
    const churned = new SearchIndex();
    for (let id = 0; id < count; id++) churned.add(id, fields(id));
    churned.indexPendingAbstracts();
    const kept = (id: number) => id % 7 === 0;
    for (let id = 0; id < count; id++) if (!kept(id)) churned.remove(id);
    // Dropped now: what follows posts into the packed pool.
    churned.compact();
    // New documents after compaction post into the packed pool, their abstracts later.
    for (let id = count; id < count + 300; id++) churned.add(id, fields(id));

    const fresh = new SearchIndex();
    for (let id = 0; id < count; id++) if (kept(id)) fresh.add(id, fields(id));
    fresh.indexPendingAbstracts();
    for (let id = count; id < count + 300; id++) fresh.add(id, fields(id));

    const found = results(churned);
    assert.deepEqual(found, results(fresh));
    for (const hits of found) for (const hit of hits) assert.ok(kept(Number(hit.split(' ')[0])) || Number(hit.split(' ')[0]) >= count, `removed document in ${hit}`);
    assert.ok(found.every((hits) => hits.length > 0));
  });

  it('ranks after removals and re-adds exactly as a fresh index of the same papers, ties by key whatever the ids (issue 16, #7)', () => {
    // Each text twice, under keys that no query word matches: the two tie, and only the key tells them apart.
    const papers = 400;
    const paper = (n: number) => {
      const entry = entries[n % (papers / 2)];
      return { key: `k${String(n).padStart(5, '0')}`, keyWords: entry.baseKey, title: entry.title, abstract: entry.abstract };
    };
    // Papers that come and go: common words (rarer for the fresh index), words a prefix would
    // stand for (they sort before the live ones), and a typo taken as a word of its own.
    const gone = (n: number) => ({
      key: `gone${n}`, keyWords: `gone${n}`,
      title: `Paa${n} Pab${n} Transfromer Language Model Agent Video Generation ${n}`,
      abstract: 'a language model for reasoning math with diffusion and pipeline parallelism, an agent for video generation',
    });
    const edited = new SearchIndex();
    const keyOf = new Map<SearchIndex, Map<number, string>>([[edited, new Map()]]);
    const add = (index: SearchIndex, id: number, fields: ReturnType<typeof paper>) => {
      index.add(id, fields);
      keyOf.get(index)!.set(id, fields.key);
    };
    for (let n = 0; n < papers; n++) add(edited, n, paper(n));
    for (let n = 0; n < 150; n++) add(edited, papers + n, gone(n));
    edited.indexPendingAbstracts();
    edited.search('agent'); // sorts the vocabulary
    for (let n = 0; n < 150; n++) edited.remove(papers + n);
    // Some papers re-read (an edit): a new id each, above all the others.
    let nextId = 10_000;
    for (let n = 0; n < papers; n += 3) {
      edited.remove(n);
      add(edited, nextId++, paper(n));
    }
    edited.indexPendingAbstracts();

    // The same papers read at once, in the opposite order: an id tie-break would order ties the other way.
    const fresh = new SearchIndex();
    keyOf.set(fresh, new Map());
    for (let n = papers - 1; n >= 0; n--) add(fresh, papers - 1 - n, paper(n));
    fresh.indexPendingAbstracts();

    const ranked = (index: SearchIndex, query: string) => index.search(query, { limit: 30 }).map((hit) => `${keyOf.get(index)!.get(hit.id)} ${hit.score.toFixed(9)}`);
    let ties = 0;
    for (const query of [...QUERIES, 'pa', 'language model agent', 'video generation diffusion']) {
      const found = ranked(edited, query);
      assert.deepEqual(found, ranked(fresh, query), query);
      assert.ok(found.length > 0, `${query} finds papers`);
      for (let i = 1; i < found.length; i++) if (found[i].split(' ')[1] === found[i - 1].split(' ')[1]) ties++;
    }
    assert.ok(ties > 10, `the queries have ties to break (${ties})`);
  });

  it('merges the fields of a word a document repeats, and keeps a word once per document', () => {
    const index = new SearchIndex();
    index.add(1, { key: 'zero-bubble2023', keyWords: 'zero-bubble2023', title: 'Zero Bubble Zero', abstract: 'zero bubbles, zero.' });
    index.add(2, { key: 'other2023', keyWords: 'other2023', title: 'Other', abstract: 'zero' });
    const hits = index.search('zero');
    assert.deepEqual(hits.map((hit) => hit.id), [1, 2]);
    assert.ok(hits[0].score > hits[1].score, 'a title word outranks an abstract word');
  });

  it('finds new words by their prefix after searches, as an index built at once does', () => {
    const made = (id: number) => (id < 400 ? fields(id) : { ...fields(id), title: `Zqxa${id} Zqxb${id % 7} ${fields(id).title}` });
    const built = (count: number) => {
      const index = new SearchIndex();
      for (let id = 0; id < count; id++) index.add(id, made(id));
      index.indexPendingAbstracts();
      return index;
    };
    const same = (grown: SearchIndex, count: number) => {
      const fresh = built(count);
      grown.indexPendingAbstracts();
      for (const query of ['zqx', 'zqxa40', 'zqxb3', 'pipe', 'zqxa7', 'zq']) {
        const ids = (index: SearchIndex) => index.search(query, { limit: 50 }).map((hit) => `${hit.id} ${hit.score.toFixed(9)}`);
        assert.deepEqual(ids(grown), ids(fresh), `${query} with ${count} papers`);
      }
    };
    const grown = built(400);
    grown.search('pipe'); // sorts the vocabulary for prefixes
    // Papers with words no paper had: a few at a time (edits), then many at once (a file loaded).
    for (let id = 400; id < 410; id++) grown.add(id, made(id));
    same(grown, 410);
    assert.ok(grown.search('zqxa40').some((hit) => hit.id === 404), 'a word added after the sort is found by its prefix');
    for (let id = 410; id < 800; id++) grown.add(id, made(id));
    same(grown, 800);
  });
});
