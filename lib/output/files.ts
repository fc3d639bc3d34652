/** What a generated file holds. */
export enum GeneratedFileKind {
  /** Kubernetes manifests (every document has `apiVersion` and `kind`). */
  MANIFEST = 'manifest',
  /** The Helm values of a `RunnerManager`. */
  HELM_VALUES = 'helm-values',
  /** An app's `.gitlab-ci.yml`. */
  PIPELINE = 'pipeline',
  /** A runner's smoke-test pipeline. */
  SMOKE_TEST = 'smoke-test',
  /** An environment's report. */
  REPORT = 'report',
}

/** One file of the synthesized app. */
export interface GeneratedFile {
  /** The path relative to the output directory, `/`-separated: `<environment>/<folder>/<name>`. */
  readonly path: string;
  /** The file's content. */
  readonly content: string;
  /** What it holds. */
  readonly kind: GeneratedFileKind;
  /** The environment (the first folder of `path`). */
  readonly environment: string;
  /** The folder inside the environment (the second folder of `path`). */
  readonly folder: string;
}
