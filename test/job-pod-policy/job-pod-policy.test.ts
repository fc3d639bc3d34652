import * as TOML from '@iarna/toml';
import { Duration, Size, Testing } from 'cdk8s';
import { Cpu, Secret, ServiceAccount } from 'cdk8s-plus-28';
import { CpuArchitecture, HelperImage, HelperImageFlavor, JobPodPolicy, JobPodPolicyProps, JobSecurityProfile, PodSecurityLevel, JobVolume, PullPolicy } from '../../lib';
import { renderRunnerTemplate } from '../../lib/render/toml';
import { warningsOf } from '../../lib/validation/warnings';
import { checkRunnerToml } from '../util/runner-schema';
import { SEED_004_RESOURCES } from '../util/seed-resources';

const GiB = 2 ** 30;

/** The policy's `[runners.kubernetes]` part as the runner reads it. */
function toml(policy: JobPodPolicy, runnerVersion = '18.3.0'): any {
  const text = renderRunnerTemplate({ kubernetes: policy._toKubernetesConfig(runnerVersion) });
  expect(checkRunnerToml(text)).toEqual([]);
  return (TOML.parse(text) as any).runners[0].kubernetes;
}

describe('JobPodPolicy', () => {
  test('defaults: the runner\'s own, no requests or limits (no seed value)', () => {
    const policy = new JobPodPolicy(Testing.chart(), 'Jobs');
    const k = toml(policy);
    for (const key of Object.keys(k)) expect(key).not.toMatch(/_(cpu|memory)_(limit|request)$|^(cpu|memory)_(limit|request)$/);
    expect(policy.perJobLimits).toEqual({ cpu: 0, memory: 0, ephemeralStorage: 0 });
    expect(policy.jobImage).toBe('alpine:3.22');
  });

  test('seed 004\'s resources: build 2 / 2Gi, DinD 2 / 2Gi with 500m / 512Mi requests, helper 500m / 512Mi', () => {
    // GIVEN
    const policy = new JobPodPolicy(Testing.chart(), 'Jobs', SEED_004_RESOURCES);

    // THEN
    const k = toml(policy);
    expect(k).toMatchSnapshot();
    expect(k).toMatchObject({
      cpu_limit: '2', memory_limit: '2Gi',
      service_cpu_limit: '2', service_memory_limit: '2Gi', service_cpu_request: '500m', service_memory_request: '512Mi',
      helper_cpu_limit: '500m', helper_memory_limit: '512Mi',
      pull_policy: ['if-not-present'], poll_timeout: 180,
      helper_image: 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0',
      privileged: false, allow_privilege_escalation: false,
    });
    expect(k.cpu_request).toBeUndefined();
    // Seed 004's per-job sum: 2 + 2 + 0.5 = 4.5 CPU and 4.5Gi of limits ...
    expect(policy.perJobLimits).toEqual({ cpu: 4.5, memory: 4.5 * GiB, ephemeralStorage: 0 });
    // ... and, with unset requests equal to the limits, 2 + 0.5 + 0.5 = 3 CPU / 3Gi of requests.
    expect(policy.perJobRequests).toEqual({ cpu: 3, memory: 3 * GiB, ephemeralStorage: 0 });
    expect(policy.securityProfile.name).toBe('root-builder');
  });

  test('small(): seed 001 for small projects, with our helper numbers', () => {
    const policy = JobPodPolicy.small(Testing.chart(), 'Small');
    expect(toml(policy)).toMatchObject({
      cpu_limit: '1', memory_limit: '1Gi', cpu_request: '250m', memory_request: '256Mi',
      service_cpu_limit: '1', service_memory_limit: '1Gi', service_cpu_request: '250m', service_memory_request: '256Mi',
      helper_cpu_limit: '250m', helper_memory_limit: '256Mi', helper_cpu_request: '100m', helper_memory_request: '128Mi',
    });
    expect(policy.perJobLimits).toEqual({ cpu: 2.25, memory: 2.25 * GiB, ephemeralStorage: 0 });
    expect(policy.perJobRequests).toEqual({ cpu: 0.6, memory: 640 * 2 ** 20, ephemeralStorage: 0 });
  });

  test('large(): seed 001 for large projects, with our helper numbers', () => {
    const policy = JobPodPolicy.large(Testing.chart(), 'Large', { securityProfile: JobSecurityProfile.privileged() });
    expect(toml(policy)).toMatchObject({
      cpu_limit: '4', memory_limit: '4Gi', cpu_request: '1', memory_request: '1Gi',
      service_cpu_limit: '4', service_memory_limit: '4Gi', service_cpu_request: '1', service_memory_request: '1Gi',
      helper_cpu_limit: '1', helper_memory_limit: '1Gi', helper_cpu_request: '250m', helper_memory_request: '256Mi',
      privileged: true,
    });
    expect(policy.perJobLimits).toEqual({ cpu: 9, memory: 9 * GiB, ephemeralStorage: 0 });
    expect(policy.perJobRequests).toEqual({ cpu: 2.25, memory: 2.25 * GiB, ephemeralStorage: 0 });
  });

  test('per-job totals count each service container', () => {
    const policy = new JobPodPolicy(Testing.chart(), 'Jobs', { ...SEED_004_RESOURCES, servicesPerJob: 2 });
    expect(policy.perJobLimits.cpu).toBe(6.5);
    expect(policy.perJobRequests.cpu).toBe(3.5);
    expect(new JobPodPolicy(Testing.chart(), 'NoServices', { ...SEED_004_RESOURCES, servicesPerJob: 0 }).perJobLimits.cpu).toBe(2.5);
  });

  test('a container with neither request nor limit adds nothing to the totals', () => {
    const policy = new JobPodPolicy(Testing.chart(), 'Jobs', { ...SEED_004_RESOURCES, helperResources: {} });
    expect(policy.perJobLimits.cpu).toBe(4);
    expect(policy.perJobRequests.cpu).toBe(2.5);
  });

  test('ephemeral storage and CPU spellings', () => {
    const policy = new JobPodPolicy(Testing.chart(), 'Jobs', {
      buildResources: {
        cpu: { request: Cpu.millis(1500), limit: Cpu.millis(2000) },
        ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(10) },
      },
    });
    expect(toml(policy)).toMatchObject({
      cpu_request: '1500m', cpu_limit: '2', ephemeral_storage_request: '1Gi', ephemeral_storage_limit: '10Gi',
    });
    expect(policy.perJobLimits.ephemeralStorage).toBe(10 * GiB);
  });

  test('security profiles', () => {
    const chart = Testing.chart();
    const privileged = new JobPodPolicy(chart, 'Dind', { securityProfile: JobSecurityProfile.privileged() });
    expect(toml(privileged)).toMatchObject({ privileged: true, allow_privilege_escalation: true });
    expect(privileged.securityProfile.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);

    const kaniko = new JobPodPolicy(chart, 'Kaniko', { securityProfile: JobSecurityProfile.rootBuilder() });
    expect(toml(kaniko)).toMatchObject({ privileged: false, allow_privilege_escalation: false });
    expect(toml(kaniko).pod_security_context).toBeUndefined();
    expect(kaniko.securityProfile.podSecurityLevel).toBe(PodSecurityLevel.BASELINE);

    const nonRoot = new JobPodPolicy(chart, 'NonRoot', { securityProfile: JobSecurityProfile.nonRoot({ runAsUser: 1001 }) });
    const k = toml(nonRoot);
    const container = { run_as_non_root: true, allow_privilege_escalation: false, privileged: false, capabilities: { drop: ['ALL'] } };
    expect(k.pod_security_context).toEqual({ run_as_non_root: true, run_as_user: 1001, run_as_group: 1000, fs_group: 1000 });
    for (const c of ['build', 'helper', 'service', 'init_permissions']) expect(k[`${c}_container_security_context`]).toEqual(container);
    expect(nonRoot.securityProfile.podSecurityLevel).toBe(PodSecurityLevel.BASELINE);
  });

  test('the policy gives its helper image the runner version; helper_image_flavor is not written', () => {
    const chart = Testing.chart();
    const mirror = new JobPodPolicy(chart, 'Mirror', { helperImage: HelperImage.fromRegistry('registry.example.com') });
    expect(mirror.helperImageFor('18.3.1')).toBe('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.1');
    const ubuntuArm = new JobPodPolicy(chart, 'Arm', {
      helperImage: HelperImage.official({ flavor: HelperImageFlavor.UBUNTU, architecture: CpuArchitecture.ARM64 }),
    });
    // helper_image_flavor is not written: with helper_image set the runner ignores it.
    expect(toml(ubuntuArm).helper_image_flavor).toBeUndefined();
  });

  test('pull policies, allowed images and services, pod metadata and timing', () => {
    const policy = new JobPodPolicy(Testing.chart(), 'Jobs', {
      pullPolicy: PullPolicy.ALWAYS,
      allowedPullPolicies: [PullPolicy.ALWAYS, PullPolicy.IF_NOT_PRESENT],
      allowedImages: ['registry.example.com/*'],
      allowedServices: ['registry.example.com/docker:*-dind'],
      pollTimeout: Duration.minutes(10),
      pollInterval: Duration.seconds(5),
      podLabels: { team: 'platform' },
      podAnnotations: { 'example.com/owner': 'platform' },
    });
    expect(toml(policy)).toMatchObject({
      pull_policy: ['always'],
      allowed_pull_policies: ['always', 'if-not-present'],
      allowed_images: ['registry.example.com/*'],
      allowed_services: ['registry.example.com/docker:*-dind'],
      poll_timeout: 600,
      poll_interval: 5,
      pod_labels: { team: 'platform' },
      pod_annotations: { 'example.com/owner': 'platform' },
    });
  });
});

