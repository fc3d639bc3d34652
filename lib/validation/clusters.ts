import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { objectJson } from '../output/synthesis';

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
  readonly charts: readonly IConstruct[];
}

/** One cluster, as the charts' declarations resolve. */
interface Cluster {
  readonly id: string;
  /** For messages: `cluster "ci"`, `the cluster at 10.0.0.1/32:6443`. */
  readonly label: string;
  /** How to tell the library that two stacks go to different clusters, for messages. */
  readonly apart: string;
}

/** Something that exists once per cluster: an object's identity, a Helm release, a node port. */
interface Claim {
  readonly key: string;
  readonly cluster: Cluster;
  readonly path: string;
  readonly prop: string;
  readonly value: unknown;
  readonly describe: string;
  /** What the first claimant does with it, for messages: `writes`, `installs`, `uses`. */
  readonly verb: string;
  /**
   * Claims of one key with equal content are the same thing written twice, not a collision. A
   * function: an object's content (its sorted JSON) is computed only when another claims its key.
   */
  readonly content: () => string;
  readonly fix: string;
  /** Said of a colliding second claim, e.g. ` with different content`. */
  readonly differs: string;
  /** A cluster-scoped object, whose identical second copy is dropped. */
  readonly duplicate?: ApiObject;
}

const BY_NAME = 'if the stacks are applied to different clusters, give them different clusterName props';
/** Charts no stack claims: they go to one cluster, the app's. */
const APP_CLUSTER: Cluster = { id: 'app', label: 'the app\'s cluster (charts outside the stacks)', apart: '' };

// Symbol.for: two copies of this library in one app still share one registry.
const REGISTRY = Symbol.for('cdk8s-gitlab-runner.Clusters');

