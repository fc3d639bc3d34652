// The PrometheusRules as Prometheus 2.42 reads them: `promtool check rules` on every synthesized rule,
// and `promtool test rules` with series shaped like GitLab Runner 18.3's metrics plus the target
// labels a PodMonitor adds. Names, labels and buckets as gitlabhq/gitlab-runner v18.3.0
// (9ba718cdb6a9060dda9e3e5cd724fb5f97f27570) defines them: commands/builds_helper.go (jobs,
// jobs_total, job_queue_duration_seconds, request_concurrency*), commands/multi.go (concurrent,
// limit), helpers/prometheus/failures_collector.go (failed_jobs_total), helpers/prometheus/log_hook.go
// (errors_total).
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as TOML from '@iarna/toml';
import { App, Chart, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerManager, RunnerManagerProps } from '../lib';
import { RunnerMonitoring } from '../lib/runner-monitoring';
import { loadYaml, seedOutput, synthesize, SynthesizedOutput } from './util/output';

const PROMTOOL = 'promtool';
const MINUTES = 20;

/** One runner's rule and the numbers the test reads back from its Helm values, not from the rule. */
interface Fleet {
  readonly label: string;
  /** Whether to run every unit test, or only those that depend on the runner's numbers. */
  readonly allTests: boolean;
  readonly spec: any;
  readonly name: string;
  readonly namespace: string;
  readonly job: string;
  readonly port: string;
  readonly runnerName: string;
  readonly replicas: number;
  readonly concurrent: number;
  readonly limit: number;
  readonly requestConcurrency: number;
  readonly jobsPerManager: number;
}

/** Every RunnerMonitoring of an output: its PrometheusRule, PodMonitor and the values file of the same environment. */
function fleetsOf(output: SynthesizedOutput, label: string, allTests: boolean): Fleet[] {
  const objects = output.objects();
  return objects.filter(({ object }) => object.kind === 'PrometheusRule').map(({ file, environment: env, object: rule }) => {
    const podMonitor = objects.find(({ file: f, object: o }) => f === file && o.kind === 'PodMonitor'
      && o.metadata.name === rule.metadata.name && o.metadata.namespace === rule.metadata.namespace)!.object;
    const values = loadYaml(output.pathOf(output.ofEnvironment(env, 'values')))[0];
    const entry = (TOML.parse(values.runners.config) as any).runners[0];
    const limit = entry.limit ?? 0;
    return {
      label: `${label} ${env}`,
      allTests,
      spec: rule.spec,
      name: podMonitor.metadata.name,
      namespace: podMonitor.metadata.namespace,
      job: `${podMonitor.metadata.namespace}/${podMonitor.metadata.name}`,
      port: podMonitor.spec.podMetricsEndpoints[0].port,
      runnerName: values.runners.name,
      replicas: values.replicas,
      concurrent: values.concurrent,
      limit,
      // GitLab Runner's default request_concurrency.
      requestConcurrency: entry.request_concurrency ?? 1,
      jobsPerManager: limit > 0 ? Math.min(limit, values.concurrent) : values.concurrent,
    };
  });
}

/**
 * Runners with other numbers than the seeds: limit set / unset, 1 / 3 replicas, request concurrency
 * 1 / 4, so that each alert is both emitted and left out; and a limit that does not bind.
 */
const VARIANTS: [string, Partial<RunnerManagerProps>][] = [
  ['limit2-r1-rc1', { concurrent: 10, limit: 2, replicas: 1, requestConcurrency: 1 }],
  ['limit2-r3-rc4', { concurrent: 10, limit: 2, replicas: 3, requestConcurrency: 4 }],
  ['nolimit-r1-rc4', { concurrent: 10, replicas: 1, requestConcurrency: 4 }],
  ['nolimit-r3-rc1', { concurrent: 10, replicas: 3, requestConcurrency: 1 }],
  ['limit12-r2-rc1', { concurrent: 10, limit: 12, replicas: 2 }],
];

