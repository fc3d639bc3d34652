// No secret value in any output, whatever the user passes (issue 9, item 4). Mirrors
// lib/validation/secrets.ts, then every place a user string reaches output: the prop checks that
// reject credentials, the redaction of errors and warnings, the net under them (synthFiles()
// and the manifest scan), and a property over every public entry point: whatever string is replaced
// by a secret-looking value, neither the error nor a warning nor a synthesized file holds it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ConfigMap, Cpu, k8s, PersistentVolumeClaim, Secret, TaintEffect } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import * as lib from '../../lib';
import { GeneratedFileKind, synthFiles, ValidationError, writeFiles } from '../../lib';
import { addWarning, warningsOf } from '../../lib/validation/warnings';
import { FileRegistry } from '../../lib/output/registry';
import {
  CREDENTIAL_HINT, CREDENTIAL_SHAPES, credentialKinds, credentialLines, isCredentialName, isVariableReference, literalCredentialAssignments, looksLikeCredential,
  redactCredentials, redactText, redactValue,
} from '../../lib/validation/secrets';
import { filesUnder, synthesize } from '../util/output';
import { EntryPoint, generatePropsKeys } from '../util/props-keys';
import { SEED_HYBRID_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

/** A secret-looking value, and the part of it that must never appear anywhere (compared case-insensitively). */
interface Canary {
  readonly what: string;
  readonly value: string;
  readonly core: string;
}

// Made-up values of the shapes the library recognizes. The runner token is lowercase, so that it
// passes every DNS-name and label check: only the credential check stops it there.
const GLRT: Canary = { what: 'a runner token', value: 'glrt-canary7q2w9e4r6t1y3u5i', core: 'canary7q2w9e4r6t1y3u5i' };
const GLPAT: Canary = { what: 'a personal access token', value: 'glpat-Canary_8Xk2Lm5Np9Qr', core: 'Canary_8Xk2Lm5Np9Qr' };
const PRIVATE_KEY: Canary = {
  what: 'a private key block',
  value: ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEcanaryKeyMaterial0123456789abcdefABCDEF', 'canaryKeyLine2+/xyz==', '-----END RSA PRIVATE KEY-----'].join('\n'),
  core: 'canaryKeyMaterial0123456789',
};
const AWS_KEY_ID: Canary = { what: 'an AWS access key id', value: 'AKIACANARY7Q2W9E4R6T', core: 'CANARY7Q2W9E4R6T' };
const CANARIES = [GLRT, GLPAT, PRIVATE_KEY, AWS_KEY_ID];
/** A literal secret no shape gives away: only its name (`DB_PASSWORD`) does. */
const PLAIN_SECRET = 'hunter2-canary-Plain-0x5f';

const GITLAB = 'https://gitlab.example.com/';
const PARTS_OF_WHERE = ['masked GitLab CI/CD variable', 'Kubernetes Secret', 'mounted as a volume', 'Secret references'];

/** Whether any of `texts` holds `secret` (or, for a canary, its core), in any letter case. */
function leaks(texts: readonly string[], secret: string): boolean {
  const needle = secret.toLowerCase();
  return texts.some((t) => t.toLowerCase().includes(needle));
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  /** The app's own chart, made on first use: the deploy job applies it whole, so the app sits alone there. */
  readonly appChart: Chart;
}
let apps = 0;
function fresh(inMemory = false): Ctx {
  // In memory, nothing is written: an output directory that is never created.
  const app = inMemory ? new App({ outdir: path.join(os.tmpdir(), `secrets-never-written-${process.pid}-${++apps}`) }) : Testing.app();
  let appChart: Chart | undefined;
  return { app, chart: new Chart(app, 'test'), get appChart() { return appChart ??= new Chart(app, 'test-calculator'); } };
}
const token = (s: Construct, name = 'gitlab-runner-token') => Secret.fromSecretName(s, `Token${s.node.children.length}`, name);
/** Job-pod settings belong to the JobPodPolicy: `extra`'s go to one (`<chart>/RunnerJobs`), unless it gives a policy. */
const JOB_POD_KEYS = ['jobImage', 'imagePullSecrets', 'jobServiceAccount', 'jobServiceAccountOverwriteAllowed', 'podTerminationGracePeriod', 'jobCleanupTimeout', 'hostAliases', 'volumes', 'allowHostPathVolumes'];
const withJobPods = (scope: Construct, extra: { [key: string]: unknown }) => {
  const jobPods = Object.fromEntries(Object.entries(extra).filter(([k]) => JOB_POD_KEYS.includes(k)));
  const rest = Object.fromEntries(Object.entries(extra).filter(([k]) => !JOB_POD_KEYS.includes(k)));
  return Object.keys(jobPods).length === 0 || rest.jobPodPolicy !== undefined ? extra
    : { ...rest, jobPodPolicy: new lib.JobPodPolicy(scope, 'RunnerJobs', jobPods) };
};
const runner = (c: Ctx, extra: object = {}) => new lib.RunnerManager(c.chart, 'Runner', { gitlabUrl: GITLAB, tokenSecret: token(c.chart), ...withJobPods(c.chart, extra as any) });
const privilegedRunner = (c: Ctx, extra: object = {}) => runner(c, {
  jobPodPolicy: new lib.JobPodPolicy(c.chart, 'Jobs', { securityProfile: lib.JobSecurityProfile.privileged() }), ...extra,
});
const calculator = (c: Ctx, extra: object = {}) => new lib.CalculatorApp(c.appChart, `App${c.appChart.node.children.length}`, {
  pullSecret: Secret.fromSecretName(c.appChart, `Pull${c.appChart.node.children.length}`, 'acr-secret'), ...extra,
});
const APP_REGISTRY = { host: 'registry.example.com', repository: 'team/calculator', usernameVariable: 'ACR_USERNAME', passwordVariable: 'ACR_PASSWORD' };
const pipeline = (c: Ctx, extra: object = {}) => new lib.CalculatorPipeline(c.chart, 'Pipeline', {
  app: calculator(c), runner: privilegedRunner(c), registry: APP_REGISTRY, ...extra,
});
const STACK = () => ({
  gitlabUrl: GITLAB,
  sampleApp: { registry: { ...APP_REGISTRY }, pullSecretName: 'acr-secret' },
  tokenSecretName: 'gitlab-runner-token',
  jobPods: { servicesPerJob: 1, podLabels: { team: 'ci' } },
  nodePool: { taints: [{ key: 'workload', value: 'ci', effect: TaintEffect.NO_SCHEDULE }], prePullImages: [{ image: 'busybox:1.36' }] },
  network: { kubernetesApi: lib.NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true },
  monitoring: { jobFailureRatio: 0.2 },
  tags: ['kubernetes'],
  labels: { team: 'ci' },
  clusterName: 'ci',
});

/** An app's synthesis: every file it wrote (also when it failed), what it printed, and the error, if any. */
interface Synthesized { readonly files: { [name: string]: string }; readonly stderr: string[]; readonly error?: Error }

/**
 * Builds into a fresh app and synthesizes it; a failure at construction or at synthesis is returned,
 * not thrown. With `inMemory`, the files are what synthFiles() returns, which writeFiles() writes as
 * they are: the property's thousands of runs skip the disk.
 */
function synthesizeCatching(build: (c: Ctx) => void, { inMemory = false } = {}): Synthesized {
  const c = fresh(inMemory);
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let error: Error | undefined;
  let stderr: string[] = [];
  let written: { [name: string]: string } | undefined;
  try {
    build(c);
    if (inMemory) written = Object.fromEntries(synthFiles(c.app).map((f) => [f.path, f.content]));
    else writeFiles(c.app);
  } catch (e) {
    error = e as Error;
  } finally {
    stderr = spy.mock.calls.map(([text]) => String(text));
    spy.mockRestore();
  }
  // The warnings too when synthesis failed before printing them.
  stderr.push(...warningsOf(c.app));
  const files = written ?? (fs.existsSync(c.app.outdir)
    ? Object.fromEntries(filesUnder(c.app.outdir).map((f) => [f, fs.readFileSync(path.join(c.app.outdir, f), 'utf8')]))
    : {});
  return { files, stderr, error };
}

/** Everything a synthesis showed: file contents, stderr, and the error message. */
const shown = (s: Synthesized) => [...Object.values(s.files), ...s.stderr, ...(s.error ? [s.error.message, stackOf(s.error)] : [])];

/**
 * The error's stack as V8 writes it (already written, if anything read it before). Jest's handler
 * would map every frame to its TypeScript source first, most of this file's time; the text that
 * could leak, the message line, is the same.
 */
function stackOf(error: Error): string {
  const holder = Error as { prepareStackTrace?: unknown };
  const prepare = holder.prepareStackTrace;
  holder.prepareStackTrace = undefined;
  try {
    return String(error.stack);
  } finally {
    holder.prepareStackTrace = prepare;
  }
}

describe('lib/validation/secrets', () => {
  // The hint is a shortcut: a string without it is never tested against the shapes. Each shape,
  // with its negative lookarounds dropped and its positive ones made part of the match, matches
  // within every string the shape matches; every string generated from that must hold the hint.
  test.each(CREDENTIAL_SHAPES.map((s) => [s.kind, s] as const))('every string that looks like %s holds the hint', (_, shape) => {
    const group = String.raw`((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)`;
    const source = shape.pattern.source
      .replace(new RegExp(String.raw`\(\?<?!${group}`, 'g'), '')
      .replace(new RegExp(String.raw`\(\?<?=${group}`, 'g'), '(?:$1)');
    expect(source).not.toMatch(/\(\?<?[=!]/);
    // fast-check cannot generate from a case-insensitive pattern: generate one case, test others.
    const seen = fc.sample(fc.stringMatching(new RegExp(source, shape.pattern.flags.replace(/[gi]/g, ''))), { numRuns: 300, seed: 11 });
    const missed = seen.flatMap((x) => [x, x.toLowerCase(), x.toUpperCase()]).filter((x) => !CREDENTIAL_HINT.test(x));
    expect(missed).toEqual([]);
  });

  test.each(['AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'API_TOKEN', 'SIGNING_KEY', 'CI_JOB_TOKEN', 'tokenSecret', 'SSH_PASSPHRASE', 'LDAP_PASSWD'])(
    '%s is a credential-like name', (name) => expect(isCredentialName(name)).toBe(true));

  test.each(['GIT_DEPTH', 'DOCKER_HOST', 'KEYBOARD', 'FF_USE_FASTZIP', 'KUBECONFIG', 'DOCKER_TLS_CERTDIR', 'KEY_ID'])(
    '%s is no credential-like name', (name) => expect(isCredentialName(name)).toBe(false));

  test.each(CANARIES.map((c) => [c.what, c] as const))('%s looks like a credential, alone and inside other text', (_, canary) => {
    expect(looksLikeCredential(canary.value)).toBe(true);
    expect(looksLikeCredential(`x=${canary.value} y`)).toBe(true);
    expect(looksLikeCredential(`MY_${canary.value}`)).toBe(true);
  });

  test.each([
    ['a GitLab token', 'glrt-abcdefgh12345678'], ['a GitLab token', 'gldt-abcdefgh12345678'],
    ['a GitLab runner registration token', 'GR1348941abcdefgh1234'], ['a GitHub token', `ghp_${'a1'.repeat(18)}`],
    ['a JSON web token', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5'],
    ['a password in a URL', 'https://deploy:s3cr3t-canary@registry.example.com/'],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA=='], ['a private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
    ['a private key', '-----begin rsa private key-----\nmiiecanary'],
  ])('%s: %j', (kind, value) => expect(credentialKinds(value)).toEqual([kind]));

  // The library's own text names tokens, Secrets and variables: those are no credentials.
  test.each([
    'runner-token', 'runner-registration-token', '$RUNNER_TOKEN', '${CI_JOB_TOKEN}', 'gitlab-runner-token', 'secret: gitlab-runner-token',
    'a `glrt-` runner authentication token', 'glrt-', 'glrt-short', 'gitlab-runner-glrt', 'calculator-deployer-token',
    'kubernetes.io/service-account-token', '-----BEGIN CERTIFICATE-----', 'https://gitlab.example.com/', 'http://registry-cache.local:5000',
    'printf \'%s\' "$ACR_PASSWORD" | docker login -u "$ACR_USERNAME" --password-stdin', 'AKIA', 'eyJhbGciOiJSUzI1NiJ9',
    'registry.example.com/library/docker:27.3.1', 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  ])('%s is no credential', (text) => expect(credentialKinds(text)).toEqual([]));

  test('a variable reference is only $VAR or ${VAR}', () => {
    expect(['$API_TOKEN', '${API_TOKEN}', '$_x1'].every(isVariableReference)).toBe(true);
    expect(['API_TOKEN', '$API_TOKEN-x', '${API_TOKEN', 'x$API_TOKEN', '$(cat /run/token)', '"$API_TOKEN"', ''].some(isVariableReference)).toBe(false);
  });

  test('redaction keeps the text around a credential and says how long it was', () => {
    expect(redactCredentials(`token ${GLRT.value} here`)).toBe(`token <redacted: ${GLRT.value.length} characters> here`);
    expect(redactCredentials(`key:\n${PRIVATE_KEY.value}\nafter`)).toBe(`key:\n<redacted: ${PRIVATE_KEY.value.length} characters>\nafter`);
    // Of a URL only the password goes.
    expect(redactCredentials('https://deploy:s3cr3t-canary@registry.example.com/')).toBe('https://deploy:<redacted: 13 characters>@registry.example.com/');
    // A cut-off key block is redacted to its end.
    expect(redactCredentials('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIcanary')).not.toContain('MHcCAQEEIcanary');
  });

  test('literal assignments to credential-like variables in scripts, not references or reads of a mounted Secret', () => {
    expect(literalCredentialAssignments('export API_TOKEN=abc123; echo ok')).toEqual(['API_TOKEN']);
    expect(literalCredentialAssignments('DB_PASSWORD="hunter 2" psql')).toEqual(['DB_PASSWORD']);
    expect(literalCredentialAssignments("env SIGNING_KEY='k' make && AWS_SECRET_ACCESS_KEY=x aws s3 ls")).toEqual(['SIGNING_KEY', 'AWS_SECRET_ACCESS_KEY']);
    for (const fine of ['API_TOKEN="$CI_JOB_TOKEN" make', 'export API_TOKEN=${API_TOKEN}', 'TOKEN=$(cat /var/run/secrets/token) curl',
      'DB_PASSWORD= psql', 'DB_PASSWORD="" psql', 'GIT_DEPTH=1 git fetch', 'echo API_TOKEN is set', 'test "$API_TOKEN" = x']) {
      expect({ fine, names: literalCredentialAssignments(fine) }).toEqual({ fine, names: [] });
    }
  });

  test('redactValue hides a string under a credential-like name, but not a name of a variable or a Secret', () => {
    expect(redactValue('hunter2', 'DB_PASSWORD')).toBe('<redacted: 7 characters>');
    expect(redactValue('hunter2', 'pullSecret')).toBe('<redacted: 7 characters>');
    expect(redactValue('hunter2', 'credentials')).toBe('<redacted: 7 characters>');
    expect(redactValue('$DB_PASSWORD', 'DB_PASSWORD')).toBe('$DB_PASSWORD');
    expect(redactValue('ACR_PASSWORD', 'passwordVariable')).toBe('ACR_PASSWORD');
    expect(redactValue('my-token', 'tokenSecretName')).toBe('my-token');
    expect(redactValue({ GIT_DEPTH: '1', DB_PASSWORD: 'hunter2', list: [GLRT.value] }, 'environmnet'))
      .toEqual({ GIT_DEPTH: '1', DB_PASSWORD: '<redacted: 7 characters>', list: [`<redacted: ${GLRT.value.length} characters>`] });
    expect(redactValue(['export API_TOKEN=abc123'], 'preBuildScript')).toEqual(['export API_TOKEN=<redacted: 6 characters>']);
    expect(redactText('curl "https://x/?private_token=abcdef"')).not.toContain('abcdef');
  });

  test('credentialKinds, which tests a cheap superset first, finds what every shape run on its own finds (credentialLines)', () => {
    // Texts built from whole credentials of each shape (also in other letter cases) and their parts,
    // glued to words, blanks and line breaks.
    const whole = ['glrt-abcdefgh12', 'GR1348941abcdefgh', `ghp_${'a1'.repeat(16)}`, `github_pat_${'a1'.repeat(16)}`, 'AKIAABCDEFGHIJKLMNOP',
      '-----BEGIN RSA PRIVATE KEY-----', 'eyJabcdefgh.eyJabcdefgh.abcdefgh', 'https://u:p@h'];
    const part = fc.oneof(
      fc.constantFrom(...whole, ...whole.map((w) => w.toLowerCase()), ...whole.map((w) => w.toUpperCase())),
      fc.constantFrom('gl', 'glrt-', 'glpat-', 'GR1348941', 'ghp_', 'github_pat_', 'AKIA', 'ASIA', '-----BEGIN ', 'RSA ', 'PRIVATE KEY', '-----',
        'eyJ', '.', '://', 'u:', ':', '@', '/', 'abcdefgh', 'ABCDEFGHIJKLMNOP', '_', '-', ' ', '\n', 'x', 'MY_'),
    );
    const text = fc.array(part, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (t) => {
      expect(new Set(credentialKinds(t))).toEqual(new Set(credentialLines(t).map((f) => f.kind)));
    }), { numRuns: 5000 });
    for (const [kind, value] of [['a GitLab token', 'glrt-abcdefgh12345678'], ['a password in a URL', 'https://deploy:s3cr3t@registry.example.com/']]) {
      expect(credentialLines(value).map((f) => f.kind)).toEqual([kind]);
    }
  });

  test('credentialLines gives lines and kinds, never the value', () => {
    const text = ['a: 1', `b: ${GLRT.value}`, 'c: |', ...PRIVATE_KEY.value.split('\n').map((l) => `  ${l}`)].join('\n');
    expect(credentialLines(text)).toEqual([{ line: 2, kind: 'a GitLab token' }, { line: 4, kind: 'a private key' }]);
  });
});

describe('errors and warnings never echo a value that may be a secret', () => {
  test.each([
    ['tokenSecret', PLAIN_SECRET], ['environment.DB_PASSWORD', PLAIN_SECRET], ['environment.API_TOKEN', PLAIN_SECRET],
    ['pullSecret', PLAIN_SECRET], ['cache.credentials', PLAIN_SECRET], ['imagePullSecrets[0]', PLAIN_SECRET],
    ['gitlabUrl', GLRT.value], ['runnerName', GLPAT.value], ['podAnnotations["example.com/key"]', PRIVATE_KEY.value], ['props', AWS_KEY_ID.value],
  ])('ValidationError for %s', (prop, value) => {
    const error = new ValidationError('test/Runner', prop, value, `a valid value, not ${value}`);
    expect(error.message).toMatch(/^test\/Runner: invalid .*: got "<redacted: \d+ characters>"; expected a valid value, not <redacted: \d+ characters>$/);
    expect(leaks([error.message, String(error.value), error.expected, String(error.stack)], value)).toBe(false);
  });

  test('a ValidationError of a name of a variable or a Secret shows it: it is no secret', () => {
    expect(new ValidationError('p', 'registry.passwordVariable', 'ACR PASSWORD', 'a name').message).toContain('"ACR PASSWORD"');
    expect(new ValidationError('p', 'tokenSecretName', 'Gitlab_Runner', 'a name').message).toContain('"Gitlab_Runner"');
    expect(new ValidationError('p', 'tokenSecret.name', 'Gitlab_Runner', 'a name').message).toContain('"Gitlab_Runner"');
    expect(new ValidationError('p', 'environment.API_TOKEN', '$API_TOKEN', 'x').message).toContain('"$API_TOKEN"');
  });

  test('objects and long values are redacted before they are shortened, so that no part of a token survives', () => {
    const value = { misspelled: 'x'.repeat(180), DB_PASSWORD: PLAIN_SECRET, token: GLPAT.value, nested: [{ key: GLRT.value }] };
    const error = new ValidationError('p', 'environmnet', value, 'a known prop');
    for (const secret of [PLAIN_SECRET, GLPAT.core, GLRT.core, GLRT.core.slice(0, 6)]) expect(leaks([error.message], secret)).toBe(false);
    expect(JSON.stringify(error.value)).not.toContain(PLAIN_SECRET);
  });

  test('warnings printed by app.synth() are the redacted ones', () => {
    const out = synthesize((app) => {
      const chart = new Chart(app, 'test');
      runner({ app, chart, appChart: chart }, { limit: 20 });
      addWarning(chart, `a user value: ${GLPAT.value}`);
    });
    expect(out.stderr).toEqual(expect.arrayContaining([expect.stringMatching(/^warning: test\/Runner: limit 20 has no effect/),
      `warning: test: a user value: <redacted: ${GLPAT.value.length} characters>\n`]));
    expect(leaks([...out.stderr, ...out.files.map((f) => f.content)], GLPAT.core)).toBe(false);
  });

  test.each([
    ['RunnerManager tokenSecret', (c: Ctx, v: string) => runner(c, { tokenSecret: v })],
    ['CalculatorApp pullSecret', (c: Ctx, v: string) => new lib.CalculatorApp(c.appChart, 'App', { pullSecret: v as any })],
    ['RunnerCache.s3 credentials', (c: Ctx, v: string) => runner(c, { cache: lib.RunnerCache.s3({ bucketName: 'cache', credentials: v as any }) })],
    ['RunnerCache.azure credentials', (c: Ctx, v: string) => runner(c, { cache: lib.RunnerCache.azure({ containerName: 'cache', credentials: v as any }) })],
    ['RunnerManager imagePullSecrets', (c: Ctx, v: string) => runner(c, { imagePullSecrets: [v] })],
    ['JobVolume.secret', (c: Ctx, v: string) => runner(c, { volumes: [lib.JobVolume.secret(v as any, { mountPath: '/s' })] })],
    ['a misspelled environment prop', (c: Ctx, v: string) => runner(c, { environmnet: { DB_PASSWORD: v } })],
    ['environment as a list', (c: Ctx, v: string) => runner(c, { environment: [`DB_PASSWORD=${v}`] })],
  ])('%s given the secret itself fails without printing it', (_, build) => {
    for (const value of [PLAIN_SECRET, GLRT.value, GLPAT.value]) {
      const result = synthesizeCatching((c) => build(c, value));
      expect(result.error).toBeDefined();
      expect({ value, leaked: leaks(shown(result), value) }).toEqual({ value, leaked: false });
    }
  });
});

describe('RunnerManager environment: no literal credential', () => {
  test.each(['AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'API_TOKEN', 'SIGNING_KEY'])('a literal %s is rejected, saying where it belongs', (name) => {
    const error = errorOf(() => runner(fresh(), { environment: { GIT_DEPTH: '10', [name]: PLAIN_SECRET } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`invalid environment.${name}`);
    for (const part of PARTS_OF_WHERE) expect(error.message).toContain(part);
    expect(error.message).toContain(`"$${name}"`);
    expect(leaks([error.message, String((error as ValidationError).value)], PLAIN_SECRET)).toBe(false);
  });

  test.each(['$API_TOKEN', '${API_TOKEN}', ''])('%p under a credential-like name is allowed and written as it is', (value) => {
    const result = synthesizeCatching((c) => runner(c, { environment: { API_TOKEN: value, DB_PASSWORD: '$DB_PASSWORD' } }));
    expect(result.error).toBeUndefined();
    expect(result.files['test/helm/gitlab-runner-values.yaml']).toContain(`API_TOKEN=${value}`);
  });

  test.each(CANARIES.map((c) => [c.what, c] as const))('%s is rejected under any name', (_, canary) => {
    const error = errorOf(() => runner(fresh(), { environment: { GIT_HELPER_CONFIG: canary.value } }));
    expect(error).toBeInstanceOf(ValidationError);
    for (const part of PARTS_OF_WHERE) expect(error.message).toContain(part);
    expect(leaks([error.message], canary.core)).toBe(false);
  });

  test.each(['preGetSourcesScript', 'postGetSourcesScript', 'preBuildScript', 'postBuildScript'])(
    '%s: a literal assigned to a credential-like variable is rejected; a reference is allowed', (prop) => {
      const error = errorOf(() => runner(fresh(), { [prop]: `export DB_PASSWORD=${PLAIN_SECRET}\necho ready` }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('DB_PASSWORD="$DB_PASSWORD"');
      for (const part of PARTS_OF_WHERE) expect(error.message).toContain(part);
      expect(leaks([error.message], PLAIN_SECRET)).toBe(false);
      const result = synthesizeCatching((c) => runner(c, { [prop]: 'export DB_PASSWORD="$DB_PASSWORD"\nTOKEN=$(cat /secrets/token) ./setup' }));
      expect(result.error).toBeUndefined();
    });
});

describe('names of variables and Secrets stay allowed, and are written as names', () => {
  test('Secret names and CI/CD variable names with credential-like words', () => {
    const result = synthesizeCatching((c) => {
      const r = runner(c, {
        tokenSecret: Secret.fromSecretName(c.chart, 'Tok', 'ci-runner-token'),
        cache: lib.RunnerCache.s3({ bucketName: 'cache', credentials: Secret.fromSecretName(c.chart, 'Keys', 'cache-secret-key') }),
        jobPodPolicy: new lib.JobPodPolicy(c.chart, 'Jobs', {
          securityProfile: lib.JobSecurityProfile.privileged(), imagePullSecrets: [Secret.fromSecretName(c.chart, 'Pull', 'registry-password')],
        }),
        tags: ['kubernetes'],
      });
      new lib.CalculatorPipeline(c.chart, 'Pipeline', {
        app: calculator(c), runner: r, kubeconfigVariable: 'DEPLOY_KUBECONFIG_SECRET',
        registry: { ...APP_REGISTRY, usernameVariable: 'REGISTRY_TOKEN_USER', passwordVariable: 'REGISTRY_PASSWORD' },
        testScript: ['API_TOKEN="$CI_JOB_TOKEN" pytest'],
      });
    });
    expect(result.error).toBeUndefined();
    const values = result.files['test/helm/gitlab-runner-values.yaml'];
    expect(values).toContain('secret: ci-runner-token');
    expect(values).toContain('secretName: cache-secret-key');
    expect(values).toContain('registry-password');
    const ci = result.files['test/pipelines/gitlab-ci.yml'];
    for (const name of ['$REGISTRY_PASSWORD', '$REGISTRY_TOKEN_USER', '$DEPLOY_KUBECONFIG_SECRET', 'API_TOKEN="$CI_JOB_TOKEN"']) expect(ci).toContain(name);
  });

  test('a stack\'s tokenSecretName and pullSecretName', () => {
    const result = synthesizeCatching((c) => new lib.InternalStack(c.app, 'internal', {
      ...STACK(), dns: { nameservers: ['10.0.0.2'] }, tokenSecretName: 'runner-token-secret', sampleApp: { registry: APP_REGISTRY, pullSecretName: 'pull-secret-password' },
    }));
    expect(result.error).toBeUndefined();
    expect(result.files['internal/helm/gitlab-runner-values.yaml']).toContain('secret: runner-token-secret');
    expect(result.files['internal/app/internal-calculator.k8s.yaml']).toContain('name: pull-secret-password');
  });
});

describe('tokenSecretRevision', () => {
  test('becomes an annotation of the manager pod template (podAnnotations), so that helm upgrade rolls the managers', () => {
    const result = synthesizeCatching((c) => runner(c, { tokenSecretRevision: '2026-12-01' }));
    expect(result.error).toBeUndefined();
    expect(result.files['test/helm/gitlab-runner-values.yaml']).toMatch(/^podAnnotations:\n {2}cdk8s-gitlab-runner\/token-revision: "?2026-12-01"?$/m);
  });

  test.each<[string, string]>([...CANARIES.map((c): [string, string] => [c.what, c.value]), ['two lines', '2026-12-01\nx'], ['empty', '']])(
    '%s is rejected without being echoed', (_, value) => {
      const error = errorOf(() => runner(fresh(), { tokenSecretRevision: value }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('invalid tokenSecretRevision');
      if (looksLikeCredential(value)) {
        expect(error.message).toContain('never the token itself');
        expect(leaks([error.message], value)).toBe(false);
      }
    });
});

/**
 * Entry points that take free text, each with a build that puts `value` into one prop. Every
 * canary must be rejected there with a ValidationError that says where a credential belongs.
 */
const FREE_TEXT: readonly (readonly [string, (c: Ctx, value: string) => unknown])[] = [
  ['RunnerManager gitlabUrl', (c, v) => runner(c, { gitlabUrl: `https://gitlab.example.com/${v}/` })],
  ['RunnerManager tokenSecret name', (c, v) => runner(c, { tokenSecret: token(c.chart, v) })],
  ['RunnerManager tokenSecretRevision', (c, v) => runner(c, { tokenSecretRevision: v })],
  ['RunnerManager environment value', (c, v) => runner(c, { environment: { GIT_HELPER_CONFIG: v } })],
  ['RunnerManager environment name', (c, v) => runner(c, { environment: { [v]: 'x' } })],
  ['RunnerManager preGetSourcesScript', (c, v) => runner(c, { preGetSourcesScript: `echo ${v}` })],
  ['RunnerManager postGetSourcesScript', (c, v) => runner(c, { postGetSourcesScript: `echo ${v}` })],
  ['RunnerManager preBuildScript', (c, v) => runner(c, { preBuildScript: `curl -H "Authorization: ${v}" https://x/` })],
  ['RunnerManager postBuildScript', (c, v) => runner(c, { postBuildScript: `echo ${v}` })],
  ['RunnerManager runnerName', (c, v) => runner(c, { runnerName: v })],
  ['RunnerManager releaseName', (c, v) => runner(c, { releaseName: v })],
  ['RunnerManager namespace', (c, v) => runner(c, { namespace: v })],
  ['RunnerManager tags', (c, v) => runner(c, { tags: ['kubernetes', v] })],
  ['RunnerManager imageRegistry', (c, v) => runner(c, { imageRegistry: v })],
  ['RunnerManager imageRepository', (c, v) => runner(c, { imageRepository: v })],
  ['RunnerManager jobImage', (c, v) => runner(c, { jobImage: `registry.example.com/${v}:1.0` })],
  ['RunnerManager imagePullSecrets name', (c, v) => runner(c, { imagePullSecrets: [Secret.fromSecretName(c.chart, 'P', v)] })],
  ['RunnerManager managerNodeSelector', (c, v) => runner(c, { managerNodeSelector: { pool: v } })],
  ['RunnerManager managerTolerations', (c, v) => runner(c, { managerTolerations: [{ key: 'dedicated', value: v, effect: TaintEffect.NO_SCHEDULE }] })],
  ['RunnerManager managerPriorityClassName', (c, v) => runner(c, { managerPriorityClassName: v })],
  ['RunnerManager hostAliases', (c, v) => runner(c, { hostAliases: [{ ip: '10.0.0.5', hostnames: [v] }] })],
  ['RunnerManager jobServiceAccountOverwriteAllowed', (c, v) => runner(c, { jobServiceAccountOverwriteAllowed: `^${v}$` })],
  ['JobPodPolicy podAnnotations', (c, v) => runner(c, { jobPodPolicy: new lib.JobPodPolicy(c.chart, 'J', { podAnnotations: { 'example.com/note': v } }) })],
  ['JobPodPolicy podLabels', (c, v) => runner(c, { jobPodPolicy: new lib.JobPodPolicy(c.chart, 'J', { podLabels: { team: v } }) })],
  ['JobPodPolicy allowedImages', (c, v) => new lib.JobPodPolicy(c.chart, 'J', { allowedImages: [v] })],
  ['JobPodPolicy allowedServices', (c, v) => new lib.JobPodPolicy(c.chart, 'J', { allowedServices: [v] })],
  ['HelperImage.fromRegistry registry', (c, v) => runner(c, { jobPodPolicy: new lib.JobPodPolicy(c.chart, 'J', { helperImage: lib.HelperImage.fromRegistry(v) }) })],
  ['RunnerCache.s3 bucketName', (c, v) => runner(c, { cache: lib.RunnerCache.s3({ bucketName: v }) })],
  ['RunnerCache.s3 path', (c, v) => runner(c, { cache: lib.RunnerCache.s3({ bucketName: 'cache', path: v }) })],
  ['RunnerCache.s3 credentials name', (c, v) => runner(c, { cache: lib.RunnerCache.s3({ bucketName: 'cache', credentials: Secret.fromSecretName(c.chart, 'K', v) }) })],
  ['RunnerCache.gcs bucketName', (c, v) => runner(c, { cache: lib.RunnerCache.gcs({ bucketName: v }) })],
  ['RunnerCache.azure storageDomain', (c, v) => runner(c, { cache: lib.RunnerCache.azure({ containerName: 'c', credentials: Secret.fromSecretName(c.chart, 'K', 'k'), storageDomain: v }) })],
  ['JobVolume.emptyDir name', (c, v) => runner(c, { volumes: [lib.JobVolume.emptyDir(v, { mountPath: '/scratch' })] })],
  ['JobVolume.secret name', (c, v) => runner(c, { volumes: [lib.JobVolume.secret(Secret.fromSecretName(c.chart, 'S', v), { mountPath: '/s' })] })],
  ['JobVolume.secret items', (c, v) => runner(c, { volumes: [lib.JobVolume.secret(Secret.fromSecretName(c.chart, 'S', 'certs'), { mountPath: '/s', items: { 'ca.crt': v } })] })],
  ['JobVolume subPath', (c, v) => runner(c, { volumes: [lib.JobVolume.emptyDir('scratch', { mountPath: '/scratch', subPath: v })] })],
  ['CiNodePool nodeLabels', (c, v) => new lib.CiNodePool(c.chart, 'Pool', { nodeLabels: { pool: v } })],
  ['CiNodePool taints', (c, v) => new lib.CiNodePool(c.chart, 'Pool', { taints: [{ key: 'workload', value: v, effect: TaintEffect.NO_SCHEDULE }] })],
  ['CiNodePool priorityClassName', (c, v) => new lib.CiNodePool(c.chart, 'Pool', { priorityClassName: v })],
  ['CiNodePool prePullImages command', (c, v) => new lib.CiNodePool(c.chart, 'Pool', { prePullImages: [{ image: 'busybox:1.36', command: ['sh', '-c', v] }] })],
  ['CiNodePool requiredNodeAffinity values', (c, v) => new lib.CiNodePool(c.chart, 'Pool', { requiredNodeAffinity: [{ key: 'zone', operator: lib.NodeAffinityOperator.IN, values: [v] }] })],
  ['DnsStrategy.internal searches', (c, v) => runner(c, { dnsStrategy: lib.DnsStrategy.internal({ nameservers: ['10.0.0.2'], searches: [v] }) })],
  ['DnsStrategy.internal options', (c, v) => runner(c, { dnsStrategy: lib.DnsStrategy.internal({ nameservers: ['10.0.0.2'], options: [{ name: 'x-custom', value: v }] }) })],
  ['DnsStrategy clusterDomain', (c, v) => runner(c, { dnsStrategy: lib.DnsStrategy.clusterDefault({ clusterDomain: v }) })],
  ['CalculatorApp timeZone', (c, v) => calculator(c, { timeZone: v })],
  ['CalculatorApp name', (c, v) => calculator(c, { name: v })],
  ['CalculatorApp pullSecret name', (c, v) => new lib.CalculatorApp(c.appChart, 'App', { pullSecret: Secret.fromSecretName(c.appChart, 'P', v) })],
  ['AppImage.fromReference', (c, v) => calculator(c, { image: lib.AppImage.fromReference(`registry.example.com/${v}:1.0`) })],
  ['CalculatorPipeline branch', (c, v) => pipeline(c, { branch: v })],
  ['CalculatorPipeline testScript', (c, v) => pipeline(c, { testScript: [`pytest --token ${v}`] })],
  ['CalculatorPipeline testImage', (c, v) => pipeline(c, { testImage: `${v}:3.9` })],
  ['CalculatorPipeline manifestPath', (c, v) => pipeline(c, { manifestPath: `deploy/${v}.yaml` })],
  ['CalculatorPipeline kubeconfigVariable', (c, v) => pipeline(c, { kubeconfigVariable: v })],
  ['CalculatorPipeline registry.host', (c, v) => pipeline(c, { registry: { ...APP_REGISTRY, host: v } })],
  ['CalculatorPipeline registry.passwordVariable', (c, v) => pipeline(c, { registry: { ...APP_REGISTRY, passwordVariable: v } })],
  ['ImageBuilder.dockerInDocker registryMirror', (c, v) => pipeline(c, { builder: lib.ImageBuilder.dockerInDocker({ registryMirror: `https://mirror.example.com/${v}` }) })],
  ['ImageBuilder.dockerInDocker insecureRegistries', (c, v) => pipeline(c, { builder: lib.ImageBuilder.dockerInDocker({ insecureRegistries: [v] }) })],
  ['RunnerSmokeTest registries', (c, v) => new lib.RunnerSmokeTest(c.chart, 'Smoke', { runner: runner(c), registries: [v] })],
  ['RunnerSmokeTest registryMirror', (c, v) => new lib.RunnerSmokeTest(c.chart, 'Smoke', { runner: runner(c), registryMirror: `http://${v}:5000` })],
  ['RunnerNetworkPolicies monitoringNamespace', (c, v) => new lib.RunnerNetworkPolicies(c.chart, 'Net', {
    runner: runner(c), kubernetesApi: lib.NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true, monitoringNamespace: v,
  })],
  ['NetworkEndpoint.host', (c, v) => new lib.RunnerNetworkPolicies(c.chart, 'Net', {
    runner: runner(c), kubernetesApi: lib.NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true, cache: lib.NetworkEndpoint.host(v, [443]),
  })],
  ['NetworkEndpoint.fromUrl', (c, v) => new lib.RunnerNetworkPolicies(c.chart, 'Net', {
    runner: runner(c), kubernetesApi: lib.NetworkEndpoint.fromUrl(`https://${v}:6443/`), internetEgress: true,
  })],
  ['EnvironmentReport hosts', (c, v) => new lib.EnvironmentReport(c.chart, 'Report', { runner: runner(c), hosts: [v] })],
  ['RunnerMonitoring labels', (c, v) => new lib.RunnerMonitoring(c.chart, 'Monitoring', { runner: runner(c), labels: { team: v } })],
  ['InternalStack labels', (c, v) => new lib.InternalStack(c.app, 'internal', { ...STACK(), dns: { nameservers: ['10.0.0.2'] }, labels: { team: v } })],
  ['InternalStack tokenSecretName', (c, v) => new lib.InternalStack(c.app, 'internal', { ...STACK(), dns: { nameservers: ['10.0.0.2'] }, tokenSecretName: v })],
  ['PublicStack pullSecretName', (c, v) => new lib.PublicStack(c.app, 'public', { upstreams: SEED_UPSTREAMS, ...STACK(), sampleApp: { registry: APP_REGISTRY, pullSecretName: v } })],
  ['HybridStack clusterName', (c, v) => new lib.HybridStack(c.app, 'hybrid', { ...STACK(), dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' }, serviceCidr: '10.96.0.0/12', clusterName: v })],
  ['PublicStack imageMirror', (c, v) => new lib.PublicStack(c.app, 'public', { upstreams: SEED_UPSTREAMS, ...STACK(), imageMirror: v })],
];

describe('every entry point that takes free text rejects a credential-looking value, saying where it belongs', () => {
  test.each(FREE_TEXT.flatMap(([name, build]) => CANARIES.map((canary) => [name, canary.what, build, canary] as const)))(
    '%s: %s', (_name, _what, build, canary) => {
      const result = synthesizeCatching((c) => build(c, canary.value));
      expect(result.error).toBeInstanceOf(ValidationError);
      // Rejected by the prop check, before synthesis: nothing was written.
      expect(Object.keys(result.files)).toEqual([]);
      for (const part of PARTS_OF_WHERE) expect(result.error!.message).toContain(part);
      expect(leaks(shown(result), canary.core)).toBe(false);
    });
});

describe('the net: no file and no manifest with a credential is written', () => {
  /** A construct that writes its own file, as a user's construct may. */
  function fileWith(c: Ctx, content: string): Construct {
    const owner = new Construct(c.chart, 'Owner');
    FileRegistry.of(owner).add(owner, GeneratedFileKind.REPORT, { fileModel: () => ({ markdown: [{ paragraph: content.replace(/\n$/, '') }] }) });
    return owner;
  }

  test.each(CANARIES.map((c) => [c.what, c] as const))('synthFiles() refuses a file with %s, naming owner, file, line and kind', (_, canary) => {
    const c = fresh();
    fileWith(c, `# Report\n\nNothing secret here.\nBut this: ${canary.value}\n`);
    const error = errorOf(() => synthFiles(c.app));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('test/Owner: invalid output file test/reports/report.md, line 4');
    expect(error.message).toContain(`(${credentialKinds(canary.value).join(', ')})`);
    for (const part of PARTS_OF_WHERE) expect(error.message).toContain(part);
    expect(leaks([error.message], canary.core)).toBe(false);
  });

  test('writeFiles() then writes none of the files, manifests included', () => {
    const result = synthesizeCatching((c) => {
      runner(c);
      fileWith(c, `token: ${GLRT.value}\n`);
    });
    expect(result.error).toBeInstanceOf(ValidationError);
    expect(Object.keys(result.files).filter((f) => !f.endsWith('.k8s.yaml'))).toEqual([]);
    expect(Object.keys(result.files)).toEqual([]);
    expect(leaks(shown(result), GLRT.core)).toBe(false);
  });

  test('the library\'s own words for tokens, Secrets and variables pass', () => {
    const c = fresh();
    fileWith(c, ['runner-token and runner-registration-token keys', 'secret: gitlab-runner-token', 'export KUBECONFIG="$ACK_KUBECONFIG"',
      'a `glrt-` runner authentication token', '"$RUNNER_TOKEN" ${CI_JOB_TOKEN}', '-----BEGIN CERTIFICATE-----'].join('\n'));
    expect(synthFiles(c.app).map((f) => f.path)).toEqual(['test/reports/report.md']);
  });

  test.each(CANARIES.map((c) => [c.what, c] as const))('a user\'s own object with %s fails the synthesis before any manifest is written', (_, canary) => {
    const result = synthesizeCatching((c) => {
      runner(c);
      new k8s.KubeConfigMap(c.chart, 'Leaky', { metadata: { name: 'leaky' }, data: { token: canary.value } });
    });
    expect(result.error?.message).toContain('test/Leaky: invalid data.token');
    expect(result.error?.message).toContain('no credential in a manifest (ConfigMap leaky)');
    for (const part of PARTS_OF_WHERE) expect(result.error!.message).toContain(part);
    expect(Object.keys(result.files)).toEqual([]);
    expect(leaks(shown(result), canary.core)).toBe(false);
  });

  test('an app with only a CalculatorApp or a CiNodePool is scanned too, and keys are scanned', () => {
    for (const build of [(c: Ctx) => calculator(c), (c: Ctx) => new lib.CiNodePool(c.chart, 'Pool')]) {
      const result = synthesizeCatching((c) => {
        build(c);
        new k8s.KubeConfigMap(c.chart, 'Leaky', { metadata: { name: 'leaky', annotations: { [GLRT.value]: 'x' } } });
      });
      expect(result.error?.message).toContain('test/Leaky: invalid metadata.annotations.<key>');
      expect(leaks(shown(result), GLRT.core)).toBe(false);
    }
  });

  test('the seeds\' environments pass the net', () => {
    const result = synthesizeCatching((c) => require('../../apps/environments').buildEnvironments(c.app));
    expect(result.error).toBeUndefined();
    expect(Object.keys(result.files).length).toBeGreaterThan(10);
  });
});

// The property: every public entry point, every string its sample call passes, every canary.
const { entryPoints } = generatePropsKeys();
const exported = lib as unknown as { [name: string]: any };
const NOT_INPUT = ['ValidationError', 'ValidationErrors'];
const inputEntryPoints = entryPoints.filter((e) => typeof exported[e.className] === 'function' && !NOT_INPUT.includes(e.className)
  && !(e.className === 'EnvironmentStack' && e.kind === 'constructor'));
const key = (e: EntryPoint) => `${e.className}.${e.name}`;

/** A valid call of each entry point, with the strings it takes filled in. */
const SAMPLES: { [entry: string]: (c: Ctx) => unknown[] } = {
  'RunnerManager.constructor': (c) => [c.chart, 'Runner', {
    gitlabUrl: GITLAB, tokenSecret: token(c.chart), tokenSecretRevision: '2026-12-01', runnerName: 'ci', releaseName: 'gitlab-runner',
    namespace: 'ci', jobNamespace: 'ci-jobs', imageRegistry: 'registry.example.com', imageRepository: 'gitlab/gitlab-runner',
    tags: ['kubernetes'], environment: { GIT_DEPTH: '10', API_TOKEN: '$API_TOKEN' },
    preGetSourcesScript: 'echo pre-get', postGetSourcesScript: 'echo post-get', preBuildScript: 'echo pre', postBuildScript: 'echo post',
    managerNodeSelector: { pool: 'system' }, managerTolerations: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }],
    managerPriorityClassName: 'system-ci', featureFlags: { FF_USE_FASTZIP: true },
  }],
  'JobSecurityProfile.privileged': () => [],
  'JobSecurityProfile.rootBuilder': () => [],
  'JobSecurityProfile.nonRoot': () => [{ runAsUser: 1000 }],
  'JobPodPolicy.small': (c) => [c.chart, 'Small', { allowedImages: ['alpine:*'], podLabels: { team: 'ci' } }],
  'JobPodPolicy.large': (c) => [c.chart, 'Large', { allowedServices: ['docker:*'], podAnnotations: { 'example.com/note': 'ci' } }],
  'JobPodPolicy.constructor': (c) => [c.chart, 'Jobs', {
    buildResources: { cpu: { limit: Cpu.units(1) } }, allowedImages: ['alpine:*'], allowedServices: ['docker:*'],
    podLabels: { team: 'ci' }, podAnnotations: { 'example.com/note': 'ci' }, jobImage: 'alpine:3.22',
    hostAliases: [{ ip: '10.0.0.5', hostnames: ['registry.internal'] }], jobServiceAccountOverwriteAllowed: '^ci-.*$',
  }],
  'RunnerNamespaces.constructor': (c) => [c.chart, 'Namespaces', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: lib.PodSecurityLevel.BASELINE }],
  'RunnerNamespaces.applyBefore': (c) => [new lib.JobPodPolicy(c.chart, 'Dependent'), 'ci-jobs'],
  'JobPodPolicy.helperImageFor': () => ['18.3.0'],
  'DnsStrategy.internal': () => [{ nameservers: ['10.0.0.2'], searches: ['corp.example.com'], options: [{ name: 'ndots', value: '2' }], clusterDomain: 'cluster.local' }],
  'DnsStrategy.publicCloud': () => [{ upstreams: ['8.8.8.8'], clusterDomain: 'cluster.local' }],
  'DnsStrategy.hybrid': () => [{ ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10', options: [{ name: 'timeout', value: '2' }], searches: ['corp.example.com'] }],
  'DnsStrategy.clusterDefault': () => [{ clusterDomain: 'cluster.local' }],
  'DnsStrategy.resolvConf': () => ['gitlab-runner-jobs'],
  'DnsStrategy.addCoreDnsConfigMap': (c) => [c.chart, 'CoreDns'],
  'DnsStrategy.lookupCost': () => ['registry.example.com', { resolver: 'musl', namespace: 'ci-jobs' }],
  'CiNodePool.constructor': (c) => [c.chart, 'Pool', {
    nodeLabels: { workload: 'ci' }, taints: [{ key: 'workload', value: 'ci', effect: TaintEffect.NO_SCHEDULE }],
    prePullImages: [{ image: 'busybox:1.36', command: ['/bin/true'] }], priorityClassName: 'high-priority-ci', namespace: 'ci-jobs',
    pauseImage: 'registry.k8s.io/pause:3.9', requiredNodeAffinity: [{ key: 'zone', operator: lib.NodeAffinityOperator.IN, values: ['a'] }],
    preferredNodeAffinity: [{ weight: 10, requirements: [{ key: 'disk', operator: lib.NodeAffinityOperator.IN, values: ['ssd'] }] }],
  }],
  'CiNodePool.addPrePullImage': () => [{ image: 'alpine:3.22', command: ['/bin/true'] }],
  'CiNodePool.capacity': (c) => [new lib.JobPodPolicy(c.chart, 'CapacityJobs')],
  'AppImage.fromReference': () => ['registry.example.com/app:1.0'],
  'AppImage.fromVariable': () => ['DOCKER_IMAGE'],
  'CalculatorApp.constructor': (c) => [c.appChart, 'App', {
    pullSecret: Secret.fromSecretName(c.appChart, 'Pull', 'acr-secret'), name: 'calculator', namespace: 'calculator', timeZone: 'Asia/Shanghai',
  }],
  'ImageBuilder.dockerInDocker': () => [{
    registryMirror: 'https://mirror.example.com/', dockerImage: 'docker:27.3.1', dindImage: 'docker:27.3.1-dind', insecureRegistries: ['registry.local:5000'],
  }],
  'ImageBuilder.kaniko': () => [{ image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', insecureRegistries: ['registry.local:5000'] }],
  'CalculatorPipeline.constructor': (c) => [c.chart, 'Pipeline', {
    app: calculator(c), runner: privilegedRunner(c), registry: { ...APP_REGISTRY }, branch: 'main', testImage: 'python:3.9-slim',
    testScript: ['pytest tests/'], kubectlImage: 'alpine/k8s:1.28.15', kubeconfigVariable: 'ACK_KUBECONFIG', manifestPath: 'deploy/app.yaml',
  }],
  'NetworkEndpoint.cidr': () => ['10.0.0.0/16', [443]],
  'NetworkEndpoint.ip': () => ['10.0.0.1', [443]],
  'NetworkEndpoint.host': () => ['registry.example.com', [443]],
  'NetworkEndpoint.fromUrl': () => ['https://gitlab.example.com/'],
  'RunnerNetworkPolicies.constructor': (c) => [c.chart, 'Net', {
    runner: runner(c), kubernetesApi: lib.NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true, monitoringNamespace: 'monitoring',
    registries: [lib.NetworkEndpoint.host('registry.example.com', [443])],
  }],
  'EnvironmentReport.constructor': (c) => [c.chart, 'Report', { runner: runner(c), hosts: ['gitlab.example.com'] }],
  'RunnerMonitoring.constructor': (c) => [c.chart, 'Monitoring', { runner: runner(c), labels: { release: 'prometheus' } }],
  'RunnerSmokeTest.constructor': (c) => [c.chart, 'Smoke', {
    runner: privilegedRunner(c), registries: ['registry.example.com'], registryMirror: 'http://registry-cache.local:5000', jobImage: 'busybox:1.36',
    dockerImage: 'docker:27.3.1', dindImage: 'docker:27.3.1-dind', testImage: 'alpine:3.22', insecureRegistries: ['registry.local:5000'],
  }],
  'InternalStack.constructor': (c) => [c.app, 'internal', { ...STACK(), dns: { nameservers: ['10.0.0.2'], searches: ['corp.example.com'] } }],
  'PublicStack.constructor': (c) => [c.app, 'public', { ...STACK(), upstreams: ['8.8.8.8'], imageMirror: 'registry.example.com' }],
  'HybridStack.constructor': (c) => [c.app, 'hybrid', { ...STACK(), dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' }, serviceCidr: '10.96.0.0/12' }],
  'HelperImage.official': () => [{ flavor: 'ubuntu' }],
  'ManifestFolder.custom': () => ['operators'],
  'Output.placeManifests': (c) => [c.chart, { environment: 'ci', folder: lib.ManifestFolder.APP }],
  'Output.synthFiles': (c) => [c.app],
  'Output.warnings': (c) => [c.app],
  'Output.writeFiles': (c) => [c.app, require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'write-files-'))],
  'HelperImage.fromRegistry': () => ['registry.example.com', { repository: 'gitlab/helper' }],
  'RunnerCache.s3': () => [{
    bucketName: 'cache', path: 'runners', serverAddress: 'minio.example.com:9000', bucketLocation: 'eu-west-1',
    serverSideEncryption: 'KMS', serverSideEncryptionKeyId: 'alias/runner-cache',
  }],
  'RunnerCache.gcs': () => [{ bucketName: 'cache', path: 'runners' }],
  'RunnerCache.azure': (c) => [{ containerName: 'cache', credentials: Secret.fromSecretName(c.chart, 'Azure', 'azure-keys'), storageDomain: 'blob.core.windows.net' }],
  'JobVolume.emptyDir': () => ['scratch', { mountPath: '/scratch', subPath: 'a' }],
  'JobVolume.secret': (c) => [Secret.fromSecretName(c.chart, 'VolSecret', 'certs'), { mountPath: '/certs', items: { 'ca.crt': 'ca.pem' } }],
  'JobVolume.configMap': (c) => [ConfigMap.fromConfigMapName(c.chart, 'VolCm', 'conf'), { mountPath: '/conf', items: { a: 'b' } }],
  'JobVolume.pvc': (c) => [PersistentVolumeClaim.fromClaimName(c.chart, 'VolPvc', 'data'), { mountPath: '/data', subPath: 'x' }],
  'JobVolume.hostPath': () => ['docker-sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock' }],
};

/** A valid receiver for each class's public methods. */
const RECEIVERS: { [className: string]: (c: Ctx) => any } = {
  JobPodPolicy: (c) => new lib.JobPodPolicy(c.chart, 'Receiver'),
  DnsStrategy: () => lib.DnsStrategy.publicCloud({ upstreams: SEED_UPSTREAMS }),
  CiNodePool: (c) => new lib.CiNodePool(c.chart, 'Receiver', { prePull: true }),
  RunnerNamespaces: (c) => new lib.RunnerNamespaces(c.chart, 'Receiver', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: lib.PodSecurityLevel.BASELINE }),
};

/** Uses what a factory returned the way the library does, so that it reaches the output. */
function consume(c: Ctx, value: unknown): void {
  if (value instanceof lib.DnsStrategy) {
    runner(c, { dnsStrategy: value });
    if (value.kind === lib.DnsStrategyKind.PUBLIC_CLOUD) value.addCoreDnsConfigMap(c.chart, 'CoreDnsUse');
  } else if (value instanceof lib.RunnerCache) {
    runner(c, { cache: value });
  } else if (value instanceof lib.JobVolume) {
    runner(c, { volumes: [value], allowHostPathVolumes: value.isHostPath });
  } else if (value instanceof lib.HelperImage || value instanceof lib.JobSecurityProfile) {
    runner(c, { jobPodPolicy: new lib.JobPodPolicy(c.chart, 'UseJobs', { [value instanceof lib.HelperImage ? 'helperImage' : 'securityProfile']: value }) });
  } else if (value instanceof lib.AppImage) {
    calculator(c, { image: value });
  } else if (value instanceof lib.ImageBuilder) {
    new lib.CalculatorPipeline(c.chart, 'UsePipeline', {
      app: calculator(c), runner: value.needsPrivileged ? privilegedRunner(c) : runner(c), registry: APP_REGISTRY, builder: value,
    });
  } else if (value instanceof lib.NetworkEndpoint) {
    new lib.RunnerNetworkPolicies(c.chart, 'UseNet', { runner: runner(c), kubernetesApi: value, internetEgress: true, internetPorts: [443, 6443] });
  } else if (value instanceof lib.JobPodPolicy) {
    runner(c, { jobPodPolicy: value });
  } else if (value instanceof lib.CiNodePool) {
    runner(c, { nodePool: value, jobNamespace: value.namespace });
  }
}

function call(c: Ctx, entry: EntryPoint, args: unknown[]): void {
  const cls = exported[entry.className];
  let result: unknown;
  if (entry.kind === 'constructor') result = new cls(...args);
  else if (entry.kind === 'static') result = cls[entry.name](...args);
  else {
    const receiver = RECEIVERS[entry.className](c);
    result = receiver[entry.name](...args);
    // A method that changes its receiver (addPrePullImage) shows it through the receiver.
    consume(c, receiver);
  }
  consume(c, result);
}

const isPlainObject = (v: unknown): v is { [key: string]: unknown } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Paths of every string in `value` that a user wrote: in plain objects and arrays, keys included (`{ key: … }`). */
function stringPaths(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; key?: true }[] {
  if (typeof value === 'string') return [{ path: at }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [{ path: [...at, k], key: true as const }, ...stringPaths(v, [...at, k])]);
}

/** `value` with the string (or the key) at `where` replaced by `replacement`. */
function replaceAt(value: any, where: { path: (string | number)[]; key?: true }, replacement: string): any {
  const [head, ...rest] = where.path;
  if (where.path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  if (rest.length === 0 && where.key) {
    const entries = Object.entries(copy).map(([k, v]) => [k === head ? replacement : k, v]);
    return Object.fromEntries(entries);
  }
  copy[head] = replaceAt(value[head], { ...where, path: rest }, replacement);
  return copy;
}

/** Parameters a user writes strings into: not a construct's scope or id. */
const userParams = (entry: EntryPoint) => entry.params.map((p, i) => ({ ...p, index: i })).filter((p) => p.name !== 'scope' && p.name !== 'id');

describe('property: whatever string becomes a secret, neither an error nor a warning nor a file shows it', () => {
  test('every input entry point has a sample call with its strings', () => {
    const names = inputEntryPoints.map(key);
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => !SAMPLES[n]).map((n) => `${n}: add a sample call to SAMPLES`)).toEqual([]);
    expect(inputEntryPoints.filter((e) => e.kind === 'method' && !RECEIVERS[e.className]).map(key)).toEqual([]);
    for (const entry of inputEntryPoints) {
      const result = synthesizeCatching((c) => call(c, entry, SAMPLES[key(entry)](c)));
      expect({ entry: key(entry), error: result.error?.message }).toEqual({ entry: key(entry), error: undefined });
    }
  }, 120_000);

  test.each(inputEntryPoints.map((e) => [key(e), e] as const))('%s', (_, entry) => {
    const sample = SAMPLES[key(entry)];
    const problems: string[] = [];
    let cases = 0;
    for (const param of userParams(entry)) {
      for (const where of stringPaths(sample(fresh())[param.index])) {
        for (const canary of CANARIES) {
          cases++;
          const result = synthesizeCatching((c) => {
            const args = [...sample(c)];
            args[param.index] = replaceAt(args[param.index], where, canary.value);
            call(c, entry, args);
          }, { inMemory: true });
          const at = `${param.name}${where.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}${where.key ? ' (key)' : ''}`;
          if (leaks(shown(result), canary.core)) problems.push(`${at} = ${canary.what}: leaked`);
          // Only the net stopped it: the entry point lacks its prop check (PropChecker.noCredential).
          if (result.error && (Object.keys(result.files).length > 0 || /^Validation failed|invalid output file/.test(result.error.message))) {
            problems.push(`${at} = ${canary.what}: not rejected by a prop check, only at synthesis: ${redactText(result.error.message).slice(0, 300)}`);
          }
          if (result.error && !(result.error instanceof ValidationError) && !/^Validation failed/.test(result.error.message)) {
            problems.push(`${at} = ${canary.what}: failed with ${result.error.name}, not a ValidationError: ${redactText(result.error.message)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // Entry points without strings (privileged(), capacity()) have nothing to replace.
    expect(cases).toBeGreaterThanOrEqual(0);
  }, 300_000);
});
