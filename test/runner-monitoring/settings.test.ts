import { positive } from '../../lib/runner-monitoring/settings';
import { PropChecker } from '../../lib/validation/prop-checker';

describe('positive', () => {
  const check = new PropChecker('test/Monitoring');

  test('a positive finite number passes as it is', () => {
    expect(positive(check, 'errorsPerMinute', 0.5)).toBe(0.5);
    expect(positive(check, 'errorsPerMinute', 3)).toBe(3);
  });

  test.each([0, -1, Infinity, NaN, '1'])('fails on %p, naming the prop', (value) => {
    expect(() => positive(check, 'errorsPerMinute', value as number))
      .toThrow(/^test\/Monitoring: invalid errorsPerMinute: got .*; expected a positive number, e.g. 1/);
  });
});