function variantOutput(): SynthesizedOutput {
  return synthesize((app: App) => {
    for (const [id, props] of VARIANTS) {
      const chart = new Chart(app, id);
      const runner = new RunnerManager(chart, 'Runner', {
        gitlabUrl: 'https://gitlab.example.com/',
        tokenSecret: Secret.fromSecretName(chart, 'Token', 'runner-token'),
        namespace: `ci-${id}`,
        releaseName: id,
        ...props,
      });
      new RunnerMonitoring(chart, 'Monitoring', { runner });
    }
  });
}

// ---- series as the runner exports them ----

type Labels = { [key: string]: string };
interface Series { readonly series: string; readonly values: string }

function series(metric: string, labels: Labels, values: string): Series {
  const text = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ');
  return { series: `${metric}{${text}}`, values };
}

/** `start`, then `step` more every minute, for the whole test. */
const steady = (start: number, step = 0) => `${start}+${step}x${MINUTES}`;

/** The queue-duration buckets of GitLab Runner 18.3 (`commands/builds_helper.go`). */
const QUEUE_BUCKETS = ['1', '3', '10', '30', '60', '120', '300', '900', '1800', '3600', '+Inf'];

/** What one manager pod's metrics do, per minute. */
interface PodLoad {
  readonly up?: boolean;
  /** Running jobs: gauge values as a promtool series (e.g. `steady(2)`), or none while no job runs. */
  readonly running?: string;
  readonly jobsTotal?: string;
  /** `failure_reason` → counter values. */
  readonly failures?: { [reason: string]: string };
  readonly errors?: string;
  readonly exceeded?: string;
  /** Jobs picked up a minute, and whether they had waited 5–15 minutes (else 1–3 seconds). */
  readonly picked?: number;
  readonly slowQueue?: boolean;
}

const HEALTHY: PodLoad = {
  jobsTotal: steady(0, 20),
  // 5% runner failures, and projects' own failures that are no runner's business.
  failures: { script_failure: steady(0, 5), job_canceled: steady(0, 2), configuration_error: steady(0, 1), runner_system_failure: steady(0, 1) },
  // One error in the two hours.
  errors: `0+0x10 1+0x${MINUTES - 11}`,
  // GitLab holds the one request open: the manager is held back every 3 s check interval.
  exceeded: steady(0, 20),
  picked: 20,
};

/** A pod's name as the chart's Deployment makes it. */
const podName = (fleet: Fleet, i: number) => `${fleet.name}-7c9d8f6b5-${['x2k4p', 'q8w3n', 'm5t7z'][i]}`;

function podSeries(fleet: Fleet, i: number, load: PodLoad): Series[] {
  // The labels the Prometheus Operator gives a PodMonitor's targets.
  const target: Labels = {
    job: fleet.job, namespace: fleet.namespace, pod: podName(fleet, i), container: fleet.name,
    endpoint: fleet.port, instance: `10.244.${i + 1}.17:9252`,
  };
  const out = [series('up', target, steady(load.up === false ? 0 : 1))];
  if (load.up === false) return out;
  const runner = { runner: 'Xq7kP2rT9', runner_name: fleet.runnerName };
  const withId = { ...runner, system_id: `r_Ab3dE5gH7jK${i}` };
  out.push(
    series('gitlab_runner_concurrent', target, steady(fleet.concurrent)),
    series('gitlab_runner_limit', { ...target, ...withId }, steady(fleet.limit)),
    series('gitlab_runner_errors_total', { ...target, level: 'warning' }, steady(0, 30)),
    series('gitlab_runner_request_concurrency', { ...target, runner: runner.runner, system_id: withId.system_id }, steady(1)),
  );
  if (load.running) {
    out.push(series('gitlab_runner_jobs', { ...target, ...withId, state: 'running', stage: 'step_script', executor_stage: 'prepare' }, load.running));
  }
  if (load.jobsTotal) out.push(series('gitlab_runner_jobs_total', { ...target, ...withId }, load.jobsTotal));
  for (const [reason, values] of Object.entries(load.failures ?? {})) {
    out.push(series('gitlab_runner_failed_jobs_total', { ...target, ...runner, failure_reason: reason }, values));
  }
  if (load.errors) out.push(series('gitlab_runner_errors_total', { ...target, level: 'error' }, load.errors));
  if (load.exceeded) {
    out.push(series('gitlab_runner_request_concurrency_exceeded_total', { ...target, runner: runner.runner, system_id: withId.system_id }, load.exceeded));
  }
  if (load.picked !== undefined) {
    const histogram = { ...target, ...withId, project_jobs_running: '0' };
    const n = load.picked;
    for (const le of QUEUE_BUCKETS) {
      const inBucket = load.slowQueue ? Number(le) >= 900 || le === '+Inf' : Number(le) >= 3 || le === '+Inf';
      const perMinute = inBucket ? n : (!load.slowQueue && le === '1' ? n / 2 : 0);
      out.push(series('gitlab_runner_job_queue_duration_seconds_bucket', { ...histogram, le }, steady(0, perMinute)));
    }
    out.push(
      series('gitlab_runner_job_queue_duration_seconds_count', histogram, steady(0, n)),
      series('gitlab_runner_job_queue_duration_seconds_sum', histogram, steady(0, n * (load.slowQueue ? 600 : 1.5))),
    );
  }
  return out;
}

