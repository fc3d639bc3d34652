import * as fs from 'fs';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { HelperImage, HelperImageFlavor, HybridStack, JobPodPolicy, RunnerManager } from '../../lib';
import { warningsOf } from '../../lib/validation/warnings';
import { DnsResolver, DnsStrategy, DnsStrategyKind, HybridDnsOptions, InternalDnsOptions, PublicCloudDnsOptions } from '../../lib/dns-strategy';
import { renderLookupCostTable } from '../../lib/render/dns-report';
import { ValidationError } from '../../lib/validation/errors';
import { validateManifest } from '../util/k8s-schema';

/**
 * Seed 001's strategy 3: kubeadm's cluster DNS Service address (the tenth of its Service CIDR
 * 10.96.0.0/12), the VPC DNS and a public resolver.
 */
const KUBEADM = { clusterDnsIp: '10.96.0.10', vpcDnsIp: '10.0.0.2', publicDnsIp: '8.8.8.8' };

/** Seed 001's strategy 1: the VPC DNS and two internal DNS servers, with the search list of the `gitlab` namespace. */
const SEED_INTERNAL = {
  nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
  searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
};

/** Seed 001's strategy 2: the public resolvers CoreDNS forwards to. */
const SEED_UPSTREAMS = { upstreams: ['8.8.8.8', '1.1.1.1'] };

/** The host names the seeds resolve from job pods. */
const SEED_HOSTS = ['registry.example.com', 'private-registry.example.com', 'gitlab.gitlab.svc.cluster.local', 'pypi.org'];

function toConfig(strategy: DnsStrategy) {
  return strategy._toKubernetesConfig();
}

/** The plugin names of the top level of the first server block, in order. */
function topLevelPlugins(corefile: string): string[] {
  return corefile.split('\n').filter((l) => /^ {4}[^\s}]/.test(l)).map((l) => l.trim().split(' ')[0]);
}

