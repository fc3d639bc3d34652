import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

// Symbol.for: two copies of this library in one app still share one synthesis.
const ACTIVE = Symbol.for('cdk8s-gitlab-runner.Synthesis');

interface Active {
  readonly json: Map<ApiObject, any>;
}

type Root = IConstruct & { [ACTIVE]?: Active };

/**
 * Runs `synthesize` as one synthesis of the output step. Within it the tree is complete and no
 * longer changes (only identical duplicates are dropped), so each Kubernetes object is rendered to
 * JSON once however many checks read it.
 */
export function inSynthesis<T>(root: IConstruct, synthesize: () => T): T {
  const r = root as Root;
  if (r[ACTIVE]) return synthesize();
  Object.defineProperty(r, ACTIVE, { value: { json: new Map() }, configurable: true, writable: true, enumerable: false });
  try {
    return synthesize();
  } finally {
    r[ACTIVE] = undefined;
  }
}

/** `object.toJson()`: once per synthesis of the output step, and on every call outside one (`app.synth()`). Do not mutate it. */
export function objectJson(object: ApiObject): any {
  const active = (object.node.root as Root)[ACTIVE];
  if (!active) return object.toJson();
  let json = active.json.get(object);
  if (json === undefined) active.json.set(object, json = object.toJson());
  return json;
}
