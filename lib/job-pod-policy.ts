import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, ISecret, IServiceAccount } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelperImage } from './helper-image';
import { JobVolume } from './job-volume';
import { ContainerSecurityContextConfig, KubernetesConfig, PullPolicyValue, VolumesConfig } from './model/runner-config';
import { PodSecurityLevel } from './pod-security';
import { PullPolicy } from './pull-policy';
import {
  effectiveRequestAmounts, limitAmounts, ResourceAmounts, ResourceQuantities, resourceQuantities, sumAmounts,
} from './resources';
import { PropChecker } from './validation/checks';
import { checkProps, pathOf } from './validation/known-keys';
import { addWarning } from './validation/warnings';

/** Options of `JobSecurityProfile.nonRoot()`. */
export interface NonRootProfileOptions {
  /**
   * User id of every job container.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Primary group id of every job container.
   * @default 1000
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default - the runAsGroup
   */
  readonly fsGroup?: number;
}

/**
 * What job containers may do. The jobs' namespace must allow it: Pod Security `baseline` and
 * `restricted` both forbid privileged containers, and job pods cannot pass `restricted` at all
 * because `config.toml` has no seccomp setting.
 */
export class JobSecurityProfile {
  /**
   * Privileged build and service containers, as Docker-in-Docker needs. A privileged container
   * is root on its node; the jobs' namespace must be `privileged`.
   */
  public static privileged(): JobSecurityProfile {
    return new JobSecurityProfile('privileged', true, PodSecurityLevel.PRIVILEGED,
      'both baseline and restricted forbid privileged containers', () => ({
      privileged: true,
      // Kubernetes rejects privileged containers that may not escalate.
      allowPrivilegeEscalation: true,
    }));
  }

  /**
   * An unprivileged builder: containers may run as root with the default capabilities, which is
   * what kaniko needs to build images without a Docker daemon. Passes `baseline`.
   */
  public static rootBuilder(): JobSecurityProfile {
    return new JobSecurityProfile('root-builder', false, PodSecurityLevel.BASELINE,
      'restricted forbids running as root, and config.toml cannot give job pods a seccomp profile', () => ({
      privileged: false,
      allowPrivilegeEscalation: false,
    }));
  }

  /**
   * Non-root: every container runs as `runAsUser`, with all capabilities dropped and no privilege
   * escalation. Job images must work as that user. Passes `baseline`.
   */
  public static nonRoot(options: NonRootProfileOptions = {}): JobSecurityProfile {
    checkProps(new PropChecker('JobSecurityProfile.nonRoot'), options, 'NonRootProfileOptions', 'options');
    return new JobSecurityProfile('non-root', false, PodSecurityLevel.BASELINE,
      'restricted needs a seccomp profile, which config.toml cannot give job pods', (check, prop) => {
      const runAsUser = check.integer(`${prop}.runAsUser`, options.runAsUser ?? 1000, { min: 1 });
      const runAsGroup = check.integer(`${prop}.runAsGroup`, options.runAsGroup ?? 1000, { min: 0 });
      const fsGroup = check.integer(`${prop}.fsGroup`, options.fsGroup ?? runAsGroup, { min: 0 });
      const container: ContainerSecurityContextConfig = {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      };
      return {
        privileged: false,
        allowPrivilegeEscalation: false,
        podSecurityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup },
        initPermissionsContainerSecurityContext: container,
        buildContainerSecurityContext: container,
        helperContainerSecurityContext: container,
        serviceContainerSecurityContext: container,
      };
    });
  }

  private constructor(
    /** The profile's name: `privileged`, `root-builder` or `non-root`. */
    public readonly name: string,
    /** Whether build and service containers run privileged. */
    public readonly runsPrivileged: boolean,
    /** The strictest Pod Security level job pods with this profile pass. */
    public readonly podSecurityLevel: PodSecurityLevel,
    /** Why no stricter level works. */
    public readonly podSecurityReason: string,
    private readonly config: ProfileConfig,
  ) {}

  /**
   * The security part of `[runners.kubernetes]`.
   * @internal
   */
  public _toKubernetesConfig(check: PropChecker, prop: string): Partial<KubernetesConfig> {
    return this.config(check, prop);
  }
}

type ProfileConfig = (check: PropChecker, prop: string) => Partial<KubernetesConfig>;

/** An `/etc/hosts` entry of job pods. */
export interface JobHostAlias {
  /** The IP address. */
  readonly ip: string;
  /** Host names for it. */
  readonly hostnames: string[];
}

/** The image of jobs that name none, unless `jobImage` says otherwise. */
export const DEFAULT_JOB_IMAGE = 'alpine:3.22';

