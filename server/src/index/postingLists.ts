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
    }
    this.head[word] = this.tail[word] = this.lastDocument[word] = -1;
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
