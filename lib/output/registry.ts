// Internal: how constructs hand their files' typed models to the output step.
import { IConstruct } from 'constructs';
import { GitlabCiPipeline } from '../model/gitlab-ci';
import { HelmValues } from '../model/helm-values';
import { MarkdownBlock } from '../render/markdown';
import { scanManifestsForCredentials } from '../validation/credential-scan';
import { GeneratedFileKind } from './files';
import { FILE_FOLDERS, ManifestFolder, placementOf } from './placement';

/** A file's content as typed data: only the output step renders it. */
export type FileModel =
  | { readonly helmValues: HelmValues; readonly header: string[] }
  | { readonly pipeline: GitlabCiPipeline; readonly header: string[] }
  | { readonly markdown: MarkdownBlock[] };

/** What the output step tells a file's owner about where things are written, relative to the output directory. */
export interface OutputPaths {
  /** The path of the file `owner` registered with `kind`. */
  fileOf(owner: IConstruct, kind: RegisteredKind): string;
  /** The manifest folder of `scope`'s objects (or, given `folder`, that folder of its environment), with a trailing `/`. */
  manifestFolderOf(scope: IConstruct, folder?: ManifestFolder): string;
}

/** A construct's file: its model is asked for once, by the output step, when every construct is configured. */
export interface FileSource {
  fileModel(paths: OutputPaths): FileModel;
}

/** The kinds of file a construct registers; manifests are the output step's own. */
export type RegisteredKind = Exclude<GeneratedFileKind, GeneratedFileKind.MANIFEST>;

/** One registered file. */
export interface FileEntry {
  readonly owner: IConstruct;
  readonly kind: RegisteredKind;
  readonly source: FileSource;
}

/** Where each kind of file goes inside its environment's folder, and its name there. */
const FILE_LAYOUT: { readonly [kind in RegisteredKind]: { readonly folder: string; readonly name: string } } = {
  [GeneratedFileKind.HELM_VALUES]: { folder: FILE_FOLDERS.helmValues, name: 'gitlab-runner-values.yaml' },
  [GeneratedFileKind.PIPELINE]: { folder: FILE_FOLDERS.pipelines, name: 'gitlab-ci.yml' },
  [GeneratedFileKind.SMOKE_TEST]: { folder: FILE_FOLDERS.pipelines, name: 'runner-smoke-test.gitlab-ci.yml' },
  [GeneratedFileKind.REPORT]: { folder: FILE_FOLDERS.reports, name: 'report.md' },
};

// Symbol.for: two copies of this library in one app still share one registry.
const REGISTRY = Symbol.for('cdk8s-gitlab-runner.FileRegistry');

/** The files of one app that are not manifests. It never changes the app: the output step reads it. */
export class FileRegistry {
  /** The registry of the app that contains `scope`. */
  public static of(scope: IConstruct): FileRegistry {
    const root = scope.node.root as IConstruct & { [REGISTRY]?: FileRegistry };
    let registry = root[REGISTRY];
    if (!registry) {
      registry = new FileRegistry();
      Object.defineProperty(root, REGISTRY, { value: registry, enumerable: false });
      // An app that writes these files gets its manifests scanned too, by Testing.synth as well.
      scanManifestsForCredentials(root);
    }
    return registry;
  }

  private readonly entries: FileEntry[] = [];
  /** How many files of each kind each environment has (`<kind> <environment>`); built on first use, dropped on `add`. */
  private counts?: Map<string, number>;

  private constructor() {}

  /** Registers the file `owner` contributes. */
  public add(owner: IConstruct, kind: RegisteredKind, source: FileSource): void {
    this.entries.push({ owner, kind, source });
    this.counts = undefined;
  }

  /** Every registered file, in registration order. */
  public all(): readonly FileEntry[] {
    return this.entries;
  }

  /**
   * The path of `owner`'s file of `kind`: `<environment>/<folder>/<name>`, and when several
   * constructs of one environment write that kind, `<environment>/<folder>/<owner id>.<name>`.
   */
  public pathOf(owner: IConstruct, kind: RegisteredKind): string {
    const { environment } = placementOf(owner);
    const layout = FILE_LAYOUT[kind];
    const name = this.countOf(kind, environment) > 1 ? `${fileLabel(owner.node.id)}.${layout.name}` : layout.name;
    return `${environment}/${layout.folder}/${name}`;
  }

  /** Counted once for all files, so that naming every file stays linear in the number of files. */
  private countOf(kind: RegisteredKind, environment: string): number {
    if (!this.counts) {
      this.counts = new Map();
      for (const e of this.entries) {
        const key = `${e.kind} ${placementOf(e.owner).environment}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
    }
    return this.counts.get(`${kind} ${environment}`) ?? 0;
  }
}

/** A construct id as a lowercase file-name label: `CiRunner` -> `ci-runner`. */
function fileLabel(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
