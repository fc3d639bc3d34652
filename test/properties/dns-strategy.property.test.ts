// Property: every DnsStrategy, through a RunnerManager, addCoreDnsConfigMap() and lookupCost(), either fails naming its bad option or gives valid output.
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { DnsLookupCost } from '../../lib/dns-strategy';
import { RunnerManager } from '../../lib/runner-manager';
import { checkOutcome, classify, Expectation } from './check-outcome';
import { expectBothBranches, freshChart, params, secret, shown, tally, TIMEOUT_MS, TOKEN } from './property';

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
    const chart = freshChart();
    checkOutcome(chart, () => new RunnerManager(chart, 'Runner', { ...TOKEN, tokenSecret: secret(chart), dnsStrategy: strategy.make(chart) }),
      A.stamp(strategy, factoryOf(strategy)), viaRunner);

    // 2. the CoreDNS ConfigMap: only publicCloud() changes CoreDNS
    const coreDnsChart = freshChart();
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
