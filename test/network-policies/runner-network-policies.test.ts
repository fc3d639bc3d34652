import { Chart, Testing, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  DnsStrategy, NetworkEndpoint, RunnerCache, RunnerManager, RunnerManagerProps, RunnerNetworkPolicies, RunnerNetworkPoliciesProps,
} from '../../lib';
import { validateManifest } from '../util/k8s-schema';
import { egressAllowed, EgressDestination } from '../util/network-policy';
import { seedOutput } from '../util/output';
import { SEED_HYBRID_DNS, SEED_INTERNAL_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

const API = NetworkEndpoint.ip('192.168.1.100', [6443]);

function build(runnerProps: Partial<RunnerManagerProps> = {}, props: Partial<RunnerNetworkPoliciesProps> = {}):
{ chart: Chart; policies: RunnerNetworkPolicies; objects: any[] } {
  const chart = Testing.chart();
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'http://192.168.1.50/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    dnsStrategy: DnsStrategy.internal(SEED_INTERNAL_DNS),
    ...runnerProps,
  });
  const policies = new RunnerNetworkPolicies(chart, 'NetworkPolicies', { runner, kubernetesApi: API, ...props });
  return { chart, policies, objects: Testing.synth(chart).filter((o) => o.kind === 'NetworkPolicy') };
}

/** The internet rule's exceptions, as a reviewer reads them in the policy. */
const DEFAULT_EXCEPT = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '169.254.169.254/32', '169.254.170.2/32',
  '169.254.170.23/32', '169.254.0.23/32', '100.100.100.200/32', '168.63.129.16/32',
];

const policy = (objects: any[], namespace: string, name: string) =>
  objects.find((o) => o.metadata.namespace === namespace && o.metadata.name === `gitlab-runner-${name}`);

