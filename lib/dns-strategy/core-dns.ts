import { Corefile } from '../model/corefile';

/**
 * The cluster DNS as every mainstream distribution deploys it: pods labelled `k8s-app=kube-dns`
 * in `kube-system` (a Kubernetes convention kept by CoreDNS deployments for compatibility).
 */
export const CLUSTER_DNS = {
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  /** The ConfigMap CoreDNS reads its Corefile from, and its data key. */
  configMapName: 'coredns',
  corefileKey: 'Corefile',
} as const;

/** Annotation explaining the replaced Corefile. */
export const COREDNS_NOTE_KEY = 'cdk8s-gitlab-runner/note';

/**
 * The public-cloud Corefile: the stock server block (seed 001, strategy 2), completed with what the
 * stock CoreDNS deployment relies on (`ready`, `lameduck`, `ttl`, `max_concurrent`), forwarding
 * every non-cluster name to `upstreams`.
 */
export function publicCloudCorefile(clusterDomain: string, upstreams: readonly string[]): Corefile {
  return [{
    keys: ['.:53'],
    directives: [
      { name: 'errors' },
      { name: 'health', block: [{ name: 'lameduck', args: ['5s'] }] },
      // The stock readiness probe is http :8181/ready: without this plugin no CoreDNS pod becomes ready.
      { name: 'ready' },
      {
        name: 'kubernetes',
        args: [clusterDomain, 'in-addr.arpa', 'ip6.arpa'],
        block: [
          { name: 'pods', args: ['insecure'] },
          { name: 'fallthrough', args: ['in-addr.arpa', 'ip6.arpa'] },
          { name: 'ttl', args: ['30'] },
        ],
      },
      { name: 'prometheus', args: [':9153'] },
      { name: 'forward', args: ['.', ...upstreams], block: [{ name: 'max_concurrent', args: ['1000'] }] },
      { name: 'cache', args: ['30'] },
      { name: 'loop' },
      { name: 'reload' },
      { name: 'loadbalance' },
    ],
  }];
}
