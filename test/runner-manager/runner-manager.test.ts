import * as fs from 'fs';
import * as path from 'path';
import * as TOML from '@iarna/toml';
import { App, Chart, Duration, Size, Testing, Yaml } from 'cdk8s';
import { ConfigMap, Cpu, EmptyDirMedium, k8s, PersistentVolumeClaim, Secret, ServiceAccount, TaintEffect } from 'cdk8s-plus-28';
import { chartFullname, CiNodePool, DnsStrategy, JobPodPolicy, JobPodPolicyProps, JobSecurityProfile, JobVolume, LogFormat, LogLevel, PodSecurityLevel, RunnerCache, RunnerManager, RunnerManagerProps, synthFiles, writeFiles } from '../../lib';
import { managerPolicyRules } from '../../lib/runner-permissions';
import { parseRunnerConfig } from '../../lib/render/toml';
import { checkHelmValues } from '../util/helm-keys';
import { filesUnder, loadYaml } from '../util/output';
import { validateDefinition, validateManifest } from '../util/k8s-schema';
import { checkRunnerToml } from '../util/runner-schema';
import { SEED_INTERNAL_DNS } from '../util/seed-dns';
import { SEED_004_RESOURCES } from '../util/seed-resources';
import { helmValuesDocument } from '../../lib/render/helm-values';

type Props = Omit<RunnerManagerProps, 'tokenSecret'> & { tokenSecret?: RunnerManagerProps['tokenSecret'] } & JobPodPolicyProps;

/** The job-pod settings, which belong to the JobPodPolicy. */
const JOB_POD_KEYS = ['jobImage', 'imagePullSecrets', 'jobServiceAccount', 'jobServiceAccountOverwriteAllowed', 'podTerminationGracePeriod',
  'jobCleanupTimeout', 'hostAliases', 'volumes', 'allowHostPathVolumes'];

/**
 * A manager with test defaults; props may be a function of the chart, for props that are constructs in it.
 * Job-pod settings among them go to a JobPodPolicy `<id>/JobPodPolicy` (unless a jobPodPolicy is given).
 */
function build(props: Partial<Props> | ((chart: Chart) => Partial<Props>) = {}, chart: Chart = Testing.chart(), id = 'Runner'):
{ chart: Chart; manager: RunnerManager } {
  const all: { [key: string]: unknown } = { ...(typeof props === 'function' ? props(chart) : props) };
  const jobPods = Object.fromEntries(Object.entries(all).filter(([k]) => JOB_POD_KEYS.includes(k)));
  const rest = Object.fromEntries(Object.entries(all).filter(([k]) => !JOB_POD_KEYS.includes(k)));
  const manager = new RunnerManager(chart, id, {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, `${id}Token`, 'gitlab-runner-token'),
    // Seed 004's resources, the library's default before it became the runner's own (none), keep the snapshots as they were.
    ...(Object.keys(jobPods).length > 0 && rest.jobPodPolicy === undefined
      ? { jobPodPolicy: new JobPodPolicy(chart, `${id}JobPodPolicy`, { ...SEED_004_RESOURCES, ...jobPods }) } : {}),
    ...rest,
  } as RunnerManagerProps);
  return { chart, manager };
}

/** A Docker-in-Docker job pod policy. */
function dind(chart: Chart): JobPodPolicy {
  return new JobPodPolicy(chart, 'Dind', { securityProfile: JobSecurityProfile.privileged() });
}

/** The values as the file holds them. */
function valuesDocument(manager: RunnerManager): any {
  return helmValuesDocument(manager._helmValues);
}

/** The TOML the chart hands to `gitlab-runner register` after its `tpl` pass. */
function registeredTemplate(manager: RunnerManager): string {
  return valuesDocument(manager).runners.config.replace(/\{\{ "\{\{" \}\}/g, '{{');
}

/** Every check a synthesized manager must pass: Kubernetes schema, chart keys, runner keys. */
function expectValid(chart: Chart, manager: RunnerManager): void {
  for (const obj of Testing.synth(chart)) expect(validateManifest(obj)).toEqual([]);
  expect(checkHelmValues(valuesDocument(manager), validateDefinition)).toEqual([]);
  expect(checkRunnerToml(manager.configToml)).toEqual([]);
  expect(checkRunnerToml(registeredTemplate(manager))).toEqual([]);
}

