/**
 * The long protocol fuzz run (issue 16): `npm run fuzz -- --steps 10000 --seeds 3`. Each seed's
 * steps are played in rounds (`--round`, 500 steps by default) against a real server over stdio,
 * each round ending in a comparison with a fresh server on its final files; a drifting or failing
 * round is shrunk to a small reproduction (at most `--shrink` of them, `--shrink-seconds` each).
 * Prints steps, seeds, drift, errors, p95 request latency and each reproduction; exits 1 on any
 * drift or error. `--replay FILE` plays a printed reproduction's steps again.
 */
import { readFileSync } from 'node:fs';
import { describeReproduction, fuzz, FuzzResult, percentile95, runSteps, stepsFromJson } from '../test/lsp/protocolFuzzer';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} takes a whole number, not ${process.argv[at + 1]}`);
    process.exit(2);
  }
  return value;
}

const steps = option('steps', 10_000);
const seeds = option('seeds', 3);
const firstSeed = option('first-seed', 1);
const round = Math.max(1, option('round', 500));
const shrinkLimit = option('shrink', 3);
const shrinkSeconds = option('shrink-seconds', 300);

/** `--replay FILE`: plays the steps of a reproduction once and prints what differs. */
async function replay(file: string): Promise<void> {
  const outcome = await runSteps(stepsFromJson(readFileSync(file, 'utf8')));
  console.log(`${outcome.applied} steps applied, ${outcome.differences.length} differences, ${outcome.errors.length} errors, ${outcome.explained.length} explained by the key rule`);
  for (const line of [...outcome.differences, ...outcome.errors]) console.log(`  ${line}`);
  for (const line of outcome.explained) console.log(`  explained: ${line}`);
  process.exitCode = outcome.differences.length > 0 || outcome.errors.length > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: FuzzResult[] = [];
  let shrunk = 0;
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    for (let done = 0, part = 0; done < steps; done += round, part++) {
      // Each round its own seed, derived from the seed's: rounds replay alone.
      const roundSeed = seed * 100_000 + part;
      const budgetMs = shrunk < shrinkLimit ? shrinkSeconds * 1000 : 0;
      const result = await fuzz(roundSeed, Math.min(round, steps - done), { budgetMs, log: (line) => console.log(line) });
      if (result.reproduction && budgetMs > 0) shrunk++;
      results.push(result);
      const { differences, errors } = result.outcome;
      console.log(`seed ${seed} round ${part} (seed ${roundSeed}): ${result.steps.length} steps, ${result.outcome.applied} applied, ${differences.length} differences, ${errors.length} errors, ${(result.durationMs / 1000).toFixed(1)} s`);
      if (result.reproduction) console.log(describeReproduction(result));
    }
  }

  const latencies = results.flatMap((result) => result.outcome.latenciesMs);
  const drifting = results.filter((result) => result.outcome.differences.length > 0);
  const errors = results.reduce((sum, result) => sum + result.outcome.errors.length, 0);
  const explained = results.filter((result) => result.outcome.explained.length > 0);
  console.log([
    '',
    `steps: ${results.reduce((sum, result) => sum + result.steps.length, 0)} (${seeds} seeds from ${firstSeed}, rounds of ${round})`,
    `drift: ${drifting.length} of ${results.length} rounds (${drifting.reduce((sum, result) => sum + result.outcome.differences.length, 0)} differing facets)`,
    `explained by the key rule (a cited key both servers report ambiguous, naming different papers): ${explained.length} rounds${explained.length ? ` (${explained.flatMap((result) => result.outcome.explained.map((line) => `seed ${result.seed}: ${line}`)).join('; ')})` : ''}`,
    `errors: ${errors}`,
    `requests: ${latencies.length}, p95 latency ${percentile95(latencies).toFixed(1)} ms`,
    `time: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ].join('\n'));
  process.exitCode = drifting.length > 0 || errors > 0 ? 1 : 0;
}

const replayAt = process.argv.indexOf('--replay');
void (replayAt >= 0 ? replay(process.argv[replayAt + 1]) : main());
