import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import { ContainerResources, ISecret, IServiceAccount, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CiNodePool, describeCapacity, PoolCapacity } from './ci-node-pool';
import { DnsStrategy } from './dns-strategy';
import { JobPodPolicy } from './job-pod-policy';
import { JobVolume } from './job-volume';
import { globalToHelmValues, HelmRbacRule, HelmValues, KubeResourceRequirements } from './model/helm-values';
import {
  FEATURE_FLAGS, GlobalConfig, KubernetesConfig, LogFormatValue, LogLevelValue, RunnerConfig, RunnerEntry, VolumesConfig,
} from './model/runner-config';
import { GeneratedFileKind } from './output/files';
import { FileModel, FileRegistry } from './output/registry';
import { isStricter, PodSecurityLevel, podSecurityLabels } from './pod-security';
import { escapeHelmTemplate, renderRunnerConfig, renderRunnerTemplate } from './render/toml';
import { prune } from './render/yaml';
import { kubeResources, resourceQuantities } from './resources';
import { RunnerCache } from './runner-cache';
import { managerPolicyRules } from './runner-permissions';
import { Toleration, toKubeTolerations } from './toleration';
import { INT32_MAX, PropChecker } from './validation/checks';
import { checkProps } from './validation/known-keys';
import { Clusters } from './validation/clusters';
import { scanManifestsForCredentials } from './validation/credential-scan';
import { parseQuantity } from './validation/quantity';
import { isCredentialName, isVariableReference, looksLikeCredential, WHERE_SECRETS_BELONG } from './validation/secrets';
import { addWarning } from './validation/warnings';

/** The runner's log level (`log_level`). */
export enum LogLevel {
  TRACE = 'trace',
  DEBUG = 'debug',
  INFO = 'info',
  WARN = 'warn',
  ERROR = 'error',
  FATAL = 'fatal',
  PANIC = 'panic',
}

/** The runner's log format (`log_format`). */
export enum LogFormat {
  /** Coloured text for terminals (the runner's default). */
  RUNNER = 'runner',
  /** Plain text. */
  TEXT = 'text',
  /** One JSON object per line, for log pipelines. */
  JSON = 'json',
}

/** An `/etc/hosts` entry of job pods. */
export interface JobHostAlias {
  /** The IP address. */
  readonly ip: string;
  /** Host names for it. */
  readonly hostnames: string[];
}

/** The image of jobs that name none, unless `jobImage` says otherwise. */
export const DEFAULT_JOB_IMAGE = 'alpine:3.22';

/** Properties of a `RunnerManager`. */
export interface RunnerManagerProps {
  /**
   * URL of the GitLab instance, e.g. `https://gitlab.com/` or `http://192.168.1.50/`.
   * Becomes the chart's `gitlabUrl`.
   */
  readonly gitlabUrl: string;

  /**
   * Existing Secret in the manager's namespace with the keys `runner-token` (a `glrt-` runner
   * authentication token) and `runner-registration-token` (may be empty). The chart mounts both
   * keys and fails to start the pod if either is missing. The token itself never passes through
   * this library. Use `Secret.fromSecretName(this, 'Token', 'gitlab-runner-token')`.
   */
  readonly tokenSecret: ISecret;

  /**
   * A revision of the token Secret's content, e.g. the date it was last rotated. The chart restarts
   * the manager pods only when Secrets it creates change (`checksum/secrets`), never for this
   * existing Secret, so a rotated token would wait for the next restart. Give a new value whenever
   * you rotate the token: it becomes the manager pods' annotation `cdk8s-gitlab-runner/token-revision`
   * (the chart's `podAnnotations`), and `helm upgrade` then rolls the managers. Never the token itself.
   * @default - no annotation: rotate by restarting the Deployment (`kubectl rollout restart`)
   */
  readonly tokenSecretRevision?: string;

  /**
   * Helm release name. The chart names its Deployment, ConfigMap, ServiceAccount, Role and
   * labels after it (`<release>` if it starts with `gitlab-runner`, else `<release>-gitlab-runner`).
   * @default "gitlab-runner"
   */
  readonly releaseName?: string;

  /**
   * Namespace of the manager Deployment (the Helm release's namespace).
   * @default "gitlab-runner"
   */
  readonly namespace?: string;

  /**
   * Namespace of the job pods. Separate from the manager's by default so that each carries its
   * own Pod Security level: the manager passes `restricted`, while job pods need `baseline`, or
   * `privileged` for Docker-in-Docker.
   * @default - `<namespace>-jobs`
   */
  readonly jobNamespace?: string;

  /**
   * Run the manager and its jobs in one namespace (`jobNamespace` equal to `namespace`). The
   * namespace then takes the jobs' Pod Security level (`privileged` for DinD), so the manager loses
   * its `restricted` level, and every job pod shares the namespace of the runner token Secret.
   * Without this, equal namespaces are an error.
   * @default false
   */
  readonly sharedNamespace?: boolean;

  /**
   * Add Namespace objects (with Pod Security labels) for the manager's and jobs' namespaces.
   * Turn off when the platform creates namespaces itself.
   * @default true
   */
  readonly createNamespaces?: boolean;

  /**
   * Name the runner registers with (the chart's `runners.name`).
   * @default - the chart's resource name, e.g. "gitlab-runner"
   */
  readonly runnerName?: string;

  /**
   * GitLab Runner version; it sets the chart version (18.3.x is chart 0.80.x) and the manager
   * image tag (`alpine-v<version>`). Only 18.3.x is supported: the values model is checked
   * against chart 0.80.
   * @default "18.3.0"
   */
  readonly runnerVersion?: string;

  /**
   * Registry of the manager image, e.g. a mirror such as `registry.example.com`.
   * @default "registry.gitlab.com"
   */
  readonly imageRegistry?: string;

