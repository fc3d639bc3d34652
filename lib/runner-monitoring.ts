import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor } from '../imports/podmonitors-monitoring.coreos.com';
import { PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheusrules-monitoring.coreos.com';
import { ManifestFolder, placeManifests } from './output/placement';
import { RunnerManager } from './runner-manager';
import { goDurationString } from './validation/durations';
import { PropChecker } from './validation/prop-checker';
import { checkProps } from './validation/known-keys';
import { MANAGED_BY_LABELS } from './model/labels';

/** What `RunnerMonitoring` takes besides the runner (a stack's `monitoring`). */
export interface RunnerMonitoringOptions {
  /**
   * How often Prometheus scrapes each manager pod, in whole seconds from 5 seconds to 2 minutes
   * (the shortest rate window of the alerts is 10 minutes and needs at least 5 samples).
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Labels of the PodMonitor and the PrometheusRule, for the Prometheus `podMonitorSelector` and
   * `ruleSelector` that must pick them up. The default is what kube-prometheus-stack selects when
   * installed as release `kube-prometheus-stack` with its default `*SelectorNilUsesHelmValues`;
   * give your release's label, or `{}` when your Prometheus selects every PodMonitor and rule.
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly labels?: { [key: string]: string };

  /**
   * Alert when more than this share of the jobs of the last hour failed for a reason that is not the
   * project's own doing: every `failure_reason` but `script_failure`, `job_canceled` and
   * `configuration_error` (system failures, image pulls, timeouts, unknown). A ratio in (0, 1].
   * @default 0.1
   */
  readonly jobFailureRatio?: number;

  /**
   * The failure-ratio alert needs at least this many jobs in the hour, so that 1 failure in 2 jobs
   * does not page anyone.
   * @default 10
   */
  readonly jobFailureMinJobs?: number;

  /**
   * Alert when a manager logs more error lines per minute than this, averaged over 10 minutes
   * (`gitlab_runner_errors_total{level="error"}`). A positive number.
   * @default 1
   */
  readonly errorsPerMinute?: number;

  /**
   * Alert when the jobs running on all managers reach this share of what they can run: `limit`
   * when the runner's `limit` is below `concurrent`, else `concurrent`. A ratio in (0, 1].
   * @default 0.9
   */
  readonly saturationRatio?: number;

  /**
   * The request-concurrency alert needs a manager to have been held back more than this many times
   * in 30 minutes (`gitlab_runner_request_concurrency_exceeded_total`). An idle manager under
   * GitLab's long polling is held back every check interval, so the alert also needs slow jobs
   * in the queue while that manager had a free job slot. An integer >= 0.
   * @default 0
   */
  readonly requestConcurrencyExceededThreshold?: number;

  /**
   * Alert when the `queueDurationQuantile` of the time jobs waited in GitLab's queue before this
   * runner picked them up, over 30 minutes, is above this. Whole seconds.
   * @default Duration.minutes(5)
   */
  readonly queueDurationThreshold?: Duration;

  /**
   * The quantile of the queue-duration alert. A ratio in (0, 1].
   * @default 0.9
   */
  readonly queueDurationQuantile?: number;
}

/** Properties of `RunnerMonitoring`. */
export interface RunnerMonitoringProps extends RunnerMonitoringOptions {
  /** The runner to scrape and alert on; its `metrics` must be on (the default). */
  readonly runner: RunnerManager;
}

/**
 * Prometheus monitoring of a `RunnerManager` through the Prometheus Operator: a PodMonitor that
 * scrapes every manager pod of the chart's Deployment, and a PrometheusRule with the alerts an
 * on-call engineer needs, both in the manager's namespace and named after the chart's objects.
 *
 * A PodMonitor rather than the chart's ServiceMonitor: a manager pod that is shutting down leaves
 * the Service's endpoints but keeps running its jobs for up to `terminationGracePeriod`, and a
 * PodMonitor keeps scraping it; chart 0.80 has no PodMonitor of its own. Prometheus labels the
 * samples `job="<namespace>/<PodMonitor name>"`, and every alert selects exactly that job.
 *
 * The alerts use only metrics GitLab Runner 18.3 exports, aggregated over the job so that they do
 * not depend on the runner's own label values. Alerts that cannot fire with the runner's numbers are
 * left out (see `reachableAlerts`); "jobs per manager" is `concurrent`, or `limit` when it is lower.
 *
 * | alert | severity | emitted | fires when |
 * |---|---|---|---|
 * | `GitLabRunnerNoManagerUp` | critical | always | no manager pod has been scraped successfully for 5 minutes (or none exists) |
 * | `GitLabRunnerManagersDown` | warning | `replicas` > 1 | some but fewer than `replicas` managers are up for 15 minutes |
 * | `GitLabRunnerJobFailureRatioHigh` | warning | always | more than `jobFailureRatio` of the last hour's jobs (at least `jobFailureMinJobs`) failed for a reason other than `script_failure`, `job_canceled` or `configuration_error`, for 15 minutes |
 * | `GitLabRunnerErrors` | warning | always | a manager logs more than `errorsPerMinute` errors a minute for 15 minutes |
 * | `GitLabRunnerConcurrentSaturated` | warning | no `limit` below `concurrent` | running jobs >= `saturationRatio` × `concurrent` of all managers for 15 minutes |
 * | `GitLabRunnerLimitSaturated` | warning | `limit` below `concurrent` | running jobs >= `saturationRatio` × `limit` of all managers for 15 minutes |
 * | `GitLabRunnerRequestConcurrencyExceeded` | warning | `requestConcurrency` < jobs per manager | for 15 minutes, a manager that never ran its jobs per manager in the last 30 minutes was held back by `request_concurrency` more than `requestConcurrencyExceededThreshold` times while its jobs waited longer than `queueDurationThreshold` in GitLab's queue |
 * | `GitLabRunnerJobQueueSlow` | warning | always | jobs waited longer than `queueDurationThreshold` in GitLab's queue (the `queueDurationQuantile` over 30 minutes) for 15 minutes |
 */
export class RunnerMonitoring extends Construct {
  // Typed as ApiObject: the generated CRD classes (imports/) stay out of the public API.
  /** The PodMonitor (the default child, id `Resource`). */
  public readonly podMonitor: ApiObject;
  /** The PrometheusRule with the alerts. */
  public readonly rule: ApiObject;
  /** The `job` label Prometheus gives the managers' samples: `<namespace>/<PodMonitor name>`. */
  public readonly job: string;
  /** The scrape interval, as Prometheus writes durations (`30s`, `1m`). */
  public readonly interval: string;
  /** Names of the alerts in the rule, in order. */
  public readonly alertNames: string[];

  constructor(scope: Construct, id: string, props: RunnerMonitoringProps) {
    super(scope, id);
    // Its objects need the Prometheus Operator's CRDs: a fresh cluster's platform folder must not hold them.
    placeManifests(this, { folder: ManifestFolder.MONITORING });
    const check: PropChecker = new PropChecker(this.node.path);
    if (props === undefined || props === null || typeof props !== 'object') {
      check.fail('props', props, 'an object with at least runner');
    }
    checkProps(check, props, 'RunnerMonitoringProps');
    const runner = props.runner;
    if (!(runner instanceof RunnerManager)) check.fail('runner', runner, 'a RunnerManager construct');
    const metrics = runner._helmValues.metrics;
    if (!metrics?.enabled) {
      check.fail('runner', runner.node.path, 'a RunnerManager with metrics enabled (metrics: true, the default): '
        + 'without it the chart writes no listen_address and the manager pods serve no metrics to scrape');
    }

    this.interval = goDurationString(check.seconds('interval', props.interval ?? Duration.seconds(30), { min: 5, max: 120 }));
    const labels = { ...MANAGED_BY_LABELS, ...check.labels('labels', props.labels ?? { release: 'kube-prometheus-stack' }) };
    const failureRatio = check.ratio('jobFailureRatio', props.jobFailureRatio ?? 0.1);
    const failureMinJobs = check.integer('jobFailureMinJobs', props.jobFailureMinJobs ?? 10, { min: 1 });
    const errorsPerMinute = positive(check, 'errorsPerMinute', props.errorsPerMinute ?? 1);
    const saturation = check.ratio('saturationRatio', props.saturationRatio ?? 0.9);
    const requestsExceeded = check.integer('requestConcurrencyExceededThreshold', props.requestConcurrencyExceededThreshold ?? 0, { min: 0 });
    const queueSeconds = check.seconds('queueDurationThreshold', props.queueDurationThreshold ?? Duration.minutes(5), { min: 1 });
    const quantile = check.ratio('queueDurationQuantile', props.queueDurationQuantile ?? 0.9);

    const name = runner.fullname;
    const namespace = runner.namespace;
    this.job = `${namespace}/${name}`;

    this.podMonitor = new PodMonitor(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        // The chart's pod labels, as its metrics Service selects them (`app` and `release`).
        selector: { matchLabels: { ...runner.managerPodSelector, release: runner.releaseName } },
        podMetricsEndpoints: [{ port: metrics.portName ?? 'metrics', path: '/metrics', interval: this.interval }],
      },
    });

    const job = `job="${this.job}"`;
    const runnerEntry = runner._runnerConfig.runners[0];
    const requestConcurrency = runnerEntry?.requestConcurrency ?? 1;
    const { jobsPerManager, configuredJobs } = runner;
    const reach = reachableAlerts({ replicas: runner.replicas, concurrent: runner.concurrent, jobsPerManager, requestConcurrency });
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
        description: `No manager pod of ${what} (job ${this.job}) has been scraped successfully for 5 minutes, so no CI job starts `
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
    const alerts = candidates.filter((a): a is Alert => a !== false);

    this.alertNames = alerts.map((a) => a.alert);
    this.rule = new PrometheusRule(this, 'Rule', {
      metadata: { name, namespace, labels },
      spec: {
        groups: [{
          name: `${name}.rules`,
          rules: alerts.map((a): PrometheusRuleSpecGroupsRules => ({
            alert: a.alert,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(a.expr),
            for: a.for,
            // `namespace` routes the alert like the namespace's other alerts, even from expressions that aggregate it away.
            labels: { severity: a.severity, namespace },
            annotations: { summary: a.summary, description: a.description },
          })),
        }],
      },
    });
  }
}

interface Alert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
}

/** A positive finite number. */
function positive(check: PropChecker, prop: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) check.fail(prop, value, 'a positive number, e.g. 1');
  return value;
}

/** The runner's numbers the alerts depend on. */
interface RunnerNumbers {
  readonly replicas: number;
  readonly concurrent: number;
  /** `concurrent`, or `limit` when it is lower (`RunnerManager.jobsPerManager`). */
  readonly jobsPerManager: number;
  readonly requestConcurrency: number;
}

/**
 * Which of the conditional alerts can fire with the runner's numbers: the one place that decides.
 * - With 1 replica, "fewer than replicas up" means none up: `GitLabRunnerNoManagerUp`.
 * - Only the cap that binds (`limit` below `concurrent`, else `concurrent`) gets a saturation alert:
 *   the other ratio either cannot reach the threshold or reaches it only when the binding one does.
 * - A manager asks GitLab for a job only while it has a free job slot (v18.3 `processRunner`), so
 *   with `request_concurrency` >= its jobs per manager no request is ever held back.
 */
function reachableAlerts(n: RunnerNumbers): { managersDown: boolean; concurrentSaturated: boolean;
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
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
