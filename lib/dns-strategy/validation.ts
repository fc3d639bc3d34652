import { PropChecker } from '../validation/prop-checker';
import { DnsResolverOption } from './options';

/** `prop.` for a nested prop, nothing for a factory's own options (`nameservers`, not `.nameservers`). */
export function under(prop: string): string {
  return prop === '' ? '' : `${prop}.`;
}

// The limits the Kubernetes API, glibc, musl and CoreDNS put on a resolver configuration.

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_LIST_CHARS = 2048;
const MAX_UPSTREAMS = 15;

// What each factory option must be, for its error message.
export const NAMESERVERS_EXPECTED = `1 to ${MAX_NAMESERVERS} nameserver IP addresses of your network, in the order the resolver tries them, `
  + 'e.g. ["10.0.0.2"] for an AWS VPC 10.0.0.0/16\'s resolver: there is no default, since they are your VPC\'s and your company\'s DNS servers';
export const UPSTREAMS_EXPECTED = `1 to ${MAX_UPSTREAMS} IP addresses of the resolvers CoreDNS forwards non-cluster names to, `
  + 'e.g. ["8.8.8.8", "1.1.1.1"]: there is no default, since which public resolvers to trust is your choice';
export const CLUSTER_DNS_IP_EXPECTED = 'the ClusterIP of the cluster DNS Service, the first nameserver: there is no default, since it depends on '
  + 'the cluster. It is usually the tenth address of the Service CIDR (a convention of kubeadm, EKS, AKS, k3s and ACK, not a rule), '
  + 'e.g. "10.96.0.10" for kubeadm\'s 10.96.0.0/12; look it up with kubectl -n kube-system get svc kube-dns';
export const VPC_DNS_IP_EXPECTED = 'the IP address of the VPC\'s DNS resolver, the second nameserver (on AWS the VPC CIDR\'s base address + 2, '
  + 'e.g. "10.0.0.2" for 10.0.0.0/16): there is no default, since it depends on the network';
export const PUBLIC_DNS_IP_EXPECTED = 'the IP address of a public resolver, the third nameserver, e.g. "8.8.8.8": there is no default, '
  + 'since which public resolver to trust is your choice';

/** Options glibc (and musl, where it knows them) reads as flags: a value makes no sense. */
const FLAG_OPTIONS = ['edns0', 'rotate', 'single-request', 'single-request-reopen', 'use-vc', 'no-tld-query', 'trust-ad', 'inet6', 'no-reload'];

/** The range both resolvers honour for an option with a numeric value, and why. */
interface NumericOption {
  readonly min: number;
  readonly max: number;
  readonly why: string;
}

const NUMERIC_OPTIONS: { readonly [name: string]: NumericOption } = {
  ndots: { min: 0, max: 15, why: 'glibc and musl cap ndots at 15' },
  timeout: { min: 1, max: 30, why: 'seconds; glibc caps timeout at 30 (musl at 60)' },
  attempts: { min: 1, max: 5, why: 'glibc caps attempts at 5 (musl at 10), and attempts:0 makes glibc send no query at all' },
};

/** `publicCloud()`'s upstreams: 1 to 15 distinct IP addresses. */
export function validateUpstreams(check: PropChecker, prop: string, upstreams: readonly string[]): void {
  if (!Array.isArray(upstreams) || upstreams.length < 1 || upstreams.length > MAX_UPSTREAMS) {
    check.fail(`${under(prop)}upstreams`, upstreams, `1 to ${MAX_UPSTREAMS} IP addresses: CoreDNS' forward plugin takes at most ${MAX_UPSTREAMS}`);
  }
  upstreams.forEach((u, i) => {
    check.ipAddress(`${under(prop)}upstreams[${i}]`, u);
    const first = upstreams.indexOf(u);
    if (first < i) check.fail(`${under(prop)}upstreams[${i}]`, u, `an upstream not already listed (it is upstreams[${first}])`);
  });
}

/** 1 to 3 distinct IP addresses; `names` are the props of the nameservers in errors (`vpcDnsIp`), by index. */
export function validateNameservers(check: PropChecker, prop: string, nameservers: readonly string[], names: readonly string[]): void {
  const label = (i: number) => `${under(prop)}${names[i] ?? `nameservers[${i}]`}`;
  if (!Array.isArray(nameservers) || nameservers.length === 0) {
    check.fail(`${under(prop)}nameservers`, nameservers, 'at least one nameserver: dns_policy "none" gives the pod only these');
  }
  if (nameservers.length > MAX_NAMESERVERS) {
    check.fail(`${under(prop)}nameservers`, nameservers,
      `at most ${MAX_NAMESERVERS} nameservers: the Kubernetes API rejects more, and glibc and musl read only the first ${MAX_NAMESERVERS}`);
  }
  nameservers.forEach((ns, i) => {
    check.ipAddress(label(i), ns);
    const first = nameservers.indexOf(ns);
    if (first < i) {
      check.fail(label(i), ns, `a nameserver not already listed (it is ${names[first] ?? `nameservers[${first}]`}): a duplicate wastes one of the ${MAX_NAMESERVERS} slots`);
    }
  });
}

/** What the Kubernetes API accepts as search domains. */
export function validateSearches(check: PropChecker, prop: string, searches: readonly string[]): void {
  if (!Array.isArray(searches)) check.fail(`${under(prop)}searches`, searches, 'a list of search domains');
  if (searches.length > MAX_SEARCHES) {
    check.fail(`${under(prop)}searches`, searches, `at most ${MAX_SEARCHES} search domains (the Kubernetes API rejects more)`);
  }
  // Kubernetes allows one trailing dot on a search domain.
  searches.forEach((s, i) => check.dnsSubdomain(`${under(prop)}searches[${i}]`, typeof s === 'string' ? s.replace(/\.$/, '') : s));
  const chars = searches.join(' ').length;
  if (chars > MAX_SEARCH_LIST_CHARS) {
    check.fail(`${under(prop)}searches`, `${searches.length} search domains, ${chars} characters`,
      `at most ${MAX_SEARCH_LIST_CHARS} characters in the search list, counting the spaces between domains (the Kubernetes API rejects more)`);
  }
}

/** Resolver options: named once each, flags without value, numbers in the range both resolvers honour. */
export function validateOptions(check: PropChecker, prop: string, options: readonly DnsResolverOption[]): void {
  if (!Array.isArray(options)) check.fail(`${under(prop)}options`, options, 'a list of { name, value? } resolver options');
  const seen = new Map<string, number>();
  options.forEach((o, i) => {
    const at = `${under(prop)}options[${i}]`;
    const name = check.nonEmptyString(`${at}.name`, o?.name, 'a non-empty resolver option name, e.g. "ndots" or "edns0"');
    const first = seen.get(name);
    if (first !== undefined) {
      check.fail(`${at}.name`, name, `an option not already set (options[${first}]): the kubelet keeps only the last one`);
    }
    seen.set(name, i);
    const value = o.value;
    check.noCredential(`${at}.value`, value);
    if (FLAG_OPTIONS.includes(name)) {
      if (value !== undefined) check.fail(`${at}.value`, value, `no value: ${name} is a flag option`);
      return;
    }
    const numeric = NUMERIC_OPTIONS[name];
    if (numeric) {
      if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < numeric.min || Number(value) > numeric.max) {
        check.fail(`${at}.value`, value, `an integer from ${numeric.min} to ${numeric.max} as a string, e.g. "2": ${numeric.why}`);
      }
      return;
    }
    if (value !== undefined) check.nonEmptyString(`${at}.value`, value, 'a non-empty value, or no value for a flag option');
  });
}
