import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CLUSTER_DNS } from '../dns-strategy/core-dns';
import { RunnerManager } from '../runner-manager';
import { isIpAddress } from '../validation/patterns';
import { PropChecker } from '../validation/prop-checker';
import { ValidationError } from '../validation/errors';
import { checkProps } from '../validation/known-keys';
import { checkCidr, hostRange, NetworkEndpoint } from './endpoint';
import { NON_INTERNET_RANGES, NON_INTERNET_RANGES_IPV6 } from './internet-ranges';
import { MANAGED_BY_LABELS, NAMESPACE_NAME_LABEL } from '../model/labels';

/** What `RunnerNetworkPolicies` allows besides what follows from the runner; a stack's `network`. */
export interface RunnerNetworkPoliciesOptions {
  /**
   * The Kubernetes API server's real endpoint (the control plane's address and port, e.g.
   * `192.168.1.100:6443`), not the `kubernetes` Service address: policies apply after the
   * Service address is translated. The manager needs it, and so do deploy jobs.
   */
  readonly kubernetesApi: NetworkEndpoint;
  /**
   * The GitLab server, when its URL names a host: give its address range.
   * @default - from the runner's `gitlabUrl`
   */
  readonly gitlab?: NetworkEndpoint;
  /**
   * Registries job pods reach (DinD and kaniko pull base images and push).
   * @default - none beyond `internetEgress`
   */
  readonly registries?: NetworkEndpoint[];
  /**
   * The cache endpoint (S3, GCS, Azure), when the runner has a cache.
   * @default - from the S3 `serverAddress` if it is an address; otherwise `internetEgress` must be on
   */
  readonly cache?: NetworkEndpoint;
  /**
   * More destinations of job pods.
   * @default - none
   */
  readonly extraJobEgress?: NetworkEndpoint[];
  /**
   * Allow job pods and the manager to reach the public Internet on `internetPorts`: for
   * destinations without a fixed address range, such as gitlab.com, Docker Hub or S3. Host name
   * endpoints are then assumed to be public. The rule is `0.0.0.0/0` except the built-in non-Internet
   * ranges: RFC 1918, the whole link-local range `169.254.0.0/16` and every cloud metadata and agent address
   * we know of (AWS, GCP, Azure IMDS and Azure's WireServer, Alibaba Cloud, Tencent Cloud, ECS and
   * EKS agents), plus `internetExcept`; a privileged job pod must never reach the node's credentials.
   * Destinations allowed by the other rules (e.g. a node-local DNS cache at `169.254.20.10` as a
   * nameserver) stay reachable: NetworkPolicy rules add up.
   * @default false
   */
  readonly internetEgress?: boolean;
  /**
   * TCP ports of `internetEgress`.
   * @default [80, 443]
   */
  readonly internetPorts?: number[];
  /**
   * More address ranges the internet rule excludes, added to the built-in ones (IPv4 and, for IPv6
   * ranges, IPv6), e.g. a provider's metadata address missing from those lists
   * or the cluster's own public ranges. IPv6 ranges need `internetEgressIpv6`.
   * @default - only the built-in ranges
   */
  readonly internetExcept?: string[];
  /**
   * Let the internet rule reach the IPv6 Internet too: `::/0` except the built-in IPv6 ranges
   * (unique-local `fc00::/7`, link-local `fe80::/10`, AWS IMDS `fd00:ec2::254`, the EKS Pod
   * Identity Agent `fd00:ec2::23`). Off, job pods reach no IPv6 address through it.
   * @default false
   */
  readonly internetEgressIpv6?: boolean;
  /**
   * Namespace of the monitoring system allowed to scrape the manager's metrics port.
   * @default - no ingress at all
   */
  readonly monitoringNamespace?: string;
}

/** Properties of `RunnerNetworkPolicies`. */
export interface RunnerNetworkPoliciesProps extends RunnerNetworkPoliciesOptions {
  /** The runner whose namespaces get the policies. */
  readonly runner: RunnerManager;
}

/** One destination of an egress policy, with its ports. */
interface EgressRule {
  readonly peers: k8s.NetworkPolicyPeer[];
  readonly ports: k8s.NetworkPolicyPort[];
}

/** One purpose's egress: a rule per destination, each with its own ports. */
interface Egress {
  readonly purpose: string;
  readonly rules: EgressRule[];
}

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const DNS_PORTS: k8s.NetworkPolicyPort[] = [
  { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
  { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
];
const CLUSTER_DNS_PODS: k8s.NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: CLUSTER_DNS.namespace } },
  podSelector: { matchLabels: { ...CLUSTER_DNS.labels } },
};

