import { CLUSTER_DNS, publicCloudCorefile } from '../../lib/dns-strategy/core-dns';

describe('publicCloudCorefile', () => {
  test('one .:53 block: the stock plugins in order, the cluster domain and the upstreams in place', () => {
    const [block, ...rest] = publicCloudCorefile('corp.internal', ['9.9.9.9', '1.1.1.1']);
    expect(rest).toEqual([]);
    expect(block.keys).toEqual(['.:53']);
    expect(block.directives.map((d) => d.name)).toEqual([
      'errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance',
    ]);
    expect(block.directives.find((d) => d.name === 'kubernetes')?.args).toEqual(['corp.internal', 'in-addr.arpa', 'ip6.arpa']);
    expect(block.directives.find((d) => d.name === 'forward')?.args).toEqual(['.', '9.9.9.9', '1.1.1.1']);
  });

  test('the cluster DNS is named once: kube-system, k8s-app=kube-dns, ConfigMap coredns with key Corefile', () => {
    expect(CLUSTER_DNS).toEqual({ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, configMapName: 'coredns', corefileKey: 'Corefile' });
  });
});
