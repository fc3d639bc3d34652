import { Testing } from 'cdk8s';
import { EnvironmentStackProps, PublicStack } from '../../lib';
import { SEED_INTERNAL_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

const BASE: EnvironmentStackProps = {
  gitlabUrl: 'https://gitlab.example.com/',
  sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' } },
};

describe('PublicStack', () => {
  test('the DNS strategy is public-cloud, forwarding to the given upstreams', () => {
    const stack = new PublicStack(Testing.app(), 'b', { ...BASE, upstreams: SEED_UPSTREAMS });
    expect(stack.runner.dnsStrategy.kind).toBe('public-cloud');
    expect(stack.coreDnsChart!.toJson()[0].data.Corefile).toContain('forward . 8.8.8.8 1.1.1.1');
  });

  test('the public stack\'s CoreDNS change is its own chart', () => {
    const stack = new PublicStack(Testing.app(), 'public', { ...BASE, upstreams: ['9.9.9.9'] });
    const [configMap] = stack.coreDnsChart!.toJson();
    expect(configMap.metadata).toMatchObject({ name: 'coredns', namespace: 'kube-system' });
    expect(configMap.data.Corefile).toContain('forward . 9.9.9.9');
  });

  test('upstreams are required and required at the stack; their addresses are checked by the runner', () => {
    expect(() => new PublicStack(Testing.app(), 'public', BASE as any)).toThrow('public: invalid upstreams: got undefined');
    // The addresses themselves are checked where the runner uses the strategy, under its dnsStrategy prop.
    expect(() => new PublicStack(Testing.app(), 'public', { ...BASE, upstreams: [] }))
      .toThrow('public: invalid upstreams: got []; expected 1 to 15 IP addresses');
    expect(() => new PublicStack(Testing.app(), 'public', { ...BASE, upstreams: ['dns.google'] }))
      .toThrow('public: invalid upstreams[0]: got "dns.google"');
  });

  test('an unknown or misspelled prop fails before anything is built, naming the path under a parent', () => {
    const chart = Testing.chart();
    expect(() => new PublicStack(chart, 'public', { ...BASE, upstream: ['9.9.9.9'] } as any))
      .toThrow(`${chart.node.path}/public: invalid upstream: got ["9.9.9.9"]; expected a known prop: did you mean "upstreams"?`);
    expect(chart.node.children).toHaveLength(0);
    expect(() => new PublicStack(Testing.app(), 'public', { ...BASE, upstreams: ['9.9.9.9'], dns: SEED_INTERNAL_DNS } as any))
      .toThrow('public: invalid dns');
  });
});