describe('RunnerNetworkPolicies', () => {
  test('the seeds\' internal network: deny all, then exactly DNS, GitLab, registries, the API server', () => {
    // GIVEN
    const { objects, policies } = build({}, {
      registries: [NetworkEndpoint.cidr('10.0.0.0/16', [80, 443])],
      monitoringNamespace: 'monitoring',
    });

    // THEN
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
    for (const obj of objects) expect(validateManifest(obj)).toEqual([]);
    expect(objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'gitlab-runner-jobs/gitlab-runner-deny-all',
      'gitlab-runner-jobs/gitlab-runner-allow-egress-dns',
      'gitlab-runner-jobs/gitlab-runner-allow-egress-gitlab',
      'gitlab-runner-jobs/gitlab-runner-allow-egress-registries',
      'gitlab-runner-jobs/gitlab-runner-allow-egress-kubernetes-api',
      'gitlab-runner/gitlab-runner-deny-all',
      'gitlab-runner/gitlab-runner-allow-egress-dns',
      'gitlab-runner/gitlab-runner-allow-egress-gitlab',
      'gitlab-runner/gitlab-runner-allow-egress-kubernetes-api',
      'gitlab-runner/gitlab-runner-allow-ingress-metrics',
    ]);
    for (const ns of ['gitlab-runner-jobs', 'gitlab-runner']) {
      expect(policy(objects, ns, 'deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
    expect(policies.jobEgress).toEqual({
      'dns': ['10.0.0.2/32 UDP/53,TCP/53', '10.1.0.251/32 UDP/53,TCP/53', '10.1.0.252/32 UDP/53,TCP/53'],
      'gitlab': ['192.168.1.50/32 TCP/80'],
      'registries': ['10.0.0.0/16 TCP/80,TCP/443'],
      'kubernetes-api': ['192.168.1.100/32 TCP/6443'],
    });
    // The manager resolves through the cluster DNS, and needs no registry.
    expect(policies.managerEgress).toEqual({
      'dns': ['pods k8s-app=kube-dns in kube-system UDP/53,TCP/53'],
      'gitlab': ['192.168.1.50/32 TCP/80'],
      'kubernetes-api': ['192.168.1.100/32 TCP/6443'],
    });
    expect(policy(objects, 'gitlab-runner', 'allow-ingress-metrics').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 9252 }],
    }]);
  });

  test('the hybrid strategy reaches the cluster DNS through its pods, the others by address', () => {
    const { policies, objects } = build({ dnsStrategy: DnsStrategy.hybrid({ ...SEED_HYBRID_DNS, clusterDnsIp: '172.21.0.10' }) });
    expect(policies.jobEgress.dns).toEqual([
      'pods k8s-app=kube-dns in kube-system UDP/53,TCP/53', '10.0.0.2/32 UDP/53,TCP/53', '8.8.8.8/32 UDP/53,TCP/53',
    ]);
    // Policies apply after Service address translation: the Service address itself is never allowed.
    expect(JSON.stringify(objects)).not.toContain('172.21.0.10');
    expect(policy(objects, 'gitlab-runner-jobs', 'allow-egress-dns').spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    });
  });

  test('the cluster DNS strategies reach only the cluster DNS pods', () => {
    for (const dnsStrategy of [DnsStrategy.clusterDefault(), DnsStrategy.publicCloud({ upstreams: SEED_UPSTREAMS })]) {
      expect(build({ dnsStrategy }).policies.jobEgress.dns).toEqual(['pods k8s-app=kube-dns in kube-system UDP/53,TCP/53']);
    }
  });

  test('changing the GitLab URL changes the policies, with no other edit', () => {
    expect(build({ gitlabUrl: 'https://10.1.2.3:8443/' }).policies.jobEgress.gitlab).toEqual(['10.1.2.3/32 TCP/8443']);
    expect(build({ gitlabUrl: 'https://10.1.2.3/' }).policies.managerEgress.gitlab).toEqual(['10.1.2.3/32 TCP/443']);
  });

  test('a GitLab host name needs its address range or the internet-egress option', () => {
    expect(() => build({ gitlabUrl: 'https://gitlab.com/' })).toThrow(
      'test/NetworkPolicies: invalid gitlab: got "gitlab.com"; expected its address range, e.g. NetworkEndpoint.cidr(\'203.0.113.0/24\', [443]), '
      + 'or internetEgress: true if it is a public host: a NetworkPolicy cannot allow a host name');
    const withCidr = build({ gitlabUrl: 'https://gitlab.example.com/' }, { gitlab: NetworkEndpoint.cidr('203.0.113.0/24', [443]) });
    expect(withCidr.policies.managerEgress.gitlab).toEqual(['203.0.113.0/24 TCP/443']);
    // Through the Internet, the manager gets internet egress too, and nothing private.
    const internet = build({ gitlabUrl: 'https://gitlab.com/' }, { internetEgress: true });
    expect(internet.policies.managerEgress.gitlab).toBeUndefined();
    expect(internet.policies.managerEgress.internet).toEqual([`0.0.0.0/0 except ${DEFAULT_EXCEPT.join(' ')} TCP/80,TCP/443`]);
  });

  test('internet egress excludes the private ranges and the metadata address, and the manager gets it only when it needs it', () => {
    const { objects, policies } = build({}, { internetEgress: true, internetPorts: [443] });
    expect(policy(objects, 'gitlab-runner-jobs', 'allow-egress-internet').spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: DEFAULT_EXCEPT } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
    expect(policies.managerEgress.internet).toBeUndefined();
  });

  test('the cache: from an S3 address, or its own endpoint, or the Internet', () => {
    const minio = build({ cache: RunnerCache.s3({ bucketName: 'b', serverAddress: '10.0.5.5:9000' }) });
    expect(minio.policies.jobEgress.cache).toEqual(['10.0.5.5/32 TCP/9000']);
    expect(() => build({ cache: RunnerCache.s3({ bucketName: 'b', serverAddress: 's3.amazonaws.com' }) }))
      .toThrow('test/NetworkPolicies: invalid cache: got "s3.amazonaws.com"; expected the cache endpoint\'s address range');
    const explicit = build({ cache: RunnerCache.s3({ bucketName: 'b' }) }, { cache: NetworkEndpoint.cidr('52.216.0.0/15', [443]) });
    expect(explicit.policies.jobEgress.cache).toEqual(['52.216.0.0/15 TCP/443']);
    expect(build({ cache: RunnerCache.s3({ bucketName: 'b' }) }, { internetEgress: true }).policies.jobEgress.cache).toBeUndefined();
  });

  test('each destination keeps its own ports', () => {
    const { objects } = build({}, {
      registries: [NetworkEndpoint.cidr('10.0.0.0/16', [443]), NetworkEndpoint.ip('10.9.9.9', [5000])],
      extraJobEgress: [NetworkEndpoint.cidr('fd00::/8', [22])],
    });
    expect(policy(objects, 'gitlab-runner-jobs', 'allow-egress-registries').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '10.9.9.9/32' } }], ports: [{ protocol: 'TCP', port: 5000 }] },
    ]);
    expect(policy(objects, 'gitlab-runner-jobs', 'allow-egress-extra').spec.egress[0].to).toEqual([{ ipBlock: { cidr: 'fd00::/8' } }]);
  });

  test('no metrics ingress without a monitoring namespace or metrics', () => {
    expect(policy(build().objects, 'gitlab-runner', 'allow-ingress-metrics')).toBeUndefined();
    // Without metrics, a monitoring namespace is an error (a check added beside this work).
    expect(() => build({ metrics: false }, { monitoringNamespace: 'monitoring' }))
      .toThrow('test/NetworkPolicies: invalid monitoringNamespace: got "monitoring"; expected no monitoring namespace');
  });
});

