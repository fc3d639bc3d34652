import { renderRunnerTolerations, runnerTolerationEffect, runnerTolerationKey } from '../../lib/render/runner-tolerations';

describe('the runner\'s node_tolerations encoding', () => {
  test('"key=value" for operator Equal, "key" for Exists; the effect, or "" for every effect', () => {
    expect(runnerTolerationKey({ key: 'workload', value: 'ci' })).toBe('workload=ci');
    expect(runnerTolerationKey({ key: 'workload' })).toBe('workload');
    expect(runnerTolerationEffect({ key: 'workload' })).toBe('');
    expect(renderRunnerTolerations([
      { key: 'workload', value: 'ci', effect: 'NoSchedule' },
      { key: 'gpu' },
    ])).toEqual({ 'workload=ci': 'NoSchedule', 'gpu': '' });
  });
});
