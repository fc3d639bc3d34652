import { Testing } from 'cdk8s';
import { ManagerDisruptionBudget } from '../../lib/runner-manager/disruption';

test('ManagerDisruptionBudget keeps all but one manager through voluntary disruptions, never blocked by a crash-looping one', () => {
  const chart = Testing.chart();
  new ManagerDisruptionBudget(chart, 'Disruption', { name: 'gitlab-runner', namespace: 'ci', selector: { app: 'gitlab-runner' }, labels: { a: 'b' } });
  expect(Testing.synth(chart)).toEqual([{
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'gitlab-runner', namespace: 'ci', labels: { a: 'b' } },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'gitlab-runner' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  }]);
});
