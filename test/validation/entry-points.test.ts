// Every public entry point (constructor, static factory, public method of every exported class) gets
// a battery of wrong inputs: each must succeed or fail with our ValidationError, never with a TypeError
// from deep inside. The entry points and the structs their parameters take come from the TypeScript
// sources (test/util/props-keys.ts), the classes from the module's exports, so a new factory is covered
// as soon as it is exported (and this test asks for its sample call).
import { App, Chart, Duration, Testing } from 'cdk8s';
import { ConfigMap, Cpu, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as lib from '../../lib';
import { ValidationError } from '../../lib/validation/errors';
import { EntryPoint, generatePropsKeys } from '../util/props-keys';
import { SEED_HYBRID_DNS, SEED_UPSTREAMS } from '../util/seed-dns';
import { firstAggregatedError } from '../util/validation-errors';

const { entryPoints, structs, nested } = generatePropsKeys();
const exported = lib as unknown as { [name: string]: any };

/** Wrong inputs: no type, wrong primitive types, wrong shapes. */
const BATTERY: readonly unknown[] = [null, undefined, true, 42, 'x', [], {}];
/** Classes that are no input entry points: the error type itself and its helpers. */
const NOT_INPUT = ['ValidationError', 'ValidationErrors'];

interface Ctx { readonly app: App; readonly chart: Chart }
const GITLAB = 'https://gitlab.example.com/';
const token = (s: Construct) => Secret.fromSecretName(s, 'Token', 'gitlab-runner-token');
const runner = (c: Ctx, extra: object = {}) => new lib.RunnerManager(c.chart, 'Runner', { gitlabUrl: GITLAB, tokenSecret: token(c.chart), ...extra });
const privilegedRunner = (c: Ctx) => runner(c, {
  jobPodPolicy: new lib.JobPodPolicy(c.chart, 'Jobs', { securityProfile: lib.JobSecurityProfile.privileged() }),
});
/** A pipeline's app lives in a chart of its own: the deploy job applies that whole chart. */
const appChart = (chart: Construct): Chart => (chart.node.root.node.tryFindChild('calc') as Chart | undefined) ?? new Chart(chart.node.root, 'calc');
const APP_REGISTRY = { host: 'registry.example.com', repository: 'team/calculator', usernameVariable: 'U', passwordVariable: 'P' };
const STACK = () => ({
  gitlabUrl: GITLAB,
  sampleApp: { registry: APP_REGISTRY },
  jobPods: { servicesPerJob: 1 },
  nodePool: { taints: [{ key: 'workload', value: 'ci', effect: 'NoSchedule' }], prePullImages: [{ image: 'busybox:1.36' }] },
  network: { kubernetesApi: lib.NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true, cache: lib.NetworkEndpoint.cidr('10.0.0.0/16', [443]) },
  monitoring: { jobFailureRatio: 0.2 },
  tags: ['kubernetes'],
  labels: { team: 'ci' },
});

/**
 * A valid call of each entry point: its arguments, built in the run's app and chart. The battery
 * replaces one argument (or one key of a struct argument) at a time.
 */
const SAMPLES: { [entry: string]: (c: Ctx) => unknown[] } = {
  'RunnerManager.constructor': (c) => [c.chart, 'Runner', {
    gitlabUrl: GITLAB, tokenSecret: token(c.chart), managerTolerations: [{ key: 'dedicated', effect: 'NoSchedule' }], tags: ['kubernetes'],
  }],
  'RunnerNamespaces.constructor': (c) => [c.chart, 'Namespaces', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: lib.PodSecurityLevel.BASELINE }],
  'RunnerNamespaces.applyBefore': (c) => [new lib.JobPodPolicy(c.chart, 'Dependent'), 'ci-jobs'],
  'JobSecurityProfile.privileged': () => [],
  'JobSecurityProfile.rootBuilder': () => [],
  'JobSecurityProfile.nonRoot': () => [{ runAsUser: 1000 }],
  'JobPodPolicy.small': (c) => [c.chart, 'Small', { servicesPerJob: 1 }],
  'JobPodPolicy.large': (c) => [c.chart, 'Large', { servicesPerJob: 1 }],
  'JobPodPolicy.constructor': (c) => [c.chart, 'Jobs', {
    buildResources: { cpu: { limit: Cpu.units(1) } }, hostAliases: [{ ip: '10.0.0.5', hostnames: ['registry.internal'] }],
  }],
  'JobPodPolicy.helperImageFor': () => ['18.3.0'],
  'DnsStrategy.internal': () => [{ nameservers: ['10.0.0.2'], options: [{ name: 'ndots', value: '2' }] }],
  'DnsStrategy.publicCloud': () => [{ upstreams: ['8.8.8.8'] }],
  'DnsStrategy.hybrid': () => [{ ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10', options: [{ name: 'timeout', value: '2' }] }],
  'DnsStrategy.clusterDefault': () => [{ clusterDomain: 'cluster.local' }],
  'DnsStrategy.resolvConf': () => ['gitlab-runner-jobs'],
  'DnsStrategy.addCoreDnsConfigMap': (c) => [c.chart, 'CoreDns'],
  'DnsStrategy.lookupCost': () => ['registry.example.com', { resolver: 'musl' }],
  'CiNodePool.constructor': (c) => [c.chart, 'Pool', {
    taints: [{ key: 'workload', value: 'ci', effect: 'NoSchedule' }], prePullImages: [{ image: 'busybox:1.36' }],
    requiredNodeAffinity: [{ key: 'zone', operator: 'In', values: ['a'] }],
    preferredNodeAffinity: [{ weight: 10, requirements: [{ key: 'disk', operator: 'Exists' }] }],
  }],
  'CiNodePool.addPrePullImage': () => [{ image: 'alpine:3.22' }],
  'CiNodePool.capacity': (c) => [new lib.JobPodPolicy(c.chart, 'CapacityJobs')],
  'AppImage.fromReference': () => ['registry.example.com/app:1.0'],
  'AppImage.fromVariable': () => ['DOCKER_IMAGE'],
  'CalculatorApp.constructor': (c) => [c.chart, 'App', {
    pullSecret: Secret.fromSecretName(c.chart, 'Pull', 'acr-secret'),
    liveness: { initialDelay: Duration.seconds(30), period: Duration.seconds(10) },
  }],
  'ImageBuilder.dockerInDocker': () => [{ registryMirror: 'https://mirror.example.com/' }],
  'ImageBuilder.kaniko': () => [{ insecureRegistries: ['registry.example.com'] }],
  'CalculatorPipeline.constructor': (c) => [c.chart, 'Pipeline', {
    app: new lib.CalculatorApp(appChart(c.chart), 'PipelineApp', { pullSecret: Secret.fromSecretName(c.chart, 'PipelinePull', 'acr-secret') }),
    runner: privilegedRunner(c), registry: APP_REGISTRY,
  }],
  'NetworkEndpoint.cidr': () => ['10.0.0.0/16', [443]],
  'NetworkEndpoint.ip': () => ['10.0.0.1', [443]],
  'NetworkEndpoint.host': () => ['registry.example.com', [443]],
  'NetworkEndpoint.fromUrl': () => ['https://gitlab.example.com/'],
  'RunnerNetworkPolicies.constructor': (c) => [c.chart, 'Net', {
    runner: runner(c), kubernetesApi: lib.NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true,
  }],
  'EnvironmentReport.constructor': (c) => [c.chart, 'Report', { runner: runner(c), hosts: ['gitlab.example.com'] }],
  'RunnerMonitoring.constructor': (c) => [c.chart, 'Monitoring', { runner: runner(c) }],
  'RunnerSmokeTest.constructor': (c) => [c.chart, 'Smoke', { runner: privilegedRunner(c), registries: ['registry.example.com'] }],
  'InternalStack.constructor': (c) => [c.app, 'internal', { ...STACK(), dns: { nameservers: ['10.0.0.2'] } }],
  'PublicStack.constructor': (c) => [c.app, 'public', { ...STACK(), upstreams: ['8.8.8.8'] }],
  'HybridStack.constructor': (c) => [c.app, 'hybrid', { ...STACK(), dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' }, serviceCidr: '10.96.0.0/12' }],
  'HelperImage.official': () => [{ flavor: 'ubuntu' }],
  'ManifestFolder.custom': () => ['operators'],
  'Output.placeManifests': (c) => [c.chart, { environment: 'ci', folder: lib.ManifestFolder.APP }],
  'Output.synthFiles': (c) => [c.app],
  'Output.warnings': (c) => [c.app],
  'Output.writeFiles': (c) => [c.app, require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'write-files-'))],
  'HelperImage.fromRegistry': () => ['registry.example.com', { repository: 'gitlab/helper' }],
  'RunnerCache.s3': () => [{ bucketName: 'cache' }],
  'RunnerCache.gcs': () => [{ bucketName: 'cache' }],
  'RunnerCache.azure': () => [{ containerName: 'cache', credentials: { name: 'azure-keys' } }],
  'JobVolume.emptyDir': () => ['scratch', { mountPath: '/scratch' }],
  'JobVolume.secret': (c) => [Secret.fromSecretName(c.chart, 'VolSecret', 'certs'), { mountPath: '/certs' }],
  'JobVolume.configMap': (c) => [ConfigMap.fromConfigMapName(c.chart, 'VolCm', 'conf'), { mountPath: '/conf' }],
  'JobVolume.pvc': (c) => [PersistentVolumeClaim.fromClaimName(c.chart, 'VolPvc', 'data'), { mountPath: '/data' }],
  'JobVolume.hostPath': () => ['docker-sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' }],
};

/** A valid receiver for each class's public methods. */
const RECEIVERS: { [className: string]: (c: Ctx) => unknown } = {
  JobPodPolicy: (c) => new lib.JobPodPolicy(c.chart, 'Receiver'),
  DnsStrategy: () => lib.DnsStrategy.publicCloud({ upstreams: SEED_UPSTREAMS }),
  CiNodePool: (c) => new lib.CiNodePool(c.chart, 'Receiver'),
  RunnerNamespaces: (c) => new lib.RunnerNamespaces(c.chart, 'Receiver', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: lib.PodSecurityLevel.BASELINE }),
};

