import * as TOML from '@iarna/toml';
import { buildEnvironments } from '../../apps/environments';
import { checkHelmValues } from '../util/helm-keys';
import { validateAnyObject } from '../util/crd-schema';
import { validateDefinition } from '../util/k8s-schema';
import { loadYaml, synthesize } from '../util/output';
import { checkRunnerToml } from '../util/runner-schema';

// Synthesize the three environments once, as `npm run synth` does, and read every file back.
const out = synthesize((app) => buildEnvironments(app));
const warnings = out.stderr;
const files = Object.fromEntries(out.files.map((f) => [f.name, f.content]));
// Each file read back from disk and parsed once (the tests only read them).
const parsed = new Map<string, any>();
const firstDoc = (env: string, kind: 'values' | 'pipeline' | 'smokeTest') => {
  const file = out.pathOf(out.ofEnvironment(env, kind));
  if (!parsed.has(file)) parsed.set(file, loadYaml(file)[0]);
  return parsed.get(file);
};
const values = (env: string) => firstDoc(env, 'values');
const runner = (env: string) => (TOML.parse(values(env).runners.config) as any).runners[0];
const pipeline = (env: string) => firstDoc(env, 'pipeline');
const inFolders = (env: string, folders: string[]) => out.objects().filter((o) => o.environment === env && folders.includes(o.folder)).map((o) => o.object);
const appObjects = (env: string) => inFolders(env, ['app']);
/** The objects of the stack's own chart: its platform and monitoring folders. */
const platform = (env: string) => inFolders(env, ['platform', 'monitoring']);
const report = (env: string) => out.ofEnvironment(env, 'report').content;
const ENVS = ['internal', 'public', 'hybrid'];