  /**
   * Repository of the manager image inside the registry.
   * @default "gitlab-org/gitlab-runner"
   */
  readonly imageRepository?: string;

  /**
   * Number of manager pods. Each registers as a runner manager of the same runner and runs up
   * to `concurrent` jobs, so the total is `replicas × concurrent`.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Jobs each manager pod runs at once (global `concurrent`).
   * @default 10
   */
  readonly concurrent?: number;

  /**
   * Jobs this runner entry runs at once per manager (`limit`); 0 means only `concurrent` applies.
   * @default 0
   */
  readonly limit?: number;

  /**
   * Concurrent requests for new jobs to GitLab (`request_concurrency`).
   * @default 1
   */
  readonly requestConcurrency?: number;

  /**
   * Maximum job log size (`output_limit`, whole kilobytes).
   * @default - 4 MiB (the runner's default)
   */
  readonly outputLimit?: Size;

  /**
   * How often each manager asks GitLab for new jobs (`check_interval`).
   * @default Duration.seconds(3)
   */
  readonly checkInterval?: Duration;

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

  /**
   * How long the runner's forced shutdown may take (`shutdown_timeout`): aborting running jobs and
   * cleaning up their pods after the graceful drain is cut short.
   * @default Duration.seconds(30)
   */
  readonly shutdownTimeout?: Duration;

  /**
   * The longest job this runner runs (the maximum job timeout set on the runner or the projects in
   * GitLab): how long a draining manager waits for its running jobs.
   * @default Duration.hours(1) (GitLab's default job timeout)
   */
  readonly jobTimeout?: Duration;

  /**
   * Grace period of the manager pod on deletion (`terminationGracePeriodSeconds`). When draining,
   * at least `jobTimeout` + `shutdownTimeout`, so that a drain never kills a job that could have
   * finished; otherwise more than `shutdownTimeout`.
   * @default - `jobTimeout` + `shutdownTimeout`
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Drain a stopping manager (upgrade, node drain, scale-in). The runner only drains on SIGQUIT;
   * Kubernetes sends SIGTERM, on which the runner aborts its running jobs. So a preStop hook
   * (`deploymentLifecycle`) sends SIGQUIT: the runner takes no new jobs and waits for its running
   * ones, up to `terminationGracePeriod` − `shutdownTimeout`; then SIGTERM aborts what is left
   * within `shutdownTimeout`. Chart 0.80 runs its unregister hook only without a lifecycle, so
   * this and `unregisterRunners` exclude each other.
   * @default - true, unless `unregisterRunners` is true
   */
  readonly drainOnStop?: boolean;

  /**
   * A PodDisruptionBudget keeping all but one manager running through voluntary disruptions (node
   * drains, cluster upgrades); the chart has none.
   * @default - with 2 or more replicas
   */
  readonly podDisruptionBudget?: boolean;

  /**
   * Spread the manager pods across nodes (`topologySpreadConstraints` on `kubernetes.io/hostname`,
   * `ScheduleAnyway`), so that one node's loss does not take every manager.
   * @default - with 2 or more replicas
   */
  readonly spreadAcrossNodes?: boolean;

  /**
   * Unregister the manager from GitLab when its pod stops (the chart's preStop hook; with `glrt-`
   * tokens this deletes the runner manager entry, not the runner). Running jobs are then aborted on
   * stop: see `drainOnStop`. Without it, each stopped pod leaves a stale manager entry under the
   * runner in GitLab.
   * @default - false when draining (`drainOnStop`), else true
   */
  readonly unregisterRunners?: boolean;

  /**
   * What each job pod gets: resources, security profile, pull policy, helper image.
   * @default - a `JobPodPolicy` with seed 004's resources and the root-builder profile
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
   * Accept more configured jobs (`replicas × concurrent`, bounded by `limit`) than the node pool
   * fits by requests: the extra job pods wait Pending and fail after `pollTimeout`. Without this,
   * that over-commit fails synthesis; with it, it is a warning.
   * @default false
   */
  readonly overCommit?: boolean;

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

  /**
   * Tags of this runner, for pipelines generated against it. With `glrt-` tokens tags are set on
   * the runner in GitLab (Settings > CI/CD > Runners, or the `POST /user/runners` API), never in
   * the chart values, which drop them; this list must match what is set there.
   * @default - no tags
   */
  readonly tags?: string[];

  /**
   * Shared CI cache.
   * @default - no distributed cache (the cache stays in each job pod and is lost)
   */
  readonly cache?: RunnerCache;

  /**
   * Expose Prometheus metrics on port 9252 and a ClusterIP Service for them.
   * @default true
   */
  readonly metrics?: boolean;

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
   * Default image of jobs that name none, pinned by tag.
   * @default "alpine:3.22"
   */
  readonly jobImage?: string;

  /**
   * Registry Secrets for pulling job images (`image_pull_secrets`), in the jobs' namespace.
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];

  /**
   * ServiceAccount of job pods, in the jobs' namespace. Without one, job pods get no API token.
   * @default - the namespace's default ServiceAccount, with its token not mounted
   */
  readonly jobServiceAccount?: IServiceAccount;

  /**
   * Regular expression of ServiceAccounts a job may choose with `KUBERNETES_SERVICE_ACCOUNT_OVERWRITE`.
   * @default - jobs cannot choose
   */
  readonly jobServiceAccountOverwriteAllowed?: string;

  /**
   * Grace period of job pods on deletion (`pod_termination_grace_period_seconds`).
   * @default - Kubernetes' default (30 seconds)
   */
  readonly podTerminationGracePeriod?: Duration;

