import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import { ContainerResources, ISecret, IServiceAccount, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { JobVolume } from './job-volume';
import { globalToHelmValues, HelmRbacRule, HelmValues, KubeResourceList, KubeResourceRequirements } from './model/helm-values';
import {
  DnsConfig, DnsPolicyValue, FEATURE_FLAGS, GlobalConfig, KubernetesConfig, LogFormatValue, LogLevelValue,
  PullPolicyValue, RUNNER_ENUMS, RunnerConfig, RunnerEntry, VolumesConfig,
} from './model/runner-config';
import { OutputFiles } from './output/output-files';
import { PullPolicy } from './pull-policy';
import { escapeHelmTemplate, renderRunnerConfig, renderRunnerTemplate } from './render/toml';
import { prune, renderYaml } from './render/yaml';
import { RunnerCache } from './runner-cache';
import { managerPolicyRules } from './runner-permissions';
import { Toleration, toKubeTolerations, toRunnerTolerations } from './toleration';
import { PropChecker } from './validation/checks';
import { parseQuantity } from './validation/quantity';

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

/** DNS policy of job pods (`dns_policy`), in the runner's spelling. */
export enum JobDnsPolicy {
  /** Only the nameservers of `jobDnsConfig`. */
  NONE = 'none',
  /** The node's resolver configuration. */
  DEFAULT = 'default',
  /** The cluster DNS (Kubernetes' default). */
  CLUSTER_FIRST = 'cluster-first',
  /** The cluster DNS for pods on the host network. */
  CLUSTER_FIRST_WITH_HOST_NET = 'cluster-first-with-host-net',
}

/** A resolver option of `jobDnsConfig`, e.g. `{ name: 'ndots', value: '2' }`. */
export interface JobDnsOption {
  /** Option name. */
  readonly name: string;
  /**
   * Option value.
   * @default - a flag option without value, such as `edns0`
   */
  readonly value?: string;
}

/** The resolver configuration of job pods (`dns_config`). */
export interface JobDnsConfig {
  /**
   * Nameserver IP addresses, at most 3.
   * @default - none
   */
  readonly nameservers?: string[];
  /**
   * Search domains.
   * @default - none
   */
  readonly searches?: string[];
  /**
   * Resolver options.
   * @default - none
   */
  readonly options?: JobDnsOption[];
}

/** An `/etc/hosts` entry of job pods. */
export interface JobHostAlias {
  /** The IP address. */
  readonly ip: string;
  /** Host names for it. */
  readonly hostnames: string[];
}

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
   * How long the runner waits for its shutdown to finish (`shutdown_timeout`); must be shorter
   * than `terminationGracePeriod`, or Kubernetes kills the pod first.
   * @default Duration.seconds(30)
   */
  readonly shutdownTimeout?: Duration;

  /**
   * Grace period of the manager pod on deletion (`terminationGracePeriodSeconds`).
   * @default Duration.hours(1)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Unregister the manager from GitLab when its pod stops (with `glrt-` tokens this deletes the
   * runner manager entry, not the runner).
   * @default true
   */
  readonly unregisterRunners?: boolean;

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
   * ConfigMap: pass secrets as CI/CD variables in GitLab instead.
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Runner feature flags (`[runners.feature_flags]`); names must be known to runner 18.3.
   * @default - the runner's defaults
   */
  readonly featureFlags?: { [flag: string]: boolean };

  /**
   * Script run before the sources are fetched (`pre_get_sources_script`).
   * @default - none
   */
  readonly preGetSourcesScript?: string;

  /**
   * Script run after the sources are fetched (`post_get_sources_script`).
   * @default - none
   */
  readonly postGetSourcesScript?: string;

  /**
   * Script run before each job's script (`pre_build_script`).
   * @default - none
   */
  readonly preBuildScript?: string;

  /**
   * Script run after each job's script (`post_build_script`).
   * @default - none
   */
  readonly postBuildScript?: string;

  /**
   * Default image of jobs that name none, pinned by tag.
   * @default "alpine:3.22"
   */
  readonly jobImage?: string;

  /**
   * Run build and service containers privileged, as Docker-in-Docker needs. Privileged
   * containers are root on the node; the jobs' namespace then gets the Pod Security level
   * `privileged` instead of `baseline`.
   * @default false
   */
  readonly privileged?: boolean;

  /**
   * Resources of each job's build container.
   * @default - none (the namespace's defaults apply)
   */
  readonly buildResources?: ContainerResources;

  /**
   * Resources of each service container (one per `services:` entry, e.g. DinD).
   * @default - none
   */
  readonly serviceResources?: ContainerResources;

  /**
   * Resources of each job's helper container.
   * @default - none
   */
  readonly helperResources?: ContainerResources;

  /**
   * Pull policy of job images.
   * @default - the cluster's default
   */
  readonly pullPolicy?: PullPolicy;

  /**
   * Pull policies a job may request in `.gitlab-ci.yml`.
   * @default - only `pullPolicy`
   */
  readonly allowedPullPolicies?: PullPolicy[];

  /**
   * Helper image, pinned by tag, e.g. `registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0`.
   * @default - the runner's own helper image for its version and the node's architecture
   */
  readonly helperImage?: string;

  /**
   * Images jobs may use (wildcards allowed).
   * @default - any image
   */
  readonly allowedImages?: string[];

  /**
   * Service images jobs may use (wildcards allowed).
   * @default - any image
   */
  readonly allowedServices?: string[];

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
   * Node selector of job pods.
   * @default - none
   */
  readonly nodeSelector?: { [label: string]: string };

  /**
   * Tolerations of job pods, converted to the runner's `node_tolerations` map.
   * @default - none
   */
  readonly nodeTolerations?: Toleration[];

  /**
   * DNS policy of job pods.
   * @default - the cluster's default (cluster-first)
   */
  readonly jobDnsPolicy?: JobDnsPolicy;

  /**
   * Resolver configuration of job pods; `JobDnsPolicy.NONE` needs at least one nameserver.
   * @default - none
   */
  readonly jobDnsConfig?: JobDnsConfig;

  /**
   * PriorityClass of job pods.
   * @default - none
   */
  readonly priorityClassName?: string;

  /**
   * Labels of job pods.
   * @default - none
   */
  readonly podLabels?: { [label: string]: string };

  /**
   * Annotations of job pods.
   * @default - none
   */
  readonly podAnnotations?: { [annotation: string]: string };

  /**
   * How often the runner checks a starting job pod (`poll_interval`).
   * @default Duration.seconds(3)
   */
  readonly pollInterval?: Duration;

  /**
   * How long a job pod may take to start before the job fails (`poll_timeout`).
   * @default Duration.seconds(180)
   */
  readonly pollTimeout?: Duration;

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
const POD_SECURITY_VERSION = 'v1.28';
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
  /** The runner's tags (set in GitLab; used by generated pipelines). */
  public readonly tags: readonly string[];
  /** Whether job containers run privileged. */
  public readonly privileged: boolean;
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
    if (props === undefined || props === null || typeof props !== 'object') {
      check.fail('props', props, 'an object with at least gitlabUrl and tokenSecret');
    }

    this.gitlabUrl = check.httpUrl('gitlabUrl', props.gitlabUrl);
    if (!props.tokenSecret || typeof props.tokenSecret !== 'object') {
      check.fail('tokenSecret', props.tokenSecret, 'a Secret reference, e.g. Secret.fromSecretName(this, \'Token\', \'gitlab-runner-token\')');
    }
    const tokenSecretName = check.dnsSubdomain('tokenSecret.name', props.tokenSecret.name);
    this.releaseName = check.dnsLabel('releaseName', props.releaseName ?? 'gitlab-runner', 53);
    this.fullname = chartFullname(this.releaseName);
    this.serviceAccountName = this.fullname;
    this.namespace = check.dnsLabel('namespace', props.namespace ?? 'gitlab-runner');
    this.jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace ?? `${this.namespace}-jobs`);

    this.runnerVersion = props.runnerVersion ?? '18.3.0';
    const version = SUPPORTED_RUNNER.exec(this.runnerVersion);
    if (!version) {
      check.fail('runnerVersion', this.runnerVersion, 'a GitLab Runner 18.3.x version such as "18.3.0": the values are checked against chart 0.80.x');
    }
    this.chartVersion = `0.80.${version[1]}`;

    this.replicas = check.integer('replicas', props.replicas ?? 2, { min: 1 });
    this.concurrent = check.integer('concurrent', props.concurrent ?? 10, { min: 1 });
    this.tags = checkTags(check, props.tags ?? []);
    this.privileged = check.boolean('privileged', props.privileged ?? false);
    const metrics = check.boolean('metrics', props.metrics ?? true);

    const shutdownTimeout = check.seconds('shutdownTimeout', props.shutdownTimeout ?? Duration.seconds(30), { min: 1 });
    const terminationGracePeriod = check.seconds('terminationGracePeriod', props.terminationGracePeriod ?? Duration.hours(1), { min: 1 });
    if (shutdownTimeout >= terminationGracePeriod) {
      check.fail('shutdownTimeout', `${shutdownTimeout}s`, `less than terminationGracePeriod (${terminationGracePeriod}s), or Kubernetes kills the manager before the runner finishes shutting down`);
    }

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
    if (props.cache !== undefined && !(props.cache instanceof RunnerCache)) {
      check.fail('cache', props.cache, 'a RunnerCache, e.g. RunnerCache.s3({ bucketName: \'runner-cache\' })');
    }
    const runner: RunnerEntry = {
      executor: 'kubernetes',
      limit: props.limit === undefined ? undefined : check.integer('limit', props.limit, { min: 0 }),
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
      printPodWarningEvents: true,
      namespacePerJob: false,
      informers: true,
      featureFlags,
    });

    const runnerName = props.runnerName ?? this.fullname;
    check.nonEmptyString('runnerName', runnerName);
    if (/[\r\n]/.test(runnerName)) check.fail('runnerName', runnerName, 'a single-line name');

    this.helmValues = prune<HelmValues>({
      image: {
        registry: checkRegistry(check, props.imageRegistry ?? 'registry.gitlab.com'),
        image: checkRepository(check, props.imageRepository ?? 'gitlab-org/gitlab-runner'),
        tag: `alpine-v${this.runnerVersion}`,
      },
      imagePullPolicy: 'IfNotPresent',
      gitlabUrl: this.gitlabUrl,
      replicas: this.replicas,
      ...globalToHelmValues(global),
      terminationGracePeriodSeconds: terminationGracePeriod,
      unregisterRunners: check.boolean('unregisterRunners', props.unregisterRunners ?? true),
      rbac: { create: true, rules: this.policyRules },
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
      resources: props.managerResources === undefined ? DEFAULT_MANAGER_RESOURCES
        : resourceRequirements(check, 'managerResources', props.managerResources),
      nodeSelector: optionalMap(check.labels('managerNodeSelector', props.managerNodeSelector ?? {})),
      tolerations: optionalList(toKubeTolerations(check, 'managerTolerations', props.managerTolerations ?? [])),
      affinity: props.managerAffinity ? k8s.toJson_Affinity(props.managerAffinity) : undefined,
      priorityClassName: props.managerPriorityClassName === undefined ? undefined
        : check.dnsSubdomain('managerPriorityClassName', props.managerPriorityClassName),
    });

    if (check.boolean('createNamespaces', props.createNamespaces ?? true)) {
      this.addNamespace('ManagerNamespace', this.namespace, 'restricted');
      if (this.jobNamespace !== this.namespace) {
        this.addNamespace('JobNamespace', this.jobNamespace, this.privileged ? 'privileged' : 'baseline');
      }
    }
    if (this.jobNamespace !== this.namespace) this.addJobNamespaceRbac();

    OutputFiles.of(this).add(this, {
      suffix: 'gitlab-runner-values.yaml',
      content: () => this.valuesFile(),
    });
  }

  /** The values file: a header with the install command, then the values. */
  private valuesFile(): string {
    return renderYaml(this.helmValues, [
      `Values for the gitlab-runner Helm chart ${this.chartVersion} (GitLab Runner ${this.runnerVersion}).`,
      `Generated by cdk8s-gitlab-runner from ${this.node.path}; edit the cdk8s app, not this file.`,
      `Apply the chart's manifest first (namespaces, RBAC), then:`,
      `  helm upgrade --install ${this.releaseName} gitlab/gitlab-runner --version ${this.chartVersion} -n ${this.namespace} -f <this file>`,
    ]);
  }

  private kubernetesConfig(check: PropChecker, props: RunnerManagerProps): KubernetesConfig {
    const pullPolicies = Object.values(PullPolicy) as string[];
    const dnsPolicy = props.jobDnsPolicy === undefined ? undefined
      : check.oneOf('jobDnsPolicy', props.jobDnsPolicy as string, RUNNER_ENUMS.dnsPolicy) as DnsPolicyValue;
    const dnsConfig = props.jobDnsConfig === undefined ? undefined : checkDnsConfig(check, props.jobDnsConfig);
    if (dnsPolicy === 'none' && !(dnsConfig?.nameservers?.length)) {
      check.fail('jobDnsConfig.nameservers', dnsConfig?.nameservers, 'at least one nameserver when jobDnsPolicy is JobDnsPolicy.NONE');
    }
    const serviceAccount = props.jobServiceAccount === undefined ? undefined
      : check.dnsSubdomain('jobServiceAccount.name', props.jobServiceAccount.name);
    const overwrite = props.jobServiceAccountOverwriteAllowed;
    if (overwrite !== undefined) checkRegex(check, 'jobServiceAccountOverwriteAllowed', overwrite);

    return {
      namespace: this.jobNamespace,
      image: check.pinnedImage('jobImage', props.jobImage ?? 'alpine:3.22'),
      privileged: this.privileged,
      // Kubernetes rejects privileged containers that may not escalate, so follow `privileged`.
      allowPrivilegeEscalation: this.privileged,
      ...containerResources(check, 'buildResources', '', props.buildResources),
      ...containerResources(check, 'serviceResources', 'service', props.serviceResources),
      ...containerResources(check, 'helperResources', 'helper', props.helperResources),
      helperImage: props.helperImage === undefined ? undefined : check.pinnedImage('helperImage', props.helperImage),
      pullPolicy: props.pullPolicy === undefined ? undefined
        : [check.oneOf('pullPolicy', props.pullPolicy as string, pullPolicies) as PullPolicyValue],
      allowedPullPolicies: props.allowedPullPolicies?.map((p, i) =>
        check.oneOf(`allowedPullPolicies[${i}]`, p as string, pullPolicies) as PullPolicyValue),
      allowedImages: props.allowedImages?.map((image, i) => check.nonEmptyString(`allowedImages[${i}]`, image)),
      allowedServices: props.allowedServices?.map((image, i) => check.nonEmptyString(`allowedServices[${i}]`, image)),
      imagePullSecrets: props.imagePullSecrets?.map((s, i) => check.dnsSubdomain(`imagePullSecrets[${i}].name`, s?.name)),
      serviceAccount,
      serviceAccountOverwriteAllowed: overwrite,
      automountServiceAccountToken: serviceAccount !== undefined,
      nodeSelector: check.labels('nodeSelector', props.nodeSelector ?? {}),
      nodeTolerations: toRunnerTolerations(check, 'nodeTolerations', props.nodeTolerations ?? []),
      dnsPolicy,
      dnsConfig,
      priorityClassName: props.priorityClassName === undefined ? undefined
        : check.dnsSubdomain('priorityClassName', props.priorityClassName),
      podLabels: check.labels('podLabels', props.podLabels ?? {}),
      podAnnotations: check.annotations('podAnnotations', props.podAnnotations ?? {}),
      pollInterval: props.pollInterval === undefined ? undefined : check.seconds('pollInterval', props.pollInterval, { min: 1 }),
      pollTimeout: props.pollTimeout === undefined ? undefined : check.seconds('pollTimeout', props.pollTimeout, { min: 1 }),
      podTerminationGracePeriodSeconds: props.podTerminationGracePeriod === undefined ? undefined
        : check.seconds('podTerminationGracePeriod', props.podTerminationGracePeriod, { min: 0 }),
      cleanupResourcesTimeout: props.jobCleanupTimeout === undefined ? undefined
        : check.goDuration('jobCleanupTimeout', props.jobCleanupTimeout, { min: 1 }),
      hostAliases: props.hostAliases?.map((alias, i) => ({
        ip: check.ipAddress(`hostAliases[${i}].ip`, alias?.ip),
        hostnames: checkHostnames(check, `hostAliases[${i}].hostnames`, alias.hostnames),
      })),
      volumes: volumesConfig(check, props.volumes ?? [], props.allowHostPathVolumes ?? false),
    };
  }

  private addNamespace(id: string, name: string, level: 'restricted' | 'baseline' | 'privileged'): void {
    const labels: { [key: string]: string } = { 'kubernetes.io/metadata.name': name };
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`pod-security.kubernetes.io/${mode}`] = level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = POD_SECURITY_VERSION;
    }
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
    new k8s.KubeNamespace(this, id, { metadata: { name, labels } });
  }

  /** Chart 0.80 creates its Role only in the release namespace; the jobs' namespace needs its own. */
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
    if (typeof tag !== 'string' || tag.trim() !== tag || tag === '' || tag.includes(',')) {
      check.fail(`tags[${i}]`, tag, 'a non-empty tag without commas or surrounding spaces');
    }
    if (tags.indexOf(tag) !== i) check.fail(`tags[${i}]`, tag, 'tags without duplicates');
  });
  return [...tags];
}

