/**
 * Whether a plain-text file holds a digest, judged from its first lines. Reads entry lines with
 * entryLine.ts only (no title split), so the client can bundle it.
 */
import { splitLines } from '../shared/text';
import { readEntryFields } from './entryLine';
import { isMetadataLine } from './paperMetadata';

/** How many leading non-blank, non-heading lines decide whether a text file is a digest. */
const SNIFF_LINES = 5;
/** How much of a text sniffing reads at most: its first 64 KB. */
export const SNIFF_CHARS = 65_536;

/** Whether a line is an entry does not depend on where its title ends: the fields decide. */
const isEntryLine = (line: string): boolean => readEntryFields(line).kind === 'entry';

/**
 * True when most of the first non-blank, non-heading lines of `text` are digest entries (judged on
 * the first 64 KB, so sniffing a large file costs little). `isEntry` is for tests, which compare
 * this light reading with the full line parser.
 */
export function looksLikeDigest(text: string, isEntry: (line: string) => boolean = isEntryLine): boolean {
  let entries = 0;
  let seen = 0;
  for (const line of splitLines(text.slice(0, SNIFF_CHARS))) {
    const trimmed = line.replace(/^\ufeff/, '').trim();
    // Headings, capture dates and metadata lines stand between entries without being entries.
    if (!trimmed || trimmed.startsWith('#') || /^captured:/i.test(trimmed) || isMetadataLine(line)) continue;
    if (/^\s/.test(line) || line.startsWith('>')) continue;
    seen++;
    if (isEntry(line.replace(/^\ufeff/, ''))) entries++;
    if (seen >= SNIFF_LINES) break;
  }
  return seen > 0 && entries * 2 > seen;
}
