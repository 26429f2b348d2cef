/**
 * Links to a paper on the web, built from its title or from its arXiv id (which the metadata line
 * accepts only in arXiv's own forms): a link taken as written from a file could point anywhere.
 * Hover cards, literature notes and bibliographies use these.
 */

/**
 * Lone surrogates (a title cut in the middle of an emoji) as U+FFFD: encodeURIComponent throws
 * "URI malformed" on them, which failed hovers, completion and exports (issue 16, #6). Every
 * string is made well-formed before it is URL-encoded. String.prototype.toWellFormed does it
 * natively from Node 20 (package.json engines); the pattern stands in where it is missing.
 */
export function wellFormed(text: string): string {
  const native = (text as { toWellFormed?: () => string }).toWellFormed;
  return native ? native.call(text) : text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A URL component that is also safe inside a Markdown link destination. */
function linkComponent(text: string): string {
  return encodeURIComponent(wellFormed(text)).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The paper's page on Hugging Face Papers. */
export function huggingFacePaperUrl(arxiv: string): string {
  return `https://huggingface.co/papers/${linkComponent(arxiv).replace(/%2F/g, '/')}`;
}

/** The paper's abstract page on arXiv. */
export function arxivAbstractUrl(arxiv: string): string {
  return `https://arxiv.org/abs/${linkComponent(arxiv).replace(/%2F/g, '/')}`;
}

/** The paper's PDF on arXiv. */
export function arxivPdfUrl(arxiv: string): string {
  return `https://arxiv.org/pdf/${linkComponent(arxiv).replace(/%2F/g, '/')}`;
}

/** A DOI's link at doi.org, each part URL-encoded (its slashes kept), or undefined when that makes no URL. */
export function doiUrl(doi: string): string | undefined {
  return safeWebLink(`https://doi.org/${doi.split('/').map((part) => encodeURIComponent(wellFormed(part))).join('/')}`);
}

/** The DOI arXiv registers for every paper (DataCite). */
export function arxivDoi(arxiv: string): string {
  return `10.48550/arXiv.${arxiv}`;
}

/**
 * A link the metadata line gives (a code repository, a project page), made safe inside a Markdown
 * link destination; undefined unless it is an http(s) URL.
 */
export function safeWebLink(url: string): string | undefined {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  try {
    return new URL(wellFormed(url)).href.replace(/[()'<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return undefined;
  }
}

/** The Hugging Face Papers search for a title. */
export function huggingFaceSearchUrl(title: string): string {
  return `https://huggingface.co/papers?q=${linkComponent(title)}`;
}

/** The arXiv title search for a title. */
export function arxivSearchUrl(title: string): string {
  return `https://arxiv.org/search/?searchtype=title&query=${linkComponent(title)}`;
}
