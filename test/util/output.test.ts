import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { loadYaml, outputOf, seedOutput, synthesize } from './output';
import { GeneratedFileKind } from '../../lib';
import { addWarning } from '../../lib/validation/warnings';

describe('the output finder', () => {
  test('finds every seed file by kind, and each environment\'s one file of each kind', () => {
    const out = seedOutput();
    expect(out.files.length).toBeGreaterThan(0);
    expect(out.files.every((f) => f.content.length > 0)).toBe(true);
    for (const env of ['internal', 'public', 'hybrid']) {
      for (const kind of ['values', 'pipeline', 'smokeTest', 'report'] as const) {
        expect(out.ofEnvironment(env, kind).environment).toBe(env);
      }
    }
    expect(out.objects().some(({ object }) => object.kind === 'PrometheusRule')).toBe(true);
  });

  test('the files are on disk where it says, with the content it gives', () => {
    const out = seedOutput();
    for (const f of out.files) expect(fs.readFileSync(out.pathOf(f), 'utf8')).toBe(f.content);
  });

  test('tells a smoke test from a pipeline by the output step\'s kind, and fails on a missing file', () => {
    const kinds = outputOf('/nowhere', [
      { path: 'a/pipelines/runner-smoke-test.gitlab-ci.yml', content: 'x', kind: GeneratedFileKind.SMOKE_TEST, environment: 'a', folder: 'pipelines' },
      { path: 'a/pipelines/gitlab-ci.yml', content: 'y', kind: GeneratedFileKind.PIPELINE, environment: 'a', folder: 'pipelines' },
    ]);
    expect(kinds.ofEnvironment('a', 'smokeTest').basename).toBe('runner-smoke-test.gitlab-ci.yml');
    expect(kinds.ofEnvironment('a', 'pipeline').basename).toBe('gitlab-ci.yml');
    expect(() => kinds.ofEnvironment('a', 'report')).toThrow(/expected one report file of a, found none/);
  });

  test('synthesize() captures the warnings the output step prints', () => {
    const out = synthesize((app) => {
      const map = new k8s.KubeConfigMap(new Chart(app, 'plain'), 'Config', { data: { a: 'b' } });
      addWarning(map, 'look at this');
    });
    expect(out.files.map((f) => f.name)).toEqual(['plain/platform/plain.k8s.yaml']);
    expect(out.stderr).toEqual(['warning: plain/Config: look at this\n']);
  });

  test('loadYaml() reads a file as cdk8s\'s Yaml.load does, without its child process', () => {
    // Every seed file, and the cases Yaml.load drops or reads as YAML 1.1, in one file: one Yaml.load process.
    const edge = ['', 'null', '[]', '{}', 'mode: 0775\nflag: yes\nwhen: 2001-12-14\n'].join('\n---\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'load-yaml-')), 'all.yaml');
    fs.writeFileSync(file, [...seedOutput().files.filter((f) => f.kind !== 'report').map((f) => f.content), edge].join('\n---\n'));
    const ours = loadYaml(file);
    expect(ours.at(-1)).toEqual({ mode: 0o775, flag: true, when: expect.anything() });
    expect(ours).toEqual(Yaml.load(file));
  });
});