describe('RunnerManager', () => {
  test('defaults', () => {
    // GIVEN
    // Seed 004's job resources, as before the library default became the runner's own (no requests or limits).
    const { chart, manager } = build((c) => ({ jobPodPolicy: new JobPodPolicy(c, 'JobPodPolicy', SEED_004_RESOURCES) }));

    // WHEN
    const objects = Testing.synth(chart);
    const values = valuesDocument(manager);

    // THEN
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
    expect(Yaml.stringify(values)).toMatchSnapshot();
    expectValid(chart, manager);
    expect(values.replicas).toBe(2);
    expect(values.concurrent).toBe(10);
    expect(values.image).toEqual({ registry: 'registry.gitlab.com', image: 'gitlab-org/gitlab-runner', tag: 'alpine-v18.3.0' });
    expect(manager.chartVersion).toBe('0.80.0');
    expect(values.runners?.secret).toBe('gitlab-runner-token');
    expect(values.runners?.name).toBe('gitlab-runner');
    // No chart Role (it would sit in the manager's namespace unused): ours, in the jobs' namespace, only.
    expect(values.rbac).toEqual({ create: false });
    expect(values.serviceAccount?.create).toBe(true);
    expect(values.metrics).toEqual({ enabled: true, portName: 'metrics', port: 9252 });
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//gitlab-runner',
      'Namespace//gitlab-runner-jobs',
      'Role/gitlab-runner-jobs/gitlab-runner',
      'RoleBinding/gitlab-runner-jobs/gitlab-runner',
      'PodDisruptionBudget/gitlab-runner/gitlab-runner',
    ]);
  });

  test('writes the jobs\' namespace into [runners.kubernetes], not into the chart\'s template', () => {
    const { manager } = build({ namespace: 'ci', jobNamespace: 'ci-jobs' });
    const parsed = TOML.parse(registeredTemplate(manager)) as any;
    expect(parsed.runners).toHaveLength(1);
    expect(parsed.runners[0].kubernetes.namespace).toBe('ci-jobs');
    expect(valuesDocument(manager).runners.config).toContain('namespace = "ci-jobs"');
  });

  test('keeps global settings in chart values, never in runners.config', () => {
    const { manager } = build({ concurrent: 4, checkInterval: Duration.seconds(10), logLevel: LogLevel.DEBUG, logFormat: LogFormat.JSON });
    const template = TOML.parse(registeredTemplate(manager));
    expect(Object.keys(template)).toEqual(['runners']);
    expect(manager._helmValues).toMatchObject({ concurrent: 4, checkInterval: 10, logLevel: 'debug', logFormat: 'json', shutdown_timeout: 30 });
    // The full config.toml has them at the root, as the chart writes it.
    expect(TOML.parse(manager.configToml)).toMatchObject({ concurrent: 4, check_interval: 10, log_level: 'debug', listen_address: ':9252' });
  });

  test('config.toml parses back to the model', () => {
    const { manager } = build((chart) => ({
      jobPodPolicy: dind(chart),
      dnsStrategy: DnsStrategy.internal(SEED_INTERNAL_DNS),
      nodePool: new CiNodePool(chart, 'Pool'),
      environment: { B: '2', A: '1' },
      featureFlags: { FF_USE_FASTZIP: true },
    }));
    expect(parseRunnerConfig(manager.configToml)).toEqual(manager._runnerConfig);
    expect(manager._runnerConfig.runners[0]).toMatchObject({ environment: ['A=1', 'B=2'], featureFlags: { FF_USE_FASTZIP: true } });
    expect(parseRunnerConfig(registeredTemplate(manager)).runners).toEqual(manager._runnerConfig.runners);
  });

  test('never writes a token, tags or other values that glrt- tokens ignore or break', () => {
    const { manager } = build({ tags: ['kubernetes', 'docker'] });
    const yaml = Yaml.stringify(valuesDocument(manager));
    expect(manager.tags).toEqual(['kubernetes', 'docker']);
    expect(yaml).not.toMatch(/runnerToken|runnerRegistrationToken|glrt-|tags|locked|runUntagged|maximumTimeout|protected/);
  });

  test('a non-privileged runner denies privilege escalation and uses a baseline jobs\' namespace', () => {
    const { chart, manager } = build();
    const k = (TOML.parse(manager.configToml) as any).runners[0].kubernetes;
    expect(k.privileged).toBe(false);
    expect(k.allow_privilege_escalation).toBe(false);
    expect(k.automount_service_account_token).toBe(false);
    const jobs = Testing.synth(chart).find((o) => o.kind === 'Namespace' && o.metadata.name === 'gitlab-runner-jobs');
    expect(jobs.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('a privileged runner (DinD) gets a privileged jobs\' namespace and a restricted manager namespace', () => {
    const { chart, manager } = build((c) => ({ jobPodPolicy: dind(c) }));
    const k = (TOML.parse(manager.configToml) as any).runners[0].kubernetes;
    expect(k.privileged).toBe(true);
    expect(k.allow_privilege_escalation).toBe(true);
    const levels = Object.fromEntries(Testing.synth(chart).filter((o) => o.kind === 'Namespace')
      .map((o) => [o.metadata.name, o.metadata.labels['pod-security.kubernetes.io/enforce']]));
    expect(levels).toEqual({ 'gitlab-runner': 'restricted', 'gitlab-runner-jobs': 'privileged' });
  });

  test('configured jobs: replicas × concurrent, bounded per manager by limit', () => {
    expect(build({ replicas: 3, concurrent: 10 }).manager).toMatchObject({ jobsPerManager: 10, configuredJobs: 30 });
    expect(build({ replicas: 3, concurrent: 10, limit: 2 }).manager).toMatchObject({ jobsPerManager: 2, configuredJobs: 6 });
    // limit 0 is the runner's "no limit"
    expect(build({ replicas: 2, concurrent: 4, limit: 0 }).manager).toMatchObject({ jobsPerManager: 4, configuredJobs: 8 });
    expect(build({ replicas: 2, concurrent: 4, limit: 9 }).manager).toMatchObject({ jobsPerManager: 4, configuredJobs: 8 });
  });

  test('drain on stop: a preStop hook turns the pod\'s SIGTERM into the runner\'s graceful SIGQUIT, instead of the unregister hook', () => {
    const { chart, manager } = build({ jobTimeout: Duration.minutes(20), shutdownTimeout: Duration.seconds(45) });
    expect(manager.drainOnStop).toBe(true);
    expect(manager._helmValues.unregisterRunners).toBe(false);
    const command = (manager._helmValues.deploymentLifecycle as any).preStop.exec.command;
    expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    // drains for the grace period minus the forced shutdown: 1245 s - 45 s
    expect(manager.terminationGracePeriodSeconds).toBe(1245);
    expect(command[2]).toContain('kill -QUIT "$pid"');
    expect(command[2]).toContain('[ "$i" -lt 1200 ]');
    expectValid(chart, manager);
  });

  test('drain on stop is off with unregisterRunners: the chart\'s unregister hook, and a grace period for the forced shutdown only', () => {
    const { manager } = build({ unregisterRunners: true, terminationGracePeriod: Duration.seconds(60) });
    expect(manager.drainOnStop).toBe(false);
    expect(manager._helmValues.unregisterRunners).toBe(true);
    expect(manager._helmValues.deploymentLifecycle).toBeUndefined();
    expect(build({ drainOnStop: false }).manager._helmValues.unregisterRunners).toBe(true);
    expect(build({ drainOnStop: false, unregisterRunners: false }).manager._helmValues.unregisterRunners).toBe(false);
    expect(() => build({ drainOnStop: false, terminationGracePeriod: Duration.seconds(30) }))
      .toThrow(/invalid terminationGracePeriod: got "30s"; expected more than shutdownTimeout \(30s\)/);
    expect(() => build({ drainOnStop: true, unregisterRunners: true }))
      .toThrow(/invalid unregisterRunners: got true; expected false with drainOnStop/);
  });

  test('manager availability: a PodDisruptionBudget and spread across nodes from 2 replicas, a grace period that holds the longest job', () => {
    // GIVEN the default 2 replicas
    const { chart, manager } = build({ jobTimeout: Duration.hours(2), shutdownTimeout: Duration.seconds(60) });

    // THEN
    expect(manager.managerPodSelector).toEqual({ app: 'gitlab-runner' });
    expect(build({ releaseName: 'ci' }).manager.managerPodSelector).toEqual({ app: 'ci-gitlab-runner' });
    const pdb = Testing.synth(chart).find((o) => o.kind === 'PodDisruptionBudget');
    expect(pdb.metadata).toMatchObject({ name: 'gitlab-runner', namespace: 'gitlab-runner' });
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'gitlab-runner' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(manager._helmValues.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'gitlab-runner' } },
    }]);
    // The grace period is the longest job plus the forced shutdown.
    expect(manager._helmValues.terminationGracePeriodSeconds).toBe(7260);
    expect(manager._helmValues.shutdown_timeout).toBe(60);
    expectValid(chart, manager);
  });

  test('one manager gets no PodDisruptionBudget (it would block every drain) and no spread', () => {
    const { chart, manager } = build({ replicas: 1 });
    expect(Testing.synth(chart).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    expect(manager._helmValues.topologySpreadConstraints).toBeUndefined();
  });

  test('the manager pod passes the restricted Pod Security level', () => {
    const { manager } = build();
    expect(manager._helmValues.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(manager._helmValues.podSecurityContext?.runAsUser).not.toBe(0);
    expect(manager._helmValues.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, privileged: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
  });

  test('RBAC rules are explicit, least-privilege and never use *', () => {
    const { chart, manager } = build();
    const rules = manager._policyRules;
    expect(JSON.stringify(rules)).not.toContain('*');
    expect(rules.every((r) => r.apiGroups.length === 1 && r.apiGroups[0] === '')).toBe(true);
    // The verbs themselves are tested against the runner's permission table in runner-permissions.test.ts.
    expect(rules).toEqual(managerPolicyRules({
      printPodWarningEvents: true, namespacePerJob: false, informers: true, debugServices: false, featureFlags: {},
    }));
    // The same rules bind the chart's ServiceAccount in the jobs' namespace.
    const [role, binding] = Testing.synth(chart).filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');
    expect(role.rules).toEqual(rules);
    expect(role.metadata.namespace).toBe('gitlab-runner-jobs');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'gitlab-runner', namespace: 'gitlab-runner' }]);
  });

  test('feature flags add the verbs they need', () => {
    const { manager } = build({
      featureFlags: { FF_KUBERNETES_HONOR_ENTRYPOINT: true, FF_PRINT_POD_EVENTS: true, FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: true },
    });
    const verbs = Object.fromEntries(manager._policyRules.map((r) => [r.resources[0], r.verbs]));
    expect(verbs.events).toEqual(['list', 'watch']);
    expect(verbs['pods/log']).toEqual(['get', 'list']);
    expect(verbs['pods/attach']).toBeUndefined();
  });

  test('runner features move the RBAC verbs and the config together', () => {
    const { manager, chart } = build({ printPodWarningEvents: false, podInformers: false, debugServices: true });
    const verbs = Object.fromEntries(manager._policyRules.map((r) => [r.resources[0], r.verbs]));
    expect(verbs.events).toBeUndefined();
    expect(verbs.pods).toEqual(['create', 'delete', 'get', 'watch']);
    expect(verbs['pods/log']).toEqual(['get', 'list']);
    expect((TOML.parse(manager.configToml) as any).runners[0].kubernetes.print_pod_warning_events).toBe(false);
    const role = Testing.synth(chart).find((o) => o.kind === 'Role');
    expect(role.rules).toEqual(manager._policyRules);
    expect(manager._helmValues.rbac?.rules).toBeUndefined();
  });

  test('one namespace for manager and jobs only when asked for, with our Role in it', () => {
    expect(() => build({ namespace: 'gitlab', jobNamespace: 'gitlab' })).toThrow(/invalid jobNamespace: got "gitlab"; expected a namespace other than the manager's.*sharedNamespace: true/);
    const { chart, manager } = build({ namespace: 'gitlab', jobNamespace: 'gitlab', sharedNamespace: true });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'Role', 'RoleBinding', 'PodDisruptionBudget']);
    // The shared namespace takes the jobs' level; the restricted manager pod passes it too.
    expect(objects[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(Testing.synth(build((c) => ({ namespace: 'ci', jobNamespace: 'ci', sharedNamespace: true, jobPodPolicy: dind(c) })).chart)[0]
      .metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(valuesDocument(manager).runners.config).toContain('namespace = "gitlab"');
    expectValid(chart, manager);
  });

  test('createNamespaces: false leaves namespaces to the platform', () => {
    const { chart } = build({ createNamespaces: false });
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['Role', 'RoleBinding', 'PodDisruptionBudget']);
  });

  test('two managers share a namespace object when they agree on its level', () => {
    const chart = Testing.chart();
    build({}, chart);
    build({ releaseName: 'gitlab-runner-second', jobNamespace: 'second-jobs' }, chart, 'Second');
    const namespaces = Testing.synth(chart).filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toEqual(['gitlab-runner', 'gitlab-runner-jobs', 'second-jobs']);
  });

  test('fails when two managers need different Pod Security levels for one namespace', () => {
    const chart = Testing.chart();
    build({}, chart);
    // No tree search: each creates its Namespace, and the collision check finds the two at synth.
    build({ releaseName: 'gitlab-runner-second', jobPodPolicy: dind(chart) }, chart, 'Second');
    expect(() => Testing.synth(chart)).toThrow(/test\/Second\/Namespaces\/JobNamespace: invalid metadata.name: got "gitlab-runner-jobs"; expected Namespace gitlab-runner-jobs of its own .*test\/Runner\/Namespaces\/JobNamespace also writes Namespace gitlab-runner-jobs with different content/);
  });

  test('two managers share namespaces by reference', () => {
    const chart = Testing.chart();
    const { manager: first } = build({}, chart);
    const { manager: second } = build({ releaseName: 'gitlab-runner-second', namespaces: first.namespaces }, chart, 'Second');
    expect(second.namespaces).toBe(first.namespaces);
    expect([second.namespace, second.jobNamespace]).toEqual(['gitlab-runner', 'gitlab-runner-jobs']);
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['gitlab-runner', 'gitlab-runner-jobs']);
    // Its own Role in the shared jobs' namespace.
    expect(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.name)).toEqual(['gitlab-runner', 'gitlab-runner-second']);
    expect(() => build({ namespaces: first.namespaces, jobNamespace: 'other-jobs' }, chart, 'Third'))
      .toThrow('test/Third: invalid jobNamespace: got "other-jobs"; expected "gitlab-runner-jobs", the name in the given namespaces (test/Runner/Namespaces)');
  });

  test('shared namespaces must admit the second manager\'s job pods, checked at synth', () => {
    const chart = Testing.chart();
    const { manager: first } = build({}, chart);
    build({ releaseName: 'gitlab-runner-second', namespaces: first.namespaces, jobPodPolicy: dind(chart) }, chart, 'Second');
    expect(() => Testing.synth(chart)).toThrow('test/Second: invalid namespaces: got "test/Runner/Namespaces"; expected namespaces whose jobs\' '
      + 'namespace "gitlab-runner-jobs" admits this manager\'s job pods: it enforces "baseline" where they need "privileged", since test/Dind');
  });

  test('follows the chart\'s naming of its objects from the release name', () => {
    expect(chartFullname('gitlab-runner')).toBe('gitlab-runner');
    expect(chartFullname('gitlab-runner-prod')).toBe('gitlab-runner-prod');
    expect(chartFullname('ci')).toBe('ci-gitlab-runner');
    expect(chartFullname('a'.repeat(53))).toHaveLength(63);
    const { manager } = build({ releaseName: 'ci' });
    expect(manager.fullname).toBe('ci-gitlab-runner');
    expect(manager.serviceAccountName).toBe('ci-gitlab-runner');
    expect(manager._helmValues.runners?.name).toBe('ci-gitlab-runner');
  });

  test('renders the job pod policy, the DNS strategy and the node pool into [runners.kubernetes]', () => {
    // GIVEN the three job-pod constructs
    const { chart, manager } = build((c) => ({
      jobPodPolicy: JobPodPolicy.small(c, 'Small', { securityProfile: JobSecurityProfile.nonRoot(), pollTimeout: Duration.minutes(5) }),
      dnsStrategy: DnsStrategy.internal(SEED_INTERNAL_DNS),
      nodePool: new CiNodePool(c, 'Pool', { nodeLabels: { pool: 'ci' }, taints: [{ key: 'pool', value: 'ci', effect: TaintEffect.NO_SCHEDULE }] }),
    }));

    // THEN each contributes its part
    const k = (TOML.parse(manager.configToml) as any).runners[0].kubernetes;
    expect(k).toMatchObject({
      cpu_limit: '1', cpu_request: '250m', memory_limit: '1Gi', memory_request: '256Mi', poll_timeout: 300,
      helper_image: 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0',
      pull_policy: ['if-not-present'],
      dns_policy: 'none',
      node_selector: { pool: 'ci' },
      node_tolerations: { 'pool=ci': 'NoSchedule' },
      priority_class_name: 'high-priority-ci',
      pod_security_context: { run_as_non_root: true, run_as_user: 1000 },
    });
    expect(k.dns_config.nameservers).toEqual(['10.0.0.2', '10.1.0.251', '10.1.0.252']);
    // The pool pre-pulls the helper and the default job image.
    expect(manager.nodePool!.prePulledImages).toEqual([
      'alpine:3.22', 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0',
    ]);
    expectValid(chart, manager);
  });

  test('job pod settings of the manager itself', () => {
    const chart = Testing.chart();
    const { manager } = build({
      jobImage: 'registry.example.com/library/alpine:3.22',
      imagePullSecrets: [Secret.fromSecretName(chart, 'Pull', 'registry-pull')],
      jobServiceAccount: ServiceAccount.fromServiceAccountName(chart, 'Sa', 'ci-job'),
      jobServiceAccountOverwriteAllowed: '^ci-.*$',
      podTerminationGracePeriod: Duration.seconds(60),
      jobCleanupTimeout: Duration.minutes(10),
      hostAliases: [{ ip: '192.168.1.50', hostnames: ['gitlab.internal'] }],
      outputLimit: Size.mebibytes(16),
      limit: 20,
      requestConcurrency: 4,
      preBuildScript: 'echo pre',
      postBuildScript: 'echo post',
      preGetSourcesScript: 'echo pre-get',
      postGetSourcesScript: 'echo post-get',
    }, chart);
    const r = (TOML.parse(manager.configToml) as any).runners[0];
    expect(r).toMatchObject({ limit: 20, request_concurrency: 4, output_limit: 16384, pre_build_script: 'echo pre' });
    expect(r.kubernetes).toMatchObject({
      image: 'registry.example.com/library/alpine:3.22',
      image_pull_secrets: ['registry-pull'],
      service_account: 'ci-job',
      service_account_overwrite_allowed: '^ci-.*$',
      automount_service_account_token: true,
      pod_termination_grace_period_seconds: 60,
      cleanup_resources_timeout: '10m',
      host_aliases: [{ ip: '192.168.1.50', hostnames: ['gitlab.internal'] }],
    });
    expect(TOML.parse(manager.configToml)).toMatchSnapshot();
    expectValid(chart, manager);
  });

  test('the jobs\' namespace may be less strict than the profile needs, never stricter', () => {
    const { chart } = build({ jobNamespacePodSecurity: PodSecurityLevel.PRIVILEGED });
    const levels = Testing.synth(chart).filter((o) => o.kind === 'Namespace').map((o) => o.metadata.labels['pod-security.kubernetes.io/enforce']);
    expect(levels).toEqual(['restricted', 'privileged']);
    // The namespace's level against the policy's pods is a cross-construct check: at synth.
    const synth = (props: Parameters<typeof build>[0]) => () => Testing.synth(build(props).chart);
    expect(synth((c) => ({ jobPodPolicy: dind(c), jobNamespacePodSecurity: PodSecurityLevel.BASELINE })))
      .toThrow('test/Runner: invalid jobNamespacePodSecurity: got "baseline"; expected "privileged" or less strict: job pods would be '
        + 'rejected, since test/Dind: it uses the privileged profile, and both baseline and restricted forbid privileged containers');
    expect(synth({ jobNamespacePodSecurity: PodSecurityLevel.RESTRICTED }))
      .toThrow(/invalid jobNamespacePodSecurity: got "restricted"; expected "baseline" or less strict: job pods would be rejected, since test\/Runner\/JobPodPolicy: it uses the root-builder profile/);
    // A host path volume needs privileged, whatever the profile.
    const hostPath = { allowHostPathVolumes: true, volumes: [JobVolume.hostPath('sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' })] };
    expect(build(hostPath).manager.jobNamespacePodSecurity).toBe(PodSecurityLevel.PRIVILEGED);
    expect(synth({ ...hostPath, jobNamespacePodSecurity: PodSecurityLevel.BASELINE }))
      .toThrow('expected "privileged" or less strict: job pods would be rejected, since test/RunnerJobPodPolicy: the job volume "sock" is a host path, which baseline forbids');
  });

  test('the pre-puller is applied after the namespace it lives in', () => {
    const { chart } = build((c) => ({ nodePool: new CiNodePool(c, 'Pool') }));
    const kinds = Testing.synth(chart).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds.indexOf('Namespace/gitlab-runner-jobs')).toBeLessThan(kinds.indexOf('DaemonSet/ci-image-prepuller'));
  });

  test('manager placement goes into the chart values in Kubernetes form', () => {
    const { chart, manager } = build({
      managerNodeSelector: { 'node-role.example.com/infra': 'true' },
      managerTolerations: [{ key: 'infra', value: 'true', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 300 }],
      managerAffinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{
            weight: 100,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'gitlab-runner' } } },
          }],
        },
      },
      managerPriorityClassName: 'system-cluster-critical',
      managerResources: { cpu: { request: Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
    });
    expect(manager._helmValues).toMatchObject({
      nodeSelector: { 'node-role.example.com/infra': 'true' },
      tolerations: [{ key: 'infra', operator: 'Equal', value: 'true', effect: 'NoExecute', tolerationSeconds: 300 }],
      priorityClassName: 'system-cluster-critical',
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    });
    expect((manager._helmValues.affinity as any).podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
    expectValid(chart, manager);
  });

  test('an S3 cache reads its keys from a Secret and never from config.toml', () => {
    const chart = Testing.chart();
    const { manager } = build({
      cache: RunnerCache.s3({
        serverAddress: 's3.amazonaws.com',
        bucketName: 'gitlab-runner-cache',
        bucketLocation: 'us-east-1',
        credentials: Secret.fromSecretName(chart, 'CacheKeys', 'runner-cache-s3'),
        maxUploadedArchiveSize: Size.gibibytes(1),
      }),
    }, chart);
    expect(manager._helmValues.runners?.cache).toEqual({ secretName: 'runner-cache-s3' });
    const cache = (TOML.parse(manager.configToml) as any).runners[0].cache;
    expect(cache).toEqual({
      Type: 's3', Shared: true, MaxUploadedArchiveSize: 1073741824,
      s3: { ServerAddress: 's3.amazonaws.com', BucketName: 'gitlab-runner-cache', BucketLocation: 'us-east-1', AuthenticationType: 'access-key' },
    });
    expectValid(chart, manager);
  });

  test('an S3 cache without a Secret uses IAM', () => {
    const { manager } = build({ cache: RunnerCache.s3({ bucketName: 'b', shared: false, path: 'runner' }) });
    expect(manager._helmValues.runners?.cache).toBeUndefined();
    expect((TOML.parse(manager.configToml) as any).runners[0].cache).toEqual({
      Type: 's3', Path: 'runner', Shared: false, s3: { BucketName: 'b', AuthenticationType: 'iam' },
    });
  });

  test('GCS and Azure caches', () => {
    const chart = Testing.chart();
    const gcs = build({ cache: RunnerCache.gcs({ bucketName: 'g', credentials: Secret.fromSecretName(chart, 'G', 'gcs-keys') }) }, chart).manager;
    expect((TOML.parse(gcs.configToml) as any).runners[0].cache).toEqual({ Type: 'gcs', Shared: true, gcs: { BucketName: 'g' } });
    expect(gcs._helmValues.runners?.cache).toEqual({ secretName: 'gcs-keys' });
    const chart2 = Testing.chart();
    const azure = build({
      cache: RunnerCache.azure({ containerName: 'c', credentials: Secret.fromSecretName(chart2, 'A', 'azure-keys') }),
    }, chart2).manager;
    expect((TOML.parse(azure.configToml) as any).runners[0].cache).toEqual({ Type: 'azure', Shared: true, azure: { ContainerName: 'c' } });
    expect(checkRunnerToml(azure.configToml)).toEqual([]);
  });

  test('job volumes', () => {
    const chart = Testing.chart();
    const { manager } = build({
      volumes: [
        JobVolume.emptyDir('scratch', { mountPath: '/scratch', medium: EmptyDirMedium.MEMORY, sizeLimit: Size.gibibytes(1) }),
        JobVolume.secret(Secret.fromSecretName(chart, 'Ca', 'internal-ca'), { mountPath: '/etc/ssl/internal', readOnly: true, items: { 'ca.crt': 'ca.crt' } }),
        JobVolume.configMap(ConfigMap.fromConfigMapName(chart, 'Cfg', 'ci-config'), { mountPath: '/etc/ci' }),
        JobVolume.pvc(PersistentVolumeClaim.fromClaimName(chart, 'Pvc', 'ci-cache'), { mountPath: '/cache', subPath: 'jobs' }),
      ],
    }, chart);
    expect((TOML.parse(manager.configToml) as any).runners[0].kubernetes.volumes).toEqual({
      pvc: [{ name: 'ci-cache', mount_path: '/cache', sub_path: 'jobs' }],
      config_map: [{ name: 'ci-config', mount_path: '/etc/ci' }],
      secret: [{ name: 'internal-ca', mount_path: '/etc/ssl/internal', read_only: true, items: { 'ca.crt': 'ca.crt' } }],
      empty_dir: [{ name: 'scratch', mount_path: '/scratch', medium: 'Memory', size_limit: '1Gi' }],
    });
    expectValid(chart, manager);
  });

  test('host path volumes only with the explicit opt-in', () => {
    const volume = JobVolume.hostPath('localtime', '/etc/localtime', { mountPath: '/etc/localtime', readOnly: true });
    expect(() => build({ volumes: [volume] }))
      .toThrow('test/RunnerJobPodPolicy: invalid volumes[0]: got "localtime"; expected no hostPath volume unless allowHostPathVolumes is true');
    const { manager } = build({ volumes: [volume], allowHostPathVolumes: true });
    expect((TOML.parse(manager.configToml) as any).runners[0].kubernetes.volumes.host_path).toEqual([
      { name: 'localtime', mount_path: '/etc/localtime', read_only: true, host_path: '/etc/localtime' },
    ]);
  });

  test('escapes {{ for the chart\'s tpl', () => {
    const { manager } = build({ preBuildScript: 'echo "{{ not a template }}"' });
    expect(valuesDocument(manager).runners.config).toContain('echo "{{ "{{" }} not a template }}"');
    expect((TOML.parse(registeredTemplate(manager)) as any).runners[0].pre_build_script).toBe('echo "{{ not a template }}"');
  });

  test('metrics off removes the listen address and the Service', () => {
    const { manager } = build({ metrics: false });
    expect(manager._helmValues.metrics).toEqual({ enabled: false });
    expect(manager._helmValues.service).toBeUndefined();
    expect(TOML.parse(manager.configToml)).not.toHaveProperty('listen_address');
  });

  test('the runner version moves the chart version and the image tag together', () => {
    const { manager } = build({ runnerVersion: '18.3.1' });
    expect(manager.chartVersion).toBe('0.80.1');
    expect(manager._helmValues.image?.tag).toBe('alpine-v18.3.1');
  });
});

