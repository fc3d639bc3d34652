import { PoolCapacity } from '../../lib/ci-node-pool';
import { PodSecurityLevel } from '../../lib/pod-security';
import { assessCapacity, assessJobNamespaceLevel } from '../../lib/runner-manager/checks';
import { settings } from './fixtures';

const GiB = 2 ** 30;

/** The seeds' pool (3 × 6.4 CPU / 25.6Gi allocatable) for seed 004's jobs: 6 by requests, 3 by limits. */
const SEED_CAPACITY: PoolCapacity = {
  nodes: 3,
  allocatablePerNode: { cpu: 6.4, memory: 25.6 * GiB },
  limits: {
    perJob: { cpu: 4.5, memory: 4.5 * GiB }, perNode: { byCpu: 1, byMemory: 5, jobs: 1 }, jobs: 3, bottleneck: 'cpu',
    pooled: { byCpu: 4, byMemory: 17, jobs: 4 },
  },
  requests: {
    perJob: { cpu: 3, memory: 3 * GiB }, perNode: { byCpu: 2, byMemory: 8, jobs: 2 }, jobs: 6, bottleneck: 'cpu',
    pooled: { byCpu: 6, byMemory: 25, jobs: 6 },
  },
};

describe('assessCapacity', () => {
  test('over the requests basis: an error naming the manager, the prop and the numbers', () => {
    const { errors, warnings } = assessCapacity(settings({ replicas: 3, configuredJobs: 30 }), SEED_CAPACITY);
    expect(errors).toEqual(['test/Runner: invalid concurrent: got 30; expected at most 6 jobs in all (3 replicas × 10 jobs = 30 concurrent jobs, '
      + 'but 3 node(s) with 6.4 CPU / 25.6Gi allocatable each fit 2 job(s) of 3 CPU / 3Gi (requests) per node, 6 in all (cpu-bound); '
      + 'the other job pods stay Pending until pollTimeout fails them). '
      + 'Lower replicas, concurrent or limit, grow the pool, lower the job requests, or set overCommit: true']);
    expect(warnings).toEqual([]);
  });

  test('an acknowledged over-commit is a warning, not an error', () => {
    const { errors, warnings } = assessCapacity(settings({ replicas: 3, configuredJobs: 30, overCommit: true }), SEED_CAPACITY);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^over-commit: 3 replicas × 10 jobs = 30 concurrent jobs, but .* 6 in all/)]);
  });

  test('within requests but over limits: a warning; within both: nothing', () => {
    const limited = settings({ replicas: 3, limit: 2, jobsPerManager: 2, configuredJobs: 6 });
    expect(assessCapacity(limited, SEED_CAPACITY).warnings).toEqual([expect.stringMatching(/^3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/)]);
    expect(assessCapacity(settings({ replicas: 1, jobsPerManager: 3, configuredJobs: 3 }), SEED_CAPACITY)).toEqual({ errors: [], warnings: [] });
  });

  test('without a sized pool nothing is checked, and overCommit says it has no effect', () => {
    expect(assessCapacity(settings(), undefined)).toEqual({ errors: [], warnings: [] });
    expect(assessCapacity(settings({ overCommit: true }), undefined).warnings).toEqual([expect.stringMatching(/^overCommit has no effect/)]);
  });
});

describe('assessJobNamespaceLevel', () => {
  const policy = (level: PodSecurityLevel) => ({ podSecurity: { level, reason: 'why' }, node: { path: 'test/Jobs' } }) as any;

  test('a given level stricter than the job pods need is an error; equal or less strict is fine', () => {
    const s = (given: PodSecurityLevel, needs: PodSecurityLevel) =>
      settings({ jobPodPolicy: policy(needs), jobNamespacePodSecurity: given, jobNamespacePodSecurityGiven: true });
    expect(assessJobNamespaceLevel(s(PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED))).toEqual([
      'test/Runner: invalid jobNamespacePodSecurity: got "baseline"; expected "privileged" or less strict: job pods would be rejected, since test/Jobs: why',
    ]);
    expect(assessJobNamespaceLevel(s(PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE))).toEqual([]);
    expect(assessJobNamespaceLevel(s(PodSecurityLevel.BASELINE, PodSecurityLevel.BASELINE))).toEqual([]);
  });

  test('shared namespaces must admit the job pods', () => {
    const namespaces = { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: PodSecurityLevel.BASELINE, node: { path: 'test/First/Namespaces' } } as any;
    expect(assessJobNamespaceLevel(settings({ jobPodPolicy: policy(PodSecurityLevel.PRIVILEGED), namespaces }))).toEqual([
      'test/Runner: invalid namespaces: got "test/First/Namespaces"; expected namespaces whose jobs\' namespace "ci-jobs" admits this manager\'s '
      + 'job pods: it enforces "baseline" where they need "privileged", since test/Jobs: why',
    ]);
    expect(assessJobNamespaceLevel(settings({ jobPodPolicy: policy(PodSecurityLevel.BASELINE), namespaces }))).toEqual([]);
  });
});
