import { Duration, Testing } from 'cdk8s';
import { ISecret } from 'cdk8s-plus-28';
import { JobPodPolicy, JobSecurityProfile } from '../../lib/job-pod-policy';
import { PodSecurityLevel } from '../../lib/pod-security';
import { DEFAULT_NAMESPACE, defaultJobNamespace } from '../../lib/runner-manager/defaults';
import { RunnerNamespaces } from '../../lib/runner-manager/namespaces';
import { RunnerManagerProps } from '../../lib/runner-manager/props';
import { chartFullname, resolveRunnerSettings } from '../../lib/runner-manager/settings';

const token = { name: 'gitlab-runner-token' } as ISecret;
const resolve = (props: Partial<RunnerManagerProps> = {}, policy?: JobPodPolicy) =>
  resolveRunnerSettings('test/Runner', { gitlabUrl: 'https://gitlab.example.com/', tokenSecret: token, ...props },
    policy ?? new JobPodPolicy(Testing.chart(), 'Jobs'));

describe('resolveRunnerSettings', () => {
  test('defaults: one definition of the namespaces, the chart of runner 18.3.0, a draining manager', () => {
    const s = resolve();
    expect([DEFAULT_NAMESPACE, defaultJobNamespace('ci')]).toEqual(['gitlab-runner', 'ci-jobs']);
    expect(s).toMatchObject({
      namespace: 'gitlab-runner', jobNamespace: 'gitlab-runner-jobs', releaseName: 'gitlab-runner', fullname: 'gitlab-runner',
      runnerName: 'gitlab-runner', runnerVersion: '18.3.0', chartVersion: '0.80.0', replicas: 2, concurrent: 10, jobsPerManager: 10,
      configuredJobs: 20, checkInterval: 3, shutdownTimeout: 30, jobTimeout: 3600, terminationGracePeriod: 3630, drainOnStop: true,
      unregisterRunners: false, podDisruptionBudget: true, spreadAcrossNodes: true, createNamespaces: true, metrics: true,
      jobNamespacePodSecurity: PodSecurityLevel.BASELINE, jobNamespacePodSecurityGiven: false, warnings: [],
    });
  });

  test('limit bounds jobs per manager; a limit not below concurrent is a warning', () => {
    expect(resolve({ replicas: 3, limit: 2 })).toMatchObject({ jobsPerManager: 2, configuredJobs: 6, warnings: [] });
    expect(resolve({ limit: 10 }).warnings).toEqual([expect.stringMatching(/^limit 10 has no effect/)]);
  });

  test('unregistering instead of draining needs a grace period above the shutdown timeout', () => {
    expect(resolve({ drainOnStop: false, terminationGracePeriod: Duration.seconds(60) }))
      .toMatchObject({ unregisterRunners: true, terminationGracePeriod: 60, terminationGracePeriodGiven: true });
    expect(() => resolve({ drainOnStop: false, terminationGracePeriod: Duration.seconds(30) }))
      .toThrow('test/Runner: invalid terminationGracePeriod: got "30s"; expected more than shutdownTimeout (30s)');
  });

  test('one replica: PDB and spread off by default, a warning when asked for', () => {
    expect(resolve({ replicas: 1 })).toMatchObject({ podDisruptionBudget: false, spreadAcrossNodes: false });
    expect(resolve({ replicas: 1, podDisruptionBudget: true, spreadAcrossNodes: true }).warnings).toEqual([
      expect.stringMatching(/^podDisruptionBudget with 1 replica protects nothing/),
      expect.stringMatching(/^spreadAcrossNodes with 1 replica has no effect/),
    ]);
  });

  test('the jobs\' namespace level is the policy\'s unless given', () => {
    const dind = new JobPodPolicy(Testing.chart(), 'Dind', { securityProfile: JobSecurityProfile.privileged() });
    expect(resolve({}, dind).jobNamespacePodSecurity).toBe(PodSecurityLevel.PRIVILEGED);
    expect(resolve({ jobNamespacePodSecurity: PodSecurityLevel.PRIVILEGED })).toMatchObject({
      jobNamespacePodSecurity: PodSecurityLevel.PRIVILEGED, jobNamespacePodSecurityGiven: true,
    });
  });

  test('given namespaces: names from them, nothing created here, a different name is an error', () => {
    const namespaces = new RunnerNamespaces(Testing.chart(), 'Namespaces', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: PodSecurityLevel.BASELINE });
    expect(resolve({ namespaces })).toMatchObject({ namespace: 'ci', jobNamespace: 'ci-jobs', createNamespaces: false, namespaces });
    expect(() => resolve({ namespaces, namespace: 'other' }))
      .toThrow('test/Runner: invalid namespace: got "other"; expected "ci", the name in the given namespaces (test/Namespaces), or no namespaces prop');
    expect(() => resolve({ namespaces, createNamespaces: true })).toThrow('test/Runner: invalid createNamespaces: got true');
  });

  test('job-pod parts come from the policy (image included), the DNS strategy and the pool, in that order', () => {
    const parts = resolve().jobPodParts;
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ image: 'alpine:3.22', pollTimeout: 180 });
  });

  test('chartFullname follows the chart\'s naming', () => {
    expect(chartFullname('gitlab-runner-prod')).toBe('gitlab-runner-prod');
    expect(chartFullname('ci')).toBe('ci-gitlab-runner');
  });
});
