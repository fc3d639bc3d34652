import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { CalculatorApp, CalculatorPipeline, ImageBuilder, JobPodPolicy, JobSecurityProfile, RunnerManager, writeFiles } from '../../lib';
import { warningsOf } from '../../lib/validation/warnings';
import { filesUnder, loadYaml } from '../util/output';
import { validateManifest } from '../util/k8s-schema';
import { build, shellLines } from './fixtures';

describe('CalculatorPipeline', () => {
  test('the seeds\' pipeline: build with DinD, test, manual deploy', () => {
    // GIVEN / WHEN
    const { doc } = build({}, { builder: ImageBuilder.dockerInDocker({ insecureRegistries: ['private-registry.example.com'] }) });

    // THEN
    expect(Yaml.stringify(doc)).toMatchSnapshot();
    expect(doc.stages).toEqual(['build', 'test', 'deploy']);
    expect(doc.variables).toEqual({ DOCKER_IMAGE: 'private-registry.example.com/my-namespace/my-app:${CI_COMMIT_SHORT_SHA}-${CI_PIPELINE_ID}' });
    const buildJob = doc['build-job'];
    expect(buildJob.image).toEqual({ name: 'docker:27.3.1' });
    expect(buildJob.services).toEqual([{
      name: 'docker:27.3.1-dind', alias: 'docker', command: ['--tls=false', '--insecure-registry=private-registry.example.com'],
    }]);
    expect(buildJob.variables).toEqual({ DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '' });
    expect(buildJob.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == "main"' }]);
    expect(buildJob.before_script[0]).toMatch(/until docker info .*-ge 60 .*exit 1/);
    expect(buildJob.script).toEqual([
      'docker build -t "$DOCKER_IMAGE" .',
      'printf \'%s\' "$ACR_PASSWORD" | docker login -u "$ACR_USERNAME" --password-stdin private-registry.example.com',
      'docker push "$DOCKER_IMAGE"',
    ]);
    expect(doc['test-job']).toMatchObject({ stage: 'test', image: { name: 'python:3.9-slim' }, script: ['pip install --no-cache-dir -r requirements.txt pytest', 'pytest tests/'] });
    const deploy = doc['deploy-job'];
    expect(deploy.image).toEqual({ name: 'alpine/k8s:1.28.15', entrypoint: [''] });
    expect(deploy.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == "main"', when: 'manual' }]);
    expect(deploy.before_script[0]).toBe('export KUBECONFIG="$ACK_KUBECONFIG"');
    expect(deploy.before_script[2]).toMatch(/^kubectl create secret docker-registry acr-secret --namespace=calculator .*--dry-run=client -o yaml \| kubectl apply -f -$/);
    expect(deploy.script.slice(2)).toEqual([
      'kubectl apply -f calculator-deploy.yaml',
      'kubectl rollout status deployment/calculator --namespace=calculator --timeout=300s',
    ]);
    expect(deploy.after_script).toEqual(['rm -f calculator-deploy.yaml "$ACK_KUBECONFIG"']);
    expect(buildJob.after_script).toEqual(['docker logout private-registry.example.com || true']);
  });

  test('every image is pinned, and no registry is insecure unless listed', () => {
    const { doc, pipeline } = build();
    expect(pipeline.images.every((i) => !/:latest$/.test(i) && /:[^/]+$/.test(i))).toBe(true);
    expect(doc['build-job'].services[0].command).toEqual(['--tls=false']);
  });

  test('every shell line parses', () => {
    const lines = shellLines(build().doc).concat(shellLines(build({ profile: JobSecurityProfile.rootBuilder() }, { builder: ImageBuilder.kaniko() }).doc));
    // One sh runs `sh -n -c <line>` for every line and prints each one's exit status: one process from node, not one per line.
    const statuses = execFileSync('sh', ['-c', 'for line do sh -n -c "$line" 2>&1; echo "status $?"; done', 'sh', ...lines], { encoding: 'utf8' })
      .split('\n').filter((l) => l.startsWith('status ')).map((l) => Number(l.slice('status '.length)));
    expect(statuses).toHaveLength(lines.length);
    lines.forEach((line, i) => expect({ line, status: statuses[i] }).toEqual({ line, status: 0 }));
  });

  test('the deploy job puts the built tag into the app\'s manifest, and only there', () => {
    // GIVEN the app's manifest as the pipeline finds it in the repository
    const { appChart, doc, pipeline } = build();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
    fs.writeFileSync(path.join(dir, pipeline.app.manifestFileName), Yaml.stringify(...Testing.synth(appChart)));
    const env = { ...process.env, DOCKER_IMAGE: 'private-registry.example.com/my-namespace/my-app:56cc4792-86' };

    // WHEN the deploy job's substitution lines run
    for (const line of doc['deploy-job'].script.slice(0, 2)) execFileSync('sh', ['-c', line], { cwd: dir, env });

    // THEN the Deployment runs exactly that tag
    const [deployment] = loadYaml(path.join(dir, 'calculator-deploy.yaml'));
    expect(deployment.spec.template.spec.containers[0].image).toBe('private-registry.example.com/my-namespace/my-app:56cc4792-86');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('jobs carry the runner\'s tags; no tags is a warning', () => {
    expect(build({ tags: ['kubernetes', 'docker'] }).doc['deploy-job'].tags).toEqual(['kubernetes', 'docker']);
    const { chart, doc } = build({ tags: [] });
    expect(doc['build-job'].tags).toBeUndefined();
    expect(warningsOf(chart)).toEqual([expect.stringMatching(/test\/Pipeline: the runner test\/Runner declares no tags/)]);
  });

  test('kaniko builds on an unprivileged root-builder runner', () => {
    const { doc } = build({ profile: JobSecurityProfile.rootBuilder() }, { builder: ImageBuilder.kaniko({ insecureRegistries: ['private-registry.example.com'] }) });
    const job = doc['build-job'];
    expect(job.image).toEqual({ name: 'gcr.io/kaniko-project/executor:v1.23.2-debug', entrypoint: [''] });
    expect(job.services).toBeUndefined();
    expect(job.script[2]).toBe('/kaniko/executor --context "$CI_PROJECT_DIR" --dockerfile "$CI_PROJECT_DIR/Dockerfile" --destination "$DOCKER_IMAGE" '
      + '--insecure-registry=private-registry.example.com --skip-tls-verify-registry=private-registry.example.com');
    expect(job.after_script).toEqual(['rm -f /kaniko/.docker/config.json']);
  });

  test('the CI pool pre-pulls the pipeline\'s images', () => {
    const { chart } = build({ pool: true });
    const ds = Testing.synth(chart).find((o) => o.kind === 'DaemonSet');
    expect(ds.spec.template.spec.initContainers.map((c: any) => c.image)).toEqual(expect.arrayContaining([
      'docker:27.3.1', 'docker:27.3.1-dind', 'python:3.9-slim', 'alpine/k8s:1.28.15',
    ]));
  });

  test('a mirror moves every job image', () => {
    const mirror = { mirrorImage: (image: string) => `registry.example.com/${image}` };
    const { pipeline } = build({}, { mirror, testImage: 'library/python:3.9-slim' });
    expect(pipeline.images).toEqual([
      'registry.example.com/docker:27.3.1', 'registry.example.com/docker:27.3.1-dind',
      'registry.example.com/library/python:3.9-slim', 'registry.example.com/alpine/k8s:1.28.15',
    ]);
  });

  test('the deploy identity: a ServiceAccount, its token Secret and a namespaced Role without wildcards', () => {
    const objects = Testing.synth(build().chart).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'deployer');
    for (const obj of objects) expect(validateManifest(obj)).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/calculator/calculator-deployer', 'Secret/calculator/calculator-deployer-token',
      'Role/calculator/calculator-deployer', 'RoleBinding/calculator/calculator-deployer',
    ]);
    const [, secret, role] = objects;
    expect(secret).toMatchObject({ type: 'kubernetes.io/service-account-token', metadata: { annotations: { 'kubernetes.io/service-account.name': 'calculator-deployer' } } });
    expect(secret.data).toBeUndefined();
    expect(JSON.stringify(role.rules)).not.toContain('*');
    // What apply and rollout status do with the app's Deployment and Service, and the pull Secret by name.
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['acr-secret'], verbs: ['get', 'patch'] },
    ]);
  });

  test('the deploy job applies the app\'s whole chart: a kind its Role does not cover, or another namespace, fails the synth', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const runner = new RunnerManager(platform, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(platform, 'Token', 't'), tags: ['k8s'],
      jobPodPolicy: new JobPodPolicy(platform, 'Jobs', { securityProfile: JobSecurityProfile.privileged() }),
    });
    const appChart = new Chart(app, 'calc');
    const calculator = new CalculatorApp(appChart, 'App', { pullSecret: Secret.fromSecretName(appChart, 'Pull', 'acr-secret') });
    new CalculatorPipeline(platform, 'Pipeline', { app: calculator, runner, registry: { host: 'registry.example.com', repository: 'a/b' } });
    new ApiObject(appChart, 'Quota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'calculator' } });
    new ApiObject(appChart, 'Elsewhere', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'other' } });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('platform/Pipeline: invalid app: got "calc/Quota"; expected an app chart (calc) of only Deployment, Service,');
    expect(message).toContain('ResourceQuota is not one of them');
    expect(message).toContain('platform/Pipeline: invalid app: got "calc/Elsewhere"; expected objects in the app\'s namespace "calculator" only');
  });

  test('the output step writes <environment>/pipelines/gitlab-ci.yml', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(chart, 'Token', 't'), tags: ['k8s'],
      jobPodPolicy: new JobPodPolicy(chart, 'Jobs', { securityProfile: JobSecurityProfile.privileged() }),
    });
    const calc = new CalculatorApp(new Chart(app, 'ci-calculator'), 'App', { pullSecret: Secret.fromSecretName(chart, 'P', 'acr-secret') });
    new CalculatorPipeline(chart, 'Pipeline', { app: calc, runner, registry: { host: 'r.example.com', repository: 'a/b' } });
    writeFiles(app);
    expect(filesUnder(app.outdir)).toEqual(['ci-calculator/platform/ci-calculator.k8s.yaml', 'ci/helm/gitlab-runner-values.yaml',
      'ci/pipelines/gitlab-ci.yml', 'ci/platform/00-namespaces.k8s.yaml', 'ci/platform/ci.k8s.yaml']);
    const [doc] = loadYaml(path.join(app.outdir, 'ci/pipelines/gitlab-ci.yml'));
    expect(doc['deploy-job'].script[0]).toContain('ci-calculator.k8s.yaml > calculator-deploy.yaml');
  });
});

