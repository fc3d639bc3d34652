import { AppImage, CalculatorPipelineProps, ImageBuilder } from '../../lib';
import { build } from './fixtures';

// The resolve step reads CalculatorApp and RunnerManager constructs: tested through the construct.
describe('resolvePipelineSettings fails on bad input, in the constructor', () => {
  test('fails on an app with a fixed image', () => {
    expect(() => build({ image: AppImage.fromReference('my-app:1.0') }))
      .toThrow('test/Pipeline: invalid app.image: got "my-app:1.0"; expected AppImage.fromVariable()');
  });

  const cases: [string, Partial<CalculatorPipelineProps>, string, string, string][] = [
    ['a registry with a scheme', { registry: { host: 'https://r.example.com', repository: 'a/b' } }, 'registry.host', '"https://r.example.com"', 'host[:port]'],
    ['a repository with a tag', { registry: { host: 'r.example.com', repository: 'a/b:1' } }, 'registry.repository', '"a/b:1"', 'repository path'],
    ['a bad variable name', { registry: { host: 'r.example.com', repository: 'a/b', passwordVariable: 'ACR-PASSWORD' } }, 'registry.passwordVariable', '"ACR-PASSWORD"', 'environment variable name'],
    ['a latest kubectl image', { kubectlImage: 'bitnami/kubectl:latest' }, 'kubectlImage', '"bitnami/kubectl:latest"', 'pinned'],
    ['an unpinned DinD image', { builder: ImageBuilder.dockerInDocker({ dindImage: 'docker:dind' }) }, 'builder.dindImage', '"docker:dind"', 'pinned'],
    ['an insecure registry with a path', { builder: ImageBuilder.dockerInDocker({ insecureRegistries: ['r.example.com/x'] }) }, 'builder.insecureRegistries[0]', '"r.example.com/x"', 'host[:port]'],
    ['a manifest path with spaces', { manifestPath: 'my app.yaml' }, 'manifestPath', '"my app.yaml"', 'relative path'],
    ['an empty branch', { branch: '' }, 'branch', '""', 'non-empty'],
  ];
  test.each(cases)('fails on %s', (_name, props, prop, value, expected) => {
    expect(() => build({}, props)).toThrow(`test/Pipeline: invalid ${prop}: got ${value}`);
    expect(() => build({}, props)).toThrow(expected);
  });
});