describe('DnsStrategy', () => {
  test('internal(): the seeds\' strategy 1 preset', () => {
    // GIVEN
    const strategy = DnsStrategy.internal(SEED_INTERNAL);

    // WHEN
    const config = toConfig(strategy);

    // THEN
    expect(config).toMatchSnapshot();
    expect(config).toEqual({
      dnsPolicy: 'none',
      dnsConfig: {
        nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
        searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
        options: [{ name: 'ndots', value: '2' }],
      },
    });
    expect(strategy.kind).toBe(DnsStrategyKind.INTERNAL);
    expect(strategy.kind).toBe('internal');
    expect(strategy.upstreams).toEqual([]);
    expect(strategy.corefile).toBeUndefined();
  });

  test('hybrid(): the seeds\' strategy 3 preset, cluster DNS first', () => {
    // GIVEN
    const strategy = DnsStrategy.hybrid(KUBEADM);

    // WHEN
    const config = toConfig(strategy);

    // THEN
    expect(config).toMatchSnapshot();
    expect(config).toEqual({
      dnsPolicy: 'none',
      dnsConfig: {
        nameservers: ['10.96.0.10', '10.0.0.2', '8.8.8.8'],
        searches: ['svc.cluster.local', 'cluster.local'],
        options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '2' }],
      },
    });
    expect(strategy.kind).toBe('hybrid');
    expect(strategy.nameservers).toEqual(['10.96.0.10', '10.0.0.2', '8.8.8.8']);
  });

  test('clusterDefault() and publicCloud() write nothing: job pods stay cluster-first', () => {
    // GIVEN
    const clusterDefault = DnsStrategy.clusterDefault();
    const publicCloud = DnsStrategy.publicCloud(SEED_UPSTREAMS);

    // WHEN
    const configs = { clusterDefault: toConfig(clusterDefault), publicCloud: toConfig(publicCloud) };

    // THEN
    expect(configs).toMatchSnapshot();
    expect(configs).toEqual({ clusterDefault: {}, publicCloud: {} });
    for (const s of [clusterDefault, publicCloud]) {
      expect(s.nameservers).toEqual([]);
      expect(s.searches).toEqual([]);
      expect(s.options).toEqual([]);
      expect(s.clusterDomain).toBe('cluster.local');
    }
    expect(clusterDefault.kind).toBe('cluster-default');
    expect(publicCloud.kind).toBe('public-cloud');
    expect(publicCloud.upstreams).toEqual(['8.8.8.8', '1.1.1.1']);
  });

  test('options replace the defaults; a custom cluster domain moves the default search domains', () => {
    // GIVEN
    const internal = DnsStrategy.internal({
      nameservers: ['10.20.0.2'],
      options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }, { name: 'single-request-reopen' }],
      clusterDomain: 'corp.internal',
    });
    const hybrid = DnsStrategy.hybrid({ clusterDnsIp: '10.100.0.10', vpcDnsIp: '10.20.0.2', publicDnsIp: '1.1.1.1', clusterDomain: 'corp.internal' });

    // WHEN
    const internalConfig = toConfig(internal);
    const hybridConfig = toConfig(hybrid);

    // THEN
    expect(internalConfig).toEqual({
      dnsPolicy: 'none',
      dnsConfig: {
        nameservers: ['10.20.0.2'],
        searches: ['svc.corp.internal', 'corp.internal'],
        options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }, { name: 'single-request-reopen' }],
      },
    });
    expect(hybridConfig.dnsConfig).toEqual({
      nameservers: ['10.100.0.10', '10.20.0.2', '1.1.1.1'],
      searches: ['svc.corp.internal', 'corp.internal'],
      options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '2' }],
    });
  });

  test('accepts IPv6 nameservers, a trailing dot on a search domain and unknown options', () => {
    // GIVEN
    const strategy = DnsStrategy.internal({
      nameservers: ['fd00::2', '10.0.0.2'],
      searches: ['corp.example.com.'],
      options: [{ name: 'rotate' }, { name: 'no-aaaa' }, { name: 'attempts', value: '5' }, { name: 'timeout', value: '30' }, { name: 'ndots', value: '0' }],
    });

    // WHEN
    const config = toConfig(strategy);

    // THEN
    expect(config.dnsConfig?.nameservers).toEqual(['fd00::2', '10.0.0.2']);
    expect(config.dnsConfig?.searches).toEqual(['corp.example.com.']);
  });

  test('an empty search or option list is left out rather than written empty', () => {
    const config = toConfig(DnsStrategy.internal({ ...SEED_INTERNAL, searches: [], options: [] }));
    expect(config).toEqual({ dnsPolicy: 'none', dnsConfig: { nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'] } });
  });

  test('the strategy keeps its own copies of the lists it was given', () => {
    // GIVEN
    const nameservers = ['10.0.0.2'];
    const strategy = DnsStrategy.internal({ nameservers });

    // WHEN
    nameservers.push('not-an-ip');

    // THEN
    expect(strategy.nameservers).toEqual(['10.0.0.2']);
    expect(() => toConfig(strategy)).not.toThrow();
  });
});

describe('DnsStrategy.resolvConf(): what the kubelet writes into a job pod', () => {
  test('internal() and hybrid(): their own nameservers in order, search domains without duplicates, options as written', () => {
    expect(DnsStrategy.internal({ ...SEED_INTERNAL, searches: ['corp.example.com', 'cluster.local', 'corp.example.com'] }).resolvConf('jobs')).toEqual({
      clusterFirst: false,
      nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
      searches: ['corp.example.com', 'cluster.local'],
      options: ['ndots:2'],
    });
    expect(DnsStrategy.hybrid({ ...KUBEADM, clusterDnsIp: '172.21.0.10', options: [{ name: 'rotate' }] }).resolvConf('jobs')).toEqual({
      clusterFirst: false,
      nameservers: ['172.21.0.10', '10.0.0.2', '8.8.8.8'],
      searches: ['svc.cluster.local', 'cluster.local'],
      options: ['rotate'],
    });
  });

  test.each([
    ['clusterDefault()', DnsStrategy.clusterDefault({ clusterDomain: 'corp.local' })],
    ['publicCloud()', DnsStrategy.publicCloud({ ...SEED_UPSTREAMS, clusterDomain: 'corp.local' })],
  ])('%s: cluster-first, the job namespace first in the search list, ndots:5', (_name, strategy) => {
    expect(strategy.resolvConf('ci-jobs')).toEqual({
      clusterFirst: true,
      nameservers: [],
      searches: ['ci-jobs.svc.corp.local', 'svc.corp.local', 'corp.local'],
      options: ['ndots:5'],
    });
  });
});

describe('DnsStrategy.publicCloud(): the CoreDNS ConfigMap', () => {
  test('a complete kube-system/coredns ConfigMap forwarding to the seeds\' upstreams', () => {
    // GIVEN
    const chart = Testing.chart();
    const strategy = DnsStrategy.publicCloud(SEED_UPSTREAMS);

    // WHEN
    strategy.addCoreDnsConfigMap(chart);
    const objects = Testing.synth(chart);

    // THEN
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
    expect(objects).toHaveLength(1);
    for (const obj of objects) expect(validateManifest(obj)).toEqual([]);
    const [configMap] = objects;
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata.name).toBe('coredns');
    expect(configMap.metadata.namespace).toBe('kube-system');
    expect(configMap.metadata.labels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(configMap.metadata.annotations['cdk8s-gitlab-runner/note']).toMatch(/^Replaces the cluster distribution's CoreDNS Corefile/);
    expect(configMap.metadata.annotations['cdk8s-gitlab-runner/note']).toContain('coredns.backup.yaml');
    expect(configMap.data).toEqual({ Corefile: strategy.corefile });
  });

  test('the Corefile keeps the ready plugin the readiness probe needs, and every stock plugin in order', () => {
    // GIVEN
    const corefile = DnsStrategy.publicCloud(SEED_UPSTREAMS).corefile!;

    // THEN
    expect(topLevelPlugins(corefile)).toEqual([
      'errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance',
    ]);
    expect(corefile).toContain('\n    ready\n');
    expect(corefile).toBe([
      '.:53 {',
      '    errors',
      '    health {',
      '        lameduck 5s',
      '    }',
      '    ready',
      '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
      '        pods insecure',
      '        fallthrough in-addr.arpa ip6.arpa',
      '        ttl 30',
      '    }',
      '    prometheus :9153',
      '    forward . 8.8.8.8 1.1.1.1 {',
      '        max_concurrent 1000',
      '    }',
      '    cache 30',
      '    loop',
      '    reload',
      '    loadbalance',
      '}',
      '',
    ].join('\n'));
  });

  test('custom upstreams and cluster domain, under a chosen id', () => {
    // GIVEN
    const chart = Testing.chart();
    const strategy = DnsStrategy.publicCloud({ upstreams: ['9.9.9.9', '2620:fe::fe'], clusterDomain: 'corp.internal' });

    // WHEN
    const configMap = strategy.addCoreDnsConfigMap(chart, 'CoreDns');

    // THEN
    expect(configMap.node.id).toBe('CoreDns');
    expect(strategy.corefile).toContain('    kubernetes corp.internal in-addr.arpa ip6.arpa {\n');
    expect(strategy.corefile).toContain('    forward . 9.9.9.9 2620:fe::fe {\n');
    expect(Testing.synth(chart)[0].data.Corefile).toBe(strategy.corefile);
  });

  test.each([
    ['internal', DnsStrategy.internal(SEED_INTERNAL), 'DnsStrategy.internal()'],
    ['hybrid', DnsStrategy.hybrid(KUBEADM), 'DnsStrategy.hybrid()'],
    ['clusterDefault', DnsStrategy.clusterDefault(), 'DnsStrategy.clusterDefault()'],
  ])('fails for %s(): there is nothing to change in CoreDNS', (_name, strategy, got) => {
    const chart = Testing.chart();
    expect(() => strategy.addCoreDnsConfigMap(chart)).toThrow(ValidationError);
    expect(() => strategy.addCoreDnsConfigMap(chart)).toThrow(
      `test: invalid dnsStrategy: got "${got}"; expected DnsStrategy.publicCloud(): only it changes CoreDNS; the other strategies leave the Corefile as it is`);
  });

  test('fails on an invalid upstream in the factory, before any ConfigMap', () => {
    expect(() => DnsStrategy.publicCloud({ upstreams: ['8.8.8.8', 'dns.google'] }))
      .toThrow('DnsStrategy.publicCloud: invalid upstreams[1]: got "dns.google"; expected an IPv4 or IPv6 address such as "10.0.0.2"');
  });
});

describe('DnsStrategy.lookupCost()', () => {
  test('internal preset (ndots:2): two dots are enough to go absolute first; pypi.org walks three search domains', () => {
    // GIVEN
    const strategy = DnsStrategy.internal(SEED_INTERNAL);

    // WHEN
    const [registry, privateRegistry, gitlab, pypi] = SEED_HOSTS.map((h) => strategy.lookupCost(h));
    const pypiMusl = strategy.lookupCost('pypi.org', { resolver: DnsResolver.MUSL });

    // THEN
    expect(registry).toMatchObject({
      host: 'registry.example.com', resolver: 'glibc', ndots: 2,
      searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      attempts: ['registry.example.com.'], queriesBeforeAnswer: 0, firstNameserverDownDelaySeconds: 5,
    });
    expect(privateRegistry).toMatchObject({ attempts: ['private-registry.example.com.'], queriesBeforeAnswer: 0, firstNameserverDownDelaySeconds: 5 });
    expect(gitlab).toMatchObject({ attempts: ['gitlab.gitlab.svc.cluster.local.'], queriesBeforeAnswer: 0, firstNameserverDownDelaySeconds: 5 });
    expect(pypi).toMatchObject({
      attempts: ['pypi.org.gitlab.svc.cluster.local.', 'pypi.org.svc.cluster.local.', 'pypi.org.cluster.local.', 'pypi.org.'],
      queriesBeforeAnswer: 3,
      firstNameserverDownDelaySeconds: 20,
    });
    expect(pypiMusl).toMatchObject({ resolver: 'musl', attempts: pypi.attempts, queriesBeforeAnswer: 3, firstNameserverDownDelaySeconds: 0 });
    expect(pypi.model).toMatch(/^glibc \(and Go\): .*one timeout \(5 s\) per name tried/);
    expect(pypiMusl.model).toMatch(/^musl: .*all nameservers at once/);
  });

  test('hybrid preset (ndots:2, timeout:2): two search domains, 2 s per name when the cluster DNS is down', () => {
    // GIVEN
    const strategy = DnsStrategy.hybrid(KUBEADM);

    // WHEN
    const glibc = SEED_HOSTS.map((h) => strategy.lookupCost(h));
    const musl = SEED_HOSTS.map((h) => strategy.lookupCost(h, { resolver: DnsResolver.MUSL }));

    // THEN
    expect(glibc.map((c) => c.attempts)).toEqual([
      ['registry.example.com.'],
      ['private-registry.example.com.'],
      ['gitlab.gitlab.svc.cluster.local.'],
      ['pypi.org.svc.cluster.local.', 'pypi.org.cluster.local.', 'pypi.org.'],
    ]);
    expect(glibc.map((c) => c.queriesBeforeAnswer)).toEqual([0, 0, 0, 2]);
    expect(glibc.map((c) => c.firstNameserverDownDelaySeconds)).toEqual([2, 2, 2, 6]);
    expect(musl.map((c) => c.attempts)).toEqual(glibc.map((c) => c.attempts));
    expect(musl.map((c) => c.firstNameserverDownDelaySeconds)).toEqual([0, 0, 0, 0]);
  });

  test('cluster default (ndots:5): every seed name walks the three cluster search domains first; no second nameserver', () => {
    // GIVEN
    const strategy = DnsStrategy.clusterDefault();

    // WHEN
    const registry = strategy.lookupCost('registry.example.com');
    const all = SEED_HOSTS.map((h) => strategy.lookupCost(h));
    const musl = strategy.lookupCost('registry.example.com', { resolver: DnsResolver.MUSL });

    // THEN
    expect(registry).toMatchObject({
      ndots: 5,
      searches: ['gitlab-runner-jobs.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      attempts: [
        'registry.example.com.gitlab-runner-jobs.svc.cluster.local.',
        'registry.example.com.svc.cluster.local.',
        'registry.example.com.cluster.local.',
        'registry.example.com.',
      ],
      queriesBeforeAnswer: 3,
      firstNameserverDownDelaySeconds: Infinity,
    });
    expect(all.map((c) => c.attempts.length)).toEqual([4, 4, 4, 4]);
    expect(musl.firstNameserverDownDelaySeconds).toBe(Infinity);
    expect(registry.model).toContain('a single nameserver');
    // publicCloud() keeps job pods on the cluster DNS: same numbers.
    expect(DnsStrategy.publicCloud(SEED_UPSTREAMS).lookupCost('registry.example.com')).toEqual(registry);
  });

  test('a trailing dot makes one absolute attempt; the namespace leads the cluster search list', () => {
    // GIVEN
    const strategy = DnsStrategy.clusterDefault();

    // WHEN
    const absolute = strategy.lookupCost('pypi.org.');
    const inCi = strategy.lookupCost('gitlab', { namespace: 'ci-jobs' });

    // THEN
    expect(absolute).toMatchObject({ attempts: ['pypi.org.'], queriesBeforeAnswer: 0 });
    expect(inCi.searches[0]).toBe('ci-jobs.svc.cluster.local');
    expect(inCi.attempts[0]).toBe('gitlab.ci-jobs.svc.cluster.local.');
    expect(inCi.attempts).toHaveLength(4);
  });

  test('without ndots and timeout options the resolver defaults apply: ndots:1, 5 s', () => {
    const cost = DnsStrategy.internal({ ...SEED_INTERNAL, options: [] }).lookupCost('pypi.org');
    expect(cost).toMatchObject({ ndots: 1, attempts: ['pypi.org.'], firstNameserverDownDelaySeconds: 5 });
    const short = DnsStrategy.internal({ ...SEED_INTERNAL, options: [] }).lookupCost('gitlab');
    expect(short.attempts).toHaveLength(4);
    expect(short.firstNameserverDownDelaySeconds).toBe(20);
  });

  test('a single nameserver of internal() leaves nothing to answer when it is down', () => {
    const cost = DnsStrategy.internal({ nameservers: ['10.0.0.2'] }).lookupCost('registry.example.com', { resolver: DnsResolver.MUSL });
    expect(cost.firstNameserverDownDelaySeconds).toBe(Infinity);
  });

  test('docs/dns.md shows the numbers the model gives', () => {
    // GIVEN
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'dns.md'), 'utf8');

    // THEN
    for (const strategy of [DnsStrategy.internal(SEED_INTERNAL), DnsStrategy.hybrid(KUBEADM), DnsStrategy.clusterDefault()]) {
      expect(docs).toContain(renderLookupCostTable(strategy._lookupCostRows(SEED_HOSTS)));
    }
  });

  test('fails on a host that is not a DNS name', () => {
    expect(() => DnsStrategy.clusterDefault().lookupCost('https://pypi.org'))
      .toThrow('DnsStrategy.lookupCost: invalid host: got "https://pypi.org"; expected a DNS-1123 subdomain');
  });

  test('an invalid strategy never gets as far as modelling: its factory fails', () => {
    expect(() => DnsStrategy.internal({ nameservers: [] }).lookupCost('pypi.org'))
      .toThrow('DnsStrategy.internal: invalid nameservers: got []; expected at least one nameserver');
  });
});

