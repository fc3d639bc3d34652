import { NodePortRange } from '../calculator-app';
import { AppRegistry } from '../calculator-pipeline';
import { CiNodePoolProps } from '../ci-node-pool';
import { HelperImageFlavor } from '../helper-image';
import { JobPodPolicyProps } from '../job-pod-policy';
import { RunnerCache } from '../runner-cache';
import { RunnerMonitoringOptions } from '../runner-monitoring';
import { RunnerNetworkPoliciesOptions } from '../network-policies';

/** How the app's image is built. */
export enum BuilderKind {
  /** Docker-in-Docker: the runner's job pods run privileged (namespace level `privileged`). */
  DOCKER_IN_DOCKER = 'docker-in-docker',
  /** kaniko: no privileged containers; the jobs' namespace stays `baseline`. */
  KANIKO = 'kaniko',
}

/**
 * The seeds' sample app (`CalculatorApp`) and its pipeline (`CalculatorPipeline`), which a stack adds
 * when asked: its own chart `<id>-calculator` (folder `app/`), its namespace in the platform chart, a
 * deploy identity, and the pipeline file.
 */
export interface SampleAppOptions {
  /** Where the pipeline pushes the app's image. */
  readonly registry: AppRegistry;
  /**
   * The app's namespace, neither the manager's nor the jobs': the deploy job creates Secrets there.
   * @default - `CalculatorApp`'s default namespace
   */
  readonly namespace?: string;
  /**
   * The app's container, Service and node port, within `nodePortRange`. A node port is
   * cluster-wide: environments that share a cluster need different ones.
   * @default - `CalculatorApp`'s default port
   */
  readonly port?: number;
  /**
   * The cluster's NodePort range (`--service-node-port-range`), which the app's node port must lie in.
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * Name of the registry Secret the deploy job creates and the app pulls with.
   * @default "app-registry-pull"
   */
  readonly pullSecretName?: string;
}

/** What every environment stack takes. */
export interface EnvironmentStackProps {
  /**
   * Labels of every object of the environment's charts.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Names without cdk8s's hash suffix (see `ChartProps.disableResourceNameHashes`).
   * @default false
   */
  readonly disableResourceNameHashes?: boolean;
  /** URL of the GitLab instance. */
  readonly gitlabUrl: string;
  /**
   * Manager replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Jobs per manager.
   * @default 10
   */
  readonly concurrent?: number;
  /**
   * Jobs per manager at most, below `concurrent` (a way to fit the node pool).
   * @default - `concurrent` only
   */
  readonly limit?: number;
  /**
   * Accept more configured jobs than the node pool fits (a warning instead of an error).
   * @default false
   */
  readonly overCommit?: boolean;
  /**
   * The runner's tags, as set in GitLab; the pipeline's jobs use them.
   * @default ['kubernetes']
   */
  readonly tags?: string[];
  /**
   * The manager's namespace (the Helm release's).
   * @default "gitlab-runner" (`DEFAULT_NAMESPACE`, as `RunnerManager`)
   */
  readonly namespace?: string;
  /**
   * The job pods' namespace.
   * @default - `<namespace>-jobs`
   */
  readonly jobNamespace?: string;
  /**
   * Run the manager and its jobs in one namespace (`jobNamespace` equal to `namespace`), which
   * costs the manager its `restricted` Pod Security level (see `RunnerManagerProps.sharedNamespace`).
   * Without this, equal namespaces are an error.
   * @default false
   */
  readonly sharedNamespace?: boolean;
  /**
   * Secret with the runner token, in the manager's namespace.
   * @default "gitlab-runner-token"
   */
  readonly tokenSecretName?: string;
  /**
   * A registry that mirrors every public image (manager, helper, job, build, test and kubectl
   * images): `docker:27.3.1` is pulled as `<mirror>/library/docker:27.3.1`.
   * @default - images from their public registries
   */
  readonly imageMirror?: string;
  /**
   * The helper image's flavor. With `HybridStack` choose a glibc one (`HelperImageFlavor.UBUNTU`):
   * musl (Alpine) asks all nameservers at once and takes the first answer.
   * @default HelperImageFlavor.ALPINE
   */
  readonly helperImageFlavor?: HelperImageFlavor;
  /**
   * Default image of jobs that name none, pinned by tag (pulled through `imageMirror` when set).
   * @default "alpine:3.22"
   */
  readonly jobImage?: string;
  /**
   * Registries `dockerd` or kaniko may reach over plain HTTP.
   * @default - none
   */
  readonly insecureRegistries?: string[];
  /**
   * How CI jobs build images; it decides the job pods' security profile.
   * @default BuilderKind.DOCKER_IN_DOCKER
   */
  readonly builder?: BuilderKind;
  /**
   * Job pod resources and settings. The stack sets the security profile (from `builder`), the helper
   * image (from `imageMirror` and `helperImageFlavor`) and the job image (`jobImage`): giving them
   * here is an error.
   * @default - `JobPodPolicy` defaults (no resource requests or limits)
   */
  readonly jobPods?: JobPodPolicyProps;
  /**
   * The CI node pool. Its pre-puller runs in the jobs' namespace: a `namespace` here is an error.
   * @default - no node pool: job pods may run on any node
   */
  readonly nodePool?: CiNodePoolProps;
  /**
   * The CI cache.
   * @default - none
   */
  readonly cache?: RunnerCache;
  /**
   * NetworkPolicies for the manager's and the jobs' namespaces; GitLab and DNS come from the runner.
   * @default - no NetworkPolicies
   */
  readonly network?: RunnerNetworkPoliciesOptions;
  /**
   * A registry mirror for `dockerd` in DinD (`--registry-mirror`), in the app's build and the smoke test.
   * @default - none
   */
  readonly registryMirror?: string;
  /**
   * A PodMonitor and alerts for the Prometheus Operator (its CRDs must be installed).
   * @default - no monitoring objects
   */
  readonly monitoring?: RunnerMonitoringOptions;
  /**
   * The cluster this environment is applied to. Stacks with the same `clusterName` (or, when not
   * both give one, the same `network.kubernetesApi`) share a cluster, and any two objects or Helm
   * releases there with the same identity but different content fail the synth. A stack without
   * one, at an endpoint that stacks of two different names give, is an error.
   * @default - a cluster of its own, unless another stack names the same Kubernetes API endpoint
   */
  readonly clusterName?: string;
  /**
   * The seeds' sample app and its build-and-deploy pipeline, on this environment's runner.
   * @default - the runner platform only: no app, no pipeline, no deploy identity
   */
  readonly sampleApp?: SampleAppOptions;
}