  /**
   * How long the runner keeps trying to delete a finished job's pod and other objects
   * (`cleanup_resources_timeout`).
   * @default Duration.minutes(5)
   */
  readonly jobCleanupTimeout?: Duration;

  /**
   * `/etc/hosts` entries of job pods.
   * @default - none
   */
  readonly hostAliases?: JobHostAlias[];

  /**
   * Volumes mounted into job pods.
   * @default - none
   */
  readonly volumes?: JobVolume[];

  /**
   * Allow `JobVolume.hostPath()` volumes. Host paths expose the node to every job and are
   * forbidden by the Pod Security `baseline` level.
   * @default false
   */
  readonly allowHostPathVolumes?: boolean;
}

/** Chart 0.80.x is the chart of runner 18.3.x (`0.80.<patch>` = `18.3.<patch>`). */
const SUPPORTED_RUNNER = /^18\.3\.(\d+)$/;
/** The manager pods' annotation that changes with the token Secret, so that the Deployment rolls. */
const TOKEN_REVISION_ANNOTATION = 'cdk8s-gitlab-runner/token-revision';
const DEFAULT_MANAGER_RESOURCES: KubeResourceRequirements = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
};

/**
 * A GitLab Runner manager on Kubernetes, deployed with the official `gitlab-runner` Helm chart
 * (0.80.x). It renders the chart's values, including the runner's `config.toml` template, from
 * typed props, and adds to its chart the Namespaces and the jobs' namespace RBAC the chart does
 * not create. On `app.synth()` the values are written to
 * `<chart>.gitlab-runner-values.yaml` next to `<chart>.k8s.yaml`.
 */
export class RunnerManager extends Construct {
  /** The Helm release name. */
  public readonly releaseName: string;
  /** The name the chart gives its objects (`<release>` or `<release>-gitlab-runner`). */
  public readonly fullname: string;
  /** The ServiceAccount the chart creates for the manager. */
  public readonly serviceAccountName: string;
  /** The manager's namespace. */
  public readonly namespace: string;
  /** The job pods' namespace. */
  public readonly jobNamespace: string;
  /** The GitLab URL. */
  public readonly gitlabUrl: string;
  /** The runner version. */
  public readonly runnerVersion: string;
  /** The Helm chart version to install. */
  public readonly chartVersion: string;
  /** Manager replicas. */
  public readonly replicas: number;
  /** Jobs per manager. */
  public readonly concurrent: number;
  /** Jobs one manager runs at once: `concurrent`, bounded by `limit`. */
  public readonly jobsPerManager: number;
  /** Jobs all managers run at once: `replicas` × `jobsPerManager`. */
  public readonly configuredJobs: number;
  /** What the node pool holds of this runner's jobs, when the pool's size is given. */
  public readonly capacity?: PoolCapacity;
  /** The runner's tags (set in GitLab; used by generated pipelines). */
  public readonly tags: readonly string[];
  /** Whether job containers run privileged. */
  public readonly privileged: boolean;
  /** What each job pod gets. */
  public readonly jobPodPolicy: JobPodPolicy;
  /** DNS of job pods. */
  public readonly dnsStrategy: DnsStrategy;
  /** The CI node pool, if any. */
  public readonly nodePool?: CiNodePool;
  /** The shared CI cache, if any. */
  public readonly cache?: RunnerCache;
  /** The Pod Security level of the jobs' namespace. */
  public readonly jobNamespacePodSecurity: PodSecurityLevel;
  /** Default image of jobs that name none. */
  public readonly jobImage: string;
  /** The longest job, in seconds. */
  public readonly jobTimeout: number;
  /** The manager pod's grace period, in seconds. */
  public readonly terminationGracePeriodSeconds: number;
  /** Whether a stopping manager drains its running jobs (`drainOnStop`). */
  public readonly drainOnStop: boolean;
  /** The Kubernetes API rules the manager needs in the jobs' namespace. */
  public readonly policyRules: readonly HelmRbacRule[];
  /** The runner configuration: the global settings and the one `[[runners]]` entry. */
  public readonly runnerConfig: RunnerConfig;
  /** The complete `config.toml` the runner will run with (before registration adds url and token). */
  public readonly configToml: string;
  /** The values for the `gitlab-runner` Helm chart. */
  public readonly helmValues: HelmValues;

  constructor(scope: Construct, id: string, props: RunnerManagerProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker(this.node.path);
    // Registered first, so that its errors come before the collisions' (Clusters).
    scanManifestsForCredentials(this);
    if (props === undefined || props === null || typeof props !== 'object') {
      check.fail('props', props, 'an object with at least gitlabUrl and tokenSecret');
    }
    checkProps(check, props, 'RunnerManagerProps');

    this.gitlabUrl = check.httpUrl('gitlabUrl', props.gitlabUrl);
    if (/(^|\/)api(\/|$)/i.test(new URL(this.gitlabUrl).pathname)) {
      check.fail('gitlabUrl', this.gitlabUrl, 'the URL of the GitLab instance without an /api/ path, e.g. "https://gitlab.example.com/" '
        + 'or, for a relative URL root, "https://example.com/gitlab/": the runner appends /api/v4 itself');
    }
    if (!props.tokenSecret || typeof props.tokenSecret !== 'object') {
      check.fail('tokenSecret', props.tokenSecret, 'a Secret reference, e.g. Secret.fromSecretName(this, \'Token\', \'gitlab-runner-token\')');
    }
    const tokenSecretName = check.dnsSubdomain('tokenSecret.name', props.tokenSecret.name);
    this.releaseName = check.dnsLabel('releaseName', props.releaseName ?? 'gitlab-runner', 53);
    this.fullname = chartFullname(this.releaseName);
    this.serviceAccountName = this.fullname;
    this.namespace = check.dnsLabel('namespace', props.namespace ?? 'gitlab-runner');
    this.jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace ?? `${this.namespace}-jobs`);
    const shared = check.boolean('sharedNamespace', props.sharedNamespace ?? false);
    if (this.jobNamespace === this.namespace && !shared) {
      check.fail('jobNamespace', this.jobNamespace, `a namespace other than the manager's ("${this.namespace}"): in one namespace the `
        + 'manager loses its restricted Pod Security level to the jobs\' level and job pods sit beside the runner token Secret; '
        + 'set sharedNamespace: true if that is what you want');
    }
    if (this.jobNamespace !== this.namespace && shared) {
      check.fail('sharedNamespace', true, `false, or jobNamespace equal to namespace ("${this.namespace}"): the namespaces differ`);
    }

