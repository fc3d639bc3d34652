import {
  BASELINE_CAPABILITIES, checkPodSecurity, POD_SECURITY_RULES, PodSecurityLevelName, podAnnotationsOf, podSpecOf, SAFE_SYSCTLS,
} from './pod-security';

type Level = PodSecurityLevelName;

/** `<level>: <control>` of each message, the part that names the rule. */
const rules = (messages: string[]) => messages.map((m) => {
  const match = /^(baseline|restricted): ([^:]+):/.exec(m);
  if (!match) throw new Error(`message without a rule: ${m}`);
  return `${match[1]}: ${match[2]}`;
});
const check = (level: Level, pod: any, annotations?: { [key: string]: string }) =>
  rules(checkPodSecurity(level, pod, undefined, annotations));

const hardened = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } as { add?: string[]; drop?: string[] } });

/** A pod that passes `restricted`: every allowed volume type, an init, a main and an ephemeral container. */
const compliant = (): any => ({
  securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: hardened() }],
  containers: [{
    name: 'app',
    image: 'app:1.0',
    ports: [{ name: 'http', containerPort: 8080 }],
    securityContext: { ...hardened(), readOnlyRootFilesystem: true },
  }],
  ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', securityContext: hardened() }],
  volumes: [
    { name: 'config', configMap: { name: 'app' } },
    { name: 'csi', csi: { driver: 'secrets-store.csi.k8s.io' } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    { name: 'tmp', emptyDir: { medium: 'Memory' } },
    { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
    { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
    { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
    { name: 'keys', secret: { secretName: 'keys' } },
  ],
});

/** The compliant pod with `change` applied to it. */
const breaking = (change: (pod: any) => void) => {
  const pod = compliant();
  change(pod);
  return pod;
};
const app = (pod: any) => pod.containers[0];

describe('checkPodSecurity', () => {
  test('a compliant restricted pod passes all three levels', () => {
    // GIVEN
    const pod = compliant();
    // WHEN
    const results = (['privileged', 'baseline', 'restricted'] as const).map((level) => checkPodSecurity(level, pod));
    // THEN
    expect(results).toEqual([[], [], []]);
  });

  test('a privileged Docker-in-Docker pod passes only privileged', () => {
    // GIVEN a job pod as a privileged runner makes it: root, privileged build and dind service, no seccomp
    const privileged = { privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: ['NET_RAW'] } };
    const pod = {
      initContainers: [{ name: 'init-permissions', image: 'helper', securityContext: privileged }],
      containers: [
        { name: 'build', image: 'docker:27.3.1', securityContext: privileged },
        { name: 'helper', image: 'helper', securityContext: privileged },
        { name: 'svc-0', image: 'docker:27.3.1-dind', securityContext: privileged },
      ],
      volumes: [{ name: 'repo', emptyDir: {} }],
    };
    // WHEN / THEN
    expect(check('privileged', pod)).toEqual([]);
    expect(check('baseline', pod)).toEqual(['baseline: Privileged Containers']);
    expect(check('restricted', pod)).toEqual([
      'baseline: Privileged Containers',
      'restricted: Privilege Escalation',
      'restricted: Running as Non-root',
      'restricted: Seccomp',
      'restricted: Capabilities',
    ]);
    expect(checkPodSecurity('baseline', pod)).toEqual([
      'baseline: Privileged Containers: containers "init-permissions", "build", "helper", "svc-0" must not set securityContext.privileged=true',
    ]);
  });

  // One row per way of breaking one control of the compliant pod: the control it breaks, and the one
  // reported at restricted (a restricted control replaces the baseline Capabilities, HostPath Volumes and Seccomp).
  const BROKEN: [string, string, string, (pod: any) => void, { [key: string]: string }?][] = [
    ['baseline: HostProcess', 'pod windowsOptions.hostProcess', 'baseline: HostProcess',
      (p) => { p.securityContext.windowsOptions = { hostProcess: true }; }],
    ['baseline: HostProcess', 'container windowsOptions.hostProcess', 'baseline: HostProcess',
      (p) => { app(p).securityContext.windowsOptions = { hostProcess: true }; }],
    ['baseline: Host Namespaces', 'hostNetwork', 'baseline: Host Namespaces', (p) => { p.hostNetwork = true; }],
    ['baseline: Host Namespaces', 'hostPID', 'baseline: Host Namespaces', (p) => { p.hostPID = true; }],
    ['baseline: Host Namespaces', 'hostIPC', 'baseline: Host Namespaces', (p) => { p.hostIPC = true; }],
    ['baseline: Privileged Containers', 'a privileged container', 'baseline: Privileged Containers',
      (p) => { app(p).securityContext.privileged = true; }],
    ['baseline: Privileged Containers', 'a privileged init container', 'baseline: Privileged Containers',
      (p) => { p.initContainers[0].securityContext.privileged = true; }],
    ['baseline: Privileged Containers', 'a privileged ephemeral container', 'baseline: Privileged Containers',
      (p) => { p.ephemeralContainers[0].securityContext.privileged = true; }],
    ['baseline: Capabilities', 'add SYS_ADMIN', 'restricted: Capabilities',
      (p) => { app(p).securityContext.capabilities.add = ['SYS_ADMIN']; }],
    ['baseline: Capabilities', 'add NET_RAW (not in the default set)', 'restricted: Capabilities',
      (p) => { app(p).securityContext.capabilities.add = ['NET_RAW']; }],
    ['baseline: HostPath Volumes', 'a hostPath volume', 'restricted: Volume Types',
      (p) => { p.volumes.push({ name: 'host', hostPath: { path: '/etc/localtime', type: 'File' } }); }],
    ['baseline: Host Ports', 'hostPort 8080', 'baseline: Host Ports', (p) => { app(p).ports[0].hostPort = 8080; }],
    ['baseline: Host Ports', 'hostPort on an init container', 'baseline: Host Ports',
      (p) => { p.initContainers[0].ports = [{ containerPort: 53, hostPort: 53 }]; }],
    ['baseline: AppArmor', 'unconfined', 'baseline: AppArmor', () => undefined,
      { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }],
    ['baseline: SELinux', 'pod type spc_t', 'baseline: SELinux', (p) => { p.securityContext.seLinuxOptions = { type: 'spc_t' }; }],
    ['baseline: SELinux', 'container type spc_t', 'baseline: SELinux', (p) => { app(p).securityContext.seLinuxOptions = { type: 'spc_t' }; }],
    ['baseline: SELinux', 'user set', 'baseline: SELinux', (p) => { app(p).securityContext.seLinuxOptions = { user: 'system_u' }; }],
    ['baseline: SELinux', 'role set', 'baseline: SELinux', (p) => { p.securityContext.seLinuxOptions = { role: 'system_r' }; }],
    ['baseline: /proc Mount Type', 'procMount Unmasked', 'baseline: /proc Mount Type',
      (p) => { app(p).securityContext.procMount = 'Unmasked'; }],
    ['baseline: Seccomp', 'pod Unconfined', 'restricted: Seccomp',
      (p) => { p.securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['baseline: Seccomp', 'container Unconfined', 'restricted: Seccomp',
      (p) => { app(p).securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['baseline: Sysctls', 'kernel.msgmax', 'baseline: Sysctls',
      (p) => { p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; }],
    ['baseline: Sysctls', 'net.ipv4.tcp_keepalive_time (safe only from v1.29)', 'baseline: Sysctls',
      (p) => { p.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }]; }],
    ['restricted: Volume Types', 'nfs', 'restricted: Volume Types',
      (p) => { p.volumes.push({ name: 'share', nfs: { server: 'nfs.example.com', path: '/share' } }); }],
    ['restricted: Volume Types', 'gitRepo', 'restricted: Volume Types',
      (p) => { p.volumes.push({ name: 'src', gitRepo: { repository: 'https://example.com/repo.git' } }); }],
    ['restricted: Volume Types', 'a volume without a source', 'restricted: Volume Types', (p) => { p.volumes.push({ name: 'odd' }); }],
    ['restricted: Privilege Escalation', 'allowPrivilegeEscalation true', 'restricted: Privilege Escalation',
      (p) => { app(p).securityContext.allowPrivilegeEscalation = true; }],
    ['restricted: Privilege Escalation', 'allowPrivilegeEscalation unset on the init container', 'restricted: Privilege Escalation',
      (p) => { delete p.initContainers[0].securityContext.allowPrivilegeEscalation; }],
    ['restricted: Privilege Escalation', 'allowPrivilegeEscalation unset on the ephemeral container', 'restricted: Privilege Escalation',
      (p) => { delete p.ephemeralContainers[0].securityContext.allowPrivilegeEscalation; }],
    ['restricted: Running as Non-root', 'pod runAsNonRoot false', 'restricted: Running as Non-root',
      (p) => { p.securityContext.runAsNonRoot = false; }],
    ['restricted: Running as Non-root', 'container runAsNonRoot false under a pod-level true', 'restricted: Running as Non-root',
      (p) => { app(p).securityContext.runAsNonRoot = false; }],
    ['restricted: Running as Non-root', 'pod unset, set on every container but one', 'restricted: Running as Non-root', (p) => {
      delete p.securityContext.runAsNonRoot;
      p.initContainers[0].securityContext.runAsNonRoot = true;
      app(p).securityContext.runAsNonRoot = true;
    }],
    ['restricted: Running as Non-root user', 'pod runAsUser 0', 'restricted: Running as Non-root user',
      (p) => { p.securityContext.runAsUser = 0; }],
    ['restricted: Running as Non-root user', 'container runAsUser 0', 'restricted: Running as Non-root user',
      (p) => { app(p).securityContext.runAsUser = 0; }],
    ['restricted: Seccomp', 'no seccomp profile anywhere', 'restricted: Seccomp', (p) => { delete p.securityContext.seccompProfile; }],
    ['restricted: Seccomp', 'pod unset, set on every container but one', 'restricted: Seccomp', (p) => {
      delete p.securityContext.seccompProfile;
      p.initContainers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
      app(p).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' };
    }],
    ['restricted: Capabilities', 'drop without ALL', 'restricted: Capabilities',
      (p) => { app(p).securityContext.capabilities.drop = ['NET_RAW']; }],
    ['restricted: Capabilities', 'no capabilities on the init container', 'restricted: Capabilities',
      (p) => { delete p.initContainers[0].securityContext.capabilities; }],
    ['restricted: Capabilities', 'add CHOWN (a baseline default)', 'restricted: Capabilities',
      (p) => { app(p).securityContext.capabilities.add = ['CHOWN']; }],
  ];

  // Rows padded to the same length: Jest reads a callback with more parameters than a row as done-style.
  test.each(BROKEN.map(([r, how, at, change, a]) => [r, how, at, change, a ?? {}] as const))('%s: %s is the only violation, at its level and above', (rule, _how, atRestricted, change, annotations) => {
    // GIVEN the compliant pod with exactly this control broken
    const pod = breaking(change);
    const level = rule.split(':')[0] as Level;
    // WHEN
    const atLevel = check(level, pod, annotations);
    const restricted = check('restricted', pod, annotations);
    const privileged = check('privileged', pod, annotations);
    // THEN
    expect(atLevel).toEqual([rule]);
    expect(restricted).toEqual([atRestricted]);
    expect(privileged).toEqual([]);
    if (level === 'restricted') expect(check('baseline', pod, annotations)).toEqual([]);
  });

  test('every control has at least one failing case', () => {
    // GIVEN the controls the checker implements
    const all = POD_SECURITY_RULES.map((r) => `${r.level}: ${r.name}`);
    // WHEN
    const covered = new Set(BROKEN.map(([rule]) => rule));
    // THEN
    expect(all.filter((r) => !covered.has(r))).toEqual([]);
    expect(all).toHaveLength(17);
  });

  const PASSING: [string, (pod: any) => void, { [key: string]: string }?][] = [
    ['runAsNonRoot at pod level only', () => undefined],
    ['runAsNonRoot on every container, not on the pod', (p) => {
      delete p.securityContext.runAsNonRoot;
      for (const c of [...p.initContainers, ...p.containers, ...p.ephemeralContainers]) c.securityContext.runAsNonRoot = true;
    }],
    ['seccomp on every container, not on the pod', (p) => {
      delete p.securityContext.seccompProfile;
      for (const c of [...p.initContainers, ...p.containers, ...p.ephemeralContainers]) c.securityContext.seccompProfile = { type: 'RuntimeDefault' };
    }],
    ['a Localhost seccomp profile on the pod', (p) => { p.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }; }],
    ['capability add NET_BIND_SERVICE', (p) => { app(p).securityContext.capabilities.add = ['NET_BIND_SERVICE']; }],
    ['hostPort 0', (p) => { app(p).ports[0].hostPort = 0; }],
    ['hostNetwork, hostPID and hostIPC false', (p) => Object.assign(p, { hostNetwork: false, hostPID: false, hostIPC: false })],
    ['privileged false, hostProcess false', (p) => {
      app(p).securityContext.privileged = false;
      p.securityContext.windowsOptions = { hostProcess: false };
    }],
    ['SELinux type container_t, container_init_t and container_kvm_t, with a level', (p) => {
      p.securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' };
      app(p).securityContext.seLinuxOptions = { type: 'container_init_t' };
      p.initContainers[0].securityContext.seLinuxOptions = { type: 'container_kvm_t' };
    }],
    ['procMount Default', (p) => { app(p).securityContext.procMount = 'Default'; }],
    ['every safe sysctl of v1.28', (p) => { p.securityContext.sysctls = SAFE_SYSCTLS.map((name) => ({ name, value: '1' })); }],
    ['AppArmor runtime/default and localhost/*', () => undefined, {
      'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/init': 'localhost/k8s-apparmor-example',
      'example.com/unrelated': 'unconfined',
    }],
    ['runAsUser 0 for the group only (runAsGroup 0 is allowed)', (p) => { p.securityContext.runAsGroup = 0; }],
  ];

  test.each(PASSING.map(([what, change, a]) => [what, change, a ?? {}] as const))('restricted allows %s', (_what, change, annotations) => {
    // GIVEN
    const pod = breaking(change);
    // WHEN
    const result = checkPodSecurity('restricted', pod, undefined, annotations);
    // THEN
    expect(result).toEqual([]);
  });

  test('baseline allows adding any of the default capabilities, restricted only NET_BIND_SERVICE', () => {
    // GIVEN
    const pod = breaking((p) => { app(p).securityContext.capabilities.add = [...BASELINE_CAPABILITIES]; });
    // WHEN / THEN
    expect(check('baseline', pod)).toEqual([]);
    expect(checkPodSecurity('restricted', pod)).toEqual([
      `restricted: Capabilities: container "app" must not add capabilities other than "NET_BIND_SERVICE" (got ${
        JSON.stringify(BASELINE_CAPABILITIES.filter((c) => c !== 'NET_BIND_SERVICE'))})`,
    ]);
  });

  test('the default pod (no security settings at all) passes baseline but not restricted', () => {
    // GIVEN
    const pod = { containers: [{ name: 'app', image: 'app:1.0' }] };
    // WHEN / THEN
    expect(check('baseline', pod)).toEqual([]);
    expect(checkPodSecurity('restricted', pod)).toEqual([
      'restricted: Privilege Escalation: container "app" must set securityContext.allowPrivilegeEscalation=false (got unset)',
      'restricted: Running as Non-root: pod or container "app" must set securityContext.runAsNonRoot=true (unset on both)',
      'restricted: Seccomp: pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost" (unset on both)',
      'restricted: Capabilities: container "app" must set securityContext.capabilities.drop=["ALL"] (got unset)',
    ]);
  });

  test('windows pods are exempt from the restricted Privilege Escalation, Seccomp and Capabilities controls', () => {
    // GIVEN a pod with none of the three, once for Linux and once for Windows
    const linux = { securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'app:1.0' }] };
    const windows = { ...linux, os: { name: 'windows' } };
    // WHEN / THEN
    expect(check('restricted', linux)).toEqual(['restricted: Privilege Escalation', 'restricted: Seccomp', 'restricted: Capabilities']);
    expect(check('restricted', windows)).toEqual([]);
  });

  test('messages name the control, the containers and the values, after an optional location', () => {
    // GIVEN
    const pod = breaking((p) => {
      p.hostPID = true;
      app(p).securityContext.allowPrivilegeEscalation = true;
      delete p.initContainers[0].securityContext.allowPrivilegeEscalation;
      p.volumes.push({ name: 'host', hostPath: { path: '/var/run/docker.sock' } });
      p.securityContext.runAsNonRoot = false;
      app(p).securityContext.runAsNonRoot = false;
      delete p.ephemeralContainers[0].securityContext.seccompProfile;
      p.ephemeralContainers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    });
    // WHEN
    const baseline = checkPodSecurity('baseline', pod, 'Pod ci/job');
    const restricted = checkPodSecurity('restricted', pod);
    // THEN
    expect(baseline).toEqual([
      'Pod ci/job: baseline: Host Namespaces: pod must not set hostPID=true',
      'Pod ci/job: baseline: HostPath Volumes: volume "host" must not use hostPath (path "/var/run/docker.sock")',
      'Pod ci/job: baseline: Seccomp: container "debug" must not set securityContext.seccompProfile.type="Unconfined"',
    ]);
    expect(restricted).toEqual([
      'baseline: Host Namespaces: pod must not set hostPID=true',
      'restricted: Volume Types: volume "host" must not use restricted volume type hostPath',
      'restricted: Privilege Escalation: container "init" must set securityContext.allowPrivilegeEscalation=false (got unset); '
        + 'container "app" must set securityContext.allowPrivilegeEscalation=false (got true)',
      'restricted: Running as Non-root: pod must not set securityContext.runAsNonRoot=false; '
        + 'container "app" must not set securityContext.runAsNonRoot=false; '
        + 'pod or containers "init", "debug" must set securityContext.runAsNonRoot=true (unset on both)',
      'restricted: Seccomp: container "debug" must not set securityContext.seccompProfile.type="Unconfined"',
    ]);
  });

  test('the AppArmor control reads the pod\'s annotations', () => {
    // GIVEN
    const annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    // WHEN / THEN
    expect(checkPodSecurity('baseline', compliant(), undefined, annotations)).toEqual([
      'baseline: AppArmor: annotation container.apparmor.security.beta.kubernetes.io/app must be "runtime/default" or "localhost/<profile>" (got "unconfined")',
    ]);
    expect(checkPodSecurity('baseline', compliant())).toEqual([]);
  });

  test('bad input is an error, not a pass', () => {
    expect(() => checkPodSecurity('strict' as Level, compliant())).toThrow(/unknown Pod Security level "strict"/);
    expect(() => checkPodSecurity('baseline', undefined)).toThrow(/not a pod spec/);
  });
});

