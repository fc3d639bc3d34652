import { k8s } from 'cdk8s-plus-28';

/** What the deploy job's Role and its check read of an object in the app's chart, as plain data. */
export interface AppliedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Its construct path, which errors name. */
  readonly path: string;
  /** Its `metadata.namespace`, when set. */
  readonly namespace?: string;
}

/** The resource (plural) of each kind the deploy job may apply; a Role names resources, not kinds. */
export const APPLIED_RESOURCES: { readonly [kind: string]: string } = {
  Deployment: 'deployments', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets',
  ServiceAccount: 'serviceaccounts', Ingress: 'ingresses', HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets', NetworkPolicy: 'networkpolicies',
};

/** Client-side `kubectl apply`: get the object, then create it or patch it. */
const APPLY_VERBS = ['get', 'create', 'patch'];
/** `kubectl rollout status deployment/x`: get it, then list and watch it until it is rolled out. */
const ROLLOUT_VERBS = ['get', 'list', 'watch'];
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'patch'];

/**
 * The deploy job's Role rules: exactly what its kubectl commands do with the app's objects and the
 * pull Secret, one rule per API group and resource, in a stable order.
 */
export function deployRules(objects: Pick<AppliedObject, 'apiVersion' | 'kind'>[], pullSecretName: string): k8s.PolicyRule[] {
  const verbs = new Map<string, Set<string>>();
  const grant = (apiVersion: string, resource: string, add: string[]) => {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const key = `${group}/${resource}`;
    const set = verbs.get(key) ?? new Set<string>();
    add.forEach((v) => set.add(v));
    verbs.set(key, set);
  };
  for (const obj of objects) {
    const resource = APPLIED_RESOURCES[obj.kind];
    if (resource === undefined) continue; // refused by checkApplied
    grant(obj.apiVersion, resource, obj.kind === 'Deployment' ? [...APPLY_VERBS, ...ROLLOUT_VERBS] : APPLY_VERBS);
  }
  const rules: k8s.PolicyRule[] = [...verbs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, set]) => ({
    apiGroups: [key.split('/')[0]],
    resources: [key.split('/')[1]],
    verbs: VERB_ORDER.filter((v) => set.has(v)),
  }));
  // The pull Secret, piped from `kubectl create secret --dry-run=client` into `kubectl apply -f -`:
  // create cannot be limited by name; get and patch are, so the deployer reads no other Secret.
  rules.push(
    { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    { apiGroups: [''], resources: ['secrets'], resourceNames: [pullSecretName], verbs: ['get', 'patch'] },
  );
  return rules;
}
