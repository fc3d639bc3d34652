import { BuilderKind, EnvironmentStackProps } from '../../lib/stacks/props';
import { imageMirror, resolveStackSettings } from '../../lib/stacks/settings';
import { PropChecker } from '../../lib/validation/prop-checker';

const GITLAB = { gitlabUrl: 'https://gitlab.example.com/' };
const resolve = (props: Partial<EnvironmentStackProps>) => resolveStackSettings(new PropChecker('env'), { ...GITLAB, ...props });

describe('resolveStackSettings', () => {
  test('defaults: the library\'s namespaces, Docker-in-Docker, no insecure registries, images unchanged', () => {
    const s = resolve({});
    expect(s).toMatchObject({ namespace: 'gitlab-runner', jobNamespace: 'gitlab-runner-jobs', builder: BuilderKind.DOCKER_IN_DOCKER, insecureRegistries: [] });
    expect(s.mirror('docker:27.3.1')).toBe('docker:27.3.1');
  });

  test('the jobs\' namespace follows the manager\'s, and may equal it only when shared', () => {
    expect(resolve({ namespace: 'ci' }).jobNamespace).toBe('ci-jobs');
    expect(() => resolve({ namespace: 'ci', jobNamespace: 'ci' })).toThrow('env: invalid jobNamespace: got "ci"; expected a namespace other than the manager\'s ("ci")');
    expect(resolve({ namespace: 'ci', jobNamespace: 'ci', sharedNamespace: true }).jobNamespace).toBe('ci');
  });

  test.each([
    ['jobPods.securityProfile', { jobPods: { securityProfile: {} as any } }, '"(given)"'],
    ['jobPods.jobImage', { jobPods: { jobImage: 'alpine:3.22' } }, '"alpine:3.22"'],
    ['nodePool.namespace', { nodePool: { namespace: 'pool' } }, '"pool"'],
  ])('what the stack derives may not be given twice: %s', (prop, props, shown) => {
    expect(() => resolve(props as Partial<EnvironmentStackProps>)).toThrow(`env: invalid ${prop}: got ${shown}; expected unset`);
  });

  test('kaniko takes no registryMirror, and no insecureRegistries without the sample app', () => {
    expect(() => resolve({ builder: BuilderKind.KANIKO, registryMirror: 'https://mirror.example.com' })).toThrow('env: invalid registryMirror');
    expect(() => resolve({ builder: BuilderKind.KANIKO, insecureRegistries: ['r.example.com'] })).toThrow('env: invalid insecureRegistries');
    expect(resolve({ builder: BuilderKind.KANIKO, insecureRegistries: [] }).insecureRegistries).toEqual([]);
  });

  test('the sample app needs a namespace of its own', () => {
    const registry = { host: 'registry.example.com', repository: 'team/app' };
    expect(() => resolve({ namespace: 'ci', sampleApp: { registry, namespace: 'ci-jobs' } }))
      .toThrow('env: invalid sampleApp.namespace: got "ci-jobs"; expected a namespace of the app\'s own');
    expect(() => resolve({ sampleApp: { registry, port: 80 } })).toThrow('env: invalid sampleApp.port: got 80');
    expect(resolve({ sampleApp: { registry, namespace: 'app' } }).namespace).toBe('gitlab-runner');
  });

  test('the node port range is the stack\'s to check, with or without a port: errors name sampleApp.*', () => {
    const registry = { host: 'registry.example.com', repository: 'team/app' };
    expect(() => resolve({ sampleApp: { registry, nodePortRange: { min: 0, max: 32767 } } })).toThrow('env: invalid sampleApp.nodePortRange.min: got 0');
    expect(() => resolve({ sampleApp: { registry, nodePortRange: { min: 8000, max: 9000 } } }))
      .toThrow('env: invalid sampleApp.nodePortRange: got {"min":8000,"max":9000}; expected a range that holds the app\'s default node port 30194');
    expect(() => resolve({ sampleApp: { registry, port: 30080, nodePortRange: { min: 8000, max: 9000 } } })).toThrow('env: invalid sampleApp.port: got 30080');
    expect(resolve({ sampleApp: { registry, port: 8080, nodePortRange: { min: 8000, max: 9000 } } }).namespace).toBe('gitlab-runner');
  });
});

describe('imageMirror', () => {
  test('keeps Docker Hub paths', () => {
    const mirror = imageMirror(new PropChecker('x'), 'registry.example.com');
    expect(mirror('docker:27.3.1')).toBe('registry.example.com/library/docker:27.3.1');
    expect(mirror('alpine/k8s:1.28.15')).toBe('registry.example.com/alpine/k8s:1.28.15');
    expect(mirror('registry.k8s.io/pause:3.9')).toBe('registry.example.com/pause:3.9');
    expect(mirror('localhost:5000/app:1')).toBe('registry.example.com/app:1');
    expect(imageMirror(new PropChecker('x'), undefined)('docker:27.3.1')).toBe('docker:27.3.1');
  });

  test('names a mirror that is not a registry host', () => {
    expect(() => imageMirror(new PropChecker('x'), 'https://registry.example.com')).toThrow('x: invalid imageMirror');
  });
});
