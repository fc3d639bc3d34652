// Every shell script the library emits, checked by the real shellcheck: the pipelines' job scripts
// (the runner uses bash when the image has it and sh otherwise, so they must be POSIX sh), the
// manager's preStop hook and every other `sh -c` command in the manifests and Helm values (each
// image's /bin/sh runs them: busybox ash or dash), and each fenced sh/bash block of the reports, the
// README and docs/ (`sh` and `shell` as POSIX sh, `bash` as bash).
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { BuilderKind, InternalStack, PublicStack, RunnerCache } from '../lib';
import { loadYaml, seedOutput, synthesize, SynthesizedOutput } from './util/output';
import {
  dialectOfBlock, fencedBlocks, pipelineScripts, placeholdersIn, shellcheck, shellcheckEach, shellCommands, ShellScript,
} from './util/shell';
import { SEED_INTERNAL_DNS, SEED_UPSTREAMS } from './util/seed-dns';

const REPO = path.join(__dirname, '..');

/** Environments whose scripts differ from the seeds': kaniko (no dind job), a DinD registry mirror, the GCS and Azure caches. */
function variants(app: App): void {
  const common = {
    gitlabUrl: 'https://gitlab.example.com/',
    tags: ['kubernetes'],
    sampleApp: { registry: { host: 'registry.example.com:5000', repository: 'team/app' } },
    insecureRegistries: ['registry.example.com:5000'],
    nodePool: {},
  };
  new InternalStack(app, 'kaniko', {
    dns: SEED_INTERNAL_DNS,
    ...common,
    clusterName: 'kaniko',
    builder: BuilderKind.KANIKO,
    imageMirror: 'mirror.example.com',
    cache: RunnerCache.gcs({ bucketName: 'cache', credentials: Secret.fromSecretName(app, 'Gcs', 'cache-gcs') }),
  });
  new PublicStack(app, 'mirror', {
    upstreams: SEED_UPSTREAMS,
    ...common,
    clusterName: 'mirror',
    registryMirror: 'http://registry-cache.local:5000',
    cache: RunnerCache.azure({ containerName: 'cache', credentials: Secret.fromSecretName(app, 'Azure', 'cache-azure') }),
  });
}

const outputs: [string, SynthesizedOutput][] = [['seeds', seedOutput()], ['variants', synthesize(variants)]];

function pipelines(): ShellScript[] {
  return outputs.flatMap(([, out]) => [...out.ofKind('pipeline'), ...out.ofKind('smokeTest')].flatMap((file) => {
    const docs = loadYaml(out.pathOf(file));
    expect(docs).toHaveLength(1);
    return pipelineScripts(file.name, docs[0]);
  }));
}

function commands(): ShellScript[] {
  return outputs.flatMap(([, out]) => [
    ...out.objects().flatMap(({ file, object }) => shellCommands(`${file} ${object.kind}/${object.metadata?.name}`, object)),
    ...out.ofKind('values').flatMap((file) => shellCommands(file.name, loadYaml(out.pathOf(file))[0])),
  ]);
}

/** Generated reports, the README and docs/: each fenced block labelled sh, shell or bash. */
function markdownBlocks(): ShellScript[] {
  const docs = fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).sort()
    .map((f) => ({ name: `docs/${f}`, content: fs.readFileSync(path.join(REPO, 'docs', f), 'utf8') }));
  const files = [
    ...outputs.flatMap(([, out]) => out.files.filter((f) => f.kind === 'report')),
    { name: 'README.md', content: fs.readFileSync(path.join(REPO, 'README.md'), 'utf8') },
    ...docs,
  ];
  return files.flatMap((file) => fencedBlocks(file.content).flatMap((block) => {
    const dialect = dialectOfBlock(block.lang);
    return dialect ? [{ where: `${file.name}:${block.line} (${block.lang})`, dialect, script: block.code }] : [];
  }));
}

const PIPELINES = pipelines();
const COMMANDS = commands();
const BLOCKS = markdownBlocks();

/** Scripts shellcheck must flag, checked in the same runs as the others: only they may have findings. */
const PLANTED: ShellScript[] = [
  { where: 'planted sh', dialect: 'sh', script: 'echo "$1"\n[[ -n $x ]] && read -rs y\n' },
  { where: 'planted bash', dialect: 'bash', script: 'echo ok\ncd $dir\n' },
];
const ALL = [...PIPELINES, ...COMMANDS, ...BLOCKS, ...PLANTED];
let results: Map<ShellScript, string>;
beforeAll(() => {
  // One shellcheck run per dialect on every script: one process per script took most of this file's time.
  const found = shellcheckEach(ALL);
  results = new Map(ALL.map((s, i) => [s, found[i]]));
});

