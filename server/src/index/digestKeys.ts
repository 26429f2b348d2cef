/**
 * Which paper a digest key names: the rule that keeps a cited key on its paper.
 *
 * Every paper a digest lists derives a base key from its title and year (citationKeys.ts). The
 * table decides what each paper is called when several derive the same base key, so that a key a
 * note cites never moves to another paper because of what is added, removed or corrected
 * elsewhere:
 *
 * 1. A key pinned on the entry (`key: tulu2023` on its metadata line) is the paper's key. A pin
 *    takes its key from any paper that merely derives it.
 * 2. Otherwise, of the papers that derive one base key, the one that held it keeps it: the first
 *    to have it in this session (while loading, the first listed in the order the folders are
 *    walked, then by line); each newcomer takes `base-xxxx`, four characters of a hash of its own
 *    identity. A paper that leaves and comes back (a title retyped, a file deleted and restored)
 *    takes its key back; while it is away, nobody else takes a key that was shared or is cited.
 * 3. Entries with the same arXiv id are one paper for the rule: they share the key, no suffix.
 * 4. A paper's suffixed key always names it, also while it holds the base key, so a citation of
 *    `base-xxxx` survives the group shrinking back to one paper. The suffix hashes the paper's
 *    identity, or its arXiv id when its entry gives one (so all its entries share it); the
 *    identity's suffix names such a paper too.
 *
 * Rule 2 depends on the order papers arrived in, which a restart forgets: a base key that two
 * unpinned papers derive is therefore reported as ambiguous where a note cites it (see
 * {@link DigestKeyTable.ambiguousCandidates}), with the pin as the fix that makes it permanent.
 */
import { disambiguatedKey } from '../digest/citationKeys';

/** What the table needs of a paper. */
export interface KeyedPaper {
  identity: string;
  /** The base key its digest entry derives; '' when no digest lists it. */
  baseKey: string;
  /** The key pinned on its digest entry; '' for none. */
  pin: string;
  /** Papers of one class are one paper for the key rule: `arxiv:ID` when known, else the identity. */
  keyClass: string;
  /** The key the table gave it ('' when no digest lists it). */
  digestKey: string;
}

export class DigestKeyTable<P extends KeyedPaper> {
  /** The key each paper is shown and found by (bare, suffixed or pinned): its owner. */
  private readonly owners = new Map<string, P>();
  /** The papers deriving each base key, in the order they arrived: usually one. */
  private readonly groups = new Map<string, P | P[]>();
  /** Papers pinning each key, first by identity answers (two pins of one key are a conflict). */
  private readonly pins = new Map<string, P[]>();
  /**
   * Base keys that were shared, or cited when their paper left, and the class of the paper that
   * held the bare key then: it keeps (or takes back) the bare key, and nobody else takes it.
   */
  private readonly holders = new Map<string, string>();

  /**
   * @param keyChanged called for every paper whose key changed
   * @param isCited whether a note cites a key: a cited bare key stays its holder's while the
   *   holder is away
   */
  constructor(private readonly keyChanged: (paper: P) => void, private readonly isCited: (key: string) => boolean) {}

  /** The digest paper a key names: its owner, or the paper whose suffixed key it is. */
  paperByKey(key: string): P | undefined {
    return this.owners.get(key) ?? this.paperBySuffixedKey(key);
  }

  /** Every key with an owner, with its owner. */
  entries(): IterableIterator<[string, P]> {
    return this.owners.entries();
  }

  keys(): IterableIterator<string> {
    return this.owners.keys();
  }

  /** Whether some paper pins `key`. */
  isPinned(key: string): boolean {
    return this.pins.has(key);
  }

  /** The papers that pin `key`, when more than one does. */
  conflictingPins(key: string): readonly P[] {
    const claims = this.pins.get(key);
    return claims && claims.length > 1 ? claims : NONE;
  }

  /** Every key two or more papers pin. */
  *conflictingPinKeys(): IterableIterator<string> {
    for (const [key, claims] of this.pins) if (claims.length > 1) yield key;
  }

  /**
   * When `key` is a bare base key that papers of two or more classes derive and nobody pins: the
   * paper it names now (first) and the others, each of which a citation might have meant.
   */
  ambiguousCandidates(key: string): readonly P[] {
    if (this.pins.has(key)) return NONE;
    const group = this.groups.get(key);
    if (!Array.isArray(group)) return NONE;
    const holder = this.owners.get(key);
    const classes = new Set<string>();
    const candidates: P[] = holder ? [holder] : [];
    if (holder) classes.add(holder.keyClass);
    for (const member of group) {
      if (member.pin !== '' || classes.has(member.keyClass)) continue;
      classes.add(member.keyClass);
      candidates.push(member);
    }
    return candidates.length > 1 ? candidates : NONE;
  }

