// The RunnerManager family: props per concern, one resolve step, pure builders, child constructs.
export * from './log';
export * from './props';
export * from './runner-manager';
export * from './namespaces';
export { DEFAULT_NAMESPACE, defaultJobNamespace } from './defaults';
export { chartFullname } from './settings';
