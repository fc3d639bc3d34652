import { Chart, Names } from 'cdk8s';
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
import { RunnerMonitoring, RunnerMonitoringOptions } from '../runner-monitoring';
import { RunnerSmokeTest } from '../runner-smoke-test';
import { NetworkEndpoint, RunnerNetworkPolicies, RunnerNetworkPoliciesOptions } from '../network-policies';
import { hostsToLookUp } from '../validation/patterns';
import { PropChecker } from '../validation/prop-checker';
import { Clusters } from '../validation/clusters';
import { checkProps } from '../validation/known-keys';
import { NAMESPACE_NAME_LABEL } from '../model/labels';

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

/**
 * One environment (the base of `InternalStack`, `PublicStack` and `HybridStack`): the runner
 * platform in this chart (namespaces, RBAC, the node pool, NetworkPolicies; the Helm values, the
 * smoke test and the report are written beside it), the CoreDNS change in `<id>-coredns` when the
 * strategy makes one, and, when `sampleApp` is given, the app's own chart `<id>-calculator` (the
 * only manifest the deploy job applies) with its pipeline.
 */
export class EnvironmentStack extends Chart {
  /** The runner manager. */
  public readonly runner: RunnerManager;
  /** The job pod policy. */
  public readonly jobPodPolicy: JobPodPolicy;
  /** The CI node pool, if any. */
  public readonly nodePool?: CiNodePool;
  /** The sample app's chart, a sibling of this one, when `sampleApp` is given. */
  public readonly appChart?: Chart;
  /** The sample app, when `sampleApp` is given. */
  public readonly app?: CalculatorApp;
  /** The sample app's pipeline, when `sampleApp` is given. */
  public readonly pipeline?: CalculatorPipeline;
  /** The NetworkPolicies, if any. */
  public readonly networkPolicies?: RunnerNetworkPolicies;
  /** The environment's report. */
  public readonly report: EnvironmentReport;
  /** The monitoring objects, if any. */
  public readonly monitoring?: RunnerMonitoring;
  /** The smoke test for a fresh runner (`pipelines/runner-smoke-test.gitlab-ci.yml`). */
  public readonly smokeTest: RunnerSmokeTest;
  /** The chart with the CoreDNS change (`<id>-coredns`), for a strategy that changes CoreDNS. */
  public readonly coreDnsChart?: Chart;

