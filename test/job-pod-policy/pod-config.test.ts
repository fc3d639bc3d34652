import { Duration, Testing } from 'cdk8s';
import { Secret, ServiceAccount } from 'cdk8s-plus-28';
import { jobPodConfig } from '../../lib/job-pod-policy/pod-config';
import { JobVolume } from '../../lib/job-volume';
import { PropChecker } from '../../lib/validation/prop-checker';

const check = new PropChecker('test/Jobs');

describe('jobPodConfig', () => {
  test('nothing given: no pull secrets, no service account, no token, no volumes', () => {
    expect(jobPodConfig(check, {})).toEqual({
      imagePullSecrets: undefined, serviceAccount: undefined, serviceAccountOverwriteAllowed: undefined, automountServiceAccountToken: false,
      podTerminationGracePeriodSeconds: undefined, cleanupResourcesTimeout: undefined, hostAliases: undefined, volumes: {},
    });
  });

  test('every setting, with the token mounted only for a given service account', () => {
    const chart = Testing.chart();
    expect(jobPodConfig(check, {
      imagePullSecrets: [Secret.fromSecretName(chart, 'A', 'pull-a'), Secret.fromSecretName(chart, 'B', 'pull-b')],
      jobServiceAccount: ServiceAccount.fromServiceAccountName(chart, 'Sa', 'ci-job'),
      jobServiceAccountOverwriteAllowed: '^ci-.*$',
      podTerminationGracePeriod: Duration.seconds(0),
      jobCleanupTimeout: Duration.minutes(10),
      hostAliases: [{ ip: '192.168.1.50', hostnames: ['gitlab.internal', 'registry.internal'] }],
      volumes: [JobVolume.emptyDir('a', { mountPath: '/a' }), JobVolume.emptyDir('b', { mountPath: '/b' })],
    })).toEqual({
      imagePullSecrets: ['pull-a', 'pull-b'],
      serviceAccount: 'ci-job',
      serviceAccountOverwriteAllowed: '^ci-.*$',
      automountServiceAccountToken: true,
      podTerminationGracePeriodSeconds: 0,
      cleanupResourcesTimeout: '10m',
      hostAliases: [{ ip: '192.168.1.50', hostnames: ['gitlab.internal', 'registry.internal'] }],
      volumes: { emptyDir: [{ name: 'a', mountPath: '/a', subPath: undefined, medium: undefined, sizeLimit: undefined },
        { name: 'b', mountPath: '/b', subPath: undefined, medium: undefined, sizeLimit: undefined }] },
    });
  });

  test('volumes are grouped by kind, in order', () => {
    const chart = Testing.chart();
    const volumes = jobPodConfig(check, { volumes: [JobVolume.emptyDir('a', { mountPath: '/a' }),
      JobVolume.secret(Secret.fromSecretName(chart, 'S', 's'), { mountPath: '/s' }), JobVolume.emptyDir('b', { mountPath: '/b' })] }).volumes!;
    expect(Object.keys(volumes)).toEqual(['emptyDir', 'secret']);
    expect(volumes.emptyDir!.map((v) => v.name)).toEqual(['a', 'b']);
  });

  test('volume names are unique across kinds; host paths need the opt-in; only JobVolumes', () => {
    const chart = Testing.chart();
    expect(() => jobPodConfig(check, { volumes: [JobVolume.emptyDir('x', { mountPath: '/a' }), JobVolume.secret(Secret.fromSecretName(chart, 'S', 'x'), { mountPath: '/b' })] }))
      .toThrow('test/Jobs: invalid volumes[1].name: got "x"; expected volume names that are unique across all job volumes');
    const sock = JobVolume.hostPath('sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' });
    expect(() => jobPodConfig(check, { volumes: [sock] }))
      .toThrow('test/Jobs: invalid volumes[0]: got "sock"; expected no hostPath volume unless allowHostPathVolumes is true: host paths expose the node to every job');
    expect(jobPodConfig(check, { volumes: [sock], allowHostPathVolumes: true }).volumes).toHaveProperty('hostPath');
    expect(() => jobPodConfig(check, { volumes: [sock], allowHostPathVolumes: 'yes' as any }))
      .toThrow('test/Jobs: invalid allowHostPathVolumes: got "yes"; expected true or false');
    expect(() => jobPodConfig(check, { volumes: [{ name: 'x', mountPath: '/x' } as any] }))
      .toThrow('test/Jobs: invalid volumes[0]: got {"name":"x","mountPath":"/x"}; expected a JobVolume, e.g. JobVolume.emptyDir(\'cache\', { mountPath: \'/cache\' })');
    expect(() => jobPodConfig(check, { volumes: JobVolume.emptyDir('a', { mountPath: '/a' }) as any })).toThrow('test/Jobs: invalid volumes: got');
  });

  test('the overwrite pattern is a non-empty regular expression and no credential', () => {
    expect(() => jobPodConfig(check, { jobServiceAccountOverwriteAllowed: '' }))
      .toThrow('test/Jobs: invalid jobServiceAccountOverwriteAllowed: got ""; expected a non-empty regular expression, e.g. "^ci-.*$"');
    expect(() => jobPodConfig(check, { jobServiceAccountOverwriteAllowed: '^ci-(' }))
      .toThrow('test/Jobs: invalid jobServiceAccountOverwriteAllowed: got "^ci-("; expected a non-empty regular expression');
    expect(() => jobPodConfig(check, { jobServiceAccountOverwriteAllowed: 42 as any }))
      .toThrow('test/Jobs: invalid jobServiceAccountOverwriteAllowed: got 42');
  });

  test('names, durations and host aliases are checked under their props', () => {
    const chart = Testing.chart();
    expect(() => jobPodConfig(check, { imagePullSecrets: [Secret.fromSecretName(chart, 'P', 'ok'), { name: 'Bad_Name' } as any] }))
      .toThrow('test/Jobs: invalid imagePullSecrets[1].name: got "Bad_Name"; expected a DNS-1123 subdomain');
    expect(() => jobPodConfig(check, { jobServiceAccount: { name: 'CI' } as any })).toThrow('test/Jobs: invalid jobServiceAccount.name: got "CI"');
    expect(() => jobPodConfig(check, { jobCleanupTimeout: Duration.millis(500) })).toThrow('test/Jobs: invalid jobCleanupTimeout');
    expect(() => jobPodConfig(check, { podTerminationGracePeriod: Duration.millis(1500) })).toThrow('test/Jobs: invalid podTerminationGracePeriod');
    expect(() => jobPodConfig(check, { hostAliases: [{ ip: 'gitlab', hostnames: ['a'] }] })).toThrow('test/Jobs: invalid hostAliases[0].ip: got "gitlab"');
    expect(() => jobPodConfig(check, { hostAliases: [{ ip: '10.0.0.1', hostnames: [] }] }))
      .toThrow('test/Jobs: invalid hostAliases[0].hostnames: got []; expected at least one host name');
    expect(() => jobPodConfig(check, { hostAliases: [{ ip: '10.0.0.1', hostnames: ['ok', 'Not OK'] }] }))
      .toThrow('test/Jobs: invalid hostAliases[0].hostnames[1]: got "Not OK"');
  });
});
