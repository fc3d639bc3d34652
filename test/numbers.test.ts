// Numbers and quantities stay in range and in canonical form: int32 fields, ports, NodePorts,
// quantities, and the values Helm prints through float64. One test per class and entry point.
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, Secret, TaintEffect } from 'cdk8s-plus-28';
import {
  CalculatorApp, CalculatorAppProps, CalculatorPipeline, CalculatorPipelineProps, CiNodePool, CiNodePoolProps, ImageBuilder, InternalStack,
  JobPodPolicy, JobPodPolicyProps, JobSecurityProfile, JobVolume, NetworkEndpoint, RunnerCache, RunnerManager, RunnerManagerProps,
  RunnerMonitoring, RunnerMonitoringProps, RunnerNetworkPolicies, RunnerNetworkPoliciesProps,
} from '../lib';
import { PropChecker } from '../lib/validation/prop-checker';
import { HELM_PRINTED_MAX, HELM_PRINTED_NUMBERS, INT32_MAX } from '../lib/validation/ranges';
import { ValidationError } from '../lib/validation/errors';
import { chartFiles } from './util/chart';
import { SEED_INTERNAL_DNS } from './util/seed-dns';
import { helmValuesDocument } from '../lib/render/helm-values';

const INT32_OVERFLOW = 2 ** 31;

function runner(chart: Chart, props: Partial<RunnerManagerProps> = {}, id = 'Runner'): RunnerManager {
  return new RunnerManager(chart, id, {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, `${id}Token`, 'gitlab-runner-token'),
    ...props,
  });
}

const entry = {
  runner: (props: Partial<RunnerManagerProps>) => runner(Testing.chart(), props),
  policy: (props: JobPodPolicyProps) => new JobPodPolicy(Testing.chart(), 'Jobs', props),
  app: (props: Partial<CalculatorAppProps>) => {
    const chart = Testing.chart();
    return new CalculatorApp(chart, 'App', { pullSecret: Secret.fromSecretName(chart, 'Pull', 'acr-secret'), ...props });
  },
  pool: (props: CiNodePoolProps) => new CiNodePool(Testing.chart(), 'Pool', props),
  network: (props: Partial<RunnerNetworkPoliciesProps>) => {
    const chart = Testing.chart();
    return new RunnerNetworkPolicies(chart, 'Net', { runner: runner(chart), kubernetesApi: NetworkEndpoint.ip('10.0.0.1', [6443]), ...props });
  },
  monitoring: (props: Partial<RunnerMonitoringProps>) => {
    const chart = Testing.chart();
    return new RunnerMonitoring(chart, 'Monitoring', { runner: runner(chart), ...props });
  },
  pipeline: (props: Partial<CalculatorPipelineProps>) => {
    const chart = Testing.chart();
    const jobs = new JobPodPolicy(chart, 'Jobs', { securityProfile: JobSecurityProfile.privileged() });
    const app = new CalculatorApp(chart, 'App', { pullSecret: Secret.fromSecretName(chart, 'Pull', 'acr-secret') });
    return new CalculatorPipeline(chart, 'Pipeline', {
      app, runner: runner(chart, { tags: ['kubernetes'], jobPodPolicy: jobs }), registry: { host: 'registry.example.com', repository: 'a/b' }, ...props,
    });
  },
  stack: (props: { sampleApp?: object; [prop: string]: unknown }) => new InternalStack(Testing.app(), 'staging', {
    dns: SEED_INTERNAL_DNS,
    gitlabUrl: 'https://gitlab.example.com/', ...props,
    sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' }, ...props.sampleApp },
  }),
};

