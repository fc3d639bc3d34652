import { HelmRbacRule } from './model/helm-values';

/** The runner features that change which Kubernetes API verbs the manager needs. */
export interface RunnerPermissionFeatures {
  /** `print_pod_warning_events` (runner default true). */
  readonly printPodWarningEvents: boolean;
  /** `namespace_per_job`. */
  readonly namespacePerJob: boolean;
  /** Let the runner watch pods through informers (runner 17.9+) instead of polling. */
  readonly informers: boolean;
  /** Jobs may set `CI_DEBUG_SERVICES` to stream service containers' logs. */
  readonly debugServices: boolean;
  /** The `[runners.feature_flags]` table. */
  readonly featureFlags: { readonly [flag: string]: boolean };
}

/** Runner v18.3 defaults of the flags the permission table depends on. */
const FLAG_DEFAULTS: { readonly [flag: string]: boolean } = {
  FF_PRINT_POD_EVENTS: false,
  FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: false,
  FF_KUBERNETES_HONOR_ENTRYPOINT: false,
  FF_WAIT_FOR_POD_TO_BE_REACHABLE: false,
};

/**
 * The rules the runner manager needs in the jobs' namespace, derived from the runner's
 * permission table ("Configure runner API permissions", runner v18.3): the always-needed verbs
 * plus each optional verb only when its feature is on. Core API group only; never `*`.
 */
export function managerPolicyRules(features: RunnerPermissionFeatures): HelmRbacRule[] {
  const flag = (name: string) => features.featureFlags[name] ?? FLAG_DEFAULTS[name];
  const attach = !flag('FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY');
  const honorEntrypoint = flag('FF_KUBERNETES_HONOR_ENTRYPOINT');

  const verbs: { [resource: string]: (string | false)[] } = {
    'events': [features.printPodWarningEvents && 'list', flag('FF_PRINT_POD_EVENTS') && 'watch'],
    'namespaces': [features.namespacePerJob && 'create', features.namespacePerJob && 'delete'],
    'pods': ['create', 'delete', 'get', features.informers && 'list',
      (features.informers || honorEntrypoint || attach) && 'watch'],
    'pods/attach': [attach && 'create', attach && 'delete', attach && 'get', attach && 'patch'],
    'pods/exec': ['create', 'delete', 'get', 'patch'],
    // Service logs (CI_DEBUG_SERVICES) are read through pods/log only with the attach strategy.
    'pods/log': [
      (honorEntrypoint || (attach && features.debugServices) || flag('FF_WAIT_FOR_POD_TO_BE_REACHABLE')) && 'get',
      (honorEntrypoint || (attach && features.debugServices)) && 'list',
    ],
    'secrets': ['create', 'delete', 'get', 'update'],
    'serviceaccounts': ['get'],
    'services': ['create', 'get'],
  };

  return Object.entries(verbs)
    .map(([resource, list]) => ({
      apiGroups: [''],
      resources: [resource],
      verbs: list.filter((v): v is string => typeof v === 'string').sort(),
    }))
    .filter((rule) => rule.verbs.length > 0);
}