/** The strictest Pod Security level a policy's job pods pass, and why no stricter one. */
export interface JobPodSecurity {
  /** The level. */
  readonly level: PodSecurityLevel;
  /** Why no stricter level works. */
  readonly reason: string;
}

/** Properties of a `JobPodPolicy`, apart from container resources. */
export interface JobPodPolicyOptions {
  /**
   * Service containers per job (one per `services:` entry, e.g. DinD), for the per-job totals.
   * @default 1
   */
  readonly servicesPerJob?: number;
  /**
   * What job containers may do.
   * @default JobSecurityProfile.rootBuilder()
   */
  readonly securityProfile?: JobSecurityProfile;
  /**
   * Pull policy of job images. With pinned tags and pre-pulled images, `IF_NOT_PRESENT` avoids a
   * registry round trip per job.
   * @default PullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: PullPolicy;
  /**
   * Pull policies a job may choose in `.gitlab-ci.yml`.
   * @default - only `pullPolicy`
   */
  readonly allowedPullPolicies?: PullPolicy[];
  /**
   * The helper image, pinned by tag to the runner's version.
   * @default HelperImage.official()
   */
  readonly helperImage?: HelperImage;
  /**
   * Images jobs may use (`allowed_images`, wildcards allowed).
   * @default - any image
   */
  readonly allowedImages?: string[];
  /**
   * Service images jobs may use (`allowed_services`, wildcards allowed).
   * @default - any image
   */
  readonly allowedServices?: string[];
  /**
   * How long a job pod may stay Pending (image pulls, scheduling) before the job fails (`poll_timeout`).
   * @default Duration.minutes(3)
   */
  readonly pollTimeout?: Duration;
  /**
   * How often the runner checks a starting job pod (`poll_interval`).
   * @default Duration.seconds(3)
   */
  readonly pollInterval?: Duration;
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
   * forbidden by the Pod Security `baseline` level: with one, job pods need `privileged`.
   * @default false
   */
  readonly allowHostPathVolumes?: boolean;
}

/** Properties of a `JobPodPolicy`. */
export interface JobPodPolicyProps extends JobPodPolicyOptions {
  /**
   * Resources of the build container, which runs the job's script. The defaults of all three
   * containers are the runner's own (no requests or limits): nothing site-specific is assumed,
   * but a sized `CiNodePool` cannot plan capacity for such pods, so give resources with one.
   * @default - no requests or limits (the runner's default)
   */
  readonly buildResources?: ContainerResources;
  /**
   * Resources of each service container (e.g. DinD).
   * @default - no requests or limits (the runner's default)
   */
  readonly serviceResources?: ContainerResources;
  /**
   * Resources of the helper container (clone, artifacts, cache).
   * @default - no requests or limits (the runner's default)
   */
  readonly helperResources?: ContainerResources;
}

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const cpu = (request: number | undefined, limit: number) => ({
  request: request === undefined ? undefined : Cpu.millis(request), limit: Cpu.millis(limit),
});
const memory = (request: number | undefined, limit: number) => ({
  request: request === undefined ? undefined : Size.mebibytes(request), limit: Size.mebibytes(limit),
});