  /**
   * Brings a paper in line with its new base key, pin and class (each '' when no digest lists
   * it any more); returns whether any key changed.
   */
  update(paper: P, baseKey: string, pin: string, keyClass: string): boolean {
    if (paper.baseKey === baseKey && paper.pin === pin && paper.keyClass === keyClass) return false;
    if (pin === '' && paper.pin === '' && paper.baseKey === '' && baseKey !== '') {
      // A paper new to the digests, as every paper is while a workspace loads.
      paper.baseKey = baseKey;
      paper.keyClass = keyClass;
      this.joinGroup(paper);
      this.assignNewcomer(paper);
      return true;
    }
    // Usually one group (a paper arriving); an array only when pins or base keys change.
    const touchedGroups: string[] = [];
    if (paper.pin !== pin) {
      if (paper.pin !== '') this.releasePin(paper, touchedGroups);
      if (pin !== '') this.addPin(paper, pin, touchedGroups);
      paper.pin = pin;
    }
    if (paper.baseKey !== baseKey) {
      if (paper.baseKey !== '') {
        this.leaveGroup(paper);
        touchedGroups.push(paper.baseKey);
      }
      paper.baseKey = baseKey;
      if (baseKey !== '') this.joinGroup(paper);
    }
    paper.keyClass = keyClass;
    if (baseKey !== '') touchedGroups.push(baseKey);
    if (pin !== '') this.setKey(paper, pin);
    else if (baseKey === '') this.setKey(paper, '');
    for (let i = 0; i < touchedGroups.length; i++) if (touchedGroups.indexOf(touchedGroups[i]) === i) this.assignGroup(touchedGroups[i]);
    return true;
  }

  private paperBySuffixedKey(key: string): P | undefined {
    const dash = key.length - 5;
    if (dash <= 0 || key.charCodeAt(dash) !== 0x2d) return undefined;
    const group = this.groups.get(key.slice(0, dash));
    if (group === undefined) return undefined;
    for (const member of Array.isArray(group) ? group : [group]) {
      if (suffixedKey(member) === key || disambiguatedKey(member.baseKey, member.identity) === key) return member;
    }
    return undefined;
  }

  private joinGroup(paper: P): void {
    const group = this.groups.get(paper.baseKey);
    if (group === undefined) this.groups.set(paper.baseKey, paper);
    else if (!Array.isArray(group)) this.groups.set(paper.baseKey, [group, paper]);
    else group.push(paper);
  }

  private leaveGroup(paper: P): void {
    const group = this.groups.get(paper.baseKey);
    if (group === undefined) return;
    // A paper a note cites by its base key leaves (its file closed from disk, its title being
    // retyped, its split corrected): the key waits for it rather than pass to the next paper.
    if (paper.digestKey === paper.baseKey && this.isCited(paper.baseKey)) this.holders.set(paper.baseKey, paper.keyClass);
    if (!Array.isArray(group)) {
      if (group === paper) this.groups.delete(paper.baseKey);
      return;
    }
    const at = group.indexOf(paper);
    if (at >= 0) group.splice(at, 1);
    if (group.length === 1) this.groups.set(paper.baseKey, group[0]);
  }

  private addPin(paper: P, key: string, touchedGroups: string[]): void {
    const claims = this.pins.get(key);
    if (!claims) this.pins.set(key, [paper]);
    else {
      claims.push(paper);
      // The paper that answers a key pinned twice must not depend on load order.
      claims.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
    }
    // Papers that derive the pinned key lose it to the pin.
    if (this.groups.has(key)) touchedGroups.push(key);
  }

  private releasePin(paper: P, touchedGroups: string[]): void {
    const key = paper.pin;
    const claims = this.pins.get(key);
    if (!claims) return;
    const kept = claims.filter((claim) => claim !== paper);
    if (kept.length > 0) this.pins.set(key, kept); else this.pins.delete(key);
    if (this.owners.get(key) === paper) {
      this.owners.delete(key);
      if (kept.length > 0) this.owners.set(key, kept[0]);
    }
    if (this.groups.has(key)) touchedGroups.push(key);
  }