    this.runnerVersion = props.runnerVersion ?? '18.3.0';
    const version = SUPPORTED_RUNNER.exec(this.runnerVersion);
    if (!version) {
      check.fail('runnerVersion', this.runnerVersion, 'a GitLab Runner 18.3.x version such as "18.3.0": the values are checked against chart 0.80.x');
    }
    this.chartVersion = `0.80.${version[1]}`;

    this.replicas = check.integer('replicas', props.replicas ?? 2, { min: 1 });
    this.concurrent = check.integer('concurrent', props.concurrent ?? 10, { min: 1 });
    this.tags = checkTags(check, props.tags ?? []);
    this.jobPodPolicy = props.jobPodPolicy ?? new JobPodPolicy(this, 'JobPodPolicy');
    if (!(this.jobPodPolicy instanceof JobPodPolicy)) check.fail('jobPodPolicy', props.jobPodPolicy, 'a JobPodPolicy construct');
    this.dnsStrategy = props.dnsStrategy ?? DnsStrategy.clusterDefault();
    if (!(this.dnsStrategy instanceof DnsStrategy)) check.fail('dnsStrategy', props.dnsStrategy, 'DnsStrategy.internal(), .publicCloud(), .hybrid() or .clusterDefault()');
    this.nodePool = props.nodePool;
    if (this.nodePool !== undefined && !(this.nodePool instanceof CiNodePool)) check.fail('nodePool', props.nodePool, 'a CiNodePool construct');
    this.privileged = this.jobPodPolicy.privileged;
    this.jobNamespacePodSecurity = this.checkJobNamespaceLevel(check, props.jobNamespacePodSecurity, check.list('volumes', props.volumes));
    this.jobImage = check.pinnedImage('jobImage', props.jobImage ?? DEFAULT_JOB_IMAGE);
    const metrics = check.boolean('metrics', props.metrics ?? true);

    const shutdownTimeout = check.seconds('shutdownTimeout', props.shutdownTimeout ?? Duration.seconds(30), { min: 1 });
    this.jobTimeout = check.seconds('jobTimeout', props.jobTimeout ?? Duration.hours(1), { min: 1 });
    const unregisterRunners = props.unregisterRunners === undefined ? undefined : check.boolean('unregisterRunners', props.unregisterRunners);
    this.drainOnStop = check.boolean('drainOnStop', props.drainOnStop ?? !unregisterRunners);
    if (this.drainOnStop && unregisterRunners) {
      check.fail('unregisterRunners', true, 'false with drainOnStop: chart 0.80 runs its unregister hook only when no lifecycle is set, '
        + 'and the drain is that lifecycle; set drainOnStop: false to unregister instead (running jobs are then aborted on stop)');
    }
    const needed = this.jobTimeout + shutdownTimeout;
    const terminationGracePeriod = props.terminationGracePeriod === undefined ? needed
      : check.seconds('terminationGracePeriod', props.terminationGracePeriod, { min: 1 });
    if (this.drainOnStop && terminationGracePeriod < needed) {
      check.fail('terminationGracePeriod', `${terminationGracePeriod}s`, `at least jobTimeout + shutdownTimeout (${this.jobTimeout}s + `
        + `${shutdownTimeout}s = ${needed}s): a draining manager waits for its running jobs, and Kubernetes kills it when the grace period ends`);
    }
    if (!this.drainOnStop && terminationGracePeriod <= shutdownTimeout) {
      check.fail('terminationGracePeriod', `${terminationGracePeriod}s`, `more than shutdownTimeout (${shutdownTimeout}s): `
        + 'the runner aborts its jobs on SIGTERM and needs that long to clean up their pods');
    }
    this.terminationGracePeriodSeconds = terminationGracePeriod;

    const global: GlobalConfig = {
      concurrent: this.concurrent,
      checkInterval: check.seconds('checkInterval', props.checkInterval ?? Duration.seconds(3), { min: 1 }),
      logLevel: check.oneOf('logLevel', props.logLevel ?? LogLevel.INFO, Object.values(LogLevel)) as LogLevelValue,
      logFormat: props.logFormat === undefined ? undefined
        : check.oneOf('logFormat', props.logFormat, Object.values(LogFormat)) as LogFormatValue,
      shutdownTimeout,
      listenAddress: metrics ? ':9252' : undefined,
    };

