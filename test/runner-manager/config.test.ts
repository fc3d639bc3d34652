import { buildGlobalConfig, buildRunnerConfig } from '../../lib/runner-manager/config';
import { LogFormat, LogLevel } from '../../lib/runner-manager/log';
import { settings } from './fixtures';

describe('buildGlobalConfig', () => {
  test('concurrency, interval, logging and shutdown; the metrics address only with metrics', () => {
    expect(buildGlobalConfig(settings())).toEqual({
      concurrent: 10, checkInterval: 3, logLevel: LogLevel.INFO, logFormat: undefined, shutdownTimeout: 30, listenAddress: ':9252',
    });
    const quiet = buildGlobalConfig(settings({ metrics: false, logLevel: LogLevel.WARN, logFormat: LogFormat.JSON }));
    expect(quiet).toMatchObject({ logLevel: 'warn', logFormat: 'json', listenAddress: undefined });
  });
});

describe('buildRunnerConfig', () => {
  test('one kubernetes runner: the jobs\' namespace, then the parts in order; empty values pruned', () => {
    const config = buildRunnerConfig(settings({
      jobPodParts: [{ image: 'alpine:3.22', pollTimeout: 180 }, { dnsPolicy: 'cluster-first' }, { nodeSelector: { workload: 'ci' } }],
    }));
    expect(config.runners).toHaveLength(1);
    expect(config.runners[0]).toEqual({
      executor: 'kubernetes',
      kubernetes: { namespace: 'gitlab-runner-jobs', image: 'alpine:3.22', pollTimeout: 180, dnsPolicy: 'cluster-first', nodeSelector: { workload: 'ci' } },
    });
    expect(config.global).toMatchObject({ concurrent: 10, listenAddress: ':9252' });
  });

  test('the runner entry\'s own settings', () => {
    const r = buildRunnerConfig(settings({
      limit: 2, requestConcurrency: 4, outputLimit: 16384, environment: ['A=1'], preBuildScript: 'echo pre', featureFlags: { FF_USE_FASTZIP: true },
      cacheConfig: { type: 's3', s3: { bucketName: 'cache' } },
    })).runners[0];
    expect(r).toMatchObject({
      limit: 2, requestConcurrency: 4, outputLimit: 16384, environment: ['A=1'], preBuildScript: 'echo pre',
      featureFlags: { FF_USE_FASTZIP: true }, cache: { type: 's3', s3: { bucketName: 'cache' } },
    });
  });

  test('print_pod_warning_events is written only when off (the runner\'s default is on)', () => {
    expect(buildRunnerConfig(settings()).runners[0].kubernetes).not.toHaveProperty('printPodWarningEvents');
    expect(buildRunnerConfig(settings({ printPodWarningEvents: false })).runners[0].kubernetes?.printPodWarningEvents).toBe(false);
  });
});
