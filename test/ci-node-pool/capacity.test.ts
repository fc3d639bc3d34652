import { Cpu } from 'cdk8s-plus-28';
import { Size } from 'cdk8s';
import { capacityBasis, describeCapacity, PoolCapacity, poolSize } from '../../lib/ci-node-pool/capacity';
import { PropChecker } from '../../lib/validation/prop-checker';

const check = () => new PropChecker('test/Pool');

describe('poolSize', () => {
  test('no size: no capacity check', () => {
    expect(poolSize(check(), {})).toBeUndefined();
  });

  test('the allocatable part of each node, 80% by default, without floating-point noise', () => {
    expect(poolSize(check(), { nodes: 3, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(32) }))
      .toEqual({ nodes: 3, cpu: 6.4, memory: Math.floor(32 * 2 ** 30 * 0.8) });
    expect(poolSize(check(), { nodes: 1, nodeCpu: Cpu.units(4), nodeMemory: Size.gibibytes(8), allocatableFraction: 0.5 }))
      .toEqual({ nodes: 1, cpu: 2, memory: 4 * 2 ** 30 });
  });

  test.each([
    ['part of the size', { nodes: 3 }, 'nodes', 'nodes, nodeCpu and nodeMemory together'],
    ['a fraction without a size', { allocatableFraction: 0.9 }, 'allocatableFraction', 'no allocatableFraction without the pool\'s size'],
    ['no nodes', { nodes: 0, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(32) }, 'nodes', 'an integer >= 1'],
    ['a fraction above 1', { nodes: 1, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(32), allocatableFraction: 1.5 }, 'allocatableFraction',
      'a fraction greater than 0 and at most 1'],
  ])('%s is a ValidationError', (_what, props, prop, expected) => {
    expect(() => poolSize(check(), props)).toThrow(`test/Pool: invalid ${prop}: `);
    expect(() => poolSize(check(), props)).toThrow(expected);
  });
});

describe('capacityBasis', () => {
  test('per node the scarcer resource decides; pooled counts the whole pool as one', () => {
    // 3 nodes of 6.4 CPU / 25.6 GiB; jobs of 3 CPU / 3 GiB: 2 per node by CPU, 8 by memory
    const gib = 2 ** 30;
    const basis = capacityBasis(3, { cpu: 6.4, memory: 25.6 * gib }, { cpu: 3, memory: 3 * gib, ephemeralStorage: 0 });
    expect(basis.perNode).toEqual({ byCpu: 2, byMemory: 8, jobs: 2 });
    expect(basis.jobs).toBe(6);
    expect(basis.bottleneck).toBe('cpu');
    expect(basis.pooled).toEqual({ byCpu: 6, byMemory: 25, jobs: 6 });
  });

  test('a job that asks for nothing fits without bound', () => {
    expect(capacityBasis(2, { cpu: 4, memory: 1 }, { cpu: 0, memory: 0, ephemeralStorage: 0 }).jobs).toBe(Infinity);
  });
});

describe('describeCapacity', () => {
  test('one line with nodes, allocatable, per-node fit, total and bottleneck', () => {
    const gib = 2 ** 30;
    const requests = capacityBasis(3, { cpu: 6.4, memory: 25.6 * gib }, { cpu: 3, memory: 3 * gib, ephemeralStorage: 0 });
    const limits = capacityBasis(3, { cpu: 6.4, memory: 25.6 * gib }, { cpu: 4.5, memory: 4.5 * gib, ephemeralStorage: 0 });
    const capacity: PoolCapacity = { nodes: 3, allocatablePerNode: { cpu: 6.4, memory: 25.6 * gib }, requests, limits };
    expect(describeCapacity(capacity, 'limits'))
      .toBe('3 node(s) with 6.4 CPU / 25.6Gi allocatable each fit 1 job(s) of 4.5 CPU / 4.5Gi (limits) per node, 3 in all (cpu-bound)');
  });
});
