import { POD_SECURITY_VERSION, PodSecurityLevel } from '../pod-security';

/** Pod Security Admission's namespace label keys, per mode: the level, and the version it is pinned to. */
export const POD_SECURITY_LABEL_KEYS = {
  enforce: { level: 'pod-security.kubernetes.io/enforce', version: 'pod-security.kubernetes.io/enforce-version' },
  audit: { level: 'pod-security.kubernetes.io/audit', version: 'pod-security.kubernetes.io/audit-version' },
  warn: { level: 'pod-security.kubernetes.io/warn', version: 'pod-security.kubernetes.io/warn-version' },
} as const;

/** The namespace labels that enforce, audit and warn on `level`, pinned to `POD_SECURITY_VERSION`. */
export function podSecurityLabels(level: PodSecurityLevel): { [key: string]: string } {
  const labels: { [key: string]: string } = {};
  for (const keys of Object.values(POD_SECURITY_LABEL_KEYS)) {
    labels[keys.level] = level;
    labels[keys.version] = POD_SECURITY_VERSION;
  }
  return labels;
}

/** The level a namespace's labels enforce, if any. */
export function enforcedPodSecurityLevel(labels: { readonly [key: string]: string | undefined }): PodSecurityLevel | undefined {
  return labels[POD_SECURITY_LABEL_KEYS.enforce.level] as PodSecurityLevel | undefined;
}
