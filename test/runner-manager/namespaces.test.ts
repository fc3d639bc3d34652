import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { PodSecurityLevel } from '../../lib/pod-security';
import { RunnerNamespaces } from '../../lib/runner-manager/namespaces';

const labelsOf = (objects: any[]) => objects.filter((o) => o.kind === 'Namespace')
  .map((o) => [o.metadata.name, o.metadata.labels['pod-security.kubernetes.io/enforce']]);

describe('RunnerNamespaces', () => {
  test('the manager\'s namespace is restricted, the jobs\' has the jobs\' level, both pinned to v1.28', () => {
    const chart = Testing.chart();
    const ns = new RunnerNamespaces(chart, 'Namespaces', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: PodSecurityLevel.PRIVILEGED });
    const objects = Testing.synth(chart);
    expect(labelsOf(objects)).toEqual([['ci', 'restricted'], ['ci-jobs', 'privileged']]);
    expect(objects[0].metadata.labels).toEqual({
      'kubernetes.io/metadata.name': 'ci',
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
    expect([ns.namespace, ns.jobNamespace, ns.jobNamespacePodSecurity]).toEqual(['ci', 'ci-jobs', 'privileged']);
  });

  test('one shared namespace takes the jobs\' level; create: false writes none', () => {
    const shared = Testing.chart();
    new RunnerNamespaces(shared, 'Namespaces', { namespace: 'ci', jobNamespace: 'ci', jobNamespacePodSecurity: PodSecurityLevel.BASELINE });
    expect(labelsOf(Testing.synth(shared))).toEqual([['ci', 'baseline']]);
    const none = Testing.chart();
    new RunnerNamespaces(none, 'Namespaces', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: PodSecurityLevel.BASELINE, create: false });
    expect(Testing.synth(none)).toEqual([]);
  });

  test('applyBefore puts an object created earlier after its Namespace; a namespace not created here is a no-op', () => {
    const chart = Testing.chart();
    const early = new k8s.KubeConfigMap(chart, 'Early', { metadata: { name: 'early', namespace: 'ci-jobs' } });
    const other = new k8s.KubeConfigMap(chart, 'Other', { metadata: { name: 'other', namespace: 'elsewhere' } });
    const ns = new RunnerNamespaces(chart, 'Namespaces', { namespace: 'ci', jobNamespace: 'ci-jobs', jobNamespacePodSecurity: PodSecurityLevel.BASELINE });
    ns.applyBefore(early, 'ci-jobs');
    ns.applyBefore(other, 'elsewhere');
    const names = Testing.synth(chart).map((o) => o.metadata.name);
    expect(names.indexOf('ci-jobs')).toBeLessThan(names.indexOf('early'));
    expect(early.node.dependencies).toHaveLength(1);
    expect(other.node.dependencies).toEqual([]);
  });
});
