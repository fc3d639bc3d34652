import { RunnerManager } from '../runner-manager';
import { ValidationError } from '../validation/errors';
import { AppliedObject, APPLIED_RESOURCES } from './deploy-rbac';
import { ImageBuilder } from './image-builder';

/** What the pipeline's checks read of its runner, as plain data. */
export interface PipelineRunner {
  readonly path: string;
  readonly tags: string[];
  /** Whether its job containers run privileged. */
  readonly privileged: boolean;
  readonly jobPodPolicyPath: string;
  /** The name of its JobPodPolicy's security profile. */
  readonly securityProfile: string;
}

/** The runner's facts, read when the check runs (at synth). */
export function pipelineRunnerOf(runner: RunnerManager): PipelineRunner {
  return {
    path: runner.node.path,
    tags: runner.tags,
    privileged: runner.privileged,
    jobPodPolicyPath: runner.jobPodPolicy.node.path,
    securityProfile: runner.jobPodPolicy.securityProfile.name,
  };
}

/** The app's chart as the checks read it. */
export interface AppChart {
  readonly path: string;
  readonly namespace?: string;
}

/** Every object the deploy job applies is one its Role can cover: a known kind in the app's namespace. */
export function checkApplied(path: string, appChart: AppChart, objects: AppliedObject[], namespace: string): string[] {
  const errors: string[] = [];
  for (const obj of objects) {
    if (APPLIED_RESOURCES[obj.kind] === undefined) {
      errors.push(new ValidationError(path, 'app', obj.path, `an app chart (${appChart.path}) of only `
        + `${Object.keys(APPLIED_RESOURCES).join(', ')} objects: the deploy job applies the whole chart, and its Role covers those kinds; `
        + `${obj.kind} is not one of them`).message);
    } else if ((obj.namespace ?? appChart.namespace) !== namespace) {
      errors.push(new ValidationError(path, 'app', obj.path, `objects in the app's namespace "${namespace}" only: `
        + `the deploy job's Role is there, and ${obj.kind} ${obj.name} is in "${obj.namespace ?? appChart.namespace ?? '(none)'}"`).message);
    }
  }
  return errors;
}

/** The builder runs on the runner's job pods: DinD needs privileged ones, kaniko root. */
export function checkRunnerAllows(path: string, runner: PipelineRunner, builder: Pick<ImageBuilder, 'kind' | 'needsPrivileged'>): string[] {
  const profile = runner.securityProfile;
  const policy = runner.jobPodPolicyPath;
  if (builder.needsPrivileged && !runner.privileged) {
    return [new ValidationError(path, 'builder', builder.kind, `ImageBuilder.kaniko(), or a privileged runner: Docker-in-Docker runs a privileged `
      + `service container, and ${runner.path}'s JobPodPolicy ${policy} uses the ${profile} profile `
      + '(use JobSecurityProfile.privileged() there)').message];
  }
  if (!builder.needsPrivileged && profile === 'non-root') {
    return [new ValidationError(path, 'builder', builder.kind, `a runner whose jobs may run as root: kaniko builds as root, and ${policy} uses the non-root `
      + 'profile (use JobSecurityProfile.rootBuilder() there)').message];
  }
  return [];
}

/** A job tagged with a tag the runner lacks waits for another runner, forever if there is none. */
export function checkTags(path: string, runner: Pick<PipelineRunner, 'path' | 'tags'>, tags: string[]): string[] {
  const missing = tags.filter((t) => !runner.tags.includes(t));
  if (missing.length === 0) return [];
  return [new ValidationError(path, 'tags', tags, `tags of ${runner.path} (${runner.tags.length ? runner.tags.join(', ') : 'none'}): `
    + `GitLab gives a job only to a runner with all of its tags, and the runner lacks ${missing.join(', ')}`).message];
}
