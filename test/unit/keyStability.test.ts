/**
 * Keys that never break (README "Citation keys"): a key a note cites keeps naming the same paper
 * whatever is added, removed, corrected or pinned elsewhere. Random workspaces are built from a
 * small pool of papers whose titles collide on purpose (same first words and year), some listed
 * twice under two titles with one arXiv id, some with short titles whose split the parser may get
 * wrong; every paper carries a tag (`zq7`) at the end of its abstract, which is how the test knows
 * which paper a key names whatever its title or identity became.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { Paper } from '../../server/src/index/summaries';

/** Fixed, so that a failure reproduces; `LITDIGEST_SEED=n` explores others. */
const PROPERTY_RUNS = { numRuns: 300, seed: Number(process.env.LITDIGEST_SEED ?? 20261202) };

interface PaperSpec {
  tag: string;
  title: string;
  abstract: string;
  year: number;
  arxiv?: string;
}

const SPECS: PaperSpec[] = [
  { tag: 'zq0', title: 'Tulu Models Scale: Part One', abstract: 'We study scaling of zq0.', year: 2024 },
  { tag: 'zq1', title: 'Tulu Models Scale Again', abstract: 'Large Language Models (LLMs) scale in zq1.', year: 2024 },
  { tag: 'zq2', title: 'Tulu Models Scale', abstract: 'Scaling Laws hold for zq2.', year: 2024, arxiv: '2401.00002' },
  // The same arXiv paper under a later title: one paper for the key rule.
  { tag: 'zq2', title: 'Tulu Models Scale: Revised and Extended', abstract: 'Scaling Laws hold for zq2.', year: 2024, arxiv: '2401.00002' },
  { tag: 'zq3', title: 'Tulu 3', abstract: 'Pushing Frontiers in Open Language Model Post-Training for zq3.', year: 2024 },
  { tag: 'zq4', title: 'Tulu 3 Pushing Frontiers', abstract: 'We push zq4.', year: 2024 },
  { tag: 'zq5', title: 'Camels Changing Climate', abstract: 'Since the release of zq5 we study.', year: 2023 },
  { tag: 'zq6', title: 'Camels in a Changing Climate: Enhancing LM Adaptation', abstract: 'Since the release of zq6 we adapt.', year: 2023 },
  { tag: 'zq7', title: 'FIPO', abstract: 'Fine Policy Optimisation zq7 is studied here.', year: 2024 },
  { tag: 'zq8', title: 'FIPO: Policy Optimisation', abstract: 'We optimise zq8.', year: 2024 },
];

/** A paper as one digest writes it: the split inferred or typed, perhaps a pin. */
interface Listing {
  spec: number;
  marked: boolean;
  pin?: string;
}

function entryText(listing: Listing, day: number): string[] {
  const spec = SPECS[listing.spec];
  const body = listing.marked ? `${spec.title} || ${spec.abstract}` : `${spec.title} ${spec.abstract}`;
  const lines = [`${listing.spec + 1} ${body} 3 authors · Jan ${day}, ${spec.year}`];
  const fields = [spec.arxiv ? `arXiv: ${spec.arxiv}` : '', listing.pin ? `key: ${listing.pin}` : ''].filter(Boolean);
  if (fields.length > 0) lines.push(fields.join(' · '));
  return lines;
}

function digestText(listings: Listing[]): string {
  return listings.flatMap((listing, i) => entryText(listing, (i % 27) + 1)).join('\n');
}

/** The tag of the paper a key names, or undefined. */
function tagOf(paper: Paper | undefined): string | undefined {
  if (!paper) return undefined;
  const entry = paper.locations[0].entry;
  return /zq\d+/.exec(`${entry.title} ${entry.abstract}`)?.[0];
}

type Step =
  | { kind: 'add'; file: number; listings: Listing[] }
  | { kind: 'remove'; file: number }
  | { kind: 'correct'; file: number; at: number }
  | { kind: 'drop'; file: number; at: number }
  | { kind: 'pin'; file: number; at: number }
  | { kind: 'cite'; picks: number[] };

