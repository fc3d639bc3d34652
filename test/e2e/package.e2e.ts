// The library as its users get it: `npm pack` (prepack builds), install the tarball into a fresh
// cdk8s app beside the pinned peer dependencies, type-check that app against the published
// declarations, run it, and read what `app.synth()` wrote. Nothing is written into the repository
// except the gitignored `build/` of prepack; the tarball and the app live in a temp directory.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as TOML from '@iarna/toml';
import { Yaml } from 'cdk8s';
import { filesUnder } from '../util/output';

const REPO = path.resolve(__dirname, '..', '..');
const TIMEOUT = 240_000;
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'] as const;

type Json = { [key: string]: any };

/** The consumer's app, as in the usage example: a plain `new App()` ... `writeFiles(app)`. */
const MAIN_TS = `import { App, Chart } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerManager, writeFiles } from 'cdk8s-gitlab-runner';

const app = new App();
const chart = new Chart(app, 'ci');
const tokenSecret = Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token');
const runner: RunnerManager = new RunnerManager(chart, 'Runner', {
  gitlabUrl: 'https://gitlab.example.com/',
  tokenSecret,
});
const url: string = runner.gitlabUrl;
writeFiles(app);
void url;

// Never called. With an untyped (\`any\`) package the directive below would be unused, which tsc
// reports as an error: so this proves the package's own declarations are what tsc checks against.
export function typeProbe(): void {
  // @ts-expect-error gitlabUrl is a string
  new RunnerManager(chart, 'Probe', { gitlabUrl: 42, tokenSecret });
}
`;

/**
 * An app on cdk8s-plus-33 (what \`cdk8s init\` installs today): it passes plus-33's Secret,
 * ServiceAccount, Cpu and ContainerResources where the API takes cdk8s-plus-28's types, which are
 * structurally the same in TypeScript.
 */
const MAIN_PLUS_33_TS = `import { App, Chart, Size } from 'cdk8s';
import { Cpu, Secret, ServiceAccount } from 'cdk8s-plus-33';
import { JobPodPolicy, RunnerManager, writeFiles } from 'cdk8s-gitlab-runner';

const app = new App();
const chart = new Chart(app, 'ci');
const jobPodPolicy = new JobPodPolicy(chart, 'Jobs', {
  buildResources: { cpu: { limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(2) } },
  imagePullSecrets: [Secret.fromSecretName(chart, 'Pull', 'registry-pull')],
  jobServiceAccount: ServiceAccount.fromServiceAccountName(chart, 'Sa', 'ci-jobs'),
});
new RunnerManager(chart, 'Runner', {
  gitlabUrl: 'https://gitlab.example.com/',
  tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
  jobPodPolicy,
});
writeFiles(app);
`;

/** The consumer's compiler settings: strict, CommonJS, full lib check, and no @types/node. */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: 'commonjs',
    target: 'ES2020',
    lib: ['ES2020'],
    esModuleInterop: false,
    skipLibCheck: false,
    types: [],
    noEmitOnError: true,
    outDir: 'out',
  },
  files: ['main.ts'],
};

// npm config reaching us from a parent `npm test` (npm_config_*, plus npm_package_*, npm_lifecycle_*
// and friends) could redirect the child npm: --dry-run, --global, --prefix, --workspace,
// --ignore-scripts, --omit, --legacy-peer-deps ... Keep only what says where and how to reach the
// registry and the cache, so an offline or mirrored setup still works.
const KEPT_NPM_CONFIG = new Set([
  'registry', 'cache', 'userconfig', 'globalconfig', 'cafile', 'ca', 'cert', 'key', 'strict_ssl',
  'proxy', 'https_proxy', 'http_proxy', 'noproxy', 'offline', 'prefer_offline', 'prefer_online',
]);

function childEnv(extra: { [key: string]: string } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_config_')) {
      const name = lower.slice('npm_config_'.length).replace(/-/g, '_');
      const keep = KEPT_NPM_CONFIG.has(name) || name.endsWith(':registry') || name.includes('_auth');
      if (!keep) continue;
    } else if (lower.startsWith('npm_') || lower === 'init_cwd' || lower === 'cdk8s_outdir') {
      continue;
    }
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
}

/** Runs a command; on failure throws with its exit status, stdout and stderr. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { status?: number | null; signal?: string | null; stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed `
      + `(status ${err.status ?? '-'}, signal ${err.signal ?? '-'}): ${err.message}\n`
      + `--- stdout ---\n${err.stdout ?? ''}\n--- stderr ---\n${err.stderr ?? ''}`);
  }
}

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Every file under `dir`, relative to it, with `/` separators. */
function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(path.join(dir, entry.name), rel) : [rel];
  });
}

