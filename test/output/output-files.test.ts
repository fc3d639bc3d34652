import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { manifestFileName, OutputFiles } from '../../lib/output/output-files';

describe('OutputFiles', () => {
  test('writes registered files on app.synth(), named after the chart', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    OutputFiles.of(chart).add(new Construct(chart, 'Report'), { suffix: 'report.md', content: () => '# report\n' });

    // WHEN
    app.synth();

    // THEN
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['ci.k8s.yaml', 'ci.report.md']);
  });

  test('one registry per app, shared by every construct in it', () => {
    const app = Testing.app();
    expect(OutputFiles.of(new Chart(app, 'a'))).toBe(OutputFiles.of(new Chart(app, 'b')));
    expect(OutputFiles.of(new Chart(Testing.app(), 'c'))).not.toBe(OutputFiles.of(app));
  });

  test('fails when two constructs would write the same file', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const files = OutputFiles.of(chart);
    files.add(new Construct(chart, 'My-Runner'), { suffix: 'values.yaml', content: () => '' });
    files.add(new Construct(chart, 'MyRunner'), { suffix: 'values.yaml', content: () => '' });
    expect(() => app.synth()).toThrow(/ci\/MyRunner: output file "ci\.my-runner\.values\.yaml" is also written by another construct/);
  });

  test('manifestFileName() is the file cdk8s writes the chart\'s manifest to', () => {
    const app = Testing.app();
    const inner = new Construct(new Chart(app, 'ci-calculator'), 'Inner');
    const mixedCase = new Chart(app, 'Ci-Calculator'); // cdk8s adds a hash to ids that are not DNS labels
    app.synth();
    expect(fs.readdirSync(app.outdir).sort()).toEqual([manifestFileName(inner), manifestFileName(mixedCase)].sort());
    expect(manifestFileName(inner)).toBe('ci-calculator.k8s.yaml');
  });
});
