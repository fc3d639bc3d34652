// One verdict for every property run: a build either fails with our ValidationError naming the right
// construct, prop and value, or synthesizes output that passes every check the example tests use.
// Anything else (another exception, an invalid object, a key the chart or runner does not read, a null
// in a rendered file, bad input that was accepted) throws, and fast-check reports the counterexample.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CalculatorApp } from '../../lib/calculator-app';
import { CalculatorPipeline } from '../../lib/calculator-pipeline';
import { gitlabCiDocument } from '../../lib/model/gitlab-ci';
import { ManifestDocs, synthesize, Synthesis, writeFiles } from '../../lib/output/synth';
import { renderManifests } from '../../lib/render/yaml';
import { isStricter, PodSecurityLevel } from '../../lib/pod-security';
import { parseRunnerConfig } from '../../lib/render/toml';
import { prune } from '../../lib/model/prune';
import { RunnerManager } from '../../lib/runner-manager';
import { isPinnedImage } from '../../lib/validation/patterns';
import { CDK8S_VALIDATION, describeValue, ValidationError } from '../../lib/validation/errors';
import { parseValidationError } from '../util/validation-errors';
import { checkHelmValues } from '../util/helm-keys';
import { filesUnder } from '../util/output';
import { validateDefinition, validateManifest } from '../util/k8s-schema';
import { checkRunnerToml } from '../util/runner-schema';
import type { Fault } from './arbitraries';
import { helmValuesDocument } from '../../lib/render/helm-values';

/** What a run must do: fail naming one of `faults` (when there are any), or may fail naming one of `mayFail`. */
export interface Expectation {
  /** Bad input in the props: the build must fail with a ValidationError naming one of these. */
  readonly faults: readonly Fault[];
  /** Combinations the generator does not predict: a ValidationError naming one of these is accepted too. */
  readonly mayFail: readonly Fault[];
}

/** Outcomes of one property, for asserting that both branches were exercised. */
export interface Tally {
  /** Runs (including fast-check's shrinking runs, if any). */
  runs: number;
  /** Branch (a): a ValidationError as expected. */
  rejected: number;
  /** Branch (c): output that passed every check. */
  synthesized: number;
  /** Rejections by `<constructPath>: <prop>`, with the numeric indices folded to `[]`. */
  readonly byProp: Map<string, number>;
}

export function newTally(): Tally {
  return { runs: 0, rejected: 0, synthesized: 0, byProp: new Map() };
}

/** A one-line summary: runs, both branches and their shares. */
export function describeTally(name: string, t: Tally): string {
  const pct = (n: number) => `${Math.round((100 * n) / Math.max(t.runs, 1))}%`;
  return `${name}: ${t.runs} runs, ${t.synthesized} valid (${pct(t.synthesized)}), ${t.rejected} rejected (${pct(t.rejected)}), `
    + `${t.byProp.size} distinct rejected props`;
}

export type Outcome = 'rejected' | 'synthesized';

/** How often (in valid outputs) the slower round-trip checks run. */
const DEEP_EVERY = 5;

/**
 * Runs `build`, which creates constructs under `root` (a `Testing.chart()` or `Testing.app()`), and
 * classifies the outcome against `expectation`; throws (with the reason) on anything but a correct
 * rejection or a synthesis whose every object and file passes the checks. Removes the root app's
 * temporary output directory afterwards.
 */
