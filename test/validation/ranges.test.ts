import { boundsOf, HELM_PRINTED_MAX, helmPrintedOverflows, INT32_MAX, INT32_MIN } from '../../lib/validation/ranges';

describe('ranges', () => {
  test('bounds: int32 unless int64, described as a range when both ends are given', () => {
    expect(boundsOf({})).toEqual({ min: INT32_MIN, max: INT32_MAX, text: ` >= ${INT32_MIN} and <= ${INT32_MAX} (int32)` });
    expect(boundsOf({ min: 1 })).toEqual({ min: 1, max: INT32_MAX, text: ` >= 1 and <= ${INT32_MAX} (int32)` });
    expect(boundsOf({ min: 1, max: 100 })).toEqual({ min: 1, max: 100, text: ' from 1 to 100' });
    expect(boundsOf({ int64: true, min: 0 }))
      .toEqual({ min: 0, max: Number.MAX_SAFE_INTEGER, text: ` >= 0 and <= ${Number.MAX_SAFE_INTEGER} (int64, exact)` });
  });

  test('a bound beyond the type is a programming error, not a validation error', () => {
    expect(() => boundsOf({ max: INT32_MAX + 1 })).toThrow('IntegerRange bound 2147483648 is outside int32; pass int64: true');
    expect(() => boundsOf({ min: INT32_MIN - 1 })).toThrow('outside int32');
    expect(() => boundsOf({ int64: true, max: 2 ** 53 })).toThrow('outside int64, exact');
    expect(() => boundsOf({ int64: true, max: INT32_MAX + 1 })).not.toThrow();
  });

  test('printed numbers: the keys above the limit (either sign), in the table\'s order, nested keys by dotted path', () => {
    expect(helmPrintedOverflows({ replicas: HELM_PRINTED_MAX, concurrent: -HELM_PRINTED_MAX, metrics: { port: 9252 } })).toEqual([]);
    expect(helmPrintedOverflows({ metrics: { port: 1e6 }, concurrent: -1e6, other: 1e9, checkInterval: '1000000' })).toEqual([
      { key: 'concurrent', value: -1e6, template: 'templates/configmap.yaml' },
      { key: 'metrics.port', value: 1e6, template: 'templates/configmap.yaml, deployment.yaml, service.yaml' },
    ]);
    expect(helmPrintedOverflows({ metrics: null })).toEqual([]);
  });
});