  /** Gives every unpinned paper deriving `baseKey` its key (rules 2 and 3 above). */
  private assignGroup(baseKey: string): void {
    const group = this.groups.get(baseKey);
    if (group === undefined) return;
    if (!Array.isArray(group) && !this.holders.has(baseKey)) {
      // The common case, one paper alone with its base key: no arrays on the way.
      if (group.pin === '') this.setKey(group, this.pins.has(baseKey) ? suffixedKey(group) : baseKey);
      return;
    }
    const members = Array.isArray(group) ? group : [group];
    const unpinned = members.filter((member) => member.pin === '');
    if (unpinned.length === 0) return;
    // A bare key that was shared stays its holder's for the session, also while the holder is
    // away (its title being retyped, its split corrected): another paper taking it then would
    // take the citations meant for the holder.
    const remembered = this.holders.get(baseKey);
    const holder = this.pins.has(baseKey) ? undefined
      : remembered === undefined ? unpinned[0] : unpinned.find((member) => member.keyClass === remembered);
    if (holder && unpinned.some((member) => member.keyClass !== holder.keyClass)) this.holders.set(baseKey, holder.keyClass);
    // The holder first: same-class members share its key, and the key's owner must be the holder.
    const ordered = holder ? [holder, ...unpinned.filter((member) => member !== holder)] : unpinned;
    for (const member of ordered) {
      const keepsBare = holder !== undefined && member.keyClass === holder.keyClass;
      this.setKey(member, keepsBare ? baseKey : suffixedKey(member));
    }
  }

  /**
   * Gives a paper that has just joined its group its key, touching no other member while the
   * group's holder stays who it was (a group of many papers must not be given its keys again at
   * every arrival).
   */
  private assignNewcomer(paper: P): void {
    const baseKey = paper.baseKey;
    const group = this.groups.get(baseKey);
    if (group === paper) {
      if (!this.holders.has(baseKey)) {
        this.setKey(paper, this.pins.has(baseKey) ? suffixedKey(paper) : baseKey);
        return;
      }
    } else if (this.pins.has(baseKey)) {
      this.setKey(paper, suffixedKey(paper));
      return;
    } else {
      const owner = this.owners.get(baseKey);
      const remembered = this.holders.get(baseKey);
      const holds = owner !== undefined && owner !== paper && owner.baseKey === baseKey && owner.pin === '' && owner.digestKey === baseKey;
      if (holds && (remembered === undefined || remembered === owner.keyClass)) {
        if (remembered === undefined && owner.keyClass !== paper.keyClass) this.holders.set(baseKey, owner.keyClass);
        this.setKey(paper, paper.keyClass === owner.keyClass ? baseKey : suffixedKey(paper));
        return;
      }
    }
    this.assignGroup(baseKey);
  }

  private setKey(paper: P, key: string): void {
    if (paper.digestKey === key) {
      // A pin may have released the key this paper already had: it owns it again.
      if (key !== '' && !this.owners.has(key)) this.owners.set(key, paper);
      return;
    }
    if (paper.digestKey !== '' && this.owners.get(paper.digestKey) === paper) {
      this.owners.delete(paper.digestKey);
      this.reownKey(paper.digestKey, paper);
    }
    paper.digestKey = key;
    if (key !== '') {
      const owner = this.owners.get(key);
      // A pin owns its key before any derived key; of two papers sharing a key, the first stays.
      const pinned = this.pins.get(key);
      if (pinned) this.owners.set(key, pinned[0]);
      else if (owner === undefined || owner.digestKey !== key) this.owners.set(key, paper);
    }
    this.keyChanged(paper);
  }

  /** A key its owner gave up may still be another paper's (a same-class paper sharing it). */
  private reownKey(key: string, leaving: P): void {
    const pinned = this.pins.get(key);
    if (pinned) { this.owners.set(key, pinned[0]); return; }
    const group = this.groups.get(key);
    if (group === undefined) return;
    for (const member of Array.isArray(group) ? group : [group]) {
      if (member !== leaving && member.digestKey === key) { this.owners.set(key, member); return; }
    }
  }
}

/**
 * The key of a paper that does not hold its base key: the suffix hashes its class, so the entries
 * of one arXiv paper share it (and it survives any one of them going), and every other paper's
 * suffix hashes its identity, as it always did.
 */
function suffixedKey(paper: KeyedPaper): string {
  return disambiguatedKey(paper.baseKey, paper.keyClass);
}

const NONE: readonly never[] = Object.freeze([]);
