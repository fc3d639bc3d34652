import { Duration } from 'cdk8s';
import { CiNodePool } from '../ci-node-pool';
import { DnsStrategy } from '../dns-strategy';
import { JobPodPolicy } from '../job-pod-policy';
import { CacheConfig, KubernetesConfig } from '../model/runner-config';
import { KubeResourceRequirements, KubeToleration } from '../model/k8s-shapes';
import { PodSecurityLevel } from '../pod-security';
import { RunnerCache } from '../runner-cache';
import { toKubeTolerations } from '../toleration';
import { PropChecker } from '../validation/prop-checker';
import { DEFAULT_NAMESPACE, defaultJobNamespace } from './defaults';
import { LogFormat, LogLevel } from './log';
import { RunnerNamespaces } from './namespaces';
import { RunnerManagerProps } from './props';
import {
  checkEnvironment, checkFeatureFlags, checkTags, kilobytes, managerAffinity, managerResources, optionalList, optionalMap, optionalScript, tokenRevision,
} from './settings-checks';

/** Chart 0.80.x is the chart of runner 18.3.x (`0.80.<patch>` = `18.3.<patch>`). */
const SUPPORTED_RUNNER = /^18\.3\.(\d+)$/;
const DEFAULT_MANAGER_RESOURCES: KubeResourceRequirements = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
};

/** Every prop of a `RunnerManager`, checked and with its default applied: what the builders read. */
export interface ResolvedRunnerSettings {
  readonly path: string;
  readonly gitlabUrl: string;
  readonly tokenSecretName: string;
  readonly tokenSecretRevision?: string;
  readonly releaseName: string;
  readonly fullname: string;
  readonly namespace: string;
  readonly jobNamespace: string;
  readonly createNamespaces: boolean;
  readonly namespaces?: RunnerNamespaces;
  readonly runnerName: string;
  readonly runnerVersion: string;
  readonly chartVersion: string;
  readonly imageRegistry: string;
  readonly imageRepository: string;
  readonly metrics: boolean;
  readonly replicas: number;
  readonly concurrent: number;
  readonly limit?: number;
  /** `concurrent`, bounded by `limit`. */
  readonly jobsPerManager: number;
  readonly configuredJobs: number;
  readonly requestConcurrency?: number;
  /** Whole kilobytes. */
  readonly outputLimit?: number;
  /** Seconds, like every duration below. */
  readonly checkInterval: number;
  readonly overCommit: boolean;
  readonly shutdownTimeout: number;
  readonly jobTimeout: number;
  readonly terminationGracePeriod: number;
  /** Whether `terminationGracePeriod` was given (else it is `jobTimeout + shutdownTimeout`). */
  readonly terminationGracePeriodGiven: boolean;
  readonly drainOnStop: boolean;
  readonly unregisterRunners: boolean;
  readonly podDisruptionBudget: boolean;
  readonly spreadAcrossNodes: boolean;
  readonly managerResources: KubeResourceRequirements;
  readonly managerNodeSelector?: { readonly [label: string]: string };
  readonly managerTolerations?: KubeToleration[];
  readonly managerAffinity?: { [key: string]: unknown };
  readonly managerPriorityClassName?: string;
  readonly logLevel: LogLevel;
  readonly logFormat?: LogFormat;
  readonly tags: string[];
  /** `NAME=value`, sorted by name. */
  readonly environment: string[];
  readonly featureFlags: { [flag: string]: boolean };
  readonly preGetSourcesScript?: string;
  readonly postGetSourcesScript?: string;
  readonly preBuildScript?: string;
  readonly postBuildScript?: string;
  readonly printPodWarningEvents: boolean;
  readonly podInformers: boolean;
  readonly debugServices: boolean;
  readonly jobPodPolicy: JobPodPolicy;
  readonly dnsStrategy: DnsStrategy;
  readonly nodePool?: CiNodePool;
  readonly cache?: RunnerCache;
  readonly cacheConfig?: CacheConfig;
  /** The level given for the jobs' namespace, else the one the job pods need. */
  readonly jobNamespacePodSecurity: PodSecurityLevel;
  readonly jobNamespacePodSecurityGiven: boolean;
  /** `[runners.kubernetes]` from the policy, the DNS strategy and the node pool, in that order. */
  readonly jobPodParts: Partial<KubernetesConfig>[];
  /** Things that synthesize but deserve a look. */
  readonly warnings: string[];
}

