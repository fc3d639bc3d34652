import { GlobalConfig, KubernetesConfig, RunnerConfig, RunnerEntry } from '../model/runner-config';
import { prune } from '../model/prune';
import { ResolvedRunnerSettings } from './settings';

/** The metrics server's address; the chart's `metrics.port` follows from it. */
const METRICS_ADDRESS = ':9252';

/** The global part of `config.toml` (with the chart, written from its values). */
export function buildGlobalConfig(s: ResolvedRunnerSettings): GlobalConfig {
  return {
    concurrent: s.concurrent,
    checkInterval: s.checkInterval,
    logLevel: s.logLevel,
    logFormat: s.logFormat,
    shutdownTimeout: s.shutdownTimeout,
    listenAddress: s.metrics ? METRICS_ADDRESS : undefined,
  };
}

/** The runner's `config.toml` model: the global settings and the one `[[runners]]` entry. */
export function buildRunnerConfig(s: ResolvedRunnerSettings): RunnerConfig {
  const kubernetes: KubernetesConfig = {
    namespace: s.jobNamespace,
    ...Object.assign({}, ...s.jobPodParts),
    // Written only when off: the runner's default is on.
    printPodWarningEvents: s.printPodWarningEvents ? undefined : false,
  };
  const runner: RunnerEntry = {
    executor: 'kubernetes',
    limit: s.limit,
    requestConcurrency: s.requestConcurrency,
    outputLimit: s.outputLimit,
    environment: s.environment,
    preGetSourcesScript: s.preGetSourcesScript,
    postGetSourcesScript: s.postGetSourcesScript,
    preBuildScript: s.preBuildScript,
    postBuildScript: s.postBuildScript,
    featureFlags: s.featureFlags,
    cache: s.cacheConfig,
    kubernetes,
  };
  return prune<RunnerConfig>({ global: buildGlobalConfig(s), runners: [runner] }, { dropEmpty: true });
}
