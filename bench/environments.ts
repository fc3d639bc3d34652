// N generated environments for the benchmark, built through the public API only, as a platform team
// with one environment per cluster would: the three stack kinds in turn, each its own cluster, with
// values that differ per environment (namespaces, sizes, tags, addresses). Deterministic in N.
import { App, Size } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import { EnvironmentStack, HelperImageFlavor, HybridStack, InternalStack, NetworkEndpoint, PublicStack, RunnerCache } from '../lib';

const JOB_PODS = {
  buildResources: { cpu: { limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(2) } },
  serviceResources: {
    cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
    memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
  },
  helperResources: { cpu: { limit: Cpu.millis(500) }, memory: { limit: Size.mebibytes(512) } },
};

/** Environment `i` of a fleet: kind `i mod 3`, cluster `env-<i>`. */
export function generatedEnvironment(app: App, i: number): EnvironmentStack {
  const id = `env-${String(i).padStart(4, '0')}`;
  const octet = i % 250;
  const common = {
    clusterName: id,
    gitlabUrl: `https://gitlab-${i % 7}.example.com/`,
    namespace: `ci-${i % 5}`,
    jobNamespace: `ci-${i % 5}-jobs`,
    replicas: 1 + (i % 3),
    concurrent: 4 + (i % 5),
    tags: ['kubernetes', `team-${i % 11}`],
    network: {
      kubernetesApi: NetworkEndpoint.ip(`10.${octet}.0.1`, [6443]),
      registries: [NetworkEndpoint.cidr(`10.${octet}.128.0/20`, [443])],
      internetEgress: true,
      monitoringNamespace: 'monitoring',
    },
    monitoring: { labels: { release: 'kube-prometheus-stack' } },
    sampleApp: i % 2 === 0 ? { registry: { host: `registry-${octet}.example.com`, repository: 'platform/calculator' } } : undefined,
    jobPods: JOB_PODS,
  };
  const pool = { nodes: 8 + (i % 4), nodeCpu: Cpu.units(16), nodeMemory: Size.gibibytes(64) };
  switch (i % 3) {
    case 0:
      return new InternalStack(app, id, {
        ...common,
        nodePool: pool,
        dns: { nameservers: [`10.${octet}.0.2`, `10.${octet}.0.3`], searches: ['svc.cluster.local', 'cluster.local'] },
        cache: RunnerCache.s3({
          serverAddress: `s3.${id}.example.com`,
          bucketName: `${id}-runner-cache`,
          bucketLocation: 'eu-central-1',
          credentials: Secret.fromSecretName(app, `${id}-cache-credentials`, 'runner-cache-s3'),
        }),
      });
    case 1:
      return new PublicStack(app, id, { ...common, upstreams: ['8.8.8.8', '1.1.1.1'] });
    default:
      return new HybridStack(app, id, {
        ...common,
        nodePool: pool,
        serviceCidr: '172.21.0.0/16',
        dns: { clusterDnsIp: '172.21.0.10', vpcDnsIp: `10.${octet}.0.2`, publicDnsIp: '8.8.8.8' },
        helperImageFlavor: HelperImageFlavor.UBUNTU,
        jobImage: 'debian:12-slim',
      });
  }
}

/** Environments 0 to n-1 in `app`. */
export function generatedEnvironments(app: App, n: number): EnvironmentStack[] {
  return Array.from({ length: n }, (_, i) => generatedEnvironment(app, i));
}