/**
 * NetworkPolicies that follow from the runner's configuration. In the jobs' namespace: deny all,
 * then egress to exactly the DNS servers of the `DnsStrategy`, GitLab, the registries, the cache,
 * the Kubernetes API (deploy jobs) and the destinations listed. In the manager's namespace: deny
 * all, then egress to DNS, GitLab and the Kubernetes API, and ingress to the metrics port only
 * from the monitoring namespace. Changing the DNS strategy or the GitLab URL changes the policies.
 */
export class RunnerNetworkPolicies extends Construct {
  /** Egress of job pods, as `purpose -> destinations`, for reports and reviews. */
  public readonly jobEgress: { [purpose: string]: string[] };
  /** Egress of the manager, as `purpose -> destinations`. */
  public readonly managerEgress: { [purpose: string]: string[] };

  /** Policy names start with the runner's chart name, so two runners never share one. */
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: RunnerNetworkPoliciesProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker(this.node.path);
    checkProps(check, props, 'RunnerNetworkPoliciesProps', '', true);
    const runner = props.runner;
    if (!(runner instanceof RunnerManager)) check.fail('runner', runner, 'a RunnerManager construct');
    this.prefix = runner.fullname;
    const internet = check.boolean('internetEgress', props.internetEgress ?? false);
    const internetPorts = (check.list('internetPorts', props.internetPorts, 'a list of TCP ports') ?? [80, 443])
      .map((p, i) => check.port(`internetPorts[${i}]`, p));
    if (!internet && props.internetPorts !== undefined) {
      check.fail('internetPorts', props.internetPorts, 'no ports without internetEgress: true: they are the internet rule\'s ports, and there is no internet rule');
    }
    if (!internet && props.internetExcept !== undefined) {
      check.fail('internetExcept', props.internetExcept, 'no ranges without internetEgress: true: there is no internet rule to narrow');
    }
    if (!internet && check.boolean('internetEgressIpv6', props.internetEgressIpv6 ?? false)) {
      check.fail('internetEgressIpv6', true, 'false without internetEgress: true: it widens the internet rule, which is off');
    }

    // Checks against what the runner decides (its GitLab URL, cache, metrics, DNS strategy) run with
    // the app's validation, so one synth reports them with every other cross-construct problem.
    const againstRunner: ((c: PropChecker) => void)[] = [];

    /**
     * The egress rule for `endpoint`, or `undefined` when the internet rule covers it; `fromRunner`:
     * the endpoint comes from the runner, so whether the internet rule may cover it is a cross-construct check.
     */
    const to = (prop: string, endpoint: NetworkEndpoint | undefined, purpose: string, fromRunner = false): Egress | undefined => {
      if (!(endpoint instanceof NetworkEndpoint)) {
        return check.fail(prop, endpoint, 'a NetworkEndpoint, e.g. NetworkEndpoint.cidr(\'10.0.0.0/16\', [443])');
      }
      // Its factory has checked the address and ports.
      const ports = endpoint.ports;
      if (endpoint.hostName !== undefined) {
        const host = endpoint.hostName;
        const publicHost = (c: PropChecker) => {
          if (!internet) {
            c.fail(prop, host, `its address range, e.g. NetworkEndpoint.cidr('203.0.113.0/24', [${ports.join(', ')}]), `
              + 'or internetEgress: true if it is a public host: a NetworkPolicy cannot allow a host name');
          }
          const outside = ports.filter((p) => !internetPorts.includes(p));
          if (outside.length) c.fail(`${prop}.ports`, ports, `ports within internetPorts (${internetPorts.join(', ')}) for the public host ${host}`);
        };
        if (fromRunner) againstRunner.push(publicHost);
        else publicHost(check);
        return undefined;
      }
      return { purpose, rules: [{ peers: [{ ipBlock: { cidr: endpoint.addressRange! } }], ports: ports.map(tcp) }] };
    };

    const gitlab = to('gitlab', props.gitlab ?? NetworkEndpoint.fromUrl(runner.gitlabUrl), 'gitlab', props.gitlab === undefined);
    const api = to('kubernetesApi', props.kubernetesApi, 'kubernetes-api');
    const jobDns = dnsEgress(runner);
    // The manager pod resolves through the cluster DNS, whatever the job pods' strategy.
    const managerDns: Egress = { purpose: 'dns', rules: [{ peers: [CLUSTER_DNS_PODS], ports: DNS_PORTS }] };
    const internetRule: Egress | undefined = internet
      ? { purpose: 'internet', rules: [{ peers: internetPeers(check, props), ports: internetPorts.map(tcp) }] }
      : undefined;

