import { Chart, Names } from 'cdk8s';
import { k8s, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppImage, CalculatorApp } from '../calculator-app';
import { CalculatorPipeline, ImageBuilder } from '../calculator-pipeline';
import { CiNodePool } from '../ci-node-pool';
import { DnsStrategy } from '../dns-strategy';
import { EnvironmentReport } from '../environment-report';
import { HelperImage } from '../helper-image';
import { ManifestFolder, placeManifests } from '../output/placement';
import { DEFAULT_JOB_IMAGE, JobPodPolicy, JobSecurityProfile } from '../job-pod-policy';
import { podSecurityLabels } from '../render/pod-security-labels';
import { RunnerManager } from '../runner-manager';
import { RunnerMonitoring } from '../runner-monitoring';
import { RunnerSmokeTest } from '../runner-smoke-test';
import { NetworkEndpoint, RunnerNetworkPolicies } from '../network-policies';
import { hostsToLookUp } from '../validation/patterns';
import { PropChecker } from '../validation/prop-checker';
import { Clusters } from '../validation/clusters';
import { NAMESPACE_NAME_LABEL } from '../model/labels';
import { BuilderKind, EnvironmentStackProps, SampleAppOptions } from './props';
import { DEFAULT_PULL_SECRET_NAME, resolveStackSettings, StackSettings } from './settings';

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
