import { describeValue, userErrorText, ValidationError, ValidationErrors } from '../../lib/validation/errors';

describe('ValidationError', () => {
  test('names path, prop, value and what is valid; TypeScript can test it with instanceof', () => {
    const error = new ValidationError('ci/Runner', 'replicas', 0, 'at least 1');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('ci/Runner: invalid replicas: got 0; expected at least 1');
    expect([error.constructPath, error.prop, error.value, error.expected]).toEqual(['ci/Runner', 'replicas', 0, 'at least 1']);
  });

  test('ValidationErrors.isValidationError() tells it from other errors, for languages without instanceof', () => {
    expect(ValidationErrors.isValidationError(new ValidationError('a', 'b', 1, 'c'))).toBe(true);
    expect(ValidationErrors.isValidationError(new Error('a: invalid b: got 1; expected c'))).toBe(false);
    expect(ValidationErrors.isValidationError('ValidationError')).toBe(false);
  });

  test('userErrorText(): a ValidationError and cdk8s\'s list of failed validations as error lines, anything else undefined', () => {
    expect(ValidationErrors.userErrorText(new ValidationError('a', 'b', 1, 'c'))).toBe('error: a: invalid b: got 1; expected c');
    expect(userErrorText(new Error('Validation failed with the following errors:\n  [ci/A] first\n  [] second')))
      .toBe('error: [ci/A] first\nerror: second');
    expect(userErrorText(new TypeError('x is undefined'))).toBeUndefined();
  });

  test('describeValue() prints JSON, quantities by their amount, never [object Object]', () => {
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(function named() { return 1; })).toBe('function named');
  });
});
