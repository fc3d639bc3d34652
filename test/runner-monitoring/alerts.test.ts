import { AlertedRunner, AlertThresholds, formatNumber, reachableAlerts, runnerAlerts } from '../../lib/runner-monitoring/alerts';

/** Two managers of 10 jobs each, one job request at a time. */
const RUNNER: AlertedRunner = {
  name: 'builds', namespace: 'ci', job: 'ci/builds',
  replicas: 2, concurrent: 10, jobsPerManager: 10, configuredJobs: 20, requestConcurrency: 1,
};
const THRESHOLDS: AlertThresholds = {
  jobFailureRatio: 0.25, jobFailureMinJobs: 4, errorsPerMinute: 2.5, saturationRatio: 0.8,
  requestConcurrencyExceededThreshold: 3, queueDurationSeconds: 120, queueDurationQuantile: 0.95,
};
const exprOf = (runner: AlertedRunner, alert: string) => runnerAlerts(runner, THRESHOLDS).find((a) => a.alert === alert)!.expr;

describe('reachableAlerts', () => {
  test('managers down only with more than one replica', () => {
    expect(reachableAlerts({ replicas: 1, concurrent: 4, jobsPerManager: 4, requestConcurrency: 1 }).managersDown).toBe(false);
    expect(reachableAlerts({ replicas: 2, concurrent: 4, jobsPerManager: 4, requestConcurrency: 1 }).managersDown).toBe(true);
  });

  test('one saturation alert: the limit\'s when it binds below concurrent, else concurrent\'s', () => {
    const limited = reachableAlerts({ replicas: 1, concurrent: 10, jobsPerManager: 2, requestConcurrency: 1 });
    expect([limited.limitSaturated, limited.concurrentSaturated]).toEqual([true, false]);
    const unlimited = reachableAlerts({ replicas: 1, concurrent: 10, jobsPerManager: 10, requestConcurrency: 1 });
    expect([unlimited.limitSaturated, unlimited.concurrentSaturated]).toEqual([false, true]);
  });

  test('request concurrency held back only below the jobs per manager', () => {
    const held = (requestConcurrency: number) => reachableAlerts({ replicas: 1, concurrent: 4, jobsPerManager: 4, requestConcurrency }).requestConcurrencyExceeded;
    expect([held(3), held(4), held(5)]).toEqual([true, false, false]);
  });
});

describe('formatNumber', () => {
  test('drops floating-point noise and trailing zeros', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(0.9 * 100)).toBe('90');
    expect(formatNumber(0.95)).toBe('0.95');
    expect(formatNumber(10)).toBe('10');
  });
});

describe('runnerAlerts', () => {
  test('the reachable alerts, in order; only the first is critical', () => {
    const alerts = runnerAlerts(RUNNER, THRESHOLDS);
    expect(alerts.map((a) => a.alert)).toEqual([
      'GitLabRunnerNoManagerUp', 'GitLabRunnerManagersDown', 'GitLabRunnerJobFailureRatioHigh', 'GitLabRunnerErrors',
      'GitLabRunnerConcurrentSaturated', 'GitLabRunnerRequestConcurrencyExceeded', 'GitLabRunnerJobQueueSlow',
    ]);
    expect(alerts.map((a) => a.severity)).toEqual(['critical', ...Array(6).fill('warning')]);
    expect(alerts.map((a) => a.for)).toEqual(['5m', ...Array(6).fill('15m')]);
  });

  test('one manager with a binding limit and enough request slots: no managers-down, the limit\'s saturation, no held-back alert', () => {
    const names = runnerAlerts({ ...RUNNER, replicas: 1, jobsPerManager: 2, configuredJobs: 2, requestConcurrency: 2 }, THRESHOLDS).map((a) => a.alert);
    expect(names).toEqual(['GitLabRunnerNoManagerUp', 'GitLabRunnerJobFailureRatioHigh', 'GitLabRunnerErrors', 'GitLabRunnerLimitSaturated',
      'GitLabRunnerJobQueueSlow']);
  });

  test('every expression selects the runner\'s job and carries its threshold, formatted', () => {
    const job = 'job="ci/builds"';
    expect(exprOf(RUNNER, 'GitLabRunnerManagersDown')).toBe(`count(up{${job}} == 1) < 2`);
    expect(exprOf(RUNNER, 'GitLabRunnerJobFailureRatioHigh')).toMatch(/\n\) > 0\.25\nand\nsum\(increase\(gitlab_runner_jobs_total\{job="ci\/builds"\}\[1h\]\)\) >= 4$/);
    expect(exprOf(RUNNER, 'GitLabRunnerErrors')).toBe(`sum by (pod) (rate(gitlab_runner_errors_total{${job}, level="error"}[10m])) * 60 > 2.5`);
    expect(exprOf(RUNNER, 'GitLabRunnerConcurrentSaturated')).toBe(`sum(gitlab_runner_jobs{${job}}) / sum(gitlab_runner_concurrent{${job}}) >= 0.8`);
    expect(exprOf(RUNNER, 'GitLabRunnerRequestConcurrencyExceeded')).toContain(`(increase(gitlab_runner_request_concurrency_exceeded_total{${job}}[30m])) > 3`);
    expect(exprOf(RUNNER, 'GitLabRunnerRequestConcurrencyExceeded')).toMatch(/\[30m:1m\]\) >= 10$/);
    expect(exprOf(RUNNER, 'GitLabRunnerJobQueueSlow'))
      .toBe(`histogram_quantile(0.95, sum by (le) (rate(gitlab_runner_job_queue_duration_seconds_bucket{${job}}[30m]))) > 120`);
  });

  test('the texts name the runner, its numbers and the thresholds as people read them', () => {
    const byName = new Map(runnerAlerts(RUNNER, THRESHOLDS).map((a) => [a.alert, a]));
    expect(byName.get('GitLabRunnerNoManagerUp')!.summary).toBe('No manager of GitLab Runner "builds" in namespace "ci" is up');
    expect(byName.get('GitLabRunnerNoManagerUp')!.description).toContain('(job ci/builds)');
    expect(byName.get('GitLabRunnerNoManagerUp')!.description).toContain('`kubectl -n ci get pods -l app=builds`');
    expect(byName.get('GitLabRunnerManagersDown')!.description).toContain('at most {{ $value }} × 10 jobs at once instead of 20.');
    expect(byName.get('GitLabRunnerJobFailureRatioHigh')!.description).toContain('(threshold 25%)');
    expect(byName.get('GitLabRunnerConcurrentSaturated')!.description).toContain('of the 20 jobs their concurrent allows (2 managers × 10)');
    expect(byName.get('GitLabRunnerJobQueueSlow')!.description).toMatch(/^The 95th percentile .*\(threshold 2m\)/);
  });
});
