import * as TOML from '@iarna/toml';
import { Chart, Size, Testing, Yaml } from 'cdk8s';
import { Cpu, Secret, TaintEffect } from 'cdk8s-plus-28';
import { CiNodePool, CiNodePoolProps, JobPodPolicy, NodeAffinityOperator, RunnerManager, writeFiles } from '../../lib';
import { renderRunnerTemplate } from '../../lib/render/toml';
import { warningsOf } from '../../lib/validation/warnings';
import { validateManifest } from '../util/k8s-schema';
import { checkRunnerToml } from '../util/runner-schema';
import { SEED_004_RESOURCES } from '../util/seed-resources';

const GiB = 2 ** 30;

/** The seeds' pool: 3 nodes × 8 cores × 32 GiB, 80% allocatable. */
const SEED_POOL: CiNodePoolProps = { nodes: 3, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(32) };

function manager(chart: Chart, props: { replicas?: number; concurrent?: number; limit?: number; overCommit?: boolean }): RunnerManager {
  return new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    nodePool: new CiNodePool(chart, 'Pool', SEED_POOL),
    jobPodPolicy: new JobPodPolicy(chart, 'Jobs', SEED_004_RESOURCES),
    ...props,
  });
}

describe('CiNodePool', () => {
  test('defaults: the seeds\' workload=ci pool, PriorityClass high-priority-ci and a pre-puller', () => {
    // GIVEN
    const chart = Testing.chart();
    const pool = new CiNodePool(chart, 'Pool', { prePullImages: [{ image: 'docker:27.3.1-dind' }] });

    // WHEN
    const objects = Testing.synth(chart);
    const text = renderRunnerTemplate({ kubernetes: pool._toKubernetesConfig() });

    // THEN
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
    for (const obj of objects) expect(validateManifest(obj)).toEqual([]);
    expect(checkRunnerToml(text)).toEqual([]);
    expect((TOML.parse(text) as any).runners[0].kubernetes).toEqual({
      node_selector: { workload: 'ci' },
      node_tolerations: { 'workload=ci': 'NoSchedule' },
      priority_class_name: 'high-priority-ci',
    });
    const priorityClass = objects.find((o) => o.kind === 'PriorityClass');
    expect(priorityClass).toMatchObject({ metadata: { name: 'high-priority-ci' }, value: 1000, globalDefault: false });
  });

  test('the pre-puller runs only on the pool\'s nodes, pins its images, asks for little and passes restricted', () => {
    const chart = Testing.chart();
    const pool = new CiNodePool(chart, 'Pool', {
      prePullImages: [{ image: 'docker:27.3.1-dind' }, { image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', command: ['/busybox/true'] }],
    });
    pool.addPrePullImage({ image: 'docker:27.3.1-dind' }); // a duplicate is pulled once
    const ds = Testing.synth(chart).find((o) => o.kind === 'DaemonSet');
    const spec = ds.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ workload: 'ci' });
    expect(spec.tolerations).toEqual([{ key: 'workload', operator: 'Equal', value: 'ci', effect: 'NoSchedule' }]);
    expect(spec.initContainers.map((c: any) => [c.image, c.command])).toEqual([
      ['docker:27.3.1-dind', ['sh', '-c', 'exit 0']],
      ['gcr.io/kaniko-project/executor:v1.23.2-debug', ['/busybox/true']],
    ]);
    // Restricted: non-root, seccomp RuntimeDefault, no escalation, all capabilities dropped, no host access.
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.privileged).toBeUndefined();
      expect(c.resources.requests).toEqual({ cpu: '1m', memory: '8Mi' });
    }
    expect(spec.hostNetwork ?? spec.hostPID ?? spec.hostIPC ?? spec.volumes).toBeUndefined();
    expect(pool.prePulledImages).toEqual(['docker:27.3.1-dind', 'gcr.io/kaniko-project/executor:v1.23.2-debug']);
  });

  test('without pre-pulling and with an existing PriorityClass it adds no objects', () => {
    const chart = Testing.chart();
    new CiNodePool(chart, 'Pool', { prePull: false, createPriorityClass: false, priorityClassName: 'ci-jobs' });
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('custom labels, taints and node affinity become the runner\'s placement keys', () => {
    const pool = new CiNodePool(Testing.chart(), 'Pool', {
      nodeLabels: { 'node.example.com/pool': 'ci' },
      taints: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }, { key: 'spot', effect: TaintEffect.PREFER_NO_SCHEDULE }],
      requiredNodeAffinity: [{ key: 'topology.kubernetes.io/zone', operator: NodeAffinityOperator.IN, values: ['a', 'b'] }],
      preferredNodeAffinity: [{ weight: 50, requirements: [{ key: 'node.example.com/ssd', operator: NodeAffinityOperator.EXISTS }] }],
    });
    const text = renderRunnerTemplate({ kubernetes: pool._toKubernetesConfig() });
    expect(checkRunnerToml(text)).toEqual([]);
    const k = (TOML.parse(text) as any).runners[0].kubernetes;
    expect(k.node_selector).toEqual({ 'node.example.com/pool': 'ci' });
    expect(k.node_tolerations).toEqual({ 'dedicated=ci': 'NoSchedule', 'spot': 'PreferNoSchedule' });
    expect(k.affinity).toEqual({
      node_affinity: {
        required_during_scheduling_ignored_during_execution: {
          node_selector_terms: [{ match_expressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] }] }],
        },
        preferred_during_scheduling_ignored_during_execution: [
          { weight: 50, preference: { match_expressions: [{ key: 'node.example.com/ssd', operator: 'Exists' }] } },
        ],
      },
    });
  });
});

