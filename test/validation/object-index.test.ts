import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { objectIndex, oncePerSynthesis } from '../../lib/validation/object-index';

function app(): { app: App; chart: Chart } {
  const a = Testing.app();
  const chart = new Chart(a, 'ci');
  new k8s.KubeNamespace(chart, 'A', { metadata: { name: 'a' } });
  new k8s.KubeConfigMap(chart, 'Config', {});
  new k8s.KubeNamespace(new Chart(a, 'other'), 'B', { metadata: { name: 'b' } });
  return { app: a, chart };
}

describe('objectIndex', () => {
  test('indexes every object of the app by kind, in tree order, from any construct', () => {
    const { app: a, chart } = app();
    expect(objectIndex(chart).ofKind('Namespace').map((o) => o.name)).toEqual(['a', 'b']);
    expect(objectIndex(a).ofKind('ConfigMap')).toHaveLength(1);
    expect(objectIndex(a).ofKind('Deployment')).toEqual([]);
  });

  test('walks the tree once per synchronous run, and again after it ends', async () => {
    const { app: a, chart } = app();
    const walk = jest.spyOn(a.node, 'findAll');
    const first = objectIndex(a);
    expect(objectIndex(chart)).toBe(first);
    expect(walk).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    new k8s.KubeNamespace(chart, 'C', { metadata: { name: 'c' } });
    const next = objectIndex(a);
    expect(next).not.toBe(first);
    expect(next.ofKind('Namespace').map((o) => o.name)).toEqual(['a', 'c', 'b']);
    expect(walk).toHaveBeenCalledTimes(2);
  });
});

describe('oncePerSynthesis', () => {
  test('computes once per synthesis however often cdk8s validates, and returns the messages', () => {
    const { app: a, chart } = app();
    const compute = jest.fn(() => ['a problem']);
    chart.node.addValidation(oncePerSynthesis(chart, compute));
    // cdk8s validates the whole app once, then again for each chart it writes.
    expect(() => a.synth()).toThrow('Validation failed with the following errors:\n  [ci] a problem');
    expect(() => Testing.synth(chart)).toThrow('[ci] a problem');
    expect(compute).toHaveBeenCalledTimes(1);
  });
});
