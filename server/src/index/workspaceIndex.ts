/**
 * The workspace index: one summary per digest or note, and the papers, keys and citations they
 * add up to. A file's summary is replaced when the file changes and the workspace tables are
 * updated from the difference between its old and new summaries, so an edit costs what it
 * changed, not what the workspace holds.
 */
import { disambiguatedKey } from '../digest/citationKeys';
import { DigestEntry, DigestParseOptions, editDigest, parseDigest, ParsedDigest } from '../digest/digestParser';
import { Citation, NoteLanguage, scanCitations } from '../notes/noteCitations';
import { editDistance, foldedFilters, PaperSearchOptions, PaperSearchResult, passesFilters } from './paperQueries';
import { authorNamesOf } from './paperFacts';
import { SearchFields, SearchIndex } from './searchIndex';
import { CitationLocation, compareLocations, DigestSummary, entriesByIdentity, FileSummary, NoteSummary, Paper } from './summaries';
import { PreparedWords } from './vocabulary';
import { searchWords } from './words';

// Features take the index's types from the index itself.
export type { PaperSearchOptions, PaperSearchResult } from './paperQueries';
export type { CitationLocation, DigestSummary, FileSummary, NoteSummary, Paper, PaperLocation } from './summaries';

interface PaperRecord extends Paper {
  searchId: number;
  baseKey: string;
  /** What the search index holds for this paper (the index keeps this object; its key is kept current). */
  searchFields?: SearchFields;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileSummary>();
  private readonly papersByIdentity = new Map<string, PaperRecord>();
  private readonly papersByKey = new Map<string, PaperRecord>();
  private readonly papersBySearchId: (PaperRecord | undefined)[] = [];
  /** The papers whose base key is this: one paper alone, or the group that must take suffixes. */
  private readonly papersByBaseKey = new Map<string, PaperRecord | PaperRecord[]>();
  /** Key and title words a parse worker found for the digest being set, if any (see setDigest). */
  private preparedWords: { uri: string; words: PreparedWords } | undefined;
  private readonly citationsByKey = new Map<string, CitationLocation[]>();
  private readonly searchIndex = new SearchIndex();
  private nextSearchId = 0;

  constructor(private readonly parseOptions: DigestParseOptions = {}) {}

  /** Grows when a key appears or disappears: only then can a note's unknown citations change. */
  keysVersion = 0;
  /** Grows when a digest changes (papers, their data or places); notes do not touch it. */
  papersVersion = 0;
  /**
   * When false, searches answer at once from what is indexed instead of first indexing abstracts
   * still queued; the language server indexes those in idle time and must not block on them.
   */
  waitForSearchText = true;

  // ---- updates ----------------------------------------------------------------------------

  /** Reads a digest's whole text (a file opened, created or changed on disk). */
  setDigestText(uri: string, text: string, options: DigestParseOptions = this.parseOptions): DigestSummary {
    return this.setDigest(uri, parseDigest(text, options));
  }

  /** Applies an edit of whole lines to a digest already in the index, re-reading only those lines. */
  editDigestLines(uri: string, start: number, deleteCount: number, inserted: string[], options: DigestParseOptions = this.parseOptions): DigestSummary {
    const previous = this.files.get(uri);
    if (previous?.kind !== 'digest') throw new Error(`${uri} is not an indexed digest`);
    return this.setDigest(uri, editDigest(previous.digest, start, deleteCount, inserted, options));
  }

  /**
   * Puts a parsed digest in the index, replacing the file's previous one. `preparedWords` (from a
   * parse worker) are the key and title words of its entries, which spares finding them here.
   */
  setDigest(uri: string, digest: ParsedDigest, preparedWords?: PreparedWords): DigestSummary {
    this.preparedWords = preparedWords ? { uri, words: preparedWords } : undefined;
    try {
      return this.replaceDigest(uri, digest);
    } finally {
      this.preparedWords = undefined;
    }
  }

