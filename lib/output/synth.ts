import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PropChecker } from '../validation/prop-checker';
import { gitlabCiDocument } from '../model/gitlab-ci';
import { renderMarkdown } from '../render/markdown';
import { renderHelmValues } from '../render/helm-values';
import { renderManifests, renderYaml } from '../render/yaml';
import { checkFileForCredentials, scanManifestsForCredentials } from '../validation/credential-scan';
import { warningsOf } from '../validation/warnings';
import { CDK8S_VALIDATION } from '../validation/errors';
import { GeneratedFile, GeneratedFileKind } from './files';
import { manifestFileName, ManifestFolder, ManifestPlacement, NAMESPACES_FILE, placeManifests, placementOf } from './placement';
import { FileModel, FileRegistry, OutputPaths } from './registry';
import { inSynthesis, objectJson } from './synthesis';

/**
 * The output step: every file of an app, manifests included, laid out per environment.
 *
 * `<environment>/platform/` holds the objects a fresh cluster accepts, Namespaces first;
 * `monitoring/`, `coredns/`, `app/` (or a folder of your own) hold the objects placed there;
 * `helm/`, `pipelines/` and `reports/` hold the rest. An object goes where the nearest
 * `Output.placeManifests()` above it says (see `ManifestPlacement`).
 */
export class Output {
  /**
   * Every file of `app` as relative path and content, sorted by path, without writing anything:
   * what `Output.writeFiles()` would write. Runs the app's validation once (a failed check throws
   * cdk8s's "Validation failed with the following errors" list) and scans every file for credentials.
   */
  public static synthFiles(app: App): GeneratedFile[] {
    return synthFiles(app);
  }

  /**
   * Writes every file of `app` into `outdir` and prints the library's warnings to stderr once.
   * @param outdir the output directory; default: the app's `outdir`
   */
  public static writeFiles(app: App, outdir?: string): GeneratedFile[] {
    return writeFiles(app, outdir);
  }

  /**
   * The library's warnings under `app`, as `<construct path>: <message>`: what `writeFiles()` prints.
   * Complete after `synthFiles()` or `writeFiles()`, since checks at synth record some of them.
   */
  public static warnings(app: App): string[] {
    if (!isApp(app)) new PropChecker('Output.warnings').fail('app', app, 'a cdk8s App (the root of your constructs)');
    return warningsOf(app);
  }

  /** Sets where the manifests of `scope` (a chart, or any construct inside one) and everything under it go. */
  public static placeManifests(scope: IConstruct, placement: ManifestPlacement): void {
    placeManifests(scope, placement);
  }

  private constructor() {}
}

/** `Output.synthFiles(app)`. */
export function synthFiles(app: App): GeneratedFile[] {
  const { manifests, files } = synthesize(app);
  const all = [...manifests.map((m): GeneratedFile => ({
    path: m.path, content: renderManifests(m.docs), kind: GeneratedFileKind.MANIFEST, environment: m.environment, folder: m.folder,
  })), ...files];
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A manifest file before rendering: its path and its objects as JSON. */
export interface ManifestDocs {
  readonly path: string;
  readonly environment: string;
  readonly folder: string;
  readonly docs: readonly object[];
}

/** One synthesis of an app: its manifests as objects, every other file rendered. */
export interface Synthesis {
  readonly manifests: readonly ManifestDocs[];
  readonly files: readonly GeneratedFile[];
}

/**
 * The output step without rendering the manifests: validates once (a failed check throws cdk8s's
 * "Validation failed with the following errors" list), scans every object and file for credentials,
 * and lays out the files. `synthFiles` renders the manifests; tests read the objects directly.
 */
export function synthesize(app: App): Synthesis {
  if (!isApp(app)) new PropChecker('synthFiles').fail('app', app, 'a cdk8s App (the root of your constructs)');
  scanManifestsForCredentials(app);
  return inSynthesis(app, () => {
    resolveAndValidate(app);
    const manifests = manifestDocs(app);
    const files = otherFiles(app);
    const seen = new Set<string>();
    for (const file of [...manifests, ...files]) {
      if (seen.has(file.path)) {
        throw new Error(`output file "${file.path}" is written twice; give the charts or constructs ids that differ in more than case and punctuation`);
      }
      seen.add(file.path);
    }
    return { manifests, files };
  });
}

/** `Output.writeFiles(app, outdir)`. */
export function writeFiles(app: App, outdir?: string): GeneratedFile[] {
  const files = synthFiles(app);
  const dir = outdir === undefined ? app.outdir : new PropChecker('writeFiles').nonEmptyString('outdir', outdir, 'a directory');
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, 'utf8');
  }
  for (const warning of warningsOf(app)) process.stderr.write(`warning: ${warning}\n`);
  return files;
}

