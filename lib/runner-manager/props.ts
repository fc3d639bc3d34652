// The parts of RunnerManagerProps about pods: the manager pod and what jobs get; and the whole.
import { Size } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { CiNodePool } from '../ci-node-pool';
import { DnsStrategy } from '../dns-strategy';
import { JobPodPolicy } from '../job-pod-policy';
import { PodSecurityLevel } from '../pod-security';
import { RunnerCache } from '../runner-cache';
import { Toleration } from '../toleration';
import { LogFormat, LogLevel } from './log';
import { RunnerRegistrationProps, RunnerReleaseProps, RunnerConcurrencyProps, RunnerLifecycleProps } from './props-release';

export * from './props-release';

/** The manager pods themselves: resources, placement and logging. Part of `RunnerManagerProps`. */
export interface ManagerPodProps {
  /**
   * Resources of the manager container.
   * @default - requests 100m CPU / 128Mi memory, limit 256Mi memory
   */
  readonly managerResources?: ContainerResources;

  /**
   * Node selector of the manager pods.
   * @default - none
   */
  readonly managerNodeSelector?: { [label: string]: string };

  /**
   * Tolerations of the manager pods.
   * @default - none
   */
  readonly managerTolerations?: Toleration[];

  /**
   * Affinity of the manager pods.
   * @default - none
   */
  readonly managerAffinity?: k8s.Affinity;

  /**
   * PriorityClass of the manager pods.
   * @default - none
   */
  readonly managerPriorityClassName?: string;

  /**
   * Log level of the manager.
   * @default LogLevel.INFO
   */
  readonly logLevel?: LogLevel;

  /**
   * Log format of the manager.
   * @default LogFormat.RUNNER
   */
  readonly logFormat?: LogFormat;
}

/** What the runner gives its jobs: the job-pod policy, DNS, node pool, cache, environment and scripts. Part of `RunnerManagerProps`. */
export interface RunnerJobsProps {
  /**
   * What each job pod gets: image, resources, security profile, pull policy, helper image, service
   * account, volumes; it alone decides the job pods' Pod Security level.
   * @default - a `JobPodPolicy` with its defaults (no resource requests or limits, the root-builder profile)
   */
  readonly jobPodPolicy?: JobPodPolicy;

  /**
   * DNS of job pods.
   * @default DnsStrategy.clusterDefault()
   */
  readonly dnsStrategy?: DnsStrategy;

  /**
   * The CI node pool job pods run on: node selector, tolerations, affinity, priority, pre-pulled
   * images and, when its size is given, the capacity check of `replicas × concurrent`.
   * @default - job pods may run on any node
   */
  readonly nodePool?: CiNodePool;

  /**
   * Pod Security level enforced on the jobs' namespace; it must allow the job pods' security profile.
   * @default - the strictest level the profile passes (`privileged` for DinD, else `baseline`)
   */
  readonly jobNamespacePodSecurity?: PodSecurityLevel;

  /**
   * Shared CI cache.
   * @default - no distributed cache (the cache stays in each job pod and is lost)
   */
  readonly cache?: RunnerCache;

  /**
   * Environment variables for every job (`environment`). Values are visible in the chart's
   * ConfigMap, so a literal value under a credential-like name (`*TOKEN*`, `*PASSWORD*`,
   * `*SECRET*`, `*_KEY`) or a value that looks like a credential (`glrt-…`, a private key) is an
   * error: pass secrets as masked CI/CD variables in GitLab instead (a `$VAR` reference is allowed).
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Runner feature flags (`[runners.feature_flags]`); names must be known to runner 18.3.
   * @default - the runner's defaults
   */
  readonly featureFlags?: { [flag: string]: boolean };

  /**
   * Script run before the sources are fetched (`pre_get_sources_script`). Like `environment`, it is visible in the
   * chart's ConfigMap: a credential-looking value, or a literal assigned to a credential-like
   * variable (`export API_TOKEN=abc`), is an error; `API_TOKEN="$API_TOKEN"` is allowed.
   * @default - none
   */
  readonly preGetSourcesScript?: string;

  /**
   * Script run after the sources are fetched (`post_get_sources_script`). Like `environment`, it is visible in the
   * chart's ConfigMap: a credential-looking value, or a literal assigned to a credential-like
   * variable (`export API_TOKEN=abc`), is an error; `API_TOKEN="$API_TOKEN"` is allowed.
   * @default - none
   */
  readonly postGetSourcesScript?: string;

  /**
   * Script run before each job's script (`pre_build_script`). Like `environment`, it is visible in the
   * chart's ConfigMap: a credential-looking value, or a literal assigned to a credential-like
   * variable (`export API_TOKEN=abc`), is an error; `API_TOKEN="$API_TOKEN"` is allowed.
   * @default - none
   */
  readonly preBuildScript?: string;

  /**
   * Script run after each job's script (`post_build_script`). Like `environment`, it is visible in the
   * chart's ConfigMap: a credential-looking value, or a literal assigned to a credential-like
   * variable (`export API_TOKEN=abc`), is an error; `API_TOKEN="$API_TOKEN"` is allowed.
   * @default - none
   */
  readonly postBuildScript?: string;

  /**
   * Maximum job log size (`output_limit`, whole kilobytes).
   * @default - 4 MiB (the runner's default)
   */
  readonly outputLimit?: Size;

  /**
   * Print job pods' warning events into the job log (`print_pod_warning_events`); needs `list` on events.
   * @default true
   */
  readonly printPodWarningEvents?: boolean;

  /**
   * Let the runner watch job pods through informers (runner 17.9+), which needs `list` and `watch`
   * on pods; without them it polls.
   * @default true
   */
  readonly podInformers?: boolean;

  /**
   * Let jobs stream their service containers' logs with `CI_DEBUG_SERVICES`, which needs `get`
   * and `list` on `pods/log`.
   * @default false
   */
  readonly debugServices?: boolean;
}

/** Properties of a `RunnerManager`: one part per concern. */
export interface RunnerManagerProps extends RunnerRegistrationProps, RunnerReleaseProps, RunnerConcurrencyProps, RunnerLifecycleProps, ManagerPodProps, RunnerJobsProps {}
