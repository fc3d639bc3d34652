import * as path from 'path';
import * as TOML from '@iarna/toml';
import { Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { buildEnvironments } from '../apps/environments';
import { EnvironmentStack, JobPodPolicy, JobPodPolicyOptions, JobSecurityProfile, JobVolume, RunnerManager, RunnerManagerProps } from '../lib';
import { loadYaml, synthesize } from './util/output';
import { checkPodSecurity, PodSecurityLevelName, podAnnotationsOf, podSpecOf } from './util/pod-security';

// Every pod the library causes to exist, checked against the Pod Security level (v1.28) enforced on
// its namespace:
// - objects with a pod template in the synthesized manifests (the CI pool's pre-puller DaemonSet,
//   the app's Deployment), as they are;
// - the runner manager's pod, which the Helm chart renders from our values (modelled below);
// - the job pods, which the runner creates from our config.toml (modelled below).

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';

// Synthesize the three environments once, as `npm run synth` does (their warnings go to stderr).
let stacks: EnvironmentStack[] = [];
const out = synthesize((app) => {
  stacks = buildEnvironments(app);
});
const loaded = new Map<string, any[]>();
const load = (name: string): any[] => {
  if (!loaded.has(name)) loaded.set(name, loadYaml(path.join(out.outdir, ...name.split('/'))));
  return structuredClone(loaded.get(name)!);
};
const ENVS = stacks.map((s) => s.node.id);
const stackOf = (env: string) => stacks.find((s) => s.node.id === env)!;
/** Every manifest file of an environment, in every folder of it. */
const manifestFiles = (env: string) => out.ofKind('manifest').filter((f) => f.environment === env).map((f) => f.name);
const manifests = (env: string) => manifestFiles(env).flatMap(load);
const values = (env: string) => load(out.ofEnvironment(env, 'values').name)[0];
const runnerKubernetes = (env: string) => (TOML.parse(values(env).runners.config) as any).runners[0].kubernetes;

/** The level enforced on `namespace` by its Namespace object in the environment's output, which must exist and pin v1.28. */
function enforcedLevel(objects: any[], namespace: string | undefined): PodSecurityLevelName {
  const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === namespace);
  expect({ namespace, synthesized: ns !== undefined }).toEqual({ namespace, synthesized: true });
  expect({ namespace, version: ns.metadata.labels?.[ENFORCE_VERSION] }).toEqual({ namespace, version: 'v1.28' });
  const level = ns.metadata.labels?.[ENFORCE];
  expect(['privileged', 'baseline', 'restricted']).toContain(level);
  return level;
}

/** `<level>: <control>` of each message. */
const rules = (messages: string[]) => messages.map((m) => /(baseline|restricted): ([^:]+):/.exec(m)!.slice(1).join(': '));

// ---------------------------------------------------------------------------------------------
// The manager pod, as chart 0.80's deployment.yaml renders it from the values: `podSecurityContext`
// is the pod's securityContext, `securityContext` and `resources` those of its one container; its
// fixed volumes are two in-memory emptyDirs (runner-secrets, etc-gitlab-runner), the chart's
// ConfigMap and a projected volume of the token (and cache) Secrets; no host namespaces, host ports
// or init containers. What values can add to the pod (`volumes`, `volumeMounts`, `extraContainers`,
// `hostAliases`, `podAnnotations`, `certsSecretName`, `secrets`) is modelled when present.
// Not modelled: the ServiceAccount token volume Kubernetes adds (projected: allowed everywhere).
const MANAGER_VALUES_MODELLED = [
  'podSecurityContext', 'securityContext', 'resources', 'volumes', 'volumeMounts', 'extraContainers', 'hostAliases',
  'podAnnotations', 'certsSecretName', 'secrets', 'nodeSelector', 'tolerations', 'affinity', 'priorityClassName',
  'image', 'imagePullPolicy', 'metrics', 'terminationGracePeriodSeconds', 'runners',
];
/** Values that change no field of the pod Pod Security looks at (the runner's settings, other objects). */
const MANAGER_VALUES_IRRELEVANT = [
  'gitlabUrl', 'replicas', 'concurrent', 'checkInterval', 'logLevel', 'logFormat', 'shutdown_timeout', 'unregisterRunners',
  'rbac', 'serviceAccount', 'service', 'envVars', 'podLabels', 'deploymentLifecycle', 'useTini', 'topologySpreadConstraints',
];

