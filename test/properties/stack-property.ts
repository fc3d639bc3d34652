import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import * as A from './arbitraries';
import { checkOutcome } from './check-outcome';
import { expectBothBranches, freshApp, params, PATH, shown, tally, TIMEOUT_MS } from './property';

/** Every this many valid outputs, a stack is also written to disk with writeFiles() and read back. */
const DISK_EVERY = 50;

/** The property of one stack kind: random props, each run in a fresh app, valid outputs of both shapes. */
export function stackProperty(name: string, kind: A.StackKind, id: string, create: (app: App, id: string, props: any) => EnvironmentStack): void {
  test(`${name} with random props`, () => {
    const t = tally(name);
    // Valid outputs of both shapes: the platform alone, and with the sample app, its pipeline and its chart.
    const shapes = { withApp: 0, platformOnly: 0 };
    fc.assert(fc.property(shown(A.stackProps(kind, id, 70)), (g) => {
      const app = freshApp();
      const outcome = checkOutcome(app, () => create(app, id, g.make(app)), g, t, { synthToDisk: t.synthesized % DISK_EVERY === 0 });
      if (outcome === 'synthesized') shapes[g.data.sampleApp === undefined ? 'platformOnly' : 'withApp']++;
    }), params());
    expectBothBranches(name, t);
    if (PATH === undefined) {
      expect({ shapes, both: Math.min(shapes.withApp, shapes.platformOnly) >= 0.2 * t.synthesized })
        .toEqual({ shapes, both: true });
    }
  }, TIMEOUT_MS);
}
