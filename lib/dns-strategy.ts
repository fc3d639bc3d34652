import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { HelperImageFlavor } from './helper-image';
import { DnsConfig, DnsPolicyValue } from './model/runner-config';
import { PropChecker } from './validation/checks';
import { scanManifestsForCredentials } from './validation/credential-scan';
import { checkProps } from './validation/known-keys';
import { addWarning } from './validation/warnings';

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
   * @default "cluster.local"
   */
  readonly clusterDomain?: string;
}

/** Options of `DnsStrategy.internal()`; every list replaces the preset's list. */
export interface InternalDnsOptions extends DnsStrategyOptions {
  /**
   * Nameserver IP addresses, in the order the resolver tries them; 1 to 3.
   * @default ["10.0.0.2", "10.1.0.251", "10.1.0.252"] (the VPC DNS, then two internal DNS servers)
   */
  readonly nameservers?: string[];
  /**
   * Search domains.
   * @default ["gitlab.svc.<clusterDomain>", "svc.<clusterDomain>", "<clusterDomain>"]
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
   * Resolvers CoreDNS forwards every non-cluster name to (`forward . <upstreams>`); 1 to 15 IP addresses.
   * @default ["8.8.8.8", "1.1.1.1"]
   */
  readonly upstreams?: string[];
}

/** Options of `DnsStrategy.hybrid()`. */
export interface HybridDnsOptions extends DnsStrategyOptions {
  /**
   * ClusterIP of the cluster DNS Service, the first nameserver: look it up with
   * `kubectl -n kube-system get svc kube-dns`. It is usually the tenth address of the cluster's
   * Service CIDR (`10.96.0.10` for kubeadm's `10.96.0.0/12`), a convention of kubeadm, EKS, AKS, k3s
   * and ACK, not a rule, so there is no default.
   */
  readonly clusterDnsIp: string;
  /**
   * The VPC's DNS resolver (on AWS the VPC CIDR base + 2); the second nameserver.
   * @default "10.0.0.2"
   */
  readonly vpcDnsIp?: string;
  /**
   * A public resolver; the third nameserver.
   * @default "8.8.8.8"
   */
  readonly publicDnsIp?: string;
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
  readonly nameservers: readonly string[];
  /** The search domains, in order, without duplicates (the kubelet drops them). */
  readonly searches: readonly string[];
  /** The options as written: `name` or `name:value`. */
  readonly options: readonly string[];
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
  readonly searches: readonly string[];
  /** Fully qualified names (with the trailing dot) queried, in order, up to and including the one that answers. */
  readonly attempts: readonly string[];
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

/** One Corefile line: a plugin and its arguments, with an optional `{ ... }` block of nested lines. */
interface CorefileDirective {
  readonly name: string;
  readonly args?: readonly string[];
  readonly block?: readonly CorefileDirective[];
}

/** A Corefile server block, e.g. `.:53 { ... }`. */
interface CorefileServerBlock {
  readonly keys: readonly string[];
  readonly directives: readonly CorefileDirective[];
}

const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
const DEFAULT_UPSTREAMS = ['8.8.8.8', '1.1.1.1'];
const DEFAULT_JOB_NAMESPACE = 'gitlab-runner-jobs';

/** The kubelet writes `options ndots:5` for ClusterFirst pods. */
const CLUSTER_FIRST_NDOTS = 5;
/** Without `ndots`, `timeout` and `attempts` options glibc and musl use 1, 5 s and 2. */
const RESOLVER_DEFAULTS = { ndots: 1, timeout: 5, attempts: 2 };

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_LIST_CHARS = 2048;
const MAX_UPSTREAMS = 15;

/** Options glibc (and musl, where it knows them) reads as flags: a value makes no sense. */
const FLAG_OPTIONS = ['edns0', 'rotate', 'single-request', 'single-request-reopen', 'use-vc', 'no-tld-query', 'trust-ad', 'inet6', 'no-reload'];

/** Options with a numeric value: the range both resolvers honour, and why. */
const NUMERIC_OPTIONS: { readonly [name: string]: { min: number; max: number; why: string } } = {
  ndots: { min: 0, max: 15, why: 'glibc and musl cap ndots at 15' },
  timeout: { min: 1, max: 30, why: 'seconds; glibc caps timeout at 30 (musl at 60)' },
  attempts: { min: 1, max: 5, why: 'glibc caps attempts at 5 (musl at 10), and attempts:0 makes glibc send no query at all' },
};

const COREDNS_NOTE_KEY = 'cdk8s-gitlab-runner/note';

const CLUSTER_DNS_IP_EXPECTED = 'the ClusterIP of the cluster DNS Service, the first nameserver: there is no default, since it depends on '
  + 'the cluster. It is usually the tenth address of the Service CIDR (a convention of kubeadm, EKS, AKS, k3s and ACK, not a rule), '
  + 'e.g. "10.96.0.10" for kubeadm\'s 10.96.0.0/12; look it up with kubectl -n kube-system get svc kube-dns';

/** Helper image flavors built on glibc; every other flavor is Alpine (musl). */
const GLIBC_HELPER_FLAVORS: readonly string[] = [HelperImageFlavor.UBUNTU, HelperImageFlavor.UBI_FIPS];

/**
 * How the job pods of a `RunnerManager` resolve names: `dns_policy` and `dns_config` of
 * `[runners.kubernetes]`, and, for `publicCloud()`, the CoreDNS Corefile.
 *
 * The pod's `/etc/resolv.conf` is shared by every container of a job pod, so it also governs
 * `dockerd` in a Docker-in-Docker service container when it pulls images. DinD's `--dns` flag is a
 * different thing: it sets the resolver of the containers `dockerd` starts (`RUN` steps of `docker build`).
 */
export class DnsStrategy {
  /**
   * Private network, no cluster DNS: `dns_policy = "none"` with the VPC DNS and internal DNS servers
   * (the seeds' strategy 1). Job pods resolve private names, e.g. an internal registry.
   *
   * The search domains do not give Kubernetes service discovery by themselves: a
   * `*.svc.cluster.local` name resolves only if one of these nameservers answers for the cluster
   * domain (e.g. forwards it to the cluster DNS). With `ndots:2`, names with fewer than 2 dots
   * (`pypi.org`) go through every search domain first, each an NXDOMAIN round trip.
   */
  public static internal(options: InternalDnsOptions = {}): DnsStrategy {
    checkProps(new PropChecker('DnsStrategy.internal'), options, 'InternalDnsOptions', 'options');
    const domain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
    return new DnsStrategy({
      kind: DnsStrategyKind.INTERNAL,
      clusterDomain: domain,
      nameservers: options.nameservers ?? ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
      nameserverProps: [],
      searches: options.searches ?? [`gitlab.svc.${domain}`, `svc.${domain}`, domain],
      options: options.options ?? [{ name: 'ndots', value: '2' }],
      upstreams: [],
    });
  }

