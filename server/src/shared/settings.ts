/** Settings of the extension and the language server, declared once for both. */
import { DEFAULT_BIBLIOGRAPHY_GLOBS, DEFAULT_DIGEST_GLOBS, DEFAULT_EXCLUDE_GLOBS, DEFAULT_LATEX_GLOBS, DEFAULT_MARKDOWN_GLOBS } from './fileKinds';

export const SETTINGS_SECTION = 'literatureDigest';

export interface LiteratureDigestSettings {
  /** Globs of digest files, relative to a workspace folder. */
  digestFiles: string[];
  /** Read `.txt` files whose first lines are entries as digests. */
  detectTextDigests: boolean;
  /** Globs of Markdown notes. */
  markdownNotes: string[];
  /** Globs of LaTeX notes. */
  latexNotes: string[];
  /** Globs never indexed. */
  exclude: string[];
  bibliographies: {
    /**
     * Globs of bibliography files in the workspace: BibTeX/BibLaTeX by name, CSL-JSON when a
     * `.json` file's content is a CSL-JSON array.
     */
    files: string[];
    /** Bibliography files outside the workspace (a Better BibTeX auto-export), absolute or `~/`. */
    external: string[];
    /**
     * A note that names its own bibliographies (`bibliography:`, `\addbibresource`) resolves its
     * citations against those and the digests (`document`, as pandoc and biber do) or against
     * every bibliography of the workspace (`workspace`).
     */
    scope: 'document' | 'workspace';
  };
  completion: {
    /** Most items in one completion response; typing refines (the list is incomplete). */
    maxItems: number;
  };
  /** Insert Citation (the VS Code client's command; the server reads none of these). */
  citation: {
    /** The LaTeX command a new citation uses, without the backslash: `cite`, `citep`, `parencite`, `autocite`, ... */
    latexCommand: string;
    /** After the papers are chosen, ask for a locator or prefix (`p. 3`, `see`, `see, p. 3`). */
    askLocator: boolean;
  };
  notes: {
    /** Folder (relative to the workspace folder) where Open Literature Note puts new notes. */
    folder: string;
    /**
     * Template of a note; variables {{key}} {{title}} {{date}} {{year}} {{abstract}} {{upvotes}} (a count, or `no` where the listing shows `-`) {{url}} {{authors}} {{arxiv}} {{pdf}} {{hf}}.
     * {{begin}} and {{end}} mark the block that Refresh Literature Note rewrites (see features/literatureNote.ts).
     */
    template: string;
  };
  export: {
    /**
     * A bibliography file (relative to the first workspace folder) kept current as digests change:
     * `.json` for CSL-JSON, `.bib` for BibTeX. Empty: none.
     */
    bibliography: string;
  };
  huggingFace: {
    /** The Hugging Face Papers API's base URL (a mirror, or a local server in tests). */
    apiUrl: string;
  };
  /** Files larger than this many megabytes are not indexed (a message says so). */
  maxFileSizeMB: number;
  /** Lines longer than this many characters are kept but not read as entries. */
  maxLineLength: number;
}

export const DEFAULT_NOTE_TEMPLATE = `---
title: "{{title}}"
citekey: {{key}}
date: {{date}}
---

{{begin}}
# {{title}}

[@{{key}}] · {{date}} · {{upvotes}} upvotes · [Hugging Face Papers]({{url}})

## Abstract

> {{abstract}}

{{end}}

## Notes

`;

export const DEFAULT_SETTINGS: LiteratureDigestSettings = {
  digestFiles: [...DEFAULT_DIGEST_GLOBS],
  detectTextDigests: true,
  markdownNotes: [...DEFAULT_MARKDOWN_GLOBS],
  latexNotes: [...DEFAULT_LATEX_GLOBS],
  exclude: [...DEFAULT_EXCLUDE_GLOBS],
  bibliographies: { files: [...DEFAULT_BIBLIOGRAPHY_GLOBS], external: [], scope: 'document' },
  completion: { maxItems: 50 },
  citation: { latexCommand: 'cite', askLocator: false },
  notes: { folder: 'notes', template: DEFAULT_NOTE_TEMPLATE },
  export: { bibliography: '' },
  huggingFace: { apiUrl: 'https://huggingface.co' },
  maxFileSizeMB: 256,
  maxLineLength: 1_000_000,
};

