import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_FILE_KIND_SETTINGS, FileClassifier, looksLikeDigest } from '../../server/src/loading/fileClassifier';
import { createNodeFileSystem } from '../../server/src/loading/nodeFileSystem';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { FileSystem, loadWorkspace } from '../../server/src/loading/workspaceLoader';

const ENTRY = '3 Zero Bubble Pipeline Parallelism Pipeline parallelism is key. 4 authors · Nov 30, 2023';

/** Every folder tree() made: removed when the file's tests end (each run left them in the temporary folder). */
const made: string[] = [];
after(() => { for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'litdigest-ws-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('finding digests and notes', () => {
  it('reads digests by name or by content, notes by extension, and skips node_modules and .git', async () => {
    const root = tree({
      'a.digest': ENTRY,
      'b.digest.txt': ENTRY.replace('Zero', 'One'),
      'pasted.txt': `# my list\n\n${ENTRY.replace('Zero', 'Two')}`,
      'shopping.txt': 'milk\neggs\n',
      'notes/n.md': '@zero-bubble-pipeline2023',
      'notes/n.tex': '\\cite{x}',
      'node_modules/pkg/c.digest': ENTRY.replace('Zero', 'Three'),
      '.git/d.digest': ENTRY.replace('Zero', 'Four'),
    });
    const index = new WorkspaceIndex();
    const report = await loadWorkspace(index, createNodeFileSystem((p) => p.slice(root.length + 1)), new FileClassifier(), [root]);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(index.allFiles().map((f) => `${f.kind} ${f.uri}`).sort(), ['digest a.digest', 'digest b.digest.txt', 'digest pasted.txt', 'note notes/n.md', 'note notes/n.tex']);
  });

  it('survives a symlink loop, a folder named like a digest, binary data and a file too large', async () => {
    const root = tree({ 'a.digest': ENTRY, 'sub/b.md': '@x', 'bin.digest': '\u0000\u0001\u0002' });
    symlinkSync(root, join(root, 'sub', 'loop'));
    mkdirSync(join(root, 'dir.digest'));
    writeFileSync(join(root, 'big.digest'), ENTRY.repeat(10));
    const index = new WorkspaceIndex();
    const classifier = new FileClassifier({ ...DEFAULT_FILE_KIND_SETTINGS, maxFileSize: 500 });
    const report = await loadWorkspace(index, createNodeFileSystem((p) => p.slice(root.length + 1)), classifier, [root]);
    const messages = report.problems.map((p) => `${p.path.slice(root.length + 1)}: ${p.code}: ${p.message}`).sort();
    assert.deepEqual(messages, [
      'big.digest: too-large: is 890 bytes, over the limit of 500 bytes (setting maxFileSize); skipped',
      'bin.digest: binary: binary data (a NUL byte), not a text file; skipped',
      'dir.digest: folder-named-like-file: is a folder named like a digest or note; its contents are still searched',
    ]);
    assert.deepEqual(index.allFiles().map((f) => f.uri).sort(), ['a.digest', 'sub/b.md']);
  });

  it('reports a file deleted while indexing and one it may not read, and indexes the rest', async () => {
    const files: Record<string, string> = { '/w/a.digest': ENTRY, '/w/gone.digest': ENTRY, '/w/locked.md': '@x' };
    const error = (code: string) => Object.assign(new Error(code), { code });
    const fs: FileSystem = {
      stat: async (path) => ({ isFile: path !== '/w', isDirectory: path === '/w', size: 10, mtimeMs: 0 }),
      readDirectory: async () => Object.keys(files).map((path) => ({ name: path.slice(3), isFile: true, isDirectory: false, isSymbolicLink: false })),
      readFile: async (path) => {
        if (path.endsWith('gone.digest')) throw error('ENOENT');
        if (path.endsWith('locked.md')) throw error('EACCES');
        return new TextEncoder().encode(files[path]);
      },
      realPath: async (path) => path,
      uriOf: (path) => path,
      join: (folder, name) => `${folder}/${name}`,
      relative: (root, path) => path.slice(root.length + 1),
    };
    const index = new WorkspaceIndex();
    const report = await loadWorkspace(index, fs, new FileClassifier(), ['/w']);
    assert.deepEqual(report.problems, [
      { path: '/w/gone.digest', code: 'unreadable', message: 'no such file or folder (it may have been deleted or renamed)' },
      { path: '/w/locked.md', code: 'unreadable', message: 'permission denied' },
    ]);
    assert.deepEqual(index.allFiles().map((f) => f.uri), ['/w/a.digest']);
  });

  it('decodes invalid UTF-8 with replacement characters and says so', async () => {
    const root = tree({});
    // A Latin-1 é (0xE9) inside otherwise valid UTF-8.
    writeFileSync(join(root, 'latin1.digest'), Buffer.concat([Buffer.from('3 Z'), Buffer.from([0xe9]), Buffer.from(ENTRY.slice(4))]));
    const index = new WorkspaceIndex();
    const report = await loadWorkspace(index, createNodeFileSystem((p) => p.slice(root.length + 1)), new FileClassifier(), [root]);
    assert.equal(report.problems[0].code, 'invalid-utf8');
    assert.match(report.problems[0].message, /not valid UTF-8/);
    assert.match(index.digest('latin1.digest')!.digest.entries[0].title, /^Z\ufffdro Bubble/);
  });
});

describe('recognising pasted listings', () => {
  it('reads the next file while it parses one, and applies them in the order of the walk', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const root = tree(Object.fromEntries(names.map((name) => [`${name}.digest`, ENTRY.replace('Zero', name.toUpperCase())])));
    const disk = createNodeFileSystem((p) => p.slice(root.length + 1));
    let reading = 0;
    let mostAtOnce = 0;
    const finished: string[] = [];
    const watched: FileSystem = {
      ...disk,
      async readFile(path) {
        reading++;
        mostAtOnce = Math.max(mostAtOnce, reading);
        // The first file's read finishes last: the order of the walk must still win.
        if (path.endsWith('a.digest')) await new Promise((resolve) => setTimeout(resolve, 30));
        try {
          return await disk.readFile(path);
        } finally {
          reading--;
          finished.push(path.slice(root.length + 1));
        }
      },
    };
    const index = new WorkspaceIndex();
    const report = await loadWorkspace(index, watched, new FileClassifier(), [root]);
    assert.equal(report.digests, names.length);
    assert.equal(mostAtOnce, 2);
    assert.notEqual(finished[0], 'a.digest');
    assert.deepEqual(index.allFiles().map((file) => file.uri), names.map((name) => `${name}.digest`));
  });

  it('needs most of the first lines to be entries', () => {
    assert.equal(looksLikeDigest(`\ufeff# heading\n${ENTRY}\n${ENTRY}`), true);
    assert.equal(looksLikeDigest('Dear diary,\ntoday I read 3 papers.\n'), false);
    assert.equal(looksLikeDigest(''), false);
  });
});
