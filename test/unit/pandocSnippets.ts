/**
 * Random Markdown built from the constructs where a citation scanner can go wrong (code of every
 * kind, raw HTML and LaTeX, math, attributes, links, example lists, YAML, key punctuation), for
 * the differential test against Pandoc. Deterministic: the same seed gives the same snippets.
 */

import { seededRandom } from '../../scripts/seededRandom';

export interface Snippet {
  text: string;
  /** A YAML metadata block, whose citations Pandoc puts in the document's metadata. */
  yaml: boolean;
}

type Pick = <T>(choices: readonly T[]) => T;

const KEYS = ['smith2020', 'doe:99', 'x-y+z', 'türkçe2024', 'a_b', 'key.v2', 'fipo2024', 'Ω1', 'b'];

function inlinePiece(pick: Pick, key: () => string, label: () => string): string {
  const k = key();
  const k2 = key();
  const templates: (() => string)[] = [
    () => `@${k}`,
    () => `[@${k}]`,
    () => `[see @${k}, p. 3; -@${k2}]`,
    () => `-@${k}`,
    () => `@{${k}}`,
    () => `@{${k} ${k2}}`,
    () => `@{${k}{x}y}`,
    () => `_@${k}`,
    () => `a_@${k}`,
    () => `word@${k}`,
    () => `end.@${k}`,
    () => `\\@${k}`,
    () => `me@example.org`,
    () => `<me@example.org>`,
    () => `\`code @${k}\``,
    () => `\`\`a \` @${k}\`\``,
    () => `$x @${k}$`,
    () => `$ not math @${k}$`,
    () => `$$@${k}$$`,
    () => `<!-- @${k} -->`,
    () => `<span title="@${k}">@${k2}</span>`,
    () => `[text @${k}](http://x.org/@${k2} "t @${k}")`,
    () => `[span]{key="@${k}"}`,
    () => `<http://x.org/@${k}>`,
    () => `@https://openreview.net/forum?id=${k}`,
    () => `@${k}://a//b`,
    () => `@${k}::b`,
    () => `*em*@${k}`,
    () => `x*@${k}`,
    () => `**@${k}**`,
    () => `~~@${k}~~`,
    () => `\\emph{@${k}}`,
    () => `\\foo @${k}`,
    () => `@fig-${k}`,
    () => `@sec-x`,
    () => `@${k}.`,
    () => `(@${k})`,
    () => `^[a note @${k}]`,
    () => `@${k} [p. 4]`,
    () => `"@${k}"`,
    () => `'@${k}'`,
    () => `&amp;@${k}`,
    () => `@${k}:`,
    () => `@*`,
    () => `@${label()}`,
    () => `[@${label()}]`,
    () => `https://medium.com/@${k}`,
    () => `@`,
    () => `@ ${k}`,
    () => `\`x\`{.r key="@${k}"}`,
  ];
  return pick(templates)();
}

const WORDS = ['the', 'model', 'shows', 'and', 'results', 'of', 'DPO', 'at', 'scale', '--', 'e.g.', '10%'];

function paragraph(random: () => number, pick: Pick, key: () => string, label: () => string): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    parts.push(random() < 0.5 ? inlinePiece(pick, key, label) : pick(WORDS));
    // Wrapping lines inside the paragraph: code spans and math may run across them.
    parts.push(random() < 0.15 ? '\n' : ' ');
  }
  // A line that opens a paragraph with `#` or a list marker would make it something else.
  return parts.join('').trim().replace(/^([#>*+-]|\d+[.)]|\(?@)/, 'Then $1').replace(/\n([#>*+-]|\d+[.)]|:::|~~~|```|\(?@)/g, '\nthen $1');
}

function block(random: () => number, pick: Pick, key: () => string, label: () => string, labels: string[]): string {
  const k = key();
  const para = () => paragraph(random, pick, key, label);
  const templates: (() => string)[] = [
    para, para, para,
    () => `\`\`\`\n@${k} code\n\`\`\``,
    () => `~~~~ {.python}\n@${k}\n~~~\nstill code @${key()}\n~~~~`,
    () => `\`\`\`python\n@decorator\n\`\`\``,
    () => `\`\`\`{r, label=x}\n#| echo: false\n@${k}\n\`\`\``,
    () => `\`\`\`\` x @${k} \`\`\`\`\nafter @${key()}`,
    () => `    indented @${k}\n\n\tcode @${key()}`,
    () => `para\n    lazy @${k}`,
    () => `- item @${k}\n\n    continued @${key()}\n\n        code @${key()}`,
    () => `1. one\n2. two @${k}\n   - nested ${para()}`,
    () => `- \`\`\`\n  @${k}\n  \`\`\``,
    () => { const l = `ex${labels.length}`; labels.push(l); return `(@${l}) an example with @${k}`; },
    () => { const l = `lab${labels.length}`; labels.push(l); return `@${l}. another example`; },
    () => `<!--\n@${k}\n\n${para()}\n-->`,
    () => `<div title="@${k}">\n${para()}\n</div>`,
    () => `<pre>\n@${k}\n</pre>`,
    () => `\\begin{equation}\n@${k}\n\\end{equation}`,
    () => `# Heading @${k} {#sec-h${labels.length} key="@${key()}"}`,
    () => `::: {.note title="@${k}"}\n${para()}\n:::`,
    () => `> quoted @${k}\n> \`\`\`\n> @${key()}\n> \`\`\``,
    () => `[ref${labels.length}]: http://x/@${k} "t @${key()}"`,
    () => `| a @${k} | b |\n|---|---|\n| \`@x\` | @${key()} |`,
    () => `Term @${k}\n:   Definition ${para()}`,
    () => `| line block @${k}\n| and @${key()}`,
  ];
  return pick(templates)();
}

function yamlBlock(pick: Pick, key: () => string, n: number): string {
  const values = [
    `title${n}: "See @${key()} and \\\\@${key()}"`,
    `nocite${n}: |\n  @${key()} [@${key()}]`,
    `ignored${n}_: "@${key()}"`,
    `list${n}:\n  - "@${key()}"\n  - plain @${key()} # comment @${key()}`,
    `sub${n}:\n  k: '@${key()}'`,
    `email${n}: me@example.org`,
    `abstract${n}: >\n  Folded text, @${key()}, and \`@${key()}\`.`,
  ];
  return `---\n${pick(values)}\n${pick(values).replace(/^(\w+?)(\d+)/, '$1b$2')}\n---`;
}

/** `count` snippets, each a few blocks; about one in twelve is a YAML metadata block. */
export function markdownSnippets(seed: number, count: number): Snippet[] {
  const random = seededRandom(seed);
  const pick: Pick = (choices) => choices[Math.floor(random() * choices.length)];
  const labels: string[] = [];
  const key = () => pick(KEYS);
  const label = () => (labels.length > 0 && random() < 0.7 ? pick(labels) : 'ex0');
  const snippets: Snippet[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 1 / 12) { snippets.push({ text: yamlBlock(pick, key, i), yaml: true }); continue; }
    const blocks: string[] = [];
    const n = 1 + Math.floor(random() * 3);
    for (let b = 0; b < n; b++) blocks.push(block(random, pick, key, label, labels));
    snippets.push({ text: blocks.join('\n\n'), yaml: false });
  }
  return snippets;
}