const listing = fc.record({ spec: fc.nat(SPECS.length - 1), marked: fc.boolean() });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), file: fc.nat(3), listings: fc.array(listing, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('remove' as const), file: fc.nat(3) }),
  fc.record({ kind: fc.constant('correct' as const), file: fc.nat(3), at: fc.nat(5) }),
  fc.record({ kind: fc.constant('drop' as const), file: fc.nat(3), at: fc.nat(5) }),
  fc.record({ kind: fc.constant('pin' as const), file: fc.nat(3), at: fc.nat(5) }),
  fc.record({ kind: fc.constant('cite' as const), picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 3 }) }),
);

class Workspace {
  readonly index = new WorkspaceIndex();
  readonly files = new Map<number, Listing[]>();
  /** Every key a note has cited, with the tag of the paper it named then. */
  readonly cited = new Map<string, string>();
  /**
   * Papers whose title end was typed: listed again, they are listed with it. (Pasted again with a
   * wrong split, a paper reads as another title, another paper to the index; only a split
   * corrected in place is the same paper.)
   */
  private readonly marked = new Set<number>();

  apply(s: Step): void {
    const uri = (file: number) => `file${s.kind === 'cite' ? 0 : file}.digest`;
    switch (s.kind) {
      case 'add': {
        // Appended to the file (or a new file): the papers already listed stay where they are.
        for (const listing of s.listings) if (listing.marked) this.marked.add(listing.spec);
        const listings = [...(this.files.get(s.file) ?? []), ...s.listings.map((listing) => ({ ...listing, marked: listing.marked || this.marked.has(listing.spec) }))];
        this.write(s.file, listings);
        break;
      }
      case 'remove':
        this.files.delete(s.file);
        this.index.remove(uri(s.file));
        break;
      case 'correct':
      case 'drop':
      case 'pin': {
        const listings = this.files.get(s.file);
        if (!listings || listings.length === 0) return;
        const at = s.at % listings.length;
        const changed = [...listings];
        if (s.kind === 'drop') changed.splice(at, 1);
        // The title end typed where the title really ends (the parser may have put it elsewhere).
        else if (s.kind === 'correct') {
          changed[at] = { ...changed[at], marked: true };
          this.marked.add(changed[at].spec);
        }
        else {
          // Pinning a paper's key as it is now (what Rename and the quick fix write).
          const current = this.index.file(uri(s.file));
          const entry = current?.kind === 'digest' ? current.digest.entries[at] : undefined;
          const key = entry && this.index.paperOf(entry)?.key;
          if (!key) return;
          changed[at] = { ...changed[at], pin: key };
        }
        this.write(s.file, changed);
        break;
      }
      case 'cite': {
        const papers = this.index.papers();
        if (papers.length === 0) return;
        for (const pick of s.picks) {
          const paper = papers[pick % papers.length];
          if (!this.cited.has(paper.key)) this.cited.set(paper.key, tagOf(paper)!);
        }
        this.index.setNoteText('note.md', [...this.cited.keys()].map((key) => `[@${key}]`).join('\n'), 'markdown');
        break;
      }
    }
  }

  private write(file: number, listings: Listing[]): void {
    this.files.set(file, listings);
    this.index.setDigestText(`file${file}.digest`, digestText(listings), { fallbackCaptureYear: 2024 });
  }

  /** The tags any digest lists now. */
  presentTags(): Set<string> {
    return new Set([...this.files.values()].flat().map((l) => SPECS[l.spec].tag));
  }
}