/** Uses what a factory returned the way the library does, so deferred checks run too. */
function consume(c: Ctx, value: unknown): void {
  const chart = c.chart;
  let n = 0;
  const id = (p: string) => `${p}${n++}`;
  if (value instanceof lib.DnsStrategy) {
    runner(c, { dnsStrategy: value });
    value.lookupCost('registry.example.com');
    if (value.kind === lib.DnsStrategyKind.PUBLIC_CLOUD) value.addCoreDnsConfigMap(chart, id('CoreDns'));
  } else if (value instanceof lib.RunnerCache) {
    runner(c, { cache: value });
  } else if (value instanceof lib.JobVolume) {
    runner(c, { jobPodPolicy: new lib.JobPodPolicy(chart, id('Jobs'), { volumes: [value], allowHostPathVolumes: value.isHostPath }) });
  } else if (value instanceof lib.HelperImage || value instanceof lib.JobSecurityProfile) {
    const key = value instanceof lib.HelperImage ? 'helperImage' : 'securityProfile';
    runner(c, { jobPodPolicy: new lib.JobPodPolicy(chart, id('Jobs'), { [key]: value }) });
  } else if (value instanceof lib.AppImage) {
    new lib.CalculatorApp(chart, id('App'), { image: value, pullSecret: Secret.fromSecretName(chart, id('Pull'), 'acr-secret') });
  } else if (value instanceof lib.ImageBuilder) {
    new lib.CalculatorPipeline(chart, id('Pipeline'), {
      app: new lib.CalculatorApp(appChart(chart), id('App'), { pullSecret: Secret.fromSecretName(chart, id('Pull'), 'acr-secret') }),
      runner: privilegedRunner(c), registry: APP_REGISTRY, builder: value,
    });
  } else if (value instanceof lib.NetworkEndpoint) {
    new lib.RunnerNetworkPolicies(chart, id('Net'), { runner: runner(c), kubernetesApi: value, internetEgress: true, internetPorts: [443, 6443] });
  } else if (value instanceof lib.JobPodPolicy) {
    runner(c, { jobPodPolicy: value });
  }
  // Every file, manifests included, without writing them: runs the app's validations (those
  // deferred to synthesis) and resolves every lazy value.
  lib.synthFiles(c.app);
}

