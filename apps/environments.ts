// The seeds' three environments: the library's stacks with the values the seeds use. Free of side
// effects (no synth) so tests can build them; apps/main.ts synthesizes them.
import { Size } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CiNodePoolProps, EnvironmentStack, HelperImageFlavor, HybridStack, InternalStack, NetworkEndpoint, PublicStack, RunnerCache } from '../lib';

/** Seed 001's CI node pool: 3 nodes × 8 cores × 32 GiB, labelled and tainted workload=ci (80% allocatable). */
const SEED_POOL: CiNodePoolProps = { nodes: 3, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(32) };

/**
 * Seed 003's network: the API server at 192.168.1.100:6443 (the seeds name no other cluster), and
 * the VPC 10.0.0.0/16 where private-registry.example.com is assumed to live (the seeds give its
 * name only). Public destinations (gitlab.com, Docker Hub, the registry mirror, S3) have no fixed
 * address range, so the internet-egress rule covers them on 80 and 443.
 */
const SEED_NETWORK = {
  kubernetesApi: NetworkEndpoint.ip('192.168.1.100', [6443]),
  registries: [NetworkEndpoint.cidr('10.0.0.0/16', [80, 443])],
  internetEgress: true,
  monitoringNamespace: 'monitoring',
};

/**
 * Seed 001, "DNS 配置策略", strategy 1 (also seed 003's DNS table): the VPC DNS, then two internal
 * DNS servers, with the seed's search list for the `gitlab` namespace.
 */
const SEED_INTERNAL_DNS = {
  nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
  searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
};

/** Seed 001, "DNS 配置策略", strategy 2: CoreDNS forwards to Google's and Cloudflare's public resolvers. */
const SEED_UPSTREAMS = ['8.8.8.8', '1.1.1.1'];

/** Seed 001's metrics on 9252, scraped by the Prometheus Operator of a kube-prometheus-stack in `monitoring`. */
const SEED_MONITORING = { labels: { release: 'kube-prometheus-stack' } };

/**
 * Seed 002 (series part 1), "快速搭建" step 2: the release and its jobs live in `gitlab`
 * (`kubectl create namespace gitlab`, `helm install --namespace gitlab`); the jobs' namespace is
 * ours, `<namespace>-jobs`, so that each namespace carries its own Pod Security level.
 */
const SEED_NAMESPACES = { namespace: 'gitlab', jobNamespace: 'gitlab-jobs' };

/**
 * Seed 004 (series part 2), section 4.6 "资源消耗分析" and its runner config: build 2 CPU / 2Gi,
 * DinD service 2 / 2Gi with 500m / 512Mi requests, helper 500m / 512Mi (requests equal to limits
 * where none are given).
 */
const SEED_004_RESOURCES = {
  buildResources: { cpu: { limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(2) } },
  serviceResources: {
    cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
    memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
  },
  helperResources: { cpu: { limit: Cpu.millis(500) }, memory: { limit: Size.mebibytes(512) } },
};

/**
 * Seed 000 (series part 3), the Calculator API: its `.gitlab-ci.yml` pushes to
 * private-registry.example.com/my-namespace/my-app, and `calculator.yaml` pulls with the
 * `imagePullSecrets` `acr-secret` on NodePort 30194 (CalculatorApp's defaults: namespace, port).
 */
const SAMPLE_APP = {
  registry: { host: 'private-registry.example.com', repository: 'my-namespace/my-app' },
  pullSecretName: 'acr-secret',
};

/**
 * The seeds run 3 managers × 10 jobs = 30 concurrent jobs on a pool that fits 6 of seed 004's jobs
 * by requests (3 by limits). We keep the seeds' replicas and concurrent, and make the over-commit
 * impossible with a per-runner limit: 3 × 2 = 6 jobs. The remaining gap to the limits basis is a
 * warning on every synth.
 */
const FITS_THE_POOL = { replicas: 3, concurrent: 10, limit: 2 };

