import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { JobPodPolicyProps } from './props';

const cpu = (request: number | undefined, limit: number) => ({
  request: request === undefined ? undefined : Cpu.millis(request), limit: Cpu.millis(limit),
});
const memory = (request: number | undefined, limit: number) => ({
  request: request === undefined ? undefined : Size.mebibytes(request), limit: Size.mebibytes(limit),
});

/** Resource presets: millicores and mebibytes, as `[request, limit]`. */
export const PRESETS = {
  // Seed 001 "small projects". Helper (our choice): clones and uploads of small repos fit in
  // 256Mi; a 100m / 128Mi request keeps the idle helper from reserving a node's capacity.
  small: {
    build: { cpu: cpu(250, 1000), memory: memory(256, 1024) },
    service: { cpu: cpu(250, 1000), memory: memory(256, 1024) },
    helper: { cpu: cpu(100, 250), memory: memory(128, 256) },
  },
  // Seed 001 "large projects". Helper (our choice): big repositories, LFS and large artifact
  // archives need memory and CPU for compression; limits 1 / 1Gi, requests 250m / 256Mi.
  large: {
    build: { cpu: cpu(1000, 4000), memory: memory(1024, 4096) },
    service: { cpu: cpu(1000, 4000), memory: memory(1024, 4096) },
    helper: { cpu: cpu(250, 1000), memory: memory(256, 1024) },
  },
};

export function presetResources(preset: typeof PRESETS.small):
Required<Pick<JobPodPolicyProps, 'buildResources' | 'serviceResources' | 'helperResources'>> {
  return { buildResources: preset.build, serviceResources: preset.service, helperResources: preset.helper };
}