/**
 * Which charts go to which cluster, and the check that nothing collides there: within a cluster
 * any two Kubernetes objects (and any two Helm releases) with the same identity but different
 * content, and any two Services with one node port, are an error naming both construct paths;
 * identical duplicates of a cluster-scoped object are written once. Charts that no stack claims
 * share one cluster (the app's). Stacks are one cluster when they give the same `clusterName`, or,
 * when not both give one, the same Kubernetes API endpoint: private addresses repeat across
 * networks, a name does not.
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
  private cache?: { readonly objects: readonly ApiObject[]; readonly groups: number; readonly releases: number; readonly errors: string[] };

  private constructor(private readonly root: IConstruct) {}

  /** Declares that `charts` (a stack's own and its siblings) go to the cluster `declaration` describes. */
  public declare(scope: IConstruct, declaration: ClusterDeclaration, charts: readonly IConstruct[]): void {
    this.groups.push({ scope, declaration, charts });
  }

  /** Registers a Helm release that `scope` installs; two releases of one name in one namespace of a cluster collide. */
  public addRelease(scope: IConstruct, namespace: string, name: string): void {
    this.releases.push({ scope, namespace, name });
  }

  private validate(): string[] {
    const objects = this.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    // cdk8s validates the whole app again for every chart it writes (chart.toJson()): compute once
    // per synthesis. One synthesis is one synchronous run, so the result is dropped when it ends,
    // and sooner if the tree changed.
    const cache = this.cache;
    if (cache && cache.groups === this.groups.length && cache.releases === this.releases.length
      && cache.objects.length === objects.length && cache.objects.every((o, i) => o === objects[i])) {
      return cache.errors;
    }
    const removed = new Set<ApiObject>();
    const errors = this.compute(objects, removed);
    const entry = { objects: objects.filter((o) => !removed.has(o)), groups: this.groups.length, releases: this.releases.length, errors };
    this.cache = entry;
    void Promise.resolve().then(() => {
      if (this.cache === entry) this.cache = undefined;
    });
    return errors;
  }

  /** The check itself, linear in the objects: every claim is looked up once in a map. */
  private compute(objects: readonly ApiObject[], removed: Set<ApiObject>): string[] {
    const errors: string[] = [];
    const clusterOf = this.resolveClusters(errors);
    const claims: Claim[] = [];
    for (const object of objects) {
      const json = objectJson(object);
      const cluster = clusterOf(object);
      const clusterScoped = CLUSTER_SCOPED.has(object.kind);
      const namespace = clusterScoped ? '' : object.metadata.namespace ?? '';
      const identity = `${object.apiGroup}\0${object.kind}\0${namespace}\0${object.name}`;
      const describe = `${object.kind} ${namespace ? `${namespace}/` : ''}${object.name}`;
      claims.push({
        key: `${cluster.id}\0object\0${identity}`,
        cluster,
        path: object.node.path,
        prop: 'metadata.name',
        value: object.name,
        describe,
        verb: 'writes',
        differs: ' with different content',
        content: once(() => stableJson(json)),
        fix: `give one of them another name${clusterScoped ? '' : ' or namespace'}`,
        duplicate: clusterScoped ? object : undefined,
      });
      claims.push(...nodePortClaims(object, json, cluster, identity));
    }
    for (const release of this.releases) {
      const cluster = clusterOf(release.scope);
      claims.push({
        key: `${cluster.id}\0release\0${release.namespace}\0${release.name}`,
        cluster,
        path: release.scope.node.path,
        prop: 'releaseName',
        value: release.name,
        describe: `Helm release ${release.name} in namespace ${release.namespace}`,
        verb: 'installs',
        differs: '',
        // Two constructs for one release always collide: each writes its own values for it.
        content: () => release.scope.node.path,
        fix: 'give one of them another releaseName or namespace',
      });
    }

    const seen = new Map<string, Claim>();
    for (const claim of claims) {
      const first = seen.get(claim.key);
      if (!first) {
        seen.set(claim.key, claim);
        continue;
      }
      if (first.content() === claim.content()) {
        // The same cluster-wide object twice: one copy is enough. (A namespaced one is harmless twice.)
        if (claim.duplicate && claim.duplicate.node.scope?.node.tryRemoveChild(claim.duplicate.node.id)) removed.add(claim.duplicate);
        continue;
      }
      const apart = claim.cluster.apart ? `, or, ${claim.cluster.apart}` : '';
      errors.push(new ValidationError(claim.path, claim.prop, claim.value,
        `${claim.describe} of its own in ${claim.cluster.label}: ${first.path} also ${first.verb} ${first.describe}`
        + `${claim.differs}, and one would overwrite or break the other; ${claim.fix}${apart}`).message);
    }
    return errors;
  }

  /**
   * Maps each construct to its cluster: that of its nearest declared chart, else the app's. Named
   * stacks are one cluster per name. A stack without a name joins the cluster named at its API
   * endpoint; if stacks there give different names, which one it is applied to is unknown (an error).
   */
  private resolveClusters(errors: string[]): (scope: IConstruct) => Cluster {
    const clusters = new Map<string, Cluster>();
    const cluster = (id: string, label: string, apart: string): Cluster => {
      let found = clusters.get(id);
      if (!found) clusters.set(id, found = { id, label, apart });
      return found;
    };
    const named = (name: string) => cluster(`name\0${name}`, `cluster "${name}"`, BY_NAME);
    const namesAt = new Map<string, Map<string, string>>();
    for (const { scope, declaration: { name, apiEndpoint } } of this.groups) {
      if (name === undefined || apiEndpoint === undefined) continue;
      let names = namesAt.get(apiEndpoint);
      if (!names) namesAt.set(apiEndpoint, names = new Map());
      if (!names.has(name)) names.set(name, scope.node.path);
    }
    const declared = new Map<IConstruct, Cluster>();
    for (const { scope, declaration: { name, apiEndpoint }, charts } of this.groups) {
      let own: Cluster;
      if (name !== undefined) {
        own = named(name);
      } else if (apiEndpoint !== undefined) {
        const names = [...(namesAt.get(apiEndpoint) ?? new Map<string, string>()).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
        if (names.length === 1) {
          own = named(names[0][0]);
        } else {
          own = cluster(`endpoint\0${apiEndpoint}`, `the cluster at ${apiEndpoint}`,
            'if the address is another cluster\'s in another network, give the stacks different clusterName props');
          if (names.length > 1) {
            errors.push(new ValidationError(scope.node.path, 'clusterName', undefined,
              `a clusterName: stacks at its Kubernetes API endpoint ${apiEndpoint} name different clusters `
              + `(${names.map(([n, path]) => `"${n}" at ${path}`).join(', ')}), so which one this stack is applied to is unknown`).message);
          }
        }
      } else {
        own = cluster(`stack\0${scope.node.path}`, `the cluster of ${scope.node.path}`, '');
      }
      for (const chart of charts) declared.set(chart, own);
    }
    // Each construct is looked up once: the walk up stops at the first construct already resolved.
    const resolved = new Map<IConstruct, Cluster>(declared);
    return (scope) => {
      const walked: IConstruct[] = [];
      let at: IConstruct | undefined = scope;
      let found: Cluster | undefined;
      while (at && !(found = resolved.get(at))) {
        walked.push(at);
        at = at.node.scope;
      }
      const result = found ?? APP_CLUSTER;
      for (const c of walked) resolved.set(c, result);
      return result;
    };
  }
}

/** A Service's node ports: each is one port on every node of the cluster, for one Service only. */
function nodePortClaims(object: ApiObject, json: any, cluster: Cluster, identity: string): Claim[] {
  if (object.kind !== 'Service' || !Array.isArray(json?.spec?.ports)) return [];
  return (json.spec.ports as { nodePort?: unknown }[]).flatMap((port, i) => (typeof port?.nodePort !== 'number' ? [] : [{
    key: `${cluster.id}\0nodePort\0${port.nodePort}`,
    cluster,
    path: object.node.path,
    prop: `spec.ports[${i}].nodePort`,
    value: port.nodePort,
    describe: `node port ${port.nodePort}`,
    verb: 'uses',
    differs: '',
    // The same Service written twice claims its port once.
    content: () => identity,
    fix: 'give one of them another node port (CalculatorApp\'s port, a stack\'s appPort)',
  }]));
}

/** `f`, computed on the first call only. */
function once(f: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= f());
}

/** JSON with sorted keys, so that equal objects compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}
