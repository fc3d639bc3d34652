// Seed 001's production-readiness checklist, evaluated against the configuration as plain functions.
import { describeCapacity, PoolCapacity } from '../ci-node-pool';
import { HelmRbacRule } from '../model/helm-values';
import { formatAmounts, ResourceAmounts, ResourceQuantities } from '../resources';
import { MonitoringSummary } from './props';

/** The state of one checklist item. */
export enum CheckStatus {
  /** The configuration meets the item. */
  MET = 'met',
  /** The configuration does not meet it; the reason says what is missing. */
  NOT_MET = 'not met',
  /** Outside what the configuration can show (log aggregation, training, a live check). */
  NEEDS_A_HUMAN = 'needs a human',
}

/** One item of the production-readiness checklist, evaluated against the configuration. */
export interface ChecklistItem {
  /** The checklist's section: infrastructure, runner, security, monitoring or operations. */
  readonly area: string;
  /** The item, as seed 001 words it. */
  readonly item: string;
  /** Whether the configuration meets it. */
  readonly status: CheckStatus;
  /** Why, from the configuration. */
  readonly reason: string;
}

/** What the checklist reads of the environment: the report's props have it, a test can pass plain data. */
export interface ChecklistInputs {
  readonly runner: {
    readonly replicas: number;
    readonly configuredJobs: number;
    readonly capacity?: PoolCapacity;
    readonly privileged: boolean;
    readonly jobPodPolicy: {
      readonly _buildResources: ResourceQuantities;
      readonly _helperResources: ResourceQuantities;
      readonly _serviceResources: ResourceQuantities;
      readonly perJobLimits: ResourceAmounts;
    };
    readonly nodePool?: { readonly nodeLabels: { readonly [label: string]: string } };
    readonly _policyRules: readonly HelmRbacRule[];
    readonly _helmValues: { readonly metrics?: { readonly enabled?: boolean } };
  };
  readonly networkPolicies?: { readonly jobEgress: { readonly [purpose: string]: unknown } };
  readonly monitoring?: MonitoringSummary;
  readonly pipeline?: { readonly app: { readonly pullSecretName: string } };
}

/** Whether `configured` jobs fit the pool, by requests and by limits, in a sentence. */
export function capacityVerdict(configured: number, capacity: PoolCapacity): string {
  if (configured > capacity.requests.jobs) {
    return `over-committed (acknowledged): ${configured} jobs, but ${describeCapacity(capacity, 'requests')}; the rest wait Pending until \`poll_timeout\`.`;
  }
  if (configured > capacity.limits.jobs) {
    return `fits by requests (${capacity.requests.jobs}), not by limits (${capacity.limits.jobs}): jobs that use their limits at once are throttled or OOM-killed.`;
  }
  return `fits: ${configured} jobs ≤ ${capacity.limits.jobs} by limits and ${capacity.requests.jobs} by requests.`;
}

