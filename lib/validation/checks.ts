import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ValidationError } from './errors';
import { MAX_AMOUNT, parseQuantity, sizeToQuantity, wholeAmount } from './quantity';
import { credentialKinds, literalCredentialAssignments, WHERE_SECRETS_BELONG } from './secrets';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Kubernetes' int32 fields (replicas, ports, probe seconds, priorities) and the Unix uid/gid range end here. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * Options for integer checks. Without `int64`, the bounds are clamped to int32: a forgotten `max`
 * still refuses a number no int32 field (and no uid) holds.
 */
export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
  /** The target is int64: bounds up to +/-`Number.MAX_SAFE_INTEGER`, the largest exact integers. */
  readonly int64?: boolean;
}

/** A port range, e.g. a cluster's `--service-node-port-range`. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** The API server's default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE: PortRange = { min: 30000, max: 32767 };

/**
 * Helm reads a values file into float64, and text/template prints a float64 with fmt's %v, that is
 * strconv 'g' at the shortest precision, which switches to exponent form once the decimal exponent
 * reaches 6: 1000000 prints as "1e+06", 1234567 as "1.234567e+06" (go/src/strconv/ftoa.go,
 * formatDigits: `if shortest { eprec = 6 }`; go/src/fmt/print.go: 'v' is fmtFloat(v, 64, 'g', -1)).
 * Values the chart copies with `toYaml` are unaffected: sigs.k8s.io/yaml marshals through
 * encoding/json, which writes 'f' form below 1e21, and reads that back as an integer.
 */
export const HELM_PRINTED_MAX = 999999;

/**
 * The numeric values keys chart 0.80 prints with `{{ .Values.<key> }}` (dotted paths), and where;
 * test/numbers.test.ts proves the list against the chart's templates.
 */
export const HELM_PRINTED_NUMBERS: { readonly [valuesKey: string]: string } = {
  'replicas': 'templates/deployment.yaml',
  'concurrent': 'templates/configmap.yaml',
  'checkInterval': 'templates/configmap.yaml',
  'shutdown_timeout': 'templates/configmap.yaml',
  // After shutdown_timeout: derived from it when not set, so its own prop is named first.
  'terminationGracePeriodSeconds': 'templates/deployment.yaml',
  'metrics.port': 'templates/configmap.yaml, deployment.yaml, service.yaml',
};

/** The prop a printed values key comes from, and how, for the error message. */
export interface HelmValueSource {
  readonly prop: string;
  readonly how?: string;
}

/**
 * Checks props of one construct; every failure is a `ValidationError` naming that construct's path.
 * Each check returns the value in the form the models need, so a construct validates and converts in one step.
 */
export class PropChecker {
  constructor(private readonly path: string) {}

  /** Throws a `ValidationError` for `prop`. */
  public fail(prop: string, value: unknown, expected: string): never {
    throw new ValidationError(this.path, prop, value, expected);
  }