describe('JobPodPolicy fails on bad input', () => {
  const cases: [string, JobPodPolicyProps, string, string, string][] = [
    ['a request above its limit', { helperResources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } },
      'helperResources.memory.request', '"2Gi"', 'a request no larger than the limit (1Gi)'],
    ['a CPU request above its limit', { buildResources: { cpu: { request: Cpu.units(3), limit: Cpu.units(2) } } },
      'buildResources.cpu.request', '"3"', 'no larger than the limit (2)'],
    ['a negative CPU', { serviceResources: { cpu: { limit: Cpu.units(-1) } } }, 'serviceResources.cpu.limit', 'Cpu("-1")', 'non-negative CPU'],
    ['a CPU finer than 1m', { buildResources: { cpu: { limit: Cpu.millis(0.5) } } }, 'buildResources.cpu.limit', 'Cpu("0.5m")', 'whole millicores'],
    ['a size that is no whole KiB', { buildResources: { memory: { limit: Size.kibibytes(0.5) } } }, 'buildResources.memory.limit', 'Size', 'whole number of kibibytes'],
    ['negative services per job', { servicesPerJob: -1 }, 'servicesPerJob', '-1', 'an integer >= 0'],
    ['an unknown pull policy', { pullPolicy: 'IfNotPresent' as PullPolicy }, 'pullPolicy', '"IfNotPresent"', 'one of "always", "if-not-present", "never"'],
    ['an unknown allowed pull policy', { allowedPullPolicies: ['Always' as PullPolicy] }, 'allowedPullPolicies[0]', '"Always"', 'one of'],
    ['a zero poll timeout', { pollTimeout: Duration.seconds(0) }, 'pollTimeout', '"0 seconds"', '>= 1'],
    ['a fractional poll interval', { pollInterval: Duration.millis(500) }, 'pollInterval', '"500 millis"', 'whole number of seconds'],
    ['a bad label value', { podLabels: { team: 'a/b' } }, 'podLabels["team"]', '"a/b"', 'label value'],
    ['a bad annotation key', { podAnnotations: { 'bad key': 'x' } }, 'podAnnotations key', '"bad key"', 'label key'],
    ['an empty allowed image', { allowedImages: [''] }, 'allowedImages[0]', '""', 'non-empty'],
    ['a root user in the non-root profile', { securityProfile: JobSecurityProfile.nonRoot({ runAsUser: 0 }) }, 'securityProfile.runAsUser', '0', 'an integer >= 1'],
    ['a profile that is no JobSecurityProfile', { securityProfile: 'privileged' as unknown as JobSecurityProfile }, 'securityProfile', '"privileged"', 'JobSecurityProfile.privileged()'],
    ['a ubi-fips helper for arm64', { helperImage: HelperImage.official({ flavor: HelperImageFlavor.UBI_FIPS, architecture: CpuArchitecture.ARM64 }) },
      'helperImage.architecture', '"arm64"', 'x86_64 only'],
    ['a helper registry with a scheme', { helperImage: HelperImage.fromRegistry('https://registry.example.com') }, 'helperImage.registry', '"https://registry.example.com"', 'without scheme'],
  ];

  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    const policy = () => new JobPodPolicy(Testing.chart(), 'Jobs', props).helperImageFor('18.3.0');
    expect(policy).toThrow(`test/Jobs: invalid ${prop}: got ${value}`);
    expect(policy).toThrow(expected);
  });
});