function failure(build: () => unknown): ValidationError {
  try {
    build();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('no ValidationError');
}

/** [case, build, construct path, prop, value as shown, part of what is expected] */
type Case = [string, () => unknown, string, string, string, string];

function expectCases(cases: Case[]): void {
  test.each(cases)('%s', (_name, build, path, prop, got, expected) => {
    const error = failure(build);
    const start = `${path}: invalid ${prop}: got ${got}; expected `;
    expect(error.message.slice(0, start.length)).toBe(start);
    expect(error.constructPath).toBe(path);
    expect(error.prop).toBe(prop);
    expect(error.message).toContain(expected);
  });
}

const INT32 = `<= ${INT32_MAX} (int32)`;
const SECONDS_2_31 = Duration.seconds(INT32_OVERFLOW);
const SECONDS_SHOWN = '"24855 days 3 hours"';

describe('PropChecker: integers are int32 unless asked otherwise', () => {
  const check = new PropChecker('x');

  test('without a max, int32 is the range, and the message names it', () => {
    expect(check.integer('n', INT32_MAX, { min: 1 })).toBe(INT32_MAX);
    expect(() => check.integer('n', INT32_OVERFLOW, { min: 1 })).toThrow(`x: invalid n: got 2147483648; expected an integer >= 1 and <= ${INT32_MAX} (int32)`);
    expect(() => check.integer('n', -INT32_OVERFLOW - 1)).toThrow(`expected an integer >= -2147483648 and <= ${INT32_MAX} (int32)`);
    expect(() => check.integer('n', 1e21)).toThrow('got 1e+21');
  });

  test('int64 is explicit, and still exact: up to Number.MAX_SAFE_INTEGER', () => {
    expect(check.integer('n', 2 ** 40, { min: 0, int64: true })).toBe(2 ** 40);
    expect(() => check.integer('n', 2 ** 53, { min: 0, int64: true })).toThrow(`<= ${Number.MAX_SAFE_INTEGER} (int64, exact)`);
  });

  test('a bound beyond the type is a programming error, not a user error', () => {
    expect(() => check.integer('n', 1, { max: 2 ** 32 })).toThrow(/outside int32; pass int64: true/);
    expect(() => check.integer('n', 1, { max: 2 ** 32 })).not.toThrow(ValidationError);
    expect(() => check.seconds('t', Duration.seconds(1), { max: 2 ** 60, int64: true })).toThrow(/outside int64/);
  });

  test('durations in seconds have the same default range', () => {
    expect(check.seconds('t', Duration.seconds(INT32_MAX))).toBe(INT32_MAX);
    expect(() => check.seconds('t', Duration.days(30000), { min: 1 })).toThrow(`expected a whole number of seconds >= 1 and <= ${INT32_MAX} (int32)`);
  });

  test('ports and port ranges', () => {
    expect([1, 443, 65535].map((p) => check.port('p', p))).toEqual([1, 443, 65535]);
    for (const bad of [0, 65536, 443.5, NaN]) expect(() => check.port('p', bad)).toThrow('expected an integer from 1 to 65535');
    expect(check.portRange('r', { min: 20000, max: 22767 })).toEqual({ min: 20000, max: 22767 });
    expect(() => check.portRange('r', { min: 22767, max: 20000 })).toThrow('invalid r.min: got 22767; expected at most r.max (20000)');
    expect(() => check.portRange('r', { min: 0, max: 100 })).toThrow('invalid r.min: got 0');
  });

  test('registry hosts carry a real port', () => {
    expect(check.registryHost('r', 'registry.example.com:65535')).toBe('registry.example.com:65535');
    expect(() => check.registryHost('r', 'registry.example.com:70000')).toThrow('the port from 1 to 65535');
    expect(() => check.registryHost('r', 'registry.example.com:0')).toThrow('the port from 1 to 65535');
  });
});

describe('int32 overflow fails at every entry point', () => {
  expectCases([
    ['RunnerManager replicas', () => entry.runner({ replicas: INT32_OVERFLOW }), 'test/Runner', 'replicas', '2147483648', INT32],
    ['RunnerManager concurrent', () => entry.runner({ concurrent: INT32_OVERFLOW }), 'test/Runner', 'concurrent', '2147483648', INT32],
    ['RunnerManager limit', () => entry.runner({ limit: INT32_OVERFLOW }), 'test/Runner', 'limit', '2147483648', INT32],
    ['RunnerManager requestConcurrency', () => entry.runner({ requestConcurrency: INT32_OVERFLOW }), 'test/Runner', 'requestConcurrency', '2147483648', INT32],
    ['RunnerManager checkInterval', () => entry.runner({ checkInterval: SECONDS_2_31 }), 'test/Runner', 'checkInterval', SECONDS_SHOWN, INT32],
    ['RunnerManager shutdownTimeout', () => entry.runner({ shutdownTimeout: SECONDS_2_31 }), 'test/Runner', 'shutdownTimeout', SECONDS_SHOWN, INT32],
    ['RunnerManager jobTimeout', () => entry.runner({ jobTimeout: SECONDS_2_31 }), 'test/Runner', 'jobTimeout', SECONDS_SHOWN, INT32],
    ['RunnerManager terminationGracePeriod', () => entry.runner({ terminationGracePeriod: SECONDS_2_31 }), 'test/Runner', 'terminationGracePeriod', SECONDS_SHOWN, INT32],
    ['JobPodPolicy podTerminationGracePeriod', () => entry.policy({ podTerminationGracePeriod: SECONDS_2_31 }), 'test/Jobs', 'podTerminationGracePeriod', SECONDS_SHOWN, INT32],
    ['JobPodPolicy jobCleanupTimeout', () => entry.policy({ jobCleanupTimeout: SECONDS_2_31 }), 'test/Jobs', 'jobCleanupTimeout', SECONDS_SHOWN, INT32],
    ['RunnerManager outputLimit (kilobytes)', () => entry.runner({ outputLimit: Size.kibibytes(INT32_OVERFLOW) }), 'test/Runner', 'outputLimit', 'Size(2147483648)',
      `at most ${INT32_MAX} KiB`],
    ['RunnerManager managerTolerations[0].tolerationSeconds', () => entry.runner({
      managerTolerations: [{ key: 'k', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: INT32_OVERFLOW }],
    }), 'test/Runner', 'managerTolerations[0].tolerationSeconds', '2147483648', INT32],
    ['JobPodPolicy servicesPerJob', () => entry.policy({ servicesPerJob: INT32_OVERFLOW }), 'test/Jobs', 'servicesPerJob', '2147483648', INT32],
    ['JobPodPolicy pollTimeout', () => entry.policy({ pollTimeout: SECONDS_2_31 }), 'test/Jobs', 'pollTimeout', SECONDS_SHOWN, INT32],
    ['JobPodPolicy pollInterval', () => entry.policy({ pollInterval: SECONDS_2_31 }), 'test/Jobs', 'pollInterval', SECONDS_SHOWN, INT32],
    ['JobSecurityProfile.nonRoot runAsUser (uids end at 2147483647)', () => entry.policy({ securityProfile: JobSecurityProfile.nonRoot({ runAsUser: INT32_OVERFLOW }) }),
      'test/Jobs', 'securityProfile.runAsUser', '2147483648', INT32],
    ['JobSecurityProfile.nonRoot runAsGroup', () => entry.policy({ securityProfile: JobSecurityProfile.nonRoot({ runAsGroup: INT32_OVERFLOW }) }),
      'test/Jobs', 'securityProfile.runAsGroup', '2147483648', INT32],
    ['JobSecurityProfile.nonRoot fsGroup', () => entry.policy({ securityProfile: JobSecurityProfile.nonRoot({ fsGroup: INT32_OVERFLOW }) }),
      'test/Jobs', 'securityProfile.fsGroup', '2147483648', INT32],
    ['CalculatorApp replicas', () => entry.app({ replicas: INT32_OVERFLOW }), 'test/App', 'replicas', '2147483648', INT32],
    ['CalculatorApp runAsUser', () => entry.app({ runAsUser: INT32_OVERFLOW }), 'test/App', 'runAsUser', '2147483648', INT32],
    ['CalculatorApp liveness.initialDelay', () => entry.app({ liveness: { initialDelay: SECONDS_2_31, period: Duration.seconds(10) } }),
      'test/App', 'liveness.initialDelay', SECONDS_SHOWN, INT32],
    ['CalculatorApp readiness.period', () => entry.app({ readiness: { initialDelay: Duration.seconds(5), period: SECONDS_2_31 } }),
      'test/App', 'readiness.period', SECONDS_SHOWN, INT32],
    ['CiNodePool priority above user classes', () => entry.pool({ priority: 1000000001 }), 'test/Pool', 'priority', '1000000001', 'from -2147483648 to 1000000000'],
    ['CiNodePool nodes', () => entry.pool({ nodes: INT32_OVERFLOW, nodeCpu: Cpu.units(4), nodeMemory: Size.gibibytes(16) }), 'test/Pool', 'nodes', '2147483648', INT32],
    ['CiNodePool preferredNodeAffinity weight', () => entry.pool({ preferredNodeAffinity: [{ weight: 101, requirements: [{ key: 'k', operator: 'Exists' as any }] }] as any }),
      'test/Pool', 'preferredNodeAffinity[0].weight', '101', 'from 1 to 100'],
    ['RunnerMonitoring jobFailureMinJobs', () => entry.monitoring({ jobFailureMinJobs: INT32_OVERFLOW }), 'test/Monitoring', 'jobFailureMinJobs', '2147483648', INT32],
    ['RunnerMonitoring requestConcurrencyExceededThreshold', () => entry.monitoring({ requestConcurrencyExceededThreshold: INT32_OVERFLOW }),
      'test/Monitoring', 'requestConcurrencyExceededThreshold', '2147483648', INT32],
    ['RunnerMonitoring queueDurationThreshold', () => entry.monitoring({ queueDurationThreshold: SECONDS_2_31 }), 'test/Monitoring', 'queueDurationThreshold', SECONDS_SHOWN, INT32],
    ['CalculatorPipeline rolloutTimeout', () => entry.pipeline({ rolloutTimeout: SECONDS_2_31 }), 'test/Pipeline', 'rolloutTimeout', SECONDS_SHOWN, INT32],
    ['ImageBuilder.dockerInDocker daemonTimeout', () => entry.pipeline({ builder: ImageBuilder.dockerInDocker({ daemonTimeout: SECONDS_2_31 }) }),
      'test/Pipeline', 'builder.daemonTimeout', SECONDS_SHOWN, INT32],
    ['InternalStack replicas', () => entry.stack({ replicas: INT32_OVERFLOW }), 'staging/Runner', 'replicas', '2147483648', INT32],
  ]);
});

describe('non-integers and numbers that would render in exponent form fail', () => {
  expectCases([
    ['replicas 1e21 (would be "1e+21")', () => entry.runner({ replicas: 1e21 }), 'test/Runner', 'replicas', '1e+21', INT32],
    ['concurrent 1e21', () => entry.runner({ concurrent: 1e21 }), 'test/Runner', 'concurrent', '1e+21', INT32],
    ['replicas 1.5', () => entry.runner({ replicas: 1.5 }), 'test/Runner', 'replicas', '1.5', 'an integer'],
    ['concurrent NaN', () => entry.runner({ concurrent: NaN }), 'test/Runner', 'concurrent', 'NaN', 'an integer'],
    ['limit Infinity', () => entry.runner({ limit: Infinity }), 'test/Runner', 'limit', 'Infinity', 'an integer'],
    ['CiNodePool priority 0.5', () => entry.pool({ priority: 0.5 }), 'test/Pool', 'priority', '0.5', 'an integer'],
    ['CalculatorApp port 30194.5', () => entry.app({ port: 30194.5 }), 'test/App', 'port', '30194.5', 'an integer from 30000 to 32767'],
    ['JobPodPolicy servicesPerJob 1e21', () => entry.policy({ servicesPerJob: 1e21 }), 'test/Jobs', 'servicesPerJob', '1e+21', INT32],
    ['CalculatorApp runAsUser 1e21', () => entry.app({ runAsUser: 1e21 }), 'test/App', 'runAsUser', '1e+21', INT32],
  ]);
});

describe('ports', () => {
  expectCases([
    ['RunnerNetworkPolicies internetPorts[0] 65536', () => entry.network({ internetEgress: true, internetPorts: [65536] }), 'test/Net', 'internetPorts[0]', '65536', 'from 1 to 65535'],
    ['RunnerNetworkPolicies internetPorts[0] 0', () => entry.network({ internetEgress: true, internetPorts: [0] }), 'test/Net', 'internetPorts[0]', '0', 'from 1 to 65535'],
    ['NetworkEndpoint.ip port 70000', () => NetworkEndpoint.ip('10.0.0.5', [70000]), 'NetworkEndpoint.ip', 'ports[0]', '70000', 'from 1 to 65535'],
    ['RunnerManager imageRegistry port 70000', () => entry.runner({ imageRegistry: 'registry.example.com:70000' }), 'test/Runner', 'imageRegistry', '"registry.example.com:70000"', 'from 1 to 65535'],
    ['RunnerCache.s3 serverAddress port 70000', () => entry.runner({ cache: RunnerCache.s3({ bucketName: 'b', serverAddress: 'minio.example.com:70000' }) }),
      'test/Runner', 'cache.serverAddress', '"minio.example.com:70000"', 'port is from 1 to 65535'],
    ['RunnerCache.s3 serverAddress port 0', () => entry.runner({ cache: RunnerCache.s3({ bucketName: 'b', serverAddress: '10.0.0.9:0' }) }),
      'test/Runner', 'cache.serverAddress', '"10.0.0.9:0"', 'port is from 1 to 65535'],
  ]);

  test('ports in range pass', () => {
    const manager = entry.runner({ cache: RunnerCache.s3({ bucketName: 'b', serverAddress: 'minio.example.com:9000' }), imageRegistry: 'registry.example.com:5000' });
    expect(manager._runnerConfig.runners[0].cache?.s3?.serverAddress).toBe('minio.example.com:9000');
    expect(manager._helmValues.image?.registry).toBe('registry.example.com:5000');
  });
});

describe('NodePorts: 30000-32767 unless the cluster says otherwise', () => {
  expectCases([
    ['CalculatorApp port below the default range', () => entry.app({ port: 8080 }), 'test/App', 'port', '8080', 'an integer from 30000 to 32767: the API server refuses'],
    ['CalculatorApp port above the default range', () => entry.app({ port: 32768 }), 'test/App', 'port', '32768', 'set nodePortRange'],
    ['CalculatorApp port outside its nodePortRange', () => entry.app({ port: 30194, nodePortRange: { min: 20000, max: 22767 } }), 'test/App', 'port', '30194',
      'an integer from 20000 to 22767'],
    ['CalculatorApp nodePortRange reversed', () => entry.app({ port: 21000, nodePortRange: { min: 22767, max: 20000 } }), 'test/App', 'nodePortRange.min', '22767', 'at most nodePortRange.max'],
    ['CalculatorApp nodePortRange beyond ports', () => entry.app({ port: 21000, nodePortRange: { min: 20000, max: 70000 } }), 'test/App', 'nodePortRange.max', '70000',
      'from 1 to 65535'],
    ['InternalStack nodePortRange without the app\'s default port', () => entry.stack({ sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' }, nodePortRange: { min: 20000, max: 22767 } } }), 'staging', 'sampleApp.nodePortRange', '{"min":20000,"max":22767}',
      'a range that holds the app\'s default node port 30194, or a sampleApp.port within it'],
    ['InternalStack port outside its nodePortRange', () => entry.stack({ sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' }, port: 30194, nodePortRange: { min: 20000, max: 22767 } } }), 'staging', 'sampleApp.port', '30194',
      'an integer from 20000 to 22767'],
  ]);

  test('a port in another range is written as the container, Service and node port', () => {
    const app = entry.app({ port: 20080, nodePortRange: { min: 20000, max: 22767 } });
    expect(app.service.toJson().spec.ports[0]).toMatchObject({ port: 20080, nodePort: 20080 });
    expect(app.deployment.toJson().spec.template.spec.containers[0].ports[0].containerPort).toBe(20080);
    expect(entry.app({}).port).toBe(30194);
  });
});

describe('quantities are exact, in plain digits, and accepted by the API server', () => {
  const cpuCases = [
    ['Cpu.units(1e30) (amount "1e+30")', Cpu.units(1e30), 'Cpu("1e+30")'],
    ['Cpu.millis(0.5)', Cpu.millis(0.5), 'Cpu("0.5m")'],
    ['Cpu.millis(1e21) (amount "1e+21m")', Cpu.millis(1e21), 'Cpu("1e+21m")'],
    ['Cpu.millis(2 ** 53), beyond exact', Cpu.millis(2 ** 53), 'Cpu("9007199254740992m")'],
  ] as const;
  const sizeCases = [
    ['Size.gibibytes(2 ** 60)', Size.gibibytes(2 ** 60), 'Size(1152921504606847000)'],
    ['Size.gibibytes(2 ** 23) (2^53 bytes, beyond exact)', Size.gibibytes(2 ** 23), 'Size(8388608)'],
    ['Size.kibibytes(0.5)', Size.kibibytes(0.5), 'Size(0.5)'],
  ] as const;
  const CPU = 'whole millicores, at most 9007199254740991m';
  const SIZE = 'at most 9007199254740991 bytes';
  expectCases([
    ...cpuCases.flatMap(([name, cpu, shown]): Case[] => [
      [`JobPodPolicy buildResources: ${name}`, () => entry.policy({ buildResources: { cpu: { limit: cpu } } }), 'test/Jobs', 'buildResources.cpu.limit', shown, CPU],
      [`RunnerManager managerResources: ${name}`, () => entry.runner({ managerResources: { cpu: { request: cpu } } }), 'test/Runner', 'managerResources.cpu.request', shown, CPU],
      [`CalculatorApp resources: ${name}`, () => entry.app({ resources: { cpu: { limit: cpu } } }), 'test/App', 'resources.cpu.limit', shown, CPU],
      [`CiNodePool nodeCpu: ${name}`, () => entry.pool({ nodes: 1, nodeCpu: cpu, nodeMemory: Size.gibibytes(16) }), 'test/Pool', 'nodeCpu', shown, CPU],
    ]),
    ...sizeCases.flatMap(([name, size, shown]): Case[] => [
      [`JobPodPolicy buildResources: ${name}`, () => entry.policy({ buildResources: { memory: { limit: size } } }), 'test/Jobs', 'buildResources.memory.limit', shown, SIZE],
      [`RunnerManager managerResources: ${name}`, () => entry.runner({ managerResources: { ephemeralStorage: { limit: size } } }), 'test/Runner',
        'managerResources.ephemeralStorage.limit', shown, SIZE],
      [`CalculatorApp resources: ${name}`, () => entry.app({ resources: { memory: { limit: size } } }), 'test/App', 'resources.memory.limit', shown, SIZE],
      [`CiNodePool nodeMemory: ${name}`, () => entry.pool({ nodes: 1, nodeCpu: Cpu.units(4), nodeMemory: size }), 'test/Pool', 'nodeMemory', shown, SIZE],
      [`RunnerCache maxUploadedArchiveSize: ${name}`, () => entry.runner({ cache: RunnerCache.gcs({ bucketName: 'b', maxUploadedArchiveSize: size }) }), 'test/Runner',
        'cache.maxUploadedArchiveSize', shown, SIZE],
      [`JobVolume.emptyDir sizeLimit: ${name}`, () => entry.policy({ volumes: [JobVolume.emptyDir('scratch', { mountPath: '/scratch', sizeLimit: size })] }), 'test/Jobs',
        'volumes[0].sizeLimit', shown, SIZE],
    ]),
  ]);

  test('ordinary and largest exact amounts render in canonical plain form', () => {
    const policy = entry.policy({
      buildResources: { cpu: { request: Cpu.millis(250), limit: Cpu.units(2) }, memory: { request: Size.mebibytes(1536), limit: Size.gibibytes(2) } },
      serviceResources: { cpu: { limit: Cpu.units(2.5) }, memory: { limit: Size.kibibytes(100) } },
      helperResources: { cpu: { limit: Cpu.millis(Number.MAX_SAFE_INTEGER) }, memory: { limit: Size.kibibytes(2 ** 43 - 1) } },
    });
    expect(policy._buildResources).toEqual({ cpu: { request: '250m', limit: '2' }, memory: { request: '1536Mi', limit: '2Gi' }, ephemeralStorage: {} });
    expect(policy._serviceResources.cpu.limit).toBe('2500m');
    expect(policy._serviceResources.memory.limit).toBe('100Ki');
    expect(policy._helperResources.cpu.limit).toBe('9007199254740991m');
    expect(policy._helperResources.memory.limit).toBe('8796093022207Ki');
    for (const q of [policy._buildResources, policy._serviceResources, policy._helperResources].flatMap((r) => [r.cpu.request, r.cpu.limit, r.memory.request, r.memory.limit])) {
      if (q !== undefined) expect(q).toMatch(/^\d+(m|Ki|Mi|Gi)?$/);
    }
  });
});

/** Go's fmt %v of a float64: strconv 'g' at the shortest precision, exponent form from exponent 6 (or below -4). */
function goPrintFloat64(value: number): string {
  const [mantissa, exponent] = value.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(value);
}

/** Numeric leaves of a values object, as dotted paths. */
function numericLeaves(value: unknown, path = ''): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof value === 'number') out.set(path, value);
  else if (Array.isArray(value)) {
    value.forEach((v, i) => numericLeaves(v, `${path}[${i}]`).forEach((n, p) => out.set(p, n)));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) for (const [p, n] of numericLeaves(v, path ? `${path}.${k}` : k)) out.set(p, n);
  }
  return out;
}

describe('Helm float64: values the chart prints through a template stay below exponent form', () => {
  test('the model of Go\'s %v: 999999 stays, 1000000 is 1e+06', () => {
    expect([999999, 1000000, 1234567, 30, 3630, 2592030].map(goPrintFloat64)).toEqual(['999999', '1e+06', '1.234567e+06', '30', '3630', '2.59203e+06']);
    expect(HELM_PRINTED_MAX).toBe(999999);
    expect(goPrintFloat64(HELM_PRINTED_MAX)).toBe(String(HELM_PRINTED_MAX));
    expect(goPrintFloat64(HELM_PRINTED_MAX + 1)).not.toBe(String(HELM_PRINTED_MAX + 1));
  });

  const templates = [...chartFiles('0.80.1')].filter(([name]) => /^gitlab-runner\/templates\/.*\.(yaml|tpl)$/.test(name));
  const printedIn = (key: string) => templates
    .filter(([, text]) => new RegExp(`\\{\\{-?\\s*(default\\s+\\S+\\s+)?\\.Values\\.${key.replace(/\./g, '\\.')}\\s*-?\\}\\}`).test(text))
    .map(([name]) => name.replace(/^gitlab-runner\//, ''));

  test('the mapping of printed keys is the chart\'s: each key is printed where it says, and every other numeric value we write is not', () => {
    expect(templates.length).toBeGreaterThan(5);
    for (const [key, where] of Object.entries(HELM_PRINTED_NUMBERS)) {
      const files = where.split(', ').map((f) => (f.startsWith('templates/') ? f : `templates/${f}`));
      expect({ key, files: printedIn(key) }).toEqual({ key, files: expect.arrayContaining(files) });
    }
    // Every numeric value a full-featured manager writes, printed or copied with toYaml.
    const chart = Testing.chart();
    const manager = runner(chart, { metrics: true, managerResources: { cpu: { limit: Cpu.units(1) } }, spreadAcrossNodes: true, replicas: 3 });
    const leaves = numericLeaves(helmValuesDocument(manager._helmValues));
    expect([...leaves.keys()]).toEqual(expect.arrayContaining(Object.keys(HELM_PRINTED_NUMBERS)));
    for (const key of leaves.keys()) {
      expect({ key, printed: printedIn(key).length > 0 }).toEqual({ key, printed: key in HELM_PRINTED_NUMBERS });
    }
    // The rest reach the manifests through toYaml, which keeps integers plain.
    expect([...leaves.keys()].filter((k) => !(k in HELM_PRINTED_NUMBERS)).sort())
      .toEqual(['podSecurityContext.fsGroup', 'podSecurityContext.runAsUser', 'topologySpreadConstraints[0].maxSkew']);
    for (const key of ['podSecurityContext', 'topologySpreadConstraints']) {
      expect(templates.some(([, text]) => text.includes(`toYaml .Values.${key}`))).toBe(true);
    }
  });

  test('the limits themselves print unchanged', () => {
    const manager = entry.runner({
      replicas: 999999, concurrent: 999999, checkInterval: Duration.seconds(999999), shutdownTimeout: Duration.seconds(30),
      jobTimeout: Duration.seconds(999969),
    });
    const leaves = numericLeaves(helmValuesDocument(manager._helmValues));
    for (const key of Object.keys(HELM_PRINTED_NUMBERS)) expect(goPrintFloat64(leaves.get(key)!)).toBe(String(leaves.get(key)));
    expect(manager._helmValues.terminationGracePeriodSeconds).toBe(999999);
  });

  const HELM = 'at most 999999 for the chart value';
  expectCases([
    ['concurrent: 1000000', () => entry.runner({ concurrent: 1000000 }), 'test/Runner', 'concurrent', '1000000', `${HELM} concurrent: chart 0.80 prints it in templates/configmap.yaml`],
    ['replicas: 1000000', () => entry.runner({ replicas: 1000000 }), 'test/Runner', 'replicas', '1000000', `${HELM} replicas`],
    ['checkInterval: 1000000 s', () => entry.runner({ checkInterval: Duration.seconds(1000000) }), 'test/Runner', 'checkInterval', '1000000', `${HELM} checkInterval`],
    ['shutdownTimeout: 1000000 s', () => entry.runner({ shutdownTimeout: Duration.seconds(1000000) }), 'test/Runner', 'shutdownTimeout', '1000000', `${HELM} shutdown_timeout`],
    ['jobTimeout: 30 days, grace period derived', () => entry.runner({ jobTimeout: Duration.days(30) }), 'test/Runner', 'jobTimeout', '2592030',
      `${HELM} terminationGracePeriodSeconds (terminationGracePeriodSeconds is jobTimeout + shutdownTimeout (2592000s + 30s))`],
    ['terminationGracePeriod: 30 days', () => entry.runner({ terminationGracePeriod: Duration.days(30) }), 'test/Runner', 'terminationGracePeriod', '2592000',
      `${HELM} terminationGracePeriodSeconds: chart 0.80 prints it in templates/deployment.yaml`],
    ['InternalStack concurrent: 1000000', () => entry.stack({ concurrent: 1000000 }), 'staging/Runner', 'concurrent', '1000000', HELM],
  ]);

  test('a long jobTimeout is fine when the grace period is set and the manager does not drain', () => {
    const manager = entry.runner({ jobTimeout: Duration.days(30), drainOnStop: false, terminationGracePeriod: Duration.minutes(5) });
    expect(manager._helmValues.terminationGracePeriodSeconds).toBe(300);
  });
});
