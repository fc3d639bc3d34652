// A small RBAC evaluator for the tests: which API requests a generated kubectl command makes, and
// whether the Roles and bindings we emit (plus Kubernetes' default ClusterRoles for every
// authenticated user) allow them. Facts, from kubectl's and the API server's behaviour:
// - client-side `kubectl apply -f`: per object, get it, then create it (not found) or patch it; never update;
// - `kubectl rollout status deployment/x`: get, then list and watch deployments;
// - `kubectl create … --dry-run=client -o yaml` makes no request; piped into `kubectl apply -f -` it is applied;
// - `kubectl cluster-info`: list services in kube-system (unless -n); `kubectl version`: GET /version;
//   `kubectl auth can-i`: create a selfsubjectaccessreview;
// - every command that resolves resource types reads discovery (/api, /apis) first;
// - a create request carries no name, so a rule with resourceNames never allows it.

/** One API request. */
export interface Request {
  readonly verb: string;
  /** A resource request: its API group ('' for the core group), resource, namespace (undefined: cluster-scoped) and name. */
  readonly group?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** A non-resource request, e.g. `/version`. */
  readonly path?: string;
  /** The command it comes from, for messages. */
  readonly command: string;
}

/** A Kubernetes object as synthesized (plain JSON). */
export type KubeObject = any;

/** Who runs a command: a ServiceAccount. */
export interface Identity {
  readonly namespace: string;
  readonly name: string;
}

interface Rule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
  readonly verbs: string[];
}

/** Kubernetes' bootstrap ClusterRoles bound to system:authenticated (every ServiceAccount). */
export const DEFAULT_CLUSTER_ROLES: { readonly [name: string]: readonly Rule[] } = {
  'system:discovery': [{
    nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
    verbs: ['get'],
  }],
  'system:basic-user': [
    { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  ],
  'system:public-info-viewer': [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }],
};

/** The kinds the scripts touch, as RBAC resources. */
const RESOURCES: { readonly [kind: string]: { group: string; resource: string } } = {
  Deployment: { group: 'apps', resource: 'deployments' },
  Service: { group: '', resource: 'services' },
  Secret: { group: '', resource: 'secrets' },
  ConfigMap: { group: '', resource: 'configmaps' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  Namespace: { group: '', resource: 'namespaces' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies' },
};

const TYPE_ALIASES: { readonly [type: string]: string } = {
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  service: 'Service', services: 'Service', svc: 'Service',
  secret: 'Secret', secrets: 'Secret',
};

const NAMESPACED_DEFAULT = 'default';

function discovery(command: string): Request[] {
  return [{ verb: 'get', path: '/api', command }, { verb: 'get', path: '/apis', command }];
}

function resourceOf(kind: string, command: string): { group: string; resource: string } {
  const found = RESOURCES[kind];
  if (!found) throw new Error(`${command}: the evaluator does not know the kind ${kind}; add it to test/util/rbac.ts`);
  return found;
}

/** The requests of applying `objects` client-side (`kubectl apply -f`), in `namespace` unless an object names its own. */
function applyRequests(objects: readonly KubeObject[], namespace: string | undefined, command: string): Request[] {
  return objects.flatMap((object) => {
    const { group, resource } = resourceOf(object.kind, command);
    const ns = object.kind === 'Namespace' ? undefined : object.metadata?.namespace ?? namespace ?? NAMESPACED_DEFAULT;
    const name = object.metadata?.name;
    return [
      { verb: 'get', group, resource, namespace: ns, name, command },
      // Whether it exists decides; the identity must be able to do both.
      { verb: 'create', group, resource, namespace: ns, command },
      { verb: 'patch', group, resource, namespace: ns, name, command },
    ];
  });
}

/** Splits a shell line into words, honouring single and double quotes; enough for the lines we generate. */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Flags that take a value, which is then not a positional argument. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '-f', '--filename', '-o', '--output', '--timeout', '-l', '--selector', '--context', '--kubeconfig']);

function positional(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (VALUE_FLAGS.has(args[i])) i++;
    else if (!args[i].startsWith('-')) out.push(args[i]);
  }
  return out;
}

