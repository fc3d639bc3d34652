import { Duration, Testing, Yaml } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { AppImage, CalculatorApp, CalculatorAppProps, PodSecurityLevel, RunnerManager } from '../lib';
import { validateManifest } from './util/k8s-schema';

function build(props: Partial<CalculatorAppProps> = {}): { objects: any[]; app: CalculatorApp } {
  const chart = Testing.chart();
  const app = new CalculatorApp(chart, 'Calculator', { pullSecret: Secret.fromSecretName(chart, 'Pull', 'acr-secret'), ...props });
  return { objects: Testing.synth(chart), app };
}

describe('CalculatorApp', () => {
  test('the seeds\' app: 2 replicas on port 30194, a NodePort Service, probes on /', () => {
    // GIVEN / WHEN
    const { objects, app } = build();
    const [deployment, service] = objects;
    const container = deployment.spec.template.spec.containers[0];

    // THEN
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
    for (const obj of objects) expect(validateManifest(obj)).toEqual([]);
    expect(deployment.metadata).toMatchObject({ name: 'calculator', namespace: 'calculator' });
    expect(deployment.spec.replicas).toBe(2);
    expect(container).toMatchObject({
      image: '${DOCKER_IMAGE}',
      imagePullPolicy: 'Always',
      ports: [{ name: 'http', containerPort: 30194 }],
      livenessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
      readinessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      env: [{ name: 'TZ', value: 'UTC' }],
    });
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'acr-secret' }]);
    expect(service.spec).toEqual({
      type: 'NodePort',
      selector: { app: 'calculator' },
      ports: [{ name: 'http', port: 30194, targetPort: 'http', nodePort: 30194 }],
    });
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'calculator' });
    expect(app.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('passes every rule of the restricted Pod Security level', () => {
    const pod = build().objects[0].spec.template.spec;
    // Non-root with a non-zero uid, RuntimeDefault seccomp.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    // No host namespaces, no host paths: only emptyDir, configMap, secret, projected and similar volumes.
    expect([pod.hostNetwork, pod.hostPID, pod.hostIPC]).toEqual([undefined, undefined, undefined]);
    expect(pod.volumes.every((v: any) => v.hostPath === undefined)).toBe(true);
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
      });
      expect(c.ports.every((p: any) => p.hostPort === undefined)).toBe(true);
    }
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('the seeds\' host /etc/localtime only as an opt-in that needs a privileged namespace', () => {
    const { objects, app } = build({ mountHostLocaltime: true });
    const pod = objects[0].spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'host-time', hostPath: { path: '/etc/localtime', type: 'File' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'host-time', mountPath: '/etc/localtime', readOnly: true });
    expect(pod.containers[0].env).toBeUndefined();
    expect(app.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('a fixed image, a time zone and other settings', () => {
    const { objects } = build({
      image: AppImage.fromReference('private-registry.example.com/my-namespace/my-app:1.0.0'),
      namespace: 'apps', name: 'calc', replicas: 3, port: 30200, timeZone: 'Asia/Shanghai',
      liveness: { initialDelay: Duration.seconds(10), period: Duration.seconds(20) },
    });
    const [deployment, service] = objects;
    expect(deployment.metadata).toMatchObject({ name: 'calc', namespace: 'apps' });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      image: 'private-registry.example.com/my-namespace/my-app:1.0.0',
      env: [{ name: 'TZ', value: 'Asia/Shanghai' }],
      livenessProbe: { initialDelaySeconds: 10, periodSeconds: 20 },
    });
    expect(service.spec.ports[0].nodePort).toBe(30200);
  });

  test('fails when its namespace, created elsewhere in the app, does not admit its pods', () => {
    const chart = Testing.chart();
    new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(chart, 'T', 't') });
    new CalculatorApp(chart, 'Calculator', { pullSecret: Secret.fromSecretName(chart, 'Pull', 'acr-secret'), namespace: 'gitlab-runner', mountHostLocaltime: true });
    expect(() => Testing.synth(chart)).toThrow('test/Calculator: invalid namespace: got "gitlab-runner"; expected a namespace whose Pod Security level '
      + 'admits the app: test/Runner/Namespaces/ManagerNamespace enforces "restricted", but the app needs "privileged" (mountHostLocaltime)');
  });

  test('the manifest file name follows its chart', () => {
    expect(build().app.manifestFileName).toBe('test.k8s.yaml');
  });
});

describe('CalculatorApp fails on bad input', () => {
  const cases: [string, Partial<CalculatorAppProps>, string, string, string][] = [
    ['an unpinned image', { image: AppImage.fromReference('my-app:latest') }, 'image', '"my-app:latest"', 'pinned'],
    ['a bad image variable', { image: AppImage.fromVariable('DOCKER-IMAGE') }, 'image.variable', '"DOCKER-IMAGE"', 'CI variable name'],
    ['a port outside the NodePort range', { port: 8080 }, 'port', '8080', 'an integer from 30000 to 32767'],
    ['zero replicas', { replicas: 0 }, 'replicas', '0', '>= 1'],
    ['root', { runAsUser: 0 }, 'runAsUser', '0', '>= 1'],
    ['an empty time zone', { timeZone: '' }, 'timeZone', '""', 'IANA time zone'],
    ['a namespace with capitals', { namespace: 'Apps' }, 'namespace', '"Apps"', 'DNS-1123 label'],
  ];
  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    expect(() => build(props)).toThrow(`test/Calculator: invalid ${prop}: got ${value}`);
    expect(() => build(props)).toThrow(expected);
  });
});
