import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The app's Kubernetes objects by kind, built with one tree walk. */
export interface ObjectIndex {
  /** The objects of `kind`, in tree order. */
  ofKind(kind: string): readonly ApiObject[];
}

// Symbol.for: two copies of this library in one app still share one index.
const INDEX = Symbol.for('cdk8s-gitlab-runner.ObjectIndex');

/**
 * The index of the app containing `scope`, built once per synthesis: cdk8s validates the whole app
 * once more for every chart it writes, and every check of that synthesis shares this one walk. A
 * synthesis is one synchronous run, so the index is dropped when it ends (the next microtask), and
 * a later synthesis of a grown tree builds a new one.
 */
export function objectIndex(scope: IConstruct): ObjectIndex {
  const root = scope.node.root as IConstruct & { [INDEX]?: ObjectIndex };
  const cached = root[INDEX];
  if (cached) return cached;
  const byKind = new Map<string, ApiObject[]>();
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    byKind.set(c.kind, [...byKind.get(c.kind) ?? [], c]);
  }
  const index: ObjectIndex = { ofKind: (kind) => byKind.get(kind) ?? [] };
  Object.defineProperty(root, INDEX, { value: index, configurable: true, writable: true, enumerable: false });
  void Promise.resolve().then(() => {
    if (root[INDEX] === index) root[INDEX] = undefined;
  });
  return index;
}

/**
 * A validation whose result is computed once per synthesis (per object index) and then repeated,
 * for `node.addValidation`: `validate()` returns the messages, it never throws.
 */
export function oncePerSynthesis(scope: IConstruct, compute: (index: ObjectIndex) => string[]): { validate(): string[] } {
  let last: { index: ObjectIndex; errors: string[] } | undefined;
  return {
    validate: () => {
      const index = objectIndex(scope);
      if (last?.index !== index) last = { index, errors: compute(index) };
      return last.errors;
    },
  };
}
