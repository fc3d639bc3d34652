import { Duration } from 'cdk8s';
import { RunnerManager } from '../runner-manager';

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