/** What a failure shows: where the script is, shellcheck's findings (with the lines they point at). */
const findings = (script: ShellScript) => ({ where: script.where, findings: results.get(script) });

describe('shellcheck -S warning', () => {
  test('runs (a missing shellcheck fails here, it does not skip)', () => {
    expect(shellcheck('echo "$1"\n', 'sh')).toBe('');
    expect(shellcheck('[[ -n $x ]] && read -rs y\n', 'sh')).toMatch(/SC3010.*\n?[\s\S]*SC3045/);
  });

  test('one run on many scripts gives each script its own findings: the planted ones alone are flagged', () => {
    expect(ALL.filter((s) => results.get(s) !== '').map((s) => s.where)).toEqual(['planted sh', 'planted bash']);
    expect(results.get(PLANTED[0])).toMatch(/^line 2: \[\[ -n \$x \]\] && read -rs y\n {2}SC3010 \(warning\).*\n[\s\S]*SC3045/);
    expect(results.get(PLANTED[1])).toMatch(/^line 2: cd \$dir\n {2}SC2164 \(warning\)/);
  });

  test('covers every kind of script', () => {
    // Every pipeline and smoke test of the seeds and variants, with the job kinds that differ.
    const jobs = PIPELINES.map((s) => s.where.split(' ').slice(1).join(' '));
    for (const job of ['build-job', 'build-job after_script', 'test-job', 'deploy-job', 'deploy-job after_script', 'hello', 'dns', 'dind']) {
      expect(jobs).toContain(job);
    }
    const files = new Set(PIPELINES.map((s) => s.where.split(' ')[0]));
    for (const [, out] of outputs) {
      for (const f of [...out.ofKind('pipeline'), ...out.ofKind('smokeTest')]) expect(files).toContain(f.name);
    }
    // The kaniko build, and a smoke test without dind (kaniko's runner is unprivileged).
    expect(PIPELINES.some((s) => s.where.startsWith('kaniko/pipelines/gitlab-ci.yml build-job') && s.script.includes('/kaniko/executor'))).toBe(true);
    expect(PIPELINES.filter((s) => s.where.startsWith('kaniko/pipelines/runner-smoke-test')).map((s) => s.where)).not.toContain('kaniko/pipelines/runner-smoke-test.gitlab-ci.yml dind');
    expect(PIPELINES.some((s) => s.script.includes('RegistryConfig.Mirrors'))).toBe(true);

    // Every values file's preStop hook, and every pre-puller init container.
    const values = outputs.flatMap(([, out]) => out.ofKind('values').map((f) => f.name));
    for (const file of values) {
      expect(COMMANDS.map((c) => c.where)).toContain(`${file} deploymentLifecycle.preStop.exec`);
    }
    const prePullers = COMMANDS.filter((c) => /DaemonSet\/.* spec\.template\.spec\.initContainers\[\d+\]$/.test(c.where));
    expect(prePullers.length).toBeGreaterThanOrEqual(values.length);

    // Each report's command sections, the README's and docs/dns.md's blocks.
    const reports = outputs.flatMap(([, out]) => out.ofKind('report').map((f) => f.name));
    for (const report of reports) expect(BLOCKS.filter((b) => b.where.startsWith(`${report}:`)).length).toBeGreaterThanOrEqual(4);
    expect(BLOCKS.filter((b) => b.where.startsWith('README.md:')).length).toBeGreaterThanOrEqual(6);
    expect(BLOCKS.filter((b) => b.where.startsWith('docs/')).length).toBeGreaterThanOrEqual(2);
  });

  test.each(PIPELINES.map((s) => [s.where, s]))('pipeline job %s is POSIX sh', (where, script) => {
    expect(findings(script as ShellScript)).toEqual({ where, findings: '' });
  });

  test.each(COMMANDS.map((s) => [s.where, s]))('sh -c command %s', (where, script) => {
    expect(findings(script as ShellScript)).toEqual({ where, findings: '' });
  });

  test.each(BLOCKS.map((s) => [s.where, s]))('Markdown block %s', (where, script) => {
    expect(findings(script as ShellScript)).toEqual({ where, findings: '' });
    // A `<placeholder>` is a redirection to the shell: blocks name what the reader fills in as variables.
    expect({ where, placeholders: placeholdersIn((script as ShellScript).script) }).toEqual({ where, placeholders: [] });
  });
});
