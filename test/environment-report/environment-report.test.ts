import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import {
  CheckStatus, CiNodePool, DnsStrategy, EnvironmentReport, EnvironmentReportProps, JobPodPolicy, ManifestFolder, NetworkEndpoint, Output, synthFiles,
  RunnerCache, RunnerManager, RunnerManagerProps, RunnerMonitoring, RunnerNetworkPolicies, ValidationError,
} from '../../lib';
import { fileOfApp } from '../util/output';
import { onPath } from '../util/shell';
import { SEED_004_RESOURCES } from '../util/seed-resources';

interface Setup {
  readonly runner?: Partial<RunnerManagerProps>;
  readonly pool?: boolean;
  readonly network?: boolean;
  readonly monitoring?: boolean;
  readonly report?: Partial<EnvironmentReportProps>;
}

/** A chart `ci` with a runner (seed 004's job pods, seed 001's DNS) and its report. */
function build(setup: Setup = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'ci');
  const nodePool = setup.pool === false ? undefined : new CiNodePool(chart, 'Pool', {
    nodeLabels: { 'node-role': 'ci' }, nodes: 2, nodeCpu: Cpu.units(8), nodeMemory: Size.gibibytes(16),
  });
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    namespace: 'gitlab',
    replicas: 2,
    concurrent: 2,
    jobPodPolicy: new JobPodPolicy(chart, 'Jobs', SEED_004_RESOURCES),
    dnsStrategy: DnsStrategy.internal({ nameservers: ['10.0.0.2', '10.1.0.251'], searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: [{ name: 'ndots', value: '2' }] }),
    nodePool,
    ...setup.runner,
  });
  const networkPolicies = setup.network ? new RunnerNetworkPolicies(chart, 'Network', {
    runner, kubernetesApi: NetworkEndpoint.ip('192.168.1.100', [6443]), gitlab: NetworkEndpoint.cidr('203.0.113.0/24', [443]),
  }) : undefined;
  const monitoring = setup.monitoring ? new RunnerMonitoring(chart, 'Monitoring', { runner }) : undefined;
  const report = new EnvironmentReport(chart, 'Report', { runner, networkPolicies, monitoring, ...setup.report });
  return { app, chart, runner, report, text: () => fileOfApp(app, 'report', 'ci') };
}

function statusOf(report: EnvironmentReport, item: string): CheckStatus {
  const found = report.checklist.find((c) => c.item === item);
  if (!found) throw new Error(`no checklist item "${item}"`);
  return found.status;
}

/** The lines of the report's fenced `sh` block that follows `heading`. */
function commandsUnder(text: string, heading: string): string[] {
  const match = text.match(new RegExp(`## ${heading}\\n\\n(?:[^\`].*\\n\\n)?\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\``));
  if (!match) throw new Error(`no commands under "${heading}"`);
  return match[1].split('\n');
}

