import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { filesUnder } from './util/output';
import { readmeExamples, REPO } from './util/readme';

// The README's complete examples (the ```ts blocks that import the package) run and write their
// files; test/e2e/readme-types.e2e.ts type-checks them (the compiler takes seconds: from .ci/run).
const blocks = readmeExamples();

test('the README has complete examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(2);
});

/** Runs each example as its own node process (as a user runs it) and lists the files it wrote. */
function runExample(code: string): Promise<{ written: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-run-'));
  const file = path.join(dir, 'example.ts');
  fs.writeFileSync(file, code.replace(/from 'cdk8s-gitlab-runner'/g, `from ${JSON.stringify(path.join(REPO, 'lib'))}`));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(REPO, 'apps/run-ts.js'), file], {
      cwd: dir, env: { ...process.env, CDK8S_OUTDIR: path.join(dir, 'dist'), NODE_PATH: path.join(REPO, 'node_modules') },
    }, (error) => {
      try {
        // Its message holds the process's stderr.
        if (error) reject(error);
        else resolve({ written: filesUnder(path.join(dir, 'dist')) });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

// Started at once, so that the processes run while this one type-checks.
let runs: Promise<{ written: string[] }>[];
beforeAll(() => {
  runs = blocks.map((code) => runExample(code));
  // Each test awaits its own; none is left unhandled if a test before it fails.
  runs.forEach((run) => run.catch(() => undefined));
});

test.each(blocks.map((_code, i) => [i]))('README example %i runs and writes its files', async (i) => {
  const { written } = await runs[i as number];
  expect(written.filter((f) => f.endsWith('/helm/gitlab-runner-values.yaml') || f.endsWith('.gitlab-runner-values.yaml')).length).toBeGreaterThanOrEqual(1);
}, 60_000);
