import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor } from '../../imports/podmonitors-monitoring.coreos.com';
import { PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com';
import { ManifestFolder, placeManifests } from '../output/placement';
import { PropChecker } from '../validation/prop-checker';
import { runnerAlerts } from './alerts';
import { RunnerMonitoringProps } from './props';
import { resolveMonitoringSettings } from './settings';

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
    const s = resolveMonitoringSettings(check, props);
    const { runner, labels } = s;
    this.interval = s.interval;

    const name = runner.fullname;
    const namespace = runner.namespace;
    this.job = `${namespace}/${name}`;

    this.podMonitor = new PodMonitor(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        // The chart's pod labels, as its metrics Service selects them (`app` and `release`).
        selector: { matchLabels: { ...runner.managerPodSelector, release: runner.releaseName } },
        podMetricsEndpoints: [{ port: s.metricsPort, path: '/metrics', interval: this.interval }],
      },
    });

    const alerts = runnerAlerts({
      name, namespace, job: this.job,
      replicas: runner.replicas, concurrent: runner.concurrent, jobsPerManager: runner.jobsPerManager, configuredJobs: runner.configuredJobs,
      requestConcurrency: runner._runnerConfig.runners[0]?.requestConcurrency ?? 1,
    }, s.thresholds);

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