/** Every manager pod with `load`, except where `only` gives pod i another. */
function fleetSeries(fleet: Fleet, load: PodLoad, only: { [i: number]: PodLoad } = {}): Series[] {
  return Array.from({ length: fleet.replicas }, (_, i) => podSeries(fleet, i, only[i] ?? load)).flat();
}

// ---- what each alert must say ----

interface Expected { readonly value?: string; readonly pod?: string }

function annotations(fleet: Fleet, alert: string, e: Expected): { summary: string; description: string } {
  const what = `GitLab Runner "${fleet.name}" in namespace "${fleet.namespace}"`;
  const pods = `kubectl -n ${fleet.namespace} get pods -l app=${fleet.name}`;
  const jobs = fleet.replicas * fleet.jobsPerManager;
  const capName = alert === 'GitLabRunnerLimitSaturated' ? 'limit' : 'concurrent';
  switch (alert) {
    case 'GitLabRunnerNoManagerUp': return {
      summary: `No manager of ${what} is up`,
      description: `No manager pod of ${what} (job ${fleet.job}) has been scraped successfully for 5 minutes, so no CI job starts on `
        + `this runner. Check \`${pods}\`, the pods' events and logs, and that the PodMonitor "${fleet.name}" still selects them.`,
    };
    case 'GitLabRunnerManagersDown': return {
      summary: `Only ${e.value} of ${fleet.replicas} managers of ${what} are up`,
      description: `For 15 minutes only ${e.value} of the ${fleet.replicas} manager pods have been scraped successfully: the runner runs `
        + `at most ${e.value} × ${fleet.jobsPerManager} jobs at once instead of ${jobs}. Check \`${pods}\`.`,
    };
    case 'GitLabRunnerJobFailureRatioHigh': return {
      summary: `${e.value} of the jobs of ${what} failed in the last hour`,
      description: `${e.value} of the jobs this runner took in the last hour failed for a reason other than their own script, a cancel `
        + 'or their CI configuration (threshold 10%). See the reasons with '
        + `\`sum by (failure_reason) (increase(gitlab_runner_failed_jobs_total{job="${fleet.job}"}[1h]))\`; runner_system_failure points `
        + 'at the cluster (job pods not scheduled, image pulls, the API server), not at the projects.',
    };
    case 'GitLabRunnerErrors': return {
      summary: `Manager ${e.pod} of ${what} logs ${e.value} errors a minute`,
      description: `The manager pod ${e.pod} has logged ${e.value} error lines a minute for 15 minutes (threshold 1). `
        + `Read them with \`kubectl -n ${fleet.namespace} logs ${e.pod}\`.`,
    };
    case 'GitLabRunnerConcurrentSaturated':
    case 'GitLabRunnerLimitSaturated': return {
      summary: `${what} runs at ${e.value} of its ${capName}`,
      description: `For 15 minutes the managers have been running ${e.value} of the ${jobs} jobs their ${capName} allows `
        + `(${fleet.replicas} managers × ${fleet.jobsPerManager}); further jobs wait in GitLab's queue. Add replicas or raise ${capName} `
        + '(within the node pool\'s capacity).',
    };
    case 'GitLabRunnerRequestConcurrencyExceeded': return {
      summary: `Jobs of manager ${e.pod} of ${what} wait ${e.value} while request_concurrency holds it back`,
      description: `The 90th percentile of the time the jobs manager pod ${e.pod} picked up in the last 30 minutes had waited in GitLab's `
        + `queue is ${e.value} (threshold 5m), although the manager never ran all its ${fleet.jobsPerManager} jobs and held back job `
        + `requests because all its request_concurrency (${fleet.requestConcurrency}) requests were in flight (GitLab holds each open by `
        + 'long polling). Raise requestConcurrency.',
    };
    case 'GitLabRunnerJobQueueSlow': return {
      summary: `Jobs of ${what} wait ${e.value} in GitLab's queue`,
      description: `The 90th percentile of the time the jobs this runner picked up in the last 30 minutes had waited in GitLab's queue is `
        + `${e.value} (threshold 5m): jobs wait for a free slot. Check the saturation and request-concurrency alerts and the managers' health.`,
    };
    default: throw new Error(`no expectation for ${alert}`);
  }
}

