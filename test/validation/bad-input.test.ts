// The checks of docs/bad-input.md, one by one: misspelled keys, wrong types at the entry points the
// brief names, the gitlabUrl path, and options that have no effect in their combination.
import { Chart, Testing } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import { Size } from 'cdk8s';
import { AppImage, BuilderKind, CiNodePool, DnsStrategy, HelperImage, ImageBuilder, InternalStack, JobSecurityProfile, JobPodPolicy, JobVolume, NetworkEndpoint, RunnerCache, RunnerManager, RunnerNetworkPolicies, RunnerSmokeTest, CalculatorApp, CalculatorPipeline } from '../../lib';
import { toKubeTolerations } from '../../lib/toleration';
import { Construct } from 'constructs';
import { PropChecker } from '../../lib/validation/prop-checker';
import { ValidationError } from '../../lib/validation/errors';
import { warningsOf } from '../../lib/validation/warnings';
import { SEED_INTERNAL_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

const GITLAB = 'https://gitlab.example.com/';
const chart = () => Testing.chart();
/** Job-pod settings belong to the JobPodPolicy: `extra`'s go to one (`<chart>/RunnerJobs`), unless it gives a policy. */
const JOB_POD_KEYS = ['jobImage', 'imagePullSecrets', 'jobServiceAccount', 'jobServiceAccountOverwriteAllowed', 'podTerminationGracePeriod', 'jobCleanupTimeout', 'hostAliases', 'volumes', 'allowHostPathVolumes'];
const withJobPods = (scope: Construct, extra: { [key: string]: unknown }) => {
  const jobPods = Object.fromEntries(Object.entries(extra).filter(([k]) => JOB_POD_KEYS.includes(k)));
  const rest = Object.fromEntries(Object.entries(extra).filter(([k]) => !JOB_POD_KEYS.includes(k)));
  return Object.keys(jobPods).length === 0 || rest.jobPodPolicy !== undefined ? extra
    : { ...rest, jobPodPolicy: new JobPodPolicy(scope, 'RunnerJobs', jobPods) };
};
const runner = (c: Chart, extra: object = {}) => new RunnerManager(c, 'Runner', {
  gitlabUrl: GITLAB, tokenSecret: Secret.fromSecretName(c, 'Token', 'gitlab-runner-token'), ...withJobPods(c, extra as any),
});
const STACK = { gitlabUrl: GITLAB, sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' } } };

/** The ValidationError `f` throws. */
function errorOf(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw new Error(`not a ValidationError: ${e}`);
  }
  throw new Error('no error');
}

describe('misspelled keys are errors', () => {
  test('a construct\'s own props: the path, the key, the value, the nearest key', () => {
    const c = chart();
    expect(() => runner(c, { concurent: 5 })).toThrow('test/Runner: invalid concurent: got 5; expected a known prop: did you mean "concurrent"?');
  });

  test('a factory\'s options name the factory', () => {
    expect(() => DnsStrategy.internal({ nameserver: ['10.0.0.2'] } as any))
      .toThrow('DnsStrategy.internal: invalid options.nameserver: got ["10.0.0.2"]; expected a known prop: did you mean "nameservers"?');
    expect(() => RunnerCache.s3({ bucketName: 'c', bucketname: 'd' } as any)).toThrow('RunnerCache.s3: invalid options.bucketname');
    expect(() => ImageBuilder.dockerInDocker({ registryMirrors: 'https://m.example.com/' } as any))
      .toThrow('ImageBuilder.dockerInDocker: invalid options.registryMirrors: got "https://m.example.com/"; expected a known prop: did you mean "registryMirror"?');
    expect(() => HelperImage.official({ flavour: 'ubuntu' } as any)).toThrow('HelperImage.official: invalid options.flavour');
    expect(() => JobVolume.emptyDir('x', { mountpath: '/x' } as any)).toThrow('JobVolume.emptyDir: invalid options.mountpath');
    expect(() => JobSecurityProfile.nonRoot({ runAsUid: 1000 } as any)).toThrow('JobSecurityProfile.nonRoot: invalid options.runAsUid');
    expect(() => DnsStrategy.publicCloud({ upstreams: SEED_UPSTREAMS }).lookupCost('gitlab.com', { resolvr: 'musl' } as any))
      .toThrow('DnsStrategy.lookupCost: invalid options.resolvr');
  });

  test('nested structs: DnsResolverOption, NodeTaint, PrePullImage, AppRegistry, Toleration, host aliases', () => {
    expect(() => DnsStrategy.internal({ ...SEED_INTERNAL_DNS, options: [{ name: 'ndots', vaule: '2' } as any] }))
      .toThrow('DnsStrategy.internal: invalid options.options[0].vaule');
    const c = chart();
    expect(() => new CiNodePool(c, 'Pool', { taints: [{ key: 'workload', effect: 'NoSchedule', efect: 'x' } as any] }))
      .toThrow('test/Pool: invalid taints[0].efect');
    const pool = new CiNodePool(c, 'Pool2');
    expect(() => pool.addPrePullImage({ image: 'alpine:3.22', comand: ['true'] } as any)).toThrow('test/Pool2: invalid prePullImages.comand');
    expect(() => runner(chart(), { managerTolerations: [{ key: 'a', operater: 'Exists' }] })).toThrow('invalid managerTolerations[0].operater');
    expect(() => runner(chart(), { hostAliases: [{ ip: '10.0.0.1', hostname: ['a.example.com'] }] }))
      .toThrow('invalid hostAliases[0].hostname: got ["a.example.com"]; expected a known prop: did you mean "hostnames"?');
    const p = chart();
    const app = new CalculatorApp(p, 'App', { pullSecret: Secret.fromSecretName(p, 'Pull', 'acr-secret') });
    const r = runner(p, { jobPodPolicy: new JobPodPolicy(p, 'Jobs', { securityProfile: JobSecurityProfile.privileged() }) });
    expect(() => new CalculatorPipeline(p, 'Pipeline', { app, runner: r, registry: { host: 'r.example.com', repository: 'a/b', user: 'x' } as any }))
      .toThrow('test/Pipeline: invalid registry.user');
  });

  test('a stack reports the subsets it passes on against its own props', () => {
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, network: { kubernetesApi: NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgres: true } as any }))
      .toThrow('internal: invalid network.internetEgres: got true; expected a known prop: did you mean "internetEgress"?');
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, nodePool: { prepull: false } as any }))
      .toThrow('internal: invalid nodePool.prepull');
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, jobPods: { securityProfile: JobSecurityProfile.privileged() } as any }))
      .toThrow('internal: invalid jobPods.securityProfile');
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, monitoring: { jobFailureRate: 0.2 } as any }))
      .toThrow('internal: invalid monitoring.jobFailureRate: got 0.2; expected a known prop: did you mean "jobFailureRatio"?');
    expect(() => new InternalStack(Testing.app(), 'internal', { ...STACK, dns: { nameserver: ['10.0.0.2'] } as any }))
      .toThrow('internal: invalid dns.nameserver');
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, replica: 3 } as any)).toThrow('internal: invalid replica: got 3; expected a known prop: did you mean "replicas"?');
  });
});

