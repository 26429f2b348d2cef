/**
 * A CSL-JSON file (what Zotero, Better BibTeX and pandoc-citeproc write): an array of items, each
 * with an `id`, a `type` and its fields. Recognised by content, since such files are named
 * anything (`references.json`, `My Library.json`): a JSON array whose first item has an `id` and a
 * `type` or `title`.
 *
 * The values come from the platform's JSON.parse; one pass of a small scanner beside it finds where
 * each item and its `id` are, for go to definition and diagnostics. A file that is not valid JSON
 * (an export half written, a person's typo) is reported where it breaks, and the items before
 * that place still count.
 */

export interface CslItem {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  [field: string]: unknown;
}

export interface CslJsonEntry {
  /** The `id` as a string ('' when missing or not a string or number). */
  key: string;
  item: CslItem;
  /** Offsets of the item's `{` and just after its `}`. */
  start: number;
  end: number;
  /** Offsets of the id's value, quotes excluded (the item's start when it has none). */
  keyStart: number;
  keyEnd: number;
}

export interface CslJsonProblem {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedCslJson {
  entries: CslJsonEntry[];
  problems: CslJsonProblem[];
}

const CSL_START = /^\uFEFF?\s*\[\s*(?:\{|\])/;

/**
 * True when `text` looks like CSL-JSON: an array of objects with `"id"` and a `"type"` or
 * `"title"` string among the first 4,000 characters (the first item's fields; its author objects
 * have neither). An empty array is not enough to tell.
 */
export function looksLikeCslJson(text: string): boolean {
  const head = text.slice(0, 4000);
  if (!CSL_START.test(head) || /^\uFEFF?\s*\[\s*\]/.test(head)) return false;
  return /"id"\s*:/.test(head) && /"(?:type|title)"\s*:\s*"/.test(head);
}

export function parseCslJson(text: string): ParsedCslJson {
  const problems: CslJsonProblem[] = [];
  const places = scanItemPlaces(text);
  let items: unknown;
  try {
    items = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const at = errorOffset(error, text, places.brokenAt);
    problems.push({ start: at, end: Math.min(text.length, at + 1), message: `not valid JSON here: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}; the items before this place are read`, severity: 'error' });
    items = recoverItems(text, places.items, at);
  }
  if (!Array.isArray(items)) {
    if (problems.length === 0) problems.push({ start: 0, end: Math.min(1, text.length), message: 'a CSL-JSON file is an array of items', severity: 'error' });
    return { entries: [], problems };
  }
  const entries: CslJsonEntry[] = [];
  const seen = new Map<string, number>();
  items.forEach((value, i) => {
    const place = places.items[i] ?? { start: 0, end: 0, keyStart: 0, keyEnd: 0 };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ start: place.start, end: place.start + 1, message: `item ${i + 1} is not an object`, severity: 'error' });
      return;
    }
    const item = value as CslItem;
    const key = typeof item.id === 'string' ? item.id : typeof item.id === 'number' ? String(item.id) : '';
    if (key === '') problems.push({ start: place.start, end: place.start + 1, message: `item ${i + 1} has no "id"`, severity: 'error' });
    else if (seen.has(key)) problems.push({ start: place.keyStart, end: place.keyEnd, message: `duplicate id '${key}': an earlier item has it (the first counts)`, severity: 'error' });
    else seen.set(key, i);
    entries.push({ key, item, start: place.start, end: place.end, keyStart: key ? place.keyStart : place.start, keyEnd: key ? place.keyEnd : place.start });
  });
  return { entries, problems };
}

interface ItemPlace {
  start: number;
  end: number;
  keyStart: number;
  keyEnd: number;
}

/**
 * Where each top-level item and its `"id"` value are: one pass over the text that skips strings
 * and counts brackets. `brokenAt` is where the structure stopped making sense, if it did.
 */
function scanItemPlaces(text: string): { items: ItemPlace[]; brokenAt?: number } {
  const items: ItemPlace[] = [];
  let depth = 0;
  let current: ItemPlace | undefined;
  let expectIdValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i + 1;
      i++;
      while (i < text.length && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92) i++;
        i++;
      }
      if (depth === 2 && current) {
        if (expectIdValue) {
          current.keyStart = start;
          current.keyEnd = i;
          expectIdValue = false;
        } else if (i - start === 2 && text.startsWith('id', start)) {
          let j = i + 1;
          while (j < text.length && /\s/.test(text[j])) j++;
          if (text[j] === ':') expectIdValue = true;
        }
      }
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 2 && c === 123) current = { start: i, end: i, keyStart: i, keyEnd: i };
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth === 2 && current && c === 125) {
        current.end = i + 1;
        items.push(current);
        current = undefined;
      }
      depth--;
      if (depth < 0) return { items, brokenAt: i };
      continue;
    }
    if (expectIdValue && depth === 2 && c >= 48 && c <= 57) {
      // A numeric id.
      let j = i;
      while (j < text.length && /[\d.eE+-]/.test(text[j])) j++;
      if (current) { current.keyStart = i; current.keyEnd = j; }
      expectIdValue = false;
      i = j - 1;
    }
  }
  // An item opened and never closed: it is broken where the text ends.
  if (current) return { items, brokenAt: current.start };
  return { items };
}

function errorOffset(error: unknown, text: string, fallback: number | undefined): number {
  const match = /position (\d+)/.exec((error as Error).message ?? '');
  if (match) return Math.min(text.length, Number(match[1]));
  return fallback ?? text.length;
}

/** The items that lie wholly before the broken place, each parsed on its own. */
function recoverItems(text: string, places: ItemPlace[], brokenAt: number): unknown[] {
  const items: unknown[] = [];
  for (const place of places) {
    if (place.end > brokenAt) break;
    try {
      items.push(JSON.parse(text.slice(place.start, place.end)));
    } catch {
      break;
    }
  }
  // The scanner's places are by position in the array: keep them aligned.
  places.length = items.length;
  return items;
}