/** `internal`: seed 003's deployment and strategy 1 of seed 001. */
export function internalEnvironment(scope: Construct): InternalStack {
  return new InternalStack(scope, 'internal', {
    // Each environment is its own cluster: they share namespaces, release names and NodePort 30194.
    clusterName: 'internal',
    gitlabUrl: 'http://192.168.1.50/',
    ...SEED_NAMESPACES,
    ...FITS_THE_POOL,
    jobPods: SEED_004_RESOURCES,
    tags: ['kubernetes', 'docker', 'x86_64'],
    imageMirror: 'registry.example.com',
    sampleApp: SAMPLE_APP,
    // Seed 000: the private registry has no certificate.
    insecureRegistries: ['private-registry.example.com'],
    nodePool: SEED_POOL,
    dns: SEED_INTERNAL_DNS,
    network: SEED_NETWORK,
    monitoring: SEED_MONITORING,
    cache: RunnerCache.s3({
      serverAddress: 's3.amazonaws.com',
      bucketName: 'gitlab-runner-cache',
      bucketLocation: 'us-east-1',
      credentials: Secret.fromSecretName(scope, 'InternalCacheCredentials', 'gitlab-runner-cache-s3'),
    }),
  });
}

/** `public`: seed 002's quick setup and strategy 2 of seed 001. */
export function publicEnvironment(scope: Construct): PublicStack {
  return new PublicStack(scope, 'public', {
    // Each environment is its own cluster: they share namespaces, release names and NodePort 30194.
    clusterName: 'public',
    gitlabUrl: 'https://gitlab.com/',
    ...SEED_NAMESPACES,
    replicas: 2,
    concurrent: 10,
    tags: ['kubernetes'],
    sampleApp: SAMPLE_APP,
    upstreams: SEED_UPSTREAMS,
    network: SEED_NETWORK,
    monitoring: SEED_MONITORING,
    // Seed 002's job resources: build 1 / 1Gi with 500m / 512Mi requests, services 1 / 1Gi; the
    // helper's are seed 004's (seed 002 gives none).
    jobPods: {
      helperResources: SEED_004_RESOURCES.helperResources,
      buildResources: {
        cpu: { request: Cpu.millis(500), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
      },
      serviceResources: { cpu: { limit: Cpu.units(1) }, memory: { limit: Size.gibibytes(1) } },
    },
  });
}

/** `hybrid`: strategy 3 of seed 001 on seed 003's cluster. */
export function hybridEnvironment(scope: Construct): HybridStack {
  return new HybridStack(scope, 'hybrid', {
    // Each environment is its own cluster: they share namespaces, release names and NodePort 30194.
    clusterName: 'hybrid',
    gitlabUrl: 'http://192.168.1.50/',
    ...SEED_NAMESPACES,
    ...FITS_THE_POOL,
    jobPods: SEED_004_RESOURCES,
    tags: ['kubernetes', 'docker'],
    sampleApp: SAMPLE_APP,
    insecureRegistries: ['private-registry.example.com'],
    nodePool: SEED_POOL,
    // Seed 001 names kube-dns 10.96.0.10, but seed 003's cluster has the Service CIDR 172.21.0.0/16:
    // 10.96.0.10 is not in it. The cluster DNS Service is that range's tenth address.
    serviceCidr: '172.21.0.0/16',
    // Seed 001, "DNS 配置策略", strategy 3: the VPC DNS, then Google's public resolver.
    dns: { clusterDnsIp: '172.21.0.10', vpcDnsIp: '10.0.0.2', publicDnsIp: '8.8.8.8' },
    // Not in the seeds: seed 001's hybrid resolv.conf lists cluster, VPC and public resolvers, which musl
    // (the Alpine helper and job images) asks all at once, taking the first answer; glibc asks in order.
    helperImageFlavor: HelperImageFlavor.UBUNTU,
    jobImage: 'debian:12-slim',
    network: SEED_NETWORK,
    monitoring: SEED_MONITORING,
  });
}

/** All three environments in one app. */
export function buildEnvironments(scope: Construct): EnvironmentStack[] {
  return [internalEnvironment(scope), publicEnvironment(scope), hybridEnvironment(scope)];
}
