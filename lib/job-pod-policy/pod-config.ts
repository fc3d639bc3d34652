import { JobVolume } from '../job-volume';
import { KubernetesConfig, VolumesConfig } from '../model/runner-config';
import { PropChecker } from '../validation/prop-checker';
import { JobPodPolicyOptions } from './props';

/** The pods' own settings: pull secrets, service account, grace periods, host aliases, volumes. */
export function jobPodConfig(check: PropChecker, o: JobPodPolicyOptions): Partial<KubernetesConfig> {
  const serviceAccount = o.jobServiceAccount === undefined ? undefined : check.dnsSubdomain('jobServiceAccount.name', o.jobServiceAccount?.name);
  const overwrite = o.jobServiceAccountOverwriteAllowed;
  if (overwrite !== undefined) checkRegex(check, 'jobServiceAccountOverwriteAllowed', overwrite);
  return {
    imagePullSecrets: check.list('imagePullSecrets', o.imagePullSecrets)?.map((s, i) => check.dnsSubdomain(`imagePullSecrets[${i}].name`, s?.name)),
    serviceAccount,
    serviceAccountOverwriteAllowed: overwrite,
    automountServiceAccountToken: serviceAccount !== undefined,
    podTerminationGracePeriodSeconds: o.podTerminationGracePeriod === undefined ? undefined
      : check.seconds('podTerminationGracePeriod', o.podTerminationGracePeriod, { min: 0 }),
    cleanupResourcesTimeout: o.jobCleanupTimeout === undefined ? undefined
      : check.goDuration('jobCleanupTimeout', o.jobCleanupTimeout, { min: 1 }),
    hostAliases: check.list('hostAliases', o.hostAliases)?.map((alias, i) => ({
      ip: check.ipAddress(`hostAliases[${i}].ip`, alias?.ip),
      hostnames: checkHostnames(check, `hostAliases[${i}].hostnames`, alias.hostnames),
    })),
    volumes: volumesConfig(check, check.list('volumes', o.volumes) ?? [], o.allowHostPathVolumes ?? false),
  };
}

function checkRegex(check: PropChecker, prop: string, pattern: string): void {
  check.noCredential(prop, pattern);
  try {
    if (typeof pattern !== 'string' || pattern === '') throw new Error();
    new RegExp(pattern);
  } catch {
    check.fail(prop, pattern, 'a non-empty regular expression, e.g. "^ci-.*$"');
  }
}

function checkHostnames(check: PropChecker, prop: string, hostnames: readonly string[]): string[] {
  if (!Array.isArray(hostnames) || hostnames.length === 0) check.fail(prop, hostnames, 'at least one host name');
  return hostnames.map((h, i) => check.dnsSubdomain(`${prop}[${i}]`, h));
}

function volumesConfig(check: PropChecker, volumes: readonly JobVolume[], allowHostPath: boolean): VolumesConfig {
  const out: { [kind: string]: object[] } = {};
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const prop = `volumes[${i}]`;
    if (!(volume instanceof JobVolume)) check.fail(prop, volume, 'a JobVolume, e.g. JobVolume.emptyDir(\'cache\', { mountPath: \'/cache\' })');
    if (volume.isHostPath && !check.boolean('allowHostPathVolumes', allowHostPath)) {
      check.fail(prop, volume.name, 'no hostPath volume unless allowHostPathVolumes is true: host paths expose the node to every job');
    }
    const { kind, entry } = volume._toConfig(check, prop);
    if (names.has(volume.name)) check.fail(`${prop}.name`, volume.name, 'volume names that are unique across all job volumes');
    names.add(volume.name);
    (out[kind] ??= []).push(entry);
  });
  return out as VolumesConfig;
}
