import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ValidationError } from '../../lib/validation/errors';
import { PropChecker } from '../../lib/validation/prop-checker';

describe('PropChecker', () => {
  test('a failure names the construct path, the prop, the value and what is valid', () => {
    const check = new PropChecker('app/Runner');
    expect(() => check.integer('replicas', 0, { min: 1 })).toThrow(ValidationError);
    expect(() => check.integer('replicas', 0, { min: 1 })).toThrow('app/Runner: invalid replicas: got 0; expected an integer >= 1');
    expect(() => check.dnsLabel('namespace', 'A_B')).toThrow(/^app\/Runner: invalid namespace: got "A_B"; expected a DNS-1123 label/);
    expect(() => check.httpUrl('gitlabUrl', 'not a url')).toThrow(/invalid gitlabUrl: got "not a url"/);
    expect(check.httpUrl('gitlabUrl', 'http://192.168.1.50/')).toBe('http://192.168.1.50/');
  });

  test('a ratio is a number in (0, 1]', () => {
    const check = new PropChecker('x');
    expect([0.001, 0.5, 1].map((v) => check.ratio('r', v))).toEqual([0.001, 0.5, 1]);
    for (const bad of [0, -0.1, 1.01, 90, NaN, '0.5']) {
      expect(() => check.ratio('r', bad as number)).toThrow('expected a ratio greater than 0 and at most 1, e.g. 0.9');
    }
    expect(() => check.ratio('f', 2, 'a fraction of the node')).toThrow('expected a fraction of the node');
  });

  test('a list of registry hosts: undefined is empty; each entry is checked under its index', () => {
    const check = new PropChecker('x');
    expect(check.registryHosts('r', undefined)).toEqual([]);
    expect(check.registryHosts('r', ['a.example.com', 'b.example.com:5000'])).toEqual(['a.example.com', 'b.example.com:5000']);
    expect(() => check.registryHosts('r', ['a.example.com', 'https://b'])).toThrow('invalid r[1]: got "https://b"');
    expect(() => check.registryHosts('r', 'a.example.com' as any)).toThrow('expected a list of registry host[:port] names');
  });

  test('durations become Go duration strings for time.Duration keys', () => {
    expect(new PropChecker('x').goDuration('t', Duration.minutes(5))).toBe('5m');
  });
});

describe('numbers', () => {
  test('CPU in whole millicores or whole cores, plain digits; sizes in plain digits with a binary suffix', () => {
    const check = new PropChecker('x');
    expect([Cpu.millis(250), Cpu.units(2), Cpu.units(2.5), Cpu.millis(0), Cpu.millis(Number.MAX_SAFE_INTEGER)].map((c) => check.cpu('c', c)))
      .toEqual(['250m', '2', '2500m', '0', '9007199254740991m']);
    for (const bad of [Cpu.units(1e30), Cpu.millis(0.5), Cpu.millis(2 ** 53), Cpu.millis(-1)]) {
      expect(() => check.cpu('c', bad)).toThrow('expected a non-negative CPU amount in whole millicores, at most 9007199254740991m');
    }
    expect([Size.gibibytes(2), Size.mebibytes(1536), Size.kibibytes(100)].map((s) => check.size('s', s))).toEqual(['2Gi', '1536Mi', '100Ki']);
    expect(() => check.size('s', Size.gibibytes(2 ** 60))).toThrow('at most 9007199254740991 bytes');
  });

  test('a values key the chart prints must stay below 1000000, naming the prop it comes from', () => {
    const check = new PropChecker('x');
    expect(() => check.helmPrinted({ concurrent: 999999, metrics: { port: 9252 } }, {})).not.toThrow();
    expect(() => check.helmPrinted({ concurrent: 1000000 }, { concurrent: { prop: 'concurrent' } }))
      .toThrow('x: invalid concurrent: got 1000000; expected at most 999999 for the chart value concurrent: chart 0.80 prints it in templates/configmap.yaml');
    expect(() => check.helmPrinted({ metrics: { port: 1000000 } }, {})).toThrow('invalid values.metrics.port: got 1000000');
  });
});
