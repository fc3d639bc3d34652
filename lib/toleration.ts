import { TaintEffect } from 'cdk8s-plus-28';
import { KubeToleration } from './model/k8s-shapes';
import { TaintEffectValue } from './model/runner-config';
import { renderRunnerTolerations, runnerTolerationEffect, runnerTolerationKey } from './render/runner-tolerations';
import { PropChecker } from './validation/prop-checker';

/** A toleration of a node taint. */
export interface Toleration {
  /** The taint's key. */
  readonly key: string;
  /**
   * The taint's value. With a value the toleration matches `key=value` (operator `Equal`);
   * without one it matches any value of `key` (operator `Exists`).
   * @default - any value
   */
  readonly value?: string;
  /**
   * The taint effect to tolerate.
   * @default - all effects
   */
  readonly effect?: TaintEffect;
  /**
   * How long a `NoExecute` taint is tolerated before eviction. Only for the manager pod:
   * the runner's `node_tolerations` cannot express it, so a job-pod toleration with it is an error.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

const EFFECTS = Object.values(TaintEffect) as string[];

function checkToleration(check: PropChecker, prop: string, t: Toleration): void {
  check.labelKey(`${prop}.key`, t?.key);
  if (t.value !== undefined && t.value !== '') check.labels(prop, { [t.key]: t.value });
  if (t.effect !== undefined) check.oneOf(`${prop}.effect`, t.effect as string, EFFECTS);
}

/**
 * Job-pod tolerations in the runner's `node_tolerations` format: `"key=value" = "Effect"` for
 * operator Equal and `"key" = "Effect"` for Exists; `""` tolerates every effect.
 */
export function toRunnerTolerations(check: PropChecker, prop: string, tolerations: readonly Toleration[]):
{ [keyAndValue: string]: TaintEffectValue } {
  const out: { [keyAndValue: string]: TaintEffectValue } = {};
  tolerations.forEach((t, i) => {
    const p = `${prop}[${i}]`;
    checkToleration(check, p, t);
    if (t.tolerationSeconds !== undefined) {
      check.fail(`${p}.tolerationSeconds`, t.tolerationSeconds,
        'no tolerationSeconds: the runner\'s node_tolerations map holds only key, value and effect');
    }
    const mapKey = runnerTolerationKey(t);
    if (mapKey in out && out[mapKey] !== runnerTolerationEffect(t)) {
      check.fail(p, t, `at most one effect per taint key and value in job-pod tolerations ("${mapKey}" is already "${out[mapKey]}"); omit effect to tolerate all effects`);
    }
    out[mapKey] = runnerTolerationEffect(t);
  });
  return renderRunnerTolerations(tolerations);
}

/** Manager-pod tolerations in Kubernetes form. */
export function toKubeTolerations(check: PropChecker, prop: string, tolerations: readonly Toleration[]): KubeToleration[] {
  return tolerations.map((t, i) => {
    const p = `${prop}[${i}]`;
    checkToleration(check, p, t);
    if (t.tolerationSeconds !== undefined) {
      check.integer(`${p}.tolerationSeconds`, t.tolerationSeconds, { min: 0 });
      if (t.effect !== TaintEffect.NO_EXECUTE) {
        check.fail(`${p}.tolerationSeconds`, t.tolerationSeconds, 'tolerationSeconds only with effect TaintEffect.NO_EXECUTE');
      }
    }
    return { ...kubeToleration(t), tolerationSeconds: t.tolerationSeconds };
  });
}

/** A toleration in Kubernetes form: operator Equal with a value, else Exists. */
export function kubeToleration(t: { readonly key: string; readonly value?: string; readonly effect?: TaintEffect }): KubeToleration {
  return { key: t.key, operator: t.value ? 'Equal' : 'Exists', value: t.value || undefined, effect: t.effect as KubeToleration['effect'] };
}
