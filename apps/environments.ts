// The seeds' three environments, built from the library's constructs. Kept free of side
// effects (no synth) so tests can build them; apps/main.ts synthesizes them.
import { Chart, Duration, Size } from 'cdk8s';
import { Cpu, Secret, TaintEffect } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { JobDnsPolicy, RunnerCache, RunnerManager, RunnerManagerProps } from '../lib';

/** The CI node pool of the seeds: nodes labelled and tainted `workload=ci:NoSchedule`. */
const CI_POOL = {
  nodeSelector: { workload: 'ci' },
  nodeTolerations: [{ key: 'workload', value: 'ci', effect: TaintEffect.NO_SCHEDULE }],
};

/** Job resources of seed 004: build 2 / 2Gi, DinD service 2 / 2Gi (500m / 512Mi requests), helper 500m / 512Mi. */
const SEED_004_RESOURCES = {
  buildResources: {
    cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
    memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
  },
  serviceResources: {
    cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
    memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
  },
  helperResources: {
    cpu: { limit: Cpu.millis(500) },
    memory: { limit: Size.mebibytes(512) },
  },
};

/** What all three environments of the seeds share: one `gitlab` namespace for the release, 10 jobs per manager, DinD. */
function seedRunner(chart: Chart, props: Omit<RunnerManagerProps, 'tokenSecret'>): RunnerManager {
  return new RunnerManager(chart, 'Runner', {
    tokenSecret: Secret.fromSecretName(chart, 'RunnerToken', 'gitlab-runner-token'),
    namespace: 'gitlab',
    concurrent: 10,
    privileged: true,
    ...props,
  });
}

/** The seeds' VPC site (GitLab on a VM at 192.168.1.50, 3 managers, CI node pool), shared by internal and hybrid. */
const VPC_SITE = {
  gitlabUrl: 'http://192.168.1.50/',
  replicas: 3,
  ...SEED_004_RESOURCES,
  ...CI_POOL,
  jobDnsPolicy: JobDnsPolicy.NONE,
};

/** `internal`: GitLab on a VM in the VPC, internal DNS, images through a private mirror, S3 cache. */
export function internalEnvironment(scope: Construct): Chart {
  const chart = new Chart(scope, 'internal');
  seedRunner(chart, {
    ...VPC_SITE,
    tags: ['kubernetes', 'docker', 'x86_64'],
    imageRegistry: 'registry.example.com',
    imageRepository: 'gitlab/gitlab-runner',
    helperImage: 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0',
    jobImage: 'registry.example.com/library/alpine:3.22',
    jobDnsConfig: {
      nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
      searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '2' }],
    },
    cache: RunnerCache.s3({
      serverAddress: 's3.amazonaws.com',
      bucketName: 'gitlab-runner-cache',
      bucketLocation: 'us-east-1',
      credentials: Secret.fromSecretName(chart, 'CacheCredentials', 'gitlab-runner-cache-s3'),
    }),
    pollTimeout: Duration.minutes(5),
  });
  return chart;
}

/** `public`: gitlab.com, public images, cluster DNS forwarding to public resolvers. */
export function publicEnvironment(scope: Construct): Chart {
  const chart = new Chart(scope, 'public');
  seedRunner(chart, {
    gitlabUrl: 'https://gitlab.com/',
    replicas: 2,
    tags: ['kubernetes'],
    // Seed 002's quick setup.
    buildResources: {
      cpu: { request: Cpu.millis(500), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
    },
    serviceResources: {
      cpu: { limit: Cpu.units(1) },
      memory: { limit: Size.gibibytes(1) },
    },
  });
  return chart;
}

/** `hybrid`: cluster DNS first, then the VPC DNS, then a public resolver. */
export function hybridEnvironment(scope: Construct): Chart {
  const chart = new Chart(scope, 'hybrid');
  seedRunner(chart, {
    ...VPC_SITE,
    tags: ['kubernetes', 'docker'],
    jobDnsConfig: {
      nameservers: ['10.96.0.10', '10.0.0.2', '8.8.8.8'],
      searches: ['svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '2' }],
    },
  });
  return chart;
}

/** All three environments in one app. */
export function buildEnvironments(scope: Construct): Chart[] {
  return [internalEnvironment(scope), publicEnvironment(scope), hybridEnvironment(scope)];
}