/** Values keys the manager pod model neither reads nor knows to be irrelevant. */
function managerValuesKeys(v: any): string[] {
  return Object.keys(v).filter((key) => !MANAGER_VALUES_MODELLED.includes(key) && !MANAGER_VALUES_IRRELEVANT.includes(key));
}

function managerPod(v: any, fullname: string): { spec: any; annotations: { [key: string]: string } } {
  const secretSources = [
    { secret: { name: v.runners.secret, items: [{ key: 'runner-registration-token', path: 'runner-registration-token' }, { key: 'runner-token', path: 'runner-token' }] } },
    ...v.runners.cache?.secretName ? [{ secret: { name: v.runners.cache.secretName } }] : [],
    ...(v.secrets ?? []).map((s: any) => ({ secret: s })),
  ];
  return {
    annotations: { 'checksum/configmap': '0', 'checksum/secrets': '0', ...v.podAnnotations },
    spec: {
      serviceAccountName: fullname,
      securityContext: v.podSecurityContext,
      terminationGracePeriodSeconds: v.terminationGracePeriodSeconds,
      hostAliases: v.hostAliases,
      nodeSelector: v.nodeSelector,
      tolerations: v.tolerations,
      affinity: v.affinity,
      priorityClassName: v.priorityClassName,
      containers: [{
        name: fullname,
        image: `${v.image.registry}/${v.image.image}:${v.image.tag}`,
        imagePullPolicy: v.imagePullPolicy,
        command: ['/usr/bin/dumb-init', '--', '/bin/bash', '/configmaps/entrypoint'],
        securityContext: v.securityContext,
        resources: v.resources,
        ports: v.metrics?.enabled ? [{ name: v.metrics.portName, containerPort: v.metrics.port }] : [],
        volumeMounts: [
          { name: 'projected-secrets', mountPath: '/secrets' },
          { name: 'etc-gitlab-runner', mountPath: '/home/gitlab-runner/.gitlab-runner' },
          { name: 'configmaps', mountPath: '/configmaps' },
          ...v.certsSecretName ? [{ name: 'custom-certs', mountPath: '/home/gitlab-runner/.gitlab-runner/certs/', readOnly: true }] : [],
          ...v.volumeMounts ?? [],
        ],
      }, ...v.extraContainers ?? []],
      volumes: [
        { name: 'runner-secrets', emptyDir: { medium: 'Memory' } },
        { name: 'etc-gitlab-runner', emptyDir: { medium: 'Memory' } },
        { name: 'configmaps', configMap: { name: fullname } },
        { name: 'projected-secrets', projected: { sources: secretSources } },
        ...v.certsSecretName ? [{ name: 'custom-certs', secret: { secretName: v.certsSecretName } }] : [],
        ...v.volumes ?? [],
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A job pod, as runner 18.3's Kubernetes executor builds it from `[runners.kubernetes]`
// (executors/kubernetes and KubernetesConfig.GetContainerSecurityContext in common/config.go):
// - containers `build`, `helper` and one service `svc-0`, and the init container `init-permissions`;
// - each container's securityContext: its own `*_container_security_context` table, with
//   `privileged` and `allow_privilege_escalation` falling back to the `[runners.kubernetes]` keys;
//   capabilities start from the runner's default drop (NET_RAW), then `cap_add`, then `cap_drop`;
//   the container table's `capabilities.add` / `.drop`, where set, replace those lists;
// - the pod's securityContext from `pod_security_context`; annotations from `pod_annotations`;
// - volumes: the runner's own emptyDirs (repo, scripts, logs) and `[runners.kubernetes.volumes]`.
// No seccomp profile: config.toml has no setting for it. No host namespaces or host ports: the
// runner sets none.
// Not covered: what jobs may change at run time (`*_overwrite_allowed`, e.g. a job's own pod
// annotations or namespace), more than one service, the helper's Windows variant, pod spec patches
// (`[[runners.kubernetes.pod_spec]]`, which the library does not generate), and admission webhooks or
// LimitRanges that mutate pods before Pod Security Admission sees them. `jobPodKeys` fails on any
// `[runners.kubernetes]` key the model neither reads nor knows to be irrelevant to Pod Security.
const MODELLED_KEYS = [
  'privileged', 'allow_privilege_escalation', 'cap_add', 'cap_drop', 'pod_security_context', 'pod_annotations', 'volumes',
  'init_permissions_container_security_context', 'build_container_security_context',
  'helper_container_security_context', 'service_container_security_context',
];
/** Keys that change no field Pod Security looks at (resources, images, placement, DNS, timing). */
const IRRELEVANT_KEYS = [
  'namespace', 'image', 'helper_image', 'helper_image_flavor', 'pull_policy', 'allowed_images', 'allowed_services',
  'allowed_pull_policies', 'image_pull_secrets', 'service_account', 'service_account_overwrite_allowed',
  'automount_service_account_token', 'node_selector', 'node_tolerations', 'affinity', 'priority_class_name', 'dns_policy',
  'dns_config', 'pod_labels', 'host_aliases', 'poll_interval', 'poll_timeout', 'pod_termination_grace_period_seconds',
  'cleanup_grace_period_seconds', 'cleanup_resources_timeout', 'print_pod_warning_events', 'scheduler_name',
];
const RESOURCE_KEY = /^(service_|helper_)?(cpu|memory|ephemeral_storage)_(limit|request)(_overwrite_max_allowed)?$/;

function jobPodKeys(k: any): string[] {
  return Object.keys(k).filter((key) => !MODELLED_KEYS.includes(key) && !IRRELEVANT_KEYS.includes(key) && !RESOURCE_KEY.test(key));
}

function jobPod(k: any): { spec: any; annotations: { [key: string]: string } } {
  const defaultCaps = (() => {
    const enabled = new Map<string, boolean>([['NET_RAW', false]]);
    for (const cap of k.cap_add ?? []) enabled.set(cap, true);
    for (const cap of k.cap_drop ?? []) enabled.set(cap, false);
    const add = [...enabled].filter(([, on]) => on).map(([cap]) => cap);
    const drop = [...enabled].filter(([, on]) => !on).map(([cap]) => cap);
    return { add: add.length ? add : undefined, drop: drop.length ? drop : undefined };
  })();
  const securityContext = (own: any = {}) => prune({
    capabilities: prune({ add: own.capabilities?.add ?? defaultCaps.add, drop: own.capabilities?.drop ?? defaultCaps.drop }),
    privileged: own.privileged ?? k.privileged,
    allowPrivilegeEscalation: own.allow_privilege_escalation ?? k.allow_privilege_escalation,
    runAsUser: own.run_as_user,
    runAsGroup: own.run_as_group,
    runAsNonRoot: own.run_as_non_root,
    readOnlyRootFilesystem: own.read_only_root_filesystem,
    procMount: own.proc_mount ? own.proc_mount.charAt(0).toUpperCase() + own.proc_mount.slice(1).toLowerCase() : undefined,
    seLinuxOptions: own.selinux_type ? { type: own.selinux_type } : undefined,
  });
  const p = k.pod_security_context ?? {};
  const v = k.volumes ?? {};
  const volumes = [
    ...['repo', 'scripts', 'logs'].map((name) => ({ name, emptyDir: {} })),
    ...(v.host_path ?? []).map((h: any) => ({ name: h.name, hostPath: { path: h.host_path ?? h.mount_path } })),
    ...(v.pvc ?? []).map((h: any) => ({ name: h.name, persistentVolumeClaim: { claimName: h.name, readOnly: h.read_only } })),
    ...(v.config_map ?? []).map((h: any) => ({ name: h.name, configMap: { name: h.name } })),
    ...(v.secret ?? []).map((h: any) => ({ name: h.name, secret: { secretName: h.name } })),
    ...(v.empty_dir ?? []).map((h: any) => ({ name: h.name, emptyDir: prune({ medium: h.medium, sizeLimit: h.size_limit }) })),
    ...(v.csi ?? []).map((h: any) => ({ name: h.name, csi: { driver: h.driver } })),
  ];
  const container = (name: string, own: any) => ({ name, image: name, securityContext: securityContext(own) });
  return {
    annotations: { ...k.pod_annotations },
    spec: prune({
      securityContext: prune({
        fsGroup: p.fs_group,
        runAsGroup: p.run_as_group,
        runAsNonRoot: p.run_as_non_root,
        runAsUser: p.run_as_user,
        supplementalGroups: p.supplemental_groups,
        seLinuxOptions: p.selinux_type ? { type: p.selinux_type } : undefined,
      }),
      initContainers: [container('init-permissions', k.init_permissions_container_security_context)],
      containers: [
        container('build', k.build_container_security_context),
        container('helper', k.helper_container_security_context),
        container('svc-0', k.service_container_security_context),
      ],
      volumes,
    }),
  };
}

/** Drops undefined fields (and returns undefined for an empty object), as Go's omitempty does. */
function prune(obj: { [key: string]: any }): any {
  const out = Object.fromEntries(Object.entries(obj).filter(([, value]) => value !== undefined));
  return Object.keys(out).length ? out : undefined;
}

describe('Pod Security: every pod the seeds\' environments cause to exist passes its namespace\'s level', () => {
  const WORKLOADS: { [env: string]: string[] } = {
    internal: ['DaemonSet gitlab-jobs/ci-image-prepuller', 'Deployment calculator/calculator'],
    public: ['Deployment calculator/calculator'],
    hybrid: ['DaemonSet gitlab-jobs/ci-image-prepuller', 'Deployment calculator/calculator'],
  };

  test('the environments are the three seeds', () => {
    expect(ENVS).toEqual(Object.keys(WORKLOADS));
  });

  test.each(ENVS)('%s: the manifests\' pods pass their namespace\'s level, and restricted', (env) => {
    // GIVEN every object with a pod template in the environment's manifests
    const objects = manifests(env);
    const workloads = objects.filter((o) => podSpecOf(o) !== undefined);
    expect(manifestFiles(env)).toEqual(expect.arrayContaining([`${env}/platform/${env}.k8s.yaml`, `${env}/app/${env}-calculator.k8s.yaml`]));
    expect(workloads.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(WORKLOADS[env]);
    for (const obj of workloads) {
      const where = `${env}: ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`;
      // WHEN
      const level = enforcedLevel(objects, obj.metadata.namespace);
      const atLevel = checkPodSecurity(level, podSpecOf(obj), where, podAnnotationsOf(obj));
      const restricted = checkPodSecurity('restricted', podSpecOf(obj), where, podAnnotationsOf(obj));
      // THEN
      expect(atLevel).toEqual([]);
      expect(restricted).toEqual([]);
    }
  });

  test.each(ENVS)('%s: the app\'s namespace enforces restricted', (env) => {
    expect(enforcedLevel(manifests(env), stackOf(env).app!.namespace)).toBe('restricted');
  });

  test.each(ENVS)('%s: the manager pod the chart renders from the values passes restricted, its namespace\'s level', (env) => {
    // GIVEN
    const runner = stackOf(env).runner;
    const v = values(env);
    expect(managerValuesKeys(v)).toEqual([]);
    const { spec, annotations } = managerPod(v, runner.fullname);
    // WHEN
    const level = enforcedLevel(manifests(env), runner.namespace);
    const result = checkPodSecurity(level, spec, `${env}: manager pod ${runner.namespace}/${runner.fullname}`, annotations);
    // THEN
    expect(level).toBe('restricted');
    expect(result).toEqual([]);
  });

  test.each(ENVS)('%s: the job pod the runner builds from config.toml passes its namespace\'s level, which could not be stricter', (env) => {
    // GIVEN the runner's [runners.kubernetes], every key of which the model covers
    const runner = stackOf(env).runner;
    const k = runnerKubernetes(env);
    expect(jobPodKeys(k)).toEqual([]);
    const { spec, annotations } = jobPod(k);
    // WHEN
    const level = enforcedLevel(manifests(env), k.namespace);
    const result = checkPodSecurity(level, spec, `${env}: job pod in ${k.namespace}`, annotations);
    const baseline = checkPodSecurity('baseline', spec, undefined, annotations);
    // THEN the DinD seeds' job pods are privileged, in a privileged namespace, and nothing else keeps them from baseline
    expect(k.namespace).toBe(runner.jobNamespace);
    expect(level).toBe(runner.jobNamespacePodSecurity);
    expect(level).toBe('privileged');
    expect(result).toEqual([]);
    expect(baseline).toEqual([
      'baseline: Privileged Containers: containers "init-permissions", "build", "helper", "svc-0" must not set securityContext.privileged=true',
    ]);
  });
});

describe('the job pod model', () => {
  test('follows the runner\'s rules for capabilities, fallbacks, volumes and annotations', () => {
    // GIVEN a [runners.kubernetes] table with every key the model reads
    const k = {
      privileged: false,
      allow_privilege_escalation: true,
      cap_add: ['SYS_TIME', 'NET_RAW'],
      cap_drop: ['SYS_TIME', 'MKNOD'],
      pod_security_context: { run_as_non_root: true, run_as_user: 1000, run_as_group: 1000, fs_group: 1000, supplemental_groups: [5], selinux_type: 'container_t' },
      build_container_security_context: { capabilities: { add: ['NET_BIND_SERVICE'] }, privileged: true, proc_mount: 'unmasked' },
      helper_container_security_context: { allow_privilege_escalation: false, run_as_user: 0, run_as_non_root: false, selinux_type: 'spc_t' },
      service_container_security_context: { capabilities: { drop: ['ALL'] }, read_only_root_filesystem: true, run_as_group: 3 },
      pod_annotations: { 'container.apparmor.security.beta.kubernetes.io/build': 'unconfined' },
      volumes: {
        host_path: [{ name: 'sock', mount_path: '/var/run/docker.sock', host_path: '/var/run/docker.sock' }, { name: 'same', mount_path: '/srv' }],
        pvc: [{ name: 'claim', mount_path: '/data' }],
        config_map: [{ name: 'cm', mount_path: '/cm' }],
        secret: [{ name: 'sec', mount_path: '/sec' }],
        empty_dir: [{ name: 'cache', mount_path: '/cache', medium: 'Memory' }],
      },
    };
    // WHEN
    const { spec, annotations } = jobPod(k);
    const byName = Object.fromEntries([...spec.initContainers, ...spec.containers].map((c: any) => [c.name, c.securityContext]));
    // THEN NET_RAW is dropped by default, cap_add adds, cap_drop wins; a container's own list replaces the runner's
    const runnerCaps = { add: ['NET_RAW'], drop: ['SYS_TIME', 'MKNOD'] };
    expect(byName).toEqual({
      'init-permissions': { capabilities: runnerCaps, privileged: false, allowPrivilegeEscalation: true },
      'build': { capabilities: { add: ['NET_BIND_SERVICE'], drop: runnerCaps.drop }, privileged: true, allowPrivilegeEscalation: true, procMount: 'Unmasked' },
      'helper': {
        capabilities: runnerCaps, privileged: false, allowPrivilegeEscalation: false, runAsUser: 0, runAsNonRoot: false,
        seLinuxOptions: { type: 'spc_t' },
      },
      'svc-0': { capabilities: { add: runnerCaps.add, drop: ['ALL'] }, privileged: false, allowPrivilegeEscalation: true, runAsGroup: 3, readOnlyRootFilesystem: true },
    });
    expect(spec.securityContext).toEqual({
      fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, supplementalGroups: [5], seLinuxOptions: { type: 'container_t' },
    });
    expect(spec.volumes).toEqual([
      { name: 'repo', emptyDir: {} }, { name: 'scripts', emptyDir: {} }, { name: 'logs', emptyDir: {} },
      { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }, { name: 'same', hostPath: { path: '/srv' } },
      { name: 'claim', persistentVolumeClaim: { claimName: 'claim' } },
      { name: 'cm', configMap: { name: 'cm' } }, { name: 'sec', secret: { secretName: 'sec' } },
      { name: 'cache', emptyDir: { medium: 'Memory' } },
    ]);
    expect(jobPodKeys(k)).toEqual([]);
    expect(jobPodKeys({ ...k, runtime_class_name: 'gvisor', pod_annotations_overwrite_allowed: '.*' }))
      .toEqual(['runtime_class_name', 'pod_annotations_overwrite_allowed']);
    // ... and the checker sees every one of those settings
    expect(rules(checkPodSecurity('baseline', spec, undefined, annotations))).toEqual([
      'baseline: Privileged Containers', 'baseline: Capabilities', 'baseline: HostPath Volumes', 'baseline: AppArmor',
      'baseline: SELinux', 'baseline: /proc Mount Type',
    ]);
  });
});

describe('Pod Security: the job namespace level the library chooses for each security profile', () => {
  /** A runner in a test chart, its job pod modelled from its config.toml, and the level of its jobs' Namespace. */
  function jobsOf(profile: JobSecurityProfile, props: Partial<RunnerManagerProps> = {}, policy: JobPodPolicyOptions = {}) {
    const chart = Testing.chart();
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      jobPodPolicy: new JobPodPolicy(chart, 'Jobs', { ...policy, securityProfile: profile }),
      ...props,
    });
    const objects = Testing.synth(chart);
    const k = (TOML.parse(runner.configToml) as any).runners[0].kubernetes;
    expect(jobPodKeys(k)).toEqual([]);
    return { runner, k, ...jobPod(k), level: enforcedLevel(objects, runner.jobNamespace) };
  }

  test.each([
    // profile, what keeps it from restricted
    ['rootBuilder', JobSecurityProfile.rootBuilder(), ['restricted: Running as Non-root', 'restricted: Seccomp', 'restricted: Capabilities']],
    ['nonRoot', JobSecurityProfile.nonRoot(), ['restricted: Seccomp']],
  ])('%s: the job pod passes baseline, the level its namespace gets', (_name, profile, notRestricted) => {
    // GIVEN
    const { runner, spec, annotations, level } = jobsOf(profile);
    // WHEN
    const result = checkPodSecurity(level, spec, `job pod in ${runner.jobNamespace}`, annotations);
    const restricted = rules(checkPodSecurity('restricted', spec, undefined, annotations));
    // THEN baseline, and not restricted: at least for the seccomp profile config.toml cannot set
    expect(level).toBe('baseline');
    expect(runner.jobNamespacePodSecurity).toBe('baseline');
    expect(result).toEqual([]);
    expect(restricted).toEqual(notRestricted);
  });

  test('nonRoot: the modelled pod is non-root, with every capability dropped and no escalation', () => {
    // GIVEN
    const { spec } = jobsOf(JobSecurityProfile.nonRoot({ runAsUser: 1234 }));
    // THEN the model read the profile's tables (a model that ignored them would pass baseline too)
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1000, fsGroup: 1000 });
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.securityContext).toEqual({ capabilities: { drop: ['ALL'] }, privileged: false, allowPrivilegeEscalation: false, runAsNonRoot: true });
    }
  });

  test('privileged: the job pod fails baseline, so its namespace must be privileged', () => {
    // GIVEN
    const { runner, spec, annotations, level } = jobsOf(JobSecurityProfile.privileged());
    // WHEN
    const baseline = rules(checkPodSecurity('baseline', spec, undefined, annotations));
    // THEN
    expect(baseline).toEqual(['baseline: Privileged Containers']);
    expect(level).toBe('privileged');
    expect(runner.jobNamespacePodSecurity).toBe('privileged');
    expect(checkPodSecurity(level, spec, undefined, annotations)).toEqual([]);
  });

  test('job volumes of allowed types keep the job pod at baseline', () => {
    // GIVEN
    const { spec, annotations, level } = jobsOf(JobSecurityProfile.rootBuilder(), {}, {
      volumes: [JobVolume.emptyDir('cache', { mountPath: '/cache' })],
    });
    // WHEN / THEN
    expect(spec.volumes.map((vol: any) => vol.name)).toContain('cache');
    expect(checkPodSecurity(level, spec, undefined, annotations)).toEqual([]);
  });

  // Relaxations that baseline forbids move the jobs' namespace to privileged, so job pods are admitted.
  test('hostPath job volumes (allowHostPathVolumes) make the jobs\' namespace privileged, so job pods pass', () => {
    // GIVEN
    const { spec, annotations, level } = jobsOf(JobSecurityProfile.rootBuilder(), {}, {
      allowHostPathVolumes: true,
      volumes: [JobVolume.hostPath('docker-sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' })],
    });
    // WHEN
    const result = checkPodSecurity(level, spec, undefined, annotations);
    // THEN
    expect(level).toBe('privileged');
    expect(result).toEqual([]);
    expect(checkPodSecurity('baseline', spec, undefined, annotations)).toEqual([
      'baseline: HostPath Volumes: volume "docker-sock" must not use hostPath (path "/var/run/docker.sock")',
    ]);
  });

  test('an unconfined AppArmor pod annotation makes the jobs\' namespace privileged, so job pods pass', () => {
    // GIVEN
    const { spec, annotations, level } = jobsOf(JobSecurityProfile.nonRoot(), {}, {
      podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/build': 'unconfined' },
    });
    // WHEN
    const result = checkPodSecurity(level, spec, undefined, annotations);
    // THEN
    expect(level).toBe('privileged');
    expect(result).toEqual([]);
    expect(rules(checkPodSecurity('baseline', spec, undefined, annotations))).toEqual(['baseline: AppArmor']);
  });
});