describe('keys that never break', () => {
  it('a cited key keeps naming its paper through additions, removals, split corrections and pins', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
      const workspace = new Workspace();
      for (const s of steps) {
        workspace.apply(s);
        const present = workspace.presentTags();
        for (const [key, tag] of workspace.cited) {
          // A paper no digest lists any more cannot be named; its key may come back with it.
          if (!present.has(tag)) continue;
          assert.equal(tagOf(workspace.index.paperByKey(key)), tag, `'${key}' after ${JSON.stringify(s)}`);
        }
      }
    }), PROPERTY_RUNS);
  });

  it('after a restart, a cited key names its paper or is reported ambiguous with that paper among the candidates', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
      const workspace = new Workspace();
      for (const s of steps) workspace.apply(s);
      // The same files read into a new index, in the order a walk gives them.
      const fresh = new WorkspaceIndex();
      for (const file of [...workspace.files.keys()].sort()) fresh.setDigestText(`file${file}.digest`, digestText(workspace.files.get(file)!), { fallbackCaptureYear: 2024 });
      const present = workspace.presentTags();
      for (const [key, tag] of workspace.cited) {
        if (!present.has(tag)) continue;
        if (tagOf(fresh.paperByKey(key)) === tag) continue;
        const candidates = fresh.ambiguousKeyCandidates(key).map(tagOf);
        assert.ok(candidates.includes(tag), `'${key}' names ${tagOf(fresh.paperByKey(key))} after a restart, not ${tag}, and is not reported ambiguous (${candidates.join(', ')})`);
      }
    }), PROPERTY_RUNS);
  });

  it('pins: a pinned key wins over a derived one, and the paper that derived it moves aside', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', '1 Tulu Models: Part One We study one. 2 authors · Jan 3, 2024');
    index.setDigestText('b.digest', '1 Other Paper We study two. 2 authors · Jan 4, 2024\nkey: tulu-models2024');
    assert.equal(tagOrTitle(index.paperByKey('tulu-models2024')), 'Other Paper');
    const one = index.papers().find((paper) => paper.locations[0].entry.title.startsWith('Tulu'))!;
    assert.match(one.key, /^tulu-models2024-[a-z2-9]{4}$/);
    assert.deepEqual(index.ambiguousKeyCandidates('tulu-models2024'), [], 'a pin decides');
    // The pin removed: the derived key comes back to its paper.
    index.setDigestText('b.digest', '1 Other Paper We study two. 2 authors · Jan 4, 2024');
    assert.equal(index.paperByKey('tulu-models2024'), one);
    assert.equal(one.key, 'tulu-models2024');
  });

  it('two pins of one key: the first by identity answers, and both places are told', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', '1 Alpha Paper We study one. 2 authors · Jan 3, 2024\nkey: shared');
    index.setDigestText('b.digest', '1 Beta Paper We study two. 2 authors · Jan 4, 2024\nkey: shared');
    assert.equal(tagOrTitle(index.paperByKey('shared')), 'Alpha Paper');
    assert.equal(index.papersSharingKey('shared').length, 2);
    assert.deepEqual([...index.urisWithSharedKeys()].sort(), ['a.digest', 'b.digest']);
  });

  it('the same arXiv id under two titles is one paper for the key rule: one key, no suffix', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', '1 Tulu Models Scale We scale. 2 authors · Jan 3, 2024\narXiv: 2401.00002');
    index.setDigestText('b.digest', '1 Tulu Models Scale: Revised and Extended We scale more. 2 authors · Jan 3, 2024\narXiv: 2401.00002');
    assert.deepEqual(index.papers().map((paper) => paper.key), ['tulu-models-scale2024', 'tulu-models-scale2024']);
    assert.deepEqual(index.ambiguousKeyCandidates('tulu-models-scale2024'), []);
  });

  it('a split typed by hand keeps the key the inferred split gave, for the citations of it', () => {
    const index = new WorkspaceIndex();
    index.setDigestText('a.digest', '1 Tulu 3 Pushing Frontiers in Open Language Model Post-Training We introduce Tulu 3. 2 authors · Jan 3, 2024');
    const before = index.papers()[0].key;
    index.setDigestText('a.digest', '1 Tulu 3 || Pushing Frontiers in Open Language Model Post-Training We introduce Tulu 3. 2 authors · Jan 3, 2024');
    const after = index.papers()[0];
    assert.equal(after.key, 'tulu-3-2024');
    assert.notEqual(before, after.key);
    assert.equal(index.paperByKey(before), after);
  });
});

function tagOrTitle(paper: Paper | undefined): string | undefined {
  return paper?.locations[0].entry.title;
}
