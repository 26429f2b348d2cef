/**
 * Author names as Hugging Face writes them ("Given Family", one string) split into the parts
 * bibliographies want: BibTeX's "von Last, Jr, First" and CSL's {family, given, suffix}. The family
 * name is the last word with the lower-case particles before it ("Ludwig van Beethoven" ->
 * "van Beethoven"); "Jr.", "Sr." and roman numerals are suffixes.
 */

export interface PersonName {
  given?: string;
  family: string;
  suffix?: string;
}

const SUFFIX = /^(jr\.?|sr\.?|ii|iii|iv)$/i;
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'ter', 'ten', 'bin', 'al', 'el']);

export function splitPersonName(name: string): PersonName {
  const words = name.replace(/\s+/g, ' ').trim().replace(/,(?=\s*(jr|sr)\.?$)/i, '').split(' ').filter(Boolean);
  let suffix: string | undefined;
  if (words.length > 2 && SUFFIX.test(words[words.length - 1])) suffix = words.pop();
  if (words.length <= 1) return { family: words[0] ?? name.trim(), ...(suffix ? { suffix } : {}) };
  let familyStart = words.length - 1;
  while (familyStart > 1 && PARTICLES.has(words[familyStart - 1])) familyStart--;
  const result: PersonName = { given: words.slice(0, familyStart).join(' '), family: words.slice(familyStart).join(' ') };
  if (suffix) result.suffix = suffix;
  return result;
}

/** The first `shown` names, then "et al." with the count: "A, B, C et al. (11 authors)". */
export function shortAuthorList(names: string[], shown = 3): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} et al. (${names.length} authors)`;
}
