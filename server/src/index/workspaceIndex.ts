/**
 * The workspace index: one summary per digest, bibliography or note, and the papers, keys and
 * citations they add up to. A file's summary is replaced when the file changes and the workspace tables are
 * updated from the difference between its old and new summaries, so an edit costs what it
 * changed, not what the workspace holds.
 */
import { baseKey as derivedBaseKey } from '../digest/citationKeys';
import { wellFormed } from '../digest/paperLinks';
import { splitTitleAbstract } from '../digest/titleSplit';
import { DigestEntry, DigestParseOptions, editDigest, parseDigest, ParsedDigest } from '../digest/digestParser';
import { documentBibliographies } from '../library/documentBibliographies';
import { isLibraryEntry, LibraryEntry, paperIdsOf, ParsedLibrary, withIdentity } from '../library/libraryEntries';
import { Citation, NoteLanguage, scanCitations } from '../notes/noteCitations';
import { editDistance, foldedFilters, PaperSearchOptions, PaperSearchResult, passesFilters } from './paperQueries';
import { DigestKeyTable } from './digestKeys';
import { authorNamesOf } from './paperFacts';
import { SearchFields, SearchIndex } from './searchIndex';
import { CitationLocation, compareLocations, DigestSummary, entriesByIdentity, FileSummary, LibrarySummary, NoteSummary, Paper } from './summaries';
import { PreparedWords } from './vocabulary';
import { searchWords } from './words';

// Features take the index's types from the index itself.
export type { PaperSearchOptions, PaperSearchResult } from './paperQueries';
export type { CitationLocation, DigestSummary, FileSummary, LibrarySummary, NoteSummary, Paper, PaperLocation } from './summaries';

/**
 * Which bibliographies a note that names its own (`bibliography:`, `\addbibresource`) resolves
 * its citations against: those alone (with the digests), as pandoc and biber do, or every
 * bibliography of the workspace.
 */
export type BibliographyScope = 'document' | 'workspace';

interface PaperRecord extends Paper {
  keys: string[];
  searchId: number;
  /** The digests' key rule's key (see citationKeys.ts), '' when no digest lists the paper. */
  baseKey: string;
  /** The key the digests' key rule gave it ('' when no digest lists it; see digestKeys.ts). */
  digestKey: string;
  /** The key pinned on its first digest entry that pins one; '' for none. */
  pin: string;
  /** `arxiv:ID` when its digest entry gives the arXiv id, else its identity: one paper for the key rule. */
  keyClass: string;
  /** The keys of its bibliography entries, in location order. */
  libraryKeys: string[];
  /** What the search index holds for this paper (the index keeps this object; its key is kept current). */
  searchFields?: SearchFields;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileSummary>();
  private readonly papersByIdentity = new Map<string, PaperRecord>();
  /** Digest keys: derived, suffixed for a newcomer, or pinned (see digestKeys.ts). */
  private readonly digestKeys = new DigestKeyTable<PaperRecord>((paper) => {
    this.keysVersion++;
    this.showKey(paper);
  }, (key) => this.citationsByKey.has(key));
  /**
   * Bibliography keys and the papers whose entries have them: one paper, or several when two
   * different entries share a key (a diagnostic on each; the first by identity answers).
   */
  private readonly libraryClaims = new Map<string, PaperRecord[]>();
  private readonly papersBySearchId: (PaperRecord | undefined)[] = [];
  /** Key and title words a parse worker found for the digest being set, if any (see setDigest). */
  private preparedWords: { uri: string; words: PreparedWords } | undefined;
  private readonly citationsByKey = new Map<string, CitationLocation[]>();
  private readonly searchIndex = new SearchIndex();
  private nextSearchId = 0;

  constructor(private readonly parseOptions: DigestParseOptions = {}) {}

  private scope: BibliographyScope = 'document';

  get bibliographyScope(): BibliographyScope {
    return this.scope;
  }

