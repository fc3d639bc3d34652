import { describeCapacity, PoolCapacity } from '../ci-node-pool';
import { isStricter } from '../pod-security';
import { ValidationError } from '../validation/errors';
import { ResolvedRunnerSettings } from './settings';

/** What one cross-construct check found: errors fail the synth, warnings are recorded. */
export interface CheckOutcome {
  readonly errors: string[];
  readonly warnings: string[];
}

function error(s: ResolvedRunnerSettings, prop: string, value: unknown, expected: string): string {
  return new ValidationError(s.path, prop, value, expected).message;
}

/**
 * Configured jobs (`replicas × concurrent`, bounded by `limit`) against what the node pool fits:
 * beyond the requests basis, job pods wait Pending until `poll_timeout` fails them.
 */
export function assessCapacity(s: ResolvedRunnerSettings, capacity: PoolCapacity | undefined): CheckOutcome {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!capacity) {
    if (s.overCommit) {
      warnings.push('overCommit has no effect: without a nodePool whose size is given (nodes, nodeCpu and nodeMemory), '
        + 'no capacity is checked, so there is nothing to over-commit');
    }
    return { errors, warnings };
  }
  const configured = s.configuredJobs;
  const limited = s.jobsPerManager < s.concurrent;
  const how = `${s.replicas} replicas × ${s.jobsPerManager} jobs${limited ? ' (limit)' : ''} = ${configured} concurrent jobs`;
  if (configured > capacity.requests.jobs) {
    const message = `${how}, but ${describeCapacity(capacity, 'requests')}; the other job pods stay Pending until pollTimeout fails them`;
    if (!s.overCommit) {
      errors.push(error(s, 'concurrent', configured, `at most ${capacity.requests.jobs} jobs in all (${message}). `
        + 'Lower replicas, concurrent or limit, grow the pool, lower the job requests, or set overCommit: true'));
    } else {
      warnings.push(`over-commit: ${message}`);
    }
  } else if (configured > capacity.limits.jobs) {
    warnings.push(`${how} fit by requests but not by limits: ${describeCapacity(capacity, 'limits')}; `
      + 'jobs that use their limits at once will be throttled or OOM-killed');
  }
  return { errors, warnings };
}

/**
 * The jobs' namespace level (given, or that of the shared `namespaces`) must admit the job pods,
 * whose level the `JobPodPolicy` alone decides.
 */
export function assessJobNamespaceLevel(s: ResolvedRunnerSettings): string[] {
  const needs = s.jobPodPolicy.podSecurity;
  const reason = `${s.jobPodPolicy.node.path}: ${needs.reason}`;
  const errors: string[] = [];
  if (s.jobNamespacePodSecurityGiven && isStricter(s.jobNamespacePodSecurity, needs.level)) {
    errors.push(error(s, 'jobNamespacePodSecurity', s.jobNamespacePodSecurity,
      `"${needs.level}" or less strict: job pods would be rejected, since ${reason}`));
  }
  const shared = s.namespaces;
  if (shared && isStricter(shared.jobNamespacePodSecurity, needs.level)) {
    errors.push(error(s, 'namespaces', shared.node.path, `namespaces whose jobs' namespace "${shared.jobNamespace}" admits this manager's `
      + `job pods: it enforces "${shared.jobNamespacePodSecurity}" where they need "${needs.level}", since ${reason}`));
  }
  return errors;
}