describe('RunnerNetworkPolicies checks what the runner decides at synth, all at once', () => {
  test('a GitLab host name, an S3 cache by host name and a monitoring namespace without metrics: three errors in one synth', () => {
    // GIVEN
    const chart = Testing.chart();
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.com/',
      tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      metrics: false,
      cache: RunnerCache.s3({ bucketName: 'b', serverAddress: 's3.amazonaws.com' }),
    });

    // WHEN: the constructor accepts them, since each involves the runner
    const policies = new RunnerNetworkPolicies(chart, 'NetworkPolicies', { runner, kubernetesApi: API, monitoringNamespace: 'monitoring' });

    // THEN
    const resolvers = jest.spyOn(runner.dnsStrategy, 'resolvers', 'get');
    const errors = policies.node.validate();
    expect(errors).toEqual([
      expect.stringMatching(/^test\/NetworkPolicies: invalid gitlab: got "gitlab.com"; expected its address range/),
      expect.stringMatching(/^test\/NetworkPolicies: invalid cache: got "s3.amazonaws.com"; expected the cache endpoint's address range/),
      expect.stringMatching(/^test\/NetworkPolicies: invalid monitoringNamespace: got "monitoring"; expected no monitoring namespace/),
    ]);
    // Computed once: cdk8s validates the app again for every chart it writes.
    expect(policies.node.validate()).toEqual(errors);
    expect(resolvers).toHaveBeenCalledTimes(1);
    expect(() => Testing.synth(chart)).toThrow(/invalid gitlab[\s\S]*invalid cache[\s\S]*invalid monitoringNamespace/);
  });

  test('a public GitLab on a port outside internetPorts is reported at synth', () => {
    const { policies } = (() => {
      const chart = Testing.chart();
      const runner = new RunnerManager(chart, 'Runner', {
        gitlabUrl: 'https://gitlab.example.com:8443/', tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      });
      return { policies: new RunnerNetworkPolicies(chart, 'NetworkPolicies', { runner, kubernetesApi: API, internetEgress: true }) };
    })();
    expect(policies.node.validate()).toEqual([expect.stringContaining(
      'test/NetworkPolicies: invalid gitlab.ports: got [8443]; expected ports within internetPorts (80, 443) for the public host gitlab.example.com')]);
  });

  test.each([
    ['internal()', DnsStrategy.internal({ nameservers: ['10.0.0.2', 'fd00::53'] })],
    ['hybrid()', DnsStrategy.hybrid({ ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' })],
    ['clusterDefault()', DnsStrategy.clusterDefault()],
  ])('the jobs\' DNS policy reaches every nameserver of %s: no error', (_name, dnsStrategy) => {
    const { policies } = build({ dnsStrategy });
    expect(policies.node.validate()).toEqual([]);
    const dns = policies.jobEgress.dns;
    for (const address of dnsStrategy.resolvers.addresses) expect(dns.some((d) => d.startsWith(`${address}/`))).toBe(true);
    expect(dns.some((d) => d.startsWith('pods k8s-app=kube-dns in kube-system'))).toBe(dnsStrategy.resolvers.clusterDns);
  });
});

/** Every cloud metadata or agent address a job pod must never reach. */
const METADATA = [
  ['169.254.169.254', 'AWS, GCP, Azure and other IMDS'],
  ['169.254.170.2', 'Amazon ECS task metadata and credentials'],
  ['169.254.170.23', 'Amazon EKS Pod Identity Agent'],
  ['169.254.0.23', 'Tencent Cloud metadata'],
  ['100.100.100.200', 'Alibaba Cloud metadata'],
  ['168.63.129.16', 'Azure WireServer'],
];
/** Link-local addresses that are no named service, e.g. a node-local DNS cache or an agent we do not know. */
const LINK_LOCAL = ['169.254.0.1', '169.254.20.10', '169.254.123.45', '169.254.255.254'];
const METADATA_IPV6 = ['fd00:ec2::254', 'fd00:ec2::23', 'fe80::1', 'fd12:3456:789a::1'];
/** Ports a job might try on any of them. */
const PROBES: [EgressDestination['protocol'], number][] = [['TCP', 80], ['TCP', 443], ['TCP', 8080], ['TCP', 32526], ['UDP', 53], ['TCP', 53]];

const JOBS = { namespace: 'gitlab-runner-jobs' };
const MANAGER = { namespace: 'gitlab-runner' };
const reach = (objects: any[], from: { namespace: string }, address: string, port = 443, protocol: EgressDestination['protocol'] = 'TCP') =>
  egressAllowed(objects, from, { address, port, protocol });

describe('RunnerNetworkPolicies: what a job pod can reach, by the NetworkPolicy evaluator', () => {
  // GitLab by host name: the manager gets the internet rule too.
  const { objects } = build({ gitlabUrl: 'https://gitlab.com/' }, { internetEgress: true });

  test.each(METADATA)('%s (%s) is denied on every port, to job pods and the manager', (address) => {
    for (const [protocol, port] of PROBES) {
      expect(reach(objects, JOBS, address, port, protocol)).toBe(false);
      expect(reach(objects, MANAGER, address, port, protocol)).toBe(false);
    }
  });

  test('the whole link-local range is denied', () => {
    for (const address of LINK_LOCAL) for (const [protocol, port] of PROBES) expect(reach(objects, JOBS, address, port, protocol)).toBe(false);
  });

  test('a public address on 443 and 80 is allowed, on other ports not', () => {
    for (const address of ['140.82.112.3', '8.8.4.4', '1.1.1.1']) {
      expect(reach(objects, JOBS, address, 443)).toBe(true);
      expect(reach(objects, JOBS, address, 80)).toBe(true);
      expect(reach(objects, MANAGER, address, 443)).toBe(true);
      expect(reach(objects, JOBS, address, 22)).toBe(false);
      expect(reach(objects, JOBS, address, 443, 'UDP')).toBe(false);
    }
  });

  test('private addresses are denied unless a rule names them', () => {
    for (const address of ['10.200.0.1', '172.16.0.1', '172.31.255.254', '192.168.99.1']) expect(reach(objects, JOBS, address)).toBe(false);
    // The API server rule allows exactly its endpoint.
    expect(reach(objects, JOBS, '192.168.1.100', 6443)).toBe(true);
    expect(reach(objects, JOBS, '192.168.1.100', 443)).toBe(false);
    // DNS: the preset nameservers on 53 only.
    expect(reach(objects, JOBS, '10.0.0.2', 53, 'UDP')).toBe(true);
    expect(reach(objects, JOBS, '10.0.0.2', 443)).toBe(false);
  });

  test('IPv4 only by default: no IPv6 destination is allowed', () => {
    for (const address of ['2606:4700:4700::1111', '2001:4860:4860::8888', ...METADATA_IPV6]) {
      for (const [protocol, port] of PROBES) expect(reach(objects, JOBS, address, port, protocol)).toBe(false);
    }
  });

  test('internetEgressIpv6: the IPv6 Internet, except unique-local, link-local and the AWS addresses', () => {
    const v6 = build({}, { internetEgress: true, internetEgressIpv6: true });
    expect(policy(v6.objects, 'gitlab-runner-jobs', 'allow-egress-internet').spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: DEFAULT_EXCEPT } },
      { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10', 'fd00:ec2::254/128', 'fd00:ec2::23/128'] } },
    ]);
    for (const obj of v6.objects) expect(validateManifest(obj)).toEqual([]);
    expect(reach(v6.objects, JOBS, '2606:4700:4700::1111')).toBe(true);
    expect(reach(v6.objects, JOBS, '2606:4700:4700::1111', 22)).toBe(false);
    for (const address of METADATA_IPV6) for (const [protocol, port] of PROBES) expect(reach(v6.objects, JOBS, address, port, protocol)).toBe(false);
    for (const [address] of METADATA) expect(reach(v6.objects, JOBS, address)).toBe(false);
  });

  test('internetExcept adds ranges to the built-in ones, IPv4 and IPv6', () => {
    const more = build({}, { internetEgress: true, internetEgressIpv6: true, internetExcept: ['203.0.113.0/24', '2001:db8::/32', '10.0.0.0/8'] });
    const [v4, v6] = policy(more.objects, 'gitlab-runner-jobs', 'allow-egress-internet').spec.egress[0].to;
    // A range already built in is not repeated.
    expect(v4.ipBlock.except).toEqual([...DEFAULT_EXCEPT, '203.0.113.0/24']);
    expect(v6.ipBlock.except).toEqual(['fc00::/7', 'fe80::/10', 'fd00:ec2::254/128', 'fd00:ec2::23/128', '2001:db8::/32']);
    expect(reach(more.objects, JOBS, '203.0.113.7')).toBe(false);
    expect(reach(more.objects, JOBS, '198.51.100.7')).toBe(true);
    expect(reach(more.objects, JOBS, '2001:db8::1')).toBe(false);
    expect(reach(more.objects, JOBS, '2001:db9::1')).toBe(true);
    for (const [address] of METADATA) expect(reach(more.objects, JOBS, address)).toBe(false);
  });

  test('a node-local DNS cache in the link-local range stays reachable on 53 through the DNS rule', () => {
    const local = build({ dnsStrategy: DnsStrategy.internal({ nameservers: ['169.254.20.10'] }) }, { internetEgress: true });
    expect(local.policies.jobEgress.dns).toEqual(['169.254.20.10/32 UDP/53,TCP/53']);
    expect(reach(local.objects, JOBS, '169.254.20.10', 53, 'UDP')).toBe(true);
    expect(reach(local.objects, JOBS, '169.254.20.10', 53, 'TCP')).toBe(true);
    // Only DNS: the internet rule excludes it, on its own ports too.
    expect(reach(local.objects, JOBS, '169.254.20.10', 443)).toBe(false);
    expect(reach(local.objects, JOBS, '169.254.20.10', 80)).toBe(false);
    const internetOnly = local.objects.filter((o) => !o.metadata.name.endsWith('allow-egress-dns'));
    expect(reach(internetOnly, JOBS, '169.254.20.10', 53, 'UDP')).toBe(false);
    expect(reach(internetOnly, JOBS, '8.8.8.8', 443)).toBe(true);
    expect(reach(internetOnly, JOBS, '169.254.20.10', 443)).toBe(false);
  });
});

