import { TaintEffectValue } from '../model/runner-config';

/** A toleration as the renderers read it: a key, an optional value (operator Equal) and an optional effect. */
export interface TolerationSpec {
  readonly key: string;
  readonly value?: string;
  readonly effect?: string;
}

/** The runner's `node_tolerations` map key: `key=value` for operator Equal, `key` for Exists. */
export function runnerTolerationKey(t: TolerationSpec): string {
  return t.value ? `${t.key}=${t.value}` : t.key;
}

/** The runner's `node_tolerations` map value: the effect, `""` for every effect. */
export function runnerTolerationEffect(t: TolerationSpec): TaintEffectValue {
  return (t.effect ?? '') as TaintEffectValue;
}

/** Job-pod tolerations in the runner's `node_tolerations` format: `"key=value" = "Effect"`, `"key" = "Effect"`. */
export function renderRunnerTolerations(tolerations: readonly TolerationSpec[]): { [keyAndValue: string]: TaintEffectValue } {
  return Object.fromEntries(tolerations.map((t) => [runnerTolerationKey(t), runnerTolerationEffect(t)]));
}