  set bibliographyScope(scope: BibliographyScope) {
    if (scope === this.scope) return;
    this.scope = scope;
    this.keysVersion++;
  }

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
    const previous = this.files.get(uri);
    const summary: DigestSummary = { kind: 'digest', uri, digest };
    this.replaceListings(uri, previous, summary, digest.entries);
    return summary;
  }

  /**
   * Puts a parsed bibliography in the index, replacing the file's previous one. An entry whose
   * arXiv id or DOI a digest's paper has is that paper (a conference version titled otherwise,
   * or of another year, is the arXiv paper the digest lists): it takes the paper's identity.
   */
  setLibrary(uri: string, library: ParsedLibrary, placeAll = false): LibrarySummary {
    const previous = this.files.get(uri);
    const before = previous?.kind === 'library' ? previous.read.entries : [];
    const beforePlaced = previous?.kind === 'library' ? previous.library.entries : [];
    const after = library.entries;
    // Entries an edit did not reach are the same objects as before (see libraryEntries): only
    // the others have their ids counted again and are placed again, unless all must be.
    let head = 0;
    let tail = 0;
    if (!placeAll) {
      while (head < before.length && head < after.length && before[head] === after[head]) head++;
      while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
    }
    for (let i = head; i < before.length - tail; i++) this.countLibraryIds(before[i], uri, -1);
    const placed: LibraryEntry[] = beforePlaced.slice(0, head);
    for (let i = head; i < after.length - tail; i++) {
      this.countLibraryIds(after[i], uri, 1);
      placed.push(this.placedLibraryEntry(after[i]));
    }
    for (let i = beforePlaced.length - tail; i < beforePlaced.length; i++) placed.push(beforePlaced[i]);
    const summary: LibrarySummary = { kind: 'library', uri, read: library, library: placed.some((entry, i) => entry !== after[i]) ? { ...library, entries: placed } : library };
    this.replaceListings(uri, previous, summary, placed);
    return summary;
  }

  /** Digest papers by arXiv id and DOI (`arxiv:2311.10702`, `doi:10.1/x`), with how many entries give each. */
  private readonly digestPapersById = new Map<string, Map<string, number>>();
  /** The bibliographies that hold an entry with the arXiv id or DOI, with how many such entries each. */
  private readonly librariesById = new Map<string, Map<string, number>>();

  private countLibraryIds(entry: LibraryEntry, uri: string, sign: 1 | -1): void {
    if (!entry.metadata?.arxiv && !entry.library.doi && !entry.metadata?.doi) return;
    for (const id of paperIdsOf(entry)) {
      const files = this.librariesById.get(id) ?? new Map<string, number>();
      const count = (files.get(uri) ?? 0) + sign;
      if (count > 0) files.set(uri, count); else files.delete(uri);
      if (files.size > 0) this.librariesById.set(id, files); else this.librariesById.delete(id);
    }
  }

  /** The digest paper an arXiv id or DOI names: the first by identity, so that load order does not matter. */
  private digestOwnerOf(id: string): string | undefined {
    const owners = this.digestPapersById.get(id);
    if (!owners || owners.size === 0) return undefined;
    let first: string | undefined;
    for (const identity of owners.keys()) if (first === undefined || identity < first) first = identity;
    return first;
  }

  /** The entry as the index places it: under the identity of the digest paper with its arXiv id or DOI, if any. */
  private placedLibraryEntry(entry: LibraryEntry): LibraryEntry {
    if (this.digestPapersById.size === 0) return entry;
    for (const id of paperIdsOf(entry)) {
      const owner = this.digestOwnerOf(id);
      if (owner !== undefined) return owner === entry.identity ? entry : withIdentity(entry, owner);
    }
    return entry;
  }


  /**
   * Keeps the digests' arXiv ids and DOIs current after a digest changed, and places again the
   * bibliography entries whose id gained or lost its digest paper.
   */
  private digestIdsChanged(removed: DigestEntry[], added: DigestEntry[]): void {
    // The paper each id names before the change, to place again only where that changed (a
    // keystroke in an entry keeps its arXiv id, and must not re-place a 20,000-entry .bib).
    const ownerBefore = new Map<string, string | undefined>();
    const count = (entry: DigestEntry, sign: 1 | -1) => {
      for (const id of paperIdsOf(entry)) {
        if (!ownerBefore.has(id)) ownerBefore.set(id, this.digestOwnerOf(id));
        const owners = this.digestPapersById.get(id) ?? new Map<string, number>();
        const next = (owners.get(entry.identity) ?? 0) + sign;
        if (next > 0) owners.set(entry.identity, next); else owners.delete(entry.identity);
        if (owners.size > 0) this.digestPapersById.set(id, owners); else this.digestPapersById.delete(id);
      }
    };
    for (const entry of removed) count(entry, -1);
    for (const entry of added) count(entry, 1);
    const touched = [...ownerBefore].filter(([id, owner]) => this.digestOwnerOf(id) !== owner).map(([id]) => id);
    const libraries = new Set<string>();
    for (const id of touched) for (const uri of this.librariesById.get(id)?.keys() ?? []) libraries.add(uri);
    for (const uri of libraries) {
      const summary = this.files.get(uri);
      if (summary?.kind === 'library') this.setLibrary(uri, summary.read, true);
    }
  }

  /** Replaces a digest's or bibliography's summary and the papers its entries are locations of. */
  private replaceListings(uri: string, previous: FileSummary | undefined, summary: DigestSummary | LibrarySummary, after: DigestEntry[]): void {
    this.papersVersion++;
    if (previous?.kind === 'note') this.dropNote(previous);
    this.files.set(uri, summary);
    const before = previous?.kind === 'digest' ? previous.digest.entries : previous?.kind === 'library' ? previous.library.entries : [];
    // Entries an edit did not touch are the same objects as before (see digestParser), so the
    // common head needs no work; a common tail of the same papers (perhaps moved to other line
    // numbers) only has its locations repointed. What lies between is compared paper by paper.
    let head = 0;
    while (head < before.length && head < after.length && before[head] === after[head]) head++;
    let tail = 0;
    while (tail < before.length - head && tail < after.length - head
      && before[before.length - 1 - tail].identity === after[after.length - 1 - tail].identity) tail++;
    const idsGone: DigestEntry[] = [];
    const idsCome: DigestEntry[] = [];
    const isDigest = summary.kind === 'digest';
    for (let i = 0; i < tail; i++) {
      const old = before[before.length - 1 - i];
      const current = after[after.length - 1 - i];
      if (old === current) continue;
      this.repointLocation(old, current, uri);
      // The same paper on a re-read line may have gained or lost its arXiv id or DOI, or a pin.
      if (isDigest && (old.metadata !== current.metadata)) {
        idsGone.push(old);
        idsCome.push(current);
        const paper = this.papersByIdentity.get(current.identity);
        if (paper) this.updateKeys(paper);
      }
    }
    const changedBefore = before.slice(head, before.length - tail);
    const changedAfter = after.slice(head, after.length - tail);
    const removed = new Set(changedBefore);
    const added = entriesByIdentity(changedAfter);
    for (const entry of changedBefore) if (!added.has(entry.identity)) added.set(entry.identity, []);
    for (const [identity, entries] of added) {
      const existing = this.papersByIdentity.get(identity);
      const kept = existing ? existing.locations.filter((location) => location.uri === uri && !removed.has(location.entry)).map((location) => location.entry) : NO_ENTRIES;
      this.replaceLocations(identity, uri, kept.length > 0 ? [...kept, ...entries] : entries);
    }
    if (isDigest) {
      for (const entry of changedBefore) if (entry.metadata) idsGone.push(entry);
      for (const entry of changedAfter) if (entry.metadata) idsCome.push(entry);
      if (idsGone.length > 0 || idsCome.length > 0) this.digestIdsChanged(idsGone, idsCome);
    }
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
    const bibliographies = documentBibliographies(text, language).map((named) => resolveBibliographyUri(uri, named.path));
    return this.setNote(uri, language, scanCitations(text, language), bibliographies);
  }

  setNote(uri: string, language: NoteLanguage, citations: Citation[], bibliographies: string[] = []): NoteSummary {
    const previous = this.files.get(uri);
    if (previous?.kind === 'digest' || previous?.kind === 'library') {
      this.papersVersion++;
      this.dropListings(previous);
    }
    if (previous?.kind === 'note') {
      this.dropNote(previous);
      if (previous.bibliographies.join('\n') !== bibliographies.join('\n')) this.keysVersion++;
    }
    const summary: NoteSummary = { kind: 'note', uri, language, citations, bibliographies };
    this.files.set(uri, summary);
    for (const citation of citations) {
      const list = this.citationsByKey.get(citation.key);
      if (list) insertCitation(list, { uri, citation }); else this.citationsByKey.set(citation.key, [{ uri, citation }]);
    }
    return summary;
  }

  /** Forgets a file (deleted, or no longer a digest or note). */
  remove(uri: string): void {
    const previous = this.files.get(uri);
    if (!previous) return;
    if (previous.kind === 'digest' || previous.kind === 'library') {
      this.papersVersion++;
      this.dropListings(previous);
    } else {
      this.dropNote(previous);
    }
    this.files.delete(uri);
  }

  private dropListings(summary: DigestSummary | LibrarySummary): void {
    const entries = summary.kind === 'digest' ? summary.digest.entries : summary.library.entries;
    for (const identity of entriesByIdentity(entries).keys()) this.replaceLocations(identity, summary.uri, []);
    if (summary.kind === 'library') for (const entry of summary.read.entries) this.countLibraryIds(entry, summary.uri, -1);
    else this.digestIdsChanged(entries.filter((entry) => entry.metadata), []);
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
      paper = {
        key: '', keys: [], identity, baseKey: '', digestKey: '', pin: '', keyClass: '', libraryKeys: [],
        locations: entries.map((entry) => ({ uri, entry })), searchId: -1, searchFields: undefined,
      };
      if (paper.locations.length > 1) paper.locations.sort(compareLocations);
      this.papersByIdentity.set(identity, paper);
      this.updateKeys(paper);
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
      this.updateKeys(paper);
      return;
    }
    const keyBefore = paper.key;
    this.updateKeys(paper);
    const shown = paper.locations[0].entry;
    if (!shownBefore || shownBefore.title !== shown.title || shownBefore.abstract !== shown.abstract || paper.searchId < 0
      || paper.searchFields?.authors !== searchableAuthors(paper) || paper.key !== keyBefore) this.reindexPaper(paper);
  }

  /**
   * Brings a paper's keys in line with its locations: the digests' key group when a digest lists
   * it, a claim on each of its bibliography keys, and the key shown.
   */
  private updateKeys(paper: PaperRecord): void {
    let digestEntry: DigestEntry | undefined;
    let pin = '';
    const libraryKeys: string[] = [];
    for (const location of paper.locations) {
      if (!isLibraryEntry(location.entry)) {
        digestEntry ??= location.entry;
        if (pin === '' && location.entry.metadata?.key) pin = location.entry.metadata.key;
      } else if (location.entry.library.key !== '' && !libraryKeys.includes(location.entry.library.key)) libraryKeys.push(location.entry.library.key);
    }
    const arxiv = digestEntry?.metadata?.arxiv;
    const keyClass = digestEntry === undefined ? '' : arxiv ? `arxiv:${arxiv}` : paper.identity;
    this.digestKeys.update(paper, digestEntry?.baseKey ?? '', pin, keyClass);
    if (!sameStrings(paper.libraryKeys, libraryKeys)) {
      this.keysVersion++;
      for (const key of paper.libraryKeys) if (!libraryKeys.includes(key)) this.releaseClaim(key, paper);
      for (const key of libraryKeys) if (!paper.libraryKeys.includes(key)) this.addClaim(key, paper);
      paper.libraryKeys = libraryKeys;
    }
    this.showKey(paper);
  }

  private addClaim(key: string, paper: PaperRecord): void {
    const claims = this.libraryClaims.get(key);
    if (!claims) { this.libraryClaims.set(key, [paper]); return; }
    claims.push(paper);
    // The paper that answers a shared key must not depend on load order.
    claims.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
  }

  private releaseClaim(key: string, paper: PaperRecord): void {
    const claims = this.libraryClaims.get(key);
    if (!claims) return;
    const kept = claims.filter((claim) => claim !== paper);
    if (kept.length > 0) this.libraryClaims.set(key, kept); else this.libraryClaims.delete(key);
  }

  /** The key shown: the digests' when a digest lists the paper, else its first bibliography key. */
  private showKey(paper: PaperRecord): void {
    const key = paper.digestKey !== '' ? paper.digestKey : paper.libraryKeys[0] ?? '';
    paper.keys = key === '' ? paper.libraryKeys : [key, ...paper.libraryKeys.filter((other) => other !== key)];
    if (paper.key === key) return;
    paper.key = key;
    if (paper.searchId >= 0) this.searchIndex.setKey(paper.searchId, key);
  }

  private reindexPaper(paper: PaperRecord): void {
    if (paper.searchId >= 0) {
      this.searchIndex.remove(paper.searchId);
      this.papersBySearchId[paper.searchId] = undefined;
    }
    paper.searchId = this.nextSearchId++;
    const shown = paper.locations[0];
    const entry = shown.entry;
    const fields: SearchFields = isLibraryEntry(entry)
      // A bibliography's abstract is decoded when the search index gets to it (in idle time).
      ? { key: paper.key, keyWords: paper.baseKey || paper.keys.join(' '), title: entry.title, get abstract() { return entry.abstract; }, get authors() { return searchableAuthors(paper); }, identity: paper.identity }
      : { key: paper.key, keyWords: paper.baseKey, title: entry.title, abstract: entry.abstract, authors: searchableAuthors(paper), identity: paper.identity };
    paper.searchFields = fields;
    const prepared = this.preparedWords;
    if (prepared && prepared.uri === shown.uri) this.searchIndex.addPrepared(paper.searchId, fields, prepared.words, shown.entry.line);
    else this.searchIndex.add(paper.searchId, fields);
    this.papersBySearchId[paper.searchId] = paper;
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

  /** The paper a key names anywhere in the workspace: a bibliography's key first, then a digest's. */
  paperByKey(key: string): Paper | undefined {
    return this.libraryClaims.get(key)?.[0] ?? this.digestKeys.paperByKey(key) ?? this.paperBySplitAlias(key);
  }

  /**
   * The paper a citation in a note names: with the document scope, a note that names its own
   * bibliographies finds keys only in those and in the digests (as pandoc and biber would).
   */
  paperCitedBy(note: NoteSummary | undefined, key: string): Paper | undefined {
    if (!note || note.bibliographies.length === 0 || this.scope === 'workspace') return this.paperByKey(key);
    const claims = this.libraryClaims.get(key);
    if (claims) {
      for (const paper of claims) {
        if (paper.locations.some((location) => isLibraryEntry(location.entry) && location.entry.library.key === key && note.bibliographies.includes(location.uri))) return paper;
      }
    }
    return this.digestKeys.paperByKey(key) ?? this.paperBySplitAlias(key);
  }

  /**
   * Every different paper that claims a key (bibliography entries and the digests' key), when
   * more than one does: the key is ambiguous and each place deserves a word.
   */
  papersSharingKey(key: string): Paper[] {
    const claims = this.libraryClaims.get(key) ?? [];
    const papers: Paper[] = [...claims];
    for (const pinned of this.digestKeys.conflictingPins(key)) if (!papers.includes(pinned)) papers.push(pinned);
    const digestOwner = this.digestKeys.paperByKey(key);
    if (digestOwner && !papers.includes(digestOwner)) papers.push(digestOwner);
    return papers.length > 1 ? papers : [];
  }

  /** The files that list a paper whose key another paper claims too. */
  urisWithSharedKeys(): Set<string> {
    const uris = new Set<string>();
    for (const keys of [this.libraryClaims.keys(), this.digestKeys.conflictingPinKeys()]) {
      for (const key of keys) for (const paper of this.papersSharingKey(key)) for (const location of paper.locations) uris.add(location.uri);
    }
    return uris;
  }

  /**
   * The papers a citation of `key` might mean when two or more unpinned papers derive it as
   * their base key (the one it names now first); empty when the key is not ambiguous. A
   * bibliography's key or a pin is never ambiguous this way.
   */
  ambiguousKeyCandidates(key: string): readonly Paper[] {
    if (this.libraryClaims.has(key) || this.digestKeys.isPinned(key)) return [];
    const candidates = this.digestKeys.ambiguousCandidates(key);
    // A paper whose key this was before its title end was typed, while another paper owns it now
    // (after a restart the session no longer knows which the citation meant).
    const owner = this.digestKeys.paperByKey(key);
    const renamed = owner && this.paperBySplitAlias(key);
    if (!renamed || renamed === owner || candidates.includes(renamed)) return candidates;
    return candidates.length > 0 ? [...candidates, renamed] : [owner, renamed];
  }

  /** The papers listed with a typed title end (` || `), by the year and first word of their key, built when first asked. */
  private markedSplits: { keysVersion: number; papers: Map<string, PaperRecord[]> } | undefined;

  /**
   * The paper that a key named before its title end was typed (` || `) or written by Look Up:
   * a short title's key can change with its split, and a citation of the old key must still find
   * the paper. Only asked for keys nothing else names.
   */
  private paperBySplitAlias(key: string): PaperRecord | undefined {
    const year = /(\d{4})$/.exec(key);
    if (!year) return undefined;
    // Papers come and go, and titles change, only with keys: the table is built again only then.
    if (this.markedSplits?.keysVersion !== this.keysVersion) {
      const papers = new Map<string, PaperRecord[]>();
      for (const paper of this.papersByIdentity.values()) {
        const entry = paper.locations[0].entry;
        if (isLibraryEntry(entry) || entry.split.source !== 'marker') continue;
        const bucket = `${entry.year}|${firstKeyWord(entry.baseKey)}`;
        const list = papers.get(bucket);
        if (list) list.push(paper); else papers.set(bucket, [paper]);
      }
      this.markedSplits = { keysVersion: this.keysVersion, papers };
    }
    for (const paper of this.markedSplits.papers.get(`${year[1]}|${firstKeyWord(key)}`) ?? []) {
      const entry = paper.locations[0].entry;
      const text = `${entry.title} ${entry.abstract}`;
      const inferred = text.slice(0, splitTitleAbstract(text).titleLength).trimEnd();
      if (inferred !== entry.title && derivedBaseKey(inferred, entry.year) === key) return paper;
    }
    return undefined;
  }

  /** Every citation of any of a paper's keys, in every note, by note, line and character. */
  citationsOfPaper(paper: Paper): CitationLocation[] {
    if (paper.keys.length <= 1) return this.citationsOf(paper.key);
    return paper.keys.flatMap((key) => this.citationsOf(key)).sort(compareCitations);
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
      for (const [key, paper] of this.digestKeys.entries()) {
        const bucket = papers.get(key.charAt(0));
        if (bucket) bucket.push(paper); else papers.set(key.charAt(0), [paper]);
      }
      // Bibliography keys are matched lower-case too (`Vaswani2017` by `vas`); a paper that a
      // digest and a bibliography both list is found by either key, once per bucket.
      for (const [key, claims] of this.libraryClaims) {
        const first = key.charAt(0).toLowerCase();
        const bucket = papers.get(first) ?? [];
        if (!bucket.includes(claims[0])) bucket.push(claims[0]);
        papers.set(first, bucket);
      }
      this.keysByFirstCharacter = { keysVersion: this.keysVersion, papers };
    }
    const bucket = this.keysByFirstCharacter.papers.get(start.charAt(0)) ?? [];
    return start.length === 1 ? bucket : bucket.filter((paper) => paper.keys.some((key) => key.toLowerCase().startsWith(start)));
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
    for (const keys of [this.digestKeys.keys(), this.libraryClaims.keys()]) {
      for (const key of keys) {
        if (Math.abs(key.length - lower.length) <= 2 && key[0].toLowerCase() === lower[0]) candidates.add(key);
        if (candidates.size > 400) break;
      }
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

/**
 * A bibliography a note names, as the index's URI: relative to the note's folder. The index names
 * files by `file:` URIs in the language server and by paths in the CLI; both are handled.
 */
export function resolveBibliographyUri(noteUri: string, path: string): string {
  if (noteUri.startsWith('file:')) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return path;
    const absolute = path.startsWith('/') || /^[a-z]:[\\/]/i.test(path);
    // Well-formed first: a lone surrogate in a path makes encodeURIComponent throw.
    const encoded = path.replace(/\\/g, '/').split('/').map((part) => encodeURIComponent(wellFormed(part)).replace(/%3A/g, ':')).join('/');
    return new URL(absolute ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded, noteUri).href;
  }
  return posixOrNativeJoin(noteUri, path);
}

function posixOrNativeJoin(noteUri: string, path: string): string {
  if (path.startsWith('/') || /^[a-z]:[\\/]/i.test(path)) return path;
  const slash = Math.max(noteUri.lastIndexOf('/'), noteUri.lastIndexOf('\\'));
  const folder = slash >= 0 ? noteUri.slice(0, slash) : '.';
  const parts = `${folder}/${path}`.split(/[\\/]/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else if (part !== '.' && !(part === '' && out.length > 0)) out.push(part);
  }
  return out.join('/');
}



/** Citations by note, line and character: the order of references and hover cards, whatever order the notes were read in. */
function compareCitations(a: CitationLocation, b: CitationLocation): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.citation.line - b.citation.line || a.citation.start - b.citation.start;
}

/**
 * Puts a citation in its place in a key's list (kept in {@link compareCitations} order). Appended
 * in reading order, references and hover cards listed citations in the order notes happened to
 * be read or edited (issue 16, #7). Most land at the end: searched from there.
 */
function insertCitation(list: CitationLocation[], location: CitationLocation): void {
  let at = list.length;
  while (at > 0 && compareCitations(list[at - 1], location) > 0) at--;
  list.splice(at, 0, location);
}

/** The first word of a key (`tulu` of `tulu-3-2024`, `fipo` of `fipo2024`). */
function firstKeyWord(key: string): string {
  const dash = key.indexOf('-');
  return (dash >= 0 ? key.slice(0, dash) : key).replace(/\d{4}$/, '');
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const NO_ENTRIES: DigestEntry[] = [];