describe('EnvironmentReport', () => {
  test('is written as <environment>/reports/report.md with every section, in order', () => {
    const { app, text } = build();
    const headings = text().replace(/```[\s\S]*?```/g, '').split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Environment ci', '## Capacity', '## DNS', '## Production-readiness checklist',
      '## Apply, in this order', '## Upgrade', '## Back up and roll back', '## Uninstall',
    ]);
    expect(synthFiles(app).map((f) => f.path)).toContain('ci/reports/report.md');
  });

  test('capacity: the per-job totals follow the policy and the verdict follows the pool', () => {
    // 2 nodes × 8 CPU × 0.8 = 6.4 CPU per node; seed 004's job has 4.5 CPU of limits: 1 per node, 2 in the pool
    const fits = build({ runner: { replicas: 2, concurrent: 1 } });
    // requests: build 2 (= limit) + helper 500m (= limit) + service 500m; limits 2 + 0.5 + 2
    expect(fits.text()).toContain('| per job |  | 3 | 4.5 | 3Gi | 4.5Gi |');
    expect(fits.text()).toContain('**Verdict**: fits: 2 jobs ≤ 2 by limits');
    expect(statusOf(fits.report, 'concurrency fits the cluster')).toBe(CheckStatus.MET);

    const over = build({ runner: { replicas: 2, concurrent: 10, overCommit: true } });
    expect(over.text()).toContain('**Verdict**: over-committed (acknowledged): 20 jobs');
    expect(statusOf(over.report, 'concurrency fits the cluster')).toBe(CheckStatus.NOT_MET);

    const unsized = build({ pool: false });
    expect(unsized.text()).toContain('capacity is not planned');
    expect(statusOf(unsized.report, 'concurrency fits the cluster')).toBe(CheckStatus.NEEDS_A_HUMAN);
    expect(statusOf(unsized.report, 'node placement set (selector, tolerations)')).toBe(CheckStatus.NOT_MET);
  });

  test('the checklist follows the configuration, not a fixed answer', () => {
    const bare = build({ runner: { replicas: 1 } });
    expect(statusOf(bare.report, 'network policies configured')).toBe(CheckStatus.NOT_MET);
    expect(statusOf(bare.report, 'alerts defined')).toBe(CheckStatus.NOT_MET);
    expect(statusOf(bare.report, 'several manager replicas')).toBe(CheckStatus.NOT_MET);
    expect(statusOf(bare.report, 'metrics enabled and scraped')).toBe(CheckStatus.NEEDS_A_HUMAN);

    const full = build({ network: true, monitoring: true });
    expect(statusOf(full.report, 'network policies configured')).toBe(CheckStatus.MET);
    expect(statusOf(full.report, 'alerts defined')).toBe(CheckStatus.MET);
    expect(statusOf(full.report, 'several manager replicas')).toBe(CheckStatus.MET);
    expect(statusOf(full.report, 'metrics enabled and scraped')).toBe(CheckStatus.MET);
    expect(statusOf(full.report, 'least-privilege RBAC')).toBe(CheckStatus.MET);
    // the table carries the same statuses
    expect(full.text()).toContain('| infrastructure | network policies configured | met |');
  });

  test('DNS: shows the job pods\' resolv.conf and the lookup cost of the hosts', () => {
    const { text } = build({ report: { hosts: ['registry.example.com'] } });
    expect(text()).toContain('```\nnameserver 10.0.0.2\nnameserver 10.1.0.251\nsearch gitlab.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:2\n```');
    expect(text()).toContain('registry.example.com');
  });

  test('apply: the token is read from the terminal, never written into a command', () => {
    const { text } = build();
    const apply = commandsUnder(text(), 'Apply, in this order');
    // POSIX: echo off with stty (`read -s` is bash's; dash fails on it and the Secret got an empty token), restored on Ctrl-C too.
    expect(apply).toContain('trap \'stty echo\' EXIT INT');
    expect(apply).toContain('printf \'%s: \' \'runner authentication token\'; stty -echo; IFS= read -r RUNNER_TOKEN; stty echo; printf \'\\n\'');
    expect(apply.join('\n')).not.toMatch(/read -\w*s/);
    // An empty or unset token stops the command: no Secret with an empty token.
    expect(apply).toContain('kubectl create secret generic gitlab-runner-token -n gitlab '
      + '--from-literal=runner-token="${RUNNER_TOKEN:?is empty: no Secret created}" --from-literal=runner-registration-token=""');
    expect(apply.indexOf('trap - EXIT INT')).toBeGreaterThan(apply.indexOf('unset RUNNER_TOKEN'));
    expect(apply).toContain('helm upgrade --install gitlab-runner gitlab/gitlab-runner --version 0.80.0 -n gitlab -f dist/ci/helm/gitlab-runner-values.yaml');
    // no CoreDNS step without a CoreDNS chart
    expect(apply.join('\n')).not.toContain('coredns');
  });

  test.each([
    ['s3', (c: Chart) => RunnerCache.s3({ bucketName: 'cache', credentials: Secret.fromSecretName(c, 'S3', 'cache-keys') }), [
      'printf \'%s: \' \'cache accesskey\'; stty -echo; IFS= read -r CACHE_ACCESSKEY; stty echo; printf \'\\n\'',
      'printf \'%s: \' \'cache secretkey\'; stty -echo; IFS= read -r CACHE_SECRETKEY; stty echo; printf \'\\n\'',
      'kubectl create secret generic cache-keys -n gitlab --from-literal=accesskey="${CACHE_ACCESSKEY:?is empty: no Secret created}" '
        + '--from-literal=secretkey="${CACHE_SECRETKEY:?is empty: no Secret created}"',
      'unset CACHE_ACCESSKEY CACHE_SECRETKEY',
    ]],
    ['gcs', (c: Chart) => RunnerCache.gcs({ bucketName: 'cache', credentials: Secret.fromSecretName(c, 'Gcs', 'cache-keys') }), [
      // The reader sets the path; unset, the command does not run.
      '# first set CACHE_APPLICATION_CREDENTIALS_FILE to the path of the gcs-application-credentials-file key file',
      'kubectl create secret generic cache-keys -n gitlab '
        + '--from-file=gcs-application-credentials-file="${CACHE_APPLICATION_CREDENTIALS_FILE:?the path of the key file}"',
    ]],
    ['azure', (c: Chart) => RunnerCache.azure({ containerName: 'cache', credentials: Secret.fromSecretName(c, 'Az', 'cache-keys') }), [
      'printf \'%s: \' \'cache azure-account-name\'; stty -echo; IFS= read -r CACHE_ACCOUNT_NAME; stty echo; printf \'\\n\'',
      'printf \'%s: \' \'cache azure-account-key\'; stty -echo; IFS= read -r CACHE_ACCOUNT_KEY; stty echo; printf \'\\n\'',
      'kubectl create secret generic cache-keys -n gitlab --from-literal=azure-account-name="${CACHE_ACCOUNT_NAME:?is empty: no Secret created}" '
        + '--from-literal=azure-account-key="${CACHE_ACCOUNT_KEY:?is empty: no Secret created}"',
      'unset CACHE_ACCOUNT_NAME CACHE_ACCOUNT_KEY',
    ]],
  ])('apply: the %s cache Secret gets exactly the keys the chart reads', (_name, cache, expected) => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      namespace: 'gitlab',
      cache: cache(chart),
    });
    new EnvironmentReport(chart, 'Report', { runner });
    const apply = commandsUnder(fileOfApp(App.of(chart), 'report', 'ci'), 'Apply, in this order');
    const start = apply.findIndex((l) => l.startsWith('unset RUNNER_TOKEN')) + 1;
    expect(apply.slice(start, start + expected.length)).toEqual(expected);
    expect(runner._helmValues.runners?.cache?.secretName).toBe('cache-keys');
  });

  /**
   * Runs the apply commands under `shell` with stand-ins for kubectl, helm and stty that log their
   * arguments, with `input` as what the reader types; PATH holds only the stand-ins.
   */
  function runApply(shell: string, commands: string, input: string): { status: number | null; calls: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-'));
    try {
      const log = path.join(dir, 'calls');
      for (const tool of ['kubectl', 'helm', 'stty']) {
        fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\nfor a in ${tool} "$@"; do printf '[%s]' "$a"; done >> '${log}'; echo >> '${log}'\n`, { mode: 0o755 });
      }
      const [file, ...args] = shell === 'busybox sh' ? [onPath('busybox'), 'sh'] : [shell];
      if (!file) throw new Error('busybox not found: .ci/run installs it (apt-get install -y busybox)');
      const result = spawnSync(file, [...args, '-c', commands], { input, env: { PATH: dir }, encoding: 'utf8' });
      if (result.error) throw result.error;
      return { status: result.status, calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // dash is Debian's /bin/sh, busybox ash Alpine's: neither has `read -s`.
  test.each(['/bin/sh', 'busybox sh'])('apply under %s: the values reach the Secrets as typed; an empty one creates no Secret', (shell) => {
    const { text } = build({
      runner: { cache: RunnerCache.s3({ bucketName: 'cache', credentials: Secret.fromSecretName(Testing.chart(), 'S3', 'cache-keys') }) },
    });
    const commands = commandsUnder(text(), 'Apply, in this order').join('\n');
    const secrets = (calls: string[]) => calls.filter((c) => c.startsWith('[kubectl][create][secret]'));

    // Read raw: backslashes and surrounding spaces stay.
    const typed = runApply(shell, commands, 'glrt-a\\b c\nAK\n SK \n');
    expect(typed.status).toBe(0);
    expect(secrets(typed.calls)).toEqual([
      '[kubectl][create][secret][generic][gitlab-runner-token][-n][gitlab][--from-literal=runner-token=glrt-a\\b c][--from-literal=runner-registration-token=]',
      '[kubectl][create][secret][generic][cache-keys][-n][gitlab][--from-literal=accesskey=AK][--from-literal=secretkey= SK ]',
    ]);
    expect(typed.calls.filter((c) => c.startsWith('[stty]'))).toEqual(['[stty][-echo]', '[stty][echo]', '[stty][-echo]', '[stty][echo]', '[stty][-echo]', '[stty][echo]']);

    // Just Enter (or end of input): the shell stops before any Secret, and echo is back on.
    for (const input of ['\n', '']) {
      const empty = runApply(shell, commands, input);
      expect(empty.status).not.toBe(0);
      expect(secrets(empty.calls)).toEqual([]);
      expect(empty.calls.filter((c) => c.startsWith('[helm]'))).toEqual([]);
      expect(empty.calls[empty.calls.length - 1]).toBe('[stty][echo]');
    }
  });

  test('apply: the runbook says it runs as a cluster administrator, not as the identities it creates', () => {
    const { text } = build();
    expect(text()).toMatch(/## Apply, in this order\n\nThe commands of this runbook run as a cluster administrator, not as the runner's ServiceAccount \(`gitlab-runner` in `gitlab`\)/);
  });

  test('apply and uninstall: the CoreDNS change comes with its backup and its restore', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const coreDns = new Chart(app, 'ci-coredns');
    Output.placeManifests(coreDns, { environment: 'ci', folder: ManifestFolder.CORE_DNS });
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(chart, 'Token', 'token'), namespace: 'gitlab',
    });
    new EnvironmentReport(chart, 'Report', { runner, coreDnsChart: coreDns });
    const text = fileOfApp(App.of(chart), 'report', 'ci');
    const apply = commandsUnder(text, 'Apply, in this order');
    const backup = apply.indexOf('kubectl -n kube-system get configmap coredns -o yaml > coredns.backup.yaml');
    expect(backup).toBeGreaterThan(-1);
    expect(apply[backup + 1]).toBe('kubectl apply -f dist/ci/coredns/');
    expect(commandsUnder(text, 'Uninstall').join('\n')).toContain('kubectl apply -f coredns.backup.yaml');
  });

  test('apply and uninstall: the monitoring folder after the runner, deleted before the platform', () => {
    const { text } = build({ monitoring: true });
    const apply = commandsUnder(text(), 'Apply, in this order');
    expect(apply[0]).toMatch(/^# 1\. /);
    expect(apply[1]).toBe('kubectl apply -f dist/ci/platform/');
    const monitoring = apply.indexOf('kubectl apply -f dist/ci/monitoring/');
    expect(monitoring).toBeGreaterThan(apply.findIndex((l) => l.startsWith('helm upgrade --install')));
    expect(apply[monitoring - 1]).toMatch(/Prometheus Operator's CRDs/);
    const uninstall = commandsUnder(text(), 'Uninstall');
    expect(uninstall.indexOf('kubectl delete -f dist/ci/monitoring/')).toBeGreaterThan(-1);
    expect(uninstall.indexOf('kubectl delete -f dist/ci/monitoring/'))
      .toBeLessThan(uninstall.findIndex((l) => l.startsWith('kubectl delete -f dist/ci/platform/')));
    expect(commandsUnder(build().text(), 'Apply, in this order').join('\n')).not.toContain('monitoring/');
  });

  test('upgrade: the rollout waits as long as the managers drain', () => {
    const { text, runner } = build({ runner: { jobTimeout: Duration.minutes(30) } });
    expect(commandsUnder(text(), 'Upgrade')).toContain(
      `kubectl rollout status deployment/gitlab-runner -n gitlab  # old managers finish their running jobs first, up to ${runner.terminationGracePeriodSeconds}s each`);
    expect(runner.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(1800);

    const aborting = build({ runner: { drainOnStop: false } });
    expect(commandsUnder(aborting.text(), 'Upgrade').join('\n')).toContain('old managers abort their running jobs (drainOnStop is off)');
    expect(commandsUnder(aborting.text(), 'Uninstall')[0]).toContain('the preStop hook unregisters each manager; running jobs are aborted');
  });

  test('bad input names the construct path, the property and the value', () => {
    const chart = Testing.chart();
    expect(() => new EnvironmentReport(chart, 'Report', { runner: {} as RunnerManager }))
      .toThrow(ValidationError);
    expect(() => new EnvironmentReport(chart, 'Report2', { runner: {} as RunnerManager }))
      .toThrow(/Report2.*runner.*a RunnerManager construct/s);
    const { chart: c2, runner } = build();
    expect(() => new EnvironmentReport(c2, 'Bad', { runner, hosts: [''] }))
      .toThrow(/ci\/Bad.*hosts\[0\].*a host name/s);
  });
});
