import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { DnsStrategy, JobPodPolicy, JobSecurityProfile, RunnerManager, ValidationError, writeFiles } from '../lib';
import { gitlabCiDocument } from '../lib/model/gitlab-ci';
import { renderYaml } from '../lib/render/yaml';
import { warningsOf } from '../lib/validation/warnings';
import { RunnerSmokeTest, RunnerSmokeTestProps } from '../lib/runner-smoke-test';
import { fileOfApp, filesUnder, loadYaml } from './util/output';
import { SEED_HYBRID_DNS, SEED_INTERNAL_DNS, SEED_UPSTREAMS } from './util/seed-dns';

interface Setup {
  readonly dns?: DnsStrategy;
  readonly profile?: JobSecurityProfile;
  readonly tags?: string[];
  readonly jobImage?: string;
}

/** The seeds' three DNS strategies (seed 001, with seed 003's cluster DNS address for hybrid). */
const SEED_STRATEGIES: { [name: string]: () => DnsStrategy } = {
  internal: () => DnsStrategy.internal({ ...SEED_INTERNAL_DNS, options: [{ name: 'ndots', value: '2' }] }),
  hybrid: () => DnsStrategy.hybrid({ ...SEED_HYBRID_DNS, clusterDnsIp: '172.21.0.10' }),
  publicCloud: () => DnsStrategy.publicCloud({ upstreams: SEED_UPSTREAMS }),
};

interface Built {
  readonly chart: Chart;
  readonly runner: RunnerManager;
  readonly smoke: RunnerSmokeTest;
  readonly doc: any;
}

function build(setup: Setup = {}, props: Partial<RunnerSmokeTestProps> = {}): Built {
  const chart = Testing.chart();
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'http://192.168.1.50/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    namespace: 'gitlab',
    tags: setup.tags ?? ['kubernetes', 'docker'],
    jobPodPolicy: new JobPodPolicy(chart, 'Jobs', { securityProfile: setup.profile ?? JobSecurityProfile.privileged(), jobImage: setup.jobImage }),
    dnsStrategy: setup.dns ?? SEED_STRATEGIES.internal(),
  });
  const smoke = new RunnerSmokeTest(chart, 'Smoke', { runner, ...props });
  return { chart, runner, smoke, doc: gitlabCiDocument(smoke._pipeline) };
}

/** Every job of the document. */
function jobsOf(doc: any): [string, any][] {
  return Object.entries(doc).filter(([, v]: [string, any]) => v && v.stage) as [string, any][];
}

/** Every shell line of every job. */
function shellLines(doc: any): string[] {
  return jobsOf(doc).flatMap(([, job]) => [...(job.before_script ?? []), ...job.script, ...(job.after_script ?? [])]);
}

/** The dns job's resolv.conf checks: the lines that read `$RESOLV_CONF`. */
function resolvConfLines(doc: any): string[] {
  return doc.dns.script.filter((line: string) => line.includes('$RESOLV_CONF'));
}

/** The dns job's lookup lines: the rest. */
function lookupLines(doc: any): string[] {
  return doc.dns.script.filter((line: string) => !line.includes('$RESOLV_CONF'));
}

interface Run {
  readonly status: number;
  readonly output: string;
}

