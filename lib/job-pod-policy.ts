import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelperImage } from './helper-image';
import { ContainerSecurityContextConfig, KubernetesConfig, PullPolicyValue } from './model/runner-config';
import { PodSecurityLevel } from './pod-security';
import { PullPolicy } from './pull-policy';
import {
  effectiveRequestAmounts, limitAmounts, ResourceAmounts, ResourceQuantities, resourceQuantities, sumAmounts,
} from './resources';
import { PropChecker } from './validation/checks';
import { checkProps, pathOf } from './validation/known-keys';

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
    public readonly privileged: boolean,
    /** The strictest Pod Security level job pods with this profile pass. */
    public readonly podSecurityLevel: PodSecurityLevel,
    /** Why no stricter level works. */
    public readonly podSecurityReason: string,
    private readonly config: (check: PropChecker, prop: string) => Partial<KubernetesConfig>,
  ) {}

  /**
   * The security part of `[runners.kubernetes]`.
   * @internal
   */
  public _toKubernetesConfig(check: PropChecker, prop: string): Partial<KubernetesConfig> {
    return this.config(check, prop);
  }
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
}

/** Properties of a `JobPodPolicy`. */
export interface JobPodPolicyProps extends JobPodPolicyOptions {
  /**
   * Resources of the build container, which runs the job's script.
   * @default - limits 2 CPU / 2Gi (seed 004); requests equal to the limits
   */
  readonly buildResources?: ContainerResources;
  /**
   * Resources of each service container (e.g. DinD).
   * @default - limits 2 CPU / 2Gi, requests 500m / 512Mi (seed 004)
   */
  readonly serviceResources?: ContainerResources;
  /**
   * Resources of the helper container (clone, artifacts, cache).
   * @default - limits 500m / 512Mi (seed 004); requests equal to the limits
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
  // Seed 004: build 2 / 2Gi, DinD service 2 / 2Gi with 500m / 512Mi requests, helper 500m / 512Mi.
  default: {
    build: { cpu: cpu(undefined, 2000), memory: memory(undefined, 2048) },
    service: { cpu: cpu(500, 2000), memory: memory(512, 2048) },
    helper: { cpu: cpu(undefined, 500), memory: memory(undefined, 512) },
  },
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

  /** Build container resources. */
  public readonly build: ResourceQuantities;
  /** Resources of each service container. */
  public readonly service: ResourceQuantities;
  /** Helper container resources. */
  public readonly helper: ResourceQuantities;
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
   * the profile's, or `privileged` when a pod annotation relaxes AppArmor (baseline allows only
   * `runtime/default` and `localhost/*`).
   */
  public readonly podSecurity: { readonly level: PodSecurityLevel; readonly reason: string };

  private readonly check: PropChecker;
  private readonly options: JobPodPolicyOptions;
  private readonly securityConfig: Partial<KubernetesConfig>;

  constructor(scope: Construct, id: string, props: JobPodPolicyProps = {}) {
    super(scope, id);
    this.check = new PropChecker(this.node.path);
    checkProps(this.check, props, 'JobPodPolicyProps');
    this.options = props;
    const defaults = presetResources(PRESETS.default);
    this.build = resourceQuantities(this.check, 'buildResources', props.buildResources ?? defaults.buildResources);
    this.service = resourceQuantities(this.check, 'serviceResources', props.serviceResources ?? defaults.serviceResources);
    this.helper = resourceQuantities(this.check, 'helperResources', props.helperResources ?? defaults.helperResources);
    this.servicesPerJob = this.check.integer('servicesPerJob', props.servicesPerJob ?? 1, { min: 0 });

    const containers = [[this.build, 1], [this.helper, 1], [this.service, this.servicesPerJob]] as const;
    this.perJobLimits = sumAmounts(containers.map(([q, n]) => [limitAmounts(q), n] as const));
    this.perJobRequests = sumAmounts(containers.map(([q, n]) => [effectiveRequestAmounts(q), n] as const));

    this.securityProfile = props.securityProfile ?? JobSecurityProfile.rootBuilder();
    if (!(this.securityProfile instanceof JobSecurityProfile)) {
      this.check.fail('securityProfile', this.securityProfile, 'JobSecurityProfile.privileged(), .rootBuilder() or .nonRoot()');
    }
    this.securityConfig = this.securityProfile._toKubernetesConfig(this.check, 'securityProfile');
    this.privileged = this.securityProfile.privileged;
    this.helperImage = props.helperImage ?? HelperImage.official();
    if (!(this.helperImage instanceof HelperImage)) {
      this.check.fail('helperImage', this.helperImage, 'HelperImage.official() or HelperImage.fromRegistry(...)');
    }
    // Validate the rest now, so bad input fails where it was written.
    this.staticConfig();
    const unconfined = Object.entries(props.podAnnotations ?? {}).find(([key, value]) =>
      key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/'));
    this.podSecurity = unconfined
      ? { level: PodSecurityLevel.PRIVILEGED, reason: `the pod annotation ${unconfined[0]}: ${unconfined[1]} relaxes AppArmor, which baseline forbids` }
      : { level: this.securityProfile.podSecurityLevel, reason: `it uses the ${this.securityProfile.name} profile, and ${this.securityProfile.podSecurityReason}` };
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
    return { ...this.staticConfig(), helperImage: this.helperImageFor(runnerVersion) };
  }

  private staticConfig(): Partial<KubernetesConfig> {
    const check = this.check;
    const o = this.options;
    const pullPolicies = Object.values(PullPolicy) as string[];
    const field = (prefix: string, name: string) => (prefix ? `${prefix}${name}` : name.charAt(0).toLowerCase() + name.slice(1));
    const resources: { [field: string]: string | undefined } = {};
    for (const [prefix, q] of [['', this.build], ['service', this.service], ['helper', this.helper]] as const) {
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
    };
  }
}

function presetResources(preset: typeof PRESETS.default):
Required<Pick<JobPodPolicyProps, 'buildResources' | 'serviceResources' | 'helperResources'>> {
  return { buildResources: preset.build, serviceResources: preset.service, helperResources: preset.helper };
}
