import { Size } from 'cdk8s';
import { parseQuantity, sizeToQuantity } from '../../lib/validation/quantity';

describe('Kubernetes quantities', () => {
  test.each([
    ['500m', 0.5], ['2', 2], ['1.5', 1.5], ['.5', 0.5], ['1Ki', 1024], ['512Mi', 512 * 2 ** 20], ['1Gi', 2 ** 30],
    ['1k', 1000], ['1M', 1e6], ['1e3', 1000], ['1E-3', 0.001], ['+1', 1], ['100u', 1e-4], ['0', 0],
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
});
