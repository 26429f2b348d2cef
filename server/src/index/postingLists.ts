/** The postings of the search index's words (see {@link PostingLists}). */

/**
 * The postings of every word, in blocks in one pool (an Int32Array) instead of an array per word.
 * A large workspace has hundreds of thousands of words and tens of millions of postings: objects
 * per word cost memory and garbage-collection time, and filling them was the largest cost of
 * loading on the main thread. A word's blocks form a chain; each block is twice the size of the
 * one before (up to a limit), so a rare word takes a few slots and a common word's postings lie
 * in a handful of long runs that a search reads in order.
 *
 * Block layout: [next block or -1, capacity, posting...]. A posting is `document * 4 + fields`.
 */
export class PostingLists {
  pool = new Int32Array(1 << 16);
  private used = 0;
  /** Per word: first and last block (-1 for none), postings in all, postings in the last block. */
  head = new Int32Array(1024);
  tail = new Int32Array(1024);
  count = new Int32Array(1024);
  tailUsed = new Int32Array(1024);
  /** Per word: the last document that posted it, and where, to merge a word's fields in one posting. */
  private lastDocument = new Int32Array(1024);
  private lastPosting = new Int32Array(1024);
  /**
   * Per word: how many live documents have it, and the version of the index that count was
   * taken at (see {@link liveDocuments}); -1 for none.
   */
  private liveCount = new Int32Array(1024);
  private liveCountVersion = new Float64Array(1024);
  /** Per document: the last {@link liveDocuments} walk that counted it (a stamp, to count each once). */
  private counted = new Int32Array(0);
  private countStamp = 0;
  private words = 0;

  addWord(): void {
    const word = this.words++;
    if (word >= this.head.length) {
      const grow = (array: Int32Array) => {
        const grown = new Int32Array(array.length * 2);
        grown.set(array);
        return grown;
      };
      this.head = grow(this.head);
      this.tail = grow(this.tail);
      this.count = grow(this.count);
      this.tailUsed = grow(this.tailUsed);
      this.lastDocument = grow(this.lastDocument);
      this.lastPosting = grow(this.lastPosting);
      this.liveCount = grow(this.liveCount);
      const versions = new Float64Array(this.liveCountVersion.length * 2);
      versions.set(this.liveCountVersion);
      this.liveCountVersion = versions;
    }
    this.head[word] = this.tail[word] = this.lastDocument[word] = -1;
    this.liveCountVersion[word] = -1;
  }

  /**
   * How many live documents have `word` (in any field), as of `version` (which the caller changes
   * whenever a posting or a document's life changes): what makes a word rare. {@link count} is
   * no such number: it still holds the postings of removed documents until they are compacted,
   * and a document may have a word in two postings. Ranking by it made the same query on the same
   * papers rank by their edit history (issue 16, #7). Counted by a walk of the word's postings,
   * which a search makes anyway, and kept until the index changes.
   */
  liveDocuments(word: number, alive: Uint8Array, version: number): number {
    if (this.liveCountVersion[word] === version) return this.liveCount[word];
    if (this.counted.length < alive.length) {
      this.counted = new Int32Array(alive.length);
      this.countStamp = 0;
    }
    if (this.countStamp === 0x7fffffff) {
      this.counted.fill(0);
      this.countStamp = 0;
    }
    const stamp = ++this.countStamp;
    const { pool, counted } = this;
    let documents = 0;
    const last = this.tail[word];
    for (let block = this.head[word]; block >= 0; block = pool[block]) {
      const end = block + 2 + (block === last ? this.tailUsed[word] : pool[block + 1]);
      for (let at = block + 2; at < end; at++) {
        const document = pool[at] >> 2;
        if (alive[document] && counted[document] !== stamp) {
          counted[document] = stamp;
          documents++;
        }
      }
    }
    this.liveCount[word] = documents;
    this.liveCountVersion[word] = version;
    return documents;
  }

  /**
   * Posts `word` for `document` in `field`; returns false when the word's last posting already
   * says so (a word repeated in the same text). A document's title and abstract words are posted
   * at different times (abstracts in idle time), so each field has postings of its own: merging
   * them only when nothing came between would make the postings, and the scores, depend on the
   * order documents were added.
   */
  post(word: number, document: number, field: number): boolean {
    if (this.lastDocument[word] === document && this.pool[this.lastPosting[word]] === document * 4 + field) return false;
    let block = this.tail[word];
    if (block < 0 || this.tailUsed[word] === this.pool[block + 1]) block = this.newBlock(word, block);
    const at = block + 2 + this.tailUsed[word]++;
    this.pool[at] = document * 4 + field;
    this.count[word]++;
    this.lastDocument[word] = document;
    this.lastPosting[word] = at;
    return true;
  }

  private newBlock(word: number, previous: number): number {
    const capacity = previous < 0 ? FIRST_BLOCK : Math.min(LONGEST_BLOCK, this.pool[previous + 1] * 2);
    const block = this.allocate(capacity);
    if (previous < 0) this.head[word] = block; else this.pool[previous] = block;
    this.tail[word] = block;
    this.tailUsed[word] = 0;
    return block;
  }

  private allocate(capacity: number): number {
    if (this.used + capacity + 2 > this.pool.length) {
      let size = this.pool.length * 2;
      while (this.used + capacity + 2 > size) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    const block = this.used;
    this.pool[block] = -1;
    this.pool[block + 1] = capacity;
    this.used += capacity + 2;
    return block;
  }

  /** Drops the postings of documents no longer alive, packing each word's into one block. */
  compact(alive: Uint8Array): void {
    const old = this.pool;
    this.pool = new Int32Array(Math.max(1 << 16, this.used));
    this.used = 0;
    for (let word = 0; word < this.words; word++) {
      const head = this.head[word];
      const tail = this.tail[word];
      const tailUsed = this.tailUsed[word];
      let kept = 0;
      for (let block = head; block >= 0; block = old[block]) {
        const end = block + 2 + (block === tail ? tailUsed : old[block + 1]);
        for (let at = block + 2; at < end; at++) if (alive[old[at] >> 2]) kept++;
      }
      this.head[word] = this.tail[word] = -1;
      this.count[word] = this.tailUsed[word] = 0;
      // Positions moved: a later posting of the same document makes a posting of its own.
      this.lastDocument[word] = -1;
      if (kept === 0) continue;
      const block = this.allocate(Math.max(FIRST_BLOCK, kept));
      this.head[word] = this.tail[word] = block;
      let to = block + 2;
      for (let from = head; from >= 0; from = old[from]) {
        const end = from + 2 + (from === tail ? tailUsed : old[from + 1]);
        for (let at = from + 2; at < end; at++) if (alive[old[at] >> 2]) this.pool[to++] = old[at];
      }
      this.count[word] = this.tailUsed[word] = kept;
    }
  }
}

/** Slots in a word's first block: most words occur in one or two documents. */
const FIRST_BLOCK = 2;
/** The largest block: a common word's postings come in runs of this many. */
const LONGEST_BLOCK = 8192;
