/** A Pod Security Standards level, as enforced by Pod Security Admission on a namespace. */
export enum PodSecurityLevel {
  /** No restrictions: privileged containers, host namespaces and host paths are allowed. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations: no privileged containers, no added capabilities beyond the defaults, no host paths. */
  BASELINE = 'baseline',
  /** Hardened: non-root, no privilege escalation, all capabilities dropped, a seccomp profile. */
  RESTRICTED = 'restricted',
}

/** The Kubernetes version whose Pod Security Standards the labels pin. */
export const POD_SECURITY_VERSION = 'v1.28';

const ORDER = [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED];

/** True when `level` is stricter than `than`. */
export function isStricter(level: PodSecurityLevel, than: PodSecurityLevel): boolean {
  return ORDER.indexOf(level) > ORDER.indexOf(than);
}