describe('capacity planning', () => {
  test('the seeds\' example: a 4.5 CPU / 4.5Gi job fits once per node by CPU, 5 times by memory: 3 jobs, CPU-bound', () => {
    // GIVEN seed 004's job on seed 001's pool
    const chart = Testing.chart();
    const capacity = new CiNodePool(chart, 'Pool', SEED_POOL).capacity(new JobPodPolicy(chart, 'Jobs', SEED_004_RESOURCES))!;

    // THEN per node: 6.4 cores and 25.6 GiB
    expect(capacity.allocatablePerNode).toEqual({ cpu: 6.4, memory: Math.floor(25.6 * GiB) });
    expect(capacity.limits.perJob).toEqual({ cpu: 4.5, memory: 4.5 * GiB });
    expect(capacity.limits.perNode).toEqual({ byCpu: 1, byMemory: 5, jobs: 1 });
    expect(capacity.limits.jobs).toBe(3);
    expect(capacity.limits.bottleneck).toBe('cpu');
    // The seeds' own figures (19.2 / 4.5 = 4, 76.8 / 4.5 = 17) are the pooled upper bound only: a pod cannot span nodes.
    expect(capacity.limits.pooled).toEqual({ byCpu: 4, byMemory: 17, jobs: 4 });
    // By the requests Kubernetes schedules on (3 CPU / 3Gi): 2 per node, 6 in all.
    expect(capacity.requests.perNode).toEqual({ byCpu: 2, byMemory: 8, jobs: 2 });
    expect(capacity.requests.jobs).toBe(6);
    expect(capacity.requests.pooled).toEqual({ byCpu: 6, byMemory: 25, jobs: 6 });
  });

  test('no size, no capacity', () => {
    const chart = Testing.chart();
    expect(new CiNodePool(chart, 'Pool').capacity(new JobPodPolicy(chart, 'Jobs', SEED_004_RESOURCES))).toBeUndefined();
  });

  test('a memory-bound pool', () => {
    const chart = Testing.chart();
    const capacity = new CiNodePool(chart, 'Pool', { nodes: 2, nodeCpu: Cpu.units(32), nodeMemory: Size.gibibytes(8), allocatableFraction: 1 })
      .capacity(new JobPodPolicy(chart, 'Jobs', SEED_004_RESOURCES))!;
    expect(capacity.requests.perNode).toEqual({ byCpu: 10, byMemory: 2, jobs: 2 });
    expect(capacity.requests.bottleneck).toBe('memory');
  });

  test('the seeds\' 3 managers × 10 jobs on that pool fail synthesis, with the numbers', () => {
    const chart = Testing.chart();
    // The check involves the pool and the policy: it runs at synth, not in the constructor.
    expect(() => manager(chart, { replicas: 3, concurrent: 10 })).not.toThrow();
    expect(() => Testing.synth(chart)).toThrow(
      'test/Runner: invalid concurrent: got 30; expected at most 6 jobs in all (3 replicas × 10 jobs = 30 concurrent jobs, '
      + 'but 3 node(s) with 6.4 CPU / 25.6Gi allocatable each fit 2 job(s) of 3 CPU / 3Gi (requests) per node, 6 in all (cpu-bound); '
      + 'the other job pods stay Pending until pollTimeout fails them). '
      + 'Lower replicas, concurrent or limit, grow the pool, lower the job requests, or set overCommit: true');
  });

  test('one synth reports every over-committed pool: two managers in two charts, each over its pool', () => {
    const app = Testing.app();
    manager(new Chart(app, 'first'), { replicas: 3, concurrent: 10 });
    manager(new Chart(app, 'second'), { replicas: 2, concurrent: 5 });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Validation failed with the following errors:/);
    expect(message).toContain('first/Runner: invalid concurrent: got 30; expected at most 6 jobs in all');
    expect(message).toContain('second/Runner: invalid concurrent: got 10; expected at most 6 jobs in all');
  });

  test('an acknowledged over-commit is a warning', () => {
    const chart = Testing.chart();
    manager(chart, { replicas: 3, concurrent: 10, overCommit: true });
    expect(warningsOf(chart)).toEqual([expect.stringMatching(/^test\/Runner: over-commit: 3 replicas × 10 jobs = 30 concurrent jobs, but .* 6 in all/)]);
  });

  test('a per-runner limit bounds the configured jobs; beyond the limits basis is a warning', () => {
    const chart = Testing.chart();
    manager(chart, { replicas: 3, concurrent: 10, limit: 2 });
    expect(warningsOf(chart)).toEqual([
      'test/Runner: 3 replicas × 2 jobs (limit) = 6 concurrent jobs fit by requests but not by limits: 3 node(s) with 6.4 CPU / 25.6Gi '
      + 'allocatable each fit 1 job(s) of 4.5 CPU / 4.5Gi (limits) per node, 3 in all (cpu-bound); jobs that use their limits at once '
      + 'will be throttled or OOM-killed',
    ]);
  });

  test('a pre-puller outside the manager\'s namespaces is a warning', () => {
    const chart = Testing.chart();
    new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      jobNamespace: 'ci-jobs',
      nodePool: new CiNodePool(chart, 'Pool'),
    });
    expect(warningsOf(chart)).toEqual([
      'test/Runner: the pre-puller of test/Pool is in namespace "gitlab-runner-jobs", which this manager does not create '
      + '(it creates "gitlab-runner" and "ci-jobs"); create it, or give the pool namespace: "ci-jobs"',
    ]);
  });

  test('what fits by limits passes without warnings', () => {
    const chart = Testing.chart();
    manager(chart, { replicas: 3, concurrent: 1 });
    expect(warningsOf(chart)).toEqual([]);
  });

  test('writeFiles(app) prints the warnings', () => {
    const app = Testing.app();
    manager(new Chart(app, 'ci'), { replicas: 3, concurrent: 10, limit: 2 });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      writeFiles(app);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^warning: ci\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/));
    } finally {
      write.mockRestore();
    }
  });
});

