import { Duration } from 'cdk8s';
import { MANAGED_BY_LABELS } from '../model/labels';
import { RunnerManager } from '../runner-manager';
import { goDurationString } from '../validation/durations';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';
import { AlertThresholds } from './alerts';
import { RunnerMonitoringProps } from './props';

/** The props, checked, with their defaults filled in. */
export interface MonitoringSettings {
  readonly runner: RunnerManager;
  /** The chart's name of the manager pods' metrics port. */
  readonly metricsPort: string;
  /** The scrape interval, as Prometheus writes durations. */
  readonly interval: string;
  /** The PodMonitor's and the PrometheusRule's labels. */
  readonly labels: { [key: string]: string };
  readonly thresholds: AlertThresholds;
}

/** Checks the props one by one, in the order their errors are reported. */
export function resolveMonitoringSettings(check: PropChecker, props: RunnerMonitoringProps): MonitoringSettings {
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
  return {
    runner,
    metricsPort: metrics.portName ?? 'metrics',
    interval: goDurationString(check.seconds('interval', props.interval ?? Duration.seconds(30), { min: 5, max: 120 })),
    labels: { ...MANAGED_BY_LABELS, ...check.labels('labels', props.labels ?? { release: 'kube-prometheus-stack' }) },
    thresholds: {
      jobFailureRatio: check.ratio('jobFailureRatio', props.jobFailureRatio ?? 0.1),
      jobFailureMinJobs: check.integer('jobFailureMinJobs', props.jobFailureMinJobs ?? 10, { min: 1 }),
      errorsPerMinute: positive(check, 'errorsPerMinute', props.errorsPerMinute ?? 1),
      saturationRatio: check.ratio('saturationRatio', props.saturationRatio ?? 0.9),
      requestConcurrencyExceededThreshold: check.integer('requestConcurrencyExceededThreshold',
        props.requestConcurrencyExceededThreshold ?? 0, { min: 0 }),
      queueDurationSeconds: check.seconds('queueDurationThreshold', props.queueDurationThreshold ?? Duration.minutes(5), { min: 1 }),
      queueDurationQuantile: check.ratio('queueDurationQuantile', props.queueDurationQuantile ?? 0.9),
    },
  };
}

/** A positive finite number. */
export function positive(check: PropChecker, prop: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) check.fail(prop, value, 'a positive number, e.g. 1');
  return value;
}
