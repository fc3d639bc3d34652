import { Chart, ChartProps, Names } from 'cdk8s';
import { k8s, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppImage, CalculatorApp, NodePortRange } from '../calculator-app';
import { AppRegistry, CalculatorPipeline, ImageBuilder } from '../calculator-pipeline';
import { CiNodePool, CiNodePoolProps } from '../ci-node-pool';
import { DnsStrategy } from '../dns-strategy';
import { EnvironmentReport } from '../environment-report';
import { HelperImage, HelperImageFlavor } from '../helper-image';
import { ManifestFolder, placeManifests } from '../output/placement';
import { DEFAULT_JOB_IMAGE, JobPodPolicy, JobPodPolicyProps, JobSecurityProfile } from '../job-pod-policy';
import { podSecurityLabels } from '../render/pod-security-labels';
import { RunnerCache } from '../runner-cache';
import { DEFAULT_NAMESPACE, defaultJobNamespace, RunnerManager } from '../runner-manager';
import { RunnerMonitoring, RunnerMonitoringProps } from '../runner-monitoring';
import { RunnerSmokeTest } from '../runner-smoke-test';
import { NetworkEndpoint, RunnerNetworkPolicies, RunnerNetworkPoliciesOptions } from '../network-policies';
import { hostsToLookUp, PropChecker } from '../validation/checks';
import { Clusters } from '../validation/clusters';

/** How the app's image is built. */
export enum BuilderKind {
  /** Docker-in-Docker: the runner's job pods run privileged (namespace level `privileged`). */
  DOCKER_IN_DOCKER = 'docker-in-docker',
  /** kaniko: no privileged containers; the jobs' namespace stays `baseline`. */
  KANIKO = 'kaniko',
}

/** What every environment stack takes. */
export interface EnvironmentStackProps extends ChartProps {
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
   * The app's namespace, neither the manager's nor the jobs': the deploy job creates Secrets there.
   * @default "calculator"
   */
  readonly appNamespace?: string;
  /**
   * The app's container, Service and node port, within `nodePortRange`. A node port is
   * cluster-wide: environments that share a cluster need different ones.
   * @default 30194
   */
  readonly appPort?: number;
  /**
   * The cluster's NodePort range (`--service-node-port-range`), which the app's node port must lie in.
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: NodePortRange;
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
  /** Where the pipeline pushes the app's image. */
  readonly appRegistry: AppRegistry;
  /**
   * Registries `dockerd` or kaniko may reach over plain HTTP.
   * @default - none
   */
  readonly insecureRegistries?: string[];
  /**
   * Name of the registry Secret the deploy job creates and the app pulls with.
   * @default "acr-secret"
   */
  readonly pullSecretName?: string;
  /**
   * How the app's image is built; it decides the job pods' security profile.
   * @default BuilderKind.DOCKER_IN_DOCKER
   */
  readonly builder?: BuilderKind;
  /**
   * Job pod resources and settings, apart from the security profile (set by `builder`) and the
   * helper image (set by `imageMirror`).
   * @default - `JobPodPolicy` defaults (no resource requests or limits)
   */
  readonly jobPods?: Omit<JobPodPolicyProps, 'securityProfile' | 'helperImage'>;
  /**
   * The CI node pool, apart from its namespace (the jobs' namespace).
   * @default - no node pool: job pods may run on any node
   */
  readonly nodePool?: Omit<CiNodePoolProps, 'namespace'>;
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
  readonly monitoring?: Omit<RunnerMonitoringProps, 'runner'>;
  /**
   * The cluster this environment is applied to. Stacks with the same `clusterName` (or, when not
   * both give one, the same `network.kubernetesApi`) share a cluster, and any two objects or Helm
   * releases there with the same identity but different content fail the synth. A stack without
   * one, at an endpoint that stacks of two different names give, is an error.
   * @default - a cluster of its own, unless another stack names the same Kubernetes API endpoint
   */
  readonly clusterName?: string;
}

/**
 * One environment (the base of `InternalStack`, `PublicStack` and `HybridStack`): the runner-side and platform chart (this chart: namespaces, RBAC, the node
 * pool, the deploy identity; the Helm values and the pipeline are written beside it) and the
 * app's own chart `<id>-calculator`, the only file the deploy job applies. Both are top-level
 * charts without dependencies, so their files are `<id>.k8s.yaml` and `<id>-calculator.k8s.yaml`.
 */
export class EnvironmentStack extends Chart {
  /** The app's chart, a sibling of this one. */
  public readonly appChart: Chart;
  /** The runner manager. */
  public readonly runner: RunnerManager;
  /** The job pod policy. */
  public readonly jobPodPolicy: JobPodPolicy;
  /** The CI node pool, if any. */
  public readonly nodePool?: CiNodePool;
  /** The app. */
  public readonly app: CalculatorApp;
  /** The app's pipeline. */
  public readonly pipeline: CalculatorPipeline;
  /** The NetworkPolicies, if any. */
  public readonly networkPolicies?: RunnerNetworkPolicies;
  /** The environment's report. */
  public readonly report: EnvironmentReport;
  /** The monitoring objects, if any. */
  public readonly monitoring?: RunnerMonitoring;
  /** The smoke test for a fresh runner (`<id>.runner-smoke-test.gitlab-ci.yml`). */
  public readonly smokeTest: RunnerSmokeTest;
  /** The chart with the CoreDNS change (`<id>-coredns`), for a strategy that changes CoreDNS. */
  public readonly coreDnsChart?: Chart;