function checkFeatureFlags(check: PropChecker, flags: { readonly [flag: string]: boolean }): { [flag: string]: boolean } {
  for (const [name, value] of Object.entries(flags)) {
    if (!FEATURE_FLAGS.includes(name)) {
      check.fail('featureFlags', name, 'a feature flag of GitLab Runner 18.3, e.g. "FF_USE_FASTZIP"; the runner ignores unknown names silently');
    }
    check.boolean(`featureFlags.${name}`, value);
  }
  return { ...flags };
}

function checkEnvironment(check: PropChecker, env: { readonly [name: string]: string }): string[] {
  return Object.keys(env).sort().map((name) => {
    check.envName('environment key', name);
    if (typeof env[name] !== 'string') check.fail(`environment.${name}`, env[name], 'a string');
    return `${name}=${env[name]}`;
  });
}

function optionalScript(check: PropChecker, prop: string, script: string | undefined): string | undefined {
  if (script === undefined) return undefined;
  return check.nonEmptyString(prop, script, 'a non-empty shell script');
}

function kilobytes(check: PropChecker, prop: string, size: Size): number {
  const kib = parseQuantity(check.size(prop, size))! / 1024;
  if (kib < 1) check.fail(prop, size, 'at least 1 KiB');
  return kib;
}

function checkRegistry(check: PropChecker, registry: string): string {
  if (typeof registry !== 'string' || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/.test(registry)) {
    check.fail('imageRegistry', registry, 'a registry host[:port] without scheme or path, e.g. "registry.example.com"');
  }
  return registry;
}

