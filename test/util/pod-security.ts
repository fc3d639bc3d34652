// A checker for the Kubernetes v1.28 Pod Security Standards, as Pod Security Admission enforces them
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/, and the admission plugin's
// checks in k8s.io/pod-security-admission/policy at v1.28). Pure functions over plain JSON objects
// (synthesized manifests, or pod specs modelled from Helm values and config.toml): no cluster needed.
//
// Semantics follow the admission plugin, not only the documentation's tables:
// - "containers" are containers, initContainers and ephemeralContainers;
// - `privileged` passes everything; `baseline` runs the baseline controls; `restricted` runs the
//   baseline controls plus the restricted ones, where three restricted controls replace a baseline
//   one as the plugin does (Volume Types replaces HostPath Volumes, and the restricted Seccomp and
//   Capabilities replace the baseline ones): a violation is reported once, under the stricter rule;
// - pods with `spec.os.name: windows` are exempt from the restricted Privilege Escalation, Seccomp
//   and Capabilities controls (since v1.25);
// - AppArmor is, in v1.28, the annotation `container.apparmor.security.beta.kubernetes.io/<container>`
//   on the pod's metadata. A pod spec does not carry it, so `checkPodSecurity` takes the pod's
//   annotations as an optional fourth argument (`podAnnotationsOf(obj)` reads them from an object);
//   without it the AppArmor control sees no annotation and passes.
// Out of scope: the pre-1.19 seccomp annotations, versions other than v1.28 (later versions add
// sysctls, the appArmorProfile field, user-namespace relaxations and the image volume type), and
// exemptions configured on the admission plugin (users, runtime classes, namespaces).

/** A Pod Security Standards level. */
export type PodSecurityLevelName = 'privileged' | 'baseline' | 'restricted';

/** A control of the standard, as `<level>: <name>` appears at the start of every message. */
export interface PodSecurityRule {
  readonly level: 'baseline' | 'restricted';
  readonly name: string;
}

/** Capabilities a baseline container may add (the container runtime's default set). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** The safe sysctls of v1.28: the v1.0 set plus `net.ipv4.ip_local_reserved_ports` (v1.27). */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
];

/** SELinux types a baseline pod may use; user and role may not be set at all. */
export const ALLOWED_SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** Volume sources a restricted pod may use. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const LEVELS: readonly PodSecurityLevelName[] = ['privileged', 'baseline', 'restricted'];

/** Kinds whose pod template is `spec.template`. */
const TEMPLATE_KINDS = ['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job'];

/**
 * The pod spec of a Pod (`spec`), a Deployment, DaemonSet, StatefulSet, ReplicaSet,
 * ReplicationController or Job (`spec.template.spec`), a CronJob
 * (`spec.jobTemplate.spec.template.spec`) or a PodTemplate (`template.spec`); undefined for any
 * other object.
 */
export function podSpecOf(obj: any): any | undefined {
  return podTemplateOf(obj)?.spec;
}

/** The annotations of the pod an object makes (where AppArmor profiles live in v1.28), or `{}`. */
export function podAnnotationsOf(obj: any): { [key: string]: string } {
  return podTemplateOf(obj)?.metadata?.annotations ?? {};
}

function podTemplateOf(obj: any): { metadata?: any; spec?: any } | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  if (obj.kind === 'Pod') return obj;
  if (TEMPLATE_KINDS.includes(obj.kind)) return obj.spec?.template;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  if (obj.kind === 'PodTemplate') return obj.template;
  return undefined;
}

/**
 * Checks `podSpec` against `level` of the v1.28 Pod Security Standards and returns one message per
 * violated control, `[]` when the pod passes. Each message reads
 * `[<where>: ]<level of the control>: <control>: <what, naming the pod or containers and the values>`,
 * e.g. `restricted: Privilege Escalation: container "app" must set securityContext.allowPrivilegeEscalation=false (got unset)`.
 *
 * @param level the level enforced (`privileged` allows everything)
 * @param podSpec a Pod's `spec` (see `podSpecOf`)
 * @param where prefixed to every message, e.g. `DaemonSet gitlab-jobs/ci-image-prepuller`
 * @param annotations the pod's annotations, for the AppArmor control (see `podAnnotationsOf`)
 */
