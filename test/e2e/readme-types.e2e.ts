// The README's complete examples type-check against the library as it is, imported under the
// package's name. The TypeScript compiler takes seconds, so this runs from .ci/run (`npm run
// test:e2e`), beside `npm run typecheck`; test/readme.test.ts runs the examples.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { readmeExamples, REPO } from '../util/readme';

const blocks = readmeExamples();

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
