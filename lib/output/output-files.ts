import * as fs from 'fs';
import * as path from 'path';
import { Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkFileForCredentials, scanManifestsForCredentials } from '../validation/credential-scan';
import { warningsOf } from '../validation/warnings';

/** A file a construct contributes next to its chart's manifest. */
export interface OutputFileOptions {
  /**
   * The file's suffix after the chart name, e.g. `gitlab-runner-values.yaml` gives
   * `<chart>.gitlab-runner-values.yaml`. When several constructs of one chart share a suffix,
   * each file also carries the construct's id: `<chart>.<id>.gitlab-runner-values.yaml`.
   */
  readonly suffix: string;
  /** Produces the content at synthesis time, after all constructs are configured. */
  readonly content: () => string;
}

interface Entry extends OutputFileOptions {
  readonly scope: IConstruct;
}

interface SynthesizableApp extends IConstruct {
  readonly outdir: string;
  synth(): void;
}

/** The kinds of file the library writes beside the manifests, by their file-name suffix. */
export const OUTPUT_SUFFIXES = {
  /** Helm values of a `RunnerManager`. */
  values: 'gitlab-runner-values.yaml',
  /** An app's `.gitlab-ci.yml`. */
  pipeline: 'gitlab-ci.yml',
  /** A runner's smoke-test pipeline. */
  smokeTest: 'runner-smoke-test.gitlab-ci.yml',
  /** An environment's report. */
  report: 'report.md',
} as const;

// Symbol.for: two copies of this library in one app still share one registry.
const REGISTRY = Symbol.for('cdk8s-gitlab-runner.OutputFiles');

/**
 * Writes the files that are not Kubernetes manifests (Helm values, pipelines, reports) into the
 * app's output directory when `app.synth()` runs.
 *
 * The first registration wraps that one App instance's `synth()`: the manifests are written by
 * cdk8s as usual, then these files beside them, then the library's warnings go to stderr. A
 * user's own app therefore gets the same files with a plain `new App()` ... `app.synth()`,
 * without copying our `apps/main.ts`.
 */
export class OutputFiles {
  /** The registry of the app that contains `scope`. */
  public static of(scope: IConstruct): OutputFiles {
    const root = scope.node.root as IConstruct & { [REGISTRY]?: OutputFiles };
    let registry = root[REGISTRY];
    if (!registry) {
      registry = new OutputFiles();
      Object.defineProperty(root, REGISTRY, { value: registry, enumerable: false });
      // An app that writes these files gets its manifests scanned too.
      scanManifestsForCredentials(root);
      if (isSynthesizableApp(root)) {
        const app = root;
        const synth = app.synth;
        app.synth = function synthWithOutputFiles(this: SynthesizableApp) {
          synth.call(this);
          registry!.writeTo(this.outdir);
          for (const warning of warningsOf(this)) process.stderr.write(`warning: ${warning}\n`);
        };
      }
    }
    return registry;
  }

  private readonly entries: Entry[] = [];

  private constructor() {}

  /** Registers a file for `scope`, named after the chart that contains it. */
  public add(scope: IConstruct, options: OutputFileOptions): void {
    this.entries.push({ scope, ...options });
  }

  /** The name of the file `scope` writes with `suffix` (call at synthesis time, when every file is registered). */
  public nameOf(scope: IConstruct, suffix: string): string {
    const chart = Chart.of(scope);
    const siblings = this.entries.filter((e) => e.suffix === suffix && Chart.of(e.scope) === chart);
    const stem = Names.toDnsLabel(chart);
    return siblings.length > 1 ? `${stem}.${fileLabel(scope.node.id)}.${suffix}` : `${stem}.${suffix}`;
  }

  /**
   * The files as `name -> content`, sorted by name. Throws if two files would share a name, or if
   * one holds something that looks like a credential (a `ValidationError` naming its construct).
   */
  public render(): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of this.entries) {
      const name = this.nameOf(entry.scope, entry.suffix);
      if (files.has(name)) {
        throw new Error(`${entry.scope.node.path}: output file "${name}" is also written by another construct; `
          + 'give the constructs ids that differ in more than case and punctuation');
      }
      const content = entry.content();
      // The net under the prop checks: whatever a prop let through, no token or key is written.
      checkFileForCredentials(entry.scope, name, content);
      files.set(name, content);
    }
    return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Writes every file into `outdir` and returns their names. */
  public writeTo(outdir: string): string[] {
    const files = this.render();
    fs.mkdirSync(outdir, { recursive: true });
    for (const [name, content] of files) {
      fs.writeFileSync(path.join(outdir, name), content, 'utf8');
    }
    return [...files.keys()];
  }
}

/**
 * The file cdk8s writes the manifest of the chart containing `scope` to: `<chart>.k8s.yaml` (a
 * top-level chart with no dependency on another chart, so without a `0000-` prefix).
 */
export function manifestFileName(scope: IConstruct): string {
  return `${Names.toDnsLabel(Chart.of(scope))}.k8s.yaml`;
}

function isSynthesizableApp(c: IConstruct): c is SynthesizableApp {
  const candidate = c as Partial<SynthesizableApp>;
  return typeof candidate.synth === 'function' && typeof candidate.outdir === 'string';
}

/** A construct id as a lowercase file-name label: `CiRunner` -> `ci-runner`. */
function fileLabel(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