export function checkOutcome(root: IConstruct, build: () => void, expectation: Expectation, tally: Tally,
  options: { readonly synthToDisk?: boolean } = {}): Outcome {
  try {
    // The round trips of manifests and config.toml are extra checks: every DEEP_EVERY-th valid output.
    const deep = tally.synthesized % DEEP_EVERY === 0;
    // One synthesis per run. Validations registered with node.addValidation (checks that need the
    // whole app) run in it, so a ValidationError they throw, or the first error message they return,
    // counts as a rejection, as one from a constructor does.
    const run = (): Synthesis => {
      build();
      try {
        return synthesize(root.node.root as App);
      } catch (err) {
        throw firstValidationError(err) ?? err;
      }
    };
    return classify(run, expectation, tally, (synthesis) => verifySynthesis(root, synthesis, { deep, synthToDisk: options.synthToDisk }));
  } finally {
    const app = root.node.root as App;
    if (typeof app.outdir === 'string' && app.outdir.startsWith(os.tmpdir())) fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/**
 * The first problem of cdk8s's "Validation failed with the following errors" list (entries
 * `[<path>] <message>`, a message possibly of several lines) as the ValidationError it reports.
 */
function firstValidationError(err: unknown): Error | undefined {
  if (!(err instanceof Error) || !err.message.startsWith(CDK8S_VALIDATION)) return undefined;
  const first = err.message.slice(CDK8S_VALIDATION.length).split(/\n {2}(?=\[)/)[1] ?? '';
  const message = first.replace(/^\[[^\]]*\] /, '');
  return parseValidationError(message) ?? new Error(message);
}

/**
 * The general form: runs `run`; a ValidationError must match the expectation, a result must pass
 * `verify` (which returns problems) and may only come when no fault was injected.
 */
export function classify<R>(run: () => R, expectation: Expectation, tally: Tally, verify: (result: R) => string[]): Outcome {
  tally.runs++;
  let result: R;
  try {
    result = run();
  } catch (err) {
    checkRejection(err, expectation);
    tally.rejected++;
    const e = err as ValidationError;
    const key = `${e.constructPath}: ${e.prop.replace(/\[\d+\]/g, '[]').replace(/\["[^"]*"\]/g, '[""]')}`;
    tally.byProp.set(key, (tally.byProp.get(key) ?? 0) + 1);
    return 'rejected';
  }
  const problems = verify(result);
  if (expectation.faults.length > 0) {
    problems.unshift(`bad input was accepted: expected a ValidationError naming one of ${describeFaults(expectation.faults)}`);
  }
  if (problems.length > 0) throw new Error(`FAIL (silently wrong output):\n  ${problems.join('\n  ')}`);
  tally.synthesized++;
  return 'synthesized';
}

/** Throws unless `err` is a well-formed ValidationError that names an expected fault. */
function checkRejection(err: unknown, expectation: Expectation): void {
  if (!(err instanceof ValidationError)) {
    const stack = err instanceof Error ? err.stack ?? String(err) : describeValue(err);
    throw new Error(`FAIL (unexpected exception, not a ValidationError):\n${stack}`);
  }
  const problems: string[] = [];
  const { constructPath, prop, value, expected, message } = err;
  if (typeof constructPath !== 'string' || constructPath === '') problems.push('constructPath is empty');
  if (typeof prop !== 'string' || prop.trim() === '') problems.push('prop is empty');
  if (typeof expected !== 'string' || expected.trim() === '') problems.push('expected is empty');
  const head = `${constructPath}: invalid ${prop}: got `;
  if (!message.startsWith(head)) problems.push(`message does not start with "${head}"`);
  const got = `got ${describeValue(value)}; expected `;
  if (!message.includes(got)) problems.push(`message does not show the value as "${got}"`);
  if (message.includes('[object Object]')) problems.push('message shows a value as [object Object]');
  if (/\b(undefined|NaN)\b/.test(prop)) problems.push('prop names undefined or NaN');

  const candidates = [...expectation.faults, ...expectation.mayFail];
  const matching = candidates.filter((f) => f.at === constructPath && propMatches(prop, f.prop));
  if (matching.length === 0) {
    problems.push(expectation.faults.length === 0 && expectation.mayFail.length === 0
      ? 'valid input was rejected'
      : `it names neither of the expected faults ${describeFaults(candidates)}`);
  } else if (!matching.some((f) => f.got === undefined || message.includes(`got ${f.got}; `))) {
    problems.push(`the message does not show the bad value (${matching.map((f) => f.got).join(' or ')})`);
  }
  if (problems.length > 0) {
    throw new Error(`FAIL (wrong ValidationError: ${problems.join('; ')}):\n  ${message}\n${err.stack ?? ''}`);
  }
}

/** `tags` matches `tags`, `tags[1]`, `tags.x`, `tags key` and `tags["k"]`. */
export function propMatches(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  return actual.startsWith(expected) && /^[.[ ]/.test(actual.slice(expected.length));
}

function describeFaults(faults: readonly Fault[]): string {
  return faults.map((f) => `${f.at}: ${f.prop}${f.got !== undefined ? ` (got ${f.got})` : ''}`).join(' | ') || '(none)';
}

// ---------------------------------------------------------------------------------------------------
// Checks of synthesized output

/** Options of `verifySynthesis`. */
export interface VerifyOptions {
  /** Also check that manifests and config.toml parse back to what was rendered. */
  readonly deep?: boolean;
  /** Also write the app with `app.synth()` and read every file back. */
  readonly synthToDisk?: boolean;
}

/** Every problem in what `root` synthesized: objects, Helm values, runner TOML, rendered files, namespaces. */
export function verifySynthesis(root: IConstruct, synthesis: Synthesis, options: VerifyOptions = {}): string[] {
  const problems: string[] = [];
  const app = root.node.root as App;
  const { manifests, files: rendered } = synthesis;
  const objects: { file: string; obj: any }[] = [];
  for (const manifest of manifests) {
    for (const obj of manifest.docs) {
      objects.push({ file: manifest.path, obj });
      problems.push(...validateManifest(obj).map((e) => `${manifest.path}: ${e}`));
    }
    if (options.deep) problems.push(...roundTrip(`${manifest.path}`, renderManifests(manifest.docs), [...manifest.docs]));
  }
  problems.push(...duplicateObjects(objects));
  const constructs = app.node.findAll();
  problems.push(...namespaceLevels(constructs, objects));

  const managers: RenderedManager[] = [];
  const pipelines: CalculatorPipeline[] = [];
  for (const c of constructs) {
    // The values document and config.toml are rendered on each call: once here for every check.
    if (c instanceof RunnerManager) managers.push({ m: c, values: helmValuesDocument(c._helmValues), toml: c.configToml });
    else if (c instanceof CalculatorPipeline) pipelines.push(c);
  }
  for (const m of managers) problems.push(...checkManager(m, options.deep ?? false));
  for (const p of pipelines) problems.push(...checkPipeline(p));

  const files = new Map(rendered.map((f) => [f.path, f.content]));
  const parsed: unknown[][] = [];
  for (const [name, content] of files) {
    const [docs, fileProblems] = checkFile(name, content);
    parsed.push(docs);
    problems.push(...fileProblems);
  }
  for (const { m, values } of managers) {
    const normalized = normalize(values);
    if (!parsed.some((docs) => sameDocs(docs, [normalized]))) problems.push(`${m.node.path}: no rendered values file parses back to its helmValues`);
  }
  for (const p of pipelines) {
    const doc = normalize(prune(gitlabCiDocument(p._pipeline)));
    if (!parsed.some((docs) => sameDocs(docs, [doc]))) problems.push(`${p.node.path}: no rendered pipeline parses back to its model`);
  }
  if (options.synthToDisk) problems.push(...synthesizeToDisk(app, manifests, files));
  return problems;
}

/** A manager with its values document and config.toml, which are rendered anew on each call. */
interface RenderedManager {
  readonly m: RunnerManager;
  readonly values: { [key: string]: unknown };
  readonly toml: string;
}

/** Helm values against the chart's key tree; config.toml and the registered template against the runner's key list. */
function checkManager({ m, values, toml }: RenderedManager, deep: boolean): string[] {
  const at = m.node.path;
  const problems = checkHelmValues(values, validateDefinition).map((e) => `${at}: helm values: ${e}`);
  problems.push(...checkRunnerToml(toml).map((e) => `${at}: config.toml: ${e}`));
  const rendered = (values.runners as { config?: unknown } | undefined)?.config;
  const config = typeof rendered === 'string' ? rendered : undefined;
  if (config === undefined) {
    problems.push(`${at}: helm values have no runners.config`);
  } else {
    // The chart runs runners.config through `tpl`: every `{{` must be the escape `{{ "{{" }}`.
    if (config.replace(/\{\{ "\{\{" \}\}/g, '').includes('{{')) problems.push(`${at}: runners.config has an unescaped "{{"`);
    const template = config.replace(/\{\{ "\{\{" \}\}/g, '{{');
    problems.push(...checkRunnerToml(template).map((e) => `${at}: registered template: ${e}`));
  }
  for (const [what, text] of [['config.toml', toml], ['runners.config', config ?? '']] as const) {
    if (/\bundefined\b/.test(text)) problems.push(`${at}: ${what} contains "undefined"`);
    if (/=\s*[+-]?(nan|inf)\s*$/m.test(text)) problems.push(`${at}: ${what} contains a non-finite number`);
  }
  if (!deep) return problems;
  try {
    const parsed = normalize(parseRunnerConfig(toml));
    const model = normalize(m._runnerConfig);
    if (!deepEqual(parsed, model)) problems.push(`${at}: config.toml does not parse back to the runner model`);
  } catch (e) {
    problems.push(`${at}: config.toml does not parse back: ${(e as Error).message}`);
  }
  return problems;
}

/** The pipeline's jobs: pinned images only, and a script GitLab accepts (non-empty strings). */
function checkPipeline(p: CalculatorPipeline): string[] {
  const problems: string[] = [];
  const at = p.node.path;
  for (const [name, job] of Object.entries(p._pipeline.jobs)) {
    for (const image of [job.image?.name, ...(job.services ?? []).map((s) => s.name)]) {
      if (image !== undefined && !isPinnedImage(image)) problems.push(`${at}: job ${name} uses an unpinned image ${describeValue(image)}`);
    }
    if (!Array.isArray(job.script) || job.script.length === 0
      || job.script.some((line) => typeof line !== 'string' || line.trim() === '')) {
      problems.push(`${at}: job ${name} has a script GitLab rejects: ${describeValue(job.script)}`);
    }
  }
  return problems;
}

/** A rendered file: parses, no null, no undefined, no non-finite number. Returns its documents and the problems. */
function checkFile(name: string, content: string): [unknown[], string[]] {
  if (typeof content !== 'string') return [[], [`${name}: content is not a string`]];
  const problems: string[] = [];
  if (/\bundefined\b/.test(content)) problems.push(`${name}: contains "undefined"`);
  let docs: unknown[] = [];
  if (/\.(yaml|yml)$/.test(name)) {
    try {
      docs = parseYaml(content);
    } catch (e) {
      return [[], [...problems, `${name}: does not parse: ${(e as Error).message}`]];
    }
    if (docs.length === 0) problems.push(`${name}: no document`);
    problems.push(...docs.flatMap((d) => badScalars(d, name)));
  }
  return [docs, problems];
}

/** Writes the app for real and reads every file back (slow: only a few runs). */
function synthesizeToDisk(app: App, manifests: readonly ManifestDocs[], rendered: Map<string, string>): string[] {
  const problems: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write; // warnings are expected; not checked here
  try {
    writeFiles(app);
  } finally {
    process.stderr.write = write;
  }
  const written = filesUnder(app.outdir);
  const expected = new Map(rendered);
  for (const m of manifests) expected.set(m.path, renderManifests(m.docs));
  for (const name of written) {
    const text = fs.readFileSync(path.join(app.outdir, ...name.split('/')), 'utf8');
    if (expected.has(name) && expected.get(name) !== text) problems.push(`${name}: differs from what synthesize() rendered`);
    if (name.endsWith('.k8s.yaml')) {
      for (const obj of parseYaml(text)) problems.push(...validateManifest(obj).map((e) => `${name}: ${e}`));
    }
  }
  for (const name of expected.keys()) {
    if (!written.includes(name)) problems.push(`${name}: rendered but not written by writeFiles()`);
  }
  return problems;
}

/** Two objects of one kind with one namespace and name: one would overwrite the other on apply. */
function duplicateObjects(objects: readonly { file: string; obj: any }[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const { file, obj } of objects) {
    const key = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${key} is synthesized twice (${first} and ${file}): one overwrites the other`);
    else seen.set(key, file);
  }
  return problems;
}

/**
 * Pod Security: every Namespace object the app writes for a runner's jobs or an app's pods must allow
 * them, or the pods are rejected at run time while synthesis looked fine.
 */
function namespaceLevels(constructs: readonly IConstruct[], objects: readonly { file: string; obj: any }[]): string[] {
  const problems: string[] = [];
  const namespaces = new Map<string, { file: string; obj: any }[]>();
  for (const o of objects) {
    if (o.obj.kind !== 'Namespace') continue;
    const name = o.obj.metadata?.name;
    namespaces.set(name, [...namespaces.get(name) ?? [], o]);
  }
  const need = (ns: string, level: PodSecurityLevel, who: string) => {
    for (const { file, obj } of namespaces.get(ns) ?? []) {
      const enforced = obj.metadata?.labels?.['pod-security.kubernetes.io/enforce'] as PodSecurityLevel | undefined;
      if (enforced !== undefined && isStricter(enforced, level)) {
        problems.push(`${file}: Namespace ${ns} enforces "${enforced}", but ${who} needs "${level}"`);
      }
    }
  };
  for (const c of constructs) {
    if (c instanceof RunnerManager) {
      need(c.jobNamespace, c.jobNamespacePodSecurity, `the job pods of ${c.node.path}`);
      need(c.namespace, PodSecurityLevel.RESTRICTED, `the manager pods of ${c.node.path}`);
    }
    if (c instanceof CalculatorApp) need(c.namespace, c.podSecurityLevel, `the pods of ${c.node.path}`);
  }
  return problems;
}

/** Nulls (a Helm null deletes the chart's default), non-finite numbers, and undefined anywhere in a parsed document. */
function badScalars(value: unknown, where: string): string[] {
  if (value === null) return [`${where}: null value`];
  if (value === undefined) return [`${where}: undefined value`];
  if (typeof value === 'number' && !Number.isFinite(value)) return [`${where}: non-finite number ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => badScalars(v, `${where}[${i}]`));
  if (typeof value === 'object') return Object.entries(value as object).flatMap(([k, v]) => badScalars(v, `${where}.${k}`));
  return [];
}

/** The YAML text parses (cdk8s's loader, YAML 1.1 as Helm and GitLab read it) back to `docs`. */
function roundTrip(what: string, text: string, docs: unknown[]): string[] {
  try {
    return sameDocs(parseYaml(text), docs.map(normalize)) ? [] : [`${what}: YAML does not parse back to the same objects`];
  } catch (e) {
    return [`${what}: YAML does not parse: ${(e as Error).message}`];
  }
}

/**
 * The YAML library cdk8s bundles, resolved from cdk8s's own directory: `Yaml.load` parses with it
 * (YAML 1.1, as Helm and GitLab read files), but only from a file through a child process, which
 * costs ~90 ms a call.
 */
const YAML: { parseAllDocuments(text: string, options: object): { toJSON(): unknown; errors: { message: string }[] }[] } =
  require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));

/** Every document of a YAML text, as `Yaml.load` reads it (empty documents skipped); throws on a syntax error. */
function parseYaml(text: string): unknown[] {
  const docs = YAML.parseAllDocuments(text, { version: '1.1' });
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  return docs.map((d) => d.toJSON()).filter((d) => d !== undefined && d !== null
    && !(typeof d === 'object' && Object.keys(d as object).length === 0));
}

function sameDocs(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((d, i) => deepEqual(d, b[i]));
}

/** JSON form: drops undefined and class prototypes. */
function normalize(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}
