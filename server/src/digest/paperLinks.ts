/**
 * Links to a paper on the web, built from its title: a digest holds no URL, and a link taken from
 * a file could point anywhere. Hover cards, literature notes and bibliographies use these.
 */

/** A URL component that is also safe inside a Markdown link destination. */
function linkComponent(text: string): string {
  return encodeURIComponent(text).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The Hugging Face Papers search for a title. */
export function huggingFaceSearchUrl(title: string): string {
  return `https://huggingface.co/papers?q=${linkComponent(title)}`;
}

/** The arXiv title search for a title. */
export function arxivSearchUrl(title: string): string {
  return `https://arxiv.org/search/?searchtype=title&query=${linkComponent(title)}`;
}