  private replaceDigest(uri: string, digest: ParsedDigest): DigestSummary {
    this.papersVersion++;
    const previous = this.files.get(uri);
    if (previous?.kind === 'note') this.dropNote(previous);
    const summary: DigestSummary = { kind: 'digest', uri, digest };
    this.files.set(uri, summary);
    const before = previous?.kind === 'digest' ? previous.digest.entries : [];
    const after = digest.entries;
    // Entries an edit did not touch are the same objects as before (see digestParser), so the
    // common head needs no work; a common tail of the same papers (perhaps moved to other line
    // numbers) only has its locations repointed. What lies between is compared paper by paper.
    let head = 0;
    while (head < before.length && head < after.length && before[head] === after[head]) head++;
    let tail = 0;
    while (tail < before.length - head && tail < after.length - head
      && before[before.length - 1 - tail].identity === after[after.length - 1 - tail].identity) tail++;
    for (let i = 0; i < tail; i++) {
      const old = before[before.length - 1 - i];
      const current = after[after.length - 1 - i];
      if (old !== current) this.repointLocation(old, current, uri);
    }
    const changedBefore = before.slice(head, before.length - tail);
    const changedAfter = after.slice(head, after.length - tail);
    const removed = new Set(changedBefore);
    const added = entriesByIdentity(changedAfter);
    for (const entry of changedBefore) if (!added.has(entry.identity)) added.set(entry.identity, []);
    for (const [identity, entries] of added) {
      const kept = (this.papersByIdentity.get(identity)?.locations ?? [])
        .filter((location) => location.uri === uri && !removed.has(location.entry))
        .map((location) => location.entry);
      this.replaceLocations(identity, uri, kept.length > 0 ? [...kept, ...entries] : entries);
    }
    return summary;
  }

  /** Points a paper's location at the re-read entry of the same line's paper. */
  private repointLocation(old: DigestEntry, current: DigestEntry, uri: string): void {
    const paper = this.papersByIdentity.get(old.identity);
    const location = paper?.locations.find((l) => l.uri === uri && l.entry === old);
    if (!paper || !location) return;
    const shownBefore = paper.locations[0].entry;
    location.entry = current;
    paper.locations.sort(compareLocations);
    if (paper.locations[0].entry !== shownBefore && (shownBefore.title !== paper.locations[0].entry.title || shownBefore.abstract !== paper.locations[0].entry.abstract)) this.reindexPaper(paper);
  }

  setNoteText(uri: string, text: string, language: NoteLanguage): NoteSummary {
    return this.setNote(uri, language, scanCitations(text, language));
  }

  setNote(uri: string, language: NoteLanguage, citations: Citation[]): NoteSummary {
    const previous = this.files.get(uri);
    if (previous?.kind === 'digest') {
      this.papersVersion++;
      this.dropDigest(previous);
    }
    if (previous?.kind === 'note') this.dropNote(previous);
    const summary: NoteSummary = { kind: 'note', uri, language, citations };
    this.files.set(uri, summary);
    for (const citation of citations) {
      const list = this.citationsByKey.get(citation.key);
      if (list) list.push({ uri, citation }); else this.citationsByKey.set(citation.key, [{ uri, citation }]);
    }
    return summary;
  }

  /** Forgets a file (deleted, or no longer a digest or note). */
  remove(uri: string): void {
    const previous = this.files.get(uri);
    if (!previous) return;
    if (previous.kind === 'digest') {
      this.papersVersion++;
      this.dropDigest(previous);
    } else {
      this.dropNote(previous);
    }
    this.files.delete(uri);
  }

  private dropDigest(summary: DigestSummary): void {
    for (const identity of entriesByIdentity(summary.digest.entries).keys()) this.replaceLocations(identity, summary.uri, []);
  }

  private dropNote(summary: NoteSummary): void {
    for (const citation of summary.citations) {
      const list = this.citationsByKey.get(citation.key);
      if (!list) continue;
      const kept = list.filter((location) => location.uri !== summary.uri);
      if (kept.length > 0) this.citationsByKey.set(citation.key, kept); else this.citationsByKey.delete(citation.key);
    }
  }

  /** Sets the entries of one paper in one file, creating or retiring the paper as needed. */
  private replaceLocations(identity: string, uri: string, entries: DigestEntry[]): void {
    let paper = this.papersByIdentity.get(identity);
    if (!paper) {
      if (entries.length === 0) return;
      // A paper new to the workspace: the common case when a workspace is loaded.
      // searchFields given now (reindexPaper sets it): a property added later costs an allocation.
      paper = { key: '', identity, baseKey: entries[0].baseKey, locations: entries.map((entry) => ({ uri, entry })), searchId: -1, searchFields: undefined };
      this.papersByIdentity.set(identity, paper);
      this.joinKeyGroup(paper);
      this.reindexPaper(paper);
      return;
    }
    const shownBefore = paper.locations[0]?.entry;
    const others = paper.locations.filter((location) => location.uri !== uri);
    paper.locations = [...others, ...entries.map((entry) => ({ uri, entry }))].sort(compareLocations);
    if (paper.locations.length === 0) {
      this.searchIndex.remove(paper.searchId);
      this.papersBySearchId[paper.searchId] = undefined;
      this.papersByIdentity.delete(identity);
      this.leaveKeyGroup(paper);
      return;
    }
    const shown = paper.locations[0].entry;
    if (!shownBefore || shownBefore.title !== shown.title || shownBefore.abstract !== shown.abstract || paper.searchId < 0
      || paper.searchFields?.authors !== searchableAuthors(paper)) this.reindexPaper(paper);
  }