interface FolderContent {
  readonly environment: string;
  readonly folder: string;
  readonly namespaces: object[];
  /** Per chart file name, in chart order. */
  readonly charts: Map<string, object[]>;
}

/**
 * Resolves the app's dependencies and runs every validation of the app once, reporting all failures
 * together (cdk8s's "Validation failed with the following errors" list). `App.synth()` and
 * `App.synthYaml()` do both once more for every chart (`Chart.toJson()`), which makes an app of many
 * environments quadratic; one chart's `toJson()` does them once for the whole app, and the output
 * step orders each chart's objects itself (`manifestFiles`).
 */
function resolveAndValidate(app: App): void {
  // `app.charts` walks the tree on each read.
  const charts = app.charts;
  if (charts.length > 0) {
    // Its objects are resolved here and again for the files: the smallest chart costs least.
    let smallest = charts[0];
    let size = Infinity;
    for (const chart of charts) {
      const n = chart.node.findAll().length;
      if (n < size) [smallest, size] = [chart, n];
    }
    smallest.toJson();
    return;
  }
  // No chart, no dependencies between objects: only the validations.
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`${CDK8S_VALIDATION}\n  ${errors.join('\n  ')}`);
}

function isApp(x: unknown): x is App {
  return Construct.isConstruct(x) && x.node.scope === undefined && Array.isArray((x as App).charts) && typeof (x as App).synthYaml === 'function';
}

/** The manifests: per environment and folder, one file per chart, and the folder's Namespaces in a file that sorts first. */
function manifestDocs(app: App): ManifestDocs[] {
  const folders = new Map<string, FolderContent>();
  for (const chart of app.charts) {
    // cdk8s's own order within a chart (dependencies first), as `chart.toJson()` gives it, without re-validating per chart.
    const objects = new DependencyGraph(chart.node).topology()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
    for (const object of objects) {
      const { environment, folder } = placementOf(object);
      const key = `${environment}/${folder}`;
      let content = folders.get(key);
      if (!content) folders.set(key, content = { environment, folder, namespaces: [], charts: new Map() });
      const json = objectJson(object);
      if (object.apiVersion === 'v1' && object.kind === 'Namespace') {
        content.namespaces.push(json);
      } else {
        const name = manifestFileName(chart);
        let docs = content.charts.get(name);
        if (!docs) content.charts.set(name, docs = []);
        docs.push(json);
      }
    }
  }
  const files: ManifestDocs[] = [];
  for (const [key, content] of folders) {
    const file = (name: string, docs: object[]): ManifestDocs => ({ path: `${key}/${name}`, docs, environment: content.environment, folder: content.folder });
    if (content.namespaces.length > 0) {
      files.push(file(NAMESPACES_FILE, content.namespaces));
      for (const name of content.charts.keys()) {
        if (name <= NAMESPACES_FILE) throw new Error(`${key}/${name} would be applied before ${NAMESPACES_FILE}: give the chart an id that sorts after "00-namespaces"`);
      }
    }
    for (const [name, docs] of content.charts) files.push(file(name, docs));
  }
  return files;
}

/** The files constructs registered, each rendered from its model, each scanned for credentials. */
function otherFiles(app: App): GeneratedFile[] {
  const registry = FileRegistry.of(app);
  const paths: OutputPaths = {
    fileOf: (owner, kind) => registry.pathOf(owner, kind),
    manifestFolderOf: (scope: IConstruct, folder?: ManifestFolder) => {
      const placement = placementOf(scope);
      return `${placement.environment}/${folder?.name ?? placement.folder}/`;
    },
  };
  return registry.all().map(({ owner, kind, source }) => {
    const filePath = registry.pathOf(owner, kind);
    const content = render(source.fileModel(paths));
    // The net under the prop checks: whatever a prop let through, no token or key is written.
    checkFileForCredentials(owner, filePath, content);
    const [environment, folder] = filePath.split('/');
    return { path: filePath, content, kind, environment, folder };
  });
}

/** The one place that turns file models into text. */
function render(model: FileModel): string {
  if ('helmValues' in model) return renderHelmValues(model.helmValues, model.header);
  if ('pipeline' in model) return renderYaml(gitlabCiDocument(model.pipeline), model.header);
  return renderMarkdown(model.markdown);
}