describe('JobPodPolicy owns the job pods', () => {
  test('image, pull secrets, service account, grace periods, host aliases and volumes go to [runners.kubernetes]', () => {
    const chart = Testing.chart();
    const policy = new JobPodPolicy(chart, 'Jobs', {
      jobImage: 'debian:12-slim',
      imagePullSecrets: [Secret.fromSecretName(chart, 'Pull', 'registry-pull')],
      jobServiceAccount: ServiceAccount.fromServiceAccountName(chart, 'Sa', 'ci-job'),
      podTerminationGracePeriod: Duration.seconds(60),
      jobCleanupTimeout: Duration.minutes(10),
      hostAliases: [{ ip: '192.168.1.50', hostnames: ['gitlab.internal'] }],
      volumes: [JobVolume.emptyDir('scratch', { mountPath: '/scratch' })],
    });
    expect(policy.jobImage).toBe('debian:12-slim');
    expect(toml(policy)).toMatchObject({
      image: 'debian:12-slim', image_pull_secrets: ['registry-pull'], service_account: 'ci-job', automount_service_account_token: true,
      pod_termination_grace_period_seconds: 60, cleanup_resources_timeout: '10m',
      host_aliases: [{ ip: '192.168.1.50', hostnames: ['gitlab.internal'] }],
      volumes: { empty_dir: [{ name: 'scratch', mount_path: '/scratch' }] },
    });
  });

  test('it alone decides the pods\' Pod Security level: a host path volume makes it privileged', () => {
    const chart = Testing.chart();
    const hostPath = new JobPodPolicy(chart, 'HostPath', {
      allowHostPathVolumes: true, volumes: [JobVolume.hostPath('sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' })],
    });
    expect(hostPath.podSecurity).toEqual({ level: PodSecurityLevel.PRIVILEGED, reason: 'the job volume "sock" is a host path, which baseline forbids' });
    expect(() => new JobPodPolicy(chart, 'NoOptIn', { volumes: [JobVolume.hostPath('sock', '/var/run/docker.sock', { mountPath: '/s' })] }))
      .toThrow('test/NoOptIn: invalid volumes[0]: got "sock"; expected no hostPath volume unless allowHostPathVolumes is true');
    new JobPodPolicy(chart, 'Useless', { allowHostPathVolumes: true });
    expect(warningsOf(chart)).toEqual(['test/Useless: allowHostPathVolumes has no effect: no job volume is a host path (JobVolume.hostPath())']);
  });
});