describe('CalculatorPipeline fails when the pipeline and the runner disagree', () => {
  test('fails on a DinD build on an unprivileged runner, at synth', () => {
    const { chart } = build({ profile: JobSecurityProfile.rootBuilder() });
    expect(() => Testing.synth(chart)).toThrow(
      'test/Pipeline: invalid builder: got "docker-in-docker"; expected ImageBuilder.kaniko(), or a privileged runner: Docker-in-Docker '
      + 'runs a privileged service container, and test/Runner\'s JobPodPolicy test/Jobs uses the root-builder profile (use JobSecurityProfile.privileged() there)');
  });

  test('fails on a kaniko build on a non-root runner, at synth', () => {
    const { chart } = build({ profile: JobSecurityProfile.nonRoot() }, { builder: ImageBuilder.kaniko() });
    expect(() => Testing.synth(chart))
      .toThrow(/invalid builder: got "kaniko"; expected a runner whose jobs may run as root: kaniko builds as root/);
  });

  test('tags: jobs carry the given tags; a tag the runner lacks fails at synth, naming the runner\'s tags', () => {
    const { doc, chart } = build({ tags: ['kubernetes', 'docker'] }, { tags: ['docker'] });
    expect(doc['build-job'].tags).toEqual(['docker']);
    expect(() => Testing.synth(chart)).not.toThrow();
    const bad = build({ tags: ['kubernetes'] }, { tags: ['kubernetes', 'gpu'] });
    expect(() => Testing.synth(bad.chart)).toThrow('test/Pipeline: invalid tags: got ["kubernetes","gpu"]; expected tags of test/Runner (kubernetes): '
      + 'GitLab gives a job only to a runner with all of its tags, and the runner lacks gpu');
    expect(() => build({}, { tags: [''] })).toThrow(/invalid tags\[0\]/);
  });
});
