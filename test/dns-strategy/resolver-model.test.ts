import { DnsResolver } from '../../lib/dns-strategy';
import { CLUSTER_FIRST_NDOTS, RESOLVER_DEFAULTS, simulateLookup } from '../../lib/dns-strategy/resolver-model';

const SEARCHES = ['a.svc.cluster.local', 'svc.cluster.local'];

describe('simulateLookup', () => {
  test('a name with fewer than ndots dots walks every search domain, then goes as given', () => {
    const cost = simulateLookup({ searches: SEARCHES, ndots: 2, timeout: 3, nameserverCount: 2 }, 'pypi.org', DnsResolver.GLIBC);
    expect(cost).toMatchObject({
      host: 'pypi.org', resolver: 'glibc', ndots: 2, searches: SEARCHES,
      attempts: ['pypi.org.a.svc.cluster.local.', 'pypi.org.svc.cluster.local.', 'pypi.org.'],
      queriesBeforeAnswer: 2,
      // glibc waits one timeout per name tried for a dead first nameserver.
      firstNameserverDownDelaySeconds: 9,
    });
    expect(cost.model).toMatch(/^glibc \(and Go\): .*one timeout \(3 s\) per name tried/);
  });

  test('enough dots or a trailing dot: one attempt', () => {
    const setup = { searches: SEARCHES, ndots: 1, timeout: 5, nameserverCount: 3 };
    expect(simulateLookup(setup, 'pypi.org', DnsResolver.GLIBC).attempts).toEqual(['pypi.org.']);
    expect(simulateLookup({ ...setup, ndots: 5 }, 'gitlab.', DnsResolver.GLIBC).attempts).toEqual(['gitlab.']);
  });

  test('musl asks every nameserver at once: no delay while another answers', () => {
    const cost = simulateLookup({ searches: SEARCHES, ndots: 5, timeout: 5, nameserverCount: 2 }, 'gitlab', DnsResolver.MUSL);
    expect(cost.firstNameserverDownDelaySeconds).toBe(0);
    expect(cost.attempts).toHaveLength(3);
    expect(cost.model).toMatch(/^musl: .*all nameservers at once/);
  });

  test('a single nameserver: nothing answers when it is down, for either resolver', () => {
    for (const resolver of [DnsResolver.GLIBC, DnsResolver.MUSL]) {
      const cost = simulateLookup({ searches: [], ndots: 1, timeout: 5, nameserverCount: 1 }, 'gitlab', resolver);
      expect(cost.firstNameserverDownDelaySeconds).toBe(Infinity);
      expect(cost.model).toContain('a single nameserver');
    }
  });

  test('the modelled defaults are the kubelet\'s and the resolvers\'', () => {
    expect(CLUSTER_FIRST_NDOTS).toBe(5);
    expect(RESOLVER_DEFAULTS).toEqual({ ndots: 1, timeout: 5, attempts: 2 });
  });
});