  protected constructor(scope: Construct, id: string, props: EnvironmentStackProps, dnsStrategy: DnsStrategy) {
    super(scope, id, { labels: props.labels, disableResourceNameHashes: props.disableResourceNameHashes });
    // Every chart of the stack is one environment's: <outdir>/<id>/<folder>/.
    const environment = Names.toDnsLabel(this);
    placeManifests(this, { environment, folder: ManifestFolder.PLATFORM });
    const check = new PropChecker(this.node.path);
    // Chart labels go on every object of the environment's charts.
    for (const [key, value] of Object.entries(props.labels ?? {})) {
      check.noCredential('labels key', key);
      check.noCredential(`labels["${key}"]`, value);
    }
    const mirror = imageMirror(check, props.imageMirror);
    const builder = props.builder ?? BuilderKind.DOCKER_IN_DOCKER;
    check.oneOf('builder', builder, Object.values(BuilderKind));
    if (props.registryMirror !== undefined && builder !== BuilderKind.DOCKER_IN_DOCKER) {
      check.fail('registryMirror', props.registryMirror, 'no registryMirror with builder: BuilderKind.KANIKO: it is dockerd\'s --registry-mirror '
        + 'for Docker-in-Docker, and a kaniko build runs no dockerd (nor does the smoke test, whose job pods are then unprivileged)');
    }
    // Checked here, before the node pool uses them, so errors name the stack's own props.
    const namespace = check.dnsLabel('namespace', props.namespace ?? DEFAULT_NAMESPACE);
    const jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace ?? defaultJobNamespace(namespace));
    const sharedNamespace = check.boolean('sharedNamespace', props.sharedNamespace ?? false);
    if (jobNamespace === namespace && !sharedNamespace) {
      check.fail('jobNamespace', jobNamespace, `a namespace other than the manager's ("${namespace}"): in one namespace the manager `
        + 'loses its restricted Pod Security level to the jobs\' level and job pods sit beside the runner token Secret; '
        + 'set sharedNamespace: true if that is what you want');
    }
    // Its syntax is the app's to check; here only that it is a namespace of its own.
    const appNamespace = props.appNamespace ?? 'calculator';
    if (appNamespace === namespace || appNamespace === jobNamespace) {
      // The deploy identity creates Secrets in the app's namespace and patches the pull Secret by name: beside the runner token or the jobs' credentials it could shadow or replace them.
      check.fail('appNamespace', appNamespace, `a namespace of the app's own, neither the manager's ("${namespace}") nor the jobs' `
        + `("${jobNamespace}"): the deploy job creates Secrets in the app's namespace and patches its pull Secret there, beside the runner token and the jobs' credentials`);
    }
    if (props.appPort !== undefined) {
      check.nodePort('appPort', props.appPort, props.nodePortRange === undefined ? undefined : check.portRange('nodePortRange', props.nodePortRange));
    }

    this.jobPodPolicy = new JobPodPolicy(this, 'JobPodPolicy', {
      ...props.jobPods,
      jobImage: mirror(props.jobImage ?? DEFAULT_JOB_IMAGE),
      securityProfile: builder === BuilderKind.DOCKER_IN_DOCKER ? JobSecurityProfile.privileged() : JobSecurityProfile.rootBuilder(),
      helperImage: props.imageMirror
        ? HelperImage.fromRegistry(props.imageMirror, { flavor: props.helperImageFlavor })
        : HelperImage.official({ flavor: props.helperImageFlavor }),
    });
    this.nodePool = props.nodePool && new CiNodePool(this, 'CiNodePool', {
      ...props.nodePool,
      namespace: jobNamespace,
      // Without a pre-puller the pool has no pause container: a pause image there would have no effect.
      pauseImage: props.nodePool.pauseImage ?? (props.nodePool.prePull === false ? undefined : mirror('registry.k8s.io/pause:3.9')),
    });
    this.runner = new RunnerManager(this, 'Runner', {
      gitlabUrl: props.gitlabUrl,
      tokenSecret: Secret.fromSecretName(this, 'RunnerToken', props.tokenSecretName ?? 'gitlab-runner-token'),
      namespace,
      jobNamespace,
      sharedNamespace: props.sharedNamespace,
      replicas: props.replicas,
      concurrent: props.concurrent,
      limit: props.limit,
      overCommit: props.overCommit,
      tags: props.tags ?? ['kubernetes'],
      imageRegistry: props.imageMirror,
      // A mirror keeps the runner under gitlab/, as the seeds' registry.example.com does.
      imageRepository: props.imageMirror ? 'gitlab/gitlab-runner' : undefined,
      jobPodPolicy: this.jobPodPolicy,
      dnsStrategy,
      nodePool: this.nodePool,
      cache: props.cache,
    });

