// The shapes of names and addresses the prop checks accept, as plain predicates.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(?::(\d{1,5}))?$/;
const REPOSITORY_PATH = /^[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;
const IMAGE_NAME = /^([a-zA-Z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** An RFC 1123 label of at most `maxLength` characters. */
export function isDnsLabel(value: string, maxLength = 63): boolean {
  return typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value);
}

/** An RFC 1123 subdomain of at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** A Kubernetes label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A Kubernetes label value: empty, or a name of at most 63 characters. */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && LABEL_NAME.test(value)));
}

export function isEnvName(name: string): boolean {
  return typeof name === 'string' && ENV_NAME.test(name);
}

/** An absolute http(s) URL without credentials, query, fragment or white space. */
export function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return ['http:', 'https:'].includes(url.protocol) && !!url.hostname && !url.username && !url.password
    && !url.search && !url.hash && !/\s/.test(value);
}

/** An image reference pinned by a version tag (one with a digit, so not `latest` or `dind`), or by digest. */
export function isPinnedImage(ref: string): boolean {
  if (typeof ref !== 'string') return false;
  const [nameAndTag, digest, ...rest] = ref.split('@');
  if (rest.length > 0) return false;
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) return false;
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', slash + 1);
  const name = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : undefined;
  if (!IMAGE_NAME.test(name)) return false;
  // A tag without a digit ("latest", "stable", "dind") names a moving target, not a version.
  if (tag !== undefined && (!IMAGE_TAG.test(tag) || !/\d/.test(tag))) return false;
  return tag !== undefined || digest !== undefined;
}

/** A registry host with an optional port from 1 to 65535, without scheme or path. */
export function isRegistryHost(value: string): boolean {
  const match = typeof value === 'string' ? REGISTRY_HOST.exec(value) : null;
  return !!match && (match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 65535));
}

/** An image repository path without registry or tag (`gitlab-org/gitlab-runner`). */
export function isRepositoryPath(value: string): boolean {
  return typeof value === 'string' && REPOSITORY_PATH.test(value);
}

export function isIpAddress(value: string): boolean {
  if (typeof value !== 'string') return false;
  if (IPV4.test(value)) return true;
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** An IPv4 network. */
export interface Ipv4Cidr {
  readonly text: string;
  /** Whether `ip` (IPv4) lies in the network. */
  contains(ip: string): boolean;
}

function ipv4ToNumber(ip: string): number | undefined {
  if (!IPV4.test(ip)) return undefined;
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const [ip, bits, ...rest] = text.split('/');
  const base = ipv4ToNumber(ip);
  if (base === undefined || rest.length || !/^\d{1,2}$/.test(bits ?? '') || Number(bits) > 32) return undefined;
  const size = 2 ** (32 - Number(bits));
  const start = base - (base % size);
  return {
    text,
    contains: (address: string) => {
      const n = ipv4ToNumber(address);
      return n !== undefined && n >= start && n < start + size;
    },
  };
}

/** The host names among `host[:port]` entries, lowercase, each once: addresses need no lookup. */
export function hostsToLookUp(hosts: readonly string[]): string[] {
  const names = hosts
    .map((h) => h.replace(/:\d+$/, '').toLowerCase())
    .filter((h) => !isIpAddress(h) && !h.startsWith('['));
  return names.filter((h, i) => names.indexOf(h) === i);
}
