// The seeds' three environments, built from the library's constructs. Kept free of side
// effects (no synth) so tests can build them; apps/main.ts synthesizes them.
import { Chart, Size } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CiNodePool, DnsStrategy, HelperImage, JobPodPolicy, JobSecurityProfile, RunnerCache, RunnerManager, RunnerManagerProps,
} from '../lib';

/** What all three environments of the seeds share: one `gitlab` namespace for the release, 10 jobs per manager. */
function seedRunner(chart: Chart, props: Omit<RunnerManagerProps, 'tokenSecret'>): RunnerManager {
  return new RunnerManager(chart, 'Runner', {
    tokenSecret: Secret.fromSecretName(chart, 'RunnerToken', 'gitlab-runner-token'),
    namespace: 'gitlab',
    concurrent: 10,
    ...props,
  });
}

/**
 * The seeds' CI node pool: 3 nodes × 8 cores × 32 GiB labelled and tainted `workload=ci`, 80%
 * allocatable. With seed 004's job (4.5 CPU / 4.5Gi of limits, 3 CPU / 3Gi of requests) it fits
 * 2 jobs per node by requests and 1 by limits.
 */
function seedPool(chart: Chart, registry?: string): CiNodePool {
  const mirror = (image: string) => (registry ? `${registry}/${image}` : image);
  return new CiNodePool(chart, 'CiNodePool', {
    namespace: 'gitlab-jobs',
    nodes: 3,
    nodeCpu: Cpu.units(8),
    nodeMemory: Size.gibibytes(32),
    prePullImages: [{ image: mirror('docker:27.3.1-dind') }, { image: mirror('docker:27.3.1') }],
    pauseImage: registry ? `${registry}/pause:3.9` : undefined,
  });
}

/** `internal`: GitLab on a VM in the VPC, internal DNS, images through a private mirror, S3 cache. */
export function internalEnvironment(scope: Construct): Chart {
  const chart = new Chart(scope, 'internal');
  seedRunner(chart, {
    gitlabUrl: 'http://192.168.1.50/',
    replicas: 3,
    // 3 managers × 10 jobs = 30, but the pool fits 6 by requests: each manager runs at most 2.
    limit: 2,
    tags: ['kubernetes', 'docker', 'x86_64'],
    imageRegistry: 'registry.example.com',
    imageRepository: 'gitlab/gitlab-runner',
    jobImage: 'registry.example.com/library/alpine:3.22',
    jobPodPolicy: new JobPodPolicy(chart, 'JobPodPolicy', {
      securityProfile: JobSecurityProfile.privileged(),
      helperImage: HelperImage.fromRegistry('registry.example.com'),
    }),
    dnsStrategy: DnsStrategy.internal(),
    nodePool: seedPool(chart, 'registry.example.com'),
    cache: RunnerCache.s3({
      serverAddress: 's3.amazonaws.com',
      bucketName: 'gitlab-runner-cache',
      bucketLocation: 'us-east-1',
      credentials: Secret.fromSecretName(chart, 'CacheCredentials', 'gitlab-runner-cache-s3'),
    }),
  });
  return chart;
}

/** `public`: gitlab.com, public images, cluster DNS forwarding to public resolvers. */
export function publicEnvironment(scope: Construct): Chart[] {
  const chart = new Chart(scope, 'public');
  const dns = DnsStrategy.publicCloud();
  seedRunner(chart, {
    gitlabUrl: 'https://gitlab.com/',
    replicas: 2,
    tags: ['kubernetes'],
    // Seed 002's quick setup.
    jobPodPolicy: new JobPodPolicy(chart, 'JobPodPolicy', {
      securityProfile: JobSecurityProfile.privileged(),
      buildResources: {
        cpu: { request: Cpu.millis(500), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
      },
      serviceResources: { cpu: { limit: Cpu.units(1) }, memory: { limit: Size.gibibytes(1) } },
    }),
    dnsStrategy: dns,
  });
  // The CoreDNS change goes in its own chart and file, to be applied deliberately.
  const coredns = new Chart(scope, 'public-coredns');
  dns.addCoreDnsConfigMap(coredns);
  return [chart, coredns];
}

/** `hybrid`: cluster DNS first, then the VPC DNS, then a public resolver. */
export function hybridEnvironment(scope: Construct): Chart {
  const chart = new Chart(scope, 'hybrid');
  seedRunner(chart, {
    gitlabUrl: 'http://192.168.1.50/',
    replicas: 3,
    limit: 2,
    tags: ['kubernetes', 'docker'],
    jobPodPolicy: new JobPodPolicy(chart, 'JobPodPolicy', { securityProfile: JobSecurityProfile.privileged() }),
    dnsStrategy: DnsStrategy.hybrid(),
    nodePool: seedPool(chart),
  });
  return chart;
}

/** All three environments in one app. */
export function buildEnvironments(scope: Construct): Chart[] {
  return [internalEnvironment(scope), ...publicEnvironment(scope), hybridEnvironment(scope)];
}
