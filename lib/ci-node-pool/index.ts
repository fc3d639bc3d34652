// The CiNodePool family: its props, the construct, and the capacity model.
export * from './props';
export * from './ci-node-pool';
export { CapacityBasis, CpuAndMemory, describeCapacity, JobFit, PoolCapacity } from './capacity';
