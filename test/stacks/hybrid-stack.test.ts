import { Testing } from 'cdk8s';
import { EnvironmentStackProps, HybridStack, ValidationError } from '../../lib';
import { SEED_HYBRID_DNS } from '../util/seed-dns';

const BASE: EnvironmentStackProps = {
  gitlabUrl: 'https://gitlab.example.com/',
  sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' } },
};

describe('HybridStack', () => {
  test('the DNS strategy is hybrid, nameservers in the order cluster, VPC, public', () => {
    const stack = new HybridStack(Testing.app(), 'c', { ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' } });
    expect(stack.runner.dnsStrategy.kind).toBe('hybrid');
    expect(stack.runner.dnsStrategy.nameservers).toEqual(['10.96.0.10', '10.0.0.2', '8.8.8.8']);
    expect(stack.coreDnsChart).toBeUndefined();
  });

  test('the hybrid stack checks the cluster DNS address against the Service CIDR', () => {
    // The seeds: kube-dns 10.96.0.10 on a cluster whose Service CIDR is 172.21.0.0/16.
    expect(() => new HybridStack(Testing.app(), 'hybrid', { ...BASE, serviceCidr: '172.21.0.0/16', dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' } })).toThrow(
      'hybrid: invalid dns.clusterDnsIp: got "10.96.0.10"; expected an address in the Service CIDR 172.21.0.0/16');
    const ok = new HybridStack(Testing.app(), 'hybrid', { ...BASE, serviceCidr: '172.21.0.0/16', dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '172.21.0.10' } });
    expect(ok.runner.dnsStrategy.nameservers[0]).toBe('172.21.0.10');
    expect(() => new HybridStack(Testing.app(), 'hybrid', { ...BASE, serviceCidr: '172.21.0.0', dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '172.21.0.10' } }))
      .toThrow('hybrid: invalid serviceCidr: got "172.21.0.0"; expected an IPv4 CIDR such as "172.21.0.0/16"');
  });

  test('without serviceCidr the cluster DNS address is not checked against one', () => {
    expect(() => new HybridStack(Testing.app(), 'hybrid', { ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' } })).not.toThrow();
  });

  test('errors name the stack\'s path under a parent scope, and the dns options by their prop', () => {
    const chart = Testing.chart();
    expect(() => new HybridStack(chart, 'hybrid', { ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: 'dns' } }))
      .toThrow(`${chart.node.path}/hybrid: invalid dns.clusterDnsIp: got "dns"; expected an IPv4 or IPv6 address such as "10.0.0.2"`);
    expect(() => new HybridStack(chart, 'hybrid2', { ...BASE, dns: { vpcDnsIp: '10.0.0.2', publicDnsIp: '8.8.8.8' } as any }))
      .toThrow(`${chart.node.path}/hybrid2: invalid dns.clusterDnsIp: got undefined`);
    expect(() => new HybridStack(Testing.app(), 'hybrid', { ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10', vpcDns: '10.0.0.2' } as any }))
      .toThrow('hybrid: invalid dns.vpcDns: got "10.0.0.2"; expected a known prop: did you mean "vpcDnsIp"?');
  });

  test('an unknown or misspelled prop fails before anything is built', () => {
    const app = Testing.app();
    expect(() => new HybridStack(app, 'hybrid', { ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' }, serviceCdir: '10.96.0.0/12' } as any))
      .toThrow('hybrid: invalid serviceCdir: got "10.96.0.0/12"; expected a known prop: did you mean "serviceCidr"?');
    expect(app.node.children).toHaveLength(0);
    expect(() => new HybridStack(Testing.app(), 'hybrid', BASE as any)).toThrow(ValidationError);
    expect(() => new HybridStack(Testing.app(), 'hybrid', undefined as any)).toThrow('hybrid: invalid props: got undefined');
  });
});
