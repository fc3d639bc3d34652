import { Construct } from 'constructs';
import { CiNodePool, PoolCapacity } from '../ci-node-pool';
import { DnsStrategy } from '../dns-strategy';
import { JobPodPolicy } from '../job-pod-policy';
import { HelmRbacRule, HelmValues } from '../model/helm-values';
import { RunnerConfig } from '../model/runner-config';
import { GeneratedFileKind } from '../output/files';
import { FileRegistry } from '../output/registry';
import { PodSecurityLevel } from '../pod-security';
import { renderRunnerConfig } from '../render/toml';
import { RunnerCache } from '../runner-cache';
import { managerPolicyRules } from '../runner-permissions';
import { PropChecker } from '../validation/prop-checker';
import { Clusters } from '../validation/clusters';
import { scanManifestsForCredentials } from '../validation/credential-scan';
import { checkProps } from '../validation/known-keys';
import { addWarning } from '../validation/warnings';
import { assessCapacity, assessJobNamespaceLevel, CheckOutcome } from './checks';
import { buildRunnerConfig } from './config';
import { ManagerDisruptionBudget } from './disruption';
import { RunnerNamespaces } from './namespaces';
import { RunnerManagerProps } from './props';
import { JobNamespaceRbac } from './rbac';
import { ResolvedRunnerSettings, resolveRunnerSettings } from './settings';
import { buildValues, managerPodSelector, valuesFile } from './values';

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
  /** The manager's and the jobs' namespaces (created here, or the ones given). */
  public readonly namespaces: RunnerNamespaces;
  /** What each job pod gets. */
  public readonly jobPodPolicy: JobPodPolicy;
  /** DNS of job pods. */
  public readonly dnsStrategy: DnsStrategy;
  /** The CI node pool, if any. */
  public readonly nodePool?: CiNodePool;
  /** @internal The runner configuration model: the global settings and the one `[[runners]]` entry. */
  public readonly _runnerConfig: RunnerConfig;
  /** @internal The values model for the `gitlab-runner` Helm chart. */
  public readonly _helmValues: HelmValues;
  /** @internal The Kubernetes API rules the manager needs in the jobs' namespace. */
  public readonly _policyRules: readonly HelmRbacRule[];
  /** What the node pool holds of this runner's jobs, when the pool's size is given. */
  public readonly capacity?: PoolCapacity;
  /** @internal */
  public readonly _settings: ResolvedRunnerSettings;
  private readonly capacityOutcome: CheckOutcome;

  constructor(scope: Construct, id: string, props: RunnerManagerProps) {
    super(scope, id);
    // Registered first, so that its errors come before the collisions' (Clusters).
    scanManifestsForCredentials(this);
    const s = this._settings = resolveRunnerSettings(this.node.path, checkedProps(this.node.path, props), jobPodPolicyOf(this, props));
    this.releaseName = s.releaseName;
    this.fullname = this.serviceAccountName = s.fullname;
    this.jobPodPolicy = s.jobPodPolicy;
    this.dnsStrategy = s.dnsStrategy;
    this.nodePool = s.nodePool;

    // Cross-construct checks: computed once here from immutable inputs, reported together at synth.
    this.capacity = this.nodePool?.capacity(this.jobPodPolicy);
    this.capacityOutcome = assessCapacity(s, this.capacity);
    const levelErrors = assessJobNamespaceLevel(s);
    this.node.addValidation({ validate: () => [...this.capacityOutcome.errors, ...levelErrors] });

    // Models, then the objects the chart does not create.
    this._runnerConfig = buildRunnerConfig(s);
    this._policyRules = managerPolicyRules({
      printPodWarningEvents: s.printPodWarningEvents,
      // namespace_per_job is not offered: a namespace per job has no Pod Security level or NetworkPolicy of ours.
      namespacePerJob: false,
      informers: s.podInformers,
      debugServices: s.debugServices,
      featureFlags: s.featureFlags,
    });
    this._helmValues = buildValues(s, this._runnerConfig);
    checkPrinted(s, this._helmValues);
    this.namespaces = s.namespaces ?? new RunnerNamespaces(this, 'Namespaces', {
      namespace: s.namespace, jobNamespace: s.jobNamespace, jobNamespacePodSecurity: s.jobNamespacePodSecurity, create: s.createNamespaces,
    });
    new JobNamespaceRbac(this, 'JobNamespaceRbac', {
      name: s.fullname, jobNamespace: s.jobNamespace, serviceAccountName: s.fullname, serviceAccountNamespace: s.namespace,
      rules: this._policyRules, labels: this.commonLabels(),
    });
    Clusters.of(this).addRelease(this, s.namespace, s.releaseName);
    if (s.podDisruptionBudget) {
      new ManagerDisruptionBudget(this, 'Disruption', {
        name: s.fullname, namespace: s.namespace, selector: this.managerPodSelector, labels: this.commonLabels(),
      });
    }
    this.connectNodePool();
    this.dnsStrategy._warnAboutImages(this, this.helperImage, this.jobImage);
    for (const warning of [...s.warnings, ...this.capacityOutcome.warnings]) addWarning(this, warning);
    FileRegistry.of(this).add(this, GeneratedFileKind.HELM_VALUES, { fileModel: () => valuesFile(s, this._helmValues) });
  }

  /** The manager's namespace. */
  public get namespace(): string { return this._settings.namespace; }
  /** The job pods' namespace. */
  public get jobNamespace(): string { return this._settings.jobNamespace; }
  /** The Pod Security level of the jobs' namespace. */
  public get jobNamespacePodSecurity(): PodSecurityLevel { return this.namespaces.jobNamespacePodSecurity; }
  /** The GitLab URL. */
  public get gitlabUrl(): string { return this._settings.gitlabUrl; }
  /** The runner version. */
  public get runnerVersion(): string { return this._settings.runnerVersion; }
  /** The Helm chart version to install. */
  public get chartVersion(): string { return this._settings.chartVersion; }
  /** Manager replicas. */
  public get replicas(): number { return this._settings.replicas; }
  /** Jobs per manager. */
  public get concurrent(): number { return this._settings.concurrent; }
  /** Jobs one manager runs at once: `concurrent`, bounded by `limit`. */
  public get jobsPerManager(): number { return this._settings.jobsPerManager; }
  /** Jobs all managers run at once: `replicas` × `jobsPerManager`. */
  public get configuredJobs(): number { return this._settings.configuredJobs; }
  /** The runner's tags (set in GitLab; used by generated pipelines). */
  public get tags(): string[] { return [...this._settings.tags]; }
  /** Whether job containers run privileged. */
  public get privileged(): boolean { return this.jobPodPolicy.privileged; }
  /** The shared CI cache, if any. */
  public get cache(): RunnerCache | undefined { return this._settings.cache; }
  /** Default image of jobs that name none (the policy's `jobImage`). */
  public get jobImage(): string { return this.jobPodPolicy.jobImage; }
  /** The helper image for this runner's version. */
  public get helperImage(): string { return this.jobPodPolicy.helperImageFor(this.runnerVersion); }
  /** The longest job, in seconds. */
  public get jobTimeout(): number { return this._settings.jobTimeout; }
  /** The manager pod's grace period, in seconds. */
  public get terminationGracePeriodSeconds(): number { return this._settings.terminationGracePeriod; }
  /** Whether a stopping manager drains its running jobs (`drainOnStop`). */
  public get drainOnStop(): boolean { return this._settings.drainOnStop; }
  /** The complete `config.toml` the runner will run with (before registration adds url and token). */
  public get configToml(): string { return renderRunnerConfig(this._runnerConfig); }
  /** The labels that select the manager pods: the chart's Deployment selector (`app: <fullname>`). */
  public get managerPodSelector(): { [label: string]: string } { return managerPodSelector(this.fullname); }

  /** The pool keeps this runner's images and applies its pre-puller after the namespace it runs in. */
  private connectNodePool(): void {
    const pool = this.nodePool;
    if (!pool) return;
    if (pool.prePuller) {
      if (![this.namespace, this.jobNamespace].includes(pool.namespace)) {
        addWarning(this, `the pre-puller of ${pool.node.path} is in namespace "${pool.namespace}", which this `
          + `manager does not create (it creates "${this.namespace}" and "${this.jobNamespace}"); create it, or give the pool namespace: "${this.jobNamespace}"`);
      }
      this.namespaces.applyBefore(pool.prePuller, pool.namespace);
    }
    pool.addPrePullImage({ image: this.helperImage });
    pool.addPrePullImage({ image: this.jobImage });
  }

  private commonLabels(): { [key: string]: string } {
    return { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': this.releaseName };
  }
}