describe('wrong types fail with a ValidationError, not a TypeError from inside', () => {
  test.each([
    ['NetworkEndpoint.ip(true, [443])', () => NetworkEndpoint.ip(true as any, [443]), 'NetworkEndpoint.ip: invalid address: got true'],
    ['NetworkEndpoint.ip(..., 443)', () => NetworkEndpoint.ip('10.0.0.1', 443 as any), 'NetworkEndpoint.ip: invalid ports: got 443'],
    ['NetworkEndpoint.cidr(undefined, ...)', () => NetworkEndpoint.cidr(undefined as any, [443]), 'NetworkEndpoint.cidr: invalid cidr: got undefined'],
    ['NetworkEndpoint.fromUrl(\'not a url\')', () => NetworkEndpoint.fromUrl('not a url'), 'NetworkEndpoint.fromUrl: invalid url: got "not a url"'],
    ['DnsStrategy.internal(null)', () => DnsStrategy.internal(null as any), 'DnsStrategy.internal: invalid options: got null'],
    ['RunnerCache.s3(undefined)', () => RunnerCache.s3(undefined as any), 'RunnerCache.s3: invalid options: got undefined'],
    ['JobVolume.secret(null, ...)', () => JobVolume.secret(null as any, { mountPath: '/x' }), 'JobVolume.secret: invalid secret: got null'],
    ['JobVolume.pvc(..., \'x\')', () => JobVolume.pvc({ name: 'c' } as any, 'x' as any), 'JobVolume.pvc: invalid options: got "x"'],
    ['ImageBuilder.kaniko(null)', () => ImageBuilder.kaniko(null as any), 'ImageBuilder.kaniko: invalid options: got null'],
    ['DnsStrategy.lookupCost(host, null)', () => DnsStrategy.clusterDefault().lookupCost('gitlab.com', null as any), 'DnsStrategy.lookupCost: invalid options: got null'],
    ['toKubeTolerations(check, prop, [null])', () => toKubeTolerations(new PropChecker('x'), 'managerTolerations', [null as any]),
      'x: invalid managerTolerations[0].key'],
  ])('%s', (_, f, message) => {
    expect(errorOf(f).message.startsWith(message)).toBe(true);
  });

  test('AppImage, HelperImage and CiNodePool.addPrePullImage fail where the value is used', () => {
    const c = chart();
    expect(() => new CalculatorApp(c, 'App', { image: AppImage.fromReference(42 as any), pullSecret: Secret.fromSecretName(c, 'P', 'p') }))
      .toThrow('test/App: invalid image: got 42');
    expect(() => runner(chart(), { jobPodPolicy: new JobPodPolicy(c, 'J', { helperImage: HelperImage.fromRegistry(null as any) }) }))
      .toThrow(ValidationError);
    expect(() => new CiNodePool(c, 'Pool').addPrePullImage(null as any)).toThrow('test/Pool: invalid prePullImages.image: got undefined');
  });
});

