import { prune } from '../../lib/model/prune';

describe('prune', () => {
  test('drops undefined and null at every depth, and empty containers when asked', () => {
    expect(prune({ a: undefined, b: null, c: [1, undefined], d: { e: undefined } })).toEqual({ c: [1], d: {} });
    expect(prune({ d: { e: undefined }, f: [] }, { dropEmpty: true })).toEqual({});
  });
});
