import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  effectiveRequestAmounts, formatAmounts, formatBytes, formatCpu, kubeResources, limitAmounts, resourceQuantities, ResourceQuantities, sumAmounts,
} from '../lib/resources';
import { PropChecker } from '../lib/validation/prop-checker';
import { ValidationError } from '../lib/validation/errors';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const check = new PropChecker('test/Pods');

describe('resourceQuantities', () => {
  test('converts CPU to millicores or cores and sizes to the largest exact binary unit', () => {
    expect(resourceQuantities(check, 'buildResources', {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(2) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
      ephemeralStorage: { limit: Size.mebibytes(1536) },
    })).toEqual({
      cpu: { request: '250m', limit: '2' },
      memory: { request: '512Mi', limit: '2Gi' },
      ephemeralStorage: { request: undefined, limit: '1536Mi' },
    });
  });

  test('nothing given is no request and no limit, for every resource', () => {
    expect(resourceQuantities(check, 'r')).toEqual({ cpu: {}, memory: {}, ephemeralStorage: {} });
    expect(resourceQuantities(check, 'r', {})).toEqual({ cpu: {}, memory: {}, ephemeralStorage: {} });
  });

  test('a request equal to the limit passes; a larger one fails naming the request and the limit', () => {
    expect(resourceQuantities(check, 'r', { cpu: { request: Cpu.units(1), limit: Cpu.millis(1000) } }).cpu).toEqual({ request: '1', limit: '1' });
    expect(() => resourceQuantities(check, 'buildResources', { memory: { request: Size.gibibytes(2), limit: Size.mebibytes(1024) } }))
      .toThrow('test/Pods: invalid buildResources.memory.request: got "2Gi"; expected a request no larger than the limit (1Gi)');
    expect(() => resourceQuantities(check, 'r', { cpu: { request: Cpu.millis(1001), limit: Cpu.units(1) } }))
      .toThrow('test/Pods: invalid r.cpu.request: got "1001m"; expected a request no larger than the limit (1)');
  });

  test('not an object fails with the shape; an unknown resource names it', () => {
    const shape = 'container resources such as { cpu: { request: Cpu.millis(250), limit: Cpu.units(1) }, memory: { limit: Size.gibibytes(1) } }';
    expect(() => resourceQuantities(check, 'r', null as any)).toThrow(`test/Pods: invalid r: got null; expected ${shape}`);
    expect(() => resourceQuantities(check, 'r', [] as any)).toThrow('test/Pods: invalid r: got []');
    expect(() => resourceQuantities(check, 'r', { storage: { limit: Size.gibibytes(1) } } as any))
      .toThrow(`test/Pods: invalid r.storage: got {"limit":{"amount":1,"unit":{"label":"gibibytes","inKibiBytes":1048576,"abbr":"Gi"}}}; expected no such resource; ${shape}`);
  });

  test('a bare Cpu or Size, or an unknown key in the pair, is refused instead of read as nothing', () => {
    expect(() => resourceQuantities(check, 'r', { cpu: Cpu.units(1) } as any))
      .toThrow('test/Pods: invalid r.cpu: got Cpu("1"); expected { request?, limit }, e.g. { request: Cpu.millis(250) }');
    expect(() => resourceQuantities(check, 'r', { memory: Size.gibibytes(1) } as any))
      .toThrow('test/Pods: invalid r.memory: got Size(1); expected { request?, limit }, e.g. { request: Size.mebibytes(256) }');
    expect(() => resourceQuantities(check, 'r', { memory: { limits: Size.gibibytes(1) } } as any)).toThrow('test/Pods: invalid r.memory: got');
    expect(() => resourceQuantities(check, 'r', { cpu: null } as any)).toThrow('test/Pods: invalid r.cpu: got null');
  });

  test('a CPU given as a Size, or a fraction of a millicore, fails under its own prop', () => {
    expect(() => resourceQuantities(check, 'r', { cpu: { limit: Size.gibibytes(1) as any } })).toThrow(ValidationError);
    expect(() => resourceQuantities(check, 'r', { cpu: { limit: Cpu.millis(0.5) } }))
      .toThrow('test/Pods: invalid r.cpu.limit: got Cpu("0.5m"); expected a non-negative CPU amount in whole millicores');
  });
});

const Q: ResourceQuantities = {
  cpu: { request: '500m', limit: '2' },
  memory: { limit: '1Gi' },
  ephemeralStorage: {},
};

describe('amounts', () => {
  test('limits in base units; an unset limit counts as 0', () => {
    expect(limitAmounts(Q)).toEqual({ cpu: 2, memory: GiB, ephemeralStorage: 0 });
  });

  test('a limit without a request is the request, as Kubernetes applies it; neither is no request', () => {
    expect(effectiveRequestAmounts(Q)).toEqual({ cpu: 0.5, memory: GiB, ephemeralStorage: 0 });
  });

  test('sums multiply by the count and round CPU to millicores', () => {
    const a = { cpu: 0.1, memory: 256 * MiB, ephemeralStorage: 0 };
    const b = { cpu: 0.2, memory: 512 * MiB, ephemeralStorage: GiB };
    expect(sumAmounts([[a, 1], [b, 1]])).toEqual({ cpu: 0.3, memory: 768 * MiB, ephemeralStorage: GiB });
    expect(sumAmounts([[a, 3], [b, 0]])).toEqual({ cpu: 0.3, memory: 768 * MiB, ephemeralStorage: 0 });
    expect(sumAmounts([])).toEqual({ cpu: 0, memory: 0, ephemeralStorage: 0 });
  });
});

describe('kubeResources', () => {
  test('uses the Kubernetes key names and leaves out empty maps', () => {
    expect(kubeResources({ cpu: { request: '250m' }, memory: {}, ephemeralStorage: { request: '1Gi', limit: '10Gi' } }))
      .toEqual({ requests: { 'cpu': '250m', 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '10Gi' } });
    expect(kubeResources({ cpu: { limit: '1' }, memory: {}, ephemeralStorage: {} })).toEqual({ limits: { cpu: '1' } });
  });

  test('nothing set is undefined, so no empty resources: {} is written', () => {
    expect(kubeResources({ cpu: {}, memory: {}, ephemeralStorage: {} })).toBeUndefined();
  });
});

describe('formatting', () => {
  test.each([[2, '2'], [4.5, '4.5'], [0.25, '250m'], [1.005, '1005m'], [0, '0']])('%d cores is %s', (cores, text) => expect(formatCpu(cores)).toBe(text));

  test.each([[GiB, '1Gi'], [4.5 * GiB, '4.5Gi'], [GiB - MiB, '1023Mi'], [256 * MiB, '256Mi'], [1.5 * MiB, '1.5Mi'], [GiB / 3 * 4, '1.33Gi']])(
    '%d bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  test('formatAmounts puts CPU and memory together', () => {
    expect(formatAmounts({ cpu: 4.5, memory: 4.5 * GiB })).toBe('4.5 CPU / 4.5Gi');
  });
});