/** Resource presets: millicores and mebibytes, as `[request, limit]`. */
const PRESETS = {
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

/**
 * What each job pod gets: resources of its build, helper and service containers, a security
 * profile, the pull policy, the helper image, allowed images and services, and pod metadata.
 *
 * Its per-job totals count the build, the helper and `servicesPerJob` service containers; where a
 * request is unset Kubernetes sets it to the limit, and `perJobRequests` follows that rule.
 */
export class JobPodPolicy extends Construct {
  /** Seed 001's preset for small projects: build and services 1 CPU / 1Gi limits, 250m / 256Mi requests. */
  public static small(scope: Construct, id: string, options: JobPodPolicyOptions = {}): JobPodPolicy {
    checkProps(new PropChecker(pathOf(scope, id)), options, 'JobPodPolicyOptions', 'options');
    return new JobPodPolicy(scope, id, { ...options, ...presetResources(PRESETS.small) });
  }

  /** Seed 001's preset for large projects: build and services 4 CPU / 4Gi limits, 1 / 1Gi requests. */
  public static large(scope: Construct, id: string, options: JobPodPolicyOptions = {}): JobPodPolicy {
    checkProps(new PropChecker(pathOf(scope, id)), options, 'JobPodPolicyOptions', 'options');
    return new JobPodPolicy(scope, id, { ...options, ...presetResources(PRESETS.large) });
  }

  /** @internal Build container resources. */
  public readonly _buildResources: ResourceQuantities;
  /** @internal Resources of each service container. */
  public readonly _serviceResources: ResourceQuantities;
  /** @internal Helper container resources. */
  public readonly _helperResources: ResourceQuantities;
  /** Default image of jobs that name none. */
  public readonly jobImage: string;
  /** Service containers counted per job. */
  public readonly servicesPerJob: number;
  /** Sum of the limits of one job's containers (0 where a container has no limit). */
  public readonly perJobLimits: ResourceAmounts;
  /** Sum of the requests Kubernetes applies to one job's containers. */
  public readonly perJobRequests: ResourceAmounts;
  /** The security profile. */
  public readonly securityProfile: JobSecurityProfile;
  /** The helper image (resolved against the runner's version by `RunnerManager`). */
  public readonly helperImage: HelperImage;
  /** Whether build and service containers run privileged. */
  public readonly privileged: boolean;
  /**
   * The strictest Pod Security level job pods with this policy pass, and why no stricter one:
   * the profile's, or `privileged` when a job volume is a host path or a pod annotation relaxes
   * AppArmor (baseline allows neither). This policy alone decides it; managers read it.
   */
  public readonly podSecurity: JobPodSecurity;

  private readonly check: PropChecker;
  private readonly options: JobPodPolicyOptions;
  private readonly securityConfig: Partial<KubernetesConfig>;

  constructor(scope: Construct, id: string, props: JobPodPolicyProps = {}) {
    super(scope, id);
    this.check = new PropChecker(this.node.path);
    checkProps(this.check, props, 'JobPodPolicyProps');
    this.options = props;
    this._buildResources = resourceQuantities(this.check, 'buildResources', props.buildResources);
    this._serviceResources = resourceQuantities(this.check, 'serviceResources', props.serviceResources);
    this._helperResources = resourceQuantities(this.check, 'helperResources', props.helperResources);
    this.servicesPerJob = this.check.integer('servicesPerJob', props.servicesPerJob ?? 1, { min: 0 });

    const containers = [[this._buildResources, 1], [this._helperResources, 1], [this._serviceResources, this.servicesPerJob]] as const;
    this.perJobLimits = sumAmounts(containers.map(([q, n]) => [limitAmounts(q), n] as const));
    this.perJobRequests = sumAmounts(containers.map(([q, n]) => [effectiveRequestAmounts(q), n] as const));

    this.securityProfile = props.securityProfile ?? JobSecurityProfile.rootBuilder();
    if (!(this.securityProfile instanceof JobSecurityProfile)) {
      this.check.fail('securityProfile', this.securityProfile, 'JobSecurityProfile.privileged(), .rootBuilder() or .nonRoot()');
    }
    this.securityConfig = this.securityProfile._toKubernetesConfig(this.check, 'securityProfile');
    this.privileged = this.securityProfile.runsPrivileged;
    this.helperImage = props.helperImage ?? HelperImage.official();
    if (!(this.helperImage instanceof HelperImage)) {
      this.check.fail('helperImage', this.helperImage, 'HelperImage.official() or HelperImage.fromRegistry(...)');
    }
    // Validate the rest now, so bad input fails where it was written.
    this.staticConfig();
    this.jobImage = this.check.pinnedImage('jobImage', props.jobImage ?? DEFAULT_JOB_IMAGE);
    if (props.allowHostPathVolumes === true && !(props.volumes ?? []).some((v) => v instanceof JobVolume && v.isHostPath)) {
      addWarning(this, 'allowHostPathVolumes has no effect: no job volume is a host path (JobVolume.hostPath())');
    }
    const unconfined = Object.entries(props.podAnnotations ?? {}).find(([key, value]) =>
      key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/'));
    const hostPath = (props.volumes ?? []).find((v) => v instanceof JobVolume && v.isHostPath);
    if (hostPath) {
      this.podSecurity = { level: PodSecurityLevel.PRIVILEGED, reason: `the job volume "${hostPath.name}" is a host path, which baseline forbids` };
    } else if (unconfined) {
      this.podSecurity = { level: PodSecurityLevel.PRIVILEGED, reason: `the pod annotation ${unconfined[0]}: ${unconfined[1]} relaxes AppArmor, which baseline forbids` };
    } else {
      this.podSecurity = { level: this.securityProfile.podSecurityLevel, reason: `it uses the ${this.securityProfile.name} profile, and ${this.securityProfile.podSecurityReason}` };
    }
  }

  /** The helper image reference for `runnerVersion`. */
  public helperImageFor(runnerVersion: string): string {
    return this.helperImage._imageFor(this.check, 'helperImage', runnerVersion);
  }

  /**
   * The policy's part of `[runners.kubernetes]` for a runner of `runnerVersion`.
   * @internal
   */
  public _toKubernetesConfig(runnerVersion: string): Partial<KubernetesConfig> {
    return { image: this.jobImage, ...this.staticConfig(), helperImage: this.helperImageFor(runnerVersion) };
  }

  private staticConfig(): Partial<KubernetesConfig> {
    const check = this.check;
    const o = this.options;
    const pullPolicies = Object.values(PullPolicy) as string[];
    const field = (prefix: string, name: string) => (prefix ? `${prefix}${name}` : name.charAt(0).toLowerCase() + name.slice(1));
    const resources: { [field: string]: string | undefined } = {};
    for (const [prefix, q] of [['', this._buildResources], ['service', this._serviceResources], ['helper', this._helperResources]] as const) {
      resources[field(prefix, 'CpuRequest')] = q.cpu.request;
      resources[field(prefix, 'CpuLimit')] = q.cpu.limit;
      resources[field(prefix, 'MemoryRequest')] = q.memory.request;
      resources[field(prefix, 'MemoryLimit')] = q.memory.limit;
      resources[field(prefix, 'EphemeralStorageRequest')] = q.ephemeralStorage.request;
      resources[field(prefix, 'EphemeralStorageLimit')] = q.ephemeralStorage.limit;
    }
    return {
      ...this.securityConfig,
      ...resources,
      pullPolicy: [check.oneOf('pullPolicy', (o.pullPolicy ?? PullPolicy.IF_NOT_PRESENT) as string, pullPolicies) as PullPolicyValue],
      allowedPullPolicies: check.list('allowedPullPolicies', o.allowedPullPolicies)?.map((p, i) =>
        check.oneOf(`allowedPullPolicies[${i}]`, p as string, pullPolicies) as PullPolicyValue),
      allowedImages: check.list('allowedImages', o.allowedImages)?.map((image, i) => check.nonEmptyString(`allowedImages[${i}]`, image)),
      allowedServices: check.list('allowedServices', o.allowedServices)?.map((image, i) => check.nonEmptyString(`allowedServices[${i}]`, image)),
      pollTimeout: check.seconds('pollTimeout', o.pollTimeout ?? Duration.minutes(3), { min: 1 }),
      pollInterval: o.pollInterval === undefined ? undefined : check.seconds('pollInterval', o.pollInterval, { min: 1 }),
      podLabels: check.labels('podLabels', o.podLabels ?? {}),
      podAnnotations: check.annotations('podAnnotations', o.podAnnotations ?? {}),
      ...jobPodConfig(check, o),
    };
  }
}

/** The pods' own settings: pull secrets, service account, grace periods, host aliases, volumes. */
function jobPodConfig(check: PropChecker, o: JobPodPolicyOptions): Partial<KubernetesConfig> {
  const serviceAccount = o.jobServiceAccount === undefined ? undefined : check.dnsSubdomain('jobServiceAccount.name', o.jobServiceAccount?.name);
  const overwrite = o.jobServiceAccountOverwriteAllowed;
  if (overwrite !== undefined) checkRegex(check, 'jobServiceAccountOverwriteAllowed', overwrite);
  return {
    imagePullSecrets: check.list('imagePullSecrets', o.imagePullSecrets)?.map((s, i) => check.dnsSubdomain(`imagePullSecrets[${i}].name`, s?.name)),
    serviceAccount,
    serviceAccountOverwriteAllowed: overwrite,
    automountServiceAccountToken: serviceAccount !== undefined,
    podTerminationGracePeriodSeconds: o.podTerminationGracePeriod === undefined ? undefined
      : check.seconds('podTerminationGracePeriod', o.podTerminationGracePeriod, { min: 0 }),
    cleanupResourcesTimeout: o.jobCleanupTimeout === undefined ? undefined
      : check.goDuration('jobCleanupTimeout', o.jobCleanupTimeout, { min: 1 }),
    hostAliases: check.list('hostAliases', o.hostAliases)?.map((alias, i) => ({
      ip: check.ipAddress(`hostAliases[${i}].ip`, alias?.ip),
      hostnames: checkHostnames(check, `hostAliases[${i}].hostnames`, alias.hostnames),
    })),
    volumes: volumesConfig(check, check.list('volumes', o.volumes) ?? [], o.allowHostPathVolumes ?? false),
  };
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

function presetResources(preset: typeof PRESETS.small):
Required<Pick<JobPodPolicyProps, 'buildResources' | 'serviceResources' | 'helperResources'>> {
  return { buildResources: preset.build, serviceResources: preset.service, helperResources: preset.helper };
}
