/** `litdigest import FILE... [--into DIGEST]`: Hugging Face Papers API responses as digest entries. */
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { captureYearOfFile } from '../../digest/dates';
import { ApiPaper, readApiResponse } from '../../huggingface/apiRecords';
import { applyLineEdits, planImport } from '../../huggingface/digestImport';
import { decodeContent } from '../../loading/fileContent';
import { describeError } from '../../loading/workspaceLoader';
import { ParsedArguments, UsageError } from '../arguments';
import { CliWorkspace, displayPath, Output } from '../cliWorkspace';

export async function importCommand(args: ParsedArguments, workspace: CliWorkspace, output: Output): Promise<void> {
  if (args.positional.length === 0) throw new UsageError('import needs at least one API response file (JSON or JSON Lines)');
  if (args.into && args.positional.some((file) => nodePath.resolve(file) === nodePath.resolve(args.into!))) {
    throw new UsageError(`--into ${args.into} is one of the inputs; choose another file`);
  }
  const papers: ApiPaper[] = [];
  for (const raw of args.positional) {
    const path = displayPath(raw);
    let text: string;
    try {
      const decoded = decodeContent(await workspace.fs.readFile(path));
      if (!decoded.ok) { workspace.report({ path, code: decoded.code, message: `${decoded.reason}; skipped` }); continue; }
      text = decoded.text;
    } catch (error) {
      workspace.report({ path, code: 'unreadable', message: describeError(error) });
      continue;
    }
    const read = readApiResponse(text);
    for (const problem of read.problems) {
      // A record that cannot be read is input lost: it counts as a failure (exit 2), the rest is imported.
      workspace.report({ path: problem.record !== undefined ? `${path}: record ${problem.record}` : path, code: 'unreadable', message: problem.message });
    }
    papers.push(...read.papers);
  }
  if (!args.into) {
    const text = applyLineEdits('', planImport('', papers).edits);
    if (text) output.out(text.replace(/\n$/, ''));
    return;
  }
  const target = displayPath(args.into);
  let before = '';
  let captureYear: number | undefined;
  try {
    const stat = await fsp.stat(target);
    if (stat.isDirectory()) throw new UsageError(`--into ${args.into} is a folder; name a digest file`);
    const decoded = decodeContent(await fsp.readFile(target));
    if (!decoded.ok || decoded.warning) {
      // Writing back text that did not decode cleanly would lose bytes.
      workspace.report({ path: target, code: decoded.ok ? 'invalid-utf8' : decoded.code, message: `${decoded.ok ? decoded.warning : decoded.reason}; nothing imported into it` });
      return;
    }
    before = decoded.text;
    captureYear = captureYearOfFile(stat.mtimeMs);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      workspace.report({ path: target, code: 'unreadable', message: describeError(error) });
      return;
    }
  }
  const plan = planImport(before, papers, { fallbackCaptureYear: captureYear });
  const after = applyLineEdits(before, plan.edits);
  if (after !== before) {
    // Written whole to a file beside it, then renamed: an interrupted import leaves the digest as it was.
    const temporary = `${target}.litdigest-${process.pid}.tmp`;
    await fsp.writeFile(temporary, after);
    await fsp.rename(temporary, target);
  }
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  output.err(`litdigest: ${target}: ${count(plan.added, 'paper')} added, metadata filled in for ${count(plan.filled, 'paper')}, ${count(plan.unchanged, 'paper')} already complete`);
}
