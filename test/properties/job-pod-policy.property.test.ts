// Property: every JobPodPolicy (new, small(), large()) consumed by a RunnerManager either fails naming its bad prop or synthesizes valid output.
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { RunnerManager } from '../../lib/runner-manager';
import { checkOutcome } from './check-outcome';
import { expectBothBranches, freshChart, params, secret, shown, tally, TIMEOUT_MS, TOKEN } from './property';

test('JobPodPolicy (new, small(), large()), consumed by a RunnerManager', () => {
  const t = tally('JobPodPolicy');
  fc.assert(fc.property(shown(A.jobPodPolicy('jobPodPolicy', 'test/Jobs', 'Jobs', 50).mixed), (g) => {
    const chart = freshChart();
    checkOutcome(chart, () => new RunnerManager(chart, 'Runner', {
      ...TOKEN, tokenSecret: secret(chart), jobPodPolicy: g.make(chart),
    }), g, t);
  }), params());
  expectBothBranches('JobPodPolicy', t);
}, TIMEOUT_MS);