function fresh(): Ctx {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'test') };
}

const key = (e: EntryPoint) => `${e.className}.${e.name}`;
const inputEntryPoints = entryPoints.filter((e) => typeof exported[e.className] === 'function' && !NOT_INPUT.includes(e.className)
  // EnvironmentStack's constructor is protected: its subclasses are the entry points.
  && !(e.className === 'EnvironmentStack' && e.kind === 'constructor'));

/** Calls `entry` with `args` (a fresh receiver for a method) and uses the result. */
function call(c: Ctx, entry: EntryPoint, args: unknown[]): void {
  const cls = exported[entry.className];
  let result: unknown;
  if (entry.kind === 'constructor') result = new cls(...args);
  else if (entry.kind === 'static') result = cls[entry.name](...args);
  else result = (RECEIVERS[entry.className](c) as any)[entry.name](...args);
  consume(c, result);
}

/** Runs one call in a fresh app: success, or a ValidationError; returns the error, if any. */
function outcome(entry: EntryPoint, build: (c: Ctx) => unknown[], what: string): ValidationError | undefined {
  const c = fresh();
  let args: unknown[];
  try {
    args = build(c);
  } catch (e) {
    throw new Error(`${what}: building the sample arguments failed: ${e}`);
  }
  try {
    call(c, entry, args);
    return undefined;
  } catch (e) {
    if (e instanceof ValidationError) return e;
    // A check that involves several constructs reports at synth, through cdk8s' gathered error.
    const gathered = firstAggregatedError(e);
    if (gathered) return gathered;
    throw new Error(`${key(entry)}(${what}) threw ${(e as Error)?.name}, not a ValidationError: ${(e as Error)?.message}`);
  }
}

