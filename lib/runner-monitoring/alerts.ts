// The alert rules as plain data, built from the runner's numbers and the checked thresholds.
import { goDurationString } from '../validation/durations';

/** One alerting rule of the PrometheusRule. */
export interface Alert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
}

/** The runner's numbers the alerts depend on. */
export interface RunnerNumbers {
  readonly replicas: number;
  readonly concurrent: number;
  /** `concurrent`, or `limit` when it is lower (`RunnerManager.jobsPerManager`). */
  readonly jobsPerManager: number;
  readonly requestConcurrency: number;
}

/** The runner as its alerts name and count it. */
export interface AlertedRunner extends RunnerNumbers {
  /** The chart's fullname: the manager pods' `app` label and the PodMonitor's name. */
  readonly name: string;
  readonly namespace: string;
  /** The `job` label of the managers' samples: `<namespace>/<PodMonitor name>`. */
  readonly job: string;
  /** `replicas × jobsPerManager` (`RunnerManager.configuredJobs`). */
  readonly configuredJobs: number;
}

/** The thresholds of `RunnerMonitoringOptions`, checked; durations in seconds. */
export interface AlertThresholds {
  readonly jobFailureRatio: number;
  readonly jobFailureMinJobs: number;
  readonly errorsPerMinute: number;
  readonly saturationRatio: number;
  readonly requestConcurrencyExceededThreshold: number;
  readonly queueDurationSeconds: number;
  readonly queueDurationQuantile: number;
}

