// Plain settings for the report's pure functions: what a RunnerManager would hand them, without constructs.
import { capacityBasis, PoolCapacity } from '../../lib/ci-node-pool/capacity';
import { ResourceQuantities } from '../../lib/resources';

const GIB = 2 ** 30;

/** 2 CPU / 2Gi limits per container, requests unset (Kubernetes takes the limits). */
export const CONTAINER: ResourceQuantities = { cpu: { limit: '2' }, memory: { limit: '2Gi' }, ephemeralStorage: {} };

/** A pool of `nodes` nodes with 6 CPU / 12Gi for jobs each, for a job of 3 CPU / 3Gi requested and 6 CPU / 6Gi limits. */
export function poolCapacity(nodes: number): PoolCapacity {
  const perNode = { cpu: 6, memory: 12 * GIB };
  return {
    nodes, allocatablePerNode: perNode,
    requests: capacityBasis(nodes, perNode, { cpu: 3, memory: 3 * GIB, ephemeralStorage: 0 }),
    limits: capacityBasis(nodes, perNode, { cpu: 6, memory: 6 * GIB, ephemeralStorage: 0 }),
  };
}