  private reindexPaper(paper: PaperRecord): void {
    if (paper.searchId >= 0) {
      this.searchIndex.remove(paper.searchId);
      this.papersBySearchId[paper.searchId] = undefined;
    }
    paper.searchId = this.nextSearchId++;
    const shown = paper.locations[0];
    const fields: SearchFields = { key: paper.key, keyWords: paper.baseKey, title: shown.entry.title, abstract: shown.entry.abstract, authors: searchableAuthors(paper) };
    paper.searchFields = fields;
    const prepared = this.preparedWords;
    if (prepared && prepared.uri === shown.uri) this.searchIndex.addPrepared(paper.searchId, fields, prepared.words, shown.entry.line);
    else this.searchIndex.add(paper.searchId, fields);
    this.papersBySearchId[paper.searchId] = paper;
  }

  /**
   * Keys: a paper keeps its base key unless another paper shares it; then every paper of the group
   * takes a suffix from a hash of its own identity (see citationKeys.ts).
   */
  private joinKeyGroup(paper: PaperRecord): void {
    const group = this.papersByBaseKey.get(paper.baseKey);
    this.keysVersion++;
    // Only the first collision changes a key already given out: the paper that had the base key
    // alone takes its suffix too. Later members take their own suffix and touch nobody else.
    if (group === undefined) {
      this.papersByBaseKey.set(paper.baseKey, paper);
      this.setKey(paper, paper.baseKey);
    } else if (!Array.isArray(group)) {
      this.papersByBaseKey.set(paper.baseKey, [group, paper]);
      this.setKey(group, disambiguatedKey(group.baseKey, group.identity));
      this.setKey(paper, disambiguatedKey(paper.baseKey, paper.identity));
    } else {
      group.push(paper);
      this.setKey(paper, disambiguatedKey(paper.baseKey, paper.identity));
    }
  }

  private leaveKeyGroup(paper: PaperRecord): void {
    const group = this.papersByBaseKey.get(paper.baseKey);
    if (!group) return;
    this.keysVersion++;
    if (this.papersByKey.get(paper.key) === paper) this.papersByKey.delete(paper.key);
    if (!Array.isArray(group)) {
      if (group === paper) this.papersByBaseKey.delete(paper.baseKey);
      return;
    }
    const at = group.indexOf(paper);
    if (at >= 0) group.splice(at, 1);
    if (group.length === 1) {
      // Alone again: the remaining paper gets its base key back.
      const [member] = group;
      this.papersByBaseKey.set(member.baseKey, member);
      this.setKey(member, member.baseKey);
    }
  }

  private setKey(paper: PaperRecord, key: string): void {
    if (paper.key === key) return;
    if (paper.key && this.papersByKey.get(paper.key) === paper) this.papersByKey.delete(paper.key);
    paper.key = key;
    this.papersByKey.set(key, paper);
    // The key is searchable: the search index learns the new one (its suffix becomes a word).
    if (paper.searchId >= 0) this.searchIndex.setKey(paper.searchId, key);
  }

  /**
   * Indexes waiting abstract words for up to `budgetMs` (see SearchIndex); the language server
   * calls this in idle time after loading a workspace. Returns true when nothing is left.
   */
  indexPendingSearchText(budgetMs?: number): boolean {
    return this.searchIndex.indexPendingAbstracts(budgetMs);
  }

  /** Readies the search index for the next search (see SearchIndex.prepareForSearch); for idle time. */
  prepareForSearch(): void {
    this.searchIndex.prepareForSearch();
  }

  get pendingSearchText(): number {
    return this.searchIndex.pendingAbstractCount;
  }

  // ---- queries ----------------------------------------------------------------------------

  get paperCount(): number {
    return this.papersByIdentity.size;
  }

  file(uri: string): FileSummary | undefined {
    return this.files.get(uri);
  }

