// The RBAC evaluator itself: each fact it models, and that it refuses what it does not model.
import { denied, kubectlRequests, unused } from './rbac';

const deployer = { namespace: 'app', name: 'deployer' };
const binding = { kind: 'RoleBinding', metadata: { name: 'deployer', namespace: 'app' }, roleRef: { kind: 'Role', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'app' }] };
const role = (rules: object[]) => ({ kind: 'Role', metadata: { name: 'deployer', namespace: 'app' }, rules });
const deployment = { kind: 'Deployment', metadata: { name: 'web', namespace: 'app' } };
const service = { kind: 'Service', metadata: { name: 'web' } };
const files = { 'web.yaml': [deployment, service] };
const least = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'create', 'patch'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets'], resourceNames: ['pull'], verbs: ['get', 'patch'] },
];
const SCRIPT = [
  'kubectl version',
  'kubectl create secret docker-registry pull --namespace=app --docker-server=r --dry-run=client -o yaml | kubectl apply -f -',
  'kubectl apply -f web.yaml -n app',
  'kubectl rollout status deployment/web --namespace=app --timeout=300s',
];
const requests = (lines: string[]) => lines.flatMap((l) => kubectlRequests(l, files));

describe('kubectlRequests', () => {
  test('client-side apply: get, then create or patch, per object, never update; the -n flag places unnamespaced objects', () => {
    const got = requests(['kubectl apply -f web.yaml -n app']).filter((r) => r.resource);
    expect(got.map((r) => `${r.verb} ${r.resource} ${r.namespace} ${r.name ?? '-'}`)).toEqual([
      'get deployments app web', 'create deployments app -', 'patch deployments app web',
      'get services app web', 'create services app -', 'patch services app web',
    ]);
  });

  test('a dry-run create piped into apply -f - applies the object it prints', () => {
    const got = requests([SCRIPT[1]]).filter((r) => r.resource);
    expect(got.map((r) => `${r.verb} ${r.resource} ${r.name ?? '-'}`)).toEqual(['get secrets pull', 'create secrets -', 'patch secrets pull']);
  });

  test('rollout status, cluster-info, version and auth can-i', () => {
    expect(requests([SCRIPT[3]]).filter((r) => r.resource).map((r) => r.verb)).toEqual(['get', 'list', 'watch']);
    expect(requests(['kubectl cluster-info']).filter((r) => r.resource)).toEqual([
      { verb: 'list', group: '', resource: 'services', namespace: 'kube-system', command: 'kubectl cluster-info' }]);
    expect(requests(['kubectl version'])).toEqual([{ verb: 'get', path: '/version', command: 'kubectl version' }]);
    expect(requests(['kubectl auth can-i patch deployments -n app'])[0].resource).toBe('selfsubjectaccessreviews');
  });

  test('what it does not model is an error, not a pass', () => {
    expect(() => requests(['kubectl delete pod x'])).toThrow(/does not know what this kubectl command requests/);
    expect(() => requests(['kubectl apply -f -'])).toThrow(/reads a pipe/);
    expect(() => requests(['kubectl apply -f other.yaml'])).toThrow(/was not told what other.yaml holds/);
    expect(() => requests(['kubectl apply --server-side -f web.yaml'])).toThrow(/server-side/);
    expect(requests(['echo done', 'sed s/a/b/ x > y'])).toEqual([]);
  });
});

describe('denied and unused', () => {
  test('the least-privilege Role allows the whole script, and nothing in it is unused', () => {
    const objects = [binding, role(least)];
    expect(denied(deployer, requests(SCRIPT), objects)).toEqual([]);
    expect(unused(deployer, requests(SCRIPT), objects, 'app')).toEqual([]);
  });

  test('discovery, /version and auth can-i come from the default ClusterRoles, with no binding at all', () => {
    expect(denied(deployer, requests(['kubectl version', 'kubectl auth can-i get pods -n app']), [])).toEqual([]);
  });

  test.each([
    ['cluster-info (lists Services in kube-system)', least, ['kubectl cluster-info'], 'list services kube-system'],
    ['update instead of patch', [{ ...least[0], verbs: ['get', 'list', 'watch', 'create', 'update'] }, ...least.slice(1)], [SCRIPT[2]], 'patch deployments app'],
    ['no list for rollout status', [{ ...least[0], verbs: ['get', 'watch', 'create', 'patch'] }, ...least.slice(1)], [SCRIPT[3]], 'list deployments app'],
    ['create limited by resourceNames (a create carries no name)', [least[0], least[1], { ...least[3], verbs: ['get', 'create', 'patch'] }], [SCRIPT[1]], 'create secrets app'],
    // The Deployment names its namespace (app); the Service takes -n.
    ['a Role in another namespace', least, ['kubectl apply -f web.yaml -n other'], 'get services other'],
  ])('planted: %s is denied', (_name, rules, lines, first) => {
    const got = denied(deployer, requests(lines), [binding, role(rules)]);
    expect(got.length).toBeGreaterThan(0);
    expect(`${got[0].verb} ${got[0].resource} ${got[0].namespace}`).toBe(first);
  });

  test('planted: a binding for another ServiceAccount grants nothing', () => {
    const other = { ...binding, subjects: [{ kind: 'ServiceAccount', name: 'someone-else', namespace: 'app' }] };
    expect(denied(deployer, requests([SCRIPT[2]]), [other, role(least)]).length).toBeGreaterThan(0);
  });

  test('planted: list and watch on Secrets, or update, are reported as unused', () => {
    const wide = [...least.slice(0, 2), { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'list', 'watch', 'update'] }, least[3]];
    expect(unused(deployer, requests(SCRIPT), [binding, role(wide)], 'app')).toEqual(['list core/secrets', 'watch core/secrets', 'update core/secrets']);
  });
});
