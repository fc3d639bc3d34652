// Every YAML file we write, as yamllint 1.29 (Debian) reads it: duplicate keys, truthy values such as
// `on`/`yes` (YAML 1.1 reads them as booleans), bad indentation, trailing spaces. Line length and a
// leading `---` are style, not correctness: cdk8s writes neither.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { seedOutput } from './util/output';

const CONFIG = '{extends: default, rules: {line-length: disable, document-start: disable}}';

/**
 * yamllint's findings for each of `files` from one run on all of them, in its parsable format
 * (`file:line:col: [level] message (rule)`, one line each); warnings count (`-s`).
 */
function yamllint(files: string[]): { status: number | null; stderr: string; findings: Map<string, string> } {
  const run = spawnSync('yamllint', ['-s', '-f', 'parsable', '-d', CONFIG, ...files], { encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('yamllint not found on PATH: .ci/run installs it (apt-get install -y yamllint)');
  }
  if (run.error) throw run.error;
  const findings = new Map(files.map((f) => [f, [] as string[]]));
  for (const line of run.stdout.split('\n').filter((l) => l.trim())) {
    const file = files.find((f) => line.startsWith(`${f}:`));
    if (!file) throw new Error(`yamllint reported on a file it was not given: ${line}`);
    findings.get(file)!.push(line.slice(file.length + 1));
  }
  return { status: run.status, stderr: run.stderr.trim(), findings: new Map([...findings].map(([f, lines]) => [f, lines.join('\n')])) };
}

const out = seedOutput();
const files = out.files.filter((f) => /\.ya?ml$/.test(f.name));

/** Files yamllint must flag (and one it must not), linted in the same run as ours: only the bad ones may be reported. */
const PLANTED: { [name: string]: string } = { 'good.yaml': 'a: 1\nb: 2\n', 'duplicate.yaml': 'a: 1\na: 2\n', 'truthy.yaml': 'privileged: yes\n' };
let dir: string;
let planted: { [name: string]: string };
let run: ReturnType<typeof yamllint>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yamllint-'));
  planted = Object.fromEntries(Object.keys(PLANTED).map((name) => [name, path.join(dir, name)]));
  for (const [name, content] of Object.entries(PLANTED)) fs.writeFileSync(planted[name], content);
  // One yamllint process for every file: one a file took most of this file's time. The files as written to disk.
  run = yamllint([...files.map((f) => out.pathOf(f)), ...Object.values(planted)]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('yamllint', () => {
  test('catches what it is here for (a planted duplicate key and a truthy value), and reports each file apart', () => {
    expect(run.stderr).toBe('');
    expect(run.findings.get(planted['good.yaml'])).toBe('');
    expect(run.findings.get(planted['duplicate.yaml'])).toContain('key-duplicates');
    expect(run.findings.get(planted['truthy.yaml'])).toContain('truthy');
    // Found in the run with our files, and in no other file: the run fails for them alone.
    expect(run.status).not.toBe(0);
    expect([...run.findings].filter(([, f]) => f !== '').map(([file]) => path.basename(file))).toEqual(['duplicate.yaml', 'truthy.yaml']);
  });

  test('finds every kind of YAML file the seeds write', () => {
    expect(new Set(files.map((f) => f.kind))).toEqual(new Set(['manifest', 'values', 'pipeline', 'smokeTest']));
  });

  test.each(files.map((f) => [f.name, f]))('%s passes', (_name, file) => {
    expect(fs.readFileSync(out.pathOf(file), 'utf8')).toBe(file.content);
    expect({ findings: run.findings.get(out.pathOf(file)), stderr: run.stderr }).toEqual({ findings: '', stderr: '' });
  });
});
