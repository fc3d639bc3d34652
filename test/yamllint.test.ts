// Every YAML file we write, as yamllint 1.29 (Debian) reads it: duplicate keys, truthy values such as
// `on`/`yes` (YAML 1.1 reads them as booleans), bad indentation, trailing spaces. Line length and a
// leading `---` are style, not correctness: cdk8s writes neither.
import { spawnSync } from 'child_process';
import { seedOutput } from './util/output';

const CONFIG = '{extends: default, rules: {line-length: disable, document-start: disable}}';

/** yamllint's findings for one document, in its parsable format; warnings count (`-s`). */
function yamllint(content: string): { status: number | null; findings: string } {
  const run = spawnSync('yamllint', ['-s', '-f', 'parsable', '-d', CONFIG, '-'], { input: content, encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('yamllint not found on PATH: .ci/run installs it (apt-get install -y yamllint)');
  }
  if (run.error) throw run.error;
  return { status: run.status, findings: `${run.stdout}${run.stderr}`.trim() };
}

describe('yamllint', () => {
  test('catches what it is here for (a planted duplicate key and a truthy value)', () => {
    expect(yamllint('a: 1\nb: 2\n').status).toBe(0);
    const duplicate = yamllint('a: 1\na: 2\n');
    expect(duplicate.status).not.toBe(0);
    expect(duplicate.findings).toContain('key-duplicates');
    expect(yamllint('privileged: yes\n').findings).toContain('truthy');
  });

  const files = seedOutput().files.filter((f) => /\.ya?ml$/.test(f.name));

  test('finds every kind of YAML file the seeds write', () => {
    expect(new Set(files.map((f) => f.kind))).toEqual(new Set(['manifest', 'values', 'pipeline', 'smokeTest']));
  });

  test.each(files.map((f) => [f.name, f.content]))('%s passes', (_name, content) => {
    expect(yamllint(content)).toEqual({ status: 0, findings: '' });
  });
});
