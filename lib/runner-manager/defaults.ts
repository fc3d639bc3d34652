/**
 * The library's one default for the manager's namespace, used by `RunnerManager`, the stacks and
 * `CiNodePool`: the chart's own name, so that nothing site-specific is assumed.
 */
export const DEFAULT_NAMESPACE = 'gitlab-runner';

/** The jobs' namespace for a manager namespace, when none is given: `<namespace>-jobs`. */
export function defaultJobNamespace(namespace: string): string {
  return `${namespace}-jobs`;
}
