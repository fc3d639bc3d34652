import { deployRules } from '../../lib/calculator-pipeline/deploy-rbac';

const PULL_SECRET_RULES = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets'], resourceNames: ['acr-secret'], verbs: ['get', 'patch'] },
];

describe('deployRules', () => {
  test('apply verbs per resource, rollout verbs for Deployments, grouped by API group and sorted; the pull Secret last, by name', () => {
    const rules = deployRules([
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
    ], 'acr-secret');
    expect(rules).toEqual([
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'create', 'patch'] },
      ...PULL_SECRET_RULES,
    ]);
  });

  test('one rule per resource however many objects of it; a kind without a known resource gets none', () => {
    const rules = deployRules([
      { apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'ResourceQuota' },
    ], 'acr-secret');
    expect(rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'patch'] }, ...PULL_SECRET_RULES]);
  });

  test('an app Secret is applied like any object; the pull Secret stays limited by name', () => {
    expect(deployRules([{ apiVersion: 'v1', kind: 'Secret' }], 'pull')).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['pull'], verbs: ['get', 'patch'] },
    ]);
  });

  test('no objects: only the pull Secret', () => {
    expect(deployRules([], 'acr-secret')).toEqual(PULL_SECRET_RULES);
  });
});
