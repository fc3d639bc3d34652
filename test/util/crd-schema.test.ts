import { customResourceKinds, validateAnyObject, validateCustomResource } from './crd-schema';

/** A PodMonitor as the Prometheus Operator documents it, valid against the v0.93.0 CRD. */
function podMonitor(): any {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'gitlab-runner', namespace: 'gitlab-runner', labels: { release: 'kube-prometheus-stack' } },
    spec: {
      selector: { matchLabels: { app: 'gitlab-runner' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    },
  };
}

function prometheusRule(): any {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'gitlab-runner', namespace: 'gitlab-runner' },
    spec: {
      groups: [{
        name: 'gitlab-runner.rules',
        partial_response_strategy: 'WARN',
        rules: [{ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: '{{ $labels.pod }} is down' } }],
      }],
    },
  };
}

describe('validateCustomResource', () => {
  test('finds the served versions of the fixture CRDs', () => {
    expect(customResourceKinds()).toEqual(['monitoring.coreos.com/v1/PodMonitor', 'monitoring.coreos.com/v1/PrometheusRule']);
  });

  test('passes valid objects', () => {
    // GIVEN objects written as the CRDs define them, including int-or-string and a Go (?i) pattern
    const rule = prometheusRule();
    const numericExpr = prometheusRule();
    numericExpr.spec.groups[0].rules[0].expr = 1;
    const monitor = podMonitor();
    monitor.spec.podMetricsEndpoints.push({ targetPort: 9252 }, { targetPort: 'metrics', scheme: 'HTTP' });

    // THEN
    expect(validateCustomResource(monitor)).toEqual([]);
    expect(validateCustomResource(rule)).toEqual([]);
    expect(validateCustomResource(numericExpr)).toEqual([]);
    expect(validateAnyObject(monitor)).toEqual([]);
  });

  test('fails on a misspelled field in a PodMonitor spec', () => {
    const monitor = podMonitor();
    monitor.spec.podMetricEndpoints = monitor.spec.podMetricsEndpoints;
    delete monitor.spec.podMetricsEndpoints;
    expect(validateCustomResource(monitor)).toEqual([
      'PodMonitor/gitlab-runner: /spec/podMetricEndpoints: must NOT have additional properties (podMetricEndpoints)',
    ]);
  });

  test('fails on a misspelled field deep inside an endpoint', () => {
    const monitor = podMonitor();
    monitor.spec.podMetricsEndpoints[0].portName = 'metrics';
    expect(validateCustomResource(monitor)).toEqual([
      'PodMonitor/gitlab-runner: /spec/podMetricsEndpoints/0/portName: must NOT have additional properties (portName)',
    ]);
  });

  test('fails on a field at the top that the CRD does not declare', () => {
    const monitor = podMonitor();
    monitor.selector = monitor.spec.selector;
    expect(validateCustomResource(monitor)).toEqual([
      'PodMonitor/gitlab-runner: /selector: must NOT have additional properties (selector)',
    ]);
  });

  test('fails on wrong types', () => {
    const monitor = podMonitor();
    monitor.spec.podMetricsEndpoints[0].port = 9252;
    monitor.spec.selector.matchLabels.app = true;
    monitor.spec.podMetricsEndpoints.push({ targetPort: 92.5 });
    expect(validateCustomResource(monitor)).toEqual(expect.arrayContaining([
      'PodMonitor/gitlab-runner: /spec/podMetricsEndpoints/0/port: must be string',
      'PodMonitor/gitlab-runner: /spec/selector/matchLabels/app: must be string',
      'PodMonitor/gitlab-runner: /spec/podMetricsEndpoints/1/targetPort: must be integer',
    ]));
  });

  test('fails on a missing required field', () => {
    const monitor = podMonitor();
    delete monitor.spec.selector;
    const rule = prometheusRule();
    delete rule.spec.groups[0].rules[0].expr;
    expect(validateCustomResource(monitor)).toEqual(["PodMonitor/gitlab-runner: /spec: must have required property 'selector'"]);
    expect(validateCustomResource(rule)).toEqual(["PrometheusRule/gitlab-runner: /spec/groups/0/rules/0: must have required property 'expr'"]);
  });

  test('fails on values the CRD\'s patterns and enums refuse', () => {
    // GIVEN a duration in Go's form (Prometheus durations have no "1.5m"), an unknown scheme and strategy
    const monitor = podMonitor();
    monitor.spec.podMetricsEndpoints[0].interval = '1.5m';
    monitor.spec.podMetricsEndpoints[0].scheme = 'FTP';
    const rule = prometheusRule();
    rule.spec.groups[0].partial_response_strategy = 'ignore';

    // THEN
    const errors = validateCustomResource(monitor);
    expect(errors).toContainEqual(expect.stringMatching(/^PodMonitor\/gitlab-runner: \/spec\/podMetricsEndpoints\/0\/interval: must match pattern/));
    expect(errors).toContainEqual(expect.stringMatching(/^PodMonitor\/gitlab-runner: \/spec\/podMetricsEndpoints\/0\/scheme: must be equal to one of the allowed values/));
    expect(validateCustomResource(rule)).toEqual([
      expect.stringMatching(/^PrometheusRule\/gitlab-runner: \/spec\/groups\/0\/partial_response_strategy: must match pattern/),
    ]);
  });

  test('fails on two rule groups with one name (a list-type map)', () => {
    const rule = prometheusRule();
    rule.spec.groups.push({ ...rule.spec.groups[0] });
    expect(validateCustomResource(rule)).toEqual([
      'PrometheusRule/gitlab-runner: /spec/groups: must not repeat the key (name) = ["gitlab-runner.rules"] (item 1)',
    ]);
  });

  test('fails on bad metadata', () => {
    const misspelled = podMonitor();
    misspelled.metadata.label = { a: 'b' };
    const badName = podMonitor();
    badName.metadata.name = 'GitLab_Runner';
    const noName = podMonitor();
    delete noName.metadata.name;
    const badNamespace = podMonitor();
    badNamespace.metadata.namespace = 'gitlab.runner';
    const noMetadata = podMonitor();
    delete noMetadata.metadata;

    expect(validateCustomResource(misspelled)).toEqual([
      'PodMonitor/gitlab-runner: /metadata/label: must NOT have additional properties (label)',
    ]);
    expect(validateCustomResource(badName)).toEqual(['PodMonitor/GitLab_Runner: /metadata/name: must be a DNS-1123 subdomain']);
    expect(validateCustomResource(noName)).toEqual(['PodMonitor/<unnamed>: /metadata/name: must be a DNS-1123 subdomain']);
    expect(validateCustomResource(badNamespace)).toEqual(['PodMonitor/gitlab-runner: /metadata/namespace: must be a DNS-1123 label']);
    expect(validateCustomResource(noMetadata)).toEqual(['PodMonitor/<unnamed>: /metadata: must be an object with a name']);
  });

  test('fails on an unknown kind or version', () => {
    const unknownKind = { ...podMonitor(), kind: 'PodMonitors' };
    const unknownVersion = { ...podMonitor(), apiVersion: 'monitoring.coreos.com/v1alpha1' };
    const serviceMonitor = { ...podMonitor(), kind: 'ServiceMonitor' };
    expect(validateCustomResource(unknownKind)).toEqual([
      'PodMonitors/gitlab-runner: no CRD in test/fixtures/crds serves monitoring.coreos.com/v1 PodMonitors',
    ]);
    expect(validateCustomResource(unknownVersion)).toEqual([
      'PodMonitor/gitlab-runner: no CRD in test/fixtures/crds serves monitoring.coreos.com/v1alpha1 PodMonitor',
    ]);
    // Not among our fixtures: an error, not a silent pass
    expect(validateAnyObject(serviceMonitor)).toHaveLength(1);
    expect(validateCustomResource('PodMonitor')).toEqual(['custom resource is not an object: "PodMonitor"']);
    expect(validateCustomResource({ kind: 'PodMonitor', metadata: { name: 'x' } })).toEqual(['PodMonitor/x: apiVersion and kind must be strings']);
  });
});

describe('validateAnyObject', () => {
  test('sends built-in kinds to the Kubernetes schema and monitoring.coreos.com kinds to their CRD', () => {
    // GIVEN a valid and a misspelled ConfigMap, and a misspelled PodMonitor
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    const badConfigMap = { ...configMap, datas: { a: 'b' } };
    const badMonitor = podMonitor();
    badMonitor.spec.podMetricsEndpoints[0].intervall = '30s';

    // THEN each is checked against its own definition
    expect(validateAnyObject(configMap)).toEqual([]);
    expect(validateAnyObject(badConfigMap)).toEqual(['ConfigMap/c: /datas: must NOT have additional properties (datas)']);
    expect(validateAnyObject(badMonitor)).toEqual([
      'PodMonitor/gitlab-runner: /spec/podMetricsEndpoints/0/intervall: must NOT have additional properties (intervall)',
    ]);
    expect(validateAnyObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget/w: unknown apiVersion/kind in Kubernetes 1.28: example.com/v1 Widget',
    ]);
  });
});