describe('DnsStrategy fails on bad input', () => {
  const longDomain = (c: string) => `${c.repeat(60)}.${c.repeat(60)}.${c.repeat(60)}.${c.repeat(60)}`; // 243 characters
  const cases: Array<[string, () => DnsStrategy, string]> = [
    ['more than 3 nameservers', () => DnsStrategy.internal({ nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252', '10.1.0.253'] }),
      'DnsStrategy.internal: invalid nameservers: got ["10.0.0.2","10.1.0.251","10.1.0.252","10.1.0.253"]; '
      + 'expected at most 3 nameservers: the Kubernetes API rejects more, and glibc and musl read only the first 3'],
    ['no nameserver with dns_policy none', () => DnsStrategy.internal({ nameservers: [] }),
      'DnsStrategy.internal: invalid nameservers: got []; expected at least one nameserver: dns_policy "none" gives the pod only these'],
    ['a nameserver that is not an IP address', () => DnsStrategy.internal({ nameservers: ['10.0.0.2', 'dns.corp.example.com'] }),
      'DnsStrategy.internal: invalid nameservers[1]: got "dns.corp.example.com"; expected an IPv4 or IPv6 address such as "10.0.0.2"'],
    ['a hybrid nameserver that is not an IP address, by its own prop', () => DnsStrategy.hybrid({ ...KUBEADM, vpcDnsIp: '10.0.0.256' }),
      'DnsStrategy.hybrid: invalid vpcDnsIp: got "10.0.0.256"; expected an IPv4 or IPv6 address such as "10.0.0.2"'],
    ['a duplicate nameserver', () => DnsStrategy.internal({ nameservers: ['10.0.0.2', '10.0.0.2'] }),
      'DnsStrategy.internal: invalid nameservers[1]: got "10.0.0.2"; expected a nameserver not already listed (it is nameservers[0]): '
      + 'a duplicate wastes one of the 3 slots'],
    ['a hybrid VPC DNS equal to the cluster DNS', () => DnsStrategy.hybrid({ ...KUBEADM, vpcDnsIp: '10.96.0.10' }),
      'DnsStrategy.hybrid: invalid vpcDnsIp: got "10.96.0.10"; expected a nameserver not already listed (it is clusterDnsIp)'],
    ['more than 32 search domains', () => DnsStrategy.internal({ ...SEED_INTERNAL, searches: Array.from({ length: 33 }, (_, i) => `d${i}.example.com`) }),
      'DnsStrategy.internal: invalid searches: got ["d0.example.com",'],
    ['more than 32 search domains (what is valid)', () => DnsStrategy.internal({ ...SEED_INTERNAL, searches: Array.from({ length: 33 }, (_, i) => `d${i}.example.com`) }),
      'expected at most 32 search domains (the Kubernetes API rejects more)'],
    ['a search list over 2048 characters', () => DnsStrategy.internal({ ...SEED_INTERNAL, searches: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(longDomain) }),
      'DnsStrategy.internal: invalid searches: got "9 search domains, 2195 characters"; '
      + 'expected at most 2048 characters in the search list, counting the spaces between domains (the Kubernetes API rejects more)'],
    ['a search domain that is not a DNS subdomain', () => DnsStrategy.hybrid({ ...KUBEADM, searches: ['svc.cluster.local', 'Corp_Example'] }),
      'DnsStrategy.hybrid: invalid searches[1]: got "Corp_Example"; expected a DNS-1123 subdomain of at most 253 characters'],
    ['an empty option name', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'ndots', value: '2' }, { name: '' }] }),
      'DnsStrategy.internal: invalid options[1].name: got ""; expected a non-empty resolver option name, e.g. "ndots" or "edns0"'],
    ['ndots above 15', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'ndots', value: '16' }] }),
      'DnsStrategy.internal: invalid options[0].value: got "16"; expected an integer from 0 to 15 as a string, e.g. "2": glibc and musl cap ndots at 15'],
    ['ndots that is not an integer', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'ndots', value: '1.5' }] }),
      'DnsStrategy.internal: invalid options[0].value: got "1.5"; expected an integer from 0 to 15'],
    ['ndots without a value', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'ndots' }] }),
      'DnsStrategy.internal: invalid options[0].value: got undefined; expected an integer from 0 to 15'],
    ['timeout 0', () => DnsStrategy.hybrid({ ...KUBEADM, options: [{ name: 'timeout', value: '0' }] }),
      'DnsStrategy.hybrid: invalid options[0].value: got "0"; expected an integer from 1 to 30 as a string, e.g. "2": seconds; glibc caps timeout at 30 (musl at 60)'],
    ['timeout above what glibc honours', () => DnsStrategy.hybrid({ ...KUBEADM, options: [{ name: 'timeout', value: '60' }] }),
      'DnsStrategy.hybrid: invalid options[0].value: got "60"; expected an integer from 1 to 30'],
    ['attempts above 5', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'attempts', value: '6' }] }),
      'DnsStrategy.internal: invalid options[0].value: got "6"; expected an integer from 1 to 5 as a string, e.g. "2": glibc caps attempts at 5 (musl at 10)'],
    ['attempts 0', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'attempts', value: '0' }] }),
      'DnsStrategy.internal: invalid options[0].value: got "0"; expected an integer from 1 to 5'],
    ['a flag option with a value', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'edns0', value: '1' }] }),
      'DnsStrategy.internal: invalid options[0].value: got "1"; expected no value: edns0 is a flag option'],
    ['single-request-reopen with a value', () => DnsStrategy.hybrid({ ...KUBEADM, options: [{ name: 'single-request-reopen', value: 'true' }] }),
      'DnsStrategy.hybrid: invalid options[0].value: got "true"; expected no value: single-request-reopen is a flag option'],
    ['an empty value on an unknown option', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'no-aaaa', value: '' }] }),
      'DnsStrategy.internal: invalid options[0].value: got ""; expected a non-empty value, or no value for a flag option'],
    ['an option set twice', () => DnsStrategy.internal({ ...SEED_INTERNAL, options: [{ name: 'ndots', value: '2' }, { name: 'ndots', value: '5' }] }),
      'DnsStrategy.internal: invalid options[1].name: got "ndots"; expected an option not already set (options[0]): the kubelet keeps only the last one'],
    ['an invalid cluster domain', () => DnsStrategy.clusterDefault({ clusterDomain: 'Cluster.Local' }),
      'DnsStrategy.clusterDefault: invalid clusterDomain: got "Cluster.Local"; expected a DNS-1123 subdomain'],
    ['no upstream', () => DnsStrategy.publicCloud({ upstreams: [] }),
      'DnsStrategy.publicCloud: invalid upstreams: got []; expected 1 to 15 IP addresses: CoreDNS\' forward plugin takes at most 15'],
    ['more than 15 upstreams', () => DnsStrategy.publicCloud({ upstreams: Array.from({ length: 16 }, (_, i) => `10.0.0.${i + 1}`) }),
      'expected 1 to 15 IP addresses: CoreDNS\' forward plugin takes at most 15'],
    ['an upstream that is not an IP address', () => DnsStrategy.publicCloud({ upstreams: ['tls://1.1.1.1'] }),
      'DnsStrategy.publicCloud: invalid upstreams[0]: got "tls://1.1.1.1"; expected an IPv4 or IPv6 address such as "10.0.0.2"'],
    ['a duplicate upstream', () => DnsStrategy.publicCloud({ upstreams: ['8.8.8.8', '8.8.8.8'] }),
      'DnsStrategy.publicCloud: invalid upstreams[1]: got "8.8.8.8"; expected an upstream not already listed (it is upstreams[0])'],
  ];

  // The factory itself fails: a bad strategy never reaches a runner.
  test.each(cases)('fails on %s', (_name, build, message) => {
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
  });

  test('fails with the search list at 2049 characters, not at 2048', () => {
    // GIVEN: 8 domains of 243 characters and one of 96, with 8 separating spaces: 2048 characters
    const searches = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(longDomain);
    const ok = [...searches, `${'x'.repeat(60)}.${'y'.repeat(35)}`];
    const over = [...searches, `${'x'.repeat(60)}.${'y'.repeat(36)}`];

    // THEN
    expect(ok.join(' ')).toHaveLength(2048);
    expect(() => toConfig(DnsStrategy.internal({ ...SEED_INTERNAL, searches: ok }))).not.toThrow();
    expect(() => DnsStrategy.internal({ ...SEED_INTERNAL, searches: over })).toThrow('got "9 search domains, 2049 characters"');
  });
});

