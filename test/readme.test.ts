import { execFileSync } from 'child_process';
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
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
      .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test.each(blocks.map((code, i) => [i, code]))('README example %i runs and writes its files', (_i, code) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-run-'));
  try {
    const file = path.join(dir, 'example.ts');
    fs.writeFileSync(file, (code as string).replace(/from 'cdk8s-gitlab-runner'/g, `from ${JSON.stringify(path.join(REPO, 'lib'))}`));
    execFileSync(process.execPath, [path.join(REPO, 'apps/run-ts.js'), file], {
      cwd: dir, env: { ...process.env, CDK8S_OUTDIR: path.join(dir, 'dist'), NODE_PATH: path.join(REPO, 'node_modules') }, stdio: 'pipe',
    });
    const written = filesUnder(path.join(dir, 'dist'));
    expect(written.filter((f) => f.endsWith('/helm/gitlab-runner-values.yaml') || f.endsWith('.gitlab-runner-values.yaml')).length).toBeGreaterThanOrEqual(1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
