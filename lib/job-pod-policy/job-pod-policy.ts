import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { HelperImage } from '../helper-image';
import { JobVolume } from '../job-volume';
import { KubernetesConfig, PullPolicyValue } from '../model/runner-config';
import { PodSecurityLevel } from '../pod-security';
import { PullPolicy } from '../pull-policy';
import { effectiveRequestAmounts, limitAmounts, ResourceAmounts, ResourceQuantities, resourceQuantities, sumAmounts } from '../resources';
import { PropChecker } from '../validation/prop-checker';
import { checkProps, pathOf } from '../validation/known-keys';
import { addWarning } from '../validation/warnings';
import { jobPodConfig } from './pod-config';
import { PRESETS, presetResources } from './presets';
import { DEFAULT_JOB_IMAGE, JobPodPolicyOptions, JobPodPolicyProps, JobPodSecurity } from './props';
import { JobSecurityProfile } from './security-profile';

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

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
