import { Chart, Duration, Testing, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerManager, RunnerManagerProps, RunnerMonitoring, RunnerMonitoringProps, ValidationError } from '../../lib';
import { validateAnyObject, validateCustomResource } from '../util/crd-schema';
import * as RUNNER_METRICS from '../fixtures/runner-metrics.json';

const DEFAULT_ALERTS = [
  'GitLabRunnerNoManagerUp',
  'GitLabRunnerManagersDown',
  'GitLabRunnerJobFailureRatioHigh',
  'GitLabRunnerErrors',
  'GitLabRunnerConcurrentSaturated',
  'GitLabRunnerRequestConcurrencyExceeded',
  'GitLabRunnerJobQueueSlow',
];

function build(runnerProps: Partial<RunnerManagerProps> = {}, props: Partial<RunnerMonitoringProps> = {}):
{ chart: Chart; runner: RunnerManager; monitoring: RunnerMonitoring } {
  const chart = Testing.chart();
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'http://192.168.1.50/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    ...runnerProps,
  });
  const monitoring = new RunnerMonitoring(chart, 'Monitoring', { runner, ...props });
  return { chart, runner, monitoring };
}

/** The Prometheus Operator objects of a chart. */
function monitoringObjects(chart: Chart): any[] {
  return Testing.synth(chart).filter((o) => o.apiVersion === 'monitoring.coreos.com/v1');
}

function rules(chart: Chart): any[] {
  const rule = monitoringObjects(chart).find((o) => o.kind === 'PrometheusRule');
  return rule.spec.groups.flatMap((g: any) => g.rules);
}

const exprOf = (chart: Chart, alert: string): string => rules(chart).find((r) => r.alert === alert).expr;

/**
 * The runner metric names an expression reads. A histogram's series (`_bucket`, `_sum`, `_count`)
 * count as the histogram itself.
 */
function runnerMetricsIn(expr: string): string[] {
  const known = new Set(RUNNER_METRICS.metrics);
  return [...expr.matchAll(/gitlab_runner_[a-z_]+/g)].map(([token]) => {
    const histogram = token.replace(/_(bucket|sum|count)$/, '');
    return !known.has(token) && histogram !== token && histogram.endsWith('_seconds') ? histogram : token;
  });
}

