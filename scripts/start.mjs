// `npm start`: runs the product on the bundled sample workspace `samples/`. Until the editor client
// lands, that is the command-line tool: every paper with its key, a search, and a check of the note.
import { spawnSync } from 'node:child_process';

const run = (...args) => {
  console.log(`\n$ litdigest ${args.join(' ')}`);
  const { status } = spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' });
  return status;
};

run('keys', 'samples');
run('search', 'tulu dpo', 'samples', '--limit', '5');
const status = run('check', 'samples/notes/alignment.md', '--digests', 'samples');
process.exitCode = status === 1 ? 0 : status ?? 1;