/**
 * The one step from props to settings: checks each prop (a bad one throws a `ValidationError` at
 * once) and applies its default. `jobPodPolicy` is the one the manager uses (the given or its default).
 */
export function resolveRunnerSettings(path: string, props: RunnerManagerProps, jobPodPolicy: JobPodPolicy): ResolvedRunnerSettings {
  const check = new PropChecker(path);
  const warnings: string[] = [];
  const gitlabUrl = check.httpUrl('gitlabUrl', props.gitlabUrl);
  if (/(^|\/)api(\/|$)/i.test(new URL(gitlabUrl).pathname)) {
    check.fail('gitlabUrl', gitlabUrl, 'the URL of the GitLab instance without an /api/ path, e.g. "https://gitlab.example.com/" '
      + 'or, for a relative URL root, "https://example.com/gitlab/": the runner appends /api/v4 itself');
  }
  if (!props.tokenSecret || typeof props.tokenSecret !== 'object') {
    check.fail('tokenSecret', props.tokenSecret, 'a Secret reference, e.g. Secret.fromSecretName(this, \'Token\', \'gitlab-runner-token\')');
  }
  const tokenSecretName = check.dnsSubdomain('tokenSecret.name', props.tokenSecret.name);
  const releaseName = check.dnsLabel('releaseName', props.releaseName ?? 'gitlab-runner', 53);
  const fullname = chartFullname(releaseName);
  const { namespace, jobNamespace } = resolveNamespaces(check, props);

  const runnerVersion = props.runnerVersion ?? '18.3.0';
  const version = SUPPORTED_RUNNER.exec(runnerVersion);
  if (!version) {
    check.fail('runnerVersion', runnerVersion, 'a GitLab Runner 18.3.x version such as "18.3.0": the values are checked against chart 0.80.x');
  }

  const replicas = check.integer('replicas', props.replicas ?? 2, { min: 1 });
  const concurrent = check.integer('concurrent', props.concurrent ?? 10, { min: 1 });
  const limit = props.limit === undefined ? undefined : check.integer('limit', props.limit, { min: 0 });
  const jobsPerManager = limit ? Math.min(limit, concurrent) : concurrent;
  if (limit && limit >= concurrent) {
    warnings.push(`limit ${limit} has no effect: it is not below concurrent (${concurrent}), which already bounds each manager; `
      + 'lower it below concurrent, or leave it out');
  }
  const dnsStrategy = props.dnsStrategy ?? DnsStrategy.clusterDefault();
  if (!(dnsStrategy instanceof DnsStrategy)) check.fail('dnsStrategy', props.dnsStrategy, 'DnsStrategy.internal(), .publicCloud(), .hybrid() or .clusterDefault()');
  const nodePool = props.nodePool;
  if (nodePool !== undefined && !(nodePool instanceof CiNodePool)) check.fail('nodePool', props.nodePool, 'a CiNodePool construct');
  if (props.cache !== undefined && !(props.cache instanceof RunnerCache)) {
    check.fail('cache', props.cache, 'a RunnerCache, e.g. RunnerCache.s3({ bucketName: \'runner-cache\' })');
  }
  const given = props.jobNamespacePodSecurity;
  if (given !== undefined) check.oneOf('jobNamespacePodSecurity', given, Object.values(PodSecurityLevel));

  const lifecycle = resolveLifecycle(check, props);
  const podDisruptionBudget = check.boolean('podDisruptionBudget', props.podDisruptionBudget ?? replicas >= 2);
  const spreadAcrossNodes = check.boolean('spreadAcrossNodes', props.spreadAcrossNodes ?? replicas >= 2);
  if (props.podDisruptionBudget === true && replicas === 1) {
    warnings.push('podDisruptionBudget with 1 replica protects nothing: its maxUnavailable of 1 lets a node drain evict the only '
      + 'manager, and no job starts until it is back; it takes effect from 2 replicas');
  }
  if (props.spreadAcrossNodes === true && replicas === 1) {
    warnings.push('spreadAcrossNodes with 1 replica has no effect: one manager pod has nothing to spread across nodes; '
      + 'it takes effect from 2 replicas');
  }
  const runnerName = props.runnerName ?? fullname;
  check.nonEmptyString('runnerName', runnerName);
  if (/[\r\n]/.test(runnerName)) check.fail('runnerName', runnerName, 'a single-line name');
  const featureFlags = checkFeatureFlags(check, props.featureFlags ?? {});

  return {
    path,
    gitlabUrl,
    tokenSecretName,
    tokenSecretRevision: props.tokenSecretRevision === undefined ? undefined : tokenRevision(check, props.tokenSecretRevision),
    releaseName,
    fullname,
    namespace,
    jobNamespace,
    createNamespaces: check.boolean('createNamespaces', props.createNamespaces ?? props.namespaces === undefined),
    namespaces: props.namespaces,
    runnerName,
    runnerVersion,
    chartVersion: `0.80.${version![1]}`,
    imageRegistry: check.registryHost('imageRegistry', props.imageRegistry ?? 'registry.gitlab.com'),
    imageRepository: check.repositoryPath('imageRepository', props.imageRepository ?? 'gitlab-org/gitlab-runner', 'gitlab-org/gitlab-runner'),
    metrics: check.boolean('metrics', props.metrics ?? true),
    replicas,
    concurrent,
    limit,
    jobsPerManager,
    configuredJobs: replicas * jobsPerManager,
    requestConcurrency: props.requestConcurrency === undefined ? undefined
      : check.integer('requestConcurrency', props.requestConcurrency, { min: 1 }),
    outputLimit: props.outputLimit === undefined ? undefined : kilobytes(check, 'outputLimit', props.outputLimit),
    checkInterval: check.seconds('checkInterval', props.checkInterval ?? Duration.seconds(3), { min: 1 }),
    overCommit: check.boolean('overCommit', props.overCommit ?? false),
    ...lifecycle,
    podDisruptionBudget,
    spreadAcrossNodes,
    managerResources: props.managerResources === undefined ? DEFAULT_MANAGER_RESOURCES : managerResources(check, props.managerResources),
    managerNodeSelector: optionalMap(check.labels('managerNodeSelector', props.managerNodeSelector ?? {})),
    managerTolerations: optionalList(toKubeTolerations(check, 'managerTolerations', check.list('managerTolerations', props.managerTolerations) ?? [])),
    managerAffinity: props.managerAffinity === undefined ? undefined : managerAffinity(check, props.managerAffinity),
    managerPriorityClassName: props.managerPriorityClassName === undefined ? undefined
      : check.dnsSubdomain('managerPriorityClassName', props.managerPriorityClassName),
    logLevel: check.oneOf('logLevel', props.logLevel ?? LogLevel.INFO, Object.values(LogLevel)) as LogLevel,
    logFormat: props.logFormat === undefined ? undefined : check.oneOf('logFormat', props.logFormat, Object.values(LogFormat)) as LogFormat,
    tags: checkTags(check, props.tags ?? []),
    environment: checkEnvironment(check, props.environment ?? {}),
    featureFlags,
    preGetSourcesScript: optionalScript(check, 'preGetSourcesScript', props.preGetSourcesScript),
    postGetSourcesScript: optionalScript(check, 'postGetSourcesScript', props.postGetSourcesScript),
    preBuildScript: optionalScript(check, 'preBuildScript', props.preBuildScript),
    postBuildScript: optionalScript(check, 'postBuildScript', props.postBuildScript),
    printPodWarningEvents: check.boolean('printPodWarningEvents', props.printPodWarningEvents ?? true),
    podInformers: check.boolean('podInformers', props.podInformers ?? true),
    debugServices: check.boolean('debugServices', props.debugServices ?? false),
    jobPodPolicy,
    dnsStrategy,
    nodePool,
    cache: props.cache,
    cacheConfig: props.cache?._toConfig(check),
    jobNamespacePodSecurity: given ?? jobPodPolicy.podSecurity.level,
    jobNamespacePodSecurityGiven: given !== undefined,
    // Each part of [runners.kubernetes] comes from one place: the policy, the DNS strategy, the node pool.
    jobPodParts: [
      jobPodPolicy._toKubernetesConfig(runnerVersion),
      dnsStrategy._toKubernetesConfig(),
      ...(nodePool ? [nodePool._toKubernetesConfig()] : []),
    ],
    warnings,
  };
}

