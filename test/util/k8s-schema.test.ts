import * as fs from 'fs';
import * as path from 'path';
import { compileValidator, expectValidManifests, formatError, validateDefinition, validatorInputHash, validateManifest } from './k8s-schema';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'foo', namespace: 'ci', labels: { app: 'foo' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'foo' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'foo' } },
      spec: {
        serviceAccountName: 'foo',
        securityContext: { runAsNonRoot: true, runAsUser: 100, fsGroup: 65533 },
        containers: [{
          name: 'main',
          image: 'registry.example.com/foo:1.0',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'metrics', containerPort: 9252, protocol: 'TCP' }],
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 2, memory: '1.5Gi' } },
          livenessProbe: { httpGet: { path: '/metrics', port: 'metrics' }, periodSeconds: 10 },
          readinessProbe: { tcpSocket: { port: 9252 }, initialDelaySeconds: 5 },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'config', mountPath: '/etc/foo', readOnly: true }],
        }],
        volumes: [{ name: 'config', configMap: { name: 'foo-config' } }],
        tolerations: [{ key: 'ci', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
  },
});

describe('validateManifest', () => {
  test('valid objects of several kinds pass', () => {
    // GIVEN
    const objs = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ci' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'foo', namespace: 'ci' },
        rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create', 'delete'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'foo', namespace: 'ci' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'foo' },
        subjects: [{ kind: 'ServiceAccount', name: 'foo', namespace: 'ci' }],
      },
      deployment(),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'foo', namespace: 'ci' },
        spec: { selector: { app: 'foo' }, ports: [{ name: 'metrics', port: 9252, targetPort: 'metrics' }] },
      },
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'ci-jobs' },
        value: 1000,
        globalDefault: false,
        preemptionPolicy: 'Never',
      },
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'cache', namespace: 'ci' },
        spec: {
          selector: { matchLabels: { app: 'cache' } },
          template: {
            metadata: { labels: { app: 'cache' } },
            spec: { containers: [{ name: 'cache', image: 'busybox', args: ['sleep', 'infinity'] }] },
          },
        },
      },
    ];

    // WHEN
    const errors = objs.map(validateManifest);

    // THEN
    expect(errors).toEqual(objs.map(() => []));
    expectValidManifests(objs);
  });

  test('a misspelled top-level spec field fails and is named', () => {
    // GIVEN
    const obj: any = deployment();
    obj.spec.replcas = 3;

    // WHEN
    const errors = validateManifest(obj);

    // THEN
    expect(errors).toEqual(['Deployment/foo: /spec/replcas: must NOT have additional properties (replcas)']);
  });

  test('a misspelled nested container field fails and is named', () => {
    // GIVEN
    const obj: any = deployment();
    obj.spec.template.spec.containers[0].imagePullPolicyy = 'Always';

    // WHEN
    const errors = validateManifest(obj);

    // THEN
    expect(errors).toEqual([
      'Deployment/foo: /spec/template/spec/containers/0/imagePullPolicyy: must NOT have additional properties (imagePullPolicyy)',
    ]);
  });

  test('a wrong type fails', () => {
    // GIVEN
    const obj: any = deployment();
    obj.spec.replicas = 'two';

    // WHEN
    const errors = validateManifest(obj);

    // THEN
    expect(errors).toEqual(['Deployment/foo: /spec/replicas: must be integer']);
  });

  test('an invalid quantity string and an out-of-range int32 fail', () => {
    // GIVEN
    const obj: any = deployment();
    obj.spec.template.spec.containers[0].resources.requests.memory = '1GB';
    obj.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 31;

    // WHEN
    const errors = validateManifest(obj);

    // THEN
    expect(errors).toEqual(expect.arrayContaining([
      'Deployment/foo: /spec/template/spec/containers/0/resources/requests/memory: must match format "quantity"',
      'Deployment/foo: /spec/template/spec/containers/0/ports/0/containerPort: must match format "int32"',
    ]));
  });

  test('a missing required field fails', () => {
    // GIVEN
    const obj = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'foo' },
      subjects: [{ kind: 'ServiceAccount', name: 'foo', namespace: 'ci' }],
    };

    // WHEN
    const errors = validateManifest(obj);

    // THEN
    expect(errors).toEqual(["RoleBinding/foo: /: must have required property 'roleRef'"]);
  });

  test('unknown apiVersion or kind gives an error string', () => {
    // GIVEN / WHEN / THEN
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymint', metadata: { name: 'x' } }))
      .toEqual(['Deploymint/x: unknown apiVersion/kind in Kubernetes 1.28: apps/v1 Deploymint']);
    expect(validateManifest({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'x' } }))
      .toEqual(['Deployment/x: unknown apiVersion/kind in Kubernetes 1.28: extensions/v1beta1 Deployment']);
    expect(validateManifest({ apiVersion: 'apps/v1/extra', kind: 'Deployment' })).toHaveLength(1);
    expect(validateManifest({ kind: 'Namespace' })).toEqual(['Namespace/<unnamed>: apiVersion and kind must be strings']);
    expect(validateManifest('nope')).toEqual(['manifest is not an object: "nope"']);
  });

  test('apiVersion, kind and metadata stay allowed on top-level kinds', () => {
    // GIVEN: the raw schema, to check that closing objects cannot reject the standard fields
    const { definitions } = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'k8s-1.28.0-definitions.json'), 'utf8'));
    // Discovery/meta types that are never stored objects: no metadata (WatchEvent has not even apiVersion/kind).
    const exempt = (name: string, prop: string) =>
      name.endsWith('.WatchEvent') || (prop === 'metadata'
        && ['APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions', 'DeleteOptions'].includes(name.split('.').pop()!));

    // WHEN
    const missing = Object.entries<any>(definitions)
      .filter(([, def]) => def['x-kubernetes-group-version-kind'])
      .flatMap(([name, def]) => ['apiVersion', 'kind', 'metadata']
        .filter(p => !def.properties?.[p] && !exempt(name, p))
        .map(p => `${name}.${p}`));

    // THEN
    expect(missing).toEqual([]);
  });
});