    let cache: NetworkEndpoint | undefined = props.cache;
    if (cache === undefined && runner._runnerConfig.runners[0].cache) {
      const address = runner._runnerConfig.runners[0].cache.s3?.serverAddress;
      const host = address?.replace(/:\d+$/, '');
      if (host && isIpAddress(host)) cache = NetworkEndpoint.ip(host, [Number(address!.slice(host.length + 1)) || 443]);
      else if (!internet) {
        const got = address ?? `${runner._runnerConfig.runners[0].cache.type} cache`;
        againstRunner.push((c) => c.fail('cache', got,
          'the cache endpoint\'s address range, e.g. NetworkEndpoint.cidr(\'10.0.20.0/24\', [443]), or internetEgress: true: '
          + 'a NetworkPolicy cannot allow a host name'));
      }
    }

    const jobRules = [
      jobDns,
      gitlab,
      merge('registries', (check.list('registries', props.registries) ?? []).map((e, i) => to(`registries[${i}]`, e, 'registries'))),
      cache === undefined ? undefined : to('cache', cache, 'cache'),
      api,
      merge('extra', (check.list('extraJobEgress', props.extraJobEgress) ?? []).map((e, i) => to(`extraJobEgress[${i}]`, e, 'extra'))),
      internetRule,
    ].filter((r): r is Egress => r !== undefined);
    // The manager needs the Internet only to reach a GitLab or an API server given by host name.
    const managerInternet = gitlab === undefined || api === undefined ? internetRule : undefined;
    const managerRules = [managerDns, gitlab, api, managerInternet].filter((r): r is Egress => r !== undefined);

    const monitoring = props.monitoringNamespace === undefined ? undefined
      : check.dnsLabel('monitoringNamespace', props.monitoringNamespace);
    const metrics = runner._helmValues.metrics?.enabled ? runner._helmValues.metrics.port : undefined;
    if (monitoring !== undefined && metrics === undefined) {
      againstRunner.push((c) => c.fail('monitoringNamespace', monitoring,
        `no monitoring namespace: ${runner.node.path} serves no metrics (metrics: false), so there is nothing to scrape`));
    }

