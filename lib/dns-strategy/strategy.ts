import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { DnsConfig, DnsPolicyValue } from '../model/runner-config';
import { renderCorefile } from '../render/corefile';
import { LookupCostRow } from '../render/dns-report';
import { PropChecker } from '../validation/prop-checker';
import { scanManifestsForCredentials } from '../validation/credential-scan';
import { checkProps } from '../validation/known-keys';
import { addWarning } from '../validation/warnings';
import { CLUSTER_DNS, COREDNS_NOTE_KEY, publicCloudCorefile } from './core-dns';
import { hybridMuslWarning } from './images';
import {
  ClusterDefaultDnsOptions, DnsLookupCost, DnsLookupCostOptions, DnsResolver, DnsResolverOption, DnsResolvers, DnsStrategyKind,
  HybridDnsOptions, InternalDnsOptions, JobResolvConf, PublicCloudDnsOptions,
} from './options';
import { CLUSTER_FIRST_NDOTS, RESOLVER_DEFAULTS, simulateLookup } from './resolver-model';
import {
  CLUSTER_DNS_IP_EXPECTED, NAMESERVERS_EXPECTED, PUBLIC_DNS_IP_EXPECTED, under, UPSTREAMS_EXPECTED, validateNameservers, validateOptions,
  validateSearches, validateUpstreams, VPC_DNS_IP_EXPECTED,
} from './validation';
import { DEFAULT_NAMESPACE, defaultJobNamespace } from '../runner-manager/defaults';

