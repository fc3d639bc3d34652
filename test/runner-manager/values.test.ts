import { RunnerCache } from '../../lib/runner-cache';
import { buildRunnerConfig } from '../../lib/runner-manager/config';
import { drainScript } from '../../lib/runner-manager/drain';
import { buildValues, managerPodSelector, TOKEN_REVISION_ANNOTATION, valuesFile } from '../../lib/runner-manager/values';
import { settings } from './fixtures';

const values = (overrides = {}) => {
  const s = settings(overrides);
  return buildValues(s, buildRunnerConfig(s));
};

describe('buildValues', () => {
  test('the image, the global settings as chart values, our own RBAC and a restricted manager pod', () => {
    const v = values();
    expect(v.image).toEqual({ registry: 'registry.gitlab.com', image: 'gitlab-org/gitlab-runner', tag: 'alpine-v18.3.0' });
    expect(v).toMatchObject({
      gitlabUrl: 'https://gitlab.example.com/', replicas: 2, concurrent: 10, checkInterval: 3, logLevel: 'info', shutdown_timeout: 30,
      terminationGracePeriodSeconds: 3630, unregisterRunners: false, rbac: { create: false }, serviceAccount: { create: true },
      metrics: { enabled: true, port: 9252 }, service: { enabled: true, type: 'ClusterIP' },
    });
    expect(v.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(v.runners).toMatchObject({ executor: 'kubernetes', name: 'gitlab-runner', secret: 'gitlab-runner-token' });
    // The template stays a model; the values file renders it.
    expect(v.runners?.config?.kubernetes?.namespace).toBe('gitlab-runner-jobs');
  });

  test('draining: a preStop hook that waits the grace period minus the shutdown timeout', () => {
    const command = (values().deploymentLifecycle as any).preStop.exec.command;
    expect(command).toEqual(['/bin/sh', '-c', drainScript(3600)]);
    expect(values({ drainOnStop: false, unregisterRunners: true }).deploymentLifecycle).toBeUndefined();
  });

  test('spread across nodes by the Deployment\'s selector, only when asked', () => {
    expect(values().topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'gitlab-runner' } },
    }]);
    expect(values({ spreadAcrossNodes: false }).topologySpreadConstraints).toBeUndefined();
  });

  test('the token revision annotation, the cache Secret, no Service without metrics', () => {
    expect(values({ tokenSecretRevision: '2026-12-01' }).podAnnotations).toEqual({ [TOKEN_REVISION_ANNOTATION]: '2026-12-01' });
    expect(values().podAnnotations).toBeUndefined();
    const cache = RunnerCache.gcs({ bucketName: 'b', credentials: { name: 'gcs-keys' } as any });
    expect(values({ cache }).runners?.cache).toEqual({ secretName: 'gcs-keys' });
    expect(values({ metrics: false }).service).toBeUndefined();
  });
});

describe('valuesFile', () => {
  test('a header with the install command, then the values', () => {
    const s = settings({ namespace: 'ci' });
    const values = buildValues(s, buildRunnerConfig(s));
    const file = valuesFile(s, values);
    expect(file).toEqual({ helmValues: values, header: expect.any(Array) });
    const header = 'header' in file ? file.header : [];
    expect(header).toContain('Values for the gitlab-runner Helm chart 0.80.0 (GitLab Runner 18.3.0).');
    expect(header).toContain('  helm upgrade --install gitlab-runner gitlab/gitlab-runner --version 0.80.0 -n ci -f <this file>');
    expect(values.gitlabUrl).toBe('https://gitlab.example.com/');
  });
});

test('managerPodSelector is the chart\'s Deployment selector', () => {
  expect(managerPodSelector('gitlab-runner-prod')).toEqual({ app: 'gitlab-runner-prod' });
});