describe('CiNodePool fails on bad input', () => {
  const cases: [string, CiNodePoolProps, string, string, string][] = [
    ['a bad label key', { nodeLabels: { 'bad key': 'ci' } }, 'nodeLabels key', '"bad key"', 'label key'],
    ['a taint without effect', { taints: [{ key: 'workload' } as never] }, 'taints[0].effect', 'undefined', 'a taint always has an effect'],
    ['an unknown taint effect', { taints: [{ key: 'k', effect: 'Never' as TaintEffect }] }, 'taints[0].effect', '"Never"', 'one of "NoSchedule"'],
    ['an invalid PriorityClass name', { priorityClassName: 'High' }, 'priorityClassName', '"High"', 'DNS-1123 subdomain'],
    ['a priority above the user range', { priority: 2000000000 }, 'priority', '2000000000', 'from -2147483648 to 1000000000'],
    ['an unpinned pre-pull image', { prePullImages: [{ image: 'docker:27.3.1-dind' }, { image: 'docker:dind' }] }, 'prePullImages[1].image', '"docker:dind"', 'pinned'],
    ['an empty pre-pull command', { prePullImages: [{ image: 'alpine:3.22', command: [] }] }, 'prePullImages[0].command', '[]', 'non-empty command'],
    ['a latest pause image', { pauseImage: 'registry.k8s.io/pause:latest' }, 'pauseImage', '"registry.k8s.io/pause:latest"', 'pinned'],
    ['a size without memory', { nodes: 3, nodeCpu: Cpu.units(8) }, 'nodes', '{"nodes":3,"nodeCpu":"8"}', 'nodes, nodeCpu and nodeMemory together'],
    ['zero nodes', { ...SEED_POOL, nodes: 0 }, 'nodes', '0', 'an integer >= 1'],
    ['an allocatable fraction above 1', { ...SEED_POOL, allocatableFraction: 80 }, 'allocatableFraction', '80', 'a fraction greater than 0 and at most 1'],
    ['In without values', { requiredNodeAffinity: [{ key: 'zone', operator: NodeAffinityOperator.IN }] }, 'requiredNodeAffinity[0].values', '[]', 'at least one value'],
    ['Exists with values', { requiredNodeAffinity: [{ key: 'zone', operator: NodeAffinityOperator.EXISTS, values: ['a'] }] }, 'requiredNodeAffinity[0].values', '["a"]', 'no values with operator Exists'],
    ['Gt with a word', { requiredNodeAffinity: [{ key: 'cores', operator: NodeAffinityOperator.GT, values: ['many'] }] }, 'requiredNodeAffinity[0].values', '["many"]', 'exactly one integer'],
    ['a weight above 100', { preferredNodeAffinity: [{ weight: 101, requirements: [] }] }, 'preferredNodeAffinity[0].weight', '101', 'from 1 to 100'],
    ['a namespace with capitals', { namespace: 'CI' }, 'namespace', '"CI"', 'DNS-1123 label'],
  ];

  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    const pool = () => new CiNodePool(Testing.chart(), 'Pool', props);
    expect(pool).toThrow(`test/Pool: invalid ${prop}: got ${value}`);
    expect(pool).toThrow(expected);
  });
});