    const featureFlags = checkFeatureFlags(check, props.featureFlags ?? {});
    const printPodWarningEvents = check.boolean('printPodWarningEvents', props.printPodWarningEvents ?? true);
    const limit = props.limit === undefined ? undefined : check.integer('limit', props.limit, { min: 0 });
    this.jobsPerManager = limit ? Math.min(limit, this.concurrent) : this.concurrent;
    if (limit && limit >= this.concurrent) {
      addWarning(this, `limit ${limit} has no effect: it is not below concurrent (${this.concurrent}), which already bounds each manager; `
        + 'lower it below concurrent, or leave it out');
    }
    this.configuredJobs = this.replicas * this.jobsPerManager;
    this.capacity = this.nodePool?.capacity(this.jobPodPolicy);
    this.checkCapacity(check, check.boolean('overCommit', props.overCommit ?? false));
    if (props.cache !== undefined && !(props.cache instanceof RunnerCache)) {
      check.fail('cache', props.cache, 'a RunnerCache, e.g. RunnerCache.s3({ bucketName: \'runner-cache\' })');
    }
    this.cache = props.cache;
    const runner: RunnerEntry = {
      executor: 'kubernetes',
      limit,
      requestConcurrency: props.requestConcurrency === undefined ? undefined
        : check.integer('requestConcurrency', props.requestConcurrency, { min: 1 }),
      outputLimit: props.outputLimit === undefined ? undefined : kilobytes(check, 'outputLimit', props.outputLimit),
      environment: checkEnvironment(check, props.environment ?? {}),
      preGetSourcesScript: optionalScript(check, 'preGetSourcesScript', props.preGetSourcesScript),
      postGetSourcesScript: optionalScript(check, 'postGetSourcesScript', props.postGetSourcesScript),
      preBuildScript: optionalScript(check, 'preBuildScript', props.preBuildScript),
      postBuildScript: optionalScript(check, 'postBuildScript', props.postBuildScript),
      featureFlags,
      cache: props.cache?._toConfig(check),
      kubernetes: this.kubernetesConfig(check, props),
    };

    this.runnerConfig = prune<RunnerConfig>({ global, runners: [runner] }, { dropEmpty: true });
    this.configToml = renderRunnerConfig(this.runnerConfig);
    this.policyRules = managerPolicyRules({
      printPodWarningEvents,
      // namespace_per_job is not offered: a namespace per job has no Pod Security level or NetworkPolicy of ours.
      namespacePerJob: false,
      informers: check.boolean('podInformers', props.podInformers ?? true),
      debugServices: check.boolean('debugServices', props.debugServices ?? false),
      featureFlags,
    });

    const runnerName = props.runnerName ?? this.fullname;
    check.nonEmptyString('runnerName', runnerName);
    if (/[\r\n]/.test(runnerName)) check.fail('runnerName', runnerName, 'a single-line name');

