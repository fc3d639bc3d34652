// The RunnerMonitoring family: the props, the construct. Its settings and alert rules are internal.
export { RunnerMonitoringOptions, RunnerMonitoringProps } from './props';
export { RunnerMonitoring } from './runner-monitoring';
