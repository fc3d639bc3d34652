import { DnsLookupCost, DnsResolver } from './options';

/** The kubelet writes `options ndots:5` for ClusterFirst pods. */
export const CLUSTER_FIRST_NDOTS = 5;
/** Without `ndots`, `timeout` and `attempts` options glibc and musl use 1, 5 s and 2. */
export const RESOLVER_DEFAULTS = { ndots: 1, timeout: 5, attempts: 2 };

/** The resolver configuration a lookup is modelled against. */
export interface ResolverSetup {
  /** The effective search list, in order. */
  readonly searches: readonly string[];
  readonly ndots: number;
  /** Seconds glibc waits for one nameserver. */
  readonly timeout: number;
  readonly nameserverCount: number;
}

/**
 * Models looking `host` up with `setup` (see `DnsStrategy.lookupCost()` for the model). The host is
 * assumed to be a valid name, with an optional trailing dot.
 */
export function simulateLookup(setup: ResolverSetup, host: string, resolver: DnsResolver): DnsLookupCost {
  const { ndots, timeout, nameserverCount } = setup;
  const searches = [...setup.searches];
  const absolute = host.endsWith('.');
  const name = absolute ? host.slice(0, -1) : host;
  const dots = name.split('.').length - 1;
  const fqdn = (n: string) => `${n.replace(/\.$/, '')}.`;
  // The name as given exists: tried first (absolute, or enough dots) it is the only attempt;
  // otherwise every search expansion comes first and answers NXDOMAIN.
  const attempts = absolute || dots >= ndots
    ? [fqdn(name)]
    : [...searches.map((s) => fqdn(`${name}.${s}`)), fqdn(name)];

  let delay: number;
  if (nameserverCount <= 1) delay = Infinity;
  else if (resolver === DnsResolver.MUSL) delay = 0;
  else delay = attempts.length * timeout;

  const single = nameserverCount <= 1
    ? '; with a single nameserver (the cluster DNS Service for cluster-first pods) a dead one leaves nothing to answer'
    : '';
  const model = resolver === DnsResolver.MUSL
    ? `musl: a name with at least ndots (${ndots}) dots or a trailing dot is tried only as given, a shorter one through each search domain and then as given; `
      + 'each query goes to all nameservers at once and the first reply wins, so a dead first nameserver costs nothing while another answers; '
      + `only the name as given is assumed to exist${single}`
    : `glibc (and Go): a name with at least ndots (${ndots}) dots is tried as given first, a shorter one through each search domain and then as given; `
      + `nameservers are tried in order and a first nameserver that drops packets costs one timeout (${timeout} s) per name tried, `
      + `A and AAAA being sent together (no single-request, no rotate); only the name as given is assumed to exist${single}`;

  return {
    host,
    resolver,
    ndots,
    searches,
    attempts,
    queriesBeforeAnswer: attempts.length - 1,
    firstNameserverDownDelaySeconds: delay,
    model,
  };
}
