/**
 * Whether a plain-text file holds a digest, judged from its first lines. Reads entry lines with
 * entryLine.ts only (no title split), so the client can bundle it.
 */
import { splitLines } from '../shared/text';
import { readEntryFields } from './entryLine';

/** How many leading non-blank, non-heading lines decide whether a text file is a digest. */
const SNIFF_LINES = 5;

/**
 * True when most of the first non-blank, non-heading lines of `text` are digest entries (judged on
 * the first 64 KB, so sniffing a large file costs little).
 */
export function looksLikeDigest(text: string): boolean {
  let entries = 0;
  let seen = 0;
  for (const line of splitLines(text.slice(0, 65536))) {
    const trimmed = line.replace(/^\ufeff/, '').trim();
    if (!trimmed || trimmed.startsWith('#') || /^captured:/i.test(trimmed)) continue;
    if (/^\s/.test(line) || line.startsWith('>')) continue;
    seen++;
    // Whether a line is an entry does not depend on where its title ends: the fields decide.
    if (readEntryFields(line.replace(/^\ufeff/, '')).kind === 'entry') entries++;
    if (seen >= SNIFF_LINES) break;
  }
  return seen > 0 && entries * 2 > seen;
}
