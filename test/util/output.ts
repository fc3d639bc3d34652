import * as fs from 'fs';
import * as path from 'path';
import { App, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { buildEnvironments } from '../../apps/environments';
import { OUTPUT_SUFFIXES } from '../../lib';

/**
 * The one way tool-based tests find generated files: by kind, never by a fixed `dist/` path, so
 * that a change of the output layout changes this file only.
 */
export type OutputKind = 'manifest' | keyof typeof OUTPUT_SUFFIXES;

/** One synthesized file. */
export interface OutputFile {
  /** Its name relative to the output directory. */
  readonly name: string;
  readonly kind: OutputKind;
  readonly content: string;
}

/** A synthesized app's files, with what it printed to stderr (its warnings). */
export interface SynthesizedOutput {
  readonly outdir: string;
  readonly files: readonly OutputFile[];
  readonly stderr: readonly string[];
  /** The files of `kind`, sorted by name. */
  ofKind(kind: OutputKind): OutputFile[];
  /** The one file of `kind` for the environment (the chart) `env`, e.g. `ofEnvironment('internal', 'values')`. */
  ofEnvironment(env: string, kind: OutputKind): OutputFile;
  /** Every Kubernetes object of every manifest file, parsed once (do not change them). */
  objects(): { file: string; object: any }[];
}

/** The kind of a file from its name. */
export function kindOf(name: string): OutputKind {
  // Longest suffix first: `runner-smoke-test.gitlab-ci.yml` also ends with `gitlab-ci.yml`.
  const kinds = (Object.entries(OUTPUT_SUFFIXES) as [OutputKind, string][]).sort(([, a], [, b]) => b.length - a.length);
  for (const [kind, suffix] of kinds) if (name.endsWith(`.${suffix}`)) return kind;
  if (name.endsWith('.k8s.yaml')) return 'manifest';
  throw new Error(`unknown kind of output file: ${name}`);
}

/** Synthesizes what `build` adds to a fresh app and reads every file back. */
export function synthesize(build: (app: App) => void): SynthesizedOutput {
  const app = Testing.app();
  build(app);
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let stderr: string[] = [];
  try {
    app.synth();
  } finally {
    // Copied before the restore: Jest 29's mockRestore() also clears mock.calls.
    stderr = spy.mock.calls.map(([text]) => String(text));
    spy.mockRestore();
  }
  return readOutput(app.outdir, stderr);
}

/** The files in `outdir`. */
export function readOutput(outdir: string, stderr: readonly string[] = []): SynthesizedOutput {
  const files = fs.readdirSync(outdir).sort().map((name) => ({
    name, kind: kindOf(name), content: fs.readFileSync(path.join(outdir, name), 'utf8'),
  }));
  const ofKind = (kind: OutputKind) => files.filter((f) => f.kind === kind);
  let objects: { file: string; object: any }[] | undefined;
  return {
    outdir,
    files,
    stderr,
    ofKind,
    ofEnvironment: (env, kind) => {
      const matches = ofKind(kind).filter((f) => f.name.startsWith(`${env}.`));
      if (matches.length !== 1) throw new Error(`expected one ${kind} file of ${env}, found ${matches.map((f) => f.name).join(', ') || 'none'}`);
      return matches[0];
    },
    // Parsed once: the tests ask often.
    objects: () => (objects ??= ofKind('manifest').flatMap((f) => Yaml.load(path.join(outdir, f.name)).map((object) => ({ file: f.name, object })))),
  };
}

let seeds: SynthesizedOutput | undefined;

/** The seeds' three environments as `npm run synth` writes them, synthesized once per test file. */
export function seedOutput(): SynthesizedOutput {
  seeds ??= synthesize((app: Construct) => buildEnvironments(app));
  return seeds;
}