describe('RunnerManager output files', () => {
  test('app.synth() writes the values file next to the chart\'s manifest', () => {
    // GIVEN a plain cdk8s App, as a user's own app has
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const { manager } = build({}, chart);

    // WHEN
    writeFiles(app);

    // THEN
    expect(filesUnder(app.outdir)).toEqual(['ci/helm/gitlab-runner-values.yaml', 'ci/platform/00-namespaces.k8s.yaml', 'ci/platform/ci.k8s.yaml']);
    const text = fs.readFileSync(path.join(app.outdir, 'ci/helm/gitlab-runner-values.yaml'), 'utf8');
    expect(text).toMatch(/^# Values for the gitlab-runner Helm chart 0\.80\.0/);
    expect(text).toContain('helm upgrade --install gitlab-runner gitlab/gitlab-runner --version 0.80.0 -n gitlab-runner -f <this file>');
    expect(loadYaml(path.join(app.outdir, 'ci/helm/gitlab-runner-values.yaml'))[0]).toEqual(JSON.parse(JSON.stringify(valuesDocument(manager))));
    expect(text).not.toMatch(/:\s*null\b|\bundefined\b/);
  });

  test('several managers in one chart get one file each, named after their ids', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    build({}, chart);
    build({ releaseName: 'gitlab-runner-docker', jobNamespace: 'docker-jobs', createNamespaces: false }, chart, 'DockerBuilds');
    expect(synthFiles(app).map((f) => f.path)).toEqual([
      'ci/helm/docker-builds.gitlab-runner-values.yaml', 'ci/helm/runner.gitlab-runner-values.yaml', 'ci/platform/00-namespaces.k8s.yaml', 'ci/platform/ci.k8s.yaml',
    ]);
  });

  test('output is byte-identical across runs and whatever order maps were written in', () => {
    const synth = (props: Partial<Props>) => {
      const app = Testing.app();
      build(props, new Chart(app, 'ci'));
      return synthFiles(app).map((f) => f.content);
    };
    const first = synth({ environment: { B: '2', A: '1' }, featureFlags: { FF_USE_FASTZIP: true, FF_TIMESTAMPS: true } });
    expect(synth({ featureFlags: { FF_TIMESTAMPS: true, FF_USE_FASTZIP: true }, environment: { A: '1', B: '2' } })).toEqual(first);
  });

  test('an app with no manager writes no extra file', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'plain-')) });
    new k8s.KubeNamespace(new Chart(app, 'plain'), 'Ns', { metadata: { name: 'x' } });
    expect(synthFiles(app).map((f) => f.path)).toEqual(['plain/platform/00-namespaces.k8s.yaml']);
  });
});