  /**
   * Public cloud with Internet access (the seeds' strategy 2): job pods keep the cluster DNS (nothing
   * is written to `config.toml`), and CoreDNS forwards every non-cluster name to public resolvers.
   * That change is a separate object: `addCoreDnsConfigMap()` creates a complete `kube-system/coredns`
   * ConfigMap (see `corefile`), which replaces the distribution's own. Private names (VPC-internal
   * zones, node host names) stop resolving, since public resolvers do not know them.
   */
  public static publicCloud(options: PublicCloudDnsOptions = {}): DnsStrategy {
    checkProps(new PropChecker('DnsStrategy.publicCloud'), options, 'PublicCloudDnsOptions', 'options');
    return new DnsStrategy({
      kind: DnsStrategyKind.PUBLIC_CLOUD,
      clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      nameservers: [],
      nameserverProps: [],
      searches: [],
      options: [],
      upstreams: options.upstreams ?? DEFAULT_UPSTREAMS,
    });
  }

  /**
   * Cluster DNS, then the VPC DNS, then a public resolver, with `dns_policy = "none"` (the seeds'
   * strategy 3).
   *
   * This gives failover, not split-horizon: a resolver moves to the next nameserver only when one
   * fails or times out, never on NXDOMAIN. While the cluster DNS is up it answers every query — a
   * private name it answers NXDOMAIN for is not retried on the VPC DNS — so private names resolve
   * only if the cluster DNS itself forwards them to a resolver that knows them (CoreDNS' default
   * `forward . /etc/resolv.conf` does on most clouds; `publicCloud()`'s Corefile does not). The VPC
   * DNS and the public resolver answer only while the cluster DNS does not, and then without cluster
   * names. musl (Alpine) asks all three at once and takes the first answer, so there the nameservers
   * must agree: a `RunnerManager` warns when its helper or job image is Alpine. `timeout:2` shortens
   * the wait per name when the cluster DNS is down (glibc).
   *
   * @throws ValidationError without `clusterDnsIp`
   */
  public static hybrid(options: HybridDnsOptions): DnsStrategy {
    return DnsStrategy._hybrid(new PropChecker('DnsStrategy.hybrid'), '', options);
  }

