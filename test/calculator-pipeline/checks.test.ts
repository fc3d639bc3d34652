import { checkApplied, checkRunnerAllows, checkTags, PipelineRunner } from '../../lib/calculator-pipeline/checks';

const RUNNER: PipelineRunner = {
  path: 'test/Runner', tags: ['kubernetes'], privileged: true, jobPodPolicyPath: 'test/Jobs', securityProfile: 'privileged',
};
const DIND = { kind: 'docker-in-docker', needsPrivileged: true };
const KANIKO = { kind: 'kaniko', needsPrivileged: false };

describe('checkRunnerAllows', () => {
  test('DinD on a privileged runner, kaniko on a root-builder or privileged one: no error', () => {
    expect(checkRunnerAllows('test/Pipeline', RUNNER, DIND)).toEqual([]);
    expect(checkRunnerAllows('test/Pipeline', RUNNER, KANIKO)).toEqual([]);
    expect(checkRunnerAllows('test/Pipeline', { ...RUNNER, privileged: false, securityProfile: 'root-builder' }, KANIKO)).toEqual([]);
  });

  test('DinD on an unprivileged runner names the runner, its JobPodPolicy and profile, and both fixes', () => {
    expect(checkRunnerAllows('test/Pipeline', { ...RUNNER, privileged: false, securityProfile: 'root-builder' }, DIND)).toEqual([
      'test/Pipeline: invalid builder: got "docker-in-docker"; expected ImageBuilder.kaniko(), or a privileged runner: Docker-in-Docker '
      + 'runs a privileged service container, and test/Runner\'s JobPodPolicy test/Jobs uses the root-builder profile (use JobSecurityProfile.privileged() there)',
    ]);
  });

  test('kaniko on a non-root runner', () => {
    expect(checkRunnerAllows('test/Pipeline', { ...RUNNER, privileged: false, securityProfile: 'non-root' }, KANIKO)).toEqual([
      'test/Pipeline: invalid builder: got "kaniko"; expected a runner whose jobs may run as root: kaniko builds as root, and test/Jobs uses the non-root '
      + 'profile (use JobSecurityProfile.rootBuilder() there)',
    ]);
  });
});

describe('checkTags', () => {
  test('tags the runner has, in any order, or none: no error', () => {
    expect(checkTags('test/Pipeline', { path: 'test/Runner', tags: ['a', 'b'] }, ['b', 'a'])).toEqual([]);
    expect(checkTags('test/Pipeline', { path: 'test/Runner', tags: ['a'] }, [])).toEqual([]);
  });

  test('names every missing tag and the runner\'s tags, or "none"', () => {
    expect(checkTags('test/Pipeline', { path: 'test/Runner', tags: ['kubernetes'] }, ['kubernetes', 'gpu', 'arm'])).toEqual([
      'test/Pipeline: invalid tags: got ["kubernetes","gpu","arm"]; expected tags of test/Runner (kubernetes): '
      + 'GitLab gives a job only to a runner with all of its tags, and the runner lacks gpu, arm',
    ]);
    expect(checkTags('test/Pipeline', { path: 'test/Runner', tags: [] }, ['gpu'])[0]).toContain('expected tags of test/Runner (none): ');
  });
});

describe('checkApplied', () => {
  const chart = { path: 'calc', namespace: 'calculator' };
  const object = (kind: string, namespace?: string) => ({ apiVersion: 'v1', kind, name: kind.toLowerCase(), path: `calc/${kind}`, namespace });

  test('known kinds in the app\'s namespace, given or the chart\'s: no error', () => {
    expect(checkApplied('p/Pipeline', chart, [object('Service'), object('ConfigMap', 'calculator')], 'calculator')).toEqual([]);
  });

  test('a kind the Role does not cover: one error per object, listing the kinds it covers', () => {
    const errors = checkApplied('p/Pipeline', chart, [object('ResourceQuota'), object('LimitRange')], 'calculator');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe('p/Pipeline: invalid app: got "calc/ResourceQuota"; expected an app chart (calc) of only Deployment, Service, ConfigMap, '
      + 'Secret, ServiceAccount, Ingress, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy objects: the deploy job applies the whole chart, '
      + 'and its Role covers those kinds; ResourceQuota is not one of them');
    expect(errors[1]).toContain('LimitRange is not one of them');
  });

  test('another namespace, given or the chart\'s, or none at all', () => {
    expect(checkApplied('p/Pipeline', chart, [object('ConfigMap', 'other')], 'calculator')).toEqual([
      'p/Pipeline: invalid app: got "calc/ConfigMap"; expected objects in the app\'s namespace "calculator" only: '
      + 'the deploy job\'s Role is there, and ConfigMap configmap is in "other"',
    ]);
    expect(checkApplied('p/Pipeline', { path: 'calc', namespace: 'elsewhere' }, [object('Service')], 'calculator')[0])
      .toContain('Service service is in "elsewhere"');
    expect(checkApplied('p/Pipeline', { path: 'calc' }, [object('Service')], 'calculator')[0]).toContain('Service service is in "(none)"');
  });
});