/** The kubelet's default `--cluster-domain`. */
const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** Fewer search expansions than the kubelet's ndots:5 for names like `pypi.org` (seed 001's choice, kept as the default). */
const NDOTS_2: DnsResolverOption = { name: 'ndots', value: '2' };

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
   * Private network, no cluster DNS: `dns_policy = "none"` with your VPC's and your company's DNS
   * servers (the seeds' strategy 1). Job pods resolve private names, e.g. an internal registry.
   *
   * The search domains do not give Kubernetes service discovery by themselves: a
   * `*.svc.cluster.local` name resolves only if one of these nameservers answers for the cluster
   * domain (e.g. forwards it to the cluster DNS). With `ndots:2`, names with fewer than 2 dots
   * (`pypi.org`) go through every search domain first, each an NXDOMAIN round trip.
   *
   * @throws ValidationError without `nameservers`
   */
  public static internal(options: InternalDnsOptions): DnsStrategy {
    return DnsStrategy._internal(new PropChecker('DnsStrategy.internal'), '', options);
  }

  /**
   * `internal()`, with errors naming `check`'s path and props under `prefix` (e.g. `dns.` for a stack's `dns`).
   * @internal
   */
  public static _internal(check: PropChecker, prefix: string, options: InternalDnsOptions): DnsStrategy {
    checkProps(check, options, 'InternalDnsOptions', prefix.replace(/\.$/, '') || 'options', true);
    // Required by the types, but JavaScript callers (and a misspelled key) can still leave it out.
    if (options.nameservers === undefined || options.nameservers === null) {
      check.fail(`${prefix}nameservers`, options.nameservers, NAMESERVERS_EXPECTED);
    }
    const domain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
    const strategy = new DnsStrategy({
      kind: DnsStrategyKind.INTERNAL,
      clusterDomain: domain,
      nameservers: options.nameservers,
      nameserverProps: [],
      searches: options.searches ?? clusterSearches(domain),
      options: options.options ?? [NDOTS_2],
      upstreams: [],
    });
    // Each address and option fails here, at the factory, naming the caller's prop.
    strategy.validate(check, prefix.replace(/\.$/, ''));
    return strategy;
  }

  /**
   * Public cloud with Internet access (the seeds' strategy 2): job pods keep the cluster DNS (nothing
   * is written to `config.toml`), and CoreDNS forwards every non-cluster name to public resolvers.
   * That change is a separate object: `addCoreDnsConfigMap()` creates a complete `kube-system/coredns`
   * ConfigMap (see `corefile`), which replaces the distribution's own. Private names (VPC-internal
   * zones, node host names) stop resolving, since public resolvers do not know them.
   *
   * @throws ValidationError without `upstreams`
   */
  public static publicCloud(options: PublicCloudDnsOptions): DnsStrategy {
    return DnsStrategy._publicCloud(new PropChecker('DnsStrategy.publicCloud'), '', options);
  }

  /**
   * `publicCloud()`, with errors naming `check`'s path and props under `prefix`.
   * @internal
   */
  public static _publicCloud(check: PropChecker, prefix: string, options: PublicCloudDnsOptions): DnsStrategy {
    checkProps(check, options, 'PublicCloudDnsOptions', prefix.replace(/\.$/, '') || 'options', true);
    if (options.upstreams === undefined || options.upstreams === null) {
      check.fail(`${prefix}upstreams`, options.upstreams, UPSTREAMS_EXPECTED);
    }
    const strategy = new DnsStrategy({
      kind: DnsStrategyKind.PUBLIC_CLOUD,
      clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      nameservers: [],
      nameserverProps: [],
      searches: [],
      options: [],
      upstreams: options.upstreams,
    });
    // Each address and option fails here, at the factory, naming the caller's prop.
    strategy.validate(check, prefix.replace(/\.$/, ''));
    return strategy;
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
   * @throws ValidationError without `clusterDnsIp`, `vpcDnsIp` or `publicDnsIp`
   */
  public static hybrid(options: HybridDnsOptions): DnsStrategy {
    return DnsStrategy._hybrid(new PropChecker('DnsStrategy.hybrid'), '', options);
  }

  /**
   * `hybrid()`, with errors naming `check`'s path and props under `prefix` (e.g. `dns.` for a stack's `dns`).
   * @internal
   */
  public static _hybrid(check: PropChecker, prefix: string, options: HybridDnsOptions): DnsStrategy {
    // Required by the types, but JavaScript callers can still leave them out.
    const required: [keyof HybridDnsOptions, string][] = [
      ['clusterDnsIp', CLUSTER_DNS_IP_EXPECTED], ['vpcDnsIp', VPC_DNS_IP_EXPECTED], ['publicDnsIp', PUBLIC_DNS_IP_EXPECTED]];
    for (const [key, expected] of required) {
      if (options?.[key] === undefined || options[key] === null) check.fail(`${prefix}${key}`, options?.[key], expected);
    }
    checkProps(check, options, 'HybridDnsOptions', prefix.replace(/\.$/, '') || 'options');
    const domain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
    const strategy = new DnsStrategy({
      kind: DnsStrategyKind.HYBRID,
      clusterDomain: domain,
      nameservers: [options.clusterDnsIp, options.vpcDnsIp, options.publicDnsIp],
      nameserverProps: ['clusterDnsIp', 'vpcDnsIp', 'publicDnsIp'],
      searches: options.searches ?? clusterSearches(domain),
      options: options.options ?? [NDOTS_2, { name: 'timeout', value: '2' }],
      upstreams: [],
    });
    // Each address and option fails here, at the factory, naming the caller's prop.
    strategy.validate(check, prefix.replace(/\.$/, ''));
    return strategy;
  }

  /** The cluster DNS as the distribution set it up (Kubernetes' `ClusterFirst`); nothing is written. */
  public static clusterDefault(options: ClusterDefaultDnsOptions = {}): DnsStrategy {
    const check = new PropChecker('DnsStrategy.clusterDefault');
    checkProps(check, options, 'ClusterDefaultDnsOptions', 'options');
    const strategy = new DnsStrategy({
      kind: DnsStrategyKind.CLUSTER_DEFAULT,
      clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      nameservers: [],
      nameserverProps: [],
      searches: [],
      options: [],
      upstreams: [],
    });
    strategy.validate(check, '');
    return strategy;
  }

  /** Which factory built this strategy. */
  public readonly kind: DnsStrategyKind;
  /** Nameservers written to `dns_config`, in order; empty for the cluster-DNS kinds. */
  public readonly nameservers: string[];
  /** Search domains written to `dns_config`; empty for the cluster-DNS kinds. */
  public readonly searches: string[];
  /** Resolver options written to `dns_config`; empty for the cluster-DNS kinds. */
  public readonly options: DnsResolverOption[];
  /** Resolvers CoreDNS forwards to (`publicCloud()`); empty otherwise. */
  public readonly upstreams: string[];
  /** The cluster's DNS domain. */
  public readonly clusterDomain: string;

  /** Prop names of the nameservers in error messages (`nameservers[1]`, `vpcDnsIp`). */
  private readonly nameserverProps: readonly string[];

  private constructor(spec: {
    kind: DnsStrategyKind;
    clusterDomain: string;
    nameservers: string[];
    nameserverProps: readonly string[];
    searches: string[];
    options: DnsResolverOption[];
    upstreams: string[];
  }) {
    this.kind = spec.kind;
    this.clusterDomain = spec.clusterDomain;
    this.nameservers = Array.isArray(spec.nameservers) ? [...spec.nameservers] : spec.nameservers;
    this.nameserverProps = spec.nameserverProps;
    this.searches = Array.isArray(spec.searches) ? [...spec.searches] : spec.searches;
    this.options = Array.isArray(spec.options) ? spec.options.map((o) => ({ ...o })) : spec.options;
    this.upstreams = Array.isArray(spec.upstreams) ? [...spec.upstreams] : spec.upstreams;
  }

  /** The Corefile `addCoreDnsConfigMap()` writes (`publicCloud()`); `undefined` otherwise. */
  public get corefile(): string | undefined {
    // Built on request: the factory has validated the upstreams by then.
    return this.kind === DnsStrategyKind.PUBLIC_CLOUD ? renderCorefile(publicCloudCorefile(this.clusterDomain, this.upstreams)) : undefined;
  }

  /** Where job pods send DNS queries, for NetworkPolicies. */
  public get resolvers(): DnsResolvers {
    switch (this.kind) {
      case DnsStrategyKind.INTERNAL: return { clusterDns: false, addresses: [...this.nameservers] };
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
    return {
      clusterFirst: true,
      nameservers: [],
      searches: [`${jobNamespace}.svc.${this.clusterDomain}`, ...clusterSearches(this.clusterDomain)],
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
    scanManifestsForCredentials(scope);
    return new k8s.KubeConfigMap(scope, id, {
      metadata: {
        name: CLUSTER_DNS.configMapName,
        namespace: CLUSTER_DNS.namespace,
        labels: { ...CLUSTER_DNS.labels },
        annotations: {
          [COREDNS_NOTE_KEY]: 'Replaces the cluster distribution\'s CoreDNS Corefile: names outside '
            + `${this.clusterDomain} are forwarded to ${this.upstreams.join(', ')} instead of the node's resolvers. `
            + 'Back up the original first: kubectl -n kube-system get configmap coredns -o yaml > coredns.backup.yaml',
        },
      },
      // Rendered when the manifest is written, like every other file's model.
      data: { [CLUSTER_DNS.corefileKey]: Lazy.any({ produce: () => this.corefile }) },
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
    checkProps(check, options, 'DnsLookupCostOptions', 'options');
    const resolver = check.oneOf('resolver', options.resolver ?? DnsResolver.GLIBC, [DnsResolver.GLIBC, DnsResolver.MUSL]);
    const namespace = check.dnsLabel('namespace', options.namespace ?? defaultJobNamespace(DEFAULT_NAMESPACE));
    // Before the lowercasing below, which would hide a credential's shape but not its content.
    check.noCredential('host', host);
    const absolute = typeof host === 'string' && host.endsWith('.');
    const name = absolute ? host.slice(0, -1) : host;
    check.dnsSubdomain('host', typeof name === 'string' ? name.toLowerCase() : name);

    const own = this.writesDnsConfig;
    return simulateLookup({
      searches: this.resolvConf(namespace).searches,
      ndots: own ? this.optionNumber('ndots') ?? RESOLVER_DEFAULTS.ndots : CLUSTER_FIRST_NDOTS,
      timeout: (own ? this.optionNumber('timeout') : undefined) ?? RESOLVER_DEFAULTS.timeout,
      nameserverCount: own ? this.nameservers.length : 1,
    }, host, resolver);
  }

  /**
   * The lookup-cost table's rows for `hosts`: glibc's (and Go's) names and NXDOMAIN count, and the
   * delay with the first nameserver down for glibc and for musl.
   * @internal
   */
  public _lookupCostRows(hosts: readonly string[], namespace?: string): LookupCostRow[] {
    return hosts.map((host) => {
      const glibc = this.lookupCost(host, { namespace, resolver: DnsResolver.GLIBC });
      const musl = this.lookupCost(host, { namespace, resolver: DnsResolver.MUSL });
      return {
        host,
        attempts: glibc.attempts,
        queriesBeforeAnswer: glibc.queriesBeforeAnswer,
        glibcDelaySeconds: glibc.firstNameserverDownDelaySeconds,
        muslDelaySeconds: musl.firstNameserverDownDelaySeconds,
      };
    });
  }

  /**
   * The `dns_policy` and `dns_config` of `[runners.kubernetes]` (the factory has checked them).
   * @internal
   */
  public _toKubernetesConfig(): { dnsPolicy?: DnsPolicyValue; dnsConfig?: DnsConfig } {
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
   * (Alpine) helper or job image, where the nameservers' answers race. The images come from the
   * runner and its JobPodPolicy, so the check runs with the app's validation, once per runner.
   * @internal
   */
  public _warnAboutImages(runner: IConstruct, helperImage: string, jobImage: string): void {
    if (this.kind !== DnsStrategyKind.HYBRID) return;
    let done = false;
    runner.node.addValidation({
      validate: () => {
        // cdk8s validates the whole app once per chart it writes: warn on the first pass only.
        const warning = done ? undefined : hybridMuslWarning(this.nameservers, helperImage, jobImage);
        if (warning !== undefined) addWarning(runner, warning);
        done = true;
        return [];
      },
    });
  }

  /**
   * Throws a `ValidationError` (naming `check`'s path and `prop`) for anything Kubernetes, the
   * resolvers or CoreDNS would reject or silently cap. Every factory calls it, so a strategy that
   * exists is valid.
   */
  private validate(check: PropChecker, prop: string): void {
    check.dnsSubdomain(`${under(prop)}clusterDomain`, this.clusterDomain);
    if (this.kind === DnsStrategyKind.PUBLIC_CLOUD) validateUpstreams(check, prop, this.upstreams);
    if (!this.writesDnsConfig) return;
    validateNameservers(check, prop, this.nameservers, this.nameserverProps);
    validateSearches(check, prop, this.searches);
    validateOptions(check, prop, this.options);
  }

  /** The numeric value of a resolver option of this strategy, if set. */
  private optionNumber(name: string): number | undefined {
    const option = this.options.find((o) => o.name === name);
    return option?.value === undefined ? undefined : Number(option.value);
  }
}

/** The search domains a pod needs for cluster names in other namespaces: `svc.<domain>`, `<domain>`. */
function clusterSearches(domain: string): string[] {
  return [`svc.${domain}`, domain];
}

function factoryName(kind: DnsStrategyKind): string {
  switch (kind) {
    case DnsStrategyKind.INTERNAL: return 'internal';
    case DnsStrategyKind.PUBLIC_CLOUD: return 'publicCloud';
    case DnsStrategyKind.HYBRID: return 'hybrid';
    case DnsStrategyKind.CLUSTER_DEFAULT: return 'clusterDefault';
  }
}