export function checkPodSecurity(
  level: PodSecurityLevelName,
  podSpec: any,
  where?: string,
  annotations: { [key: string]: string } = {},
): string[] {
  if (!LEVELS.includes(level)) throw new Error(`unknown Pod Security level ${JSON.stringify(level)}; expected one of ${LEVELS.join(', ')}`);
  if (!podSpec || typeof podSpec !== 'object') throw new Error(`not a pod spec: ${JSON.stringify(podSpec)}`);
  if (level === 'privileged') return [];

  const pod = new PodView(podSpec, annotations ?? {});
  return CHECKS
    .filter((c) => (c.level === 'baseline' ? !(level === 'restricted' && c.replacedAtRestricted) : level === 'restricted'))
    .map((c) => ({ c, problems: c.run(pod) }))
    .filter(({ problems }) => problems.length > 0)
    .map(({ c, problems }) => `${where ? `${where}: ` : ''}${c.level}: ${c.name}: ${problems.join('; ')}`);
}

interface Check extends PodSecurityRule {
  /** A baseline control that a restricted control of the same concern replaces at `restricted`. */
  readonly replacedAtRestricted?: boolean;
  readonly run: (pod: PodView) => string[];
}

/** The controls, in the order of the standard's tables. */
const CHECKS: readonly Check[] = [
  { level: 'baseline', name: 'HostProcess', run: hostProcess },
  { level: 'baseline', name: 'Host Namespaces', run: hostNamespaces },
  { level: 'baseline', name: 'Privileged Containers', run: privilegedContainers },
  { level: 'baseline', name: 'Capabilities', run: baselineCapabilities, replacedAtRestricted: true },
  { level: 'baseline', name: 'HostPath Volumes', run: hostPathVolumes, replacedAtRestricted: true },
  { level: 'baseline', name: 'Host Ports', run: hostPorts },
  { level: 'baseline', name: 'AppArmor', run: appArmor },
  { level: 'baseline', name: 'SELinux', run: seLinux },
  { level: 'baseline', name: '/proc Mount Type', run: procMount },
  { level: 'baseline', name: 'Seccomp', run: baselineSeccomp, replacedAtRestricted: true },
  { level: 'baseline', name: 'Sysctls', run: sysctls },
  { level: 'restricted', name: 'Volume Types', run: volumeTypes },
  { level: 'restricted', name: 'Privilege Escalation', run: privilegeEscalation },
  { level: 'restricted', name: 'Running as Non-root', run: runAsNonRoot },
  { level: 'restricted', name: 'Running as Non-root user', run: runAsNonRootUser },
  { level: 'restricted', name: 'Seccomp', run: restrictedSeccomp },
  { level: 'restricted', name: 'Capabilities', run: restrictedCapabilities },
];

/**
 * Every control implemented, in the order of the standard's tables; at `restricted` the baseline
 * Capabilities, HostPath Volumes and Seccomp controls give way to their restricted counterparts.
 */
export const POD_SECURITY_RULES: readonly PodSecurityRule[] = CHECKS.map(({ level, name }) => ({ level, name }));

interface Container {
  readonly name: string;
  readonly sc: any;
  readonly raw: any;
}

/** A read-only view of a pod spec that tolerates missing fields. */
class PodView {
  public readonly sc: any;
  public readonly containers: Container[];
  public readonly volumes: any[];
  public readonly windows: boolean;

  constructor(public readonly spec: any, public readonly annotations: { [key: string]: string }) {
    this.sc = spec.securityContext ?? {};
    this.containers = [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []]
      .map((c: any) => ({ name: String(c?.name), sc: c?.securityContext ?? {}, raw: c ?? {} }));
    this.volumes = spec.volumes ?? [];
    this.windows = spec.os?.name === 'windows';
  }
}

