import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor } from '../imports/podmonitors-monitoring.coreos.com';
import { PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheusrules-monitoring.coreos.com';
import { RunnerManager } from './runner-manager';
import { goDurationString, PropChecker } from './validation/checks';

/** Properties of `RunnerMonitoring`. */
export interface RunnerMonitoringProps {
  /** The runner to scrape and alert on; its `metrics` must be on (the default). */
  readonly runner: RunnerManager;

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
   * Alert when more than this share of the jobs of the last hour failed for a reason other than
   * their own script (`failure_reason` other than `script_failure`: system failures, image pulls,
   * timeouts, ...). A ratio in (0, 1].
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
   * Alert when the jobs running on all managers reach this share of their `concurrent` capacity
   * (and of their `limit`, when the runner sets one). A ratio in (0, 1].
   * @default 0.9
   */
  readonly saturationRatio?: number;

  /**
   * Alert when a manager wanted to ask GitLab for jobs more than this many times in 15 minutes
   * while all its `request_concurrency` slots were busy (`gitlab_runner_request_concurrency_exceeded_total`).
   * An integer >= 0.
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

/** Label of every object we create, as on the network policies. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' };

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
 * not depend on the runner's own label values:
 *
 * | alert | severity | fires when |
 * |---|---|---|
 * | `GitLabRunnerNoManagerUp` | critical | no manager pod has been scraped successfully for 5 minutes (or none exists) |
 * | `GitLabRunnerManagersDown` | warning | fewer than `replicas` managers are up for 15 minutes |
 * | `GitLabRunnerJobFailureRatioHigh` | warning | `jobFailureRatio` of the last hour's jobs failed for reasons other than their script |
 * | `GitLabRunnerErrors` | warning | a manager logs more than `errorsPerMinute` errors a minute |
 * | `GitLabRunnerConcurrentSaturated` | warning | running jobs >= `saturationRatio` × `concurrent` of all managers |
 * | `GitLabRunnerLimitSaturated` | warning | running jobs >= `saturationRatio` × `limit` (only when the runner sets `limit`) |
 * | `GitLabRunnerRequestConcurrencyExceeded` | warning | job requests were held back by `request_concurrency` |
 * | `GitLabRunnerJobQueueSlow` | warning | jobs waited longer than `queueDurationThreshold` in GitLab's queue |
 */
export class RunnerMonitoring extends Construct {
  /** The PodMonitor (the default child, id `Resource`). */
  public readonly podMonitor: PodMonitor;
  /** The PrometheusRule with the alerts. */
  public readonly rule: PrometheusRule;
  /** The `job` label Prometheus gives the managers' samples: `<namespace>/<PodMonitor name>`. */
  public readonly job: string;
  /** The scrape interval, as Prometheus writes durations (`30s`, `1m`). */
  public readonly interval: string;
  /** Names of the alerts in the rule, in order. */
  public readonly alertNames: string[];

  constructor(scope: Construct, id: string, props: RunnerMonitoringProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker(this.node.path);
    if (props === undefined || props === null || typeof props !== 'object') {
      check.fail('props', props, 'an object with at least runner');
    }
    const runner = props.runner;
    if (!(runner instanceof RunnerManager)) check.fail('runner', runner, 'a RunnerManager construct');
    const metrics = runner.helmValues.metrics;
    if (!metrics?.enabled) {
      check.fail('runner', runner.node.path, 'a RunnerManager with metrics enabled (metrics: true, the default): '
        + 'without it the chart writes no listen_address and the manager pods serve no metrics to scrape');
    }

    this.interval = goDurationString(check.seconds('interval', props.interval ?? Duration.seconds(30), { min: 5, max: 120 }));
    const labels = { ...MANAGED_BY, ...check.labels('labels', props.labels ?? { release: 'kube-prometheus-stack' }) };
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
    const runnerEntry = runner.runnerConfig.runners[0];
    const limit = runnerEntry?.limit ?? 0;
    const requestConcurrency = runnerEntry?.requestConcurrency ?? 1;
    const what = `GitLab Runner "${name}" in namespace "${namespace}"`;
    const pods = `kubectl -n ${namespace} get pods -l app=${name}`;
    const percentile = `${formatNumber(quantile * 100)}th percentile`;

    const alerts: Alert[] = [
      {
        alert: 'GitLabRunnerNoManagerUp',
        expr: `absent(up{${job}} == 1)`,
        for: '5m',
        severity: 'critical',
        summary: `No manager of ${what} is up`,
        description: `No manager pod of ${what} (job ${this.job}) has been scraped successfully for 5 minutes, so no CI job starts `
          + `on this runner. Check \`${pods}\`, the pods' events and logs, and that the PodMonitor "${name}" still selects them.`,
      },
      {
        alert: 'GitLabRunnerManagersDown',
        expr: `count(up{${job}} == 1) < ${runner.replicas}`,
        for: '15m',
        severity: 'warning',
        summary: `Only {{ $value }} of ${runner.replicas} managers of ${what} are up`,
        description: `For 15 minutes only {{ $value }} of the ${runner.replicas} manager pods have been scraped successfully: the runner `
          + `runs at most {{ $value }} × ${runner.concurrent} jobs at once. Check \`${pods}\`.`,
      },
      {
        alert: 'GitLabRunnerJobFailureRatioHigh',
        expr: [
          '(',
          `  sum(increase(gitlab_runner_failed_jobs_total{${job}, failure_reason!="script_failure"}[1h]))`,
          '/',
          `  sum(increase(gitlab_runner_jobs_total{${job}}[1h]))`,
          `) > ${formatNumber(failureRatio)}`,
          'and',
          `sum(increase(gitlab_runner_jobs_total{${job}}[1h])) >= ${failureMinJobs}`,
        ].join('\n'),
        for: '15m',
        severity: 'warning',
        summary: `{{ $value | humanizePercentage }} of the jobs of ${what} failed in the last hour`,
        description: `{{ $value | humanizePercentage }} of the jobs this runner took in the last hour failed for a reason other than `
          + `their own script (threshold ${formatNumber(failureRatio * 100)}%). See the failure reasons with `
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
      {
        alert: 'GitLabRunnerConcurrentSaturated',
        expr: `sum(gitlab_runner_jobs{${job}}) / sum(gitlab_runner_concurrent{${job}}) >= ${formatNumber(saturation)}`,
        for: '15m',
        severity: 'warning',
        summary: `${what} runs at {{ $value | humanizePercentage }} of its concurrent capacity`,
        description: `The managers have been running {{ $value | humanizePercentage }} of the jobs their \`concurrent\` setting `
          + `(${runner.replicas} × ${runner.concurrent}) allows for 15 minutes; further jobs wait in GitLab's queue. Add replicas, `
          + 'raise concurrent (within the node pool\'s capacity), or spread the projects over more runners.',
      },
      ...(limit > 0 ? [{
        alert: 'GitLabRunnerLimitSaturated',
        expr: `sum(gitlab_runner_jobs{${job}}) / sum(gitlab_runner_limit{${job}} > 0) >= ${formatNumber(saturation)}`,
        for: '15m',
        severity: 'warning' as const,
        summary: `${what} runs at {{ $value | humanizePercentage }} of its limit`,
        description: `The managers have been running {{ $value | humanizePercentage }} of the jobs their runner's \`limit\` `
          + `(${runner.replicas} × ${limit}) allows for 15 minutes; further jobs wait in GitLab's queue. Add replicas or raise limit `
          + '(within the node pool\'s capacity).',
      }] : []),
      {
        alert: 'GitLabRunnerRequestConcurrencyExceeded',
        expr: `sum by (pod) (increase(gitlab_runner_request_concurrency_exceeded_total{${job}}[15m])) > ${requestsExceeded}`,
        for: '15m',
        severity: 'warning',
        summary: `Manager {{ $labels.pod }} of ${what} is held back by request_concurrency`,
        description: `In the last 15 minutes the manager pod {{ $labels.pod }} wanted to ask GitLab for jobs {{ $value | humanize }} `
          + `times while all its request_concurrency (${requestConcurrency}) requests were in flight, typically held open by `
          + 'GitLab\'s long polling: new jobs start late although the runner has free capacity. Raise requestConcurrency.',
      },
      {
        alert: 'GitLabRunnerJobQueueSlow',
        expr: `histogram_quantile(${formatNumber(quantile)}, sum by (le) (rate(gitlab_runner_job_queue_duration_seconds_bucket{${job}}[30m]))) > ${queueSeconds}`,
        for: '15m',
        severity: 'warning',
        summary: `Jobs of ${what} wait {{ $value | humanizeDuration }} in GitLab's queue`,
        description: `The ${percentile} of the time the jobs this runner picked up in the last 30 minutes had waited in GitLab's `
          + `queue is {{ $value | humanizeDuration }} (threshold ${goDurationString(queueSeconds)}): jobs wait for a free slot. `
          + 'Check the saturation and request-concurrency alerts and the managers\' health.',
      },
    ];

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

/** A number as PromQL and people read it: 0.1, not 0.10000000000000001; 90, not 90.00000000000001. */
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
