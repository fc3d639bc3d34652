// apps/main.ts through apps/cli.ts: bad input (a ValidationError, or cdk8s's "Validation failed" for
// the checks added with node.addValidation) is printed without a stack trace and exits 1; a bug keeps
// its trace. test/e2e/cdk8s-cli.e2e.ts runs the app through the cdk8s CLI too.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { userErrorText } from '../../apps/cli';
import { ValidationError } from '../../lib';

const REPO = path.join(__dirname, '..', '..');

describe('userErrorText', () => {
  test('a ValidationError: its message', () => {
    expect(userErrorText(new ValidationError('ci/Runner', 'replicas', 0, 'at least 1')))
      .toBe('error: ci/Runner: invalid replicas: got 0; expected at least 1');
  });

  test('cdk8s\'s validation failure: one line per problem, the root\'s empty path dropped', () => {
    const error = new Error('Validation failed with the following errors:\n  [] ci/Two: invalid releaseName: got "x"; expected y\n'
      + '  [ci/App] the app needs "privileged"');
    expect(userErrorText(error)).toBe('error: ci/Two: invalid releaseName: got "x"; expected y\nerror: [ci/App] the app needs "privileged"');
  });

  test('cdk8s\'s validation failure: a message that names its construct path is not prefixed with it again', () => {
    const error = new Error('Validation failed with the following errors:\n  [a/Runner] a/Runner: invalid concurrent: got 30; expected 6\n'
      + '  [a/Runner] a/Runnerx: something');
    expect(userErrorText(error)).toBe('error: a/Runner: invalid concurrent: got 30; expected 6\nerror: [a/Runner] a/Runnerx: something');
  });

  test.each([
    ['a TypeError', new TypeError('Cannot read properties of undefined')],
    ['another Error', new Error('validation failed somewhere')],
    ['a thrown string', 'Validation failed with the following errors:'],
  ])('%s is a bug: undefined, so that it is rethrown', (_what, error) => {
    expect(userErrorText(error)).toBeUndefined();
  });
});

describe('synthOrExit, run as a program', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` (the body of synthOrExit's build function, given `app`) as apps/main.ts runs. */
  function run(name: string, body: string): { status: number | null; stderr: string } {
    const file = path.join(dir, `${name}.ts`);
    fs.writeFileSync(file, [
      'import { Chart } from \'cdk8s\';',
      'import { Secret } from \'cdk8s-plus-28\';',
      `import { synthOrExit } from ${JSON.stringify(path.join(REPO, 'apps', 'cli'))};`,
      `import { RunnerManager } from ${JSON.stringify(path.join(REPO, 'lib'))};`,
      'const runner = (chart: Chart, id: string, extra: object = {}) => new RunnerManager(chart, id, {',
      '  gitlabUrl: \'https://gitlab.example.com/\', tokenSecret: Secret.fromSecretName(chart, `${id}Token`, \'t\'), ...extra });',
      `synthOrExit((app) => { ${body} });`,
    ].join('\n'));
    const result = spawnSync(process.execPath, [path.join(REPO, 'apps', 'run-ts.js'), file], {
      cwd: dir, encoding: 'utf8',
      env: { ...process.env, CDK8S_OUTDIR: path.join(dir, `${name}-dist`), NODE_PATH: path.join(REPO, 'node_modules') },
    });
    return { status: result.status, stderr: result.stderr };
  }

  test('a collision found by a validation: every problem, no stack trace, exit 1', () => {
    const { status, stderr } = run('collision', 'const chart = new Chart(app, \'ci\'); runner(chart, \'One\'); runner(chart, \'Two\'); runner(chart, \'Three\');');
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: ci\/Two: invalid releaseName: got "gitlab-runner"; expected .*ci\/One also installs/),
      expect.stringMatching(/^error: ci\/Three: invalid releaseName: got "gitlab-runner"; expected .*ci\/One also installs/),
    ]);
  }, 60_000);

  test('bad input in a constructor: the message, no stack trace, exit 1', () => {
    const { status, stderr } = run('bad-prop', 'runner(new Chart(app, \'ci\'), \'Runner\', { replicas: 0 });');
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(/^error: ci\/Runner: invalid replicas: got 0; expected [^\n]*$/);
  }, 60_000);

  test('a bug keeps its stack trace, at its TypeScript line', () => {
    const { status, stderr } = run('bug', 'const chart = new Chart(app, \'ci\'); (chart as any).missing.property = 1;');
    expect(status).not.toBe(0);
    expect(stderr).toContain('TypeError');
    expect(stderr).toMatch(/\n\s+at /);
    // Line 7 of bug.ts is the body; its transpiled line differs.
    expect(stderr).toMatch(/\n\s+at .*bug\.ts:7:\d+\)?\n/);
  }, 60_000);

  test('apps/main.ts synthesizes the seed environments into an emptied output directory', () => {
    const outdir = path.join(dir, 'main-dist');
    // A file of an earlier synth (an environment since removed) must not survive.
    fs.mkdirSync(path.join(outdir, 'removed-env'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'removed-env', 'old.k8s.yaml'), 'kind: Stale\n');
    const { status, stderr } = spawnSync(process.execPath, [path.join(REPO, 'apps', 'run-ts.js'), path.join(REPO, 'apps', 'main.ts')], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir },
    });
    expect(stderr).not.toMatch(/^error:/m);
    expect(status).toBe(0);
    expect(fs.readdirSync(outdir).sort()).toEqual(['hybrid', 'internal', 'public']);
    expect(fs.readdirSync(path.join(outdir, 'internal', 'platform')).sort()).toEqual(['00-namespaces.k8s.yaml', 'internal.k8s.yaml']);
  }, 60_000);
});
