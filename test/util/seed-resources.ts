import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { JobPodPolicyProps } from '../../lib/job-pod-policy';

/** Seed 004's job resources (as apps/environments.ts passes them): the tests' worked example. */
export const SEED_004_RESOURCES: JobPodPolicyProps = {
  buildResources: { cpu: { limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(2) } },
  serviceResources: {
    cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
    memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
  },
  helperResources: { cpu: { limit: Cpu.millis(500) }, memory: { limit: Size.mebibytes(512) } },
};