describe('the seed environments\' NetworkPolicies, by the evaluator', () => {
  /** Each environment's NetworkPolicies on their own: the environments are separate clusters. */
  const byEnvironment = (): Map<string, any[]> => {
    const envs = new Map<string, any[]>();
    for (const { environment, object } of seedOutput().objects()) {
      if (object.kind !== 'NetworkPolicy') continue;
      envs.set(environment, [...envs.get(environment) ?? [], object]);
    }
    return envs;
  };
  const namespaces = (policies: any[]) =>
    [...new Set(policies.filter((o) => o.metadata.name.endsWith('-deny-all')).map((o) => o.metadata.namespace as string))].sort();

  test('each environment has policies for a manager and a jobs namespace', () => {
    const envs = byEnvironment();
    expect([...envs.keys()].sort()).toEqual(['hybrid', 'internal', 'public']);
    for (const policies of envs.values()) expect(namespaces(policies)).toEqual(['gitlab', 'gitlab-jobs']);
  });

  test('no metadata, link-local or IPv6 destination is reachable from any namespace on any port', () => {
    for (const [env, policies] of byEnvironment()) {
      for (const namespace of namespaces(policies)) {
        for (const address of [...METADATA.map(([a]) => a), ...LINK_LOCAL, ...METADATA_IPV6, '2606:4700:4700::1111']) {
          for (const [protocol, port] of PROBES) {
            expect({ env, namespace, address, protocol, port, allowed: reach(policies, { namespace }, address, port, protocol) })
              .toEqual({ env, namespace, address, protocol, port, allowed: false });
          }
        }
      }
    }
  });

  test('job pods reach a public address on 443 and the VPC registry, not other private addresses', () => {
    for (const [env, policies] of byEnvironment()) {
      const jobs = { namespace: 'gitlab-jobs' };
      expect({ env, allowed: reach(policies, jobs, '140.82.112.3', 443) }).toEqual({ env, allowed: true });
      expect({ env, allowed: reach(policies, jobs, '10.0.8.8', 443) }).toEqual({ env, allowed: true });
      for (const address of ['10.200.0.1', '172.16.0.1', '192.168.99.1']) {
        expect({ env, address, allowed: reach(policies, jobs, address) }).toEqual({ env, address, allowed: false });
      }
    }
  });
});

