import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { GeneratedFileKind } from '../../lib/output/files';
import { placeManifests } from '../../lib/output/placement';
import { FileRegistry } from '../../lib/output/registry';

const report = { fileModel: () => ({ markdown: [{ paragraph: 'x' }] }) };

describe('FileRegistry', () => {
  test('one registry per app, shared by every construct in it', () => {
    const app = Testing.app();
    expect(FileRegistry.of(new Chart(app, 'a'))).toBe(FileRegistry.of(new Chart(app, 'b')));
    expect(FileRegistry.of(new Chart(Testing.app(), 'c'))).not.toBe(FileRegistry.of(app));
  });

  test('does not touch the app it registers files for', () => {
    const app = Testing.app();
    const synth = app.synth;
    FileRegistry.of(new Chart(app, 'ci')).add(new Chart(app, 'x'), GeneratedFileKind.REPORT, report);
    expect(app.synth).toBe(synth);
    expect(Object.keys(app)).not.toContain('synth');
  });

  test('a file is <environment>/<folder>/<name>, with the owner\'s id when an environment has several of a kind', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const registry = FileRegistry.of(chart);
    const runner = new Construct(chart, 'CiRunner');
    registry.add(runner, GeneratedFileKind.HELM_VALUES, report);
    expect(registry.pathOf(runner, GeneratedFileKind.HELM_VALUES)).toBe('ci/helm/gitlab-runner-values.yaml');
    const other = new Construct(chart, 'DockerBuilds');
    registry.add(other, GeneratedFileKind.HELM_VALUES, report);
    expect(registry.pathOf(runner, GeneratedFileKind.HELM_VALUES)).toBe('ci/helm/ci-runner.gitlab-runner-values.yaml');
    expect(registry.pathOf(other, GeneratedFileKind.HELM_VALUES)).toBe('ci/helm/docker-builds.gitlab-runner-values.yaml');
    // Another chart placed in the same environment shares its folders.
    const sibling = new Chart(app, 'ci-extra');
    placeManifests(sibling, { environment: 'ci' });
    const pipeline = new Construct(sibling, 'Pipeline');
    registry.add(pipeline, GeneratedFileKind.PIPELINE, report);
    expect(registry.pathOf(pipeline, GeneratedFileKind.PIPELINE)).toBe('ci/pipelines/gitlab-ci.yml');
    expect(registry.all().map((e) => e.owner)).toEqual([runner, other, pipeline]);
  });
});