  /**
   * `hybrid()`, with errors naming `check`'s path and props under `prefix` (e.g. `dns.` for a stack's `dns`).
   * @internal
   */
  public static _hybrid(check: PropChecker, prefix: string, options: HybridDnsOptions): DnsStrategy {
    // Required by the types, but JavaScript callers can still leave it out.
    if (options?.clusterDnsIp === undefined || options.clusterDnsIp === null) {
      check.fail(`${prefix}clusterDnsIp`, options?.clusterDnsIp, CLUSTER_DNS_IP_EXPECTED);
    }
    checkProps(check, options, 'HybridDnsOptions', prefix.replace(/\.$/, '') || 'options');
    const domain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
    return new DnsStrategy({
      kind: DnsStrategyKind.HYBRID,
      clusterDomain: domain,
      nameservers: [options.clusterDnsIp, options.vpcDnsIp ?? '10.0.0.2', options.publicDnsIp ?? '8.8.8.8'],
      nameserverProps: ['clusterDnsIp', 'vpcDnsIp', 'publicDnsIp'],
      searches: options.searches ?? [`svc.${domain}`, domain],
      options: options.options ?? [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '2' }],
      upstreams: [],
    });
  }

  /** The cluster DNS as the distribution set it up (Kubernetes' `ClusterFirst`); nothing is written. */
  public static clusterDefault(options: ClusterDefaultDnsOptions = {}): DnsStrategy {
    checkProps(new PropChecker('DnsStrategy.clusterDefault'), options, 'ClusterDefaultDnsOptions', 'options');
    return new DnsStrategy({
      kind: DnsStrategyKind.CLUSTER_DEFAULT,
      clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      nameservers: [],
      nameserverProps: [],
      searches: [],
      options: [],
      upstreams: [],
    });
  }

  /** Which factory built this strategy. */
  public readonly kind: DnsStrategyKind;
  /** Nameservers written to `dns_config`, in order; empty for the cluster-DNS kinds. */
  public readonly nameservers: readonly string[];
  /** Search domains written to `dns_config`; empty for the cluster-DNS kinds. */
  public readonly searches: readonly string[];
  /** Resolver options written to `dns_config`; empty for the cluster-DNS kinds. */
  public readonly options: readonly DnsResolverOption[];
  /** Resolvers CoreDNS forwards to (`publicCloud()`); empty otherwise. */
  public readonly upstreams: readonly string[];
  /** The cluster's DNS domain. */
  public readonly clusterDomain: string;
  /** The Corefile `addCoreDnsConfigMap()` writes (`publicCloud()`); `undefined` otherwise. */
  public readonly corefile: string | undefined;

  /** Prop names of the nameservers in error messages (`nameservers[1]`, `vpcDnsIp`). */
  private readonly nameserverProps: readonly string[];

  private constructor(spec: {
    kind: DnsStrategyKind;
    clusterDomain: string;
    nameservers: readonly string[];
    nameserverProps: readonly string[];
    searches: readonly string[];
    options: readonly DnsResolverOption[];
    upstreams: readonly string[];
  }) {
    this.kind = spec.kind;
    this.clusterDomain = spec.clusterDomain;
    this.nameservers = Array.isArray(spec.nameservers) ? [...spec.nameservers] : spec.nameservers;
    this.nameserverProps = spec.nameserverProps;
    this.searches = Array.isArray(spec.searches) ? [...spec.searches] : spec.searches;
    this.options = Array.isArray(spec.options) ? spec.options.map((o) => ({ ...o })) : spec.options;
    this.upstreams = Array.isArray(spec.upstreams) ? [...spec.upstreams] : spec.upstreams;
    // Rendered only from a list: anything else fails validation when the strategy is used.
    this.corefile = this.kind === DnsStrategyKind.PUBLIC_CLOUD && Array.isArray(this.upstreams)
      ? renderCorefile([publicCloudServerBlock(this.clusterDomain, this.upstreams)])
      : undefined;
  }

