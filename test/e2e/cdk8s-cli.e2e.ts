// `npm run synth` runs apps/main.ts without the cdk8s CLI; users who run `cdk8s synth` (cdk8s.yaml)
// must get the same output. The CLI loads TypeScript and jsii-pacmak to start, seconds of CPU, so
// this runs from .ci/run (`npm run test:e2e`), outside `npm test`.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { filesUnder } from '../util/output';

const REPO = path.join(__dirname, '..', '..');

test('`cdk8s synth` runs the same app as `npm run synth`: the same files, byte for byte, and the same warnings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cli-'));
  try {
    // GIVEN the app run as `npm run synth` runs it, and through the cdk8s CLI, each into its own directory
    const direct = path.join(dir, 'direct');
    const viaCli = path.join(dir, 'via-cli');
    const app = spawnSync(process.execPath, [path.join(REPO, 'apps', 'run-ts.js'), path.join(REPO, 'apps', 'main.ts')], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: direct },
    });
    const cli = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade', '--output', viaCli], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' },
    });
    expect([app.status, cli.status]).toEqual([0, 0]);
    // THEN both wrote the same files with the same content
    const read = (root: string) => filesUnder(root).map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]);
    const files = read(direct);
    expect(files.length).toBeGreaterThan(20);
    expect(read(viaCli)).toEqual(files);
    // AND printed the same warnings (the CLI adds its own lines on stdout only)
    const warnings = (text: string) => text.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings(app.stderr).length).toBeGreaterThan(0);
    expect(warnings(cli.stderr)).toEqual(warnings(app.stderr));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