describe('podSpecOf and podAnnotationsOf', () => {
  const spec = { containers: [{ name: 'app', image: 'app:1.0' }] };
  const template = { metadata: { annotations: { a: 'b' } }, spec };

  test.each([
    ['Pod', { kind: 'Pod', metadata: { annotations: { a: 'b' } }, spec }],
    ['Deployment', { kind: 'Deployment', spec: { template } }],
    ['DaemonSet', { kind: 'DaemonSet', spec: { template } }],
    ['StatefulSet', { kind: 'StatefulSet', spec: { template } }],
    ['ReplicaSet', { kind: 'ReplicaSet', spec: { template } }],
    ['ReplicationController', { kind: 'ReplicationController', spec: { template } }],
    ['Job', { kind: 'Job', spec: { template } }],
    ['CronJob', { kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } }],
    ['PodTemplate', { kind: 'PodTemplate', template }],
  ])('find the pod of a %s', (_kind, obj) => {
    // WHEN / THEN
    expect(podSpecOf(obj)).toBe(spec);
    expect(podAnnotationsOf(obj)).toEqual({ a: 'b' });
  });

  test.each([
    ['Service', { kind: 'Service', spec: { ports: [] } }],
    ['Namespace', { kind: 'Namespace', metadata: { name: 'ci' } }],
    ['ConfigMap', { kind: 'ConfigMap', data: {} }],
    ['nothing', undefined],
  ])('find no pod in a %s', (_kind, obj) => {
    expect(podSpecOf(obj)).toBeUndefined();
    expect(podAnnotationsOf(obj)).toEqual({});
  });
});
