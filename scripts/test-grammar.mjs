// Grammar tests with vscode-tmgrammar-test: the digest grammar on its own, and the citation
// injection inside the real Markdown grammar (VS Code's, from the tm-grammars package). The
// Markdown grammar embeds dozens of languages we do not load; their "grammar not found" notes
// are dropped from the output.
import { spawnSync } from 'node:child_process';

const runs = [
  ['-c', 'test/grammar/*.digest.txt'],
  ['-c', '-g', 'node_modules/tm-grammars/grammars/markdown.json', 'test/grammar/*.md'],
];
let failed = false;
for (const args of runs) {
  const result = spawnSync(process.execPath, ['node_modules/vscode-tmgrammar-test/dist/unit.js', ...args], { encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line && !line.startsWith('grammar not found')).join('\n');
  console.log(output);
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
