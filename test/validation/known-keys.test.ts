import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { PropChecker } from '../../lib/validation/prop-checker';
import { ValidationError } from '../../lib/validation/errors';
import { checkNoUnknownKeys, checkProps, editDistance, nearest, pathOf } from '../../lib/validation/known-keys';

describe('known keys', () => {
  test('edit distance counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('concurent', 'concurrent')).toBe(1);
    expect(editDistance('concurrnet', 'concurrent')).toBe(1);
    expect(editDistance('nameserver', 'nameservers')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('', 'ab')).toBe(2);
  });

  test('the nearest key is a typo away, case-insensitive, or nothing', () => {
    expect(nearest('concurent', ['replicas', 'concurrent', 'limit'])).toBe('concurrent');
    expect(nearest('GitlabUrl', ['gitlabUrl', 'tags'])).toBe('gitlabUrl');
    expect(nearest('colour', ['replicas', 'limit'])).toBeUndefined();
  });

  test('an unknown key names the path, the key, its value and the nearest known key', () => {
    const check = new PropChecker('internal/Runner');
    expect(() => checkProps(check, { gitlabUrl: 'x', concurent: 5 }, 'RunnerManagerProps'))
      .toThrow('internal/Runner: invalid concurent: got 5; expected a known prop: did you mean "concurrent"?');
    expect(() => checkProps(new PropChecker('DnsStrategy.internal'), { nameserver: ['10.0.0.2'] }, 'InternalDnsOptions', 'options'))
      .toThrow('DnsStrategy.internal: invalid options.nameserver: got ["10.0.0.2"]; expected a known prop: did you mean "nameservers"?');
    // Nothing near: the known keys are listed.
    expect(() => checkProps(new PropChecker('x'), { colour: 'red' }, 'DnsResolverOption'))
      .toThrow('x: invalid colour: got "red"; expected a known prop of DnsResolverOption: "name", "value"');
  });

  test('nested structs are checked too, plain objects only, and non-objects are refused', () => {
    const check = new PropChecker('internal');
    expect(() => checkProps(check, { gitlabUrl: 'x', network: { internetEgres: true } }, 'InternalStackProps'))
      .toThrow('internal: invalid network.internetEgres: got true; expected a known prop: did you mean "internetEgress"?');
    expect(() => checkProps(check, { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', efect: 'NoSchedule' }] }, 'CiNodePoolProps'))
      .toThrow('internal: invalid taints[1].efect');
    // The stack's network omits runner: the inner construct's own prop is unknown there.
    expect(() => checkProps(check, { network: { runner: {} } }, 'InternalStackProps')).toThrow('invalid network.runner');
    // A construct where a struct is expected is left to the prop's own check.
    expect(() => checkProps(check, { monitoring: new (class { public readonly extra = 1; public readonly alertNames = []; })() }, 'EnvironmentReportProps'))
      .not.toThrow();
    expect(() => checkProps(check, 42, 'RunnerManagerProps')).toThrow('internal: invalid props: got 42; expected an object with the props of RunnerManagerProps');
    expect(() => checkProps(check, undefined, 'RunnerManagerProps', '', true)).toThrow(ValidationError);
    expect(() => checkProps(check, undefined, 'RunnerManagerProps')).not.toThrow();
  });
});

describe('known keys: edges', () => {
  test('edit distance is symmetric, zero for equal strings, and case-sensitive', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('tags', 'tags')).toBe(0);
    expect(editDistance('ab', '')).toBe(2);
    expect(editDistance('Tags', 'tags')).toBe(1);
    // A swap counts once, not as two substitutions.
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(editDistance('sitting', 'kitten'));
  });

  test('nearest skips keys by length only where the distance could not win: the same answer as comparing with every key', () => {
    // The first key at the smallest distance, if within the limit.
    const reference = (key: string, known: readonly string[]) => {
      const distances = known.map((k) => editDistance(key.toLowerCase(), k.toLowerCase()));
      const min = Math.min(...distances);
      return min <= Math.max(2, Math.floor(key.length / 3)) ? known[distances.indexOf(min)] : undefined;
    };
    const word = fc.stringMatching(/^[a-cA-C]{0,12}$/);
    fc.assert(fc.property(word, fc.array(word, { maxLength: 8 }), (key, known) => {
      expect(nearest(key, known)).toBe(reference(key, known));
    }), { numRuns: 2000, seed: 7 });
  });

  test('nearest allows at least two edits, and one per three characters for longer keys', () => {
    expect(nearest('ab', ['abcd'])).toBe('abcd');
    expect(nearest('ab', ['abcde'])).toBeUndefined();
    // 12 characters: up to 4 edits.
    expect(nearest('internetEgrs', ['internetEgress'])).toBe('internetEgress');
    expect(nearest('intrnetEgrs', ['internetEgress'])).toBe('internetEgress');
    expect(nearest('xxxxxxxxxxxx', ['internetEgress'])).toBeUndefined();
    expect(nearest('tags', [])).toBeUndefined();
    // The first of equally near keys wins, so the suggestion is stable.
    expect(nearest('ab', ['ac', 'ad'])).toBe('ac');
  });

  test('the error is a ValidationError with path, prop, value and the fix', () => {
    let error: unknown;
    try {
      checkProps(new PropChecker('internal/Runner'), { concurent: 5 }, 'RunnerManagerProps');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      constructPath: 'internal/Runner',
      prop: 'concurent',
      value: 5,
      expected: 'a known prop: did you mean "concurrent"? (RunnerManagerProps has no "concurent", and an unknown prop would be ignored silently)',
    });
  });

  test('null, arrays and strings are not props; prop names where the value sits', () => {
    const check = new PropChecker('x');
    expect(() => checkProps(check, null, 'DnsResolverOption'))
      .toThrow('x: invalid props: got null; expected an object with the props of DnsResolverOption (name, value)');
    expect(() => checkProps(check, [], 'DnsResolverOption', 'options'))
      .toThrow('x: invalid options: got []; expected an object with the props of DnsResolverOption (name, value)');
    expect(() => checkProps(check, 'name', 'DnsResolverOption', 'options', true)).toThrow('x: invalid options: got "name"');
    expect(() => checkProps(check, { name: 'ndots', value: '2' }, 'DnsResolverOption', 'options')).not.toThrow();
    expect(() => checkProps(check, { name: 'ndots', valeu: '2' }, 'DnsResolverOption', 'options'))
      .toThrow('x: invalid options.valeu: got "2"; expected a known prop: did you mean "value"?');
  });

  test('a key whose value is undefined is still an unknown key', () => {
    expect(() => checkProps(new PropChecker('x'), { colour: undefined }, 'DnsResolverOption')).toThrow('x: invalid colour: got undefined');
  });

  test('checkNoUnknownKeys checks plain objects only', () => {
    const check = new PropChecker('x');
    for (const v of [undefined, null, 42, 'text', ['a'], new (class { public readonly colour = 1; })()]) {
      expect(() => checkNoUnknownKeys(check, v, 'DnsResolverOption', 'o')).not.toThrow();
    }
    expect(() => checkNoUnknownKeys(check, { colour: 1 }, 'DnsResolverOption', 'o')).toThrow('x: invalid o.colour: got 1');
    expect(() => checkNoUnknownKeys(check, Object.assign(Object.create(null), { colour: 1 }), 'DnsResolverOption'))
      .toThrow('x: invalid colour: got 1');
  });

  test('nested lists name the item under its index, nested structs under their key', () => {
    const check = new PropChecker('hybrid');
    expect(() => checkProps(check, { dns: { options: [{ name: 'ndots' }, { nam: 'x' }] } }, 'InternalStackProps'))
      .toThrow('hybrid: invalid dns.options[1].nam: got "x"; expected a known prop: did you mean "name"?');
    expect(() => checkProps(check, { dns: { options: [{ name: 'ndots' }] } }, 'InternalStackProps')).not.toThrow();
  });

  test('pathOf is the path id will have under scope', () => {
    const app = Testing.app();
    expect(pathOf(app, 'internal')).toBe('internal');
    const chart = Testing.chart();
    expect(pathOf(chart, 'Runner')).toBe(`${chart.node.path}/Runner`);
    expect(pathOf(undefined as any, 'x')).toBe('x');
  });
});