/** Seed 001's production-readiness checklist, each item evaluated against the configuration. */
export function evaluateChecklist(props: ChecklistInputs): ChecklistItem[] {
  const { runner, networkPolicies, monitoring, pipeline } = props;
  const items: ChecklistItem[] = [];
  const add = (area: string, item: string, status: CheckStatus, reason: string) => items.push({ area, item, status, reason });
  const { MET, NOT_MET, NEEDS_A_HUMAN } = CheckStatus;
  const policy = runner.jobPodPolicy;
  const { capacity, configuredJobs: configured } = runner;
  const fits = capacity ? configured <= capacity.requests.jobs : undefined;
  const smokeTest = 'run the smoke-test pipeline on a fresh runner';

  add('infrastructure', 'enough resources for the expected concurrent jobs',
    fits === undefined ? NEEDS_A_HUMAN : fits ? MET : NOT_MET,
    fits === undefined ? 'the node pool\'s size is not given' : capacityVerdict(configured, capacity!));
  add('infrastructure', 'nodes sized right (CPU, memory, disk)', NEEDS_A_HUMAN,
    capacity ? `a job fits ${capacity.requests.perNode.jobs} time(s) per node by requests; disk (images, build dirs) is not modelled` : 'the node pool\'s size is not given');
  add('infrastructure', 'network policies configured', networkPolicies ? MET : NOT_MET,
    networkPolicies ? 'deny-all plus the allowed egress in both namespaces' : 'no RunnerNetworkPolicies');
  add('infrastructure', 'DNS resolves every required domain', NEEDS_A_HUMAN, `${smokeTest}: its dns job resolves the registries`);
  add('runner', 'DNS configuration tested', NEEDS_A_HUMAN, `${smokeTest}: its dns job checks /etc/resolv.conf`);
  const limited = [policy._buildResources, policy._helperResources, policy._serviceResources].every((q) => q.cpu.limit && q.memory.limit);
  add('runner', 'resource limits set', limited ? MET : NOT_MET,
    limited ? `${formatAmounts(policy.perJobLimits)} of limits per job` : 'a build, helper or service container has no CPU or memory limit');
  add('runner', 'several manager replicas', runner.replicas >= 2 ? MET : NOT_MET, `${runner.replicas} replica(s)`);
  add('runner', 'concurrency fits the cluster', fits === undefined ? NEEDS_A_HUMAN : fits ? MET : NOT_MET,
    fits === undefined ? 'the node pool\'s size is not given' : `${configured} configured jobs, ${capacity!.requests.jobs} fit by requests`);
  add('runner', 'node placement set (selector, tolerations)', runner.nodePool ? MET : NOT_MET,
    runner.nodePool ? `job pods select ${Object.entries(runner.nodePool.nodeLabels).map(([k, v]) => `${k}=${v}`).join(', ')}` : 'no CiNodePool: job pods may land on any node');
  const wildcard = runner._policyRules.some((r) => [...r.verbs, ...r.resources, ...r.apiGroups].includes('*'));
  add('security', 'least-privilege RBAC', wildcard ? NOT_MET : MET,
    wildcard ? 'a rule uses *' : `${runner._policyRules.length} rules from the runner's permission table, no wildcard`);
  add('security', 'secrets only referenced', MET,
    'the token and cache keys by Secret name, registry credentials and the kubeconfig by CI/CD variable name');
  add('security', 'network policies restrict access', networkPolicies ? MET : NOT_MET,
    networkPolicies ? `job egress: ${Object.keys(networkPolicies.jobEgress).join(', ')}` : 'no RunnerNetworkPolicies');
  add('security', 'image pull secrets', pipeline ? MET : NEEDS_A_HUMAN,
    pipeline ? `the app pulls with ${pipeline.app.pullSecretName}, which the deploy job creates` : 'no app pipeline here');
  if (runner.privileged) {
    add('security', 'DinD with --tls=false only on a trusted network', networkPolicies ? MET : NOT_MET,
      networkPolicies ? 'ingress to job pods is denied: only the build container, in the same pod, reaches dockerd' : 'without NetworkPolicies any pod can reach dockerd on port 2375');
  } else {
    add('security', 'DinD with --tls=false only on a trusted network', MET, 'no privileged job pods, so no DinD');
  }
  const metrics = runner._helmValues.metrics?.enabled === true;
  add('monitoring', 'metrics enabled and scraped', metrics && monitoring ? MET : metrics ? NEEDS_A_HUMAN : NOT_MET,
    metrics && monitoring ? 'port 9252, scraped by a PodMonitor' : metrics ? 'port 9252 is on, but no PodMonitor scrapes it' : 'metrics are off');
  add('monitoring', 'alerts defined', monitoring && monitoring.alertNames.length ? MET : NOT_MET,
    monitoring ? monitoring.alertNames.join(', ') : 'no PrometheusRule');
  add('monitoring', 'log aggregation', NEEDS_A_HUMAN, 'outside this configuration');
  add('monitoring', 'resource dashboards', NEEDS_A_HUMAN, 'outside this configuration');
  add('operations', 'upgrade procedure documented', MET, 'see "Upgrade" below');
  add('operations', 'backup strategy', MET, 'see "Back up and roll back" below; schedule it');
  add('operations', 'troubleshooting guide', MET, 'the README\'s troubleshooting map');
  add('operations', 'on-call team trained', NEEDS_A_HUMAN, 'outside this configuration');
  return items;
}