function checkRepository(check: PropChecker, repository: string): string {
  if (typeof repository !== 'string' || !/^[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(repository)) {
    check.fail('imageRepository', repository, 'a repository path without registry or tag, e.g. "gitlab-org/gitlab-runner"');
  }
  return repository;
}

function checkRegex(check: PropChecker, prop: string, pattern: string): void {
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

function checkDnsConfig(check: PropChecker, config: JobDnsConfig): DnsConfig {
  const nameservers = config.nameservers?.map((ns, i) => check.ipAddress(`jobDnsConfig.nameservers[${i}]`, ns));
  if (nameservers && nameservers.length > 3) {
    check.fail('jobDnsConfig.nameservers', nameservers, 'at most 3 nameservers (the Kubernetes API rejects more)');
  }
  const searches = config.searches?.map((s, i) => check.dnsSubdomain(`jobDnsConfig.searches[${i}]`, s));
  const options = config.options?.map((o, i) => ({
    name: check.nonEmptyString(`jobDnsConfig.options[${i}].name`, o?.name),
    value: o.value === undefined ? undefined : check.nonEmptyString(`jobDnsConfig.options[${i}].value`, o.value),
  }));
  return { nameservers, searches, options };
}

const RESOURCE_KEYS = [
  ['cpu', 'Cpu', 'cpu'],
  ['memory', 'Memory', 'memory'],
  ['ephemeralStorage', 'EphemeralStorage', 'ephemeral-storage'],
] as const;

/** `{ request, limit }` of one resource as quantity strings, with request <= limit checked. */
function resourcePair(check: PropChecker, prop: string, resources: ContainerResources, resource: typeof RESOURCE_KEYS[number][0]):
{ request?: string; limit?: string } {
  const pair = resources[resource] as { request?: unknown; limit?: unknown } | undefined;
  if (!pair) return {};
  const convert = (which: 'request' | 'limit'): string | undefined => {
    const value = pair[which];
    if (value === undefined) return undefined;
    const p = `${prop}.${resource}.${which}`;
    return resource === 'cpu' ? check.cpu(p, value as never) : check.size(p, value as Size);
  };
  const request = convert('request');
  const limit = convert('limit');
  if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
    check.fail(`${prop}.${resource}.request`, request, `a request no larger than the limit (${limit})`);
  }
  return { request, limit };
}

/** A job container's resources as `[<prefix>_]cpu_limit`... model fields. */
function containerResources(check: PropChecker, prop: string, prefix: '' | 'service' | 'helper',
  resources: ContainerResources | undefined): Partial<KubernetesConfig> {
  if (!resources) return {};
  const out: { [field: string]: string | undefined } = {};
  for (const [resource, field] of RESOURCE_KEYS) {
    const { request, limit } = resourcePair(check, prop, resources, resource);
    const name = prefix ? `${prefix}${field}` : field.charAt(0).toLowerCase() + field.slice(1);
    out[`${name}Request`] = request;
    out[`${name}Limit`] = limit;
  }
  return out as Partial<KubernetesConfig>;
}

/** The manager container's resources in Kubernetes form. */
function resourceRequirements(check: PropChecker, prop: string, resources: ContainerResources): KubeResourceRequirements {
  const requests: { [k: string]: string | undefined } = {};
  const limits: { [k: string]: string | undefined } = {};
  for (const [resource, , key] of RESOURCE_KEYS) {
    const { request, limit } = resourcePair(check, prop, resources, resource);
    requests[key] = request;
    limits[key] = limit;
  }
  return {
    requests: optionalMap(requests) as KubeResourceList | undefined,
    limits: optionalMap(limits) as KubeResourceList | undefined,
  };
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

function optionalMap<T extends object>(map: T): T | undefined {
  return Object.values(map).some((v) => v !== undefined) ? map : undefined;
}

function optionalList<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