    // The platform owns the app's namespace; the deploy job only applies the app's objects.
    this.appChart = new Chart(scope, `${id}-calculator`, { labels: props.labels });
    placeManifests(this.appChart, { environment, folder: ManifestFolder.APP });
    this.app = new CalculatorApp(this.appChart, 'Calculator', {
      namespace: props.appNamespace,
      port: props.appPort,
      nodePortRange: props.nodePortRange,
      image: AppImage.fromVariable('DOCKER_IMAGE'),
      pullSecret: Secret.fromSecretName(this.appChart, 'PullSecret', props.pullSecretName ?? 'acr-secret'),
    });
    new k8s.KubeNamespace(this, 'AppNamespace', {
      metadata: {
        name: this.app.namespace,
        labels: { 'kubernetes.io/metadata.name': this.app.namespace, ...podSecurityLabels(this.app.podSecurityLevel) },
      },
    });
    if (props.network) this.networkPolicies = new RunnerNetworkPolicies(this, 'NetworkPolicies', { ...props.network, runner: this.runner });
    if (props.monitoring) this.monitoring = new RunnerMonitoring(this, 'Monitoring', { ...props.monitoring, runner: this.runner });
    const insecure = props.insecureRegistries ?? [];
    this.pipeline = new CalculatorPipeline(this, 'Pipeline', {
      app: this.app,
      runner: this.runner,
      registry: props.appRegistry,
      builder: builder === BuilderKind.DOCKER_IN_DOCKER
        ? ImageBuilder.dockerInDocker({ insecureRegistries: insecure, registryMirror: props.registryMirror })
        : ImageBuilder.kaniko({ insecureRegistries: insecure }),
      mirror: { mirrorImage: mirror },
    });
    this.smokeTest = new RunnerSmokeTest(this, 'SmokeTest', {
      runner: this.runner,
      registries: [...(props.imageMirror ? [props.imageMirror] : []), props.appRegistry.host],
      // Only the dind job uses them, and only a DinD runner gets one.
      insecureRegistries: builder === BuilderKind.DOCKER_IN_DOCKER ? insecure : undefined,
      registryMirror: props.registryMirror,
      mirror: { mirrorImage: mirror },
    });
    // The CoreDNS change is its own chart and file, to be applied deliberately.
    if (dnsStrategy.corefile !== undefined) {
      this.coreDnsChart = new Chart(scope, `${id}-coredns`, { labels: props.labels });
      placeManifests(this.coreDnsChart, { environment, folder: ManifestFolder.CORE_DNS });
      dnsStrategy.addCoreDnsConfigMap(this.coreDnsChart);
    }
    Clusters.of(this).declare(this, {
      name: props.clusterName === undefined ? undefined : check.dnsSubdomain('clusterName', props.clusterName),
      apiEndpoint: props.network?.kubernetesApi instanceof NetworkEndpoint ? props.network.kubernetesApi._describe() : undefined,
    }, [this, this.appChart, ...(this.coreDnsChart ? [this.coreDnsChart] : [])]);
    this.report = new EnvironmentReport(this, 'Report', {
      runner: this.runner,
      networkPolicies: this.networkPolicies,
      monitoring: this.monitoring,
      pipeline: this.pipeline,
      smokeTest: this.smokeTest,
      coreDnsChart: this.coreDnsChart,
      hosts: this.jobHosts(props),
    });
  }

  /** Host names job pods resolve: GitLab, where DinD pulls base images, the app's registry, the cache. */
  private jobHosts(props: EnvironmentStackProps): string[] {
    const s3 = this.runner._runnerConfig.runners[0].cache?.s3?.serverAddress;
    return hostsToLookUp([
      new URL(this.runner.gitlabUrl).hostname,
      props.imageMirror ?? 'registry-1.docker.io',
      props.appRegistry.host,
      ...(s3 ? [s3] : []),
    ]);
  }
}

/**
 * Maps a public image to its place in a mirror, keeping Docker Hub's paths as the seeds'
 * `registry.example.com/library/docker` does: `docker:27.3.1` -> `<mirror>/library/docker:27.3.1`,
 * `alpine/k8s:1.28.15` -> `<mirror>/alpine/k8s:1.28.15`, `registry.k8s.io/pause:3.9` -> `<mirror>/pause:3.9`.
 */
export function imageMirror(check: PropChecker, mirror: string | undefined): (image: string) => string {
  if (mirror === undefined) return (image) => image;
  check.registryHost('imageMirror', mirror);
  return (image) => {
    const [first, ...rest] = image.split('/');
    if (rest.length === 0) return `${mirror}/library/${image}`;
    const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
    return `${mirror}/${hasRegistry ? rest.join('/') : image}`;
  };
}