    this.helmValues = prune<HelmValues>({
      image: {
        registry: check.registryHost('imageRegistry', props.imageRegistry ?? 'registry.gitlab.com'),
        image: check.repositoryPath('imageRepository', props.imageRepository ?? 'gitlab-org/gitlab-runner', 'gitlab-org/gitlab-runner'),
        tag: `alpine-v${this.runnerVersion}`,
      },
      imagePullPolicy: 'IfNotPresent',
      gitlabUrl: this.gitlabUrl,
      replicas: this.replicas,
      ...globalToHelmValues(global),
      terminationGracePeriodSeconds: terminationGracePeriod,
      unregisterRunners: unregisterRunners ?? !this.drainOnStop,
      deploymentLifecycle: this.drainOnStop
        ? { preStop: { exec: { command: ['/bin/sh', '-c', drainScript(terminationGracePeriod - shutdownTimeout)] } } }
        : undefined,
      // Our own Role and RoleBinding, in the jobs' namespace only: the chart's Role would sit in the
      // manager's namespace (chart 0.84+: in runners.jobNamespace) with rights the manager never uses there.
      rbac: { create: false },
      serviceAccount: { create: true },
      runners: {
        executor: 'kubernetes',
        name: runnerName,
        secret: tokenSecretName,
        config: escapeHelmTemplate(renderRunnerTemplate(this.runnerConfig.runners[0])),
        cache: props.cache?.credentials ? { secretName: props.cache.credentials.name } : undefined,
      },
      service: metrics ? { enabled: true, type: 'ClusterIP' } : undefined,
      // Passes the Pod Security `restricted` level; uid 100 is the alpine image's gitlab-runner user.
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: 100,
        fsGroup: 65533,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: false,
        runAsNonRoot: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      podAnnotations: props.tokenSecretRevision === undefined ? undefined
        : { [TOKEN_REVISION_ANNOTATION]: tokenRevision(check, props.tokenSecretRevision) },
      resources: props.managerResources === undefined ? DEFAULT_MANAGER_RESOURCES
        : managerResources(check, props.managerResources),
      nodeSelector: optionalMap(check.labels('managerNodeSelector', props.managerNodeSelector ?? {})),
      tolerations: optionalList(toKubeTolerations(check, 'managerTolerations', check.list('managerTolerations', props.managerTolerations) ?? [])),
      affinity: props.managerAffinity === undefined ? undefined : managerAffinity(check, props.managerAffinity),
      topologySpreadConstraints: check.boolean('spreadAcrossNodes', props.spreadAcrossNodes ?? this.replicas >= 2) ? [{
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...this.managerPodSelector } },
      }] : undefined,
      priorityClassName: props.managerPriorityClassName === undefined ? undefined
        : check.dnsSubdomain('managerPriorityClassName', props.managerPriorityClassName),
    });
    check.helmPrinted(this.helmValues, {
      replicas: { prop: 'replicas' },
      concurrent: { prop: 'concurrent' },
      checkInterval: { prop: 'checkInterval' },
      shutdown_timeout: { prop: 'shutdownTimeout' },
      terminationGracePeriodSeconds: props.terminationGracePeriod !== undefined ? { prop: 'terminationGracePeriod' }
        : { prop: 'jobTimeout', how: `terminationGracePeriodSeconds is jobTimeout + shutdownTimeout (${this.jobTimeout}s + ${shutdownTimeout}s)` },
    });

    if (check.boolean('createNamespaces', props.createNamespaces ?? true)) {
      if (this.jobNamespace !== this.namespace) {
        this.addNamespace('ManagerNamespace', this.namespace, PodSecurityLevel.RESTRICTED);
        this.addNamespace('JobNamespace', this.jobNamespace, this.jobNamespacePodSecurity);
      } else {
        // One namespace for both: the jobs' level, which the restricted manager pod passes too.
        this.addNamespace('ManagerNamespace', this.namespace, this.jobNamespacePodSecurity);
      }
    }
    this.addJobNamespaceRbac();
    Clusters.of(this).addRelease(this, this.namespace, this.releaseName);
    if (props.podDisruptionBudget === true && this.replicas === 1) {
      addWarning(this, 'podDisruptionBudget with 1 replica protects nothing: its maxUnavailable of 1 lets a node drain evict the only '
        + 'manager, and no job starts until it is back; it takes effect from 2 replicas');
    }
    if (props.spreadAcrossNodes === true && this.replicas === 1) {
      addWarning(this, 'spreadAcrossNodes with 1 replica has no effect: one manager pod has nothing to spread across nodes; '
        + 'it takes effect from 2 replicas');
    }
    if (check.boolean('podDisruptionBudget', props.podDisruptionBudget ?? this.replicas >= 2)) {
      new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: { name: this.fullname, namespace: this.namespace, labels: this.commonLabels() },
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: { ...this.managerPodSelector } },
          // A crash-looping manager must not block node drains.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }
    if (this.nodePool?.prePuller && ![this.namespace, this.jobNamespace].includes(this.nodePool.namespace)) {
      addWarning(this, `the pre-puller of ${this.nodePool.node.path} is in namespace "${this.nodePool.namespace}", which this `
        + `manager does not create (it creates "${this.namespace}" and "${this.jobNamespace}"); create it, or give the pool namespace: "${this.jobNamespace}"`);
    }
    this.nodePool?.addPrePullImage({ image: this.jobPodPolicy.helperImageFor(this.runnerVersion) });
    this.nodePool?.addPrePullImage({ image: this.jobImage });
    this.dnsStrategy._warnAboutImages(this, this.jobPodPolicy.helperImageFor(this.runnerVersion), this.jobImage);

    FileRegistry.of(this).add(this, GeneratedFileKind.HELM_VALUES, { fileModel: () => this.valuesFile() });
  }

  /** The values file: a header with the install command, then the values. */
  private valuesFile(): FileModel {
    return { helmValues: this.helmValues, header: [
      `Values for the gitlab-runner Helm chart ${this.chartVersion} (GitLab Runner ${this.runnerVersion}).`,
      `Generated by cdk8s-gitlab-runner from ${this.node.path}; edit the cdk8s app, not this file.`,
      `Apply the chart's manifest first (namespaces, RBAC), then:`,
      `  helm upgrade --install ${this.releaseName} gitlab/gitlab-runner --version ${this.chartVersion} -n ${this.namespace} -f <this file>`,
    ] };
  }

  private kubernetesConfig(check: PropChecker, props: RunnerManagerProps): KubernetesConfig {
    const serviceAccount = props.jobServiceAccount === undefined ? undefined
      : check.dnsSubdomain('jobServiceAccount.name', props.jobServiceAccount?.name);
    const overwrite = props.jobServiceAccountOverwriteAllowed;
    if (overwrite !== undefined) checkRegex(check, 'jobServiceAccountOverwriteAllowed', overwrite);
    if (props.allowHostPathVolumes === true && !(props.volumes ?? []).some((v) => v instanceof JobVolume && v.isHostPath)) {
      addWarning(this, 'allowHostPathVolumes has no effect: no job volume is a host path (JobVolume.hostPath())');
    }

    // Each part of [runners.kubernetes] comes from one place: the policy (resources, security,
    // images), the DNS strategy, the node pool (placement), and the manager's own props.
    return {
      namespace: this.jobNamespace,
      image: this.jobImage,
      ...this.jobPodPolicy._toKubernetesConfig(this.runnerVersion),
      ...this.dnsStrategy._toKubernetesConfig(check, 'dnsStrategy'),
      ...this.nodePool?._toKubernetesConfig(),
      imagePullSecrets: check.list('imagePullSecrets', props.imagePullSecrets)?.map((s, i) => check.dnsSubdomain(`imagePullSecrets[${i}].name`, s?.name)),
      serviceAccount,
      serviceAccountOverwriteAllowed: overwrite,
      automountServiceAccountToken: serviceAccount !== undefined,
      podTerminationGracePeriodSeconds: props.podTerminationGracePeriod === undefined ? undefined
        : check.seconds('podTerminationGracePeriod', props.podTerminationGracePeriod, { min: 0 }),
      // Written only when off: the runner's default is on.
      printPodWarningEvents: props.printPodWarningEvents === false ? false : undefined,
      cleanupResourcesTimeout: props.jobCleanupTimeout === undefined ? undefined
        : check.goDuration('jobCleanupTimeout', props.jobCleanupTimeout, { min: 1 }),
      hostAliases: check.list('hostAliases', props.hostAliases)?.map((alias, i) => ({
        ip: check.ipAddress(`hostAliases[${i}].ip`, alias?.ip),
        hostnames: checkHostnames(check, `hostAliases[${i}].hostnames`, alias.hostnames),
      })),
      volumes: volumesConfig(check, check.list('volumes', props.volumes) ?? [], props.allowHostPathVolumes ?? false),
    };
  }

  /** The jobs' namespace level must allow what the policy's profile needs. */
  private checkJobNamespaceLevel(check: PropChecker, level: PodSecurityLevel | undefined, volumes: readonly JobVolume[] | undefined):
  PodSecurityLevel {
    // What job pods need: the policy's level, or privileged for a host path (baseline forbids them).
    const hostPath = (volumes ?? []).find((v) => v instanceof JobVolume && v.isHostPath);
    const needs = hostPath
      ? { level: PodSecurityLevel.PRIVILEGED, reason: `the job volume "${hostPath.name}" is a host path, which baseline forbids` }
      : { level: this.jobPodPolicy.podSecurity.level, reason: `${this.jobPodPolicy.node.path}: ${this.jobPodPolicy.podSecurity.reason}` };
    if (level === undefined) return needs.level;
    check.oneOf('jobNamespacePodSecurity', level, Object.values(PodSecurityLevel));
    if (isStricter(level, needs.level)) {
      check.fail('jobNamespacePodSecurity', level, `"${needs.level}" or less strict: job pods would be rejected, since ${needs.reason}`);
    }
    return level;
  }

  /**
   * Configured jobs (`replicas × concurrent`, bounded by `limit`) against what the node pool fits:
   * beyond the requests basis, job pods wait Pending until `poll_timeout` fails them.
   */
  /** The labels that select the manager pods: the chart's Deployment selector (`app: <fullname>`). */
  public get managerPodSelector(): { readonly [label: string]: string } {
    return { app: this.fullname };
  }

  private checkCapacity(check: PropChecker, overCommit: boolean): void {
    const { capacity, configuredJobs: configured } = this;
    if (!capacity) {
      if (overCommit) {
        addWarning(this, 'overCommit has no effect: without a nodePool whose size is given (nodes, nodeCpu and nodeMemory), '
          + 'no capacity is checked, so there is nothing to over-commit');
      }
      return;
    }
    const limited = this.jobsPerManager < this.concurrent;
    const how = `${this.replicas} replicas × ${this.jobsPerManager} jobs${limited ? ' (limit)' : ''} = ${configured} concurrent jobs`;
    if (configured > capacity.requests.jobs) {
      const message = `${how}, but ${describeCapacity(capacity, 'requests')}; the other job pods stay Pending until pollTimeout fails them`;
      if (!overCommit) {
        check.fail('concurrent', configured, `at most ${capacity.requests.jobs} jobs in all (${message}). `
          + 'Lower replicas, concurrent or limit, grow the pool, lower the job requests, or set overCommit: true');
      }
      addWarning(this, `over-commit: ${message}`);
    } else if (configured > capacity.limits.jobs) {
      addWarning(this, `${how} fit by requests but not by limits: ${describeCapacity(capacity, 'limits')}; `
        + 'jobs that use their limits at once will be throttled or OOM-killed');
    }
  }

  private addNamespace(id: string, name: string, level: PodSecurityLevel): void {
    const labels = { 'kubernetes.io/metadata.name': name, ...podSecurityLabels(level) };
    const existing = Chart.of(this).node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c))
      .find((o) => o.kind === 'Namespace' && o.name === name);
    if (existing) {
      const level0 = existing.metadata.getLabel('pod-security.kubernetes.io/enforce');
      if (level0 !== level) {
        new PropChecker(this.node.path).fail('namespace', name,
          `a namespace not shared with ${existing.node.path}, which needs Pod Security level "${level0}" where this one needs "${level}"`);
      }
      return;
    }
    const namespace = new k8s.KubeNamespace(this, id, { metadata: { name, labels } });
    // Objects created earlier in this chart (a node pool's pre-puller) must still be applied after their namespace.
    for (const obj of Chart.of(this).node.findAll()) {
      if (ApiObject.isApiObject(obj) && obj !== namespace && obj.metadata.namespace === name) obj.node.addDependency(namespace);
    }
  }

  /** The only Role the manager gets: in the jobs' namespace, bound to the chart's ServiceAccount. */
  private addJobNamespaceRbac(): void {
    new k8s.KubeRole(this, 'JobNamespaceRole', {
      metadata: { name: this.fullname, namespace: this.jobNamespace, labels: this.commonLabels() },
      rules: this.policyRules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    new k8s.KubeRoleBinding(this, 'JobNamespaceRoleBinding', {
      metadata: { name: this.fullname, namespace: this.jobNamespace, labels: this.commonLabels() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.fullname },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }],
    });
  }

  private commonLabels(): { [key: string]: string } {
    return { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': this.releaseName };
  }
}

