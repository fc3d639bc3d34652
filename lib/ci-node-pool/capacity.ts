// The pool's capacity model: how many jobs of a JobPodPolicy its nodes hold, by limits and by requests.
import { formatAmounts, ResourceAmounts } from '../resources';
import { PropChecker } from '../validation/prop-checker';
import { parseQuantity } from '../validation/quantity';
import { CiNodePoolProps } from './props';

/** CPU (cores) and memory (bytes). */
export interface CpuAndMemory {
  /** Cores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
}

/** How many jobs fit by CPU, by memory, and by both. */
export interface JobFit {
  /** Jobs that fit by CPU. */
  readonly byCpu: number;
  /** Jobs that fit by memory. */
  readonly byMemory: number;
  /** Jobs that fit by both. */
  readonly jobs: number;
}

/** How many jobs fit, on one basis (limits or effective requests). */
export interface CapacityBasis {
  /** One job's CPU (cores) and memory (bytes). */
  readonly perJob: CpuAndMemory;
  /** Jobs that fit on one node by CPU, by memory, and both (a pod cannot span nodes). */
  readonly perNode: JobFit;
  /** Jobs that fit on the whole pool, counted per node. */
  readonly jobs: number;
  /** The resource that limits `jobs`: `cpu` or `memory`. */
  readonly bottleneck: string;
  /** The pooled upper bound: total CPU and memory divided by one job's, ignoring node boundaries. */
  readonly pooled: JobFit;
}

/** The pool's capacity for jobs of one `JobPodPolicy`. */
export interface PoolCapacity {
  /** Nodes in the pool. */
  readonly nodes: number;
  /** CPU (cores) and memory (bytes) job pods can use on each node. */
  readonly allocatablePerNode: CpuAndMemory;
  /** By the jobs' limits: every job can use all it may (the seeds' conservative basis). */
  readonly limits: CapacityBasis;
  /** By the requests Kubernetes schedules on: what fits before pods stay Pending. */
  readonly requests: CapacityBasis;
}

export interface PoolSize { readonly nodes: number; readonly cpu: number; readonly memory: number }

export function poolSize(check: PropChecker, props: CiNodePoolProps): PoolSize | undefined {
  const given = [props.nodes, props.nodeCpu, props.nodeMemory].filter((v) => v !== undefined).length;
  if (given === 0 && props.allocatableFraction !== undefined) {
    check.fail('allocatableFraction', props.allocatableFraction, 'no allocatableFraction without the pool\'s size (nodes, nodeCpu and nodeMemory): '
      + 'it only scales the capacity check, which needs the size');
  }
  if (given === 0) return undefined;
  if (given < 3) {
    check.fail('nodes', { nodes: props.nodes, nodeCpu: props.nodeCpu?.amount, nodeMemory: props.nodeMemory === undefined ? undefined : 'Size' },
      'nodes, nodeCpu and nodeMemory together (or none of them) to plan capacity');
  }
  const fraction = check.ratio('allocatableFraction', props.allocatableFraction ?? 0.8, 'a fraction greater than 0 and at most 1, e.g. 0.8');
  const nodes = check.integer('nodes', props.nodes!, { min: 1 });
  const cpu = parseQuantity(check.cpu('nodeCpu', props.nodeCpu!))!;
  const memory = parseQuantity(check.size('nodeMemory', props.nodeMemory!))!;
  if (cpu <= 0 || memory <= 0) check.fail(cpu <= 0 ? 'nodeCpu' : 'nodeMemory', cpu <= 0 ? props.nodeCpu : props.nodeMemory, 'more than zero');
  // Round away floating-point noise: 8 x 0.8 is 6.4, not 6.4000000000000004.
  return { nodes, cpu: round(cpu * fraction), memory: Math.floor(memory * fraction) };
}

export function capacityBasis(nodes: number, perNode: CpuAndMemory, job: ResourceAmounts): CapacityBasis {
  const fit = (available: number, need: number) => (need > 0 ? Math.floor(round(available / need)) : Infinity);
  const byCpu = fit(perNode.cpu, job.cpu);
  const byMemory = fit(perNode.memory, job.memory);
  const pooledCpu = fit(perNode.cpu * nodes, job.cpu);
  const pooledMemory = fit(perNode.memory * nodes, job.memory);
  return {
    perJob: { cpu: job.cpu, memory: job.memory },
    perNode: { byCpu, byMemory, jobs: Math.min(byCpu, byMemory) },
    jobs: Math.min(byCpu, byMemory) * nodes,
    bottleneck: byCpu <= byMemory ? 'cpu' : 'memory',
    pooled: { byCpu: pooledCpu, byMemory: pooledMemory, jobs: Math.min(pooledCpu, pooledMemory) },
  };
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** A one-line summary of a capacity basis, for messages and reports. */
export function describeCapacity(capacity: PoolCapacity, basis: 'limits' | 'requests'): string {
  const b = capacity[basis];
  return `${capacity.nodes} node(s) with ${formatAmounts(capacity.allocatablePerNode)} allocatable each fit `
    + `${b.perNode.jobs} job(s) of ${formatAmounts(b.perJob)} (${basis}) per node, ${b.jobs} in all (${b.bottleneck}-bound)`;
}