/** Where packages called `name` are installed under `nodeModules`, as paths relative to it. */
function installedCopies(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const visitPackage = (dir: string, pkg: string, rel: string): void => {
    if (pkg === name) found.push(rel);
    const nested = path.join(dir, 'node_modules');
    if (fs.existsSync(nested)) visitNodeModules(nested, `${rel}/node_modules`);
  };
  const visitNodeModules = (dir: string, rel: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@')) {
        for (const scoped of fs.readdirSync(path.join(dir, entry.name))) {
          const pkg = `${entry.name}/${scoped}`;
          visitPackage(path.join(dir, entry.name, scoped), pkg, rel ? `${rel}/${pkg}` : pkg);
        }
      } else {
        visitPackage(path.join(dir, entry.name), entry.name, rel ? `${rel}/${entry.name}` : entry.name);
      }
    }
  };
  visitNodeModules(nodeModules, '');
  return found.sort();
}

/** Fails a test whose earlier step failed with a pointer to that step, not a confusing symptom. */
function needs<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`skipped: the earlier step "${step}" did not complete`);
  return value;
}

describe('the packed library', () => {
  const repoPackage = readJson(path.join(REPO, 'package.json'));
  let tmp: string;
  let tarball: string | undefined;
  let entries: string[] | undefined;
  let appDir: string | undefined;
  let compiled: string | undefined;
  let outdir: string | undefined;

  beforeAll(() => {
    // realpath: tsc and require.resolve report real paths (macOS's /var is /private/var)
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitlab-runner-package-')));
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('npm pack builds a tarball', () => {
    // GIVEN the repository and an empty pack destination outside it
    const packDir = path.join(tmp, 'pack');
    fs.mkdirSync(packDir);

    // WHEN packing (prepack runs the build); --ignore-scripts=false so a user npmrc cannot skip it
    const stdout = run('npm', ['pack', '--json', '--ignore-scripts=false', '--pack-destination', packDir], REPO);

    // THEN npm reports one tarball, and it is where npm says
    // (the JSON report starts at the first line opening with `[`; anything a script printed precedes it)
    const start = stdout.search(/^\[/m);
    expect(start).toBeGreaterThanOrEqual(0);
    const report = JSON.parse(stdout.slice(start)) as Json[];
    expect(report).toHaveLength(1);
    expect(report[0].name).toBe(repoPackage.name);
    expect(report[0].version).toBe(repoPackage.version);
    const file = path.join(packDir, report[0].filename);
    expect(fs.readdirSync(packDir)).toEqual([report[0].filename]);
    tarball = file;
  }, TIMEOUT);

  test('the tarball holds the compiled library and nothing else', () => {
    // GIVEN the tarball
    const file = needs(tarball, 'npm pack');

    // WHEN listing it
    const list = run('tar', ['-tzf', file], tmp).split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith('/'));
    entries = list;

    // THEN the entry points of package.json are there, with the package metadata
    const packed = JSON.parse(run('tar', ['-xzOf', file, 'package/package.json'], tmp)) as Json;
    expect(packed.main).toBe('build/lib/index.js');
    expect(packed.types).toBe('build/lib/index.d.ts');
    expect(list).toEqual(expect.arrayContaining([
      'package/package.json',
      `package/${packed.main}`,
      `package/${packed.types}`,
    ]));
    if (fs.existsSync(path.join(REPO, 'README.md'))) {
      expect(list).toContain('package/README.md');
    }

    // AND the bundled dependencies (jsii libraries bundle their non-jsii ones), and nothing else of node_modules
    const bundled: string[] = packed.bundledDependencies ?? packed.bundleDependencies ?? [];
    expect(bundled).toEqual(['@iarna/toml']);
    for (const name of bundled) expect(list).toContain(`package/node_modules/${name}/package.json`);
    const inBundled = (e: string) => bundled.some((name) => e.startsWith(`package/node_modules/${name}/`));
    const unbundled = list.filter((e) => !inBundled(e));

    // AND only compiled output besides: no sources, tests, apps, dependencies or synth output
    // AND the jsii assembly, which jsii-pacmak and Construct Hub read
    expect(list).toContain('package/.jsii');
    const unexpected = unbundled.filter((e) => !(
      e === 'package/package.json'
      || e === 'package/.jsii'
      || /^package\/(README|LICENSE|NOTICE)(\.md|\.txt)?$/i.test(e)
      || /^package\/build\/lib\/.+(\.js|\.d\.ts)$/.test(e)
      || /^package\/build\/imports\/.+(\.js|\.d\.ts)$/.test(e)
    ));
    expect(unexpected).toEqual([]);
    for (const forbidden of ['package/test/', 'package/apps/', 'package/lib/', 'package/imports/',
      'package/dist/', 'package/.ci/', 'node_modules/']) {
      expect(unbundled.filter((e) => e.includes(forbidden))).toEqual([]);
    }
    expect(unbundled.filter((e) => e.endsWith('.ts') && !e.endsWith('.d.ts'))).toEqual([]);
    expect(unbundled.filter((e) => /\.tgz$|\.tsbuildinfo$/.test(e))).toEqual([]);

    // AND the compiled files are exactly those of the current lib/ and imports/ (generated CRD code)
    // sources (no stale build output, no source left out), each with its declaration file
    const sources = ['lib', 'imports']
      .flatMap((dir) => (fs.existsSync(path.join(REPO, dir)) ? walk(path.join(REPO, dir)).map((f) => `${dir}/${f}`) : []))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const js = unbundled.filter((e) => e.endsWith('.js')).map((e) => e.replace(/^package\/build\//, '').replace(/\.js$/, '')).sort();
    const dts = unbundled.filter((e) => e.endsWith('.d.ts')).map((e) => e.replace(/^package\/build\//, '').replace(/\.d\.ts$/, '')).sort();
    expect(js).toEqual(sources);
    expect(dts).toEqual(sources);
  }, TIMEOUT);

  test('a fresh cdk8s app installs it beside one copy of each peer dependency', () => {
    // GIVEN a new app depending on the tarball and on the peers pinned in our devDependencies
    const file = needs(tarball, 'npm pack');
    needs(entries, 'tarball contents');
    const dir = path.join(tmp, 'app');
    fs.mkdirSync(dir);
    const dependencies: { [name: string]: string } = { [repoPackage.name]: `file:${file}` };
    for (const peer of PEERS) {
      const version = repoPackage.devDependencies?.[peer];
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(repoPackage.peerDependencies?.[peer]).toBeDefined();
      dependencies[peer] = version;
    }
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: 'consumer-app', version: '0.0.0', private: true, license: 'UNLICENSED', dependencies,
    }, null, 2));
    fs.writeFileSync(path.join(dir, 'main.ts'), MAIN_TS);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));

    // WHEN installing; strict peer deps: the pinned peers must satisfy the declared peer ranges
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--strict-peer-deps'], dir);
    appDir = dir;

    // THEN the app resolves the library to the installed tarball
    const nodeModules = path.join(dir, 'node_modules');
    const resolved = require.resolve(`${repoPackage.name}/package.json`, { paths: [dir] });
    expect(resolved).toBe(path.join(nodeModules, repoPackage.name, 'package.json'));
    expect(readJson(resolved).version).toBe(repoPackage.version);

    // AND every peer is installed once, at the app's top level, never under the library
    for (const peer of PEERS) {
      expect(readJson(path.join(nodeModules, peer, 'package.json')).version).toBe(dependencies[peer]);
      expect(fs.existsSync(path.join(nodeModules, repoPackage.name, 'node_modules', peer))).toBe(false);
      expect(installedCopies(nodeModules, peer)).toEqual([peer]);
    }

    // AND every package the compiled library requires is a Node builtin or declared by it
    const declared = new Set([
      ...Object.keys(repoPackage.dependencies ?? {}),
      ...Object.keys(repoPackage.peerDependencies ?? {}),
    ]);
    const libDir = path.join(nodeModules, repoPackage.name);
    const required = new Set<string>();
    for (const f of walk(libDir).filter((x) => x.endsWith('.js'))) {
      for (const m of fs.readFileSync(path.join(libDir, f), 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
        const id = m[1];
        if (id.startsWith('.')) continue;
        const pkg = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
        required.add(pkg);
      }
    }
    const undeclared = [...required].filter((p) => !declared.has(p) && !builtinModules.includes(p.replace(/^node:/, '')));
    expect(undeclared).toEqual([]);
  }, TIMEOUT);

  test("the app type-checks against the package's declarations and compiles", () => {
    // GIVEN the installed app
    const dir = needs(appDir, 'npm install');

    // WHEN compiling it with our TypeScript: strict, lib check on, no @types at all
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const files = run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles'], dir)
      .split('\n').map((l) => l.trim()).filter(Boolean).map((f) => path.resolve(f));

    // THEN the import was checked against the package's `types`, not some other copy
    const packageTypes = path.join(dir, 'node_modules', repoPackage.name, repoPackage.types);
    expect(files).toContain(packageTypes);
    // AND nothing came from the repository but TypeScript's own lib files
    const typescriptDir = path.join(REPO, 'node_modules', 'typescript') + path.sep;
    expect(files.filter((f) => f.startsWith(REPO + path.sep) && !f.startsWith(typescriptDir))).toEqual([]);

    // AND it emitted the JavaScript
    const js = path.join(dir, 'out', 'main.js');
    expect(fs.existsSync(js)).toBe(true);
    compiled = js;
  }, TIMEOUT);

  test('running the app writes the manifests and the Helm values without extra wiring', () => {
    // GIVEN the compiled app and an output directory
    const js = needs(compiled, 'tsc');
    const dir = path.dirname(path.dirname(js));
    const dist = path.join(dir, 'dist');

    // WHEN running it as a user would (`writeFiles(app)` is the only call)
    run(process.execPath, [js], dir, childEnv({ CDK8S_OUTDIR: dist }));
    outdir = dist;

    // THEN the chart's manifests and its Helm values, in the environment's folders, and nothing else
    expect(filesUnder(dist)).toEqual(['ci/helm/gitlab-runner-values.yaml', 'ci/platform/00-namespaces.k8s.yaml', 'ci/platform/ci.k8s.yaml']);

    // AND the values point at GitLab and the token secret, with one runner using the jobs namespace
    const docs = Yaml.load(path.join(dist, 'ci', 'helm', 'gitlab-runner-values.yaml'));
    expect(docs).toHaveLength(1);
    const values = docs[0] as Json;
    expect(values.gitlabUrl).toBe('https://gitlab.example.com/');
    expect(values.runners.secret).toBe('gitlab-runner-token');
    const config = values.runners.config as string;
    expect(typeof config).toBe('string');
    expect(config.split('[[runners]]')).toHaveLength(2);
    expect(config).toContain('namespace = "gitlab-runner-jobs"');
    const toml = TOML.parse(config) as Json;
    expect(toml.runners).toHaveLength(1);
    expect(toml.runners[0].kubernetes.namespace).toBe('gitlab-runner-jobs');
  }, TIMEOUT);

  test('the manifest holds the namespaces and the jobs RBAC', () => {
    // GIVEN the app's output
    const dist = needs(outdir, 'running the app');

    // WHEN reading the chart's manifest
    const objects = ['00-namespaces.k8s.yaml', 'ci.k8s.yaml'].flatMap((f) => Yaml.load(path.join(dist, 'ci', 'platform', f))) as Json[];
    const names = (kind: string) => objects.filter((o) => o.kind === kind)
      .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();

    // THEN both namespaces are there, and the runner's Role and RoleBinding in the jobs namespace
    expect(names('Namespace')).toEqual(['/gitlab-runner', '/gitlab-runner-jobs']);
    expect(names('Role').filter((n) => n.startsWith('gitlab-runner-jobs/'))).toHaveLength(1);
    expect(names('RoleBinding').filter((n) => n.startsWith('gitlab-runner-jobs/'))).toHaveLength(1);
  }, TIMEOUT);

  test('an app on cdk8s-plus-33 installs, type-checks and synthesizes against it', () => {
    // GIVEN a second app on cdk8s-plus-33 (pinned in our devDependencies); npm adds our cdk8s-plus-28 peer beside it
    const file = needs(tarball, 'npm pack');
    const dir = path.join(tmp, 'app-plus-33');
    fs.mkdirSync(dir);
    const dependencies: { [name: string]: string } = { [repoPackage.name]: `file:${file}` };
    for (const name of ['cdk8s', 'constructs', 'cdk8s-plus-33']) {
      const version = repoPackage.devDependencies?.[name];
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      dependencies[name] = version;
    }
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: 'consumer-app-plus-33', version: '0.0.0', private: true, license: 'UNLICENSED', dependencies,
    }, null, 2));
    fs.writeFileSync(path.join(dir, 'main.ts'), MAIN_PLUS_33_TS);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));

    // WHEN installing, compiling with our TypeScript (strict, lib check on) and running it
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--strict-peer-deps'], dir);
    const nodeModules = path.join(dir, 'node_modules');
    expect(installedCopies(nodeModules, 'cdk8s')).toEqual(['cdk8s']);
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    const dist = path.join(dir, 'dist');
    run(process.execPath, [path.join(dir, 'out', 'main.js')], dir, childEnv({ CDK8S_OUTDIR: dist }));

    // THEN the plus-33 objects reached the config: the pull Secret, the service account, the build limits
    const values = Yaml.load(path.join(dist, 'ci', 'helm', 'gitlab-runner-values.yaml'))[0] as Json;
    const kubernetes = (TOML.parse(values.runners.config) as Json).runners[0].kubernetes;
    expect(kubernetes.image_pull_secrets).toEqual(['registry-pull']);
    expect(kubernetes.service_account).toBe('ci-jobs');
    expect(kubernetes.cpu_limit).toBe('2');
    expect(kubernetes.memory_limit).toBe('2Gi');
    expect(values.runners.secret).toBe('gitlab-runner-token');
  }, TIMEOUT);
});