/** Parameters the battery replaces: not a construct's scope or id, which the constructs library checks. */
const replaceable = (entry: EntryPoint) => entry.params
  .map((p, i) => ({ ...p, index: i }))
  .filter((p) => p.name !== 'scope' && p.name !== 'id');

const isPlainObject = (v: unknown): v is { [key: string]: unknown } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

describe('every public entry point rejects bad input with a ValidationError', () => {
  test('the entry points are found from the sources and the exports, and each has a sample call', () => {
    const names = inputEntryPoints.map(key);
    // A sanity floor: the factories the brief names are among them.
    expect(names).toEqual(expect.arrayContaining(['NetworkEndpoint.ip', 'DnsStrategy.internal', 'CiNodePool.addPrePullImage',
      'DnsStrategy.lookupCost', 'RunnerManager.constructor', 'InternalStack.constructor', 'RunnerCache.s3', 'JobVolume.hostPath']));
    const exportedClasses = Object.keys(exported).filter((k) => typeof exported[k] === 'function'
      && /^class\b/.test(Function.prototype.toString.call(exported[k])) && !NOT_INPUT.includes(k) && k !== 'EnvironmentStack');
    expect(exportedClasses.filter((k) => !inputEntryPoints.some((e) => e.className === k))).toEqual([]);
    expect(names.filter((n) => !SAMPLES[n]).map((n) => `${n}: add a valid sample call to SAMPLES`)).toEqual([]);
    expect(inputEntryPoints.filter((e) => e.kind === 'method' && !RECEIVERS[e.className]).map(key)).toEqual([]);
  });

  test('every sample call succeeds', () => {
    const failures = inputEntryPoints.map((e) => [key(e), outcome(e, SAMPLES[key(e)], 'sample')?.message]).filter(([, m]) => m);
    expect(failures).toEqual([]);
  });

  test.each(inputEntryPoints.map((e) => [key(e), e] as const))('%s: each argument replaced by null, undefined, true, 42, \'x\', [], {}', (_, entry) => {
    const problems: string[] = [];
    for (const param of replaceable(entry)) {
      for (const bad of BATTERY) {
        try {
          outcome(entry, (c) => Object.assign([...SAMPLES[key(entry)](c)], { [param.index]: bad }), `${param.name} = ${String(JSON.stringify(bad))}`);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(inputEntryPoints.filter((e) => e.params.some((p) => p.struct)).map((e) => [key(e), e] as const))(
    '%s: each key of each struct argument replaced by the battery, and an unknown key rejected', (_, entry) => {
      const problems: string[] = [];
      for (const param of replaceable(entry).filter((p) => p.struct)) {
        const withArg = (f: (arg: any) => unknown) => (c: Ctx) => {
          const args = [...SAMPLES[key(entry)](c)];
          args[param.index] = f(args[param.index] ?? {});
          return args;
        };
        for (const k of structs.get(param.struct!)!) {
          for (const bad of BATTERY) {
            try {
              outcome(entry, withArg((arg) => ({ ...arg, [k]: bad })), `${param.name}.${k} = ${String(JSON.stringify(bad))}`);
            } catch (e) {
              problems.push((e as Error).message);
            }
          }
        }
        // Unknown keys, at the top and in every nested struct the sample fills in.
        for (const where of structPaths(param.struct!, SAMPLES[key(entry)](fresh())[param.index])) {
          const shown = where.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
          let err: ValidationError | undefined | null = null;
          try {
            err = outcome(entry, withArg((arg) => addAt(arg, where)), `${param.name}${shown} with an unknown key`);
          } catch (e) {
            problems.push((e as Error).message);
          }
          if (err === null) continue;
          if (err === undefined) problems.push(`${key(entry)}: ${param.name}${shown} with an unknown key was accepted`);
          else if (!err.prop.endsWith('unknownKeyz') || !/a known prop/.test(err.message)) {
            problems.push(`${key(entry)}: ${param.name}${shown} with an unknown key failed with another error: ${err.message}`);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 60_000);
});

/** Paths (from the argument) of every struct in a sample value of `struct`: the value itself and its nested structs. */
function structPaths(struct: string, value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (!isPlainObject(value)) return at.length ? [] : [at];
  const paths = [at];
  for (const [prop, inner] of nested.get(struct) ?? []) {
    // A MonitoringSummary is satisfied by a RunnerMonitoring construct, not a plain struct.
    if (inner === 'MonitoringSummary') continue;
    const v = value[prop];
    if (Array.isArray(v)) v.forEach((item, i) => paths.push(...structPaths(inner, item, [...at, prop, i])));
    else paths.push(...structPaths(inner, v, [...at, prop]));
  }
  return paths;
}

/** A copy of `value` with `unknownKeyz: 1` added to the struct at `path`. */
function addAt(value: any, path: readonly (string | number)[]): any {
  if (path.length === 0) return { ...value, unknownKeyz: 1 };
  const [head, ...rest] = path;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  (copy as any)[head] = addAt(value[head], rest);
  return copy;
}