/** The alerts a runner with these numbers can fire, worked out here from the runner's numbers. */
function expectedAlerts(fleet: Fleet): string[] {
  const limitBinds = fleet.limit > 0 && fleet.limit < fleet.concurrent;
  return [
    'GitLabRunnerNoManagerUp',
    ...(fleet.replicas > 1 ? ['GitLabRunnerManagersDown'] : []),
    'GitLabRunnerJobFailureRatioHigh',
    'GitLabRunnerErrors',
    limitBinds ? 'GitLabRunnerLimitSaturated' : 'GitLabRunnerConcurrentSaturated',
    ...(fleet.requestConcurrency < fleet.jobsPerManager ? ['GitLabRunnerRequestConcurrencyExceeded'] : []),
    'GitLabRunnerJobQueueSlow',
  ];
}

interface UnitTest {
  readonly name: string;
  readonly interval: string;
  readonly input_series: Series[];
  readonly alert_rule_test: { eval_time: string; alertname: string; exp_alerts: any[] }[];
}

/**
 * The promtool unit tests of one runner: each alert fires on its failure and stays silent otherwise.
 * Without `all`, only the tests whose outcome depends on the runner's numbers (time: ~0.1 s a test).
 */
function unitTests(fleet: Fleet, all: boolean): UnitTest[] {
  const emitted = expectedAlerts(fleet);
  const severity = (alert: string) => (alert === 'GitLabRunnerNoManagerUp' ? 'critical' : 'warning');
  const fires = (alert: string, at: string, ...each: Expected[]) => ({
    eval_time: at, alertname: alert,
    exp_alerts: each.map((e) => ({
      exp_labels: { ...(e.pod ? { pod: e.pod } : {}), severity: severity(alert), namespace: fleet.namespace },
      exp_annotations: annotations(fleet, alert, e),
    })),
  });
  const silent = (alert: string, at = '20m') => ({ eval_time: at, alertname: alert, exp_alerts: [] });
  const test = (name: string, input: Series[], checks: UnitTest['alert_rule_test']): UnitTest =>
    ({ name, interval: '1m', input_series: input, alert_rule_test: checks.filter((c) => emitted.includes(c.alertname)) });
  // The same for every runner but its job: the seeds run these.
  const sameForAll = (t: UnitTest) => (all ? [t] : []);
  const allSilent = emitted.map((a) => silent(a));
  const saturation = emitted.find((a) => a.endsWith('Saturated'))!;
  const pods = Array.from({ length: fleet.replicas }, (_, i) => podName(fleet, i));
  const rc = fleet.requestConcurrency < fleet.jobsPerManager;
  const half = Math.floor(fleet.jobsPerManager / 2);
  const someRunning = steady(half);
  // Jobs wait 5–15 minutes: the 90th percentile interpolates to 300 + 0.9 × 600 seconds.
  const slow: PodLoad = { ...HEALTHY, running: someRunning, exceeded: steady(0, rc ? 20 : 0), picked: 2, slowQueue: true };
  const tests: UnitTest[] = [
    test('healthy fleet', fleetSeries(fleet, { ...HEALTHY, running: someRunning }), allSilent),
    test('idle fleet under long polling: held back every check interval, no job waiting', fleetSeries(fleet, {
      jobsTotal: steady(500), failures: { script_failure: steady(40) }, errors: steady(0), exceeded: steady(0, 20), picked: 0,
    }), allSilent),
    test('no manager is scraped successfully', fleetSeries(fleet, { up: false }), [
      { eval_time: '4m', alertname: 'GitLabRunnerNoManagerUp', exp_alerts: [] },
      fires('GitLabRunnerNoManagerUp', '6m', {}),
      // None up is the critical alert's; the warning does not repeat it.
      silent('GitLabRunnerManagersDown'),
    ]),
    ...sameForAll(test('no manager pod exists: absent() fires, another job\'s targets do not count', [
      series('up', { job: `${fleet.namespace}/other`, namespace: fleet.namespace, pod: 'other-0' }, steady(1)),
    ], [fires('GitLabRunnerNoManagerUp', '6m', {})])),
    // With 1 replica, one down is none up: the test above.
    ...(fleet.replicas > 1 ? [test('one manager down', fleetSeries(fleet, HEALTHY, { 0: { up: false } }), [
      silent('GitLabRunnerNoManagerUp'),
      { eval_time: '14m', alertname: 'GitLabRunnerManagersDown', exp_alerts: [] },
      fires('GitLabRunnerManagersDown', '16m', { value: String(fleet.replicas - 1) }),
    ])] : []),
    ...sameForAll(test('runner failures: system failures, image pulls and timeouts are 20% of the jobs', fleetSeries(fleet, {
      ...HEALTHY,
      failures: { ...HEALTHY.failures, runner_system_failure: steady(0, 2), image_pull_failure: steady(0, 1), job_execution_timeout: steady(0, 1) },
    }), [fires('GitLabRunnerJobFailureRatioHigh', '20m', { value: '20%' })])),
    ...sameForAll(test('projects\' own failures, cancels and CI configuration errors are not the runner\'s', fleetSeries(fleet, {
      ...HEALTHY,
      failures: { script_failure: steady(0, 10), job_canceled: steady(0, 4), configuration_error: steady(0, 2), runner_system_failure: steady(0, 1) },
    }), [silent('GitLabRunnerJobFailureRatioHigh')])),
    ...sameForAll(test('too few jobs: 4 of 8 failed', fleetSeries(fleet, { errors: steady(0) }, {
      0: { jobsTotal: `0 1+1x7 8+0x${MINUTES - 9}`, failures: { runner_system_failure: `0 1+1x3 4+0x${MINUTES - 5}` } },
    }), [silent('GitLabRunnerJobFailureRatioHigh')])),
    ...sameForAll(test('a manager restarts: its counters start again at 0', fleetSeries(fleet, {
      // Long-lived managers that had an incident long ago, healthy now.
      ...HEALTHY, jobsTotal: steady(10000, 20), failures: { runner_system_failure: steady(3000, 1), script_failure: steady(500, 5) },
      errors: steady(400),
    }, {
      0: {
        ...HEALTHY,
        jobsTotal: `10000+20x3 0+20x${MINUTES - 4}`,
        failures: { runner_system_failure: `3000+1x3 0+1x${MINUTES - 4}`, script_failure: `500+5x3 0+5x${MINUTES - 4}` },
        errors: `400+0x3 0+0x${MINUTES - 4}`,
      },
    }), [silent('GitLabRunnerJobFailureRatioHigh'), silent('GitLabRunnerErrors')])),
    ...sameForAll(test('a manager logs 3 errors a minute', fleetSeries(fleet, HEALTHY, { 0: { ...HEALTHY, errors: steady(0, 3) } }), [
      fires('GitLabRunnerErrors', '20m', { pod: pods[0], value: '3' }),
    ])),
    test('every manager runs all its jobs', fleetSeries(fleet, { ...HEALTHY, running: steady(fleet.jobsPerManager), exceeded: steady(0) }), [
      { eval_time: '14m', alertname: saturation, exp_alerts: [] },
      fires(saturation, '16m', { value: '100%' }),
      silent('GitLabRunnerRequestConcurrencyExceeded'),
    ]),
    test('jobs wait 14 minutes while the managers have free slots', fleetSeries(fleet, slow), [
      fires('GitLabRunnerJobQueueSlow', '20m', { value: '14m 0s' }),
      fires('GitLabRunnerRequestConcurrencyExceeded', '20m', ...pods.map((pod) => ({ pod, value: '14m 0s' }))),
    ]),
    test('jobs wait with free slots, but no request was held back: not request_concurrency\'s doing', fleetSeries(fleet, {
      ...slow, exceeded: steady(0),
    }), [
      silent('GitLabRunnerRequestConcurrencyExceeded'),
      fires('GitLabRunnerJobQueueSlow', '20m', { value: '14m 0s' }),
    ]),
    test('jobs wait because the managers were full, not because of request_concurrency', fleetSeries(fleet, {
      // Full from minute 3 to 7, inside the 30-minute windows of the evaluation at 20m.
      ...slow, running: `${half}+0x2 ${fleet.jobsPerManager}+0x4 ${half}+0x${MINUTES - 8}`,
    }), [
      silent('GitLabRunnerRequestConcurrencyExceeded'),
      fires('GitLabRunnerJobQueueSlow', '20m', { value: '14m 0s' }),
    ]),
  ];
  return tests.filter((t) => t.alert_rule_test.length > 0);
}