    this.policies('Jobs', runner.jobNamespace, jobRules, []);
    this.policies('Manager', runner.namespace, managerRules, monitoring && metrics ? [{
      from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: monitoring } } }],
      ports: [tcp(metrics)],
    }] : []);
    this.jobEgress = describe(jobRules);
    this.managerEgress = describe(managerRules);

    againstRunner.push((c) => checkDnsPath(c, runner, jobDns));
    // cdk8s validates the whole app once per chart it writes: compute once. The inputs are fixed by now.
    let errors: string[] | undefined;
    this.node.addValidation({ validate: () => (errors ??= collectErrors(this.node.path, againstRunner)) });
  }

  private policies(id: string, namespace: string, egress: Egress[], ingress: k8s.NetworkPolicyIngressRule[]): void {
    const group = new Construct(this, id);
    const prefix = this.prefix;
    const labels = { ...MANAGED_BY_LABELS };
    // Deny everything not allowed below; policies add up, so each allow is its own reviewable object.
    new k8s.KubeNetworkPolicy(group, 'DenyAll', {
      metadata: { name: `${prefix}-deny-all`, namespace, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    for (const rule of egress) {
      // An egress rule without peers would allow every destination: never write one.
      if (rule.rules.some((r) => r.peers.length === 0)) throw new Error(`no destination for ${rule.purpose} egress`);
      new k8s.KubeNetworkPolicy(group, `Allow-${rule.purpose}`, {
        metadata: { name: `${prefix}-allow-egress-${rule.purpose}`, namespace, labels },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: rule.rules.map((r) => ({ to: r.peers, ports: r.ports })) },
      });
    }
    if (ingress.length) {
      new k8s.KubeNetworkPolicy(group, 'AllowMetrics', {
        metadata: { name: `${prefix}-allow-ingress-metrics`, namespace, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress },
      });
    }
  }
}

/** DNS: the cluster DNS through its pods, and every other nameserver by address, on UDP and TCP 53. */
function dnsEgress(runner: RunnerManager): Egress {
  const { clusterDns, addresses } = runner.dnsStrategy.resolvers;
  const peers: k8s.NetworkPolicyPeer[] = clusterDns ? [CLUSTER_DNS_PODS] : [];
  // The runner validated its strategy; anything else is reported by dnsPathErrors.
  for (const address of addresses.filter(isIpAddress)) peers.push({ ipBlock: { cidr: hostRange(address) } });
  return { purpose: 'dns', rules: [{ peers, ports: DNS_PORTS }] };
}

/**
 * Every nameserver the runner's DNS strategy gives job pods must be reachable through the jobs'
 * DNS policy on UDP and TCP 53: otherwise every lookup of a job times out.
 */
function checkDnsPath(check: PropChecker, runner: RunnerManager, dns: Egress): void {
  const { clusterDns, addresses } = runner.dnsStrategy.resolvers;
  const peers = dns.rules.flatMap((r) => r.peers);
  if (clusterDns && !peers.includes(CLUSTER_DNS_PODS)) {
    check.fail('runner.dnsStrategy', runner.dnsStrategy.kind,
      'a DNS policy that reaches the cluster DNS pods (k8s-app=kube-dns in kube-system), which this strategy uses');
  }
  addresses.forEach((address, i) => {
    if (!isIpAddress(address) || !peers.some((p) => p.ipBlock?.cidr === hostRange(address))) {
      check.fail(`runner.dnsStrategy.nameservers[${i}]`, address, 'a nameserver IP address the jobs\' DNS policy allows on UDP and TCP 53');
    }
  });
}

/** Runs each check, collecting the message of every `ValidationError` instead of stopping at the first. */
function collectErrors(path: string, checks: readonly ((c: PropChecker) => void)[]): string[] {
  const errors: string[] = [];
  for (const run of checks) {
    try {
      run(new PropChecker(path));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(err.message);
    }
  }
  return errors;
}

/** The internet rule's destinations: all of IPv4 (and IPv6 if asked) except the built-in and the extra ranges. */
function internetPeers(check: PropChecker, props: RunnerNetworkPoliciesProps): k8s.NetworkPolicyPeer[] {
  const ipv6 = check.boolean('internetEgressIpv6', props.internetEgressIpv6 ?? false);
  const extra = check.list('internetExcept', props.internetExcept, 'a list of address ranges such as "203.0.113.0/24"') ?? [];
  const extraV4: string[] = [];
  const extraV6: string[] = [];
  extra.forEach((cidr, i) => {
    const prop = `internetExcept[${i}]`;
    checkCidr(check, prop, cidr);
    // The API server accepts only an except strictly inside the rule's cidr.
    if (Number(cidr.split('/')[1]) === 0) check.fail(prop, cidr, 'a range narrower than /0: an except must lie strictly inside the internet range');
    if (!cidr.includes(':')) extraV4.push(cidr);
    else if (ipv6) extraV6.push(cidr);
    else check.fail(prop, cidr, 'an IPv4 range, or internetEgressIpv6: true: without it the internet rule reaches no IPv6 address to exclude');
  });
  const except = (defaults: readonly string[], more: readonly string[]) => [...defaults, ...more.filter((c, i) => !defaults.includes(c) && more.indexOf(c) === i)];
  return [
    { ipBlock: { cidr: '0.0.0.0/0', except: except(NON_INTERNET_RANGES, extraV4) } },
    ...(ipv6 ? [{ ipBlock: { cidr: '::/0', except: except(NON_INTERNET_RANGES_IPV6, extraV6) } }] : []),
  ];
}

/** Several endpoints of one purpose in one policy, each keeping its own ports. */
function merge(purpose: string, egress: (Egress | undefined)[]): Egress | undefined {
  const rules = egress.flatMap((e) => e?.rules ?? []);
  return rules.length ? { purpose, rules } : undefined;
}

function describe(egress: Egress[]): { [purpose: string]: string[] } {
  return Object.fromEntries(egress.map((e) => [e.purpose, e.rules.flatMap((r) => r.peers.map((p) => {
    const ports = r.ports.map((x) => `${x.protocol}/${x.port?.value}`).join(',');
    if (p.ipBlock) return `${p.ipBlock.cidr}${p.ipBlock.except ? ` except ${p.ipBlock.except.join(' ')}` : ''} ${ports}`;
    return `pods k8s-app=kube-dns in kube-system ${ports}`;
  }))]));
}

