import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { buildEnvironments } from '../apps/environments';
import {
  CalculatorApp, CalculatorPipeline, JobPodPolicy, JobSecurityProfile, JobVolume, RunnerCache, RunnerManager,
  writeFiles,
} from '../lib';
import { filesUnder } from './util/output';

// Recognizable fake secret values. None may appear in anything we write.
const CANARIES = {
  RUNNER_TOKEN: 'glrt-CANARY-runner-token-7f3a',
  CI_SERVER_TOKEN: 'glrt-CANARY-server-token-19cc',
  REGISTRATION_TOKEN: 'CANARY-registration-token-55aa',
  ACR_USERNAME: 'CANARY-registry-user-0b1e',
  ACR_PASSWORD: 'CANARY-registry-password-d00d',
  ACK_KUBECONFIG: 'CANARY-kubeconfig-bearer-token-beef',
  AWS_ACCESS_KEY_ID: 'AKIACANARY0ACCESSKEY',
  AWS_SECRET_ACCESS_KEY: 'CANARY-aws-secret-access-key-feed',
  CACHE_S3_SECRET_KEY: 'CANARY-cache-secret-key-cafe',
};

/** Secrets that really hold the canaries, in an app that is never synthesized: only their names may travel. */
function secretWith(name: string, data: { [key: string]: string }): Secret {
  return new Secret(new Chart(new App(), 'elsewhere'), name, { metadata: { name }, stringData: data });
}

function filesOf(app: App): { [name: string]: string } {
  return Object.fromEntries(filesUnder(app.outdir).map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
}

function expectNoCanary(files: { [name: string]: string }): void {
  for (const [name, text] of Object.entries(files)) {
    for (const [key, canary] of Object.entries(CANARIES)) {
      expect({ file: name, key, leaked: text.includes(canary) }).toEqual({ file: name, key, leaked: false });
    }
  }
}

describe('no secret value leaks into the output', () => {
  const saved = { ...process.env };
  beforeEach(() => Object.assign(process.env, CANARIES));
  afterEach(() => {
    for (const key of Object.keys(CANARIES)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test('the seeds\' environments, synthesized with secrets in the environment, reference Secrets and CI variables by name only', () => {
    const app = Testing.app();
    buildEnvironments(app);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    writeFiles(app);
    stderr.mockRestore();
    const files = filesOf(app);
    expect(Object.keys(files)).toHaveLength(25);
    expectNoCanary(files);
    // What the files do hold: Secret names and CI variable names.
    expect(files['internal/helm/gitlab-runner-values.yaml']).toContain('secret: gitlab-runner-token');
    expect(files['internal/helm/gitlab-runner-values.yaml']).toContain('secretName: gitlab-runner-cache-s3');
    expect(files['internal/pipelines/gitlab-ci.yml']).toContain('"$ACR_PASSWORD"');
    expect(files['internal/pipelines/gitlab-ci.yml']).toContain('"$ACK_KUBECONFIG"');
  });

  test('Secrets that hold values are used by name, wherever a construct takes one', () => {
    // GIVEN Secrets with the canaries as data
    const token = secretWith('gitlab-runner-token', { 'runner-token': CANARIES.RUNNER_TOKEN, 'runner-registration-token': CANARIES.REGISTRATION_TOKEN });
    const cache = secretWith('cache-keys', { accesskey: CANARIES.AWS_ACCESS_KEY_ID, secretkey: CANARIES.CACHE_S3_SECRET_KEY });
    const pull = secretWith('acr-secret', { '.dockerconfigjson': `{"auths":{"r":{"password":"${CANARIES.ACR_PASSWORD}"}}}` });
    const ca = secretWith('internal-ca', { 'ca.crt': CANARIES.ACK_KUBECONFIG });

    // WHEN every construct that takes a Secret gets one
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      tokenSecret: token,
      cache: RunnerCache.s3({ bucketName: 'cache', credentials: cache }),
      tags: ['kubernetes'],
      jobPodPolicy: new JobPodPolicy(chart, 'Jobs', {
        securityProfile: JobSecurityProfile.privileged(), imagePullSecrets: [pull], volumes: [JobVolume.secret(ca, { mountPath: '/etc/ssl/internal' })],
      }),
    });
    const calculator = new CalculatorApp(new Chart(app, 'ci-calculator'), 'App', { pullSecret: pull });
    new CalculatorPipeline(chart, 'Pipeline', { app: calculator, runner, registry: { host: 'r.example.com', repository: 'a/b' } });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    writeFiles(app);
    stderr.mockRestore();

    // THEN only names appear
    const files = filesOf(app);
    expectNoCanary(files);
    expect(files['ci/helm/gitlab-runner-values.yaml']).toContain('secret: gitlab-runner-token');
    expect(files['ci/helm/gitlab-runner-values.yaml']).toContain('secretName: cache-keys');
    expect(files['ci-calculator/platform/ci-calculator.k8s.yaml']).toContain('name: acr-secret');
  });
});
