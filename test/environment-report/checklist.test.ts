import { capacityVerdict, CheckStatus, ChecklistInputs, evaluateChecklist } from '../../lib/environment-report/checklist';
import { CONTAINER, poolCapacity } from '../util/report-fixtures';

/** A bare runner: one replica, no pool, no network policies, monitoring or pipeline. */
function inputs(overrides: Partial<ChecklistInputs['runner']> = {}, extra: Partial<ChecklistInputs> = {}): ChecklistInputs {
  return {
    runner: {
      replicas: 1, configuredJobs: 2, privileged: false,
      jobPodPolicy: { _buildResources: CONTAINER, _helperResources: CONTAINER, _serviceResources: CONTAINER, perJobLimits: { cpu: 6, memory: 6 * 2 ** 30, ephemeralStorage: 0 } },
      _policyRules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'] }],
      _helmValues: { metrics: { enabled: true } },
      ...overrides,
    },
    ...extra,
  };
}

function statusOf(items: ReturnType<typeof evaluateChecklist>, item: string): [CheckStatus, string] {
  const found = items.find((c) => c.item === item);
  if (!found) throw new Error(`no checklist item "${item}"`);
  return [found.status, found.reason];
}

describe('capacityVerdict', () => {
  // 2 nodes: 4 jobs fit by requests, 2 by limits
  test.each([
    [2, 'fits: 2 jobs ≤ 2 by limits and 4 by requests.'],
    [3, 'fits by requests (4), not by limits (2): jobs that use their limits at once are throttled or OOM-killed.'],
    [5, 'over-committed (acknowledged): 5 jobs, but 2 node(s) with 6 CPU / 12Gi allocatable each fit 2 job(s) of 3 CPU / 3Gi (requests) per node, '
      + '4 in all (cpu-bound); the rest wait Pending until `poll_timeout`.'],
  ])('%i configured jobs: %s', (configured, verdict) => {
    expect(capacityVerdict(configured, poolCapacity(2))).toBe(verdict);
  });
});

describe('evaluateChecklist', () => {
  test('seed 001\'s items, in its order of areas', () => {
    const areas = evaluateChecklist(inputs()).map((c) => c.area);
    expect([...new Set(areas)]).toEqual(['infrastructure', 'runner', 'security', 'monitoring', 'operations']);
    expect(areas).toHaveLength(22);
  });

  test('capacity: unplanned without a sized pool, met within requests, not met beyond', () => {
    expect(statusOf(evaluateChecklist(inputs()), 'concurrency fits the cluster')).toEqual([CheckStatus.NEEDS_A_HUMAN, 'the node pool\'s size is not given']);
    expect(statusOf(evaluateChecklist(inputs({ capacity: poolCapacity(2), configuredJobs: 4 })), 'concurrency fits the cluster'))
      .toEqual([CheckStatus.MET, '4 configured jobs, 4 fit by requests']);
    const over = evaluateChecklist(inputs({ capacity: poolCapacity(2), configuredJobs: 5 }));
    expect(statusOf(over, 'concurrency fits the cluster')[0]).toBe(CheckStatus.NOT_MET);
    expect(statusOf(over, 'enough resources for the expected concurrent jobs')[1]).toMatch(/^over-committed/);
    expect(statusOf(over, 'nodes sized right (CPU, memory, disk)')[1]).toMatch(/^a job fits 2 time\(s\) per node by requests/);
  });

  test('limits: met only when every container has a CPU and a memory limit', () => {
    expect(statusOf(evaluateChecklist(inputs()), 'resource limits set')[0]).toBe(CheckStatus.MET);
    const unlimited = inputs();
    const policy = { ...unlimited.runner.jobPodPolicy, _helperResources: { ...CONTAINER, memory: { request: '1Gi' } } };
    expect(statusOf(evaluateChecklist(inputs({ jobPodPolicy: policy })), 'resource limits set')[0]).toBe(CheckStatus.NOT_MET);
  });

  test('RBAC: a wildcard in verbs, resources or API groups is not least privilege', () => {
    for (const rule of [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }, { apiGroups: [''], resources: ['*'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['*'] }]) {
      expect(statusOf(evaluateChecklist(inputs({ _policyRules: [rule] })), 'least-privilege RBAC')).toEqual([CheckStatus.NOT_MET, 'a rule uses *']);
    }
    expect(statusOf(evaluateChecklist(inputs()), 'least-privilege RBAC')[0]).toBe(CheckStatus.MET);
  });

  test('placement, replicas, network policies, DinD, metrics, alerts and pull secrets follow the inputs', () => {
    const bare = evaluateChecklist(inputs({ privileged: true }));
    expect(statusOf(bare, 'node placement set (selector, tolerations)')[0]).toBe(CheckStatus.NOT_MET);
    expect(statusOf(bare, 'several manager replicas')).toEqual([CheckStatus.NOT_MET, '1 replica(s)']);
    expect(statusOf(bare, 'network policies restrict access')).toEqual([CheckStatus.NOT_MET, 'no RunnerNetworkPolicies']);
    expect(statusOf(bare, 'DinD with --tls=false only on a trusted network')[0]).toBe(CheckStatus.NOT_MET);
    expect(statusOf(bare, 'metrics enabled and scraped')).toEqual([CheckStatus.NEEDS_A_HUMAN, 'port 9252 is on, but no PodMonitor scrapes it']);
    expect(statusOf(bare, 'alerts defined')).toEqual([CheckStatus.NOT_MET, 'no PrometheusRule']);
    expect(statusOf(bare, 'image pull secrets')[0]).toBe(CheckStatus.NEEDS_A_HUMAN);

    const full = evaluateChecklist(inputs({ privileged: true, replicas: 2, nodePool: { nodeLabels: { 'node-role': 'ci', 'pool': 'a' } } }, {
      networkPolicies: { jobEgress: { dns: [], gitlab: [] } }, monitoring: { alertNames: ['A', 'B'] }, pipeline: { app: { pullSecretName: 'pull' } },
    }));
    expect(statusOf(full, 'node placement set (selector, tolerations)')).toEqual([CheckStatus.MET, 'job pods select node-role=ci, pool=a']);
    expect(statusOf(full, 'several manager replicas')[0]).toBe(CheckStatus.MET);
    expect(statusOf(full, 'network policies restrict access')).toEqual([CheckStatus.MET, 'job egress: dns, gitlab']);
    expect(statusOf(full, 'DinD with --tls=false only on a trusted network')[0]).toBe(CheckStatus.MET);
    expect(statusOf(full, 'metrics enabled and scraped')).toEqual([CheckStatus.MET, 'port 9252, scraped by a PodMonitor']);
    expect(statusOf(full, 'alerts defined')).toEqual([CheckStatus.MET, 'A, B']);
    expect(statusOf(full, 'image pull secrets')[1]).toBe('the app pulls with pull, which the deploy job creates');

    expect(statusOf(evaluateChecklist(inputs({ _helmValues: {} })), 'metrics enabled and scraped')).toEqual([CheckStatus.NOT_MET, 'metrics are off']);
    expect(statusOf(evaluateChecklist(inputs({}, { monitoring: { alertNames: [] } })), 'alerts defined')).toEqual([CheckStatus.NOT_MET, '']);
  });
});
