// The harness of the property tests (one file per construct or stack, so that jest runs them on
// every core): bad input never becomes bad output. For every construct, at least 1,000 random prop
// sets (about half fully valid, the rest with one or two bad values of the classes in
// docs/bad-input.md) are built in a fresh chart; each must either fail with our ValidationError
// naming the construct path, the prop and the value, or synthesize output that passes every check
// (tools in check-outcome.ts).
//
// Deterministic: a fixed seed. To reproduce a failure, run with the seed and path fast-check prints:
//   FC_SEED=<seed> FC_PATH=<path> npx jest test/properties -t '<test name>'
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ISecret, Secret } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { describeTally, newTally, Tally } from './check-outcome';

const SEED = Number(process.env.FC_SEED ?? 20250601);
export const PATH = process.env.FC_PATH;
const NUM_RUNS = Math.max(1000, Number(process.env.FC_NUM_RUNS ?? 1000));
export const TIMEOUT_MS = 120_000;

/** fast-check's parameters: a fixed seed (fast-check prints it with the path on failure). */
export function params<T>(): fc.Parameters<T> {
  return { numRuns: NUM_RUNS, seed: SEED, path: PATH };
}

/** Gens print as their source-like text and expected faults in counterexamples. */
export function shown<T>(arb: fc.Arbitrary<A.Gen<T>>): fc.Arbitrary<A.Gen<T>> {
  return arb.map((g) => Object.assign(Object.create(null), g, {
    [fc.toStringMethod]: () => `${g.show}\n    faults: ${listFaults(g.faults)}${g.mayFail.length ? `\n    may fail: ${listFaults(g.mayFail)}` : ''}`,
  }));
}

function listFaults(faults: readonly A.Fault[]): string {
  return faults.map((f) => `${f.at}: ${f.prop}`).join(' | ') || '(none)';
}

const tallies = new Map<string, Tally>();

/** A new tally for a property; the file prints every tally when it ends. */
export function tally(name: string): Tally {
  const t = newTally();
  tallies.set(name, t);
  return t;
}

afterAll(() => {
  // One line per property, for the run log: how many runs took each branch.
  if (tallies.size > 0) process.stdout.write(`${[...tallies.entries()].map(([n, t]) => describeTally(n, t)).join('\n')}\n`);
});

/** Both branches must be exercised: at least 20 % valid output and 20 % ValidationErrors (not checked when replaying one path). */
export function expectBothBranches(name: string, t: Tally): void {
  if (PATH !== undefined) return;
  const summary = describeTally(name, t);
  expect({ summary, validShare: t.synthesized / t.runs >= 0.2, rejectedShare: t.rejected / t.runs >= 0.2 })
    .toEqual({ summary, validShare: true, rejectedShare: true });
}

export const TOKEN = { gitlabUrl: 'https://gitlab.example.com/' };

/** The token Secret every RunnerManager needs. */
export function secret(chart: Chart): ISecret {
  return Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token');
}

// Apps whose output directory is created only when a run writes files (most never do): a temp dir
// per run, as `Testing.app()` makes, costs a mkdir and an rmdir each.
const OUTDIR_BASE = path.join(os.tmpdir(), `cdk8s-properties-${process.pid}`);
let apps = 0;

/** A fresh app for one run; its output directory does not exist until something is written. */
export function freshApp(): App {
  return new App({ outdir: path.join(OUTDIR_BASE, String(++apps)) });
}

/** A fresh chart `test` in a fresh app, as `Testing.chart()` but without the temp dir. */
export function freshChart(): Chart {
  return new Chart(freshApp(), 'test');
}

afterAll(() => fs.rmSync(OUTDIR_BASE, { recursive: true, force: true }));