describe('validateDefinition', () => {
  test('PodSecurityContext passes, and fails with a misspelled key', () => {
    // GIVEN
    const name = 'io.k8s.api.core.v1.PodSecurityContext';

    // WHEN / THEN
    expect(validateDefinition(name, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })).toEqual([]);
    expect(validateDefinition(name, { runAsNonRoot: true, seccompProfile: { typ: 'RuntimeDefault' } })).toEqual([
      "PodSecurityContext: /seccompProfile: must have required property 'type'",
      'PodSecurityContext: /seccompProfile/typ: must NOT have additional properties (typ)',
    ]);
    expect(validateDefinition(name, { runAsNonroot: true })).toEqual([
      'PodSecurityContext: /runAsNonroot: must NOT have additional properties (runAsNonroot)',
    ]);
  });

  test('Toleration with tolerationSeconds as a string fails', () => {
    // GIVEN
    const name = 'io.k8s.api.core.v1.Toleration';

    // WHEN / THEN
    expect(validateDefinition(name, { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })).toEqual([]);
    expect(validateDefinition(name, { key: 'k', effect: 'NoExecute', tolerationSeconds: '300' }))
      .toEqual(['Toleration: /tolerationSeconds: must be integer']);
  });

  test('other pod-spec pieces validate', () => {
    // GIVEN / WHEN / THEN
    expect(validateDefinition('io.k8s.api.core.v1.ResourceRequirements', { requests: { cpu: '100m' } })).toEqual([]);
    expect(validateDefinition('io.k8s.api.core.v1.SecurityContext', { readOnlyRootFilesystem: true })).toEqual([]);
    expect(validateDefinition('io.k8s.api.core.v1.Affinity', {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] }],
        },
      },
    })).toEqual([]);
    expect(validateDefinition('io.k8s.api.core.v1.Affinity', { nodeAfinity: {} })).toHaveLength(1);
  });

  test('an unknown definition name throws', () => {
    expect(() => validateDefinition('io.k8s.api.core.v1.Nope', {})).toThrow(/unknown Kubernetes 1.28 definition/);
  });
});

describe('the validator cache', () => {
  test('a cached validator reports what a freshly compiled one does', () => {
    const bad = deployment() as any;
    bad.spec.template.spec.containers[0].resources.limits.memory = '1.5 Gi';
    bad.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 40;
    bad.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    bad.spec.replicaz = 1;
    const fresh = compileValidator('io.k8s.api.apps.v1.Deployment');
    expect(fresh(bad)).toBe(false);
    const errors = validateDefinition('io.k8s.api.apps.v1.Deployment', bad);
    expect(errors).toEqual((fresh.errors ?? []).map((e) => formatError('Deployment', e)));
    expect(errors.join('\n')).toMatch(/replicaz/);
    expect(errors.join('\n')).toMatch(/containerPort: must match format "int32"/);
    expect(errors.join('\n')).toMatch(/memory: must match format "quantity"/);
  });

  test('is keyed by the schema and this module: a change to either is a new entry', () => {
    const plain = (f: string) => fs.readFileSync(f, 'utf8');
    const hash = validatorInputHash(plain);
    expect(validatorInputHash(plain)).toBe(hash);
    for (const suffix of ['k8s-1.28.0-definitions.json', 'k8s-schema.ts']) {
      expect({ suffix, same: validatorInputHash((f) => plain(f) + (f.endsWith(suffix) ? ' ' : '')) === hash }).toEqual({ suffix, same: false });
    }
  });
});
