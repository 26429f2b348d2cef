/** A citation found in a note, whatever its syntax. */
export interface Citation {
  key: string;
  /** 0-based line. */
  line: number;
  /** Range of the key itself (without `@`, braces or `\cite{`), in UTF-16 code units. */
  start: number;
  end: number;
  syntax: 'pandoc' | 'latex';
  /** Pandoc `[@key]` / `[see @a; @b]` rather than a bare `@key`. */
  bracketed?: boolean;
  /** Pandoc `-@key`. */
  suppressAuthor?: boolean;
  /** Pandoc `@{key}`: the key was written in braces. */
  braced?: boolean;
  /** Pandoc `@fig-x`, `@tbl-x`, `@sec-x`, `@eq-x`, ...: Pandoc reads a citation, Quarto a cross-reference to a figure, table, section or equation. */
  crossReference?: boolean;
}

