import { Size } from 'cdk8s';
import { MAX_AMOUNT, parseQuantity, sizeToQuantity, wholeAmount } from '../../lib/validation/quantity';

describe('Kubernetes quantities', () => {
  test.each([
    ['500m', 0.5], ['2', 2], ['1.5', 1.5], ['.5', 0.5], ['1Ki', 1024], ['512Mi', 512 * 2 ** 20], ['1Gi', 2 ** 30],
    ['1k', 1000], ['1M', 1e6], ['1e3', 1000], ['1E-3', 0.001], ['+1', 1], ['100u', 1e-4], ['0', 0],
    // "E" and "Ei" are suffixes, not exponents.
    ['1E', 1e18], ['2Ei', 2 ** 61],
  ])('parses %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  test.each(['', '1GB', '1 Gi', 'Gi', '1.2.3', 'one', '1mi', '--1', '1e'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('renders sizes as the largest exact binary unit', () => {
    expect(sizeToQuantity(Size.gibibytes(2))).toBe('2Gi');
    expect(sizeToQuantity(Size.mebibytes(1536))).toBe('1536Mi');
    expect(sizeToQuantity(Size.mebibytes(1024))).toBe('1Gi');
    expect(sizeToQuantity(Size.kibibytes(100))).toBe('100Ki');
    expect(() => sizeToQuantity(Size.kibibytes(0.5))).toThrow(/whole number of kibibytes/);
  });

  test('rejects sizes beyond the exact range', () => {
    expect(sizeToQuantity(Size.kibibytes(2 ** 43 - 1))).toBe('8796093022207Ki');
    expect(() => sizeToQuantity(Size.gibibytes(2 ** 23))).toThrow(`more than ${MAX_AMOUNT} bytes`);
    expect(() => sizeToQuantity(Size.gibibytes(2 ** 60))).toThrow(`more than ${MAX_AMOUNT} bytes`);
  });

  test.each([
    ['500m', -3, 500], ['2', -3, 2000], ['1.5', -3, 1500], ['.5', -3, 500], ['1e3', -3, 1000000], ['1e-3', -3, 1], ['0', -3, 0], ['-0', -3, 0],
    ['9007199254740991m', -3, MAX_AMOUNT], ['1Gi', 0, 2 ** 30], ['1.5Gi', 0, 1.5 * 2 ** 30], ['7Pi', 0, 7 * 2 ** 50], ['100k', 0, 100000],
  ])('%s is exactly %d-scaled %d', (text, exponent, amount) => {
    expect(wholeAmount(text, exponent)).toBe(amount);
  });

  test.each([
    ['0.5m', -3, 'finer than the unit'], ['1E-4', -3, 'finer than the unit'], ['1e+30', -3, 'beyond MAX_AMOUNT'], ['9007199254740992m', -3, 'beyond MAX_AMOUNT'],
    ['1Ei', 0, 'beyond MAX_AMOUNT'], ['8Pi', 0, 'beyond MAX_AMOUNT'], ['1e999999999', -3, 'a huge exponent'], ['1e-999999999', -3, 'a tiny exponent'], ['-1', -3, 'negative'],
    ['1.0000000000000001e+33m', -3, 'no quantity'], ['1e+21m', -3, 'no quantity'], ['', -3, 'no quantity'],
  ])('%s has no exact %d-scaled amount (%s)', (text, exponent) => {
    expect(wholeAmount(text, exponent)).toBeUndefined();
  });
});