function checkedProps(path: string, props: RunnerManagerProps): RunnerManagerProps {
  const check = new PropChecker(path);
  if (props === undefined || props === null || typeof props !== 'object') {
    check.fail('props', props, 'an object with at least gitlabUrl and tokenSecret');
  }
  checkProps(check, props, 'RunnerManagerProps');
  return props;
}

function jobPodPolicyOf(scope: Construct, props: RunnerManagerProps): JobPodPolicy {
  const policy = props.jobPodPolicy ?? new JobPodPolicy(scope, 'JobPodPolicy');
  if (!(policy instanceof JobPodPolicy)) new PropChecker(scope.node.path).fail('jobPodPolicy', props.jobPodPolicy, 'a JobPodPolicy construct');
  return policy;
}

/** Helm prints large numbers in exponent form, which the runner cannot read: name the prop that set one. */
function checkPrinted(s: ResolvedRunnerSettings, values: HelmValues): void {
  new PropChecker(s.path).helmPrinted(values, {
    replicas: { prop: 'replicas' },
    concurrent: { prop: 'concurrent' },
    checkInterval: { prop: 'checkInterval' },
    shutdown_timeout: { prop: 'shutdownTimeout' },
    terminationGracePeriodSeconds: s.terminationGracePeriodGiven ? { prop: 'terminationGracePeriod' }
      : { prop: 'jobTimeout', how: `terminationGracePeriodSeconds is jobTimeout + shutdownTimeout (${s.jobTimeout}s + ${s.shutdownTimeout}s)` },
  });
}
