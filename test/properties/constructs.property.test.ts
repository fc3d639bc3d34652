// Property: bad input never becomes bad output. For every construct, at least 1,000 random prop sets
// (about half fully valid, the rest with one or two bad values of the classes in docs/bad-input.md)
// are built in a fresh chart; each must either fail with our ValidationError naming the construct path,
// the prop and the value, or synthesize output that passes every check (tools in check-outcome.ts).
//
// Deterministic: a fixed seed. To reproduce a failure, run with the seed and path fast-check prints:
//   FC_SEED=<seed> FC_PATH=<path> npx jest test/properties -t '<test name>'
import { App, Chart, Testing } from 'cdk8s';
import { ISecret, Secret } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { CalculatorPipeline } from '../../lib/calculator-pipeline';
import { DnsLookupCost } from '../../lib/dns-strategy';
import { RunnerManager } from '../../lib/runner-manager';
import { HybridStack } from '../../lib/stacks/hybrid-stack';
import { InternalStack } from '../../lib/stacks/internal-stack';
import { PublicStack } from '../../lib/stacks/public-stack';
import * as A from './arbitraries';
import { checkOutcome, classify, describeTally, Expectation, newTally, Tally } from './check-outcome';

const SEED = Number(process.env.FC_SEED ?? 20250601);
const PATH = process.env.FC_PATH;
const NUM_RUNS = Math.max(1000, Number(process.env.FC_NUM_RUNS ?? 1000));
/** Every this many valid outputs, a stack is also written to disk with app.synth() and read back. */
const DISK_EVERY = 50;
const TIMEOUT_MS = 120_000;

/** fast-check's parameters: a fixed seed (fast-check prints it with the path on failure). */
function params<T>(): fc.Parameters<T> {
  return { numRuns: NUM_RUNS, seed: SEED, path: PATH };
}

/** Gens print as their source-like text and expected faults in counterexamples. */
function shown<T>(arb: fc.Arbitrary<A.Gen<T>>): fc.Arbitrary<A.Gen<T>> {
  return arb.map((g) => Object.assign(Object.create(null), g, {
    [fc.toStringMethod]: () => `${g.show}\n    faults: ${listFaults(g.faults)}${g.mayFail.length ? `\n    may fail: ${listFaults(g.mayFail)}` : ''}`,
  }));
}

function listFaults(faults: readonly A.Fault[]): string {
  return faults.map((f) => `${f.at}: ${f.prop}`).join(' | ') || '(none)';
}

const tallies = new Map<string, Tally>();
function tally(name: string): Tally {
  const t = newTally();
  tallies.set(name, t);
  return t;
}

/** Both branches must be exercised: at least 20 % valid output and 20 % ValidationErrors (not checked when replaying one path). */
function expectBothBranches(name: string, t: Tally): void {
  if (PATH !== undefined) return;
  const summary = describeTally(name, t);
  expect({ summary, validShare: t.synthesized / t.runs >= 0.2, rejectedShare: t.rejected / t.runs >= 0.2 })
    .toEqual({ summary, validShare: true, rejectedShare: true });
}

afterAll(() => {
  // One line per property, for the run log: how many runs took each branch.
  process.stdout.write(`${[...tallies.entries()].map(([n, t]) => describeTally(n, t)).join('\n')}\n`);
});

const TOKEN = { gitlabUrl: 'https://gitlab.example.com/' };