  protected constructor(scope: Construct, id: string, props: EnvironmentStackProps, dnsStrategy: DnsStrategy) {
    super(scope, id, { labels: props.labels, disableResourceNameHashes: props.disableResourceNameHashes });
    // Every chart of the stack is one environment's: <outdir>/<id>/<folder>/.
    const environment = Names.toDnsLabel(this);
    placeManifests(this, { environment, folder: ManifestFolder.PLATFORM });
    const check = new PropChecker(this.node.path);
    const s = resolveStackSettings(check, props);

    this.jobPodPolicy = new JobPodPolicy(this, 'JobPodPolicy', {
      ...props.jobPods,
      jobImage: s.mirror(props.jobImage ?? DEFAULT_JOB_IMAGE),
      securityProfile: s.builder === BuilderKind.DOCKER_IN_DOCKER ? JobSecurityProfile.privileged() : JobSecurityProfile.rootBuilder(),
      helperImage: props.imageMirror
        ? HelperImage.fromRegistry(props.imageMirror, { flavor: props.helperImageFlavor })
        : HelperImage.official({ flavor: props.helperImageFlavor }),
    });
    this.nodePool = props.nodePool && new CiNodePool(this, 'CiNodePool', {
      ...props.nodePool,
      namespace: s.jobNamespace,
      // Without a pre-puller the pool has no pause container: a pause image there would have no effect.
      pauseImage: props.nodePool.pauseImage ?? (props.nodePool.prePull === false ? undefined : s.mirror('registry.k8s.io/pause:3.9')),
    });
    this.runner = new RunnerManager(this, 'Runner', {
      gitlabUrl: props.gitlabUrl,
      tokenSecret: Secret.fromSecretName(this, 'RunnerToken', props.tokenSecretName ?? 'gitlab-runner-token'),
      namespace: s.namespace,
      jobNamespace: s.jobNamespace,
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
    if (props.sampleApp) [this.appChart, this.app] = this.addSampleApp(scope, environment, props.labels, props.sampleApp);
    if (props.network) this.networkPolicies = new RunnerNetworkPolicies(this, 'NetworkPolicies', { ...props.network, runner: this.runner });
    if (props.monitoring) this.monitoring = new RunnerMonitoring(this, 'Monitoring', { ...props.monitoring, runner: this.runner });
    if (props.sampleApp && this.app) this.pipeline = this.addPipeline(this.app, props, props.sampleApp, s);
    this.smokeTest = new RunnerSmokeTest(this, 'SmokeTest', {
      runner: this.runner,
      registries: [...(props.imageMirror ? [props.imageMirror] : []), ...(props.sampleApp ? [props.sampleApp.registry.host] : [])],
      // Only the dind job uses them, and only a DinD runner gets one.
      insecureRegistries: s.builder === BuilderKind.DOCKER_IN_DOCKER ? s.insecureRegistries : undefined,
      registryMirror: props.registryMirror,
      mirror: { mirrorImage: s.mirror },
    });
    // The CoreDNS change is its own chart and folder, to be applied deliberately.
    if (dnsStrategy.corefile !== undefined) {
      this.coreDnsChart = new Chart(scope, `${id}-coredns`, { labels: props.labels });
      placeManifests(this.coreDnsChart, { environment, folder: ManifestFolder.CORE_DNS });
      dnsStrategy.addCoreDnsConfigMap(this.coreDnsChart);
    }
    Clusters.of(this).declare(this, {
      name: props.clusterName === undefined ? undefined : check.dnsSubdomain('clusterName', props.clusterName),
      apiEndpoint: props.network?.kubernetesApi instanceof NetworkEndpoint ? props.network.kubernetesApi._describe() : undefined,
    }, [this, ...(this.appChart ? [this.appChart] : []), ...(this.coreDnsChart ? [this.coreDnsChart] : [])]);
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

  /** The app's chart with the app, and its namespace in this chart (the platform owns it). */
  private addSampleApp(scope: Construct, environment: string, labels: { [key: string]: string } | undefined,
    options: SampleAppOptions): [Chart, CalculatorApp] {
    const appChart = new Chart(scope, `${this.node.id}-calculator`, { labels });
    placeManifests(appChart, { environment, folder: ManifestFolder.APP });
    const app = new CalculatorApp(appChart, 'Calculator', {
      namespace: options.namespace,
      port: options.port,
      nodePortRange: options.nodePortRange,
      image: AppImage.fromVariable('DOCKER_IMAGE'),
      pullSecret: Secret.fromSecretName(appChart, 'PullSecret', options.pullSecretName ?? DEFAULT_PULL_SECRET_NAME),
    });
    new k8s.KubeNamespace(this, 'AppNamespace', {
      metadata: {
        name: app.namespace,
        labels: { [NAMESPACE_NAME_LABEL]: app.namespace, ...podSecurityLabels(app.podSecurityLevel) },
      },
    });
    return [appChart, app];
  }

  /** The app's pipeline on this runner, with its deploy identity. */
  private addPipeline(app: CalculatorApp, props: EnvironmentStackProps, options: SampleAppOptions, s: StackSettings): CalculatorPipeline {
    return new CalculatorPipeline(this, 'Pipeline', {
      app,
      runner: this.runner,
      registry: options.registry,
      builder: s.builder === BuilderKind.DOCKER_IN_DOCKER
        ? ImageBuilder.dockerInDocker({ insecureRegistries: s.insecureRegistries, registryMirror: props.registryMirror })
        : ImageBuilder.kaniko({ insecureRegistries: s.insecureRegistries }),
      mirror: { mirrorImage: s.mirror },
    });
  }

  /** Host names job pods resolve: GitLab, where DinD pulls base images, the app's registry, the cache. */
  private jobHosts(props: EnvironmentStackProps): string[] {
    const s3 = this.runner._runnerConfig.runners[0].cache?.s3?.serverAddress;
    return hostsToLookUp([
      new URL(this.runner.gitlabUrl).hostname,
      props.imageMirror ?? 'registry-1.docker.io',
      ...(props.sampleApp ? [props.sampleApp.registry.host] : []),
      ...(s3 ? [s3] : []),
    ]);
  }
}

/** The registry Secret's name when `SampleAppOptions.pullSecretName` is not given. */
const DEFAULT_PULL_SECRET_NAME = 'app-registry-pull';

/** The stack's own props, checked once, before the constructs use them, so errors name the stack's props. */
interface StackSettings {
  readonly namespace: string;
  readonly jobNamespace: string;
  readonly builder: BuilderKind;
  readonly insecureRegistries: string[];
  readonly mirror: (image: string) => string;
}

function resolveStackSettings(check: PropChecker, props: EnvironmentStackProps): StackSettings {
  // Chart labels go on every object of the environment's charts.
  for (const [key, value] of Object.entries(props.labels ?? {})) {
    check.noCredential('labels key', key);
    check.noCredential(`labels["${key}"]`, value);
  }
  const mirror = imageMirror(check, props.imageMirror);
  // Checked before the mirror rewrites it; the policy checks the reference itself.
  if (props.jobImage !== undefined && typeof props.jobImage !== 'string') {
    check.fail('jobImage', props.jobImage, 'an image reference pinned by tag or digest, e.g. "alpine:3.22"');
  }
  const builder = props.builder ?? BuilderKind.DOCKER_IN_DOCKER;
  check.oneOf('builder', builder, Object.values(BuilderKind));
  if (Array.isArray(props.insecureRegistries) && props.insecureRegistries.length > 0 && builder !== BuilderKind.DOCKER_IN_DOCKER && props.sampleApp === undefined) {
    check.fail('insecureRegistries', props.insecureRegistries, 'no insecureRegistries with builder: BuilderKind.KANIKO and no sampleApp: '
      + 'only the sample app\'s build and the smoke test\'s Docker-in-Docker job use them, and neither runs here');
  }
  if (props.registryMirror !== undefined && builder !== BuilderKind.DOCKER_IN_DOCKER) {
    check.fail('registryMirror', props.registryMirror, 'no registryMirror with builder: BuilderKind.KANIKO: it is dockerd\'s --registry-mirror '
      + 'for Docker-in-Docker, and a kaniko build runs no dockerd (nor does the smoke test, whose job pods are then unprivileged)');
  }
  // What the stack derives itself may not be given twice.
  const derived: Array<[string, unknown, string]> = [
    ['jobPods.securityProfile', props.jobPods?.securityProfile, 'unset: the stack derives it from builder'],
    ['jobPods.helperImage', props.jobPods?.helperImage, 'unset: the stack derives it from imageMirror and helperImageFlavor'],
    ['jobPods.jobImage', props.jobPods?.jobImage, 'unset: give the stack\'s jobImage (pulled through imageMirror)'],
    ['nodePool.namespace', props.nodePool?.namespace, 'unset: the pool\'s pre-puller runs in the stack\'s jobNamespace'],
  ];
  for (const [prop, value, expected] of derived) {
    if (value !== undefined) check.fail(prop, typeof value === 'string' ? value : '(given)', expected);
  }
  const namespace = check.dnsLabel('namespace', props.namespace ?? DEFAULT_NAMESPACE);
  const jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace ?? defaultJobNamespace(namespace));
  const sharedNamespace = check.boolean('sharedNamespace', props.sharedNamespace ?? false);
  if (jobNamespace === namespace && !sharedNamespace) {
    check.fail('jobNamespace', jobNamespace, `a namespace other than the manager's ("${namespace}"): in one namespace the manager `
      + 'loses its restricted Pod Security level to the jobs\' level and job pods sit beside the runner token Secret; '
      + 'set sharedNamespace: true if that is what you want');
  }
  const app = props.sampleApp;
  if (app !== undefined) {
    checkProps(check, app, 'SampleAppOptions', 'sampleApp');
    // Its syntax is the app's to check; here only that it is a namespace of its own.
    const appNamespace = app.namespace ?? CalculatorApp.DEFAULT_NAMESPACE;
    if (appNamespace === namespace || appNamespace === jobNamespace) {
      // The deploy identity creates Secrets in the app's namespace and patches the pull Secret by name: beside the runner token or the jobs' credentials it could shadow or replace them.
      check.fail('sampleApp.namespace', appNamespace, `a namespace of the app's own, neither the manager's ("${namespace}") nor the jobs' `
        + `("${jobNamespace}"): the deploy job creates Secrets in the app's namespace and patches its pull Secret there, beside the runner token and the jobs' credentials`);
    }
    if (app.port !== undefined) {
      check.nodePort('sampleApp.port', app.port, app.nodePortRange === undefined ? undefined : check.portRange('sampleApp.nodePortRange', app.nodePortRange));
    }
  }
  return { namespace, jobNamespace, builder, insecureRegistries: props.insecureRegistries ?? [], mirror };
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
