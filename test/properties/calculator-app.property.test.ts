// Property: every CalculatorApp prop set either fails naming its bad prop or synthesizes valid output.
import * as fc from 'fast-check';
import * as A from './arbitraries';
import { checkOutcome } from './check-outcome';
import { expectBothBranches, freshChart, params, shown, tally, TIMEOUT_MS } from './property';

test('CalculatorApp', () => {
  const t = tally('CalculatorApp');
  fc.assert(fc.property(shown(A.calculatorApp('app', 'test/Calculator', 'Calculator', 50).mixed), (g) => {
    const chart = freshChart();
    checkOutcome(chart, () => g.make(chart), g, t);
  }), params());
  expectBothBranches('CalculatorApp', t);
}, TIMEOUT_MS);