// ---- running promtool ----

interface Run { readonly ok: boolean; readonly output: string }

const notFound = () => new Error(`${PROMTOOL} not found on PATH: install Debian's prometheus package (promtool 2.42)`);

/** Runs promtool; a missing promtool is a failure, not a skip. */
function promtool(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(PROMTOOL, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        reject(notFound());
      } else {
        resolve({ ok: !error, output: `${stdout}${stderr}` });
      }
    });
  });
}

/** One promtool run on many files, and what it reported on each of them. */
interface BatchRun {
  readonly ok: boolean;
  readonly output: string;
  readonly files: Map<string, Run>;
}

/**
 * Runs `promtool <command> rules` once on all `files` and splits its report by file. promtool prints
 * a header per file on stdout and the failures on stderr; both go to one file, so that each failure
 * stays under its file's header. A file passed when its part says SUCCESS and nothing FAILED.
 */
function promtoolOn(command: 'check' | 'test', files: string[]): Promise<BatchRun> {
  const log = path.join(tmp, `${command}-${path.basename(files[0])}.log`);
  const fd = fs.openSync(log, 'w');
  // A larger GC target: promtool's unit tests are allocation-bound (a quarter less CPU, under 100 MB).
  const child = spawn(PROMTOOL, [command, 'rules', ...files], { stdio: ['ignore', fd, fd], env: { ...process.env, GOGC: '200' } });
  fs.closeSync(fd);
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? notFound() : error));
    child.on('close', (code) => {
      const output = fs.readFileSync(log, 'utf8');
      const header = command === 'check' ? 'Checking ' : 'Unit Testing: +';
      const parts = output.split(new RegExp(`^(?=${header})`, 'm'));
      const byFile = new Map<string, Run>();
      for (const part of parts) {
        const file = new RegExp(`^${header}(\\S+)\\n`).exec(part)?.[1];
        if (file === undefined) continue;
        if (byFile.has(file)) reject(new Error(`promtool reported ${file} twice:\n${output}`));
        byFile.set(file, { ok: /^ {2}SUCCESS/m.test(part) && !/FAILED/.test(part), output: part });
      }
      resolve({ ok: code === 0, output, files: byFile });
    });
  });
}