function flag(args: string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${long}=`)) return args[i].slice(long.length + 1);
    if (args[i] === long || (short && args[i] === short)) return args[i + 1];
    if (short && args[i].startsWith(short) && args[i].length > short.length && !args[i].startsWith('--')) return args[i].slice(short.length);
  }
  return undefined;
}

/**
 * The API requests of one shell line's kubectl commands (pipelines `|` included). `files` gives the
 * objects of each file a `kubectl apply -f <file>` reads. A kubectl command the evaluator does not
 * know is an error, so that a new command cannot slip past the check.
 */
export function kubectlRequests(line: string, files: { readonly [file: string]: readonly KubeObject[] }): Request[] {
  if (!/\bkubectl\b/.test(line)) return [];
  const requests: Request[] = [];
  // What the previous command of a `|` pipeline printed, as objects.
  let piped: KubeObject[] | undefined;
  for (const segment of line.split(/\s*(?:\|\||&&|;)\s*/)) {
    piped = undefined;
    for (const stage of segment.split(/\s*\|\s*/)) {
      const argv = words(stage);
      const at = argv.indexOf('kubectl');
      if (at < 0) {
        piped = undefined;
        continue;
      }
      const args = argv.slice(at + 1);
      const command = stage.trim();
      const namespace = flag(args, '--namespace', '-n');
      const [sub, ...rest] = positional(args);
      const dryRunClient = args.some((a) => a === '--dry-run=client');
      if (sub === 'version') {
        requests.push({ verb: 'get', path: '/version', command });
        piped = undefined;
      } else if (sub === 'cluster-info') {
        requests.push(...discovery(command), { verb: 'list', group: '', resource: 'services', namespace: namespace ?? 'kube-system', command });
        piped = undefined;
      } else if (sub === 'auth' && rest[0] === 'can-i') {
        requests.push({ verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', command });
        piped = undefined;
      } else if (sub === 'create' && dryRunClient && flag(args, '--output', '-o') === 'yaml') {
        // Client-side: no request; the object goes down the pipe.
        const type = rest[0];
        const name = type === 'secret' ? rest[2] : rest[1];
        const kind = TYPE_ALIASES[type];
        if (!kind || !name) throw new Error(`${command}: the evaluator does not know this kubectl create`);
        requests.push(...discovery(command));
        piped = [{ kind, metadata: { name, namespace } }];
      } else if (sub === 'apply') {
        const file = flag(args, '--filename', '-f');
        if (file === undefined) throw new Error(`${command}: kubectl apply without -f`);
        let objects: readonly KubeObject[];
        if (file === '-') {
          if (!piped) throw new Error(`${command}: kubectl apply -f - reads a pipe the evaluator cannot follow`);
          objects = piped;
        } else {
          if (!(file in files)) throw new Error(`${command}: the evaluator was not told what ${file} holds`);
          objects = files[file];
        }
        if (args.some((a) => a === '--server-side')) throw new Error(`${command}: server-side apply is not modelled`);
        requests.push(...discovery(command), ...applyRequests(objects, namespace, command));
        piped = undefined;
      } else if (sub === 'rollout' && rest[0] === 'status') {
        const [type, name] = (rest[1] ?? '').split('/');
        if (TYPE_ALIASES[type] !== 'Deployment' || !name) throw new Error(`${command}: the evaluator models rollout status of a deployment/<name> only`);
        const ns = namespace ?? NAMESPACED_DEFAULT;
        requests.push(...discovery(command),
          { verb: 'get', group: 'apps', resource: 'deployments', namespace: ns, name, command },
          { verb: 'list', group: 'apps', resource: 'deployments', namespace: ns, command },
          { verb: 'watch', group: 'apps', resource: 'deployments', namespace: ns, command });
        piped = undefined;
      } else {
        throw new Error(`${command}: the evaluator does not know what this kubectl command requests; model it in test/util/rbac.ts`);
      }
    }
  }
  return requests;
}

function matches(list: readonly string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v === value);
}

function urlMatches(list: readonly string[] | undefined, path: string): boolean {
  return (list ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

function ruleAllows(rule: Rule, request: Request): boolean {
  if (!matches(rule.verbs, request.verb)) return false;
  if (request.path !== undefined) return urlMatches(rule.nonResourceURLs, request.path);
  if (!matches(rule.apiGroups, request.group!) || !matches(rule.resources, request.resource!)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return request.name !== undefined && rule.resourceNames.includes(request.name);
  return true;
}

/** The rules `identity` holds: from the RoleBindings and ClusterRoleBindings in `objects`, and the defaults for every authenticated user. */
export function rulesOf(identity: Identity, objects: readonly KubeObject[]): { rule: Rule; namespace?: string }[] {
  const bound = (binding: KubeObject) => (binding.subjects ?? []).some((s: any) => (s.kind === 'ServiceAccount'
      && s.name === identity.name && (s.namespace ?? binding.metadata.namespace) === identity.namespace)
    || (s.kind === 'Group' && ['system:authenticated', 'system:serviceaccounts', `system:serviceaccounts:${identity.namespace}`].includes(s.name)));
  const clusterRole = (name: string): readonly Rule[] => DEFAULT_CLUSTER_ROLES[name]
    ?? objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name)?.rules ?? [];
  const out: { rule: Rule; namespace?: string }[] = [];
  for (const rules of Object.values(DEFAULT_CLUSTER_ROLES)) out.push(...rules.map((rule) => ({ rule })));
  for (const binding of objects.filter((o) => o.kind === 'ClusterRoleBinding' && bound(o))) {
    out.push(...clusterRole(binding.roleRef.name).map((rule) => ({ rule })));
  }
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding' && bound(o))) {
    const ns = binding.metadata.namespace;
    const rules = binding.roleRef.kind === 'ClusterRole' ? clusterRole(binding.roleRef.name)
      : objects.find((o) => o.kind === 'Role' && o.metadata.name === binding.roleRef.name && o.metadata.namespace === ns)?.rules ?? [];
    out.push(...rules.map((rule: Rule) => ({ rule, namespace: ns })));
  }
  return out;
}

/** The requests `identity` may not make, given the RBAC objects in `objects`. */
export function denied(identity: Identity, requests: readonly Request[], objects: readonly KubeObject[]): Request[] {
  const rules = rulesOf(identity, objects);
  return requests.filter((request) => !rules.some(({ rule, namespace }) =>
    // A Role's rule applies in its namespace only, and never to cluster-scoped or non-resource requests.
    (namespace === undefined || (request.path === undefined && request.namespace === namespace)) && ruleAllows(rule, request)));
}

/** The rules `identity` holds in `namespace` that no request uses, as `verb group/resource` strings. */
export function unused(identity: Identity, requests: readonly Request[], objects: readonly KubeObject[], namespace: string): string[] {
  const out: string[] = [];
  for (const { rule, namespace: ns } of rulesOf(identity, objects)) {
    if (ns !== namespace) continue;
    for (const verb of rule.verbs) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          const names = rule.resourceNames && rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
          for (const name of names) {
            const used = requests.some((r) => r.verb === verb && r.group === group && r.resource === resource && r.namespace === ns
              && (name === undefined || r.name === name));
            if (!used) out.push(`${verb} ${group || 'core'}/${resource}${name ? `/${name}` : ''}`);
          }
        }
      }
    }
  }
  return out;
}
