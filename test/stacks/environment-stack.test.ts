import { Testing } from 'cdk8s';
import { BuilderKind, EnvironmentStackProps, HelperImageFlavor, HybridStack, InternalStack, PublicStack, synthFiles } from '../../lib';
import { imageMirror } from '../../lib/stacks/environment-stack';
import { PropChecker } from '../../lib/validation/prop-checker';
import { warningsOf } from '../../lib/validation/warnings';
import { SEED_HYBRID_DNS, SEED_INTERNAL_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

const BASE: EnvironmentStackProps = {
  gitlabUrl: 'https://gitlab.example.com/',
  sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' } },
};

describe('environment stacks', () => {
  test('each stack is top-level charts in one environment folder <id>/, with plain file names', () => {
    // GIVEN a user's own ids
    const app = Testing.app();
    new InternalStack(app, 'staging', { ...BASE, dns: SEED_INTERNAL_DNS });
    new PublicStack(app, 'cloud', { ...BASE, upstreams: SEED_UPSTREAMS });
    new HybridStack(app, 'edge', { ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' } });

    // WHEN
    const paths = synthFiles(app).map((f) => f.path);

    // THEN no 0000- prefixes and no hashes: no chart depends on another
    const files = (id: string) => [`${id}/app/${id}-calculator.k8s.yaml`, `${id}/pipelines/gitlab-ci.yml`, `${id}/helm/gitlab-runner-values.yaml`,
      `${id}/platform/00-namespaces.k8s.yaml`, `${id}/platform/${id}.k8s.yaml`, `${id}/reports/report.md`, `${id}/pipelines/runner-smoke-test.gitlab-ci.yml`];
    expect(paths).toEqual([...files('cloud'), 'cloud/coredns/cloud-coredns.k8s.yaml', ...files('edge'), ...files('staging')].sort());
  });

  test('the builder decides the job pods\' profile and the jobs\' namespace level', () => {
    const app = Testing.app();
    const dind = new InternalStack(app, 'dind', { ...BASE, dns: SEED_INTERNAL_DNS });
    const kaniko = new InternalStack(app, 'kaniko', { dns: SEED_INTERNAL_DNS, ...BASE, builder: BuilderKind.KANIKO });
    expect(dind.runner.jobNamespacePodSecurity).toBe('privileged');
    expect(kaniko.runner.jobNamespacePodSecurity).toBe('baseline');
    expect(kaniko.pipeline!._pipeline.jobs['build-job'].image?.name).toBe('gcr.io/kaniko-project/executor:v1.23.2-debug');
  });

  test('a mirror moves the manager, helper, job, build and pause images', () => {
    const app = Testing.app();
    const stack = new InternalStack(app, 'internal', {
      dns: SEED_INTERNAL_DNS,
      ...BASE, imageMirror: 'registry.example.com', nodePool: {},
    });
    expect(stack.runner._helmValues.image).toEqual({ registry: 'registry.example.com', image: 'gitlab/gitlab-runner', tag: 'alpine-v18.3.0' });
    expect(stack.runner.jobImage).toBe('registry.example.com/library/alpine:3.22');
    expect(stack.nodePool!.prePulledImages).toEqual([
      'registry.example.com/alpine/k8s:1.28.15', 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0',
      'registry.example.com/library/alpine:3.22', 'registry.example.com/library/docker:27.3.1',
      'registry.example.com/library/docker:27.3.1-dind', 'registry.example.com/library/python:3.9-slim',
    ]);
  });

  test('the helper flavor and the job image, mirrored or not; glibc ones keep the hybrid stack quiet', () => {
    // The image check needs the runner and its JobPodPolicy: it runs with the validation.
    const warned = (stack: HybridStack) => {
      for (const c of stack.node.findAll()) c.node.validate();
      return warningsOf(stack).filter((w) => w.includes('musl'));
    };
    const hybrid = (props: Partial<EnvironmentStackProps>) => new HybridStack(Testing.app(), 'hybrid', {
      ...BASE, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' }, ...props,
    });
    const stack = hybrid({ helperImageFlavor: HelperImageFlavor.UBUNTU, jobImage: 'debian:12-slim' });
    expect(warned(stack)).toEqual([]);
    expect(stack.runner._runnerConfig.runners[0].kubernetes!.helperImage).toMatch(/gitlab-runner-helper:ubuntu-x86_64-v18\.3\.0$/);
    expect(stack.runner.jobImage).toBe('debian:12-slim');
    const mirrored = hybrid({ helperImageFlavor: HelperImageFlavor.UBUNTU, jobImage: 'debian:12-slim', imageMirror: 'registry.example.com' });
    expect(mirrored.runner._runnerConfig.runners[0].kubernetes!.helperImage).toBe('registry.example.com/gitlab/gitlab-runner-helper:ubuntu-x86_64-v18.3.0');
    expect(mirrored.runner.jobImage).toBe('registry.example.com/library/debian:12-slim');
    // The defaults are Alpine: the warning says why and what to set.
    expect(warned(hybrid({}))).toEqual([expect.stringContaining('DnsStrategy.hybrid() with musl-based images')]);
  });

  test('imageMirror keeps Docker Hub paths', () => {
    const mirror = imageMirror(new PropChecker('x'), 'registry.example.com');
    expect(mirror('docker:27.3.1')).toBe('registry.example.com/library/docker:27.3.1');
    expect(mirror('alpine/k8s:1.28.15')).toBe('registry.example.com/alpine/k8s:1.28.15');
    expect(mirror('registry.k8s.io/pause:3.9')).toBe('registry.example.com/pause:3.9');
    expect(mirror('localhost:5000/app:1')).toBe('registry.example.com/app:1');
    expect(imageMirror(new PropChecker('x'), undefined)('docker:27.3.1')).toBe('docker:27.3.1');
  });

  test('fails on an unknown builder', () => {
    expect(() => new InternalStack(Testing.app(), 'x', { dns: SEED_INTERNAL_DNS, ...BASE, builder: 'buildah' as BuilderKind }))
      .toThrow('x: invalid builder: got "buildah"; expected one of "docker-in-docker", "kaniko"');
  });
});

describe('the sample app is optional', () => {
  const PLATFORM = { gitlabUrl: 'https://gitlab.example.com/', dns: SEED_INTERNAL_DNS };

  test('without sampleApp: the runner platform only, no app chart, pipeline or deploy identity', () => {
    // GIVEN
    const app = Testing.app();
    const stack = new InternalStack(app, 'staging', PLATFORM);

    // WHEN
    const files = synthFiles(app);

    // THEN
    expect(stack.app).toBeUndefined();
    expect(stack.pipeline).toBeUndefined();
    expect(stack.appChart).toBeUndefined();
    expect(files.map((f) => f.path)).toEqual([
      'staging/helm/gitlab-runner-values.yaml',
      'staging/pipelines/runner-smoke-test.gitlab-ci.yml',
      'staging/platform/00-namespaces.k8s.yaml',
      'staging/platform/staging.k8s.yaml',
      'staging/reports/report.md',
    ]);
    const manifests = files.filter((f) => f.path.endsWith('.k8s.yaml')).map((f) => f.content).join('\n');
    expect(manifests).not.toMatch(/calculator/);
  });

  test.each([
    ['the stack\'s jobImage, not a string', { imageMirror: 'registry.example.com', jobImage: 42 }, 'jobImage', '42'],
    ['insecureRegistries that nothing uses (kaniko, no sample app)', { builder: BuilderKind.KANIKO, insecureRegistries: ['r.example.com'] },
      'insecureRegistries', '["r.example.com"]'],
    ['jobPods.securityProfile, which builder sets', { jobPods: { securityProfile: {} } }, 'jobPods.securityProfile', '"(given)"'],
    ['nodePool.namespace, which is the jobs\'', { nodePool: { nodes: 1, namespace: 'elsewhere' } }, 'nodePool.namespace', '"elsewhere"'],
  ])('%s: a ValidationError naming the prop', (_what, extra, prop, value) => {
    const build = () => new InternalStack(Testing.app(), 'staging', { ...PLATFORM, ...(extra as object) });
    expect(build).toThrow(new RegExp(`^staging: invalid ${prop.replace('.', '\\.')}: got ${value.replace(/[[\]()]/g, '\\$&')}; expected `));
  });
});
