import { RunnerPermissionFeatures, managerPolicyRules } from '../lib/runner-permissions';

const DEFAULTS: RunnerPermissionFeatures = {
  printPodWarningEvents: true, namespacePerJob: false, informers: true, debugServices: false, featureFlags: {},
};

/** The rules as `resource -> verbs`. */
function verbs(features: Partial<RunnerPermissionFeatures> = {}): { [resource: string]: string[] } {
  const rules = managerPolicyRules({ ...DEFAULTS, ...features });
  for (const rule of rules) {
    expect(rule.apiGroups).toEqual(['']);
    expect(rule.resources).toHaveLength(1);
    expect(rule.verbs).not.toContain('*');
  }
  return Object.fromEntries(rules.map((r) => [r.resources[0], [...r.verbs]]));
}

describe('the manager\'s Kubernetes API rules, from the runner\'s permission table', () => {
  test('runner 18.3 defaults: attach strategy, informers, warning events', () => {
    expect(verbs()).toEqual({
      'events': ['list'],
      'pods': ['create', 'delete', 'get', 'list', 'watch'],
      'pods/attach': ['create', 'delete', 'get', 'patch'],
      'pods/exec': ['create', 'delete', 'get', 'patch'],
      'secrets': ['create', 'delete', 'get', 'update'],
      'serviceaccounts': ['get'],
      'services': ['create', 'get'],
    });
  });

  test.each<[string, Partial<RunnerPermissionFeatures>, { [resource: string]: string[] | undefined }]>([
    ['print_pod_warning_events off drops events list', { printPodWarningEvents: false }, { events: undefined }],
    ['FF_PRINT_POD_EVENTS adds events watch', { featureFlags: { FF_PRINT_POD_EVENTS: true } }, { events: ['list', 'watch'] }],
    ['namespace_per_job adds namespaces create and delete', { namespacePerJob: true }, { namespaces: ['create', 'delete'] }],
    ['no informers drops pods list, keeps watch for attach', { informers: false }, { pods: ['create', 'delete', 'get', 'watch'] }],
    ['the legacy exec strategy drops pods/attach and, without informers, pods watch',
      { informers: false, featureFlags: { FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: true } },
      { 'pods': ['create', 'delete', 'get'], 'pods/attach': undefined }],
    ['FF_KUBERNETES_HONOR_ENTRYPOINT adds pods/log get and list', { featureFlags: { FF_KUBERNETES_HONOR_ENTRYPOINT: true } }, { 'pods/log': ['get', 'list'] }],
    ['CI_DEBUG_SERVICES with the attach strategy adds pods/log get and list', { debugServices: true }, { 'pods/log': ['get', 'list'] }],
    ['CI_DEBUG_SERVICES with the legacy strategy adds nothing',
      { debugServices: true, featureFlags: { FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: true } }, { 'pods/log': undefined }],
    ['FF_WAIT_FOR_POD_TO_BE_REACHABLE adds pods/log get', { featureFlags: { FF_WAIT_FOR_POD_TO_BE_REACHABLE: true } }, { 'pods/log': ['get'] }],
  ])('%s', (_name, features, expected) => {
    const all = verbs(features);
    for (const [resource, list] of Object.entries(expected)) expect(all[resource]).toEqual(list);
  });
});