  /**
   * Where job pods send DNS queries, for NetworkPolicies: whether they use the cluster DNS (which a
   * policy reaches through its pods, since policies apply after the Service address is translated)
   * and the other nameserver addresses.
   */
  public get resolvers(): { readonly clusterDns: boolean; readonly addresses: readonly string[] } {
    switch (this.kind) {
      case DnsStrategyKind.INTERNAL: return { clusterDns: false, addresses: this.nameservers };
      // hybrid(): the first nameserver is the cluster DNS Service.
      case DnsStrategyKind.HYBRID: return { clusterDns: true, addresses: this.nameservers.slice(1) };
      default: return { clusterDns: true, addresses: [] };
    }
  }

  /** The resolver configuration the kubelet writes into job pods in `jobNamespace`. */
  public resolvConf(jobNamespace: string): JobResolvConf {
    if (this.writesDnsConfig) {
      return {
        clusterFirst: false,
        nameservers: [...this.nameservers],
        searches: this.searches.filter((s, i) => this.searches.indexOf(s) === i),
        options: this.options.map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)),
      };
    }
    const domain = this.clusterDomain;
    return {
      clusterFirst: true,
      nameservers: [],
      searches: [`${jobNamespace}.svc.${domain}`, `svc.${domain}`, domain],
      options: [`ndots:${CLUSTER_FIRST_NDOTS}`],
    };
  }

  /** Whether job pods keep `dns_policy = "none"` with this strategy's own resolver configuration. */
  private get writesDnsConfig(): boolean {
    return this.kind === DnsStrategyKind.INTERNAL || this.kind === DnsStrategyKind.HYBRID;
  }

  /**
   * Creates the complete `kube-system/coredns` ConfigMap of `publicCloud()` in `scope`.
   *
   * Applying it replaces the distribution's Corefile for the whole cluster: managed distributions
   * (EKS, AKS, k3s) may reconcile it back or carry their own changes (stub domains, `hosts`, custom
   * upstreams), which this one drops; GKE runs kube-dns, not CoreDNS. Keep it in a chart of its own,
   * back up the original (`kubectl -n kube-system get configmap coredns -o yaml > coredns.backup.yaml`)
   * and apply it deliberately.
   *
   * @param scope where to create it; errors name its path
   * @param id construct id, `CoreDnsConfigMap` when omitted
   * @throws ValidationError for a strategy other than `publicCloud()` (there is nothing to change) or invalid options
   */
  public addCoreDnsConfigMap(scope: Construct, id: string = 'CoreDnsConfigMap'): ApiObject {
    const check = new PropChecker(scope.node.path);
    if (this.kind !== DnsStrategyKind.PUBLIC_CLOUD) {
      check.fail('dnsStrategy', `DnsStrategy.${factoryName(this.kind)}()`,
        'DnsStrategy.publicCloud(): only it changes CoreDNS; the other strategies leave the Corefile as it is');
    }
    this._validate(check, 'dnsStrategy');
    scanManifestsForCredentials(scope);
    return new k8s.KubeConfigMap(scope, id, {
      metadata: {
        name: 'coredns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
        annotations: {
          [COREDNS_NOTE_KEY]: 'Replaces the cluster distribution\'s CoreDNS Corefile: names outside '
            + `${this.clusterDomain} are forwarded to ${this.upstreams.join(', ')} instead of the node's resolvers. `
            + 'Back up the original first: kubectl -n kube-system get configmap coredns -o yaml > coredns.backup.yaml',
        },
      },
      data: { Corefile: this.corefile! },
    });
  }

  /**
   * What looking up `host` from a job pod costs: the names queried until the answer, and the extra
   * wait when the first nameserver is down.
   *
   * Model: the resolver configuration is this strategy's (`internal()`, `hybrid()`) or a
   * cluster-first pod's (search `<namespace>.svc.<clusterDomain> svc.<clusterDomain> <clusterDomain>`,
   * `ndots:5`, one nameserver: the cluster DNS Service; search domains the kubelet copies from the node are
   * not modelled). Absent options take the resolver defaults: `ndots:1`, `timeout:5`, `attempts:2`. A trailing dot makes
   * the name absolute. A name with at least `ndots` dots is tried as given first; a shorter one
   * through every search domain, then as given. Only the name as given is assumed to exist (a
   * name in the cluster domain counts as an existing cluster name), so every search expansion before
   * it costs an NXDOMAIN round trip.
   *
   * A dead first nameserver (one that drops packets rather than refusing them): glibc and Go try
   * nameservers in order and wait `timeout` for the first on every name they try (A and AAAA go out
   * together), so the delay is `attempts.length × timeout`; musl asks all nameservers at once, so
   * the delay is 0 while another one answers. With a single nameserver nothing answers: `Infinity`.
   */
  public lookupCost(host: string, options: DnsLookupCostOptions = {}): DnsLookupCost {
    const check = new PropChecker('DnsStrategy.lookupCost');
    this._validate(check, 'strategy');
    checkProps(check, options, 'DnsLookupCostOptions', 'options');
    const resolver = check.oneOf('resolver', options.resolver ?? DnsResolver.GLIBC, [DnsResolver.GLIBC, DnsResolver.MUSL]);
    const namespace = check.dnsLabel('namespace', options.namespace ?? DEFAULT_JOB_NAMESPACE);
    // Before the lowercasing below, which would hide a credential's shape but not its content.
    check.noCredential('host', host);
    const absolute = typeof host === 'string' && host.endsWith('.');
    const name = absolute ? host.slice(0, -1) : host;
    check.dnsSubdomain('host', typeof name === 'string' ? name.toLowerCase() : name);

    const own = this.writesDnsConfig;
    const searches = [...this.resolvConf(namespace).searches];
    const ndots = own ? this.optionNumber('ndots') ?? RESOLVER_DEFAULTS.ndots : CLUSTER_FIRST_NDOTS;
    const timeout = (own ? this.optionNumber('timeout') : undefined) ?? RESOLVER_DEFAULTS.timeout;
    const nameserverCount = own ? this.nameservers.length : 1;

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

  /**
   * The `dns_policy` and `dns_config` of `[runners.kubernetes]`, validated with `check`; `prop` is
   * the consuming construct's prop (e.g. `dnsStrategy`), so errors read `<path>: invalid dnsStrategy.nameservers[1]: ...`.
   * @internal
   */
  public _toKubernetesConfig(check: PropChecker, prop: string): { dnsPolicy?: DnsPolicyValue; dnsConfig?: DnsConfig } {
    this._validate(check, prop);
    if (!this.writesDnsConfig) return {};
    return {
      dnsPolicy: 'none',
      dnsConfig: {
        nameservers: [...this.nameservers],
        searches: this.searches.length > 0 ? [...this.searches] : undefined,
        options: this.options.length > 0
          ? this.options.map((o) => (o.value === undefined ? { name: o.name } : { name: o.name, value: o.value }))
          : undefined,
      },
    };
  }

  /**
   * Warns on `runner` when the strategy is known to fail with its images: `hybrid()` with a musl
   * (Alpine) helper or job image, where the nameservers' answers race. Called once per runner.
   * @internal
   */
  public _warnAboutImages(runner: IConstruct, helperImage: string, jobImage: string): void {
    if (this.kind !== DnsStrategyKind.HYBRID) return;
    const musl = [
      ...(isMuslHelper(helperImage) ? [`the helper image ${helperImage} (Alpine flavor: git clones there)`] : []),
      ...(isAlpineImage(jobImage) ? [`the default job image ${jobImage}`] : []),
    ];
    if (musl.length === 0) return;
    addWarning(runner, `dnsStrategy: DnsStrategy.hybrid() with musl-based images, ${musl.join(' and ')}: musl sends each query to `
      + `all nameservers (${this.nameservers.join(', ')}) at once and takes the first answer, NXDOMAIN included, so a cluster name `
      + 'fails whenever the VPC or public resolver answers first, and a private name whenever the public one does: lookups fail '
      + 'at random. Use glibc-based images (JobPodPolicy helperImage: HelperImage.official({ flavor: HelperImageFlavor.UBUNTU }) '
      + 'and a Debian or Ubuntu jobImage), or nameservers that all give the same answers, e.g. DnsStrategy.clusterDefault() '
      + 'when the cluster DNS forwards to the VPC DNS');
  }

  /**
   * Throws a `ValidationError` (naming `check`'s path and `prop`) for anything Kubernetes, the
   * resolvers or CoreDNS would reject or silently cap.
   * @internal
   */
  public _validate(check: PropChecker, prop: string): void {
    check.dnsSubdomain(`${prop}.clusterDomain`, this.clusterDomain);
    if (this.kind === DnsStrategyKind.PUBLIC_CLOUD) this.validateUpstreams(check, prop);
    if (!this.writesDnsConfig) return;
    this.validateNameservers(check, prop);
    this.validateSearches(check, prop);
    this.validateOptions(check, prop);
  }

  private validateUpstreams(check: PropChecker, prop: string): void {
    const upstreams = this.upstreams;
    if (!Array.isArray(upstreams) || upstreams.length < 1 || upstreams.length > MAX_UPSTREAMS) {
      check.fail(`${prop}.upstreams`, upstreams, `1 to ${MAX_UPSTREAMS} IP addresses: CoreDNS' forward plugin takes at most ${MAX_UPSTREAMS}`);
    }
    upstreams.forEach((u, i) => {
      check.ipAddress(`${prop}.upstreams[${i}]`, u);
      const first = upstreams.indexOf(u);
      if (first < i) check.fail(`${prop}.upstreams[${i}]`, u, `an upstream not already listed (it is upstreams[${first}])`);
    });
  }

  private validateNameservers(check: PropChecker, prop: string): void {
    const nameservers = this.nameservers;
    const label = (i: number) => `${prop}.${this.nameserverProps[i] ?? `nameservers[${i}]`}`;
    if (!Array.isArray(nameservers) || nameservers.length === 0) {
      check.fail(`${prop}.nameservers`, nameservers, 'at least one nameserver: dns_policy "none" gives the pod only these');
    }
    if (nameservers.length > MAX_NAMESERVERS) {
      check.fail(`${prop}.nameservers`, nameservers,
        `at most ${MAX_NAMESERVERS} nameservers: the Kubernetes API rejects more, and glibc and musl read only the first ${MAX_NAMESERVERS}`);
    }
    nameservers.forEach((ns, i) => {
      check.ipAddress(label(i), ns);
      const first = nameservers.indexOf(ns);
      if (first < i) {
        check.fail(label(i), ns, `a nameserver not already listed (it is ${this.nameserverProps[first] ?? `nameservers[${first}]`}): a duplicate wastes one of the ${MAX_NAMESERVERS} slots`);
      }
    });
  }

  private validateSearches(check: PropChecker, prop: string): void {
    const searches = this.searches;
    if (!Array.isArray(searches)) check.fail(`${prop}.searches`, searches, 'a list of search domains');
    if (searches.length > MAX_SEARCHES) {
      check.fail(`${prop}.searches`, searches, `at most ${MAX_SEARCHES} search domains (the Kubernetes API rejects more)`);
    }
    // Kubernetes allows one trailing dot on a search domain.
    searches.forEach((s, i) => check.dnsSubdomain(`${prop}.searches[${i}]`, typeof s === 'string' ? s.replace(/\.$/, '') : s));
    const chars = searches.join(' ').length;
    if (chars > MAX_SEARCH_LIST_CHARS) {
      check.fail(`${prop}.searches`, `${searches.length} search domains, ${chars} characters`,
        `at most ${MAX_SEARCH_LIST_CHARS} characters in the search list, counting the spaces between domains (the Kubernetes API rejects more)`);
    }
  }

  private validateOptions(check: PropChecker, prop: string): void {
    const options = this.options;
    if (!Array.isArray(options)) check.fail(`${prop}.options`, options, 'a list of { name, value? } resolver options');
    const seen = new Map<string, number>();
    options.forEach((o, i) => {
      const at = `${prop}.options[${i}]`;
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

  /** The numeric value of a resolver option of this strategy, if set. */
  private optionNumber(name: string): number | undefined {
    const option = this.options.find((o) => o.name === name);
    return option?.value === undefined ? undefined : Number(option.value);
  }
}

/**
 * Markdown table of `lookupCost()` for `hosts`: names tried, NXDOMAIN answers before the real one,
 * and the extra wait per lookup when the first nameserver is down, for glibc (and Go) and for musl.
 */
export function formatLookupCostTable(strategy: DnsStrategy, hosts: readonly string[], options: { readonly namespace?: string } = {}): string {
  const seconds = (s: number) => (s === Infinity ? 'no answer' : `${s} s`);
  const rows = hosts.map((host) => {
    const glibc = strategy.lookupCost(host, { ...options, resolver: DnsResolver.GLIBC });
    const musl = strategy.lookupCost(host, { ...options, resolver: DnsResolver.MUSL });
    const names = glibc.attempts.map((a) => `\`${a}\``).join(', ');
    return `| \`${host}\` | ${names} | ${glibc.queriesBeforeAnswer} | ${seconds(glibc.firstNameserverDownDelaySeconds)} | ${seconds(musl.firstNameserverDownDelaySeconds)} |`;
  });
  return [
    '| host | names tried, in order | NXDOMAIN before the answer | first nameserver down: glibc, Go | first nameserver down: musl |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The seeds' Corefile, completed with what the stock CoreDNS deployment relies on (`ready`, `lameduck`, `ttl`, `max_concurrent`). */
function publicCloudServerBlock(clusterDomain: string, upstreams: readonly string[]): CorefileServerBlock {
  return {
    keys: ['.:53'],
    directives: [
      { name: 'errors' },
      { name: 'health', block: [{ name: 'lameduck', args: ['5s'] }] },
      // The stock readiness probe is http :8181/ready: without this plugin no CoreDNS pod becomes ready.
      { name: 'ready' },
      {
        name: 'kubernetes',
        args: [clusterDomain, 'in-addr.arpa', 'ip6.arpa'],
        block: [
          { name: 'pods', args: ['insecure'] },
          { name: 'fallthrough', args: ['in-addr.arpa', 'ip6.arpa'] },
          { name: 'ttl', args: ['30'] },
        ],
      },
      { name: 'prometheus', args: [':9153'] },
      { name: 'forward', args: ['.', ...upstreams], block: [{ name: 'max_concurrent', args: ['1000'] }] },
      { name: 'cache', args: ['30'] },
      { name: 'loop' },
      { name: 'reload' },
      { name: 'loadbalance' },
    ],
  };
}

/** Renders server blocks as Corefile text, indenting nested blocks by 4 spaces. */
function renderCorefile(blocks: readonly CorefileServerBlock[]): string {
  const lines: string[] = [];
  const render = (directives: readonly CorefileDirective[], depth: number) => {
    const indent = '    '.repeat(depth);
    for (const d of directives) {
      const head = [d.name, ...(d.args ?? [])].join(' ');
      if (d.block && d.block.length > 0) {
        lines.push(`${indent}${head} {`);
        render(d.block, depth + 1);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${head}`);
      }
    }
  };
  for (const block of blocks) {
    lines.push(`${block.keys.join(' ')} {`);
    render(block.directives, 1);
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

/** A helper image tag without a glibc flavor prefix is Alpine: `x86_64-v18.3.0`, `alpine3.21-x86_64-v18.3.0`. */
function isMuslHelper(image: string): boolean {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return !GLIBC_HELPER_FLAVORS.some((flavor) => tag.startsWith(`${flavor}-`));
}

/** An image named `alpine` or tagged as an Alpine variant (`python:3.12-alpine`), by name only. */
function isAlpineImage(image: string): boolean {
  const [nameAndTag] = image.split('@');
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', slash + 1);
  const name = nameAndTag.slice(slash + 1, colon >= 0 ? colon : undefined);
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : '';
  return name === 'alpine' || tag.includes('alpine');
}

function factoryName(kind: DnsStrategyKind): string {
  switch (kind) {
    case DnsStrategyKind.INTERNAL: return 'internal';
    case DnsStrategyKind.PUBLIC_CLOUD: return 'publicCloud';
    case DnsStrategyKind.HYBRID: return 'hybrid';
    case DnsStrategyKind.CLUSTER_DEFAULT: return 'clusterDefault';
  }
}