/** Settings as read from a client, with anything missing or malformed replaced by its default. */
export function normaliseSettings(raw: unknown): LiteratureDigestSettings {
  const value = (raw ?? {}) as Partial<Record<string, unknown>>;
  const strings = (x: unknown, fallback: string[]) => (Array.isArray(x) && x.every((s) => typeof s === 'string') ? x as string[] : fallback);
  const number = (x: unknown, fallback: number, min: number) => (typeof x === 'number' && Number.isFinite(x) && x >= min ? x : fallback);
  const completion = (value.completion ?? {}) as Record<string, unknown>;
  const citation = (value.citation ?? {}) as Record<string, unknown>;
  const notes = (value.notes ?? {}) as Record<string, unknown>;
  const exportSettings = (value.export ?? {}) as Record<string, unknown>;
  const huggingFace = (value.huggingFace ?? {}) as Record<string, unknown>;
  const bibliographies = (value.bibliographies ?? {}) as Record<string, unknown>;
  return {
    digestFiles: strings(value.digestFiles, DEFAULT_SETTINGS.digestFiles),
    detectTextDigests: typeof value.detectTextDigests === 'boolean' ? value.detectTextDigests : DEFAULT_SETTINGS.detectTextDigests,
    markdownNotes: strings(value.markdownNotes, DEFAULT_SETTINGS.markdownNotes),
    latexNotes: strings(value.latexNotes, DEFAULT_SETTINGS.latexNotes),
    exclude: strings(value.exclude, DEFAULT_SETTINGS.exclude),
    bibliographies: {
      files: strings(bibliographies.files, DEFAULT_SETTINGS.bibliographies.files),
      external: strings(bibliographies.external, []).map((path) => path.trim()).filter(Boolean),
      scope: bibliographies.scope === 'workspace' ? 'workspace' : 'document',
    },
    completion: { maxItems: Math.floor(number(completion.maxItems, DEFAULT_SETTINGS.completion.maxItems, 1)) },
    citation: {
      latexCommand: normaliseLatexCommand(citation.latexCommand),
      askLocator: typeof citation.askLocator === 'boolean' ? citation.askLocator : DEFAULT_SETTINGS.citation.askLocator,
    },
    notes: {
      folder: typeof notes.folder === 'string' ? notes.folder : DEFAULT_SETTINGS.notes.folder,
      template: typeof notes.template === 'string' && notes.template.trim() ? notes.template : DEFAULT_SETTINGS.notes.template,
    },
    export: { bibliography: typeof exportSettings.bibliography === 'string' ? exportSettings.bibliography.trim() : '' },
    huggingFace: { apiUrl: typeof huggingFace.apiUrl === 'string' && /^https?:\/\/\S+$/.test(huggingFace.apiUrl.trim()) ? huggingFace.apiUrl.trim() : DEFAULT_SETTINGS.huggingFace.apiUrl },
    maxFileSizeMB: number(value.maxFileSizeMB, DEFAULT_SETTINGS.maxFileSizeMB, 0),
    maxLineLength: Math.floor(number(value.maxLineLength, DEFAULT_SETTINGS.maxLineLength, 1000)),
  };
}

/**
 * A LaTeX command name as the `citation.latexCommand` setting may give it (`citep`, `\parencite`,
 * `cite*`): letters, maybe a star, the backslash dropped; anything else is `cite`.
 */
export function normaliseLatexCommand(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim().replace(/^\\/, '') : '';
  return /^[A-Za-z]+\*?$/.test(name) ? name : DEFAULT_SETTINGS.citation.latexCommand;
}
