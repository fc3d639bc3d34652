import { Testing } from 'cdk8s';
import { EnvironmentStackProps, InternalStack } from '../../lib';
import { SEED_INTERNAL_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

const BASE: EnvironmentStackProps = {
  gitlabUrl: 'https://gitlab.example.com/',
  sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' } },
};

describe('InternalStack', () => {
  test('the DNS strategy is internal, with the given nameservers and searches and no CoreDNS chart', () => {
    const stack = new InternalStack(Testing.app(), 'a', { ...BASE, dns: SEED_INTERNAL_DNS });
    expect(stack.runner.dnsStrategy.kind).toBe('internal');
    expect(stack.runner.dnsStrategy.nameservers).toEqual(SEED_INTERNAL_DNS.nameservers);
    expect(stack.coreDnsChart).toBeUndefined();
  });

  test('dns is required at the stack; its addresses are checked where the runner uses them', () => {
    expect(() => new InternalStack(Testing.app(), 'internal', BASE as any)).toThrow('internal: invalid dns: got undefined');
    expect(() => new InternalStack(Testing.app(), 'internal', { ...BASE, dns: { nameservers: ['10.0.0.300'] } }))
      .toThrow('internal: invalid dns.nameservers[0]: got "10.0.0.300"; expected an IPv4 or IPv6 address such as "10.0.0.2"');
  });

  test('an unknown or misspelled prop fails before anything is built, naming the path under a parent', () => {
    const chart = Testing.chart();
    expect(() => new InternalStack(chart, 'internal', { ...BASE, dns: { nameserver: ['10.0.0.2'] } } as any))
      .toThrow(`${chart.node.path}/internal: invalid dns.nameserver: got ["10.0.0.2"]; expected a known prop: did you mean "nameservers"?`);
    expect(chart.node.children).toHaveLength(0);
    expect(() => new InternalStack(Testing.app(), 'internal', { ...BASE, dns: SEED_INTERNAL_DNS, upstreams: SEED_UPSTREAMS } as any))
      .toThrow('internal: invalid upstreams');
    expect(() => new InternalStack(Testing.app(), 'internal', null as any)).toThrow('internal: invalid props: got null');
  });
});
