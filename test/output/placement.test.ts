import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { manifestFileName, ManifestFolder, placeManifests, placementOf } from '../../lib/output/placement';

describe('placement', () => {
  test('an unplaced chart is its own environment, its objects in platform/', () => {
    const chart = new Chart(Testing.app(), 'ci');
    expect(placementOf(new Construct(chart, 'X'))).toEqual({ environment: 'ci', folder: 'platform' });
  });

  test('environment and folder each come from the nearest placement that gives them', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci-app');
    placeManifests(chart, { environment: 'ci', folder: ManifestFolder.APP });
    const inner = new Construct(chart, 'Inner');
    placeManifests(inner, { folder: ManifestFolder.custom('operators') });
    expect(placementOf(chart)).toEqual({ environment: 'ci', folder: 'app' });
    expect(placementOf(new Construct(inner, 'Leaf'))).toEqual({ environment: 'ci', folder: 'operators' });
    expect(placementOf(new Construct(chart, 'Other'))).toEqual({ environment: 'ci', folder: 'app' });
  });

  test('folder and environment names are DNS labels, and no manifest folder takes a file folder\'s name', () => {
    expect(() => placeManifests(new Chart(Testing.app(), 'd'), { folder: 'app' as any })).toThrow('d: invalid placement.folder: got "app"; expected a ManifestFolder');
    expect(() => placeManifests(new Chart(Testing.app(), 'e'), { environment: 'x', color: 'red' } as any)).toThrow(/e: invalid placement\.color/);
    expect(() => ManifestFolder.custom('Ops')).toThrow('ManifestFolder.custom: invalid name: got "Ops"; expected a DNS-1123 label');
    expect(() => ManifestFolder.custom('helm')).toThrow('ManifestFolder.custom: invalid name: got "helm"; expected a folder name other than helm, pipelines, reports');
    expect(() => placeManifests(new Chart(Testing.app(), 'c'), { environment: 'a/b' })).toThrow('c: invalid placement.environment: got "a/b"; expected a DNS-1123 label');
    expect([ManifestFolder.PLATFORM, ManifestFolder.MONITORING, ManifestFolder.CORE_DNS, ManifestFolder.APP].map((f) => f.name))
      .toEqual(['platform', 'monitoring', 'coredns', 'app']);
  });

  test('manifestFileName() is <chart>.k8s.yaml, as cdk8s names a chart', () => {
    const app = Testing.app();
    expect(manifestFileName(new Construct(new Chart(app, 'ci-calculator'), 'Inner'))).toBe('ci-calculator.k8s.yaml');
    // cdk8s adds a hash to ids that are not DNS labels.
    expect(manifestFileName(new Chart(app, 'Ci-Calculator'))).toMatch(/^ci-calculator-c\w{7}\.k8s\.yaml$/);
  });
});
