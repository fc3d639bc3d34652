import { Chart, Testing, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  DnsStrategy, NetworkEndpoint, RunnerCache, RunnerManager, RunnerManagerProps, RunnerNetworkPolicies, RunnerNetworkPoliciesProps,
} from '../lib';
import { validateManifest } from './util/k8s-schema';

const API = NetworkEndpoint.ip('192.168.1.100', [6443]);

function build(runnerProps: Partial<RunnerManagerProps> = {}, props: Partial<RunnerNetworkPoliciesProps> = {}):
{ chart: Chart; policies: RunnerNetworkPolicies; objects: any[] } {
  const chart = Testing.chart();
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'http://192.168.1.50/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    dnsStrategy: DnsStrategy.internal(),
    ...runnerProps,
  });
  const policies = new RunnerNetworkPolicies(chart, 'NetworkPolicies', { runner, kubernetesApi: API, ...props });
  return { chart, policies, objects: Testing.synth(chart).filter((o) => o.kind === 'NetworkPolicy') };
}

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
    const { policies, objects } = build({ dnsStrategy: DnsStrategy.hybrid({ clusterDnsIp: '172.21.0.10' }) });
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
    for (const dnsStrategy of [DnsStrategy.clusterDefault(), DnsStrategy.publicCloud()]) {
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
    expect(internet.policies.managerEgress.internet).toEqual([
      '0.0.0.0/0 except 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 169.254.169.254/32 TCP/80,TCP/443',
    ]);
  });

  test('internet egress excludes the private ranges and the metadata address, and the manager gets it only when it needs it', () => {
    const { objects, policies } = build({}, { internetEgress: true, internetPorts: [443] });
    expect(policy(objects, 'gitlab-runner-jobs', 'allow-egress-internet').spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.169.254/32'] } }],
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
    expect(policy(build({ metrics: false }, { monitoringNamespace: 'monitoring' }).objects, 'gitlab-runner', 'allow-ingress-metrics')).toBeUndefined();
  });
});

describe('RunnerNetworkPolicies fails on bad input', () => {
  const cases: [string, Partial<RunnerNetworkPoliciesProps>, string, string, string][] = [
    ['no API endpoint', { kubernetesApi: undefined }, 'kubernetesApi', 'undefined', 'a NetworkEndpoint'],
    ['a bad CIDR', { registries: [NetworkEndpoint.cidr('10.0.0.0/33', [443])] }, 'registries[0].cidr', '"10.0.0.0/33"', 'an address range'],
    ['a port 0', { registries: [NetworkEndpoint.cidr('10.0.0.0/16', [0])] }, 'registries[0].ports[0]', '0', 'from 1 to 65535'],
    ['no ports', { extraJobEgress: [NetworkEndpoint.cidr('10.0.0.0/16', [])] }, 'extraJobEgress[0].ports', '[]', 'at least one port'],
    ['a registry host name', { registries: [NetworkEndpoint.host('registry.example.com', [443])] }, 'registries[0]', '"registry.example.com"', 'its address range'],
    ['a public host on a port outside internetPorts', { internetEgress: true, registries: [NetworkEndpoint.host('registry.example.com', [5000])] },
      'registries[0].ports', '[5000]', 'ports within internetPorts (80, 443)'],
    ['a monitoring namespace with capitals', { monitoringNamespace: 'Monitoring' }, 'monitoringNamespace', '"Monitoring"', 'DNS-1123 label'],
  ];
  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    expect(() => build({}, props)).toThrow(`test/NetworkPolicies: invalid ${prop}: got ${value}`);
    expect(() => build({}, props)).toThrow(expected);
  });
});
