import { ValidationError } from '../../lib/validation/errors';
import { firstAggregatedError, parseValidationError } from './validation-errors';

describe('parseValidationError', () => {
  test('gives back path, prop, value and expectation of a ValidationError message', () => {
    const original = new ValidationError('test/Net', 'gitlab.ports', [8443], 'ports within internetPorts (80, 443)');
    const parsed = parseValidationError(original.message)!;
    expect(parsed).toBeInstanceOf(ValidationError);
    expect({ ...parsed, message: parsed.message }).toMatchObject({
      constructPath: 'test/Net', prop: 'gitlab.ports', value: [8443], expected: 'ports within internetPorts (80, 443)', message: original.message,
    });
    expect(parseValidationError('test/x: invalid a: got undefined; expected b')!.value).toBeUndefined();
    expect(parseValidationError('something else')).toBeUndefined();
  });

  test('firstAggregatedError reads the first entry of cdk8s\' gathered error', () => {
    const first = new ValidationError('test/Net', 'cache', 's3.amazonaws.com', 'an address range');
    const gathered = new Error(`Validation failed with the following errors:\n  [test/Net] ${first.message}\n  [test/Net] test/Net: invalid x: got 1; expected 2`);
    expect(firstAggregatedError(gathered)?.prop).toBe('cache');
    expect(firstAggregatedError(new Error('boom'))).toBeUndefined();
  });
});
