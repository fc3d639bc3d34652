import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { filesUnder } from './util/output';

// The README's complete examples (the ```ts blocks that import the package) must type-check
// against the library as it is, imported under the package's name.

const REPO = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => /^import /m.test(code));

test('the README has complete examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(2);
});

test('every complete README example type-checks against the library', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  try {
    const files = blocks.map((code, i) => {
      const file = path.join(dir, `example-${i}.ts`);
      fs.writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, types: ['node'],
      typeRoots: [path.join(REPO, 'node_modules/@types')],
      baseUrl: REPO, paths: { 'cdk8s-gitlab-runner': ['lib/index.ts'], '*': ['node_modules/*'] },
    });
    // Only the examples are checked: the library's own type errors are tsc's (and were filtered out
    // here anyway); checking every file of the program took ten times as long.
    const diagnostics = program.getSourceFiles().filter((sf) => files.includes(path.resolve(sf.fileName)))
      .flatMap((sf) => ts.getPreEmitDiagnostics(program, sf))
      .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
      .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

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