/** The alerts that can fire with the runner's numbers, in order (see `reachableAlerts`). */
export function runnerAlerts(runner: AlertedRunner, t: AlertThresholds): Alert[] {
  const { name, namespace, jobsPerManager, configuredJobs, requestConcurrency } = runner;
  const {
    jobFailureRatio: failureRatio, jobFailureMinJobs: failureMinJobs, errorsPerMinute, saturationRatio: saturation,
    requestConcurrencyExceededThreshold: requestsExceeded, queueDurationSeconds: queueSeconds, queueDurationQuantile: quantile,
  } = t;
  const job = `job="${runner.job}"`;
  const reach = reachableAlerts(runner);
  const what = `GitLab Runner "${name}" in namespace "${namespace}"`;
  const pods = `kubectl -n ${namespace} get pods -l app=${name}`;
  const percentile = `${formatNumber(quantile * 100)}th percentile`;
  const queueThreshold = goDurationString(queueSeconds);
  const queue = (by: string) => `histogram_quantile(${formatNumber(quantile)}, sum by (${by}) `
    + `(rate(gitlab_runner_job_queue_duration_seconds_bucket{${job}}[30m]))) > ${queueSeconds}`;
  // A canceled job, a failing script or a bad .gitlab-ci.yml is the project's doing, not the runner's.
  const notRunnerFailures = 'script_failure|job_canceled|configuration_error';
  const jobsInHour = `sum(increase(gitlab_runner_jobs_total{${job}}[1h]))`;
  const saturated = (cap: string, capName: string) => ({
    expr: `sum(gitlab_runner_jobs{${job}}) / sum(${cap}) >= ${formatNumber(saturation)}`,
    for: '15m',
    severity: 'warning' as const,
    summary: `${what} runs at {{ $value | humanizePercentage }} of its ${capName}`,
    description: `For 15 minutes the managers have been running {{ $value | humanizePercentage }} of the ${configuredJobs} jobs `
      + `their ${capName} allows (${runner.replicas} managers × ${jobsPerManager}); further jobs wait in GitLab's queue. `
      + `Add replicas or raise ${capName} (within the node pool's capacity).`,
  });

  const candidates: (Alert | false)[] = [
    {
      alert: 'GitLabRunnerNoManagerUp',
      expr: `absent(up{${job}} == 1)`,
      for: '5m',
      severity: 'critical',
      summary: `No manager of ${what} is up`,
      description: `No manager pod of ${what} (job ${runner.job}) has been scraped successfully for 5 minutes, so no CI job starts `
        + `on this runner. Check \`${pods}\`, the pods' events and logs, and that the PodMonitor "${name}" still selects them.`,
    },
    reach.managersDown && {
      alert: 'GitLabRunnerManagersDown',
      expr: `count(up{${job}} == 1) < ${runner.replicas}`,
      for: '15m',
      severity: 'warning',
      summary: `Only {{ $value }} of ${runner.replicas} managers of ${what} are up`,
      description: `For 15 minutes only {{ $value }} of the ${runner.replicas} manager pods have been scraped successfully: the runner `
        + `runs at most {{ $value }} × ${jobsPerManager} jobs at once instead of ${configuredJobs}. Check \`${pods}\`.`,
    },
    {
      alert: 'GitLabRunnerJobFailureRatioHigh',
      expr: [
        '(',
        `  sum(increase(gitlab_runner_failed_jobs_total{${job}, failure_reason!~"${notRunnerFailures}"}[1h]))`,
        '/',
        `  ${jobsInHour}`,
        `) > ${formatNumber(failureRatio)}`,
        'and',
        `${jobsInHour} >= ${failureMinJobs}`,
      ].join('\n'),
      for: '15m',
      severity: 'warning',
      summary: `{{ $value | humanizePercentage }} of the jobs of ${what} failed in the last hour`,
      description: `{{ $value | humanizePercentage }} of the jobs this runner took in the last hour failed for a reason other than `
        + `their own script, a cancel or their CI configuration (threshold ${formatNumber(failureRatio * 100)}%). See the reasons with `
        + `\`sum by (failure_reason) (increase(gitlab_runner_failed_jobs_total{${job}}[1h]))\`; runner_system_failure points at `
        + 'the cluster (job pods not scheduled, image pulls, the API server), not at the projects.',
    },
    {
      alert: 'GitLabRunnerErrors',
      expr: `sum by (pod) (rate(gitlab_runner_errors_total{${job}, level="error"}[10m])) * 60 > ${formatNumber(errorsPerMinute)}`,
      for: '15m',
      severity: 'warning',
      summary: `Manager {{ $labels.pod }} of ${what} logs {{ $value | humanize }} errors a minute`,
      description: `The manager pod {{ $labels.pod }} has logged {{ $value | humanize }} error lines a minute for 15 minutes `
        + `(threshold ${formatNumber(errorsPerMinute)}). Read them with \`kubectl -n ${namespace} logs {{ $labels.pod }}\`.`,
    },
    reach.concurrentSaturated && {
      alert: 'GitLabRunnerConcurrentSaturated',
      ...saturated(`gitlab_runner_concurrent{${job}}`, 'concurrent'),
    },
    reach.limitSaturated && {
      alert: 'GitLabRunnerLimitSaturated',
      ...saturated(`gitlab_runner_limit{${job}} > 0`, 'limit'),
    },
    reach.requestConcurrencyExceeded && {
      alert: 'GitLabRunnerRequestConcurrencyExceeded',
      // Slow queue AND held back AND never full: a full manager's jobs wait for a slot, not for a request.
      expr: [
        '(',
        `  ${queue('pod, le')}`,
        'and on (pod)',
        `  sum by (pod) (increase(gitlab_runner_request_concurrency_exceeded_total{${job}}[30m])) > ${requestsExceeded}`,
        ')',
        'unless on (pod)',
        `max_over_time(sum by (pod) (gitlab_runner_jobs{${job}})[30m:1m]) >= ${jobsPerManager}`,
      ].join('\n'),
      for: '15m',
      severity: 'warning',
      summary: `Jobs of manager {{ $labels.pod }} of ${what} wait {{ $value | humanizeDuration }} while request_concurrency holds it back`,
      description: `The ${percentile} of the time the jobs manager pod {{ $labels.pod }} picked up in the last 30 minutes had waited in `
        + `GitLab's queue is {{ $value | humanizeDuration }} (threshold ${queueThreshold}), although the manager never ran all its `
        + `${jobsPerManager} jobs and held back job requests because all its request_concurrency (${requestConcurrency}) requests `
        + 'were in flight (GitLab holds each open by long polling). Raise requestConcurrency.',
    },
    {
      alert: 'GitLabRunnerJobQueueSlow',
      expr: queue('le'),
      for: '15m',
      severity: 'warning',
      summary: `Jobs of ${what} wait {{ $value | humanizeDuration }} in GitLab's queue`,
      description: `The ${percentile} of the time the jobs this runner picked up in the last 30 minutes had waited in GitLab's `
        + `queue is {{ $value | humanizeDuration }} (threshold ${queueThreshold}): jobs wait for a free slot. `
        + 'Check the saturation and request-concurrency alerts and the managers\' health.',
    },
  ];
  return candidates.filter((a): a is Alert => a !== false);
}

/**
 * Which of the conditional alerts can fire with the runner's numbers: the one place that decides.
 * - With 1 replica, "fewer than replicas up" means none up: `GitLabRunnerNoManagerUp`.
 * - Only the cap that binds (`limit` below `concurrent`, else `concurrent`) gets a saturation alert:
 *   the other ratio either cannot reach the threshold or reaches it only when the binding one does.
 * - A manager asks GitLab for a job only while it has a free job slot (v18.3 `processRunner`), so
 *   with `request_concurrency` >= its jobs per manager no request is ever held back.
 */
export function reachableAlerts(n: RunnerNumbers): { managersDown: boolean; concurrentSaturated: boolean;
  limitSaturated: boolean; requestConcurrencyExceeded: boolean; } {
  const limitBinds = n.jobsPerManager < n.concurrent;
  return {
    managersDown: n.replicas > 1,
    concurrentSaturated: !limitBinds,
    limitSaturated: limitBinds,
    requestConcurrencyExceeded: n.requestConcurrency < n.jobsPerManager,
  };
}

/** A number as PromQL and people read it: 0.1, not 0.10000000000000001; 90, not 90.00000000000001. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