describe('the seeds\' environments', () => {
  test('write the documented files, with stable names', () => {
    const perEnv = (env: string) => [`${env}/app/${env}-calculator.k8s.yaml`, ...(env === 'public' ? ['public/coredns/public-coredns.k8s.yaml'] : []),
      `${env}/helm/gitlab-runner-values.yaml`, `${env}/monitoring/${env}.k8s.yaml`, `${env}/pipelines/gitlab-ci.yml`,
      `${env}/pipelines/runner-smoke-test.gitlab-ci.yml`, `${env}/platform/00-namespaces.k8s.yaml`, `${env}/platform/${env}.k8s.yaml`, `${env}/reports/report.md`];
    expect(Object.keys(files)).toEqual([...perEnv('hybrid'), ...perEnv('internal'), ...perEnv('public')]);
  });

  test.each(Object.keys(files))('%s matches its snapshot', (name) => {
    expect(files[name]).toMatchSnapshot();
  });

  test.each(ENVS)('%s: every object, chart key and runner key is valid', (env) => {
    const objects = out.objects().filter((o) => o.environment === env).map((o) => o.object);
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) expect(validateAnyObject(obj)).toEqual([]);
    expect(checkHelmValues(values(env), validateDefinition)).toEqual([]);
    expect(checkRunnerToml(values(env).runners.config)).toEqual([]);
  });

  test('the seeds\' over-commit is resolved with a per-runner limit; what remains is a visible warning', () => {
    // 3 managers x 10 jobs = 30 on a pool that fits 6 by requests: limit 2 per manager.
    expect(runner('internal').limit).toBe(2);
    expect(runner('hybrid').limit).toBe(2);
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: internal\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/),
      expect.stringMatching(/^warning: hybrid\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/),
    ]);
  });

  test('hybrid: glibc helper and job images, since musl asks all of the hybrid nameservers at once', () => {
    const config = TOML.parse(values('hybrid').runners.config) as any;
    expect(config.runners[0].kubernetes.helper_image).toMatch(/:ubuntu-x86_64-v18\.3\.\d+$/);
    expect(config.runners[0].kubernetes.image).toBe('debian:12-slim');
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
    expect(k.image).toBe('registry.example.com/library/alpine:3.22');
    expect(k.helper_image).toBe('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0');
    expect(k).toMatchObject({
      node_selector: { workload: 'ci' },
      node_tolerations: { 'workload=ci': 'NoSchedule' },
      priority_class_name: 'high-priority-ci',
      cpu_limit: '2', memory_limit: '2Gi', service_cpu_limit: '2', service_memory_limit: '2Gi',
      service_cpu_request: '500m', service_memory_request: '512Mi', helper_cpu_limit: '500m', helper_memory_limit: '512Mi',
      privileged: true,
    });
    expect(runner('internal').cache.s3).toEqual({
      ServerAddress: 's3.amazonaws.com', BucketName: 'gitlab-runner-cache', BucketLocation: 'us-east-1', AuthenticationType: 'access-key',
    });
    const objects = platform('internal');
    expect(objects.find((o) => o.kind === 'PriorityClass')).toMatchObject({ metadata: { name: 'high-priority-ci' }, value: 1000 });
    const prePuller = objects.find((o) => o.kind === 'DaemonSet');
    expect(prePuller.metadata.namespace).toBe('gitlab-jobs');
    // Every image a job pulls is kept on the CI nodes, through the mirror.
    expect(prePuller.spec.template.spec.initContainers.map((c: any) => c.image)).toEqual([
      'registry.example.com/alpine/k8s:1.28.15',
      'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0',
      'registry.example.com/library/alpine:3.22',
      'registry.example.com/library/docker:27.3.1',
      'registry.example.com/library/docker:27.3.1-dind',
      'registry.example.com/library/python:3.9-slim',
    ]);
    expect(prePuller.spec.template.spec.containers[0].image).toBe('registry.example.com/pause:3.9');
  });

  test('public: the quick setup on gitlab.com', () => {
    expect(values('public')).toMatchObject({ gitlabUrl: 'https://gitlab.com/', replicas: 2, concurrent: 10 });
    expect(values('public').image.registry).toBe('registry.gitlab.com');
    const k = runner('public').kubernetes;
    expect(k).toMatchObject({
      cpu_limit: '1', memory_limit: '1Gi', cpu_request: '500m', memory_request: '512Mi',
      service_cpu_limit: '1', service_memory_limit: '1Gi', privileged: true, image: 'alpine:3.22',
    });
    expect(k.dns_policy).toBeUndefined();
    expect(k.node_selector).toBeUndefined();
    const [coredns] = inFolders('public', ['coredns']);
    expect(coredns.metadata).toMatchObject({ name: 'coredns', namespace: 'kube-system' });
    expect(coredns.data.Corefile).toMatch(/forward \. 8\.8\.8\.8 1\.1\.1\.1/);
    expect(coredns.data.Corefile).toMatch(/^\s+ready$/m);
    expect(pipeline('public')['build-job'].image.name).toBe('docker:27.3.1');
    // Only listed registries are insecure: none here.
    expect(pipeline('public')['build-job'].services[0].command).toEqual(['--tls=false']);
  });

  test('hybrid: cluster DNS, then the VPC DNS, then a public resolver, with a cluster DNS address in the Service CIDR', () => {
    expect(runner('hybrid').kubernetes.dns_config).toEqual({
      nameservers: ['172.21.0.10', '10.0.0.2', '8.8.8.8'],
      searches: ['svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '2' }],
    });
  });

  test.each(ENVS)('%s: the app, its pipeline and the runner agree', (env) => {
    const [deployment, service] = appObjects(env);
    const ci = pipeline(env);
    const pod = deployment.spec.template.spec;
    // The app: 2 replicas on NodePort 30194, pulling the per-pipeline tag with the Secret the deploy job creates.
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.containers[0]).toMatchObject({ image: '${DOCKER_IMAGE}', imagePullPolicy: 'Always', ports: [{ name: 'http', containerPort: 30194 }] });
    expect(service.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 30194, nodePort: 30194 }] });
    expect(pod.imagePullSecrets).toEqual([{ name: 'acr-secret' }]);
    expect(ci['deploy-job'].before_script.join('\n')).toContain('kubectl create secret docker-registry acr-secret --namespace=calculator');
    // The image tag the build pushes is the one the deploy job substitutes.
    expect(ci.variables.DOCKER_IMAGE).toBe('private-registry.example.com/my-namespace/my-app:${CI_COMMIT_SHORT_SHA}-${CI_PIPELINE_ID}');
    expect(ci['build-job'].script).toContain('docker push "$DOCKER_IMAGE"');
    expect(ci['deploy-job'].script[0]).toBe(`sed "s|\\\${DOCKER_IMAGE}|\${DOCKER_IMAGE}|g" ${env}-calculator.k8s.yaml > calculator-deploy.yaml`);
    // Jobs go to this runner, which runs DinD privileged.
    const tags: { [env: string]: string[] } = { internal: ['kubernetes', 'docker', 'x86_64'], public: ['kubernetes'], hybrid: ['kubernetes', 'docker'] };
    for (const job of ['build-job', 'test-job', 'deploy-job']) expect(ci[job].tags).toEqual(tags[env]);
    expect(ci['build-job'].services[0].alias).toBe('docker');
    expect(runner(env).kubernetes.privileged).toBe(true);
    // The app's namespace is the platform's, at the restricted level; the deploy identity lives in it.
    const ns = platform(env).find((o) => o.kind === 'Namespace' && o.metadata.name === 'calculator');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(platform(env).filter((o) => o.metadata.namespace === 'calculator').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/calculator-deployer', 'Secret/calculator-deployer-token', 'Role/calculator-deployer', 'RoleBinding/calculator-deployer',
    ]);
  });

  test.each(ENVS)('%s: NetworkPolicies follow the DNS strategy and the GitLab URL', (env) => {
    const policies = platform(env).filter((o) => o.kind === 'NetworkPolicy');
    const egress = (ns: string, purpose: string) => policies
      .find((p) => p.metadata.namespace === ns && p.metadata.name === `gitlab-runner-allow-egress-${purpose}`)?.spec.egress;
    // Both namespaces deny everything first.
    expect(policies.filter((p) => p.metadata.name === 'gitlab-runner-deny-all').map((p) => p.metadata.namespace).sort()).toEqual(['gitlab', 'gitlab-jobs']);
    const dnsPeers = egress('gitlab-jobs', 'dns')[0].to.map((t: any) => t.ipBlock?.cidr ?? 'kube-dns pods');
    expect(dnsPeers).toEqual({
      internal: ['10.0.0.2/32', '10.1.0.251/32', '10.1.0.252/32'],
      public: ['kube-dns pods'],
      hybrid: ['kube-dns pods', '10.0.0.2/32', '8.8.8.8/32'],
    }[env]);
    // GitLab on its VM by address; gitlab.com through the internet-egress rule.
    const gitlab = egress('gitlab-jobs', 'gitlab');
    if (env === 'public') expect(gitlab).toBeUndefined();
    else expect(gitlab).toEqual([{ to: [{ ipBlock: { cidr: '192.168.1.50/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }]);
    expect(egress('gitlab-jobs', 'kubernetes-api')[0].to).toEqual([{ ipBlock: { cidr: '192.168.1.100/32' } }]);
    expect(egress('gitlab-jobs', 'internet')[0].to[0].ipBlock.except).toContain('169.254.169.254/32');
  });

  test.each(ENVS)('%s: monitoring, manager availability, smoke test and report', (env) => {
    const objects = platform(env);
    // The Prometheus Operator's objects in their own folder, which needs its CRDs.
    expect(inFolders(env, ['monitoring']).map((o) => o.kind)).toEqual(['PodMonitor', 'PrometheusRule']);
    // A PodMonitor for the chart's pods and the alerts, valid against the Prometheus Operator's CRDs.
    const podMonitor = objects.find((o) => o.kind === 'PodMonitor');
    expect(podMonitor.spec.selector.matchLabels).toEqual({ app: 'gitlab-runner', release: 'gitlab-runner' });
    expect(podMonitor.spec.podMetricsEndpoints[0].port).toBe('metrics');
    const alerts = objects.find((o) => o.kind === 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
    // Where limit 2 of concurrent 10 binds (internal, hybrid), the limit's saturation alert, not concurrent's,
    // which could never fire; public runs concurrent 10 with no limit.
    const saturation = env === 'public' ? 'GitLabRunnerConcurrentSaturated' : 'GitLabRunnerLimitSaturated';
    expect(alerts).toEqual(['GitLabRunnerNoManagerUp', 'GitLabRunnerManagersDown', 'GitLabRunnerJobFailureRatioHigh', 'GitLabRunnerErrors',
      saturation, 'GitLabRunnerRequestConcurrencyExceeded', 'GitLabRunnerJobQueueSlow']);
    // Replicas >= 2: a PodDisruptionBudget and spread across nodes; a grace period that holds the longest job.
    expect(objects.find((o) => o.kind === 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(values(env).topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(values(env).terminationGracePeriodSeconds).toBeGreaterThan(values(env).shutdown_timeout + 3599);
    // The smoke test targets this runner and checks this environment's DNS.
    const smoke = firstDoc(env, 'smokeTest');
    expect(Object.keys(smoke).filter((k) => smoke[k]?.stage)).toEqual(['hello', 'dns', 'dind']);
    expect(smoke.hello.tags).toEqual(pipeline(env)['build-job'].tags);
    const expected: { [e: string]: string } = { internal: '10.0.0.2 10.1.0.251 10.1.0.252', hybrid: '172.21.0.10 10.0.0.2 8.8.8.8', public: '' };
    if (expected[env]) expect(smoke.dns.script.join('\n')).toContain(`expected='${expected[env]}'`);
    // The report: capacity, DNS cost, checklist, commands.
    const text = report(env);
    for (const heading of ['## Capacity', '## DNS', '## Production-readiness checklist', '## Apply, in this order', '## Upgrade',
      '## Back up and roll back', '## Uninstall']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`helm upgrade --install gitlab-runner gitlab/gitlab-runner --version 0.80.0 -n gitlab -f dist/${out.ofEnvironment(env, 'values').name}`);
    expect(text).toContain(`kubectl apply -f dist/${env}/platform/`);
  });

  test('the internal report: the seeds\' capacity numbers and checklist verdicts', () => {
    const internal = report('internal');
    expect(internal).toContain('| requests | 3 CPU / 3Gi | 2 | 8 | 6 | cpu | 6 (6 by CPU, 25 by memory) |');
    expect(internal).toContain('| limits | 4.5 CPU / 4.5Gi | 1 | 5 | 3 | cpu | 4 (4 by CPU, 17 by memory) |');
    expect(internal).toContain('| runner | several manager replicas | met | 3 replica(s) |');
    expect(internal).toContain('| monitoring | alerts defined | met |');
    expect(internal).toContain('| security | least-privilege RBAC | met |');
    expect(internal).toMatch(/\| operations \| on-call team trained \| needs a human \|/);
  });

  test('no image is unpinned and no secret value appears in any file', () => {
    for (const [name, text] of Object.entries(files)) {
      // `${CACHE_ACCESSKEY:?…}` is the report's shell expansion of a variable the reader types into, not a value.
      expect({ name, match: text.match(/glrt-|runnerToken|(AccessKey|SecretKey)\s*(=\s*"[^$]|:\s*[^\s?])|password:|:latest\b/i) }).toEqual({ name, match: null });
    }
  });
});
