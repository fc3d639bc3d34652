// The seeds' DNS values (seed 001, "DNS 配置策略"), which the library once used as defaults: tests
// that only need some valid DNS setting pass these, so their output stays what it was.

/** Strategy 1: the VPC DNS and two internal DNS servers, with the search list of the `gitlab` namespace. */
export const SEED_INTERNAL_DNS = {
  nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
  searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
};

/** Strategy 2: the public resolvers CoreDNS forwards to. */
export const SEED_UPSTREAMS = ['8.8.8.8', '1.1.1.1'];

/** Strategy 3 without the cluster DNS address: the VPC DNS and a public resolver. */
export const SEED_HYBRID_DNS = { vpcDnsIp: '10.0.0.2', publicDnsIp: '8.8.8.8' };