/** The chart's `gitlab-runner.fullname` helper. */
export function chartFullname(releaseName: string): string {
  const name = releaseName.startsWith('gitlab-runner') ? releaseName : `${releaseName}-gitlab-runner`;
  return name.slice(0, 63).replace(/-$/, '');
}

function checkTags(check: PropChecker, tags: readonly string[]): string[] {
  if (!Array.isArray(tags)) check.fail('tags', tags, 'a list of tag names');
  tags.forEach((tag, i) => {
    check.noCredential(`tags[${i}]`, tag);
    if (typeof tag !== 'string' || tag.trim() !== tag || tag === '' || tag.includes(',')) {
      check.fail(`tags[${i}]`, tag, 'a non-empty tag without commas or surrounding spaces');
    }
    if (tags.indexOf(tag) !== i) check.fail(`tags[${i}]`, tag, 'tags without duplicates');
  });
  return [...tags];
}

function checkFeatureFlags(check: PropChecker, flags: { readonly [flag: string]: boolean }): { [flag: string]: boolean } {
  check.map('featureFlags', flags, 'a map of feature flag names to true or false');
  for (const [name, value] of Object.entries(flags)) {
    if (!FEATURE_FLAGS.includes(name)) {
      check.fail('featureFlags', name, 'a feature flag of GitLab Runner 18.3, e.g. "FF_USE_FASTZIP"; the runner ignores unknown names silently');
    }
    check.boolean(`featureFlags.${name}`, value);
  }
  return { ...flags };
}

