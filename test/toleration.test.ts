import { TaintEffect } from 'cdk8s-plus-28';
import { kubeToleration, toKubeTolerations, toRunnerTolerations } from '../lib/toleration';
import { PropChecker } from '../lib/validation/prop-checker';

const check = new PropChecker('test/Runner');

describe('toRunnerTolerations', () => {
  test('key=value for Equal, key alone for Exists, "" for every effect', () => {
    expect(toRunnerTolerations(check, 'jobTolerations', [
      { key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE },
      { key: 'spot', effect: TaintEffect.NO_EXECUTE },
      { key: 'gpu' },
    ])).toEqual({ 'dedicated=ci': 'NoSchedule', 'spot': 'NoExecute', 'gpu': '' });
    expect(toRunnerTolerations(check, 'jobTolerations', [])).toEqual({});
  });

  test('the same taint twice with the same effect is allowed; with another effect it fails', () => {
    const t = { key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE };
    expect(toRunnerTolerations(check, 'jobTolerations', [t, { ...t }])).toEqual({ 'dedicated=ci': 'NoSchedule' });
    expect(() => toRunnerTolerations(check, 'jobTolerations', [t, { ...t, effect: TaintEffect.NO_EXECUTE }]))
      .toThrow('test/Runner: invalid jobTolerations[1]: got {"key":"dedicated","value":"ci","effect":"NoExecute"}; expected at most one effect per '
        + 'taint key and value in job-pod tolerations ("dedicated=ci" is already "NoSchedule"); omit effect to tolerate all effects');
  });

  test('tolerationSeconds cannot be expressed in node_tolerations', () => {
    expect(() => toRunnerTolerations(check, 'jobTolerations', [{ key: 'spot', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 60 }]))
      .toThrow('test/Runner: invalid jobTolerations[0].tolerationSeconds: got 60; expected no tolerationSeconds: '
        + 'the runner\'s node_tolerations map holds only key, value and effect');
  });

  test('key, value and effect are checked under the item\'s index', () => {
    expect(() => toRunnerTolerations(check, 'jobTolerations', [{ key: 'ok' }, { key: 'bad key' }]))
      .toThrow('test/Runner: invalid jobTolerations[1].key: got "bad key"; expected a label key');
    expect(() => toRunnerTolerations(check, 'jobTolerations', [{ key: 'dedicated', value: 'not ok' }]))
      .toThrow('test/Runner: invalid jobTolerations[0]["dedicated"]: got "not ok"; expected a label value');
    expect(() => toRunnerTolerations(check, 'jobTolerations', [{ key: 'dedicated', effect: 'Sometimes' as TaintEffect }]))
      .toThrow('test/Runner: invalid jobTolerations[0].effect: got "Sometimes"; expected one of "NoSchedule", "PreferNoSchedule", "NoExecute"');
  });
});

describe('toKubeTolerations', () => {
  test('Equal with a value, Exists without; tolerationSeconds kept for NoExecute', () => {
    expect(toKubeTolerations(check, 'managerTolerations', [
      { key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE },
      { key: 'spot', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 0 },
      { key: 'gpu' },
    ])).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'ci', effect: 'NoSchedule', tolerationSeconds: undefined },
      { key: 'spot', operator: 'Exists', value: undefined, effect: 'NoExecute', tolerationSeconds: 0 },
      { key: 'gpu', operator: 'Exists', value: undefined, effect: undefined, tolerationSeconds: undefined },
    ]);
  });

  test('tolerationSeconds needs NoExecute and a non-negative integer', () => {
    expect(() => toKubeTolerations(check, 'managerTolerations', [{ key: 'spot', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 60 }]))
      .toThrow('test/Runner: invalid managerTolerations[0].tolerationSeconds: got 60; expected tolerationSeconds only with effect TaintEffect.NO_EXECUTE');
    expect(() => toKubeTolerations(check, 'managerTolerations', [{ key: 'spot', tolerationSeconds: 60 }]))
      .toThrow('expected tolerationSeconds only with effect TaintEffect.NO_EXECUTE');
    expect(() => toKubeTolerations(check, 'managerTolerations', [{ key: 'spot', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: -1 }]))
      .toThrow('test/Runner: invalid managerTolerations[0].tolerationSeconds: got -1');
    expect(() => toKubeTolerations(check, 'managerTolerations', [{ key: 'spot', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 1.5 }]))
      .toThrow('test/Runner: invalid managerTolerations[0].tolerationSeconds: got 1.5');
  });

  test('the same checks of key and effect as job tolerations', () => {
    expect(() => toKubeTolerations(check, 'managerTolerations', [{ key: '' }])).toThrow('test/Runner: invalid managerTolerations[0].key: got ""');
    expect(() => toKubeTolerations(check, 'managerTolerations', [{ key: 'a', effect: 'NoScheduleX' as TaintEffect }]))
      .toThrow('test/Runner: invalid managerTolerations[0].effect: got "NoScheduleX"');
  });
});

describe('kubeToleration', () => {
  test('an empty value is Exists with no value', () => {
    expect(kubeToleration({ key: 'a', value: '' })).toEqual({ key: 'a', operator: 'Exists', value: undefined, effect: undefined });
    expect(kubeToleration({ key: 'a', value: 'b', effect: TaintEffect.PREFER_NO_SCHEDULE }))
      .toEqual({ key: 'a', operator: 'Equal', value: 'b', effect: 'PreferNoSchedule' });
  });
});
