import {
  CACHE_SPEC, GLOBAL_SPEC, KUBERNETES_SPEC, RUNNER_SPEC, RunnerConfig, RunnerEntry,
} from '../../lib/model/runner-config';
import { AnyTableSpec, nestedSpec, tomlKey } from '../../lib/model/toml-spec';
import { parseRunnerConfig, renderRunnerConfig } from '../../lib/render/toml';
import { checkRunnerToml, runnerKey } from '../util/runner-schema';

/** Every (header, key) the mapping tables write, with a problem description when the runner disagrees. */
function mappingProblems(spec: AnyTableSpec, header: string): string[] {
  const problems: string[] = [];
  for (const [field, fieldSpec] of Object.entries(spec)) {
    const key = tomlKey(fieldSpec);
    const entry = runnerKey(header, key);
    if (!entry) {
      problems.push(`${header} ${field}: the runner has no key "${key}"`);
      continue;
    }
    const nested = nestedSpec(fieldSpec);
    const expectedShape = nested ? (nested.array ? 'array of tables' : 'sub-table') : undefined;
    if (expectedShape && entry.shape !== expectedShape) {
      problems.push(`${header} ${key}: mapped as ${expectedShape}, runner has ${entry.shape}`);
    } else if (!expectedShape && ['sub-table', 'array of tables'].includes(entry.shape)) {
      problems.push(`${header} ${key}: mapped as a value, runner has ${entry.shape}`);
    }
    if (nested) problems.push(...mappingProblems(nested.spec, entry.table!));
  }
  return problems;
}

// Sample values per runner shape, so a model with every field set is generated from the mapping
// tables themselves: a field added to a table is covered without editing this test.
const SAMPLES: { [shape: string]: unknown } = {
  'string': 'sample',
  'int': 7,
  'bool': true,
  'duration': '5m',
  'string array': ['a', 'b'],
  'string or string array': ['always'],
  'int array': [1000, 2000],
  'map string->string': { 'b.example.com/key': 'two', 'a': 'one' },
  'map string->bool': { FF_USE_FASTZIP: true },
};

function sampleTable(spec: AnyTableSpec, header: string): { [field: string]: unknown } {
  const out: { [field: string]: unknown } = {};
  for (const [field, fieldSpec] of Object.entries(spec)) {
    const entry = runnerKey(header, tomlKey(fieldSpec))!;
    const nested = nestedSpec(fieldSpec);
    if (nested) {
      const table = sampleTable(nested.spec, entry.table!);
      out[field] = nested.array ? [table, table] : table;
    } else if (entry.allowed_values) {
      const value = entry.allowed_values.find((v) => v !== '') ?? entry.allowed_values[0];
      out[field] = entry.shape.includes('array') ? [value] : value;
    } else if (entry.key === 'node_tolerations') {
      out[field] = { 'workload=ci': 'NoSchedule', 'dedicated': '' };
    } else {
      out[field] = SAMPLES[entry.shape];
      if (out[field] === undefined) throw new Error(`no sample for shape ${entry.shape} (${header} ${entry.key})`);
    }
  }
  return out;
}

function countFields(spec: AnyTableSpec): number {
  return Object.values(spec).reduce<number>((n, f) => {
    const nested = nestedSpec(f);
    return n + 1 + (nested ? countFields(nested.spec) : 0);
  }, 0);
}