  digest(uri: string): DigestSummary | undefined {
    const summary = this.files.get(uri);
    return summary?.kind === 'digest' ? summary : undefined;
  }

  allFiles(): FileSummary[] {
    return [...this.files.values()];
  }

  paperByKey(key: string): Paper | undefined {
    return this.papersByKey.get(key);
  }

  paperOf(entry: DigestEntry): Paper | undefined {
    return this.papersByIdentity.get(entry.identity);
  }

  keyOf(entry: DigestEntry): string {
    return this.papersByIdentity.get(entry.identity)?.key ?? entry.baseKey;
  }

  papers(): Paper[] {
    return [...this.papersByIdentity.values()];
  }

  /** The papers by the first character of their key, built again once keys have changed. */
  private keysByFirstCharacter: { keysVersion: number; papers: Map<string, Paper[]> } | undefined;

  /**
   * The papers whose key starts with `prefix` (keys are lowercase; so is the match), in no
   * particular order. Completion asks this at every keystroke after one or two characters: a
   * scan of 100,000 keys took 10 ms, one bucket of them takes a fraction.
   */
  papersWithKeyPrefix(prefix: string): Paper[] {
    const start = prefix.toLowerCase();
    if (start === '') return this.papers();
    if (this.keysByFirstCharacter?.keysVersion !== this.keysVersion) {
      const papers = new Map<string, Paper[]>();
      for (const [key, paper] of this.papersByKey) {
        const bucket = papers.get(key.charAt(0));
        if (bucket) bucket.push(paper); else papers.set(key.charAt(0), [paper]);
      }
      this.keysByFirstCharacter = { keysVersion: this.keysVersion, papers };
    }
    const bucket = this.keysByFirstCharacter.papers.get(start.charAt(0)) ?? [];
    return start.length === 1 ? bucket : bucket.filter((paper) => paper.key.startsWith(start));
  }

  /** Every citation of `key` in every note. */
  citationsOf(key: string): CitationLocation[] {
    return this.citationsByKey.get(key) ?? [];
  }

  /** Every citation in the workspace, grouped by the key it names. */
  citedKeys(): IterableIterator<string> {
    return this.citationsByKey.keys();
  }

  search(query: string, given: PaperSearchOptions = {}): PaperSearchResult[] {
    const options = foldedFilters(given);
    const { minYear, maxYear, minUpvotes, uri, author } = options;
    const filtering = minYear !== undefined || maxYear !== undefined || minUpvotes !== undefined || uri !== undefined || author !== undefined;
    const filter = filtering
      ? (id: number) => {
        const paper = this.papersBySearchId[id];
        return paper !== undefined && passesFilters(paper, options);
      }
      : undefined;
    return this.searchIndex.search(query, { limit: options.limit, filter, partial: options.partial ?? !this.waitForSearchText }).map((hit) => ({
      paper: this.papersBySearchId[hit.id]!,
      score: hit.score,
      matches: hit.matches,
    }));
  }

  /** Every paper that passes the filters of `options` (year range, upvotes, digest, author), unranked. */
  filterPapers(options: PaperSearchOptions): Paper[] {
    const folded = foldedFilters(options);
    return this.papers().filter((paper) => passesFilters(paper, folded));
  }

  /** Known keys closest to an unknown one, best first, for "did you mean" and quick fixes. */
  closestKeys(unknownKey: string, count = 3): string[] {
    const candidates = new Set<string>();
    const query = searchWords(unknownKey.replace(/\d{4}$/, '')).join(' ');
    if (query) for (const result of this.search(query, { limit: 20 })) candidates.add(result.paper.key);
    const lower = unknownKey.toLowerCase();
    for (const key of this.papersByKey.keys()) {
      if (Math.abs(key.length - lower.length) <= 2 && key[0] === lower[0]) candidates.add(key);
      if (candidates.size > 400) break;
    }
    return [...candidates]
      .map((key) => ({ key, distance: editDistance(lower, key.toLowerCase()) }))
      .filter(({ key, distance }) => distance <= Math.max(2, Math.floor(key.length / 2)))
      .sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key))
      .slice(0, count)
      .map(({ key }) => key);
  }
}

/** The author names a paper is found by (the metadata line's own array, not a copy); undefined without any. */
function searchableAuthors(paper: Paper): readonly string[] | undefined {
  const names = authorNamesOf(paper);
  return names.length > 0 ? names : undefined;
}