describe('bad input never becomes bad output', () => {
  test('RunnerManager', () => {
    const t = tally('RunnerManager');
    fc.assert(fc.property(shown(A.runnerManagerProps(70)), (g) => {
      const chart = Testing.chart();
      checkOutcome(chart, () => new RunnerManager(chart, 'Runner', g.make(chart)), g, t);
    }), params());
    expectBothBranches('RunnerManager', t);
  }, TIMEOUT_MS);

  test('JobPodPolicy (new, small(), large()), consumed by a RunnerManager', () => {
    const t = tally('JobPodPolicy');
    fc.assert(fc.property(shown(A.jobPodPolicy('jobPodPolicy', 'test/Jobs', 'Jobs', 50).mixed), (g) => {
      const chart = Testing.chart();
      checkOutcome(chart, () => new RunnerManager(chart, 'Runner', {
        ...TOKEN, tokenSecret: secret(chart), jobPodPolicy: g.make(chart),
      }), g, t);
    }), params());
    expectBothBranches('JobPodPolicy', t);
  }, TIMEOUT_MS);

  test('DnsStrategy: through a RunnerManager, addCoreDnsConfigMap() and lookupCost()', () => {
    // Every DnsStrategy factory checks its options at once, under its own name (`DnsStrategy.internal`).
    const factoryOf = (g: { readonly data: unknown }) => `DnsStrategy.${(g.data as { kind: string }).kind}`;
    const [viaRunner, coreDns, lookup] = [tally('DnsStrategy via RunnerManager'), tally('DnsStrategy.addCoreDnsConfigMap'),
      tally('DnsStrategy.lookupCost')];
    const lookupOptions = fc.oneof({ weight: 4, arbitrary: A.lookupOptions.valid }, { weight: 1, arbitrary: A.lookupOptions.invalid! });
    const hosts = fc.array(fc.oneof({ weight: 3, arbitrary: A.lookupHost.filter((h) => h.data) }, A.lookupHost), { minLength: 1, maxLength: 3 });
    const arb = fc.tuple(shown(A.dnsStrategy(60)), shown(A.dnsStrategy(60, { publicCloud: 3 })), hosts, lookupOptions);
    fc.assert(fc.property(arb, ([strategy, forCoreDns, hostGens, options]) => {
      // 1. job pods' dns_policy and dns_config
      const chart = Testing.chart();
      checkOutcome(chart, () => new RunnerManager(chart, 'Runner', { ...TOKEN, tokenSecret: secret(chart), dnsStrategy: strategy.make(chart) }),
        A.stamp(strategy, factoryOf(strategy)), viaRunner);

      // 2. the CoreDNS ConfigMap: only publicCloud() changes CoreDNS
      const coreDnsChart = Testing.chart();
      // A bad strategy fails in its factory; a good one that is not publicCloud() fails at the chart.
      const expectation: Expectation = forCoreDns.data.kind === 'publicCloud'
        ? A.stamp(forCoreDns, factoryOf(forCoreDns))
        : { faults: [...A.stamp(forCoreDns, factoryOf(forCoreDns)).faults, { at: 'test', prop: 'dnsStrategy' }], mayFail: [] };
      checkOutcome(coreDnsChart, () => forCoreDns.make(coreDnsChart).addCoreDnsConfigMap(coreDnsChart), expectation, coreDns);

      // 3. lookupCost on random host names: a result, or a ValidationError
      const at = 'DnsStrategy.lookupCost';
      for (const host of hostGens) {
        const h = host.make(chart);
        const expected: Expectation = {
          faults: [...A.stamp(strategy, factoryOf(strategy)).faults, ...A.stamp(host, at).faults, ...A.stamp(options, at).faults],
          mayFail: [],
        };
        classify(() => strategy.make(chart).lookupCost(h, options.make(chart)), expected, lookup, (r) => checkLookup(h, r));
      }
    }), params());
    expectBothBranches('DnsStrategy via RunnerManager', viaRunner);
    expectBothBranches('DnsStrategy.addCoreDnsConfigMap', coreDns);
    expectBothBranches('DnsStrategy.lookupCost', lookup);
  }, TIMEOUT_MS);

  test('CiNodePool with capacity planning, consumed by a RunnerManager', () => {
    const t = tally('CiNodePool');
    const runner = A.runnerAround({
      nodePool: { valid: A.ciNodePool('nodePool', 'test/Pool', 'Pool', 60).mixed },
      replicas: A.optional({ valid: A.int('replicas', 1, undefined, 3).valid }),
      concurrent: A.optional({ valid: A.int('concurrent', 1, undefined, 6).valid }),
      limit: A.optional({ valid: A.int('limit', 0, undefined, 4).valid }),
      overCommit: A.optional({ valid: A.bool('overCommit').valid }, 3, 1),
      jobPodPolicy: A.optional({ valid: A.jobPodPolicy('jobPodPolicy', 'test/Jobs', 'Jobs').valid }),
    }, 100);
    fc.assert(fc.property(shown(runner), (g) => {
      const chart = Testing.chart();
      checkOutcome(chart, () => new RunnerManager(chart, 'Runner', g.make(chart)), g, t);
    }), params());
    expectBothBranches('CiNodePool', t);
  }, TIMEOUT_MS);

  test('CalculatorApp', () => {
    const t = tally('CalculatorApp');
    fc.assert(fc.property(shown(A.calculatorApp('app', 'test/Calculator', 'Calculator', 50).mixed), (g) => {
      const chart = Testing.chart();
      checkOutcome(chart, () => g.make(chart), g, t);
    }), params());
    expectBothBranches('CalculatorApp', t);
  }, TIMEOUT_MS);

  test('CalculatorPipeline with its runner (including DinD on an unprivileged runner)', () => {
    const t = tally('CalculatorPipeline');
    fc.assert(fc.property(shown(A.calculatorPipelineProps(50)), (g) => {
      const chart = Testing.chart();
      checkOutcome(chart, () => new CalculatorPipeline(chart, 'Pipeline', g.make(chart)), g, t);
    }), params());
    expectBothBranches('CalculatorPipeline', t);
  }, TIMEOUT_MS);

  const STACKS = [
    ['InternalStack', 'internal', 'staging', (app: App, id: string, props: any) => new InternalStack(app, id, props)],
    ['PublicStack', 'public', 'cloud', (app: App, id: string, props: any) => new PublicStack(app, id, props)],
    ['HybridStack', 'hybrid', 'edge', (app: App, id: string, props: any) => new HybridStack(app, id, props)],
  ] as const;
  test.each(STACKS)('%s with random props', (name, kind, id, create) => {
    const t = tally(name);
    // Valid outputs of both shapes: the platform alone, and with the sample app, its pipeline and its chart.
    const shapes = { withApp: 0, platformOnly: 0 };
    fc.assert(fc.property(shown(A.stackProps(kind, id, 70)), (g) => {
      const app = Testing.app();
      const outcome = checkOutcome(app, () => create(app, id, g.make(app)), g, t, { synthToDisk: t.synthesized % DISK_EVERY === 0 });
      if (outcome === 'synthesized') shapes[g.data.sampleApp === undefined ? 'platformOnly' : 'withApp']++;
    }), params());
    expectBothBranches(name, t);
    if (PATH === undefined) {
      expect({ shapes, both: Math.min(shapes.withApp, shapes.platformOnly) >= 0.2 * t.synthesized })
        .toEqual({ shapes, both: true });
    }
  }, TIMEOUT_MS);
});