describe('RunnerManager fails on bad input', () => {
  // Each case: the props, the prop the message must name, the bad value as printed, and words of the fix.
  const chart = Testing.chart();
  const cases: [string, Partial<Props>, string, string, string][] = [
    ['a URL without scheme', { gitlabUrl: 'gitlab.example.com' }, 'gitlabUrl', '"gitlab.example.com"', 'http:// or https:// URL'],
    ['a URL with credentials', { gitlabUrl: 'https://user:pw@gitlab.example.com/' }, 'gitlabUrl', '"https://user:<redacted: 2 characters>@gitlab.example.com/"', 'masked GitLab CI/CD variable'],
    ['an ftp URL', { gitlabUrl: 'ftp://gitlab.example.com/' }, 'gitlabUrl', '"ftp://gitlab.example.com/"', 'http://'],
    ['no token Secret', { tokenSecret: undefined }, 'tokenSecret', 'undefined', 'Secret.fromSecretName'],
    ['an empty Secret name', { tokenSecret: Secret.fromSecretName(chart, 'Empty', '') }, 'tokenSecret.name', '""', 'DNS-1123 subdomain'],
    ['an uppercase release name', { releaseName: 'GitLab' }, 'releaseName', '"GitLab"', 'DNS-1123 label of at most 53'],
    ['a namespace with underscores', { namespace: 'ci_runner' }, 'namespace', '"ci_runner"', 'DNS-1123 label'],
    ['a too long jobs\' namespace', { jobNamespace: 'j'.repeat(64) }, 'jobNamespace', `"${'j'.repeat(64)}"`, 'at most 63'],
    ['replicas < 1', { replicas: 0 }, 'replicas', '0', 'an integer >= 1'],
    ['fractional replicas', { replicas: 1.5 }, 'replicas', '1.5', 'an integer >= 1'],
    ['concurrent < 1', { concurrent: 0 }, 'concurrent', '0', 'an integer >= 1'],
    ['a negative limit', { limit: -1 }, 'limit', '-1', 'an integer >= 0'],
    ['requestConcurrency 0', { requestConcurrency: 0 }, 'requestConcurrency', '0', 'an integer >= 1'],
    ['an unsupported runner version', { runnerVersion: '17.11.0' }, 'runnerVersion', '"17.11.0"', '18.3.x'],
    ['an unknown log level', { logLevel: 'verbose' as LogLevel }, 'logLevel', '"verbose"', 'one of "trace", "debug"'],
    ['an unknown log format', { logFormat: 'xml' as LogFormat }, 'logFormat', '"xml"', 'one of "runner", "text", "json"'],
    ['a job pod policy that is no construct', { jobPodPolicy: {} as JobPodPolicy }, 'jobPodPolicy', '{}', 'a JobPodPolicy construct'],
    ['a DNS strategy that is no DnsStrategy', { dnsStrategy: 'internal' as unknown as DnsStrategy }, 'dnsStrategy', '"internal"', 'DnsStrategy.internal()'],
    ['an unknown Pod Security level', { jobNamespacePodSecurity: 'strict' as PodSecurityLevel }, 'jobNamespacePodSecurity', '"strict"', 'one of "privileged", "baseline", "restricted"'],
    ['an unpinned job image', { jobImage: 'alpine' }, 'jobImage', '"alpine"', 'pinned by a version tag'],
    ['an unknown feature flag', { featureFlags: { FF_NOT_A_FLAG: true } }, 'featureFlags', '"FF_NOT_A_FLAG"', 'ignores unknown names silently'],
    ['a bad environment name', { environment: { 'MY-VAR': 'x' } }, 'environment key', '"MY-VAR"', 'environment variable name'],
    ['a tag with a comma', { tags: ['a,b'] }, 'tags[0]', '"a,b"', 'without commas'],
    ['a duplicate tag', { tags: ['a', 'a'] }, 'tags[1]', '"a"', 'without duplicates'],
    ['a fractional check interval', { checkInterval: Duration.millis(1500) }, 'checkInterval', '"1 second 500 millis"', 'whole number of seconds'],
    ['a grace period shorter than the longest job', { terminationGracePeriod: Duration.minutes(30) }, 'terminationGracePeriod', '"1800s"',
      'at least jobTimeout + shutdownTimeout (3600s + 30s = 3630s)'],
    ['a zero job timeout', { jobTimeout: Duration.seconds(0) }, 'jobTimeout', '"0 seconds"', '>= 1'],
    ['an invalid overwrite pattern', { jobServiceAccountOverwriteAllowed: '([' }, 'jobServiceAccountOverwriteAllowed', '"(["', 'regular expression'],
    ['a registry with scheme', { imageRegistry: 'https://registry.example.com' }, 'imageRegistry', '"https://registry.example.com"', 'host[:port] without scheme'],
    ['an empty script', { preBuildScript: ' ' }, 'preBuildScript', '" "', 'non-empty shell script'],
    ['a host alias without host names', { hostAliases: [{ ip: '10.0.0.1', hostnames: [] }] }, 'hostAliases[0].hostnames', '[]', 'at least one host name'],
    ['an S3 endpoint with scheme', { cache: RunnerCache.s3({ bucketName: 'b', serverAddress: 'https://s3.example.com' }) }, 'cache.serverAddress', '"https://s3.example.com"', 'without a scheme'],
    ['a cache that is no RunnerCache', { cache: { type: 's3' } as unknown as RunnerCache }, 'cache', '{"type":"s3"}', 'a RunnerCache'],
    ['an empty bucket name', { cache: RunnerCache.s3({ bucketName: '' }) }, 'cache.bucketName', '""', 'S3 bucket name'],
    ['a relative volume mount path', { volumes: [JobVolume.emptyDir('x', { mountPath: 'cache' })] }, 'volumes[0].mountPath', '"cache"', 'absolute path'],
    ['two volumes with one name', { volumes: [JobVolume.emptyDir('x', { mountPath: '/a' }), JobVolume.emptyDir('x', { mountPath: '/b' })] }, 'volumes[1].name', '"x"', 'unique'],
    ['an output limit under 1 KiB', { outputLimit: Size.kibibytes(0) }, 'outputLimit', 'Size', 'at least 1 KiB'],
  ];

  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    let error: Error | undefined;
    try {
      build(props);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    expect(error!.name).toBe('ValidationError');
    // Job-pod settings are the JobPodPolicy's (the test's build() puts them on `test/RunnerJobPodPolicy`).
    const owner = (JOB_POD_KEYS as string[]).includes(Object.keys(props)[0]) ? 'test/RunnerJobPodPolicy' : 'test/Runner';
    expect(error!.message.slice(0, `${owner}: invalid ${prop}: got ${value}`.length)).toBe(`${owner}: invalid ${prop}: got ${value}`);
    expect(error!.message).toContain(expected);
  });
});
