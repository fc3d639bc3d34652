import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { describeDuration, durationSeconds, goDurationString } from './durations';
import { ValidationError } from './errors';
import {
  Ipv4Cidr, isDnsLabel, isDnsSubdomain, isEnvName, isHttpUrl, isIpAddress, isLabelKey, isLabelValue, isPinnedImage, isRegistryHost,
  isRepositoryPath, parseIpv4Cidr,
} from './patterns';
import { MAX_AMOUNT, parseQuantity, sizeToQuantity, wholeAmount } from './quantity';
import { boundsOf, DEFAULT_NODE_PORT_RANGE, HELM_PRINTED_MAX, helmPrintedOverflows, HelmValueSource, IntegerRange, PortRange } from './ranges';
import { credentialKinds, literalCredentialAssignments, WHERE_SECRETS_BELONG } from './secrets';

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
    const [overflow] = helmPrintedOverflows(values);
    if (overflow) {
      const { key, value, template } = overflow;
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
    if (!isDnsLabel(value, maxLength)) {
      this.fail(prop, value, `a DNS-1123 label of at most ${maxLength} characters: lowercase letters, digits and '-', starting and ending with a letter or digit`);
    }
    return value;
  }

  /** An RFC 1123 subdomain: names of Secrets, ConfigMaps, ServiceAccounts, PriorityClasses. */
  public dnsSubdomain(prop: string, value: string): string {
    this.noCredential(prop, value);
    if (!isDnsSubdomain(value)) {
      this.fail(prop, value, 'a DNS-1123 subdomain of at most 253 characters: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit');
    }
    return value;
  }

  /** An absolute http(s) URL without credentials, query or fragment. */
  public httpUrl(prop: string, value: string): string {
    this.noCredential(prop, value);
    if (!isHttpUrl(value)) {
      this.fail(prop, value, 'an absolute http:// or https:// URL without credentials, query or fragment, such as "https://gitlab.example.com/"');
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
    const seconds = durationSeconds(value);
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
      if (!isLabelValue(value)) {
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
    if (!isEnvName(name)) {
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
    if (!isRegistryHost(value)) {
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
    if (!isRepositoryPath(value)) {
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