function checkEnvironment(check: PropChecker, env: { readonly [name: string]: string }): string[] {
  check.map('environment', env, 'a map of variable names to values');
  return Object.keys(env).sort().map((name) => {
    check.envName('environment key', name);
    const value = env[name];
    if (typeof value !== 'string') check.fail(`environment.${name}`, value, 'a string');
    // config.toml is a ConfigMap: a literal credential there is readable by anyone who can read the namespace.
    if ((isCredentialName(name) && value !== '' && !isVariableReference(value)) || looksLikeCredential(value)) {
      check.fail(`environment.${name}`, value, `no literal credential: ${WHERE_SECRETS_BELONG}; `
        + `a reference to a CI/CD variable such as "$${name}" is allowed`);
    }
    return `${name}=${value}`;
  });
}

function tokenRevision(check: PropChecker, revision: string): string {
  const expected = 'a non-empty single-line revision such as the date of the rotation, e.g. "2026-12-01"';
  // Checked first, for the message that says what went wrong: the token itself was given.
  if (typeof revision === 'string' && looksLikeCredential(revision)) {
    check.fail('tokenSecretRevision', revision, `${expected}, never the token itself: ${WHERE_SECRETS_BELONG}`);
  }
  check.nonEmptyString('tokenSecretRevision', revision, expected);
  if (/[\r\n]/.test(revision)) check.fail('tokenSecretRevision', revision, expected);
  return revision;
}

function optionalScript(check: PropChecker, prop: string, script: string | undefined): string | undefined {
  if (script === undefined) return undefined;
  // config.toml is a ConfigMap: a literal credential in a script is readable by anyone who can read the namespace.
  return check.script(prop, script);
}

function kilobytes(check: PropChecker, prop: string, size: Size): number {
  const kib = parseQuantity(check.size(prop, size))! / 1024;
  // The runner reads a count of kilobytes; int32, like every integer we write.
  if (kib < 1 || kib > INT32_MAX) check.fail(prop, size, `at least 1 KiB and at most ${INT32_MAX} KiB`);
  return kib;
}

function checkRegex(check: PropChecker, prop: string, pattern: string): void {
  check.noCredential(prop, pattern);
  try {
    if (typeof pattern !== 'string' || pattern === '') throw new Error();
    new RegExp(pattern);
  } catch {
    check.fail(prop, pattern, 'a non-empty regular expression, e.g. "^ci-.*$"');
  }
}

function checkHostnames(check: PropChecker, prop: string, hostnames: readonly string[]): string[] {
  if (!Array.isArray(hostnames) || hostnames.length === 0) check.fail(prop, hostnames, 'at least one host name');
  return hostnames.map((h, i) => check.dnsSubdomain(`${prop}[${i}]`, h));
}

/** The manager container's resources in Kubernetes form. */
/**
 * The drain hook: SIGQUIT to the runner (it takes no new jobs and waits for its running ones), at
 * most `drainSeconds`; then SIGTERM (it aborts the rest) and wait until it exits or Kubernetes kills
 * it at the end of the grace period. `[g]` keeps the pattern from matching this shell's own command line.
 * `-P 1`: in chart 0.80's pod PID 1 is dumb-init, whose one child execs (the chart's entrypoint, then
 * the image's /entrypoint) into `gitlab-runner run`; any other process matching the pattern, such as a
 * `kubectl exec`'d command, is not the runner and must not be signalled.
 */
function drainScript(drainSeconds: number): string {
  return [
    'pid=$(pgrep -o -P 1 -f \'[g]itlab-runner( .*)? run( |$)\') || exit 0',
    'kill -QUIT "$pid"',
    `i=0; while kill -0 "$pid" 2>/dev/null && [ "$i" -lt ${drainSeconds} ]; do sleep 1; i=$((i + 1)); done`,
    'kill -TERM "$pid" 2>/dev/null',
    'while kill -0 "$pid" 2>/dev/null; do sleep 1; done',
  ].join('\n');
}

function managerResources(check: PropChecker, resources: ContainerResources): KubeResourceRequirements {
  return kubeResources(resourceQuantities(check, 'managerResources', resources)) ?? {};
}

function volumesConfig(check: PropChecker, volumes: readonly JobVolume[], allowHostPath: boolean): VolumesConfig {
  const out: { [kind: string]: object[] } = {};
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const prop = `volumes[${i}]`;
    if (!(volume instanceof JobVolume)) check.fail(prop, volume, 'a JobVolume, e.g. JobVolume.emptyDir(\'cache\', { mountPath: \'/cache\' })');
    if (volume.isHostPath && !check.boolean('allowHostPathVolumes', allowHostPath)) {
      check.fail(prop, volume.name, 'no hostPath volume unless allowHostPathVolumes is true: host paths expose the node to every job');
    }
    const { kind, entry } = volume._toConfig(check, prop);
    if (names.has(volume.name)) check.fail(`${prop}.name`, volume.name, 'volume names that are unique across all job volumes');
    names.add(volume.name);
    (out[kind] ??= []).push(entry);
  });
  return out as VolumesConfig;
}

function managerAffinity(check: PropChecker, affinity: k8s.Affinity): { [key: string]: unknown } {
  const keys = ['nodeAffinity', 'podAffinity', 'podAntiAffinity'];
  if (affinity === null || typeof affinity !== 'object' || Array.isArray(affinity) || Object.keys(affinity).some((k) => !keys.includes(k))) {
    check.fail('managerAffinity', affinity, 'a Kubernetes affinity with nodeAffinity, podAffinity and/or podAntiAffinity');
  }
  return k8s.toJson_Affinity(affinity)!;
}

function optionalMap<T extends object>(map: T): T | undefined {
  return Object.values(map).some((v) => v !== undefined) ? map : undefined;
}

function optionalList<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