  /** An integer within `range`, int32 unless `range.int64`. */
  public integer(prop: string, value: number, range: IntegerRange = {}): number {
    const { min, max, text } = boundsOf(range);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, value, `an integer${text}`);
    }
    return value;
  }

  /** A TCP/UDP port number. */
  public port(prop: string, value: number): number {
    return this.integer(prop, value, { min: 1, max: 65535 });
  }

  /** A port range (`min` <= `max`, both ports). */
  public portRange(prop: string, value: PortRange): PortRange {
    if (value === null || typeof value !== 'object') this.fail(prop, value, '{ min, max }, e.g. { min: 30000, max: 32767 }');
    const min = this.port(`${prop}.min`, value.min);
    const max = this.port(`${prop}.max`, value.max);
    if (min > max) this.fail(`${prop}.min`, min, `at most ${prop}.max (${max})`);
    return { min, max };
  }

  /** A NodePort, in the cluster's `--service-node-port-range`. */
  public nodePort(prop: string, value: number, range: PortRange = DEFAULT_NODE_PORT_RANGE): number {
    const { min, max } = range;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, value, `an integer from ${min} to ${max}: the API server refuses a NodePort outside its --service-node-port-range`
        + (range === DEFAULT_NODE_PORT_RANGE ? ' (by default 30000-32767; set nodePortRange if your cluster sets another)' : ' (nodePortRange)'));
    }
    return value;
  }

  /**
   * Values keys the chart prints through a template (`HELM_PRINTED_NUMBERS`) must stay below Helm's
   * exponent form (`HELM_PRINTED_MAX`). `sources` names the prop behind each key.
   */
  public helmPrinted(values: object, sources: { readonly [valuesKey: string]: HelmValueSource }): void {
    for (const [key, template] of Object.entries(HELM_PRINTED_NUMBERS)) {
      const value = key.split('.').reduce<any>((o, k) => (o === null || typeof o !== 'object' ? undefined : o[k]), values);
      if (typeof value !== 'number' || Math.abs(value) <= HELM_PRINTED_MAX) continue;
      const source = sources[key] ?? { prop: `values.${key}` };
      this.fail(source.prop, value, `at most ${HELM_PRINTED_MAX} for the chart value ${key}${source.how ? ` (${source.how})` : ''}: `
        + `chart 0.80 prints it in ${template}, and Helm prints numbers from 1000000 on in exponent form (1e+06), which the `
        + `runner's TOML or the Kubernetes API then misread or refuse`);
    }
  }

  /** A list (an array); `undefined` stays `undefined`. */
  public list<T>(prop: string, value: readonly T[] | undefined, expected = 'a list'): readonly T[] | undefined {
    if (value !== undefined && !Array.isArray(value)) this.fail(prop, value, expected);
    return value;
  }

  /** A number in (0, 1]. */
  public ratio(prop: string, value: number, expected = 'a ratio greater than 0 and at most 1, e.g. 0.9'): number {
    if (typeof value !== 'number' || !(value > 0 && value <= 1)) this.fail(prop, value, expected);
    return value;
  }

  public boolean(prop: string, value: boolean): boolean {
    if (typeof value !== 'boolean') this.fail(prop, value, 'true or false');
    return value;
  }

  public nonEmptyString(prop: string, value: string, expected = 'a non-empty string'): string {
    this.noCredential(prop, value);
    if (typeof value !== 'string' || value.trim() === '') this.fail(prop, value, expected);
    return value;
  }

  /**
   * Free text that ends up in a generated file (a name, a URL, a label) must not be a credential:
   * a token pasted where a Secret's or a variable's name belongs would be written in plain text.
   * The string checks call it first, so that such a value gets the error that says where it
   * belongs rather than a format error.
   */
  public noCredential<T>(prop: string, value: T): T {
    const kinds = typeof value === 'string' ? credentialKinds(value) : [];
    if (kinds.length > 0) this.fail(prop, value, `a value that is no credential (this one looks like ${kinds.join(' and ')}): ${WHERE_SECRETS_BELONG}`);
    return value;
  }

  /**
   * A non-empty shell script that holds no credential: neither a credential-looking value nor a
   * literal assigned to a credential-like variable (`export API_TOKEN=abc`; `API_TOKEN="$API_TOKEN"` is fine).
   */
  public script(prop: string, value: string, expected = 'a non-empty shell script'): string {
    this.nonEmptyString(prop, value, expected);
    const names = literalCredentialAssignments(value);
    if (names.length > 0) {
      this.fail(prop, value, `a script without a literal credential (it assigns one to ${names.join(', ')}): ${WHERE_SECRETS_BELONG}; `
        + `a reference to a CI/CD variable such as ${names[0]}="$${names[0]}" is allowed`);
    }
    return value;
  }

  /** An RFC 1123 label: namespaces, release names, ports' names. */
  public dnsLabel(prop: string, value: string, maxLength = 63): string {
    this.noCredential(prop, value);
    if (typeof value !== 'string' || value.length > maxLength || !DNS_LABEL.test(value)) {
      this.fail(prop, value, `a DNS-1123 label of at most ${maxLength} characters: lowercase letters, digits and '-', starting and ending with a letter or digit`);
    }
    return value;
  }

  /** An RFC 1123 subdomain: names of Secrets, ConfigMaps, ServiceAccounts, PriorityClasses. */
  public dnsSubdomain(prop: string, value: string): string {
    this.noCredential(prop, value);
    if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
      this.fail(prop, value, 'a DNS-1123 subdomain of at most 253 characters: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit');
    }
    return value;
  }

  /** An absolute http(s) URL without credentials, query or fragment. */
  public httpUrl(prop: string, value: string): string {
    this.noCredential(prop, value);
    const expected = 'an absolute http:// or https:// URL without credentials, query or fragment, such as "https://gitlab.example.com/"';
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return this.fail(prop, value, expected);
    }
    if (!['http:', 'https:'].includes(url.protocol) || !url.hostname || url.username || url.password
      || url.search || url.hash || /\s/.test(value)) {
      this.fail(prop, value, expected);
    }
    return value;
  }

  public oneOf<T>(prop: string, value: T, allowed: readonly T[]): T {
    if (!allowed.includes(value)) {
      this.fail(prop, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return value;
  }

  /** A non-negative Kubernetes quantity string. */
  public quantity(prop: string, value: string): string {
    const parsed = parseQuantity(value);
    if (parsed === undefined || parsed < 0 || !Number.isFinite(parsed)) {
      this.fail(prop, value, 'a non-negative Kubernetes quantity such as "500m", "2", "512Mi" or "1Gi"');
    }
    return value;
  }

  /**
   * A CPU amount as a quantity string in plain digits. Kubernetes rounds anything finer than 1m, and
   * an amount above `MAX_AMOUNT` millicores is no longer exact here, so both are refused.
   */
  public cpu(prop: string, value: Cpu): string {
    const amount = value instanceof Object ? (value as Cpu).amount : undefined;
    const millis = typeof amount === 'string' ? wholeAmount(amount, -3) : undefined;
    if (millis === undefined) {
      this.fail(prop, value, `a non-negative CPU amount in whole millicores, at most ${MAX_AMOUNT}m, e.g. Cpu.millis(500) or Cpu.units(2)`);
    }
    // One spelling per amount, as the seeds write it: "2" rather than "2000m", "500m" rather than "0.5".
    return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
  }

  /** A size as the largest exact binary quantity (`1Gi`, `512Mi`), at most `MAX_AMOUNT` bytes. */
  public size(prop: string, value: Size): string {
    const expected = `a non-negative whole number of kibibytes, at most ${MAX_AMOUNT} bytes (8 PiB), e.g. Size.mebibytes(512) or Size.gibibytes(2)`;
    let quantity: string;
    try {
      quantity = sizeToQuantity(value);
    } catch {
      return this.fail(prop, value, expected);
    }
    const parsed = parseQuantity(quantity);
    if (parsed === undefined || parsed < 0 || !Number.isFinite(parsed)) this.fail(prop, value, expected);
    return quantity;
  }

  /** A duration as whole seconds, within `range` (int32 unless `range.int64`, as for `integer`). */
  public seconds(prop: string, value: Duration, range: IntegerRange = {}): number {
    let seconds: number | undefined;
    try {
      seconds = value.toSeconds();
    } catch {
      seconds = undefined;
    }
    const { min, max, text } = boundsOf(range);
    if (seconds === undefined || !Number.isInteger(seconds) || seconds < min || seconds > max) {
      this.fail(prop, describeDuration(value), `a whole number of seconds${text}, e.g. Duration.seconds(30) or Duration.minutes(5)`);
    }
    return seconds;
  }

  /**
   * A duration as a Go duration string (`"90s"`, `"5m"`, `"1h30m"`), for keys the runner reads as
   * `time.Duration`: a bare TOML integer there would be nanoseconds.
   */
  public goDuration(prop: string, value: Duration, range: IntegerRange = {}): string {
    return goDurationString(this.seconds(prop, value, range));
  }

  /** A Kubernetes label key (`prefix/name`). */
  public labelKey(prop: string, key: string): string {
    this.noCredential(prop, key);
    if (!isLabelKey(key)) {
      this.fail(prop, key, 'a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters of letters, digits, \'-\', \'_\' and \'.\'');
    }
    return key;
  }

  /** A plain object used as a map. */
  public map<T>(prop: string, value: { readonly [key: string]: T }, expected = 'a map of names to values'): { readonly [key: string]: T } {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
      this.fail(prop, value, expected);
    }
    return value;
  }

  /** A map of Kubernetes labels. */
  public labels(prop: string, labels: { readonly [key: string]: string }): { [key: string]: string } {
    this.map(prop, labels, 'a map of label keys to values');
    for (const [key, value] of Object.entries(labels)) {
      this.labelKey(`${prop} key`, key);
      this.noCredential(`${prop}["${key}"]`, value);
      if (typeof value !== 'string' || (value !== '' && (value.length > 63 || !LABEL_NAME.test(value)))) {
        this.fail(`${prop}["${key}"]`, value, 'a label value: empty, or at most 63 characters of letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit');
      }
    }
    return { ...labels };
  }

  /** A map of annotations: valid keys, string values. */
  public annotations(prop: string, annotations: { readonly [key: string]: string }): { [key: string]: string } {
    this.map(prop, annotations, 'a map of annotation keys to values');
    for (const [key, value] of Object.entries(annotations)) {
      this.labelKey(`${prop} key`, key);
      this.noCredential(`${prop}["${key}"]`, value);
      if (typeof value !== 'string') this.fail(`${prop}["${key}"]`, value, 'a string');
    }
    return { ...annotations };
  }

  public envName(prop: string, name: string): string {
    this.noCredential(prop, name);
    if (typeof name !== 'string' || !ENV_NAME.test(name)) {
      this.fail(prop, name, 'an environment variable name: letters, digits and \'_\', not starting with a digit');
    }
    return name;
  }

  /** An image reference pinned by a version tag (one with a digit, so not `latest` or `dind`), or by digest. */
  public pinnedImage(prop: string, ref: string): string {
    this.noCredential(prop, ref);
    if (!isPinnedImage(ref)) {
      this.fail(prop, ref, 'an image reference pinned by a version tag (with a digit: not "latest", "stable" or "dind") or a sha256 digest, e.g. "alpine:3.22"');
    }
    return ref;
  }

  /** A registry host with optional port, without scheme or path (`registry.example.com:5000`). */
  public registryHost(prop: string, value: string): string {
    this.noCredential(prop, value);
    const match = typeof value === 'string' ? /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(?::(\d{1,5}))?$/.exec(value) : null;
    if (!match || (match[2] !== undefined && !(Number(match[2]) >= 1 && Number(match[2]) <= 65535))) {
      this.fail(prop, value, 'a registry host[:port] without scheme or path, the port from 1 to 65535, e.g. "registry.example.com"');
    }
    return value;
  }

  /** A list of registry hosts (see `registryHost`); `undefined` is an empty list. */
  public registryHosts(prop: string, value: readonly string[] | undefined): string[] {
    return (this.list(prop, value, 'a list of registry host[:port] names') ?? []).map((r, i) => this.registryHost(`${prop}[${i}]`, r));
  }

  /** An image repository path without registry or tag (`gitlab-org/gitlab-runner`). */
  public repositoryPath(prop: string, value: string, example: string): string {
    this.noCredential(prop, value);
    if (typeof value !== 'string' || !/^[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(value)) {
      this.fail(prop, value, `a repository path without registry or tag, e.g. "${example}"`);
    }
    return value;
  }

  /** An IPv4 CIDR such as `172.21.0.0/16`. */
  public cidr(prop: string, value: string): Ipv4Cidr {
    const cidr = parseIpv4Cidr(value);
    if (!cidr) this.fail(prop, value, 'an IPv4 CIDR such as "172.21.0.0/16"');
    return cidr;
  }

  public ipAddress(prop: string, value: string): string {
    if (!isIpAddress(value)) this.fail(prop, value, 'an IPv4 or IPv6 address such as "10.0.0.2"');
    return value;
  }
}

export function isLabelKey(key: string): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

const IMAGE_NAME = /^([a-zA-Z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

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

/** Whole seconds as the shortest Go duration string: 90 -> "1m30s", 3600 -> "1h", 0 -> "0s". */
export function goDurationString(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

/** The effective bounds of a range and their description: ` from 1 to 100`, ` >= 1 and <= 2147483647 (int32)`. */
function boundsOf(range: IntegerRange): { min: number; max: number; text: string } {
  const [lowest, highest, type] = range.int64 ? [-MAX_SAFE, MAX_SAFE, 'int64, exact'] : [INT32_MIN, INT32_MAX, 'int32'];
  // A bound beyond the type is our own mistake, not the caller's: say so at once.
  for (const bound of [range.min, range.max]) {
    if (bound !== undefined && !(bound >= lowest && bound <= highest)) {
      throw new Error(`IntegerRange bound ${bound} is outside ${type}; pass int64: true for an int64 target`);
    }
  }
  const min = range.min ?? lowest;
  const max = range.max ?? highest;
  if (range.min !== undefined && range.max !== undefined) return { min, max, text: ` from ${min} to ${max}` };
  return { min, max, text: ` >= ${min} and <= ${max} (${type})` };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function describeDuration(value: Duration): string {
  try {
    return value.toHumanString();
  } catch {
    return String(value);
  }
}