/** The rule file and the unit-test file of one rule (the tests filtered to `only`, when given). */
interface RuleFiles { readonly rules: string; readonly tests: string }

function writeRuleFiles(name: string, fleet: Fleet, spec: any = fleet.spec, only?: string): RuleFiles {
  const base = path.join(tmp, name);
  fs.writeFileSync(`${base}.rules.yaml`, Yaml.stringify({ groups: spec.groups }));
  fs.writeFileSync(`${base}.test.yaml`, Yaml.stringify({
    rule_files: [`${base}.rules.yaml`], evaluation_interval: '1m',
    tests: unitTests(fleet, fleet.allTests).filter((t) => only === undefined || t.name === only),
  }));
  return { rules: `${base}.rules.yaml`, tests: `${base}.test.yaml` };
}

const seeds = fleetsOf(seedOutput(), 'seed', true);
const variants = fleetsOf(variantOutput(), 'variant', false);
const fleets = [...seeds, ...variants];

/** The internal seed's rule with one known defect at a time, and the unit test written to catch it. */
const defectFleet = seeds.find((f) => f.label === 'seed internal')!;
const expr = (f: (e: string) => string) => (r: any) => { r.expr = f(r.expr); };
const DEFECTS: [string, string, (rule: any) => void, string][] = [
  ['the failure ratio counts cancels and configuration errors', 'GitLabRunnerJobFailureRatioHigh',
    expr((e) => e.replace('failure_reason!~"script_failure|job_canceled|configuration_error"', 'failure_reason!="script_failure"')),
    'projects\' own failures, cancels and CI configuration errors are not the runner\'s'],
  ['the failure ratio sums before increase(), so a restart looks like failures', 'GitLabRunnerJobFailureRatioHigh',
    expr((e) => e.replace(/sum\(increase\(([^[]+)\[1h\]\)\)/g, 'increase(sum($1)[1h:1m])')),
    'a manager restarts: its counters start again at 0'],
  ['the failure ratio without its minimum of jobs', 'GitLabRunnerJobFailureRatioHigh',
    expr((e) => e.replace(/\nand\n.*$/, '')),
    'too few jobs: 4 of 8 failed'],
  ['the request-concurrency alert of the old design', 'GitLabRunnerRequestConcurrencyExceeded',
    expr(() => `sum by (pod) (increase(gitlab_runner_request_concurrency_exceeded_total{job="${defectFleet.job}"}[15m])) > 0`),
    'idle fleet under long polling: held back every check interval, no job waiting'],
  ['the request-concurrency alert blames requests while the managers were full', 'GitLabRunnerRequestConcurrencyExceeded',
    expr((e) => e.replace(/\nunless on \(pod\)\n.*$/, '')),
    'jobs wait because the managers were full, not because of request_concurrency'],
  ['a manager is said to run concurrent jobs, not its limit', 'GitLabRunnerManagersDown',
    (r) => { r.annotations.description = r.annotations.description.replace(`× ${defectFleet.jobsPerManager} jobs`, `× ${defectFleet.concurrent} jobs`); },
    'one manager down'],
];
const defectSpecs = DEFECTS.map(([, alert, change]) => {
  const spec = JSON.parse(JSON.stringify(defectFleet.spec));
  change(spec.groups[0].rules.find((r: any) => r.alert === alert));
  return spec;
});

let tmp: string;
let fleetFiles: RuleFiles[];
let defectFiles: RuleFiles[];
/** A rule file promtool must reject (an expression that does not parse), checked in the same run as the good ones. */
let brokenRules: string;
let checkRun: BatchRun;
let testRuns: BatchRun[];

/** promtool's report on `file`, from the run that had it. */
function reportOn(runs: BatchRun[], file: string): Run {
  const found = runs.filter((r) => r.files.has(file));
  expect({ file, runs: found.length }).toEqual({ file, runs: 1 });
  return found[0].files.get(file)!;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  fleetFiles = fleets.map((f, i) => writeRuleFiles(`rule-${i}`, f));
  defectFiles = DEFECTS.map(([, , , failingTest], i) => writeRuleFiles(`defect-${i}`, defectFleet, defectSpecs[i], failingTest));
  brokenRules = path.join(tmp, 'broken.rules.yaml');
  const broken = JSON.parse(JSON.stringify(defectFleet.spec));
  broken.groups[0].rules[1].expr = 'count(up{job="x"} == 1) <';
  fs.writeFileSync(brokenRules, Yaml.stringify({ groups: broken.groups }));
  // One check of every rule file, the broken one among them; the unit tests in two runs (both cores),
  // each with good rules and defects mixed.
  const tests = [...fleetFiles, ...defectFiles].map((f) => f.tests);
  const checkFiles = fleetFiles.map((f) => f.rules);
  checkFiles.splice(2, 0, brokenRules);
  [checkRun, ...testRuns] = await Promise.all([
    promtoolOn('check', checkFiles),
    promtoolOn('test', tests.filter((_f, i) => i % 2 === 0)),
    promtoolOn('test', tests.filter((_f, i) => i % 2 === 1)),
  ]);
}, 30000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('promtool 2.42 is installed', async () => {
  expect((await promtool('--version')).output).toMatch(/^promtool, version 2\.42\./);
});

test('the seeds and the variants each have one rule to test', () => {
  expect(seeds.map((f) => f.label)).toEqual(['seed hybrid', 'seed internal', 'seed public']);
  expect(variants).toHaveLength(VARIANTS.length);
});

test('one promtool run reports each of its files apart, and fails when one of them fails', () => {
  // THEN every file given is reported once, by the run that had it
  expect([...checkRun.files.keys()].sort()).toEqual([...fleetFiles.map((f) => f.rules), brokenRules].sort());
  expect(testRuns.flatMap((r) => [...r.files.keys()]).sort()).toEqual([...fleetFiles, ...defectFiles].map((f) => f.tests).sort());
  // AND the broken rule file, amid good ones, fails its check alone, with its parse error under its name
  const failed = [...checkRun.files].filter(([, run]) => !run.ok).map(([file]) => file);
  expect(failed).toEqual([brokenRules]);
  expect(checkRun.files.get(brokenRules)!.output).toMatch(/FAILED:[\s\S]*parse error/);
  expect(checkRun.ok).toBe(false);
  // AND each test run holds a defect, so each fails as a whole
  for (const run of testRuns) expect(run.ok).toBe(false);
});

test.each(fleets.map((f, i) => [f.label, f, i] as const))('%s: promtool checks the rules and their unit tests pass', (_label, fleet, i) => {
  // THEN the rule holds exactly the alerts that can fire with these numbers
  expect(fleet.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(expectedAlerts(fleet));
  const check = checkRun.files.get(fleetFiles[i].rules)!;
  const unit = reportOn(testRuns, fleetFiles[i].tests);
  expect(check.output).toContain(`SUCCESS: ${expectedAlerts(fleet).length} rules found`);
  expect(check.ok).toBe(true);
  expect(unit.output).toMatch(/^Unit Testing: .*\n {2}SUCCESS\n/);
  expect(unit.ok).toBe(true);
});

test('the unit tests catch the defects they are written for', () => {
  // GIVEN the internal seed, and its rule with one known defect at a time
  defectSpecs.forEach((spec) => expect(JSON.stringify(spec)).not.toBe(JSON.stringify(defectFleet.spec)));
  // THEN promtool fails each, in the unit test written for that defect
  DEFECTS.forEach(([what, alert, , failingTest], i) => {
    const result = reportOn(testRuns, defectFiles[i].tests);
    expect({ what, ok: result.ok }).toEqual({ what, ok: false });
    expect(result.output).toContain(`name: ${failingTest},\n    alertname: ${alert}`);
  });
});
