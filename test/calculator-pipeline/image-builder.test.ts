import { ImageBuilder } from '../../lib';
import { BuildContext, BuildJob } from '../../lib/calculator-pipeline/image-builder';
import { PropChecker } from '../../lib/validation/prop-checker';

/** What the pipeline hands its builder, without constructs. */
function context(mirror: (prop: string, image: string) => string = (_prop, image) => image): BuildContext {
  return {
    check: new PropChecker('test/Pipeline'),
    registry: { host: 'private-registry.example.com', repository: 'my-namespace/my-app', usernameVariable: 'ACR_USERNAME', passwordVariable: 'ACR_PASSWORD' },
    imageVariable: 'DOCKER_IMAGE',
    mirror,
  };
}

function dind(options: Parameters<typeof ImageBuilder.dockerInDocker>[0] = {}): BuildJob {
  return ImageBuilder.dockerInDocker(options)._build(context());
}

describe('ImageBuilder', () => {
  test('Docker-in-Docker needs privileged job containers, kaniko does not', () => {
    expect([ImageBuilder.dockerInDocker(), ImageBuilder.kaniko()].map((b) => [b.kind, b.needsPrivileged]))
      .toEqual([['docker-in-docker', true], ['kaniko', false]]);
  });

  test('Docker-in-Docker: the client and daemon images, pulled through the mirror, logs in with the registry variables', () => {
    const { images, job } = ImageBuilder.dockerInDocker()._build(context((_prop, image) => `mirror.example.com/${image}`));
    expect(images).toEqual(['mirror.example.com/docker:27.3.1', 'mirror.example.com/docker:27.3.1-dind']);
    expect(job.image).toEqual({ name: 'mirror.example.com/docker:27.3.1' });
    expect(job.script).toEqual([
      'docker build -t "$DOCKER_IMAGE" .',
      'printf \'%s\' "$ACR_PASSWORD" | docker login -u "$ACR_USERNAME" --password-stdin private-registry.example.com',
      'docker push "$DOCKER_IMAGE"',
    ]);
    expect(job.after_script).toEqual(['docker logout private-registry.example.com || true']);
  });

  test('kaniko: writes the registry auth for the executor, skips TLS only for the listed registries, removes the auth after', () => {
    const { images, job } = ImageBuilder.kaniko({ insecureRegistries: ['private-registry.example.com'] })._build(context());
    expect(images).toEqual(['gcr.io/kaniko-project/executor:v1.23.2-debug']);
    expect(job.image).toEqual({ name: 'gcr.io/kaniko-project/executor:v1.23.2-debug', entrypoint: [''] });
    expect(job.script[1]).toBe('printf \'{"auths":{"%s":{"auth":"%s"}}}\' private-registry.example.com '
      + '"$(printf \'%s:%s\' "$ACR_USERNAME" "$ACR_PASSWORD" | base64 | tr -d \'\\n\')" > /kaniko/.docker/config.json');
    expect(job.script[2]).toBe('/kaniko/executor --context "$CI_PROJECT_DIR" --dockerfile "$CI_PROJECT_DIR/Dockerfile" --destination "$DOCKER_IMAGE" '
      + '--insecure-registry=private-registry.example.com --skip-tls-verify-registry=private-registry.example.com');
    expect(job.after_script).toEqual(['rm -f /kaniko/.docker/config.json']);
  });

  test('fails on unknown options and on an unpinned image, naming the builder\'s prop', () => {
    expect(() => ImageBuilder.kaniko({ imag: 'x' } as any)).toThrow(/ImageBuilder\.kaniko: .*imag/);
    expect(() => ImageBuilder.kaniko({ image: 'gcr.io/kaniko-project/executor:latest' })._build(context()))
      .toThrow('test/Pipeline: invalid builder.image: got "gcr.io/kaniko-project/executor:latest"');
    expect(() => dind({ daemonTimeout: undefined, dockerImage: 'docker' }))
      .toThrow('test/Pipeline: invalid builder.dockerImage: got "docker"');
  });
});

describe('ImageBuilder.dockerInDocker: a registry mirror', () => {
  test('the DinD service gets --registry-mirror after the insecure-registry flags', () => {
    // GIVEN / WHEN
    const { job } = dind({
      insecureRegistries: ['private-registry.example.com'],
      registryMirror: 'http://registry-cache.local:5000',
    });

    // THEN
    expect(job.services).toEqual([{
      name: 'docker:27.3.1-dind',
      alias: 'docker',
      command: ['--tls=false', '--insecure-registry=private-registry.example.com', '--registry-mirror=http://registry-cache.local:5000'],
    }]);
  });

  test('no registry mirror unless set', () => {
    expect(JSON.stringify(dind().job)).not.toContain('--registry-mirror');
    const { job } = dind({ registryMirror: 'https://mirror.example.com/dockerhub' });
    expect(job.services![0].command).toEqual(['--tls=false', '--registry-mirror=https://mirror.example.com/dockerhub']);
  });

  const mirrors: [string, unknown, string][] = [
    ['without scheme', 'registry-cache.local:5000', '"registry-cache.local:5000"'],
    ['with another scheme', 'ftp://registry-cache.local', '"ftp://registry-cache.local"'],
    ['with a query', 'http://registry-cache.local:5000/?x=1', '"http://registry-cache.local:5000/?x=1"'],
    ['that is no string', 5000, '5000'],
  ];
  test.each(mirrors)('fails on a registry mirror %s', (_name, registryMirror, shown) => {
    expect(() => dind({ registryMirror: registryMirror as string }))
      .toThrow(`test/Pipeline: invalid builder.registryMirror: got ${shown}; expected an absolute http:// or https:// URL`);
  });

  test('fails on a registry mirror with credentials, and does not print the password', () => {
    const registryMirror = 'http://u:s3cr3t@registry-cache.local:5000';
    expect(() => dind({ registryMirror })).toThrow(/^test\/Pipeline: invalid builder.registryMirror: got "http:\/\/u:<redacted: 6 characters>@registry-cache.local:5000"; expected a value that is no credential/);
    expect(() => dind({ registryMirror })).not.toThrow(/s3cr3t/);
  });
});