/** The chart's `gitlab-runner.fullname` helper. */
export function chartFullname(releaseName: string): string {
  const name = releaseName.startsWith('gitlab-runner') ? releaseName : `${releaseName}-gitlab-runner`;
  return name.slice(0, 63).replace(/-$/, '');
}

function resolveNamespaces(check: PropChecker, props: RunnerManagerProps): { namespace: string; jobNamespace: string } {
  const given = props.namespaces;
  if (given !== undefined && !(given instanceof RunnerNamespaces)) check.fail('namespaces', given, 'a RunnerNamespaces, e.g. another manager\'s namespaces');
  if (given !== undefined && props.createNamespaces === true) {
    check.fail('createNamespaces', true, 'false or unset with namespaces: the given RunnerNamespaces already creates (or leaves out) the Namespace objects');
  }
  const namespace = check.dnsLabel('namespace', props.namespace ?? given?.namespace ?? DEFAULT_NAMESPACE);
  const jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace ?? given?.jobNamespace ?? defaultJobNamespace(namespace));
  for (const [prop, name, theirs] of [['namespace', namespace, given?.namespace], ['jobNamespace', jobNamespace, given?.jobNamespace]] as const) {
    if (theirs !== undefined && name !== theirs) {
      check.fail(prop, name, `"${theirs}", the name in the given namespaces (${given!.node.path}), or no namespaces prop`);
    }
  }
  const shared = check.boolean('sharedNamespace', props.sharedNamespace ?? false);
  if (jobNamespace === namespace && !shared) {
    check.fail('jobNamespace', jobNamespace, `a namespace other than the manager's ("${namespace}"): in one namespace the `
      + 'manager loses its restricted Pod Security level to the jobs\' level and job pods sit beside the runner token Secret; '
      + 'set sharedNamespace: true if that is what you want');
  }
  if (jobNamespace !== namespace && shared) {
    check.fail('sharedNamespace', true, `false, or jobNamespace equal to namespace ("${namespace}"): the namespaces differ`);
  }
  return { namespace, jobNamespace };
}