/** Runs `lines` one by one as GitLab does, stopping at the first that fails. */
/** Runs a job's lines as the runner does: one shell, stopping at the first failing command. */
function runLines(lines: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Run {
  const result = spawnSync('/bin/sh', ['-c', ['set -e', ...lines].join('\n')], { env, cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, output: result.stdout + result.stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'));
}

/** Runs the dns job's resolv.conf checks against a file with `content`. */
function checkResolvConf(doc: any, content: string): Run {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'resolv.conf');
    fs.writeFileSync(file, content);
    return runLines(resolvConfLines(doc), { ...process.env, RESOLV_CONF: file }, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the kubelet writes for each seed strategy (jobs in `gitlab-jobs`). */
const SEED_RESOLV_CONF: { [name: string]: string } = {
  internal: [
    'nameserver 10.0.0.2', 'nameserver 10.1.0.251', 'nameserver 10.1.0.252',
    'search gitlab.svc.cluster.local svc.cluster.local cluster.local', 'options ndots:2', '',
  ].join('\n'),
  hybrid: [
    'nameserver 172.21.0.10', 'nameserver 10.0.0.2', 'nameserver 8.8.8.8',
    'search svc.cluster.local cluster.local', 'options ndots:2 timeout:2', '',
  ].join('\n'),
  publicCloud: [
    'search gitlab-jobs.svc.cluster.local svc.cluster.local cluster.local ec2.internal', 'nameserver 172.21.0.10', 'options ndots:5', '',
  ].join('\n'),
};

describe('RunnerSmokeTest', () => {
  test.each(Object.keys(SEED_STRATEGIES))('the seeds\' %s strategy: hello, dns and dind jobs', (name) => {
    // GIVEN the seeds' registries: the image mirror, the app's private registry (HTTP) and the pull-through cache
    const props: Partial<RunnerSmokeTestProps> = name === 'publicCloud'
      ? { registries: ['registry-1.docker.io'] }
      : {
        registries: ['registry.example.com', 'private-registry.example.com'],
        insecureRegistries: ['private-registry.example.com'],
        registryMirror: name === 'internal' ? 'http://registry-cache.local:5000' : undefined,
      };

    // WHEN
    const { doc, smoke } = build({ dns: SEED_STRATEGIES[name]() }, props);

    // THEN
    expect(renderYaml(doc)).toMatchSnapshot();
    expect(doc.stages).toEqual(['test']);
    expect(Object.keys(smoke._pipeline.jobs)).toEqual(['hello', 'dns', 'dind']);
    expect(checkResolvConf(doc, SEED_RESOLV_CONF[name])).toMatchObject({ status: 0 });
    expect(smoke.images).toEqual(['alpine:3.22', 'docker:27.3.1', 'docker:27.3.1-dind', 'alpine:3.22']);
  });

  test('every job carries the runner\'s tags', () => {
    const { doc, runner } = build({ tags: ['kubernetes', 'docker', 'x86_64'] });
    const jobs = jobsOf(doc);
    expect(jobs.map(([name]) => name)).toEqual(['hello', 'dns', 'dind']);
    for (const [, job] of jobs) expect(job.tags).toEqual([...runner.tags]);
  });

  test('no tags is a warning, and the jobs have none', () => {
    const { chart, doc } = build({ tags: [] });
    for (const [, job] of jobsOf(doc)) expect(job.tags).toBeUndefined();
    expect(warningsOf(chart)).toEqual([expect.stringMatching(/^test\/Smoke: the runner test\/Runner declares no tags/)]);
  });

  test('hello: the seeds\' first job, which fails outside a Kubernetes pod', () => {
    // GIVEN
    const { doc } = build();
    const dir = tempDir();

    // WHEN the script runs with and without the kubelet's API server variables
    const inPod = runLines(doc.hello.script, { ...process.env, KUBERNETES_SERVICE_HOST: '172.21.0.1', KUBERNETES_SERVICE_PORT: '443' }, dir);
    const env = { ...process.env };
    delete env.KUBERNETES_SERVICE_HOST;
    const elsewhere = runLines(doc.hello.script, env, dir);
    fs.rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(doc.hello.image).toEqual({ name: 'alpine:3.22' });
    expect(doc.hello.script.slice(0, 3)).toEqual([
      'echo "Hello from the Kubernetes executor of GitLab Runner"', 'echo "Pod: $(hostname)"', 'echo "Date: $(date -u)"',
    ]);
    expect(inPod).toMatchObject({ status: 0, output: expect.stringContaining('API server at 172.21.0.1:443') });
    expect(elsewhere).toMatchObject({ status: 1, output: expect.stringContaining('Not in a Kubernetes pod') });
  });

  describe('dns: the resolv.conf checks, run against files', () => {
    test('internal: exactly the three nameservers, in order, the search list and ndots:2', () => {
      // GIVEN
      const { doc, smoke } = build({ dns: SEED_STRATEGIES.internal() });
      const good = SEED_RESOLV_CONF.internal;

      // THEN
      expect(smoke.expectedNameservers).toEqual(['10.0.0.2', '10.1.0.251', '10.1.0.252']);
      expect(doc.dns.variables).toEqual({ RESOLV_CONF: '/etc/resolv.conf' });
      expect(resolvConfLines(doc)[0]).toBe('cat "$RESOLV_CONF"');
      expect(resolvConfLines(doc).filter((l) => l.includes('nameserver'))).toEqual([
        expect.stringMatching(/^expected='10\.0\.0\.2 10\.1\.0\.251 10\.1\.0\.252'; actual=\$\(awk '\$1 == "nameserver"/),
      ]);
      const ok = checkResolvConf(doc, good);
      expect(ok.status).toBe(0);
      expect(ok.output).toContain('nameservers OK: 10.0.0.2 10.1.0.251 10.1.0.252');
      expect(ok.output).toContain('options OK: ndots:2');

      const missing = checkResolvConf(doc, good.replace('nameserver 10.1.0.252\n', ''));
      expect(missing.status).toBe(1);
      expect(missing.output).toContain('nameservers: expected 10.0.0.2 10.1.0.251 10.1.0.252, got 10.0.0.2 10.1.0.251');
      expect(checkResolvConf(doc, good.replace('10.1.0.251', '8.8.8.8')).status).toBe(1);
      expect(checkResolvConf(doc, good.replace('nameserver 10.0.0.2\n', '') + 'nameserver 10.0.0.2\n').status).toBe(1);
      expect(checkResolvConf(doc, `nameserver 10.96.0.10\n${good}`).status).toBe(1);
      expect(checkResolvConf(doc, good.replace('search gitlab.svc.cluster.local ', 'search ')).status).toBe(1);
      const ndots = checkResolvConf(doc, good.replace('ndots:2', 'ndots:5'));
      expect(ndots.status).toBe(1);
      expect(ndots.output).toContain('options: expected ndots:2, got: options ndots:5');
      expect(checkResolvConf(doc, '').status).toBe(1);
    });

    test('hybrid: the cluster DNS Service first, then the VPC and public resolvers, and both options', () => {
      const { doc, smoke } = build({ dns: SEED_STRATEGIES.hybrid() });
      const good = SEED_RESOLV_CONF.hybrid;
      expect(smoke.expectedNameservers).toEqual(['172.21.0.10', '10.0.0.2', '8.8.8.8']);
      expect(checkResolvConf(doc, good).status).toBe(0);
      expect(checkResolvConf(doc, good.replace('nameserver 172.21.0.10\n', '')).status).toBe(1);
      expect(checkResolvConf(doc, good.replace('172.21.0.10', '10.96.0.10')).status).toBe(1);
      expect(checkResolvConf(doc, good.replace(' timeout:2', '')).status).toBe(1);
      // Words, not substrings: ndots:20 is not ndots:2.
      expect(checkResolvConf(doc, good.replace('ndots:2', 'ndots:20')).status).toBe(1);
    });

    test('publicCloud: one nameserver (the cluster DNS Service), the jobs\' namespace first in the search list, ndots:5', () => {
      const { doc, smoke } = build({ dns: SEED_STRATEGIES.publicCloud() });
      const good = SEED_RESOLV_CONF.publicCloud;
      expect(smoke.expectedNameservers).toEqual([]);
      const ok = checkResolvConf(doc, good);
      expect(ok.status).toBe(0);
      expect(ok.output).toContain('search OK: gitlab-jobs.svc.cluster.local');
      expect(checkResolvConf(doc, good.replace('nameserver 172.21.0.10', 'nameserver 10.96.0.10')).status).toBe(0);
      expect(checkResolvConf(doc, `${good}nameserver 8.8.8.8\n`)).toMatchObject({
        status: 1, output: expect.stringContaining('nameservers: expected 1 (the cluster DNS Service), got 2'),
      });
      expect(checkResolvConf(doc, good.replace('nameserver 172.21.0.10\n', '')).status).toBe(1);
      expect(checkResolvConf(doc, good.replace('gitlab-jobs.svc', 'default.svc')).status).toBe(1);
      expect(checkResolvConf(doc, good.replace('ndots:5', 'ndots:2')).status).toBe(1);
    });

    test('clusterDefault: the same checks, with the runner\'s jobNamespace and the strategy\'s clusterDomain', () => {
      const { doc } = build({ dns: DnsStrategy.clusterDefault({ clusterDomain: 'k8s.example' }) });
      expect(resolvConfLines(doc)).toEqual(expect.arrayContaining([expect.stringContaining('awk -v w=gitlab-jobs.svc.k8s.example ')]));
      const file = 'nameserver 10.43.0.10\nsearch gitlab-jobs.svc.k8s.example svc.k8s.example k8s.example\noptions ndots:5\n';
      expect(checkResolvConf(doc, file).status).toBe(0);
    });
  });

  describe('dns: the registry lookups', () => {
    /**
     * Runs the lookup lines with a fake `tool` (`nslookup` or `getent`) that prints `output` and exits
     * with `status`; PATH holds only it and grep, so the machine's own resolver tools stay out.
     */
    const tools: { [name: string]: string } = {};
    /** Where the shell finds `name` (looked up once per file: it does not change). */
    const toolPath = (name: string) => (tools[name] ??= execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim());

    function lookUp(doc: any, output: string | undefined, status = 0, tool = 'nslookup'): Run {
      const dir = tempDir();
      try {
        if (output !== undefined) {
          fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\ncat <<'EOF'\n${output}\nEOF\nexit ${status}\n`, { mode: 0o755 });
        }
        fs.symlinkSync(toolPath('grep'), path.join(dir, 'grep'));
        fs.symlinkSync(toolPath('cat'), path.join(dir, 'cat'));
        return runLines(lookupLines(doc), { ...process.env, PATH: dir }, dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const answer = 'Server:\t\t10.0.0.2\nAddress:\t10.0.0.2:53\n\nNon-authoritative answer:\nName:\tregistry.example.com\nAddress: 10.0.1.20\n';
    // busybox nslookup prints this for an unknown name; some versions exit 0 (1.35 exits 1).
    const nxdomain = 'Server:\t\t10.0.0.2\nAddress:\t10.0.0.2:53\n\n** server can\'t find registry.example.com: NXDOMAIN\n';

    test('each host once, without its port; IP addresses and the mirror\'s host as well', () => {
      const { doc } = build({}, {
        registries: ['registry.example.com', 'registry.example.com:5000', '10.0.1.20:5000', 'private-registry.example.com'],
        registryMirror: 'http://registry-cache.local:5000',
      });
      expect(lookupLines(doc).slice(1).map((l) => /getent hosts (\S+) 2>&1/.exec(l)?.[1])).toEqual([
        'registry.example.com', 'private-registry.example.com', 'registry-cache.local',
      ]);
    });

    test('passes on an address, fails on NXDOMAIN even with exit code 0, on a timeout, and without nslookup', () => {
      const { doc } = build({}, { registries: ['registry.example.com'] });
      expect(lookUp(doc, answer)).toMatchObject({ status: 0, output: expect.stringContaining('registry.example.com resolves') });
      expect(lookUp(doc, nxdomain)).toMatchObject({
        status: 1, output: expect.stringContaining('registry.example.com does not resolve from the job pod'),
      });
      expect(lookUp(doc, ';; connection timed out; no servers could be reached\n', 1).status).toBe(1);
      expect(lookUp(doc, undefined)).toMatchObject({ status: 1, output: expect.stringContaining('neither getent nor nslookup in alpine:3.22') });
    });

    test('getent, where the image has it: the libc resolver the jobs use, trusted by its exit code', () => {
      const { doc } = build({}, { registries: ['registry.example.com'] });
      expect(lookUp(doc, '10.0.1.20       registry.example.com', 0, 'getent')).toMatchObject({
        status: 0, output: expect.stringContaining('registry.example.com resolves'),
      });
      expect(lookUp(doc, '', 2, 'getent')).toMatchObject({ status: 1, output: expect.stringContaining('registry.example.com does not resolve from the job pod') });
    });

    test('no registries: no lookups', () => {
      expect(lookupLines(build().doc)).toEqual([]);
    });
  });

  describe('dind', () => {
    test('the app pipeline\'s DinD service, a bounded wait, then info, pull and run', () => {
      const { doc } = build({}, { insecureRegistries: ['private-registry.example.com'], testImage: 'busybox:1.37' });
      expect(doc.dind).toMatchObject({
        image: { name: 'docker:27.3.1' },
        services: [{ name: 'docker:27.3.1-dind', alias: 'docker', command: ['--tls=false', '--insecure-registry=private-registry.example.com'] }],
        variables: { DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '' },
      });
      expect(doc.dind.before_script[0]).toMatch(/until docker info .*-ge 60 .*exit 1/);
      expect(doc.dind.script).toEqual(['docker info', 'docker pull busybox:1.37', 'docker run --rm busybox:1.37 echo ok']);
    });

    test('the registry mirror flag comes only when set, after the insecure-registry flags, and the job checks dockerd lists it', () => {
      const { doc } = build({}, { insecureRegistries: ['private-registry.example.com'], registryMirror: 'http://registry-cache.local:5000' });
      expect(doc.dind.services[0].command).toEqual([
        '--tls=false', '--insecure-registry=private-registry.example.com', '--registry-mirror=http://registry-cache.local:5000',
      ]);
      expect(doc.dind.script[1]).toBe('if docker info --format \'{{json .RegistryConfig.Mirrors}}\' | grep -qF \'"http://registry-cache.local:5000/"\'; '
        + 'then echo "dockerd uses the registry mirror http://registry-cache.local:5000"; '
        + 'else echo "dockerd does not list the registry mirror http://registry-cache.local:5000"; exit 1; fi');
      const without = build().doc;
      expect(without.dind.services[0].command).toEqual(['--tls=false']);
      expect(JSON.stringify(without)).not.toContain('registry-mirror');
      expect(JSON.stringify(without)).not.toContain('RegistryConfig');
    });

    test('the mirror check passes on what dockerd lists (one trailing slash), and fails otherwise', () => {
      // GIVEN a fake docker client that answers `docker info --format` with a mirror list
      const { doc } = build({}, { registryMirror: 'http://registry-cache.local:5000/' });
      const dir = tempDir();
      const run = (mirrors: string) => {
        fs.writeFileSync(path.join(dir, 'docker'), `#!/bin/sh\necho '${mirrors}'\n`, { mode: 0o755 });
        return runLines([doc.dind.script[1]], { ...process.env, PATH: `${dir}:${process.env.PATH}` }, dir).status;
      };

      // THEN
      expect(run('["http://registry-cache.local:5000/"]')).toBe(0);
      expect(run('[]')).toBe(1);
      expect(run('["http://registry-cache.local:5001/"]')).toBe(1);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('no dind job on an unprivileged runner: Docker-in-Docker needs privileged containers', () => {
      // GIVEN / WHEN
      const app = Testing.app();
      const chart = new Chart(app, 'ci');
      const runner = new RunnerManager(chart, 'Runner', {
        gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(chart, 'Token', 't'), tags: ['kubernetes'],
        jobPodPolicy: new JobPodPolicy(chart, 'Jobs', { securityProfile: JobSecurityProfile.rootBuilder() }),
      });
      const smoke = new RunnerSmokeTest(chart, 'Smoke', { runner, registryMirror: 'http://registry-cache.local:5000' });
      const text = fileOfApp(app, 'smokeTest', 'ci');

      // THEN
      expect(Object.keys(smoke._pipeline.jobs)).toEqual(['hello', 'dns']);
      expect(smoke.images).toEqual(['alpine:3.22']);
      expect(text).toContain('# No dind job: ci/Runner\'s job pods are not privileged (root-builder profile), '
        + 'and Docker-in-Docker needs a privileged service container.');
      expect(text).not.toContain('docker:27.3.1');
    });
  });

  test('every shell line parses', () => {
    const docs = [
      ...Object.values(SEED_STRATEGIES).map((dns) => build({ dns: dns() }, {
        registries: ['registry.example.com', 'private-registry.example.com:5000'],
        insecureRegistries: ['private-registry.example.com'],
        registryMirror: 'https://mirror.example.com/dockerhub',
      }).doc),
      build({ dns: DnsStrategy.clusterDefault() }).doc,
      build({ dns: DnsStrategy.internal({ ...SEED_INTERNAL_DNS, searches: [], options: [{ name: 'edns0' }, { name: 'rotate' }] }) }).doc,
    ];
    // Each distinct line once: the documents share most of their lines.
    for (const line of new Set(docs.flatMap(shellLines))) {
      expect(() => execFileSync('sh', ['-n', '-c', line], { stdio: 'pipe' })).not.toThrow();
    }
  });

  test('flag options and an empty search list are checked too', () => {
    const { doc } = build({ dns: DnsStrategy.internal({ ...SEED_INTERNAL_DNS, searches: [], options: [{ name: 'edns0' }] }) });
    const good = 'nameserver 10.0.0.2\nnameserver 10.1.0.251\nnameserver 10.1.0.252\noptions edns0\n';
    expect(checkResolvConf(doc, good).status).toBe(0);
    expect(checkResolvConf(doc, `${good}search cluster.local\n`).status).toBe(1);
    expect(checkResolvConf(doc, good.replace('options edns0\n', '')).status).toBe(1);
  });

  test('a mirror moves every image it is given; the runner\'s job image stays as the runner pulls it', () => {
    const mirror = { mirrorImage: (image: string) => `registry.example.com/library/${image}` };
    expect(build({ jobImage: 'registry.example.com/library/alpine:3.22' }, { mirror }).smoke.images).toEqual([
      'registry.example.com/library/alpine:3.22', 'registry.example.com/library/docker:27.3.1',
      'registry.example.com/library/docker:27.3.1-dind', 'registry.example.com/library/alpine:3.22',
    ]);
    expect(build({}, { mirror, jobImage: 'busybox:1.37' }).doc.dns.image).toEqual({ name: 'registry.example.com/library/busybox:1.37' });
  });

  test('the output step writes <environment>/pipelines/runner-smoke-test.gitlab-ci.yml with its header', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(chart, 'Token', 't'), tags: ['kubernetes'],
      jobPodPolicy: new JobPodPolicy(chart, 'Jobs', { securityProfile: JobSecurityProfile.privileged() }),
      dnsStrategy: SEED_STRATEGIES.internal(),
    });
    const smoke = new RunnerSmokeTest(chart, 'Smoke', { runner, registries: ['registry.example.com'] });

    // WHEN
    writeFiles(app);

    // THEN
    expect(filesUnder(app.outdir)).toEqual(['ci/helm/gitlab-runner-values.yaml', 'ci/pipelines/runner-smoke-test.gitlab-ci.yml',
      'ci/platform/00-namespaces.k8s.yaml', 'ci/platform/ci.k8s.yaml']);
    const file = path.join(app.outdir, 'ci/pipelines/runner-smoke-test.gitlab-ci.yml');
    expect(fs.readFileSync(file, 'utf8').split('\n').slice(0, 5)).toEqual([
      '# Smoke test of the GitLab Runner ci/Runner, generated by cdk8s-gitlab-runner from ci/Smoke.',
      '# Commit it as .gitlab-ci.yml in a scratch project (e.g. runner-test) and run the pipeline: every job must pass.',
      '# hello: a job tagged kubernetes reaches this runner and runs in a Kubernetes pod.',
      '# dns: the job pod\'s resolv.conf is what the internal DNS strategy gives (nameservers 10.0.0.2, 10.1.0.251, 10.1.0.252), '
        + 'and registry.example.com resolves.',
      '# dind: the privileged Docker-in-Docker service starts, and pulls and runs alpine:3.22.',
    ]);
    // The file reads back as the model: every script line survives YAML quoting.
    const [doc] = loadYaml(file);
    expect(doc).toEqual(JSON.parse(JSON.stringify(gitlabCiDocument(smoke._pipeline))));
    expect(Object.keys(doc)).toEqual(['stages', 'hello', 'dns', 'dind']);
  });
});

describe('RunnerSmokeTest fails on bad input', () => {
  const cases: [string, Partial<RunnerSmokeTestProps>, string, string, string][] = [
    ['an unpinned DinD image', { dindImage: 'docker:dind' }, 'dindImage', '"docker:dind"', 'pinned'],
    ['a latest docker image', { dockerImage: 'docker:latest' }, 'dockerImage', '"docker:latest"', 'pinned'],
    ['a test image without tag', { testImage: 'alpine' }, 'testImage', '"alpine"', 'pinned'],
    ['a latest job image', { jobImage: 'alpine:latest' }, 'jobImage', '"alpine:latest"', 'pinned'],
    ['an empty job image', { jobImage: '' }, 'jobImage', '""', 'an image reference'],
    ['a mirror that unpins', { mirror: { mirrorImage: () => 'registry.example.com/docker' } }, 'jobImage', '"registry.example.com/docker"', 'pinned'],
    ['registries that are no list', { registries: 'registry.example.com' as any }, 'registries', '"registry.example.com"', 'a list of registry host[:port] names'],
    ['a registry with a scheme', { registries: ['registry.example.com', 'https://r.example.com'] }, 'registries[1]', '"https://r.example.com"', 'host[:port]'],
    ['a registry with a path', { registries: ['r.example.com/library'] }, 'registries[0]', '"r.example.com/library"', 'host[:port]'],
    ['insecure registries that are no list', { insecureRegistries: { host: 'r' } as any }, 'insecureRegistries', '{"host":"r"}', 'a list'],
    ['an insecure registry with a path', { insecureRegistries: ['r.example.com/x'] }, 'insecureRegistries[0]', '"r.example.com/x"', 'host[:port]'],
    ['a registry mirror without scheme', { registryMirror: 'registry-cache.local:5000' }, 'registryMirror', '"registry-cache.local:5000"', 'http:// or https:// URL'],
    ['a registry mirror with another scheme', { registryMirror: 'ftp://registry-cache.local' }, 'registryMirror', '"ftp://registry-cache.local"', 'http:// or https:// URL'],
    // The password is never echoed.
    ['a registry mirror with credentials', { registryMirror: 'http://u:p@registry-cache.local:5000' }, 'registryMirror',
      '"http://u:<redacted: 1 characters>@registry-cache.local:5000"', 'masked GitLab CI/CD variable'],
    ['a registry mirror with a query', { registryMirror: 'http://registry-cache.local:5000/?x=1' }, 'registryMirror', '"http://registry-cache.local:5000/?x=1"', 'query'],
    ['a mirror that is no IImageMirror', { mirror: 'registry.example.com' as any }, 'mirror', '"registry.example.com"', 'a function mirrorImage(image)'],
  ];
  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    const jobImage = prop === 'jobImage' && props.mirror ? { jobImage: 'alpine:3.22' } : {};
    expect(() => build({}, { ...jobImage, ...props })).toThrow(`test/Smoke: invalid ${prop}: got ${value}; expected`);
    expect(() => build({}, { ...jobImage, ...props })).toThrow(expected);
    expect(() => build({}, { ...jobImage, ...props })).toThrow(ValidationError);
  });

  test('fails on a runner that is no RunnerManager', () => {
    const chart = Testing.chart();
    expect(() => new RunnerSmokeTest(chart, 'Smoke', { runner: { tags: ['kubernetes'] } as any }))
      .toThrow('test/Smoke: invalid runner: got {"tags":["kubernetes"]}; expected a RunnerManager construct');
  });
});