describe('no site data: the network-specific addresses have no default', () => {
  test('internal({}) is a ValidationError naming nameservers and what is valid', () => {
    const call = () => DnsStrategy.internal({} as unknown as InternalDnsOptions);
    expect(call).toThrow(ValidationError);
    expect(call).toThrow('DnsStrategy.internal: invalid nameservers: got undefined; expected 1 to 3 nameserver IP addresses of your network, '
      + 'in the order the resolver tries them, e.g. ["10.0.0.2"] for an AWS VPC 10.0.0.0/16\'s resolver: there is no default, '
      + 'since they are your VPC\'s and your company\'s DNS servers');
  });

  test('a misspelled nameservers key is named, not replaced by someone else\'s resolvers', () => {
    expect(() => DnsStrategy.internal({ nameserver: ['10.0.0.2'] } as unknown as InternalDnsOptions))
      .toThrow('DnsStrategy.internal: invalid options.nameserver: got ["10.0.0.2"]; expected a known prop: did you mean "nameservers"?');
  });

  test('internal() without options names the struct and its props', () => {
    expect(() => DnsStrategy.internal(undefined as unknown as InternalDnsOptions))
      .toThrow('DnsStrategy.internal: invalid options: got undefined; expected an object with the props of InternalDnsOptions');
  });

  test('publicCloud({}) is a ValidationError naming upstreams', () => {
    const call = () => DnsStrategy.publicCloud({} as unknown as PublicCloudDnsOptions);
    expect(call).toThrow(ValidationError);
    expect(call).toThrow('DnsStrategy.publicCloud: invalid upstreams: got undefined; expected 1 to 15 IP addresses of the resolvers CoreDNS forwards '
      + 'non-cluster names to, e.g. ["8.8.8.8", "1.1.1.1"]: there is no default');
  });

  test.each([
    ['vpcDnsIp', { clusterDnsIp: '10.96.0.10', publicDnsIp: '8.8.8.8' }, 'the IP address of the VPC\'s DNS resolver, the second nameserver'],
    ['publicDnsIp', { clusterDnsIp: '10.96.0.10', vpcDnsIp: '10.0.0.2' }, 'the IP address of a public resolver, the third nameserver'],
  ])('hybrid() without %s is a ValidationError', (prop, options, expected) => {
    const call = () => DnsStrategy.hybrid(options as unknown as HybridDnsOptions);
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(`DnsStrategy.hybrid: invalid ${prop}: got undefined; expected ${expected}`);
    expect(call).toThrow('there is no default');
  });

  test('the default search list follows the cluster domain, not a namespace of the seeds', () => {
    expect(DnsStrategy.internal({ nameservers: ['10.20.0.2'] }).searches).toEqual(['svc.cluster.local', 'cluster.local']);
  });
});