const q = (value: unknown) => JSON.stringify(value);
const names = (cs: readonly Container[]) => cs.map((c) => q(c.name)).join(', ');
const containerWord = (n: number) => (n === 1 ? 'container' : 'containers');
/** `container "a"` / `containers "a", "b"`. */
const those = (cs: readonly Container[]) => `${containerWord(cs.length)} ${names(cs)}`;
const got = (value: unknown) => (value === undefined ? 'unset' : q(value));

function hostProcess(pod: PodView): string[] {
  const out: string[] = [];
  if (pod.sc.windowsOptions?.hostProcess === true) out.push('pod must not set securityContext.windowsOptions.hostProcess=true');
  const bad = pod.containers.filter((c) => c.sc.windowsOptions?.hostProcess === true);
  if (bad.length) out.push(`${those(bad)} must not set securityContext.windowsOptions.hostProcess=true`);
  return out;
}

function hostNamespaces(pod: PodView): string[] {
  const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec[f] === true);
  return set.length ? [`pod must not set ${set.map((f) => `${f}=true`).join(', ')}`] : [];
}

function privilegedContainers(pod: PodView): string[] {
  const bad = pod.containers.filter((c) => c.sc.privileged === true);
  return bad.length ? [`${those(bad)} must not set securityContext.privileged=true`] : [];
}

function baselineCapabilities(pod: PodView): string[] {
  return pod.containers.flatMap((c) => {
    const extra = (c.sc.capabilities?.add ?? []).filter((cap: string) => !BASELINE_CAPABILITIES.includes(cap));
    return extra.length ? [`container ${q(c.name)} must not add capabilities beyond the baseline set: securityContext.capabilities.add has ${q(extra)}`] : [];
  });
}

function hostPathVolumes(pod: PodView): string[] {
  const bad = pod.volumes.filter((v) => v?.hostPath);
  return bad.map((v) => `volume ${q(v.name)} must not use hostPath (path ${q(v.hostPath.path)})`);
}

function hostPorts(pod: PodView): string[] {
  return pod.containers.flatMap((c) => {
    const ports = (c.raw.ports ?? []).map((p: any) => p?.hostPort).filter((p: unknown) => p !== undefined && p !== null && p !== 0);
    return ports.length ? [`container ${q(c.name)} must not set ports[*].hostPort (got ${ports.join(', ')})`] : [];
  });
}

function appArmor(pod: PodView): string[] {
  return Object.entries(pod.annotations)
    .filter(([key]) => key.startsWith(APPARMOR_PREFIX))
    .filter(([, value]) => !(value === undefined || value === '' || value === 'runtime/default' || String(value).startsWith('localhost/')))
    .map(([key, value]) => `annotation ${key} must be "runtime/default" or "localhost/<profile>" (got ${q(value)})`);
}

function seLinux(pod: PodView): string[] {
  const problems = (who: string, options: any): string[] => {
    if (!options) return [];
    const out: string[] = [];
    if (!ALLOWED_SELINUX_TYPES.includes(options.type ?? '')) out.push(`${who} must not set seLinuxOptions.type=${q(options.type)}`);
    if (options.user) out.push(`${who} must not set seLinuxOptions.user=${q(options.user)}`);
    if (options.role) out.push(`${who} must not set seLinuxOptions.role=${q(options.role)}`);
    return out;
  };
  return [
    ...problems('pod', pod.sc.seLinuxOptions),
    ...pod.containers.flatMap((c) => problems(`container ${q(c.name)}`, c.sc.seLinuxOptions)),
  ];
}

function procMount(pod: PodView): string[] {
  return pod.containers
    .filter((c) => c.sc.procMount !== undefined && c.sc.procMount !== 'Default')
    .map((c) => `container ${q(c.name)} must not set securityContext.procMount=${q(c.sc.procMount)}`);
}

function baselineSeccomp(pod: PodView): string[] {
  const out: string[] = [];
  if (pod.sc.seccompProfile?.type === 'Unconfined') out.push('pod must not set securityContext.seccompProfile.type="Unconfined"');
  const bad = pod.containers.filter((c) => c.sc.seccompProfile?.type === 'Unconfined');
  if (bad.length) out.push(`${those(bad)} must not set securityContext.seccompProfile.type="Unconfined"`);
  return out;
}

