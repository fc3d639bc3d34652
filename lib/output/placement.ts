import { Chart, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';

/** The folders the library writes non-manifest files to, beside the manifest folders; no manifest folder may use them. */
export const FILE_FOLDERS = { helmValues: 'helm', pipelines: 'pipelines', reports: 'reports' } as const;
const RESERVED: string[] = Object.values(FILE_FOLDERS);

/**
 * A folder of manifests inside an environment's output folder: `<outdir>/<environment>/<folder>/`.
 * Each folder holds Kubernetes manifests only, meant to be applied with one `kubectl apply -f`.
 */
export class ManifestFolder {
  /** Objects a fresh cluster accepts (no CRDs needed), Namespaces first: `platform/`. */
  public static readonly PLATFORM = new ManifestFolder('platform');
  /** Objects of the Prometheus Operator (PodMonitor, PrometheusRule), which need its CRDs: `monitoring/`. */
  public static readonly MONITORING = new ManifestFolder('monitoring');
  /** A change to the cluster's CoreDNS, applied deliberately: `coredns/`. */
  public static readonly CORE_DNS = new ManifestFolder('coredns');
  /** An app's manifest that its pipeline fills in (it holds `${VARIABLE}` placeholders) and applies: `app/`. */
  public static readonly APP = new ManifestFolder('app');

  /** A folder of your own, e.g. for objects of another operator's CRDs; `name` is a DNS label. */
  public static custom(name: string): ManifestFolder {
    const check = new PropChecker('ManifestFolder.custom');
    check.dnsLabel('name', name);
    if (RESERVED.includes(name)) check.fail('name', name, `a folder name other than ${RESERVED.join(', ')}: those hold the files that are not manifests`);
    return new ManifestFolder(name);
  }

  private constructor(
    /** The folder's name. */
    public readonly name: string,
  ) {}
}

/** Where the manifests of a construct and everything under it go. */
export interface ManifestPlacement {
  /**
   * The environment: the first folder under the output directory, one per cluster you apply to.
   * @default - the enclosing placement's; at the top, the chart's name
   */
  readonly environment?: string;
  /**
   * The folder inside the environment's folder.
   * @default - the enclosing placement's; at the top, `ManifestFolder.PLATFORM`
   */
  readonly folder?: ManifestFolder;
}

/** The resolved placement of one construct. */
export interface ResolvedPlacement {
  readonly environment: string;
  readonly folder: string;
}

// Symbol.for: two copies of this library in one app still read each other's placements.
const PLACEMENT = Symbol.for('cdk8s-gitlab-runner.ManifestPlacement');

/** Records where the manifests of `scope` (a chart, or any construct inside one) go. */
export function placeManifests(scope: IConstruct, placement: ManifestPlacement): void {
  const at = new PropChecker('Output.placeManifests');
  if (!Construct.isConstruct(scope)) at.fail('scope', scope, 'a construct (a chart, or a construct inside one)');
  const check = new PropChecker(scope.node.path || 'Output.placeManifests');
  checkProps(check, placement, 'ManifestPlacement', 'placement', true);
  if (placement.environment !== undefined) check.dnsLabel('placement.environment', placement.environment);
  if (placement.folder !== undefined && !(placement.folder instanceof ManifestFolder)) {
    check.fail('placement.folder', placement.folder, 'a ManifestFolder (ManifestFolder.PLATFORM, .MONITORING, .CORE_DNS, .APP or ManifestFolder.custom())');
  }
  Object.defineProperty(scope, PLACEMENT, { value: placement, enumerable: false, configurable: true });
}

/**
 * The placement of `scope`: environment and folder each from the nearest placement that gives it,
 * on the way up to the root (ancestors only, never a tree search).
 */
export function placementOf(scope: IConstruct): ResolvedPlacement {
  let environment: string | undefined;
  let folder: ManifestFolder | undefined;
  for (const c of [...scope.node.scopes].reverse()) {
    const p = (c as { [PLACEMENT]?: ManifestPlacement })[PLACEMENT];
    environment ??= p?.environment;
    folder ??= p?.folder;
  }
  return { environment: environment ?? Names.toDnsLabel(Chart.of(scope)), folder: (folder ?? ManifestFolder.PLATFORM).name };
}

/** The file a chart's objects of one folder go to, inside that folder: `<chart>.k8s.yaml`. */
export function manifestFileName(scope: IConstruct): string {
  return `${Names.toDnsLabel(Chart.of(scope))}.k8s.yaml`;
}

/** The file with a folder's Namespaces: it sorts before every chart's file, so `kubectl apply -f` creates them first. */
export const NAMESPACES_FILE = '00-namespaces.k8s.yaml';