describe('DnsStrategy.hybrid() needs the cluster DNS address', () => {
  const expected = 'expected the ClusterIP of the cluster DNS Service, the first nameserver: there is no default, since it depends on the cluster. '
    + 'It is usually the tenth address of the Service CIDR (a convention of kubeadm, EKS, AKS, k3s and ACK, not a rule), '
    + 'e.g. "10.96.0.10" for kubeadm\'s 10.96.0.0/12; look it up with kubectl -n kube-system get svc kube-dns';

  test.each([
    ['no options', undefined],
    ['options without clusterDnsIp', { vpcDnsIp: '10.0.0.2' }],
    ['a null clusterDnsIp', { clusterDnsIp: null }],
  ])('JavaScript callers with %s get a ValidationError', (_name, options) => {
    const call = () => DnsStrategy.hybrid(options as unknown as HybridDnsOptions);
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(`DnsStrategy.hybrid: invalid clusterDnsIp: got ${options === undefined || !('clusterDnsIp' in options) ? 'undefined' : 'null'}; ${expected}`);
  });

  test('the hybrid stack names its own prop path', () => {
    const base = { gitlabUrl: 'https://gitlab.example.com/', sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' } } };
    const stack = (dns: unknown) => () => new HybridStack(Testing.app(), 'edge', { ...base, dns: dns as HybridDnsOptions });
    expect(stack(undefined)).toThrow(ValidationError);
    expect(stack(undefined)).toThrow(`edge: invalid dns.clusterDnsIp: got undefined; ${expected}`);
    expect(stack({ searches: ['corp.example.com'] })).toThrow(`edge: invalid dns.clusterDnsIp: got undefined; ${expected}`);
    expect(stack({ ...KUBEADM, clusterDnsIp: '10.43.0.10' })().runner.dnsStrategy.nameservers).toEqual(['10.43.0.10', '10.0.0.2', '8.8.8.8']);
    expect(stack({ clusterDnsIp: '10.43.0.10', publicDnsIp: '8.8.8.8' })).toThrow('edge: invalid dns.vpcDnsIp: got undefined; expected the IP address of the VPC\'s DNS resolver');
  });
});

describe('a runner warns when its images make its DNS strategy fail', () => {
  const HYBRID = { ...KUBEADM, clusterDnsIp: '172.21.0.10' };
  /** The warnings of one runner with `dns`, its helper flavor and its default job image. */
  function warnings(dns: DnsStrategy, flavor?: HelperImageFlavor, jobImage?: string): string[] {
    const chart = Testing.chart();
    const jobPodPolicy = new JobPodPolicy(chart, 'JobPodPolicy', { helperImage: HelperImage.official({ flavor }), jobImage });
    new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      dnsStrategy: dns, jobPodPolicy,
    });
    // The check needs the runner and its JobPodPolicy: it runs with the app's validation.
    Testing.synth(chart);
    return warningsOf(chart);
  }

  test('hybrid() with the default Alpine helper and alpine:3.22: one warning that says what fails and what to do', () => {
    expect(warnings(DnsStrategy.hybrid(HYBRID))).toEqual([
      'test/Runner: dnsStrategy: DnsStrategy.hybrid() with musl-based images, the helper image '
      + 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0 (Alpine flavor: git clones there) and the default '
      + 'job image alpine:3.22: musl sends each query to all nameservers (172.21.0.10, 10.0.0.2, 8.8.8.8) at once and takes the first answer, '
      + 'NXDOMAIN included, so a cluster name fails whenever the VPC or public resolver answers first, and a private name whenever the public '
      + 'one does: lookups fail at random. Use glibc-based images (JobPodPolicy helperImage: HelperImage.official({ flavor: HelperImageFlavor.UBUNTU }) '
      + 'and a Debian or Ubuntu jobImage), or nameservers that all give the same answers, e.g. DnsStrategy.clusterDefault() '
      + 'when the cluster DNS forwards to the VPC DNS',
    ]);
  });

  test('it names only the musl-based image', () => {
    const [helperOnly] = warnings(DnsStrategy.hybrid(HYBRID), HelperImageFlavor.ALPINE_3_21, 'debian:12.7');
    expect(helperOnly).toContain('the helper image registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:alpine3.21-x86_64-v18.3.0');
    expect(helperOnly).not.toContain('job image');
    const [jobOnly] = warnings(DnsStrategy.hybrid(HYBRID), HelperImageFlavor.UBUNTU, 'python:3.12-alpine3.20');
    expect(jobOnly).toContain('with musl-based images, the default job image python:3.12-alpine3.20:');
    expect(jobOnly).not.toContain('helper image');
    const [mirrored] = warnings(DnsStrategy.hybrid(HYBRID), HelperImageFlavor.UBI_FIPS, 'registry.example.com/library/alpine:3.22');
    expect(mirrored).toContain('the default job image registry.example.com/library/alpine:3.22:');
  });

  test('no warning with glibc-based images, or with a strategy that has no racing nameservers', () => {
    expect(warnings(DnsStrategy.hybrid(HYBRID), HelperImageFlavor.UBUNTU, 'debian:12.7')).toEqual([]);
    expect(warnings(DnsStrategy.hybrid(HYBRID), HelperImageFlavor.UBI_FIPS, 'ubuntu:24.04')).toEqual([]);
    // An image whose name merely contains "alpine" elsewhere is not taken for Alpine.
    expect(warnings(DnsStrategy.hybrid(HYBRID), HelperImageFlavor.UBUNTU, 'alpine/k8s:1.28.15')).toEqual([]);
    for (const dns of [DnsStrategy.internal(SEED_INTERNAL), DnsStrategy.clusterDefault(), DnsStrategy.publicCloud(SEED_UPSTREAMS)]) expect(warnings(dns)).toEqual([]);
  });
});

describe('the factories check every address and option at once', () => {
  test.each([
    ['internal', () => DnsStrategy.internal({ nameservers: ['10.0.0.2', 'dns.corp.example.com'] }), 'DnsStrategy.internal', 'nameservers[1]'],
    ['publicCloud', () => DnsStrategy.publicCloud({ upstreams: ['8.8.8.8', 'dns.google'] }), 'DnsStrategy.publicCloud', 'upstreams[1]'],
    ['hybrid', () => DnsStrategy.hybrid({ clusterDnsIp: '10.96.0.10', vpcDnsIp: 'vpc-dns', publicDnsIp: '8.8.8.8' }), 'DnsStrategy.hybrid', 'vpcDnsIp'],
  ])('%s: a host name where an address belongs is a ValidationError from the factory', (_kind, build, path, prop) => {
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(new RegExp(`^${path.replace('.', '\\.')}: invalid ${prop.replace(/[.[\]]/g, '\\$&')}: got "[^"]+"; expected an IPv4 or IPv6 address`));
  });
});
