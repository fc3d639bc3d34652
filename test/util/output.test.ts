import { kindOf, seedOutput } from './output';

describe('the output finder', () => {
  test('finds every seed file by kind, and each environment\'s one file of each kind', () => {
    const out = seedOutput();
    expect(out.files.length).toBeGreaterThan(0);
    expect(out.files.every((f) => f.content.length > 0)).toBe(true);
    for (const env of ['internal', 'public', 'hybrid']) {
      for (const kind of ['values', 'pipeline', 'smokeTest', 'report'] as const) {
        expect(out.ofEnvironment(env, kind).name.startsWith(`${env}.`)).toBe(true);
      }
    }
    expect(out.objects().some(({ object }) => object.kind === 'PrometheusRule')).toBe(true);
  });

  test('tells a smoke test from a pipeline, and rejects a file it does not know', () => {
    expect(kindOf('a.runner-smoke-test.gitlab-ci.yml')).toBe('smokeTest');
    expect(kindOf('a.gitlab-ci.yml')).toBe('pipeline');
    expect(kindOf('a-calculator.k8s.yaml')).toBe('manifest');
    expect(() => kindOf('a.txt')).toThrow(/unknown kind/);
  });
});
