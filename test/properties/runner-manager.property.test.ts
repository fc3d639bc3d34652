// Property: every RunnerManager prop set either fails naming its bad prop or synthesizes valid output (harness: property.ts).
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { RunnerManager } from '../../lib/runner-manager';
import { checkOutcome } from './check-outcome';
import { expectBothBranches, freshChart, params, shown, tally, TIMEOUT_MS } from './property';

test('RunnerManager', () => {
  const t = tally('RunnerManager');
  fc.assert(fc.property(shown(A.runnerManagerProps(70)), (g) => {
    const chart = freshChart();
    checkOutcome(chart, () => new RunnerManager(chart, 'Runner', g.make(chart)), g, t);
  }), params());
  expectBothBranches('RunnerManager', t);
}, TIMEOUT_MS);
