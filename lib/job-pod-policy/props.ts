import { Duration } from 'cdk8s';
import { ContainerResources, ISecret, IServiceAccount } from 'cdk8s-plus-28';
import { HelperImage } from '../helper-image';
import { JobVolume } from '../job-volume';
import { PodSecurityLevel } from '../pod-security';
import { PullPolicy } from '../pull-policy';
import { JobSecurityProfile } from './security-profile';

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
