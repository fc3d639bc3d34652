/**
 * Typed model of the values the official `gitlab-runner` Helm chart 0.80.x reads, as plain data.
 *
 * Property names are the chart's own keys (including its snake_case `shutdown_timeout`), so this
 * interface is the mapping table: only keys that a 0.80 template reads are declared. The chart
 * ships no values schema and ignores unknown keys, which is why nothing else may appear here.
 * Kubernetes-shaped values (security contexts, resources, tolerations, affinity) are written in
 * Kubernetes JSON form (`./k8s-shapes`); the chart copies them into the Deployment verbatim.
 *
 * @see https://gitlab.com/gitlab-org/charts/gitlab-runner/-/blob/v0.80.0/values.yaml
 */
import { KubeContainerSecurityContext, KubePodSecurityContext, KubeResourceRequirements, KubeToleration } from './k8s-shapes';
import { GlobalConfig, RunnerEntry } from './runner-config';

export interface HelmValues {
  readonly image?: HelmImage;
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  readonly imagePullSecrets?: readonly { readonly name: string }[];
  readonly gitlabUrl?: string;
  readonly replicas?: number;
  readonly revisionHistoryLimit?: number;
  readonly concurrent?: number;
  readonly checkInterval?: number;
  readonly logLevel?: string;
  readonly logFormat?: string;
  readonly sentryDsn?: string;
  readonly connectionMaxAge?: string;
  readonly shutdown_timeout?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly unregisterRunners?: boolean;
  /** The manager container's `lifecycle`, verbatim; chart 0.80 drops its unregister hook when it is set. */
  readonly deploymentLifecycle?: { readonly [key: string]: unknown };
  readonly rbac?: HelmRbac;
  readonly serviceAccount?: HelmServiceAccount;
  readonly runners?: HelmRunners;
  readonly metrics?: HelmMetrics;
  readonly service?: HelmService;
  readonly podSecurityContext?: KubePodSecurityContext;
  readonly securityContext?: KubeContainerSecurityContext;
  readonly resources?: KubeResourceRequirements;
  readonly nodeSelector?: { readonly [label: string]: string };
  readonly tolerations?: readonly KubeToleration[];
  readonly affinity?: { readonly [key: string]: unknown };
  readonly topologySpreadConstraints?: readonly { readonly [key: string]: unknown }[];
  readonly priorityClassName?: string;
  readonly podLabels?: { readonly [label: string]: string };
  readonly podAnnotations?: { readonly [annotation: string]: string };
}

/**
 * Maps the runner's global settings to the chart values that produce them: the chart writes the
 * global part of `config.toml` itself and ignores global keys inside `runners.config`.
 */
export function globalToHelmValues(global: GlobalConfig): HelmValues {
  let metrics: HelmMetrics = { enabled: false };
  if (global.listenAddress !== undefined) {
    // The chart always writes `listen_address = ":<metrics.port>"`, so only that form maps.
    const match = /^:(\d+)$/.exec(global.listenAddress);
    if (!match) throw new Error(`listenAddress must be ":<port>" to map to chart values, got "${global.listenAddress}"`);
    metrics = { enabled: true, portName: 'metrics', port: Number(match[1]) };
  }
  return {
    concurrent: global.concurrent,
    checkInterval: global.checkInterval,
    logLevel: global.logLevel,
    logFormat: global.logFormat,
    sentryDsn: global.sentryDsn,
    connectionMaxAge: global.connectionMaxAge,
    shutdown_timeout: global.shutdownTimeout,
    metrics,
  };
}

export interface HelmImage {
  readonly registry: string;
  readonly image: string;
  readonly tag: string;
}

export interface HelmRbac {
  readonly create: boolean;
  /** Each rule needs all three lists: a missing one defaults to `["*"]` in the chart. */
  readonly rules?: readonly HelmRbacRule[];
  readonly clusterWideAccess?: boolean;
}

export interface HelmRbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface HelmServiceAccount {
  readonly create?: boolean;
  readonly name?: string;
  readonly annotations?: { readonly [key: string]: string };
}

export interface HelmRunners {
  /** The runner template: one `[[runners]]` entry, written as TOML (`lib/render/helm-values.ts`). */
  readonly config?: RunnerEntry;
  readonly name?: string;
  readonly executor?: string;
  /** Existing Secret holding `runner-token` and `runner-registration-token`. */
  readonly secret?: string;
  readonly cache?: { readonly secretName?: string };
}

export interface HelmMetrics {
  readonly enabled: boolean;
  readonly portName?: string;
  readonly port?: number;
}

export interface HelmService {
  readonly enabled: boolean;
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
}