type Lifecycle = Pick<ResolvedRunnerSettings, 'shutdownTimeout' | 'jobTimeout' | 'terminationGracePeriod' | 'terminationGracePeriodGiven'
| 'drainOnStop' | 'unregisterRunners'>;

/** Drain or unregister, and a grace period long enough for either. */
function resolveLifecycle(check: PropChecker, props: RunnerManagerProps): Lifecycle {
  const shutdownTimeout = check.seconds('shutdownTimeout', props.shutdownTimeout ?? Duration.seconds(30), { min: 1 });
  const jobTimeout = check.seconds('jobTimeout', props.jobTimeout ?? Duration.hours(1), { min: 1 });
  const unregister = props.unregisterRunners === undefined ? undefined : check.boolean('unregisterRunners', props.unregisterRunners);
  const drainOnStop = check.boolean('drainOnStop', props.drainOnStop ?? !unregister);
  if (drainOnStop && unregister) {
    check.fail('unregisterRunners', true, 'false with drainOnStop: chart 0.80 runs its unregister hook only when no lifecycle is set, '
      + 'and the drain is that lifecycle; set drainOnStop: false to unregister instead (running jobs are then aborted on stop)');
  }
  const needed = jobTimeout + shutdownTimeout;
  const grace = props.terminationGracePeriod === undefined ? needed
    : check.seconds('terminationGracePeriod', props.terminationGracePeriod, { min: 1 });
  if (drainOnStop && grace < needed) {
    check.fail('terminationGracePeriod', `${grace}s`, `at least jobTimeout + shutdownTimeout (${jobTimeout}s + `
      + `${shutdownTimeout}s = ${needed}s): a draining manager waits for its running jobs, and Kubernetes kills it when the grace period ends`);
  }
  if (!drainOnStop && grace <= shutdownTimeout) {
    check.fail('terminationGracePeriod', `${grace}s`, `more than shutdownTimeout (${shutdownTimeout}s): `
      + 'the runner aborts its jobs on SIGTERM and needs that long to clean up their pods');
  }
  return {
    shutdownTimeout, jobTimeout, terminationGracePeriod: grace, terminationGracePeriodGiven: props.terminationGracePeriod !== undefined,
    drainOnStop, unregisterRunners: unregister ?? !drainOnStop,
  };
}