describe('RunnerNetworkPolicies fails on bad input', () => {
  const cases: [string, Partial<RunnerNetworkPoliciesProps>, string, string, string][] = [
    ['no API endpoint', { kubernetesApi: undefined }, 'kubernetesApi', 'undefined', 'a NetworkEndpoint'],
    ['a registry that is not a NetworkEndpoint', { registries: [{ addressRange: '10.0.0.0/16', ports: [443] } as unknown as NetworkEndpoint] },
      'registries[0]', '{"addressRange":"10.0.0.0/16","ports":[443]}', 'a NetworkEndpoint'],
    ['a registry host name', { registries: [NetworkEndpoint.host('registry.example.com', [443])] }, 'registries[0]', '"registry.example.com"', 'its address range'],
    ['a public host on a port outside internetPorts', { internetEgress: true, registries: [NetworkEndpoint.host('registry.example.com', [5000])] },
      'registries[0].ports', '[5000]', 'ports within internetPorts (80, 443)'],
    ['a monitoring namespace with capitals', { monitoringNamespace: 'Monitoring' }, 'monitoringNamespace', '"Monitoring"', 'DNS-1123 label'],
    ['an internetExcept that is not a CIDR', { internetEgress: true, internetExcept: ['100.100.100.200'] }, 'internetExcept[0]', '"100.100.100.200"',
      'an address range'],
    ['an internetExcept of /0', { internetEgress: true, internetExcept: ['10.0.0.0/8', '0.0.0.0/0'] }, 'internetExcept[1]', '"0.0.0.0/0"',
      'a range narrower than /0: an except must lie strictly inside the internet range'],
    ['an IPv6 internetExcept without IPv6', { internetEgress: true, internetExcept: ['2001:db8::/32'] }, 'internetExcept[0]', '"2001:db8::/32"',
      'an IPv4 range, or internetEgressIpv6: true'],
    ['internetExcept without internetEgress', { internetExcept: ['203.0.113.0/24'] }, 'internetExcept', '["203.0.113.0/24"]',
      'no ranges without internetEgress: true'],
    ['internetEgressIpv6 without internetEgress', { internetEgressIpv6: true }, 'internetEgressIpv6', 'true', 'false without internetEgress: true'],
    ['an internetEgressIpv6 that is not a boolean', { internetEgress: true, internetEgressIpv6: 'yes' as unknown as boolean }, 'internetEgressIpv6', '"yes"',
      'true or false'],
  ];
  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    expect(() => build({}, props)).toThrow(`test/NetworkPolicies: invalid ${prop}: got ${value}`);
    expect(() => build({}, props)).toThrow(expected);
  });
});
