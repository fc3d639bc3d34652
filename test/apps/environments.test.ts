import * as fs from 'fs';
import * as path from 'path';
import * as TOML from '@iarna/toml';
import { Testing, Yaml } from 'cdk8s';
import { buildEnvironments } from '../../apps/environments';
import { checkHelmValues } from '../util/helm-keys';
import { validateDefinition, validateManifest } from '../util/k8s-schema';
import { checkRunnerToml } from '../util/runner-schema';

// Synthesize the three environments once, as `npm run synth` does, and read every file back.
const app = Testing.app();
buildEnvironments(app);
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
app.synth();
const warnings = stderr.mock.calls.map(([text]) => String(text));
stderr.mockRestore();
const files = Object.fromEntries(fs.readdirSync(app.outdir).sort()
  .map((name) => [name, fs.readFileSync(path.join(app.outdir, name), 'utf8')]));
const values = (env: string) => Yaml.load(path.join(app.outdir, `${env}.gitlab-runner-values.yaml`))[0];
const runner = (env: string) => (TOML.parse(values(env).runners.config) as any).runners[0];

describe('the seeds\' environments', () => {
  test('write one manifest and one values file per environment', () => {
    expect(Object.keys(files)).toEqual([
      'hybrid.gitlab-runner-values.yaml', 'hybrid.k8s.yaml',
      'internal.gitlab-runner-values.yaml', 'internal.k8s.yaml',
      'public-coredns.k8s.yaml', 'public.gitlab-runner-values.yaml', 'public.k8s.yaml',
    ]);
  });

  test('the seeds\' over-commit is resolved with a per-runner limit, and what remains is a visible warning', () => {
    // 3 managers x 10 jobs = 30 on a pool that fits 6 by requests: limit 2 per manager.
    expect(runner('internal').limit).toBe(2);
    expect(runner('hybrid').limit).toBe(2);
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: internal\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/),
      expect.stringMatching(/^warning: hybrid\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/),
    ]);
  });

  test.each(Object.keys(files))('%s matches its snapshot', (name) => {
    expect(files[name]).toMatchSnapshot();
  });

  test.each(['internal', 'public', 'hybrid'])('%s: every object, chart key and runner key is valid', (env) => {
    for (const obj of Yaml.load(path.join(app.outdir, `${env}.k8s.yaml`))) expect(validateManifest(obj)).toEqual([]);
    if (env === 'public') {
      for (const obj of Yaml.load(path.join(app.outdir, 'public-coredns.k8s.yaml'))) expect(validateManifest(obj)).toEqual([]);
    }
    expect(checkHelmValues(values(env), validateDefinition)).toEqual([]);
    expect(checkRunnerToml(values(env).runners.config)).toEqual([]);
  });

  test('internal: the seeds\' VPC deployment', () => {
    const v = values('internal');
    expect(v).toMatchObject({ gitlabUrl: 'http://192.168.1.50/', replicas: 3, concurrent: 10 });
    expect(v.image).toEqual({ registry: 'registry.example.com', image: 'gitlab/gitlab-runner', tag: 'alpine-v18.3.0' });
    expect(v.runners.cache).toEqual({ secretName: 'gitlab-runner-cache-s3' });
    const k = runner('internal').kubernetes;
    expect(k.dns_policy).toBe('none');
    expect(k.dns_config).toEqual({
      nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
      searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '2' }],
    });
    expect(k.helper_image).toBe('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0');
    expect(k.node_selector).toEqual({ workload: 'ci' });
    expect(k.node_tolerations).toEqual({ 'workload=ci': 'NoSchedule' });
    expect(k.priority_class_name).toBe('high-priority-ci');
    const objects = Yaml.load(path.join(app.outdir, 'internal.k8s.yaml'));
    expect(objects.find((o: any) => o.kind === 'PriorityClass')).toMatchObject({ metadata: { name: 'high-priority-ci' }, value: 1000 });
    const prePuller = objects.find((o: any) => o.kind === 'DaemonSet');
    expect(prePuller.metadata.namespace).toBe('gitlab-jobs');
    expect(prePuller.spec.template.spec.initContainers.map((c: any) => c.image)).toEqual([
      'registry.example.com/docker:27.3.1', 'registry.example.com/docker:27.3.1-dind',
      'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0', 'registry.example.com/library/alpine:3.22',
    ]);
    expect(k).toMatchObject({
      cpu_limit: '2', memory_limit: '2Gi', service_cpu_limit: '2', service_memory_limit: '2Gi',
      service_cpu_request: '500m', service_memory_request: '512Mi', helper_cpu_limit: '500m', helper_memory_limit: '512Mi',
      privileged: true,
    });
    expect(runner('internal').cache.s3).toEqual({
      ServerAddress: 's3.amazonaws.com', BucketName: 'gitlab-runner-cache', BucketLocation: 'us-east-1', AuthenticationType: 'access-key',
    });
  });

  test('public: the quick setup on gitlab.com', () => {
    expect(values('public')).toMatchObject({ gitlabUrl: 'https://gitlab.com/', replicas: 2, concurrent: 10 });
    expect(values('public').image.registry).toBe('registry.gitlab.com');
    expect(runner('public').kubernetes).toMatchObject({
      cpu_limit: '1', memory_limit: '1Gi', cpu_request: '500m', memory_request: '512Mi',
      service_cpu_limit: '1', service_memory_limit: '1Gi', privileged: true,
    });
    expect(runner('public').kubernetes.dns_policy).toBeUndefined();
    const [coredns] = Yaml.load(path.join(app.outdir, 'public-coredns.k8s.yaml'));
    expect(coredns.metadata).toMatchObject({ name: 'coredns', namespace: 'kube-system' });
    expect(coredns.data.Corefile).toMatch(/forward \. 8\.8\.8\.8 1\.1\.1\.1/);
    expect(coredns.data.Corefile).toMatch(/^\s+ready$/m);
  });

  test('hybrid: cluster DNS, then the VPC DNS, then a public resolver', () => {
    expect(runner('hybrid').kubernetes.dns_config).toEqual({
      nameservers: ['10.96.0.10', '10.0.0.2', '8.8.8.8'],
      searches: ['svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '2' }],
    });
  });

  test('no secret value appears in any file', () => {
    for (const text of Object.values(files)) {
      expect(text).not.toMatch(/glrt-|runnerToken|AccessKey|SecretKey|password/i);
    }
  });
});
