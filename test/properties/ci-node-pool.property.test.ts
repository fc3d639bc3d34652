// Property: every CiNodePool with capacity planning, consumed by a RunnerManager, either fails naming its bad prop or synthesizes valid output.
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { RunnerManager } from '../../lib/runner-manager';
import { checkOutcome } from './check-outcome';
import { expectBothBranches, freshChart, params, shown, tally, TIMEOUT_MS } from './property';

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
    const chart = freshChart();
    checkOutcome(chart, () => new RunnerManager(chart, 'Runner', g.make(chart)), g, t);
  }), params());
  expectBothBranches('CiNodePool', t);
}, TIMEOUT_MS);
