import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { buildEnvironments } from '../../apps/environments';
import { GeneratedFile, GeneratedFileKind, synthFiles, writeFiles } from '../../lib';

/**
 * The one way tests find generated files: by environment and kind as the output step reports
 * them, never by a fixed `dist/` path, so that a change of the output layout changes this file only.
 */
export type OutputKind = 'manifest' | 'values' | 'pipeline' | 'smokeTest' | 'report';

const KINDS: { readonly [kind in GeneratedFileKind]: OutputKind } = {
  [GeneratedFileKind.MANIFEST]: 'manifest',
  [GeneratedFileKind.HELM_VALUES]: 'values',
  [GeneratedFileKind.PIPELINE]: 'pipeline',
  [GeneratedFileKind.SMOKE_TEST]: 'smokeTest',
  [GeneratedFileKind.REPORT]: 'report',
};

/** One synthesized file. */
export interface OutputFile {
  /** Its path relative to the output directory, `/`-separated. */
  readonly name: string;
  /** Its file name, without the folders. */
  readonly basename: string;
  readonly environment: string;
  readonly folder: string;
  readonly kind: OutputKind;
  readonly content: string;
}

/** One Kubernetes object of a manifest file. */
export interface OutputObject {
  readonly file: string;
  readonly environment: string;
  readonly folder: string;
  readonly object: any;
}

/** A synthesized app's files (also written to `outdir`, for tools that read files), with what it printed to stderr (its warnings). */
export interface SynthesizedOutput {
  readonly outdir: string;
  readonly files: readonly OutputFile[];
  readonly stderr: readonly string[];
  /** The files of `kind`, sorted by path. */
  ofKind(kind: OutputKind): OutputFile[];
  /** The one file of `kind` of the environment `env`, e.g. `ofEnvironment('internal', 'values')`. */
  ofEnvironment(env: string, kind: OutputKind): OutputFile;
  /** The absolute path of a file on disk. */
  pathOf(file: OutputFile): string;
  /** Every Kubernetes object of every manifest file, parsed once (do not change them). */
  objects(): OutputObject[];
}

/** Synthesizes what `build` adds to a fresh app with the library's output step, and returns every file. */
export function synthesize(build: (app: App) => void): SynthesizedOutput {
  const app = Testing.app();
  build(app);
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let stderr: string[] = [];
  let generated: GeneratedFile[];
  try {
    generated = writeFiles(app);
  } finally {
    // Copied before the restore: Jest 29's mockRestore() also clears mock.calls.
    stderr = spy.mock.calls.map(([text]) => String(text));
    spy.mockRestore();
  }
  return outputOf(app.outdir, generated, stderr);
}

/** The output step's files of an app, as the tests read them. */
export function outputOf(outdir: string, generated: readonly GeneratedFile[], stderr: readonly string[] = []): SynthesizedOutput {
  const files: OutputFile[] = generated.map((f) => ({
    name: f.path, basename: path.posix.basename(f.path), environment: f.environment, folder: f.folder, kind: KINDS[f.kind], content: f.content,
  }));
  const ofKind = (kind: OutputKind) => files.filter((f) => f.kind === kind);
  let objects: OutputObject[] | undefined;
  return {
    outdir,
    files,
    stderr,
    ofKind,
    ofEnvironment: (env, kind) => {
      const matches = ofKind(kind).filter((f) => f.environment === env);
      if (matches.length !== 1) throw new Error(`expected one ${kind} file of ${env}, found ${matches.map((f) => f.name).join(', ') || 'none'}`);
      return matches[0];
    },
    pathOf: (file) => path.join(outdir, ...file.name.split('/')),
    // Parsed once: the tests ask often. Read back from disk, as before, but without Yaml.load's node process per file.
    objects: () => (objects ??= ofKind('manifest').flatMap((f) => loadYaml(path.join(outdir, ...f.name.split('/')))
      .map((object) => ({ file: f.name, environment: f.environment, folder: f.folder, object })))),
  };
}

/** cdk8s's own YAML library (cdk8s depends on it; we do not), so that parsing matches `Yaml.load`. */
const YAML: { parseAllDocuments(text: string, options: object): { toJSON(): unknown }[] } =
  require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));

/**
 * The documents of a YAML text exactly as cdk8s's `Yaml.load` returns them (YAML 1.1, empty
 * documents dropped), in-process: `Yaml.load` spawns a node process per call (~0.1-0.2 s).
 */
export function parseYaml(text: string): any[] {
  return YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJSON() as any).filter((obj) => obj !== undefined && obj !== null
    && !(Array.isArray(obj) && obj.length === 0) && !(typeof obj === 'object' && Object.keys(obj).length === 0));
}

/** `Yaml.load(file)` of a local file, without its child process. */
export function loadYaml(file: string): any[] {
  return parseYaml(fs.readFileSync(file, 'utf8'));
}

let seeds: SynthesizedOutput | undefined;

/** The seeds' three environments as `npm run synth` writes them, synthesized once per test file. */
export function seedOutput(): SynthesizedOutput {
  seeds ??= synthesize((app: Construct) => buildEnvironments(app as App));
  return seeds;
}

/** Reads back every file under `outdir` (what `npm run synth` wrote), `/`-separated paths, sorted. */
export function filesUnder(outdir: string): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.relative(outdir, path.join(dir, e.name)).split(path.sep).join('/')]));
  return walk(outdir).sort();
}

/** The content of the one file of `kind` that the output step gives `app` (for `env`, when given), without writing anything. */
export function fileOfApp(app: App, kind: OutputKind, env?: string): string {
  const out = outputOf('/not-written', synthFiles(app));
  return env === undefined ? single(out.ofKind(kind), kind).content : out.ofEnvironment(env, kind).content;
}

function single(files: OutputFile[], kind: OutputKind): OutputFile {
  if (files.length !== 1) throw new Error(`expected one ${kind} file, found ${files.map((f) => f.name).join(', ') || 'none'}`);
  return files[0];
}
