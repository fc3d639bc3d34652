import { Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import { KubeResourceList, KubeResourceRequirements } from './model/k8s-shapes';
import { PropChecker } from './validation/prop-checker';
import { parseQuantity } from './validation/quantity';

/** A request and a limit as Kubernetes quantity strings. */
export interface QuantityPair {
  readonly request?: string;
  readonly limit?: string;
}

/** The resources of one container as Kubernetes quantity strings. */
export interface ResourceQuantities {
  readonly cpu: QuantityPair;
  readonly memory: QuantityPair;
  readonly ephemeralStorage: QuantityPair;
}

/** Amounts in base units: CPU cores and bytes. */
export interface ResourceAmounts {
  readonly cpu: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
}

const RESOURCE_NAMES = ['cpu', 'memory', 'ephemeralStorage'] as const;
type ResourceName = typeof RESOURCE_NAMES[number];
const KUBE_KEYS: { [R in ResourceName]: keyof KubeResourceList } = {
  cpu: 'cpu', memory: 'memory', ephemeralStorage: 'ephemeral-storage',
};

/**
 * Validates cdk8s-plus `ContainerResources` and converts them to quantity strings: CPU in whole
 * millicores, sizes in the largest exact binary unit, and every request no larger than its limit.
 */
export function resourceQuantities(check: PropChecker, prop: string, resources: ContainerResources = {}): ResourceQuantities {
  const shape = 'container resources such as { cpu: { request: Cpu.millis(250), limit: Cpu.units(1) }, memory: { limit: Size.gibibytes(1) } }';
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) check.fail(prop, resources, shape);
  for (const key of Object.keys(resources)) {
    if (!(RESOURCE_NAMES as readonly string[]).includes(key)) check.fail(`${prop}.${key}`, (resources as any)[key], `no such resource; ${shape}`);
  }
  const convert = (resource: ResourceName) => {
    const pair = resources[resource] as { request?: unknown; limit?: unknown } | undefined;
    if (pair === undefined) return {};
    // A bare Cpu or Size here would otherwise be read as "no request, no limit".
    if (pair === null || typeof pair !== 'object' || Object.getPrototypeOf(pair) !== Object.prototype
      || Object.keys(pair).some((k) => k !== 'request' && k !== 'limit')) {
      check.fail(`${prop}.${resource}`, pair, `{ request?, limit }, e.g. { request: ${resource === 'cpu' ? 'Cpu.millis(250)' : 'Size.mebibytes(256)'} }`);
    }
    const one = (which: 'request' | 'limit'): string | undefined => {
      const value = pair[which];
      if (value === undefined) return undefined;
      const p = `${prop}.${resource}.${which}`;
      return resource === 'cpu' ? check.cpu(p, value as Cpu) : check.size(p, value as Size);
    };
    const request = one('request');
    const limit = one('limit');
    if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
      check.fail(`${prop}.${resource}.request`, request, `a request no larger than the limit (${limit})`);
    }
    return { request, limit };
  };
  return { cpu: convert('cpu'), memory: convert('memory'), ephemeralStorage: convert('ephemeralStorage') };
}

/** Limits in base units; an unset limit counts as 0 (unbounded, so not counted). */
export function limitAmounts(q: ResourceQuantities): ResourceAmounts {
  return amounts(q, (pair) => pair.limit);
}

/**
 * Requests as Kubernetes applies them: a container with a limit and no request gets a request
 * equal to its limit; with neither, no request.
 */
export function effectiveRequestAmounts(q: ResourceQuantities): ResourceAmounts {
  return amounts(q, (pair) => pair.request ?? pair.limit);
}

function amounts(q: ResourceQuantities, pick: (pair: { request?: string; limit?: string }) => string | undefined): ResourceAmounts {
  const value = (resource: ResourceName) => {
    const text = pick(q[resource]);
    return text === undefined ? 0 : parseQuantity(text)!;
  };
  return { cpu: value('cpu'), memory: value('memory'), ephemeralStorage: value('ephemeralStorage') };
}

/** The sum of amounts, each multiplied by its count. */
export function sumAmounts(parts: readonly (readonly [ResourceAmounts, number])[]): ResourceAmounts {
  const total = { cpu: 0, memory: 0, ephemeralStorage: 0 };
  for (const [a, count] of parts) {
    for (const r of RESOURCE_NAMES) total[r] += a[r] * count;
  }
  // Round away binary floating-point noise (0.1 + 0.2), keeping millicore precision.
  total.cpu = Math.round(total.cpu * 1000) / 1000;
  return total;
}

/** Kubernetes `resources` for a pod spec. */
export function kubeResources(q: ResourceQuantities): KubeResourceRequirements | undefined {
  const requests: { [key: string]: string } = {};
  const limits: { [key: string]: string } = {};
  for (const r of RESOURCE_NAMES) {
    if (q[r].request !== undefined) requests[KUBE_KEYS[r]] = q[r].request!;
    if (q[r].limit !== undefined) limits[KUBE_KEYS[r]] = q[r].limit!;
  }
  const out: { requests?: KubeResourceList; limits?: KubeResourceList } = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return Object.keys(out).length ? out : undefined;
}

/** Formats CPU cores and bytes for messages: `4.5 CPU / 4.5Gi`. */
export function formatAmounts(a: { readonly cpu: number; readonly memory: number }): string {
  return `${formatCpu(a.cpu)} CPU / ${formatBytes(a.memory)}`;
}

export function formatCpu(cores: number): string {
  return Number.isInteger(cores) || Math.round(cores * 10) === cores * 10 ? String(cores) : `${Math.round(cores * 1000)}m`;
}

export function formatBytes(bytes: number): string {
  const gi = bytes / 2 ** 30;
  if (gi >= 1) return `${Math.round(gi * 100) / 100}Gi`;
  return `${Math.round((bytes / 2 ** 20) * 100) / 100}Mi`;
}