function sysctls(pod: PodView): string[] {
  const bad = (pod.sc.sysctls ?? []).map((s: any) => s?.name).filter((n: string) => !SAFE_SYSCTLS.includes(n));
  return bad.length ? [`pod must not set securityContext.sysctls ${bad.map(q).join(', ')} (only the safe set)`] : [];
}

function volumeTypes(pod: PodView): string[] {
  return pod.volumes.flatMap((v) => {
    const types = Object.keys(v ?? {}).filter((k) => k !== 'name');
    const bad = types.filter((t) => !RESTRICTED_VOLUME_TYPES.includes(t));
    if (types.length === 0) return [`volume ${q(v?.name)} has no volume source (unknown type)`];
    return bad.length ? [`volume ${q(v.name)} must not use restricted volume type ${bad.join(', ')}`] : [];
  });
}

function privilegeEscalation(pod: PodView): string[] {
  if (pod.windows) return [];
  return pod.containers
    .filter((c) => c.sc.allowPrivilegeEscalation !== false)
    .map((c) => `container ${q(c.name)} must set securityContext.allowPrivilegeEscalation=false (got ${got(c.sc.allowPrivilegeEscalation)})`);
}

function runAsNonRoot(pod: PodView): string[] {
  const out: string[] = [];
  const podValue = pod.sc.runAsNonRoot;
  if (podValue === false) out.push('pod must not set securityContext.runAsNonRoot=false');
  const explicit = pod.containers.filter((c) => c.sc.runAsNonRoot === false);
  if (explicit.length) out.push(`${those(explicit)} must not set securityContext.runAsNonRoot=false`);
  const implicit = pod.containers.filter((c) => c.sc.runAsNonRoot === undefined || c.sc.runAsNonRoot === null)
    .filter(() => podValue !== true);
  if (implicit.length) out.push(`pod or ${those(implicit)} must set securityContext.runAsNonRoot=true (unset on both)`);
  return out;
}

function runAsNonRootUser(pod: PodView): string[] {
  const out: string[] = [];
  if (pod.sc.runAsUser === 0) out.push('pod must not set securityContext.runAsUser=0');
  const bad = pod.containers.filter((c) => c.sc.runAsUser === 0);
  if (bad.length) out.push(`${those(bad)} must not set securityContext.runAsUser=0`);
  return out;
}

const validSeccomp = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';

function restrictedSeccomp(pod: PodView): string[] {
  if (pod.windows) return [];
  const out: string[] = [];
  const podProfile = pod.sc.seccompProfile;
  let podSet = false;
  if (podProfile) {
    if (validSeccomp(podProfile.type)) podSet = true;
    else out.push(`pod must not set securityContext.seccompProfile.type=${got(podProfile.type)}`);
  }
  const explicit = pod.containers.filter((c) => c.sc.seccompProfile && !validSeccomp(c.sc.seccompProfile.type));
  for (const c of explicit) out.push(`container ${q(c.name)} must not set securityContext.seccompProfile.type=${got(c.sc.seccompProfile.type)}`);
  const implicit = pod.containers.filter((c) => !c.sc.seccompProfile && !podSet);
  if (implicit.length) {
    out.push(`pod or ${those(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost" (unset on both)`);
  }
  return out;
}

function restrictedCapabilities(pod: PodView): string[] {
  if (pod.windows) return [];
  return pod.containers.flatMap((c) => {
    const out: string[] = [];
    const drop: unknown[] = c.sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) {
      out.push(`container ${q(c.name)} must set securityContext.capabilities.drop=["ALL"] (got ${got(c.sc.capabilities?.drop)})`);
    }
    const add = (c.sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    if (add.length) out.push(`container ${q(c.name)} must not add capabilities other than "NET_BIND_SERVICE" (got ${q(add)})`);
    return out;
  });
}