/** The token Secret every RunnerManager needs. */
function secret(chart: Chart): ISecret {
  return Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token');
}

/** A lookup result must be self-consistent: names tried end in the name as given, counts agree, no NaN. */
function checkLookup(host: string, r: DnsLookupCost): string[] {
  const problems: string[] = [];
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (r.host !== host) problems.push(`host ${JSON.stringify(r.host)} is not the one asked for`);
  if (!Array.isArray(r.attempts) || r.attempts.length === 0) return [...problems, 'no attempts'];
  if (r.attempts.some((a) => typeof a !== 'string' || !a.endsWith('.') || a.includes('..'))) problems.push(`malformed attempts ${JSON.stringify(r.attempts)}`);
  if (r.attempts[r.attempts.length - 1] !== `${name}.`) problems.push(`the last attempt is not ${name}.`);
  if (host.endsWith('.') && r.attempts.length !== 1) problems.push('an absolute name is tried more than once');
  if (r.queriesBeforeAnswer !== r.attempts.length - 1) problems.push('queriesBeforeAnswer disagrees with attempts');
  if (!Number.isInteger(r.ndots) || r.ndots < 0 || r.ndots > 15) problems.push(`ndots ${r.ndots}`);
  const delay = r.firstNameserverDownDelaySeconds;
  if (Number.isNaN(delay) || delay < 0) problems.push(`delay ${delay}`);
  if (typeof r.model !== 'string' || r.model === '' || /undefined|NaN/.test(r.model)) problems.push(`model ${JSON.stringify(r.model)}`);
  return problems;
}
