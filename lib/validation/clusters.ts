import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { credentialPaths, WHERE_SECRETS_BELONG } from './secrets';

/** How a group of charts says which cluster it is applied to. */
export interface ClusterDeclaration {
  /** The cluster's name, when the user gave one. */
  readonly name?: string;
  /** The Kubernetes API server's endpoint (address range and ports), when known. */
  readonly apiEndpoint?: string;
}

/** Kinds without a namespace: one object of each name per cluster. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume',
  'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'IngressClass',
  'RuntimeClass', 'APIService', 'CSIDriver', 'Node',
]);

interface Release {
  readonly scope: IConstruct;
  readonly namespace: string;
  readonly name: string;
}

interface Group {
  readonly scope: IConstruct;
  readonly declaration: ClusterDeclaration;
  readonly charts: readonly Chart[];
}

interface Identified {
  readonly key: string;
  readonly path: string;
  readonly describe: string;
  readonly content: string;
  readonly clusterScoped: boolean;
  readonly object?: ApiObject;
}

// Symbol.for: two copies of this library in one app still share one registry.
const REGISTRY = Symbol.for('cdk8s-gitlab-runner.Clusters');

/**
 * Which charts go to which cluster, and the check that nothing collides there: within a cluster
 * any two Kubernetes objects (and any two Helm releases) with the same identity but different
 * content are an error naming both construct paths, and identical duplicates of a cluster-scoped
 * object are written once. Charts that no stack claims share one cluster (the app's). Stacks are
 * one cluster when they give the same `clusterName`, or, when not both give one, the same
 * Kubernetes API endpoint: private addresses repeat across networks, a name does not.
 *
 * One validation on the app's root does it for the whole app, once per synthesis.
 */
export class Clusters {
  /** The registry of the app that contains `scope`. */
  public static of(scope: IConstruct): Clusters {
    const root = scope.node.root as IConstruct & { [REGISTRY]?: Clusters };
    let registry = root[REGISTRY];
    if (!registry) {
      const created = new Clusters(root);
      Object.defineProperty(root, REGISTRY, { value: created, enumerable: false });
      root.node.addValidation({ validate: () => created.validate() });
      registry = created;
    }
    return registry;
  }

  private readonly groups: Group[] = [];
  private readonly releases: Release[] = [];
  private cache?: { readonly objects: readonly ApiObject[]; readonly errors: string[] };

  private constructor(private readonly root: IConstruct) {}

  /** Declares that `charts` (a stack's own and its siblings) go to the cluster `declaration` describes. */
  public declare(scope: IConstruct, declaration: ClusterDeclaration, charts: readonly Chart[]): void {
    this.groups.push({ scope, declaration, charts });
  }

  /** Registers a Helm release that `scope` installs; two releases of one name in one namespace of a cluster collide. */
  public addRelease(scope: IConstruct, namespace: string, name: string): void {
    this.releases.push({ scope, namespace, name });
  }

  /** The cluster a chart goes to, as a description for messages (`the app's cluster` for unclaimed charts). */
  private clusterOf(): (scope: IConstruct) => string {
    // Union of the stacks that are one cluster.
    const parent = this.groups.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    this.groups.forEach((a, i) => this.groups.forEach((b, j) => {
      if (j <= i) return;
      const { name: na, apiEndpoint: ea } = a.declaration;
      const { name: nb, apiEndpoint: eb } = b.declaration;
      const same = na !== undefined && nb !== undefined ? na === nb : ea !== undefined && ea === eb;
      if (same) parent[find(j)] = find(i);
    }));
    const byChart = new Map<Chart, string>();
    this.groups.forEach((g, i) => {
      const first = this.groups[find(i)];
      const label = first.declaration.name !== undefined ? `cluster "${first.declaration.name}"`
        : first.declaration.apiEndpoint !== undefined ? `the cluster at ${first.declaration.apiEndpoint}`
          : `the cluster of ${first.scope.node.path}`;
      for (const chart of g.charts) byChart.set(chart, label);
    });
    return (scope) => {
      let chart: IConstruct | undefined = Chart.of(scope);
      // A nested chart goes where its top-level chart goes.
      for (let c: IConstruct | undefined = chart; c && c !== this.root; c = c.node.scope) {
        if (Chart.isChart(c)) chart = c;
      }
      return byChart.get(chart as Chart) ?? 'the app\'s cluster';
    };
  }

  private validate(): string[] {
    const objects = this.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    // cdk8s validates the whole app again for every chart it writes: compute once per synthesis.
    if (this.cache && this.cache.objects.length === objects.length && this.cache.objects.every((o, i) => o === objects[i])) {
      return this.cache.errors;
    }
    const clusterOf = this.clusterOf();
    const errors: string[] = [];
    const items: Identified[] = [];
    for (const object of objects) {
      const json = object.toJson();
      for (const where of credentialPaths(json)) {
        errors.push(new ValidationError(object.node.path, where, '(a credential)',
          `no credential in a manifest (${object.kind} ${object.name}): ${WHERE_SECRETS_BELONG}`).message);
      }
      const namespace = CLUSTER_SCOPED.has(object.kind) ? '' : object.metadata.namespace ?? '';
      const group = object.apiGroup;
      items.push({
        key: `${clusterOf(object)}\0${group}\0${object.kind}\0${namespace}\0${object.name}`,
        path: object.node.path,
        describe: `${object.kind} ${namespace ? `${namespace}/` : ''}${object.name}`,
        content: stableJson(json),
        clusterScoped: namespace === '' && CLUSTER_SCOPED.has(object.kind),
        object,
      });
    }
    for (const release of this.releases) {
      items.push({
        key: `${clusterOf(release.scope)}\0helm\0release\0${release.namespace}\0${release.name}`,
        path: release.scope.node.path,
        describe: `Helm release ${release.namespace}/${release.name}`,
        // Two constructs for one release always collide: each writes its own values for it.
        content: release.scope.node.path,
        clusterScoped: false,
      });
    }

    const seen = new Map<string, Identified>();
    for (const item of items) {
      const first = seen.get(item.key);
      if (!first) {
        seen.set(item.key, item);
        continue;
      }
      if (first.content === item.content && item.clusterScoped) {
        // The same cluster-wide object twice: one copy is enough.
        item.object!.node.scope!.node.tryRemoveChild(item.object!.node.id);
        continue;
      }
      if (first.content === item.content && item.object) continue;
      const cluster = item.key.split('\0')[0];
      errors.push(new ValidationError(item.path, 'identity', item.describe,
        `an identity of its own in ${cluster}: ${first.path} also writes ${first.describe}`
        + `${item.object ? ' with different content' : ''}, and one would overwrite the other. Give one another name or `
        + 'namespace, or, if they are meant for different clusters, give their stacks different clusterName props').message);
    }
    this.cache = { objects: this.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)), errors };
    return errors;
  }
}

/** JSON with sorted keys, so that equal objects compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}
