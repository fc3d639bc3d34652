/** Which of the `DnsStrategy` factories built a strategy. */
export enum DnsStrategyKind {
  /** `DnsStrategy.internal()`: only the VPC's and the company's nameservers. */
  INTERNAL = 'internal',
  /** `DnsStrategy.publicCloud()`: the cluster DNS, with CoreDNS forwarding to public resolvers. */
  PUBLIC_CLOUD = 'public-cloud',
  /** `DnsStrategy.hybrid()`: the cluster DNS, then the VPC DNS, then a public resolver. */
  HYBRID = 'hybrid',
  /** `DnsStrategy.clusterDefault()`: the cluster DNS as the distribution set it up. */
  CLUSTER_DEFAULT = 'cluster-default',
}

/** A stub resolver, for `DnsStrategy.lookupCost()`. */
export enum DnsResolver {
  /**
   * glibc (Debian, Ubuntu, UBI images). Go's built-in resolver — used by static Go binaries such as
   * `dockerd` and `gitlab-runner-helper`, even in Alpine images — follows the same model.
   */
  GLIBC = 'glibc',
  /** musl (Alpine images: `apk`, `git`, `curl`, `wget` and busybox in `docker:dind` or the Alpine helper). */
  MUSL = 'musl',
}

/** A resolver option of the job pods' `/etc/resolv.conf`, e.g. `{ name: 'ndots', value: '2' }`. */
export interface DnsResolverOption {
  /** Option name, e.g. `ndots`, `timeout`, `attempts`, `edns0`. */
  readonly name: string;
  /**
   * Option value.
   * @default - a flag option without value, such as `edns0`
   */
  readonly value?: string;
}

/** Options every `DnsStrategy` factory accepts. */
export interface DnsStrategyOptions {
  /**
   * The cluster's DNS domain (the kubelet's `--cluster-domain`). It makes up the default search
   * domains and the cluster DNS' search list in `lookupCost()`; `publicCloud()` writes it into the Corefile.
   * @default "cluster.local" (the kubelet's own default)
   */
  readonly clusterDomain?: string;
}

/** Options of `DnsStrategy.internal()`; every list replaces the default list. */
export interface InternalDnsOptions extends DnsStrategyOptions {
  /**
   * Nameserver IP addresses of your network, in the order the resolver tries them; 1 to 3. There is
   * no default: they are the addresses of your VPC's resolver and your company's DNS servers.
   */
  readonly nameservers: string[];
  /**
   * Search domains.
   * @default ["svc.<clusterDomain>", "<clusterDomain>"]
   */
  readonly searches?: string[];
  /**
   * Resolver options.
   * @default [{ name: "ndots", value: "2" }]
   */
  readonly options?: DnsResolverOption[];
}

/** Options of `DnsStrategy.publicCloud()`. */
export interface PublicCloudDnsOptions extends DnsStrategyOptions {
  /**
   * Resolvers CoreDNS forwards every non-cluster name to (`forward . <upstreams>`); 1 to 15 IP
   * addresses. There is no default: which public resolvers a site trusts is its own choice.
   */
  readonly upstreams: string[];
}

/** Options of `DnsStrategy.hybrid()`: the three nameservers, in the order the resolver tries them. */
export interface HybridDnsOptions extends DnsStrategyOptions {
  /**
   * ClusterIP of the cluster DNS Service, the first nameserver: look it up with
   * `kubectl -n kube-system get svc kube-dns`. It is usually the tenth address of the cluster's
   * Service CIDR (`10.96.0.10` for kubeadm's `10.96.0.0/12`), a convention of kubeadm, EKS, AKS, k3s
   * and ACK, not a rule, so there is no default.
   */
  readonly clusterDnsIp: string;
  /**
   * The VPC's DNS resolver, the second nameserver (on AWS the VPC CIDR's base address + 2). There is
   * no default: it depends on the network.
   */
  readonly vpcDnsIp: string;
  /**
   * A public resolver, the third nameserver. There is no default: which public resolver a site
   * trusts is its own choice.
   */
  readonly publicDnsIp: string;
  /**
   * Search domains.
   * @default ["svc.<clusterDomain>", "<clusterDomain>"]
   */
  readonly searches?: string[];
  /**
   * Resolver options.
   * @default [{ name: "ndots", value: "2" }, { name: "timeout", value: "2" }]
   */
  readonly options?: DnsResolverOption[];
}

/** Options of `DnsStrategy.clusterDefault()`. */
export interface ClusterDefaultDnsOptions extends DnsStrategyOptions {}

/** Options of `DnsStrategy.lookupCost()`. */
export interface DnsLookupCostOptions {
  /**
   * The stub resolver of the program that looks the name up.
   * @default DnsResolver.GLIBC
   */
  readonly resolver?: DnsResolver;
  /**
   * The job pods' namespace, which the kubelet puts first in a cluster-first pod's search list
   * (`<namespace>.svc.<clusterDomain>`). Ignored by `internal()` and `hybrid()`, whose search list is their own.
   * @default "gitlab-runner-jobs" (the `RunnerManager` default `jobNamespace`)
   */
  readonly namespace?: string;
}

/** What the kubelet writes into a job pod's `/etc/resolv.conf` with a strategy. */
export interface JobResolvConf {
  /**
   * Whether job pods keep the cluster DNS (`ClusterFirst`): then they get exactly one nameserver, the
   * cluster DNS Service, whose address the strategy does not know, and the kubelet appends the node's
   * search domains to `searches`.
   */
  readonly clusterFirst: boolean;
  /** The nameserver addresses, in order; empty when `clusterFirst`. */
  readonly nameservers: string[];
  /** The search domains, in order, without duplicates (the kubelet drops them). */
  readonly searches: string[];
  /** The options as written: `name` or `name:value`. */
  readonly options: string[];
}

/** Where job pods send DNS queries under a strategy, for NetworkPolicies. */
export interface DnsResolvers {
  /**
   * Whether job pods use the cluster DNS, which a NetworkPolicy reaches through its pods (policies
   * apply after the Service address is translated).
   */
  readonly clusterDns: boolean;
  /** The other nameserver addresses, in order. */
  readonly addresses: string[];
}

/** What one name lookup from a job pod costs under a `DnsStrategy`; see `DnsStrategy.lookupCost()`. */
export interface DnsLookupCost {
  /** The name looked up, as given. */
  readonly host: string;
  /** The stub resolver modelled. */
  readonly resolver: DnsResolver;
  /** The effective `ndots`. */
  readonly ndots: number;
  /** The effective search list. */
  readonly searches: string[];
  /** Fully qualified names (with the trailing dot) queried, in order, up to and including the one that answers. */
  readonly attempts: string[];
  /** Names answered NXDOMAIN before the real one (`attempts.length - 1`); each costs an A and an AAAA query. */
  readonly queriesBeforeAnswer: number;
  /**
   * Extra seconds per lookup when the first nameserver drops queries; `Infinity` when it is the only
   * nameserver (cluster-first pods have just the cluster DNS Service), since nothing then answers.
   */
  readonly firstNameserverDownDelaySeconds: number;
  /** One sentence stating the resolver model and its assumptions. */
  readonly model: string;
}