describe('the config.toml model', () => {
  test('every key of every mapping table exists in runner 18.3.0 with the same shape', () => {
    // GIVEN the mapping tables  WHEN compared with the runner's own key list  THEN they agree
    expect(mappingProblems(GLOBAL_SPEC, '(root)')).toEqual([]);
    expect(mappingProblems(RUNNER_SPEC, '[[runners]]')).toEqual([]);
  });

  test('covers the keys the seeds and production use', () => {
    const kubernetesKeys = Object.values(KUBERNETES_SPEC).map(tomlKey);
    for (const key of [
      'namespace', 'image', 'privileged', 'allow_privilege_escalation',
      'cpu_limit', 'cpu_request', 'memory_limit', 'memory_request', 'ephemeral_storage_limit', 'ephemeral_storage_request',
      'service_cpu_limit', 'service_cpu_request', 'service_memory_limit', 'service_memory_request',
      'service_ephemeral_storage_limit', 'service_ephemeral_storage_request',
      'helper_cpu_limit', 'helper_cpu_request', 'helper_memory_limit', 'helper_memory_request',
      'helper_ephemeral_storage_limit', 'helper_ephemeral_storage_request',
      'helper_image', 'helper_image_flavor', 'pull_policy', 'allowed_images', 'allowed_services', 'allowed_pull_policies',
      'image_pull_secrets', 'service_account', 'service_account_overwrite_allowed', 'node_selector', 'node_tolerations',
      'affinity', 'dns_policy', 'dns_config', 'priority_class_name', 'pod_labels', 'pod_annotations', 'pod_security_context',
      'build_container_security_context', 'helper_container_security_context', 'service_container_security_context',
      'init_permissions_container_security_context', 'cap_add', 'cap_drop', 'volumes', 'poll_interval', 'poll_timeout',
      'pod_termination_grace_period_seconds', 'host_aliases',
    ]) {
      expect(kubernetesKeys).toContain(key);
    }
    expect(Object.values(CACHE_SPEC).map(tomlKey)).toEqual(
      ['Type', 'Path', 'Shared', 'MaxUploadedArchiveSize', 's3', 'gcs', 'azure']);
    const runnerKeys = Object.values(RUNNER_SPEC).map(tomlKey);
    for (const key of ['name', 'url', 'executor', 'limit', 'request_concurrency', 'output_limit', 'environment',
      'feature_flags', 'pre_get_sources_script', 'post_get_sources_script', 'pre_build_script', 'post_build_script']) {
      expect(runnerKeys).toContain(key);
    }
  });

  test('has no field for a credential', () => {
    const s3 = nestedSpec(CACHE_SPEC.s3)!.spec;
    const keys = JSON.stringify([GLOBAL_SPEC, RUNNER_SPEC]);
    for (const secretKey of ['AccessKey', 'SecretKey', 'SessionToken', 'PrivateKey', 'AccountKey', 'CredentialsFile',
      'bearer_token', '"token"', 'key_file']) {
      expect(keys).not.toContain(secretKey);
    }
    expect(Object.keys(s3)).not.toContain('accessKey');
  });

  test('a model with every field set renders TOML the runner accepts, and parses back to the same model', () => {
    // GIVEN a model with every mapped field set
    const config = {
      global: sampleTable(GLOBAL_SPEC, '(root)'),
      runners: [sampleTable(RUNNER_SPEC, '[[runners]]')],
    } as unknown as RunnerConfig;
    expect(countFields(RUNNER_SPEC) + countFields(GLOBAL_SPEC)).toBeGreaterThan(200);

    // WHEN rendered
    const toml = renderRunnerConfig(config);

    // THEN every key and type is one runner 18.3.0 reads, and parsing gives the model back
    expect(checkRunnerToml(toml)).toEqual([]);
    expect(parseRunnerConfig(toml)).toEqual(config);
  });

  test('the seeds\' internal runner renders as the runner expects', () => {
    // GIVEN the internal environment's runner entry
    const runner: RunnerEntry = {
      executor: 'kubernetes',
      kubernetes: {
        namespace: 'gitlab',
        image: 'alpine:3.22',
        cpuLimit: '2',
        memoryLimit: '2Gi',
        serviceCpuRequest: '500m',
        pollTimeout: 300,
        cleanupResourcesTimeout: '5m',
        pullPolicy: ['if-not-present'],
        nodeSelector: { workload: 'ci' },
        nodeTolerations: { 'workload=ci': 'NoSchedule' },
        dnsPolicy: 'none',
        dnsConfig: {
          nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
          searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
          options: [{ name: 'ndots', value: '2' }],
        },
      },
    };

    // WHEN rendered and parsed as plain TOML
    const toml = renderRunnerConfig({ global: { concurrent: 10 }, runners: [runner] });
    const parsed = require('@iarna/toml').parse(toml);

    // THEN the types are the runner's: quantities are strings, poll_timeout is integer seconds,
    // durations are Go strings, tolerations a table of "key=value" = "Effect"
    const k = parsed.runners[0].kubernetes;
    expect(k.cpu_limit).toBe('2');
    expect(k.poll_timeout).toBe(300);
    expect(k.cleanup_resources_timeout).toBe('5m');
    expect(k.node_tolerations).toEqual({ 'workload=ci': 'NoSchedule' });
    expect(toml).not.toContain('[[runners.kubernetes.node_tolerations]]');
    expect(k.dns_config.options).toEqual([{ name: 'ndots', value: '2' }]);
    expect(checkRunnerToml(toml)).toEqual([]);
    expect(toml).toMatchSnapshot();
  });
});
