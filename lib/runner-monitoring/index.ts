// The RunnerMonitoring family: the props, the construct.
export * from './runner-monitoring';