describe('gitlabUrl', () => {
  test('an /api/ path is an error: the runner appends /api/v4 itself', () => {
    expect(() => runner(chart(), { gitlabUrl: 'https://gitlab.example.com/api/v4/' }))
      .toThrow('test/Runner: invalid gitlabUrl: got "https://gitlab.example.com/api/v4/"; expected the URL of the GitLab instance without an /api/ path');
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, gitlabUrl: 'https://gitlab.example.com/api' }))
      .toThrow('internal/Runner: invalid gitlabUrl');
  });

  test('a relative URL root stays valid', () => {
    expect(runner(chart(), { gitlabUrl: 'https://example.com/gitlab/' })._helmValues.gitlabUrl).toBe('https://example.com/gitlab/');
    expect(runner(chart(), { gitlabUrl: 'https://example.com/apis/' }).gitlabUrl).toBe('https://example.com/apis/');
  });
});

describe('an option without effect in its combination is an error or a warning', () => {
  test('error: a DinD registry mirror with the kaniko builder', () => {
    expect(() => new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, builder: BuilderKind.KANIKO, registryMirror: 'https://mirror.example.com/' }))
      .toThrow('internal: invalid registryMirror: got "https://mirror.example.com/"; expected no registryMirror with builder: BuilderKind.KANIKO');
    // With DinD it is used, and a kaniko stack without it passes its insecure registries to no dind job.
    expect(() => new InternalStack(Testing.app(), 'dind', { dns: SEED_INTERNAL_DNS, ...STACK, registryMirror: 'https://mirror.example.com/' })).not.toThrow();
    const app = Testing.app();
    const kaniko = new InternalStack(app, 'kaniko', { dns: SEED_INTERNAL_DNS, ...STACK, builder: BuilderKind.KANIKO, insecureRegistries: ['registry.example.com'] });
    expect(warningsOf(kaniko).filter((w) => w.includes('no effect'))).toEqual([]);
  });

  test('error: internetPorts without internetEgress', () => {
    const c = chart();
    expect(() => new RunnerNetworkPolicies(c, 'Net', {
      runner: runner(c, { gitlabUrl: 'https://10.0.0.5/' }), kubernetesApi: NetworkEndpoint.ip('192.168.1.100', [6443]), internetPorts: [443],
    })).toThrow('test/Net: invalid internetPorts: got [443]; expected no ports without internetEgress: true');
  });

  test.each([
    ['prePullImages', { prePullImages: [{ image: 'alpine:3.22' }] }],
    ['pauseImage', { pauseImage: 'registry.k8s.io/pause:3.9' }],
    ['imagePullSecrets', { imagePullSecrets: [{ name: 'pull' }] }],
  ])('error: CiNodePool %s with prePull: false', (prop, props) => {
    expect(() => new CiNodePool(chart(), 'Pool', { prePull: false, ...props } as any))
      .toThrow(`test/Pool: invalid ${prop}: got`);
    expect(errorOf(() => new CiNodePool(chart(), 'Pool', { prePull: false, ...props } as any)).expected)
      .toContain('it only shapes the pre-puller DaemonSet');
  });

  test('a stack\'s pool without pre-puller gets no pause image from the stack', () => {
    const stack = new InternalStack(Testing.app(), 'internal', { dns: SEED_INTERNAL_DNS, ...STACK, imageMirror: 'registry.example.com', nodePool: { prePull: false } });
    expect(stack.nodePool!.prePuller).toBeUndefined();
  });

  test('error: priority with createPriorityClass: false', () => {
    expect(() => new CiNodePool(chart(), 'Pool', { createPriorityClass: false, priority: 5000 }))
      .toThrow('test/Pool: invalid priority: got 5000; expected no priority with createPriorityClass: false');
    expect(() => new CiNodePool(chart(), 'Pool', { createPriorityClass: false })).not.toThrow();
  });

  test('error: allocatableFraction without the pool\'s size', () => {
    expect(() => new CiNodePool(chart(), 'Pool', { allocatableFraction: 0.7 }))
      .toThrow('test/Pool: invalid allocatableFraction: got 0.7; expected no allocatableFraction without the pool\'s size');
    expect(() => new CiNodePool(chart(), 'Pool', { allocatableFraction: 0.7, nodes: 1, nodeCpu: Cpu.units(4), nodeMemory: Size.gibibytes(8) })).not.toThrow();
  });

  test('error: readOnly on an emptyDir job volume', () => {
    expect(() => runner(chart(), { volumes: [JobVolume.emptyDir('scratch', { mountPath: '/scratch', readOnly: true })] }))
      .toThrow('test/RunnerJobs: invalid volumes[0].readOnly: got true; expected no readOnly: an emptyDir volume is always writable');
  });

  test('error: timeZone with mountHostLocaltime', () => {
    const c = chart();
    expect(() => new CalculatorApp(c, 'App', { pullSecret: Secret.fromSecretName(c, 'P', 'p'), mountHostLocaltime: true, timeZone: 'Asia/Shanghai' }))
      .toThrow('test/App: invalid timeZone: got "Asia/Shanghai"; expected no timeZone with mountHostLocaltime: true');
  });

  test('error: a monitoring namespace for a runner without metrics (at synth: it involves the runner)', () => {
    const c = chart();
    new RunnerNetworkPolicies(c, 'Net', {
      runner: runner(c, { metrics: false }), kubernetesApi: NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true, monitoringNamespace: 'monitoring',
    });
    expect(() => Testing.synth(c)).toThrow('test/Net: invalid monitoringNamespace: got "monitoring"; expected no monitoring namespace');
  });

  /** The warnings of a runner built with `extra`. */
  const warnings = (extra: object) => {
    const c = chart();
    runner(c, extra);
    return warningsOf(c);
  };

  test('warning: limit not below concurrent', () => {
    expect(warnings({ concurrent: 4, limit: 4 })).toEqual(['test/Runner: limit 4 has no effect: it is not below concurrent (4), which already bounds '
      + 'each manager; lower it below concurrent, or leave it out']);
    expect(warnings({ concurrent: 4, limit: 6 })).toHaveLength(1);
    expect(warnings({ concurrent: 4, limit: 3 })).toEqual([]);
    expect(warnings({ concurrent: 4, limit: 0 })).toEqual([]);
  });

  test('warning: a PodDisruptionBudget or spread with 1 replica, saying what it does not do', () => {
    expect(warnings({ replicas: 1, podDisruptionBudget: true })).toEqual(['test/Runner: podDisruptionBudget with 1 replica protects nothing: its '
      + 'maxUnavailable of 1 lets a node drain evict the only manager, and no job starts until it is back; it takes effect from 2 replicas']);
    expect(warnings({ replicas: 1, spreadAcrossNodes: true })).toEqual(['test/Runner: spreadAcrossNodes with 1 replica has no effect: one manager '
      + 'pod has nothing to spread across nodes; it takes effect from 2 replicas']);
    // The defaults follow the replicas: nothing to warn about.
    expect(warnings({ replicas: 1 })).toEqual([]);
    expect(warnings({ replicas: 2, podDisruptionBudget: true, spreadAcrossNodes: true })).toEqual([]);
  });

  test('warning: overCommit without a sized node pool', () => {
    expect(warnings({ overCommit: true })).toEqual(['test/Runner: overCommit has no effect: without a nodePool whose size is given (nodes, '
      + 'nodeCpu and nodeMemory), no capacity is checked, so there is nothing to over-commit']);
    const c = chart();
    runner(c, { overCommit: true, nodePool: new CiNodePool(c, 'Pool', { nodes: 3, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(32) }) });
    expect(warningsOf(c).filter((w) => w.includes('overCommit has no effect'))).toEqual([]);
  });

  test('warning: allowHostPathVolumes without a host-path volume', () => {
    expect(warnings({ allowHostPathVolumes: true })).toEqual(['test/RunnerJobs: allowHostPathVolumes has no effect: no job volume is a host path (JobVolume.hostPath())']);
    expect(warnings({ allowHostPathVolumes: true, volumes: [JobVolume.hostPath('sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' })] }))
      .toEqual([]);
  });

  test('warning: the smoke test\'s dind options on an unprivileged runner', () => {
    const c = chart();
    new RunnerSmokeTest(c, 'Smoke', { runner: runner(c), dockerImage: 'docker:27.3.1', insecureRegistries: ['registry.example.com'] });
    expect(warningsOf(c).filter((w) => w.includes('no effect'))).toEqual(['test/Smoke: dockerImage, insecureRegistries have no effect: only the dind '
      + 'job uses them, and test/Runner\'s job pods are not privileged (root-builder profile), so there is no dind job']);
  });
});
