// Property: every CalculatorPipeline with its runner (DinD on an unprivileged runner included) either fails naming its bad prop or synthesizes valid output.
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { CalculatorPipeline } from '../../lib/calculator-pipeline';
import { checkOutcome } from './check-outcome';
import { expectBothBranches, freshChart, params, shown, tally, TIMEOUT_MS } from './property';

test('CalculatorPipeline with its runner (including DinD on an unprivileged runner)', () => {
  const t = tally('CalculatorPipeline');
  fc.assert(fc.property(shown(A.calculatorPipelineProps(50)), (g) => {
    const chart = freshChart();
    checkOutcome(chart, () => new CalculatorPipeline(chart, 'Pipeline', g.make(chart)), g, t);
  }), params());
  expectBothBranches('CalculatorPipeline', t);
}, TIMEOUT_MS);