/** Every `metric{...}` selector of an expression, as [metric, matchers]. */
function selectorsIn(expr: string): [string, string][] {
  return [...expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map((m) => [m[1], m[2]]);
}

/** Parentheses, brackets and braces balance, and quotes pair up: a cheap PromQL syntax guard. */
function balanced(expr: string): boolean {
  const close: { [c: string]: string } = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quoted = false;
  for (const c of expr) {
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if ('([{'.includes(c)) stack.push(c);
    else if (c in close && stack.pop() !== close[c]) return false;
  }
  return !quoted && stack.length === 0;
}

describe('RunnerMonitoring', () => {
  test('defaults: a PodMonitor on the chart\'s manager pods and the alerts, valid against their CRDs', () => {
    // GIVEN
    const { chart, monitoring } = build();

    // WHEN
    const all = Testing.synth(chart);
    const objects = monitoringObjects(chart);

    // THEN
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'PodMonitor gitlab-runner/gitlab-runner',
      'PrometheusRule gitlab-runner/gitlab-runner',
    ]);
    for (const obj of objects) expect(validateCustomResource(obj)).toEqual([]);
    // AND the whole chart, the manager's objects included, passes its schemas
    expect(all.flatMap(validateAnyObject)).toEqual([]);

    // AND the PodMonitor selects the chart's pod labels and its metrics port, every 30 seconds
    const [podMonitor] = objects;
    expect(podMonitor.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner', 'release': 'kube-prometheus-stack' });
    expect(podMonitor.spec).toEqual({
      selector: { matchLabels: { app: 'gitlab-runner', release: 'gitlab-runner' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    expect(monitoring.interval).toBe('30s');
    expect(monitoring.job).toBe('gitlab-runner/gitlab-runner');
    expect(monitoring.podMonitor.node.id).toBe('Resource');
    expect(monitoring.node.defaultChild).toBe(monitoring.podMonitor);
    expect(objects[1].metadata.labels).toEqual(podMonitor.metadata.labels);
    expect(monitoring.rule.kind).toBe('PrometheusRule');
  });

  test('the port is the one the chart names in the manager pod', () => {
    const { runner, chart } = build();
    expect(runner._helmValues.metrics).toEqual({ enabled: true, portName: 'metrics', port: 9252 });
    expect(monitoringObjects(chart)[0].spec.podMetricsEndpoints[0].port).toBe(runner._helmValues.metrics!.portName);
  });

  test('every alert is present, with for, severity, summary and description', () => {
    // GIVEN
    const { chart, monitoring } = build();

    // WHEN
    const all = rules(chart);

    // THEN
    expect(monitoring.alertNames).toEqual(DEFAULT_ALERTS);
    expect(all.map((r) => r.alert)).toEqual(DEFAULT_ALERTS);
    for (const rule of all) {
      expect(rule.for).toMatch(/^\d+m$/);
      expect(rule.labels).toEqual({ severity: expect.stringMatching(/^(warning|critical)$/), namespace: 'gitlab-runner' });
      expect(rule.annotations.summary).toEqual(expect.any(String));
      expect(rule.annotations.description).toEqual(expect.any(String));
      expect(balanced(rule.expr)).toBe(true);
    }
    expect(all.filter((r) => r.labels.severity === 'critical').map((r) => r.alert)).toEqual(['GitLabRunnerNoManagerUp']);
    expect(all.find((r) => r.alert === 'GitLabRunnerErrors').annotations.summary).toContain('{{ $value | humanize }}');
  });

  test('every metric an alert reads is one GitLab Runner 18.3 exports, or Prometheus\' own up', () => {
    // GIVEN a runner with a limit and one without, so that every alert is there
    const all = [...rules(build({ limit: 2 }).chart), ...rules(build().chart)];
    expect(new Set(all.map((r) => r.alert)).size).toBe(8);

    for (const rule of all) {
      // THEN each gitlab_runner_* token is in the runner's list
      const used = runnerMetricsIn(rule.expr);
      expect(used.filter((m) => !RUNNER_METRICS.metrics.includes(m))).toEqual([]);
      // AND each selector reads the PodMonitor's job and nothing but runner metrics and up
      const selectors = selectorsIn(rule.expr);
      expect(selectors.length).toBeGreaterThan(0);
      for (const [metric, matchers] of selectors) {
        expect(metric === 'up' || RUNNER_METRICS.metrics.includes(runnerMetricsIn(metric)[0])).toBe(true);
        expect(matchers.split(/,\s*/)[0]).toBe('job="gitlab-runner/gitlab-runner"');
      }
    }
    // AND the check itself refuses a name the runner does not export
    expect(runnerMetricsIn('rate(gitlab_runner_jobs_failed_total[5m])').filter((m) => !RUNNER_METRICS.metrics.includes(m)))
      .toEqual(['gitlab_runner_jobs_failed_total']);
    expect(runnerMetricsIn('gitlab_runner_job_queue_duration_seconds_bucket')).toEqual(['gitlab_runner_job_queue_duration_seconds']);
  });

  test('the expressions, with the default thresholds', () => {
    const { chart } = build({ replicas: 3, requestConcurrency: 2 });
    const job = 'job="gitlab-runner/gitlab-runner"';
    expect(exprOf(chart, 'GitLabRunnerNoManagerUp')).toBe(`absent(up{${job}} == 1)`);
    expect(exprOf(chart, 'GitLabRunnerManagersDown')).toBe(`count(up{${job}} == 1) < 3`);
    expect(exprOf(chart, 'GitLabRunnerJobFailureRatioHigh')).toBe([
      '(',
      `  sum(increase(gitlab_runner_failed_jobs_total{${job}, failure_reason!~"script_failure|job_canceled|configuration_error"}[1h]))`,
      '/',
      `  sum(increase(gitlab_runner_jobs_total{${job}}[1h]))`,
      ') > 0.1',
      'and',
      `sum(increase(gitlab_runner_jobs_total{${job}}[1h])) >= 10`,
    ].join('\n'));
    expect(exprOf(chart, 'GitLabRunnerErrors')).toBe(`sum by (pod) (rate(gitlab_runner_errors_total{${job}, level="error"}[10m])) * 60 > 1`);
    expect(exprOf(chart, 'GitLabRunnerConcurrentSaturated')).toBe(`sum(gitlab_runner_jobs{${job}}) / sum(gitlab_runner_concurrent{${job}}) >= 0.9`);
    // Held back AND jobs waited AND the manager never ran all its 10 jobs: idle long polling alone is silent.
    expect(exprOf(chart, 'GitLabRunnerRequestConcurrencyExceeded')).toBe([
      '(',
      `  histogram_quantile(0.9, sum by (pod, le) (rate(gitlab_runner_job_queue_duration_seconds_bucket{${job}}[30m]))) > 300`,
      'and on (pod)',
      `  sum by (pod) (increase(gitlab_runner_request_concurrency_exceeded_total{${job}}[30m])) > 0`,
      ')',
      'unless on (pod)',
      `max_over_time(sum by (pod) (gitlab_runner_jobs{${job}})[30m:1m]) >= 10`,
    ].join('\n'));
    expect(exprOf(chart, 'GitLabRunnerJobQueueSlow'))
      .toBe(`histogram_quantile(0.9, sum by (le) (rate(gitlab_runner_job_queue_duration_seconds_bucket{${job}}[30m]))) > 300`);
    // The runner's own settings appear where an engineer needs them
    const annotations = (alert: string) => rules(chart).find((r) => r.alert === alert).annotations;
    expect(annotations('GitLabRunnerManagersDown').summary).toBe('Only {{ $value }} of 3 managers of GitLab Runner "gitlab-runner" in namespace "gitlab-runner" are up');
    expect(annotations('GitLabRunnerManagersDown').description).toContain('at most {{ $value }} × 10 jobs at once instead of 30.');
    expect(annotations('GitLabRunnerRequestConcurrencyExceeded').description).toContain('request_concurrency (2)');
    expect(annotations('GitLabRunnerConcurrentSaturated').description).toContain('of the 30 jobs their concurrent allows (3 managers × 10)');
  });

  test('with a limit, the numbers are the limit\'s: a manager runs limit jobs, not concurrent', () => {
    // GIVEN the seeds' numbers
    const { chart } = build({ replicas: 3, concurrent: 10, limit: 2 });
    const annotations = (alert: string) => rules(chart).find((r) => r.alert === alert).annotations;

    // THEN
    expect(annotations('GitLabRunnerManagersDown').description).toContain('at most {{ $value }} × 2 jobs at once instead of 6.');
    expect(annotations('GitLabRunnerLimitSaturated').description).toContain('of the 6 jobs their limit allows (3 managers × 2)');
    expect(annotations('GitLabRunnerRequestConcurrencyExceeded').description).toContain('never ran all its 2 jobs');
    expect(exprOf(chart, 'GitLabRunnerRequestConcurrencyExceeded')).toMatch(/\)\[30m:1m\]\) >= 2$/);
    expect(JSON.stringify(rules(chart))).not.toMatch(/× 10|\b30 jobs/);
  });

  test('alerts that cannot fire with the runner\'s numbers are not emitted', () => {
    const names = (props: Partial<RunnerManagerProps>) => build(props).monitoring.alertNames;
    // 1 replica: fewer than 1 up is none up, the critical alert
    expect(names({ replicas: 1 })).not.toContain('GitLabRunnerManagersDown');
    expect(names({ replicas: 1 })).toContain('GitLabRunnerNoManagerUp');
    // request_concurrency covers every job slot: a manager is never held back
    expect(names({ limit: 2, requestConcurrency: 2 })).not.toContain('GitLabRunnerRequestConcurrencyExceeded');
    expect(names({ concurrent: 4, requestConcurrency: 4 })).not.toContain('GitLabRunnerRequestConcurrencyExceeded');
    expect(names({ concurrent: 4, requestConcurrency: 3 })).toContain('GitLabRunnerRequestConcurrencyExceeded');
    // a limit above concurrent does not bind: concurrent is the cap
    expect(names({ concurrent: 10, limit: 12 })).toEqual(DEFAULT_ALERTS);
    expect(names({ concurrent: 10, limit: 10 })).toEqual(DEFAULT_ALERTS);
  });

  test('one saturation alert, on the cap that binds: the limit only when it is below concurrent', () => {
    // GIVEN limit 2 of concurrent 10: the concurrent ratio can never pass 0.2
    const withLimit = build({ limit: 2 });
    const without = build({ limit: 0 });

    // THEN
    expect(withLimit.monitoring.alertNames).toEqual(DEFAULT_ALERTS.map((a) => a.replace('Concurrent', 'Limit')));
    expect(exprOf(withLimit.chart, 'GitLabRunnerLimitSaturated'))
      .toBe('sum(gitlab_runner_jobs{job="gitlab-runner/gitlab-runner"}) / sum(gitlab_runner_limit{job="gitlab-runner/gitlab-runner"} > 0) >= 0.9');
    expect(without.monitoring.alertNames).toEqual(DEFAULT_ALERTS);
    expect(monitoringObjects(withLimit.chart).flatMap(validateCustomResource)).toEqual([]);
  });

  test('another release and namespace: the chart\'s names, and the job follows the PodMonitor', () => {
    // GIVEN
    const { chart, monitoring } = build({ releaseName: 'docker-builds', namespace: 'ci' });

    // WHEN
    const [podMonitor, rule] = monitoringObjects(chart);

    // THEN
    expect(podMonitor.metadata).toMatchObject({ name: 'docker-builds-gitlab-runner', namespace: 'ci' });
    expect(podMonitor.spec.selector).toEqual({ matchLabels: { app: 'docker-builds-gitlab-runner', release: 'docker-builds' } });
    expect(rule.metadata).toMatchObject({ name: 'docker-builds-gitlab-runner', namespace: 'ci' });
    expect(monitoring.job).toBe('ci/docker-builds-gitlab-runner');
    expect(rule.spec.groups[0].name).toBe('docker-builds-gitlab-runner.rules');
    for (const r of rule.spec.groups[0].rules) {
      for (const [, matchers] of selectorsIn(r.expr)) expect(matchers).toMatch(/^job="ci\/docker-builds-gitlab-runner"/);
      expect(r.labels.namespace).toBe('ci');
    }
  });

  test('custom interval, labels and thresholds', () => {
    // GIVEN
    const { chart, monitoring } = build({}, {
      interval: Duration.seconds(90),
      labels: {},
      jobFailureRatio: 0.25,
      jobFailureMinJobs: 3,
      errorsPerMinute: 0.5,
      saturationRatio: 1,
      requestConcurrencyExceededThreshold: 20,
      queueDurationThreshold: Duration.minutes(15),
      queueDurationQuantile: 0.95,
    });

    // WHEN
    const [podMonitor, rule] = monitoringObjects(chart);

    // THEN
    expect(monitoring.interval).toBe('1m30s');
    expect(podMonitor.spec.podMetricsEndpoints[0].interval).toBe('1m30s');
    expect(podMonitor.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' });
    expect(rule.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' });
    expect(exprOf(chart, 'GitLabRunnerJobFailureRatioHigh')).toMatch(/\) > 0\.25\nand\n.* >= 3$/);
    expect(exprOf(chart, 'GitLabRunnerErrors')).toMatch(/ \* 60 > 0\.5$/);
    expect(exprOf(chart, 'GitLabRunnerConcurrentSaturated')).toMatch(/ >= 1$/);
    expect(exprOf(chart, 'GitLabRunnerRequestConcurrencyExceeded')).toMatch(/\[30m\]\)\) > 20\n/);
    expect(exprOf(chart, 'GitLabRunnerRequestConcurrencyExceeded')).toMatch(/^ {2}histogram_quantile\(0\.95, .* > 900$/m);
    expect(exprOf(chart, 'GitLabRunnerJobQueueSlow')).toMatch(/^histogram_quantile\(0\.95, .*\) > 900$/);
    const queue = rules(chart).find((r) => r.alert === 'GitLabRunnerJobQueueSlow').annotations.description;
    expect(queue).toContain('95th percentile');
    expect(queue).toContain('(threshold 15m)');
    expect([podMonitor, rule].flatMap(validateCustomResource)).toEqual([]);
  });

  test('the same labels as the Prometheus selector needs, e.g. another kube-prometheus-stack release', () => {
    const { chart } = build({}, { labels: { release: 'monitoring', 'example.com/team': 'ci' } });
    for (const obj of monitoringObjects(chart)) {
      expect(obj.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner', 'release': 'monitoring', 'example.com/team': 'ci' });
    }
  });
});

describe('RunnerMonitoring fails on bad input', () => {
  test('fails on a runner with metrics disabled', () => {
    // GIVEN a runner without metrics
    const chart = Testing.chart();
    const runner = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'http://192.168.1.50/',
      tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
      metrics: false,
    });

    // WHEN
    let error: unknown;
    try {
      new RunnerMonitoring(chart, 'Monitoring', { runner });
    } catch (e) {
      error = e;
    }

    // THEN
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(
      /^test\/Monitoring: invalid runner: got "test\/Runner"; expected a RunnerManager with metrics enabled \(metrics: true, the default\)/);
  });

  test('fails on something other than a RunnerManager, and on no props', () => {
    const chart = Testing.chart();
    expect(() => new RunnerMonitoring(chart, 'A', { runner: {} as RunnerManager }))
      .toThrow('test/A: invalid runner: got {}; expected a RunnerManager construct');
    expect(() => new RunnerMonitoring(chart, 'B', undefined as unknown as RunnerMonitoringProps))
      .toThrow('test/B: invalid props: got undefined; expected an object with at least runner');
  });

  const cases: [string, Partial<RunnerMonitoringProps>, string, string, string][] = [
    ['an interval in fractions of a second', { interval: Duration.millis(1500) }, 'interval', '"1 second 500 millis"', 'a whole number of seconds from 5 to 120'],
    ['an interval too short', { interval: Duration.seconds(1) }, 'interval', '"1 second"', 'from 5 to 120'],
    ['an interval too long for the rate windows', { interval: Duration.minutes(5) }, 'interval', '"5 minutes"', 'from 5 to 120'],
    ['a label key with a space', { labels: { 'my release': 'x' } }, 'labels key', '"my release"', 'a label key'],
    ['a label value with a slash', { labels: { release: 'kube/prometheus' } }, 'labels["release"]', '"kube/prometheus"', 'a label value'],
    ['labels that are not a map', { labels: ['release'] as unknown as { [key: string]: string } }, 'labels', '["release"]', 'a map of label keys to values'],
    ['a failure ratio of 0', { jobFailureRatio: 0 }, 'jobFailureRatio', '0', 'a ratio greater than 0 and at most 1'],
    ['a failure ratio in percent', { jobFailureRatio: 10 }, 'jobFailureRatio', '10', 'a ratio greater than 0 and at most 1'],
    ['a failure ratio that is not a number', { jobFailureRatio: NaN }, 'jobFailureRatio', 'NaN', 'a ratio'],
    ['a failure ratio as a string', { jobFailureRatio: '0.1' as unknown as number }, 'jobFailureRatio', '"0.1"', 'a ratio'],
    ['a minimum of 0 jobs', { jobFailureMinJobs: 0 }, 'jobFailureMinJobs', '0', 'an integer >= 1'],
    ['a fractional minimum of jobs', { jobFailureMinJobs: 2.5 }, 'jobFailureMinJobs', '2.5', 'an integer >= 1'],
    ['0 errors per minute', { errorsPerMinute: 0 }, 'errorsPerMinute', '0', 'a positive number'],
    ['infinite errors per minute', { errorsPerMinute: Infinity }, 'errorsPerMinute', 'Infinity', 'a positive number'],
    ['a saturation ratio above 1', { saturationRatio: 1.1 }, 'saturationRatio', '1.1', 'a ratio greater than 0 and at most 1'],
    ['a negative saturation ratio', { saturationRatio: -0.5 }, 'saturationRatio', '-0.5', 'a ratio'],
    ['a negative request threshold', { requestConcurrencyExceededThreshold: -1 }, 'requestConcurrencyExceededThreshold', '-1', 'an integer >= 0'],
    ['a fractional request threshold', { requestConcurrencyExceededThreshold: 0.5 }, 'requestConcurrencyExceededThreshold', '0.5', 'an integer >= 0'],
    ['a queue threshold in milliseconds', { queueDurationThreshold: Duration.millis(500) }, 'queueDurationThreshold', '"500 millis"', 'a whole number of seconds >= 1'],
    ['a queue threshold of 0', { queueDurationThreshold: Duration.seconds(0) }, 'queueDurationThreshold', '"0 seconds"', 'a whole number of seconds >= 1'],
    ['a quantile of 0', { queueDurationQuantile: 0 }, 'queueDurationQuantile', '0', 'a ratio greater than 0 and at most 1'],
    ['a quantile in percent', { queueDurationQuantile: 99 }, 'queueDurationQuantile', '99', 'a ratio'],
  ];
  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    expect(() => build({}, props)).toThrow(ValidationError);
    expect(() => build({}, props)).toThrow(`test/Monitoring: invalid ${prop}: got ${value}; expected `);
    expect(() => build({}, props)).toThrow(expected);
  });
});
