import { PropChecker } from './prop-checker';
import { KnownStruct, PROPS_KEYS, PROPS_NESTED } from './props-keys';

// JavaScript callers get no compile-time check, so a misspelled prop would be ignored silently.
const SETS = new Map<KnownStruct, ReadonlySet<string>>();

function keysOf(struct: KnownStruct): ReadonlySet<string> {
  let set = SETS.get(struct);
  if (!set) SETS.set(struct, set = new Set<string>(PROPS_KEYS[struct]));
  return set;
}

/**
 * Checks a props or options object: an object (`undefined` passes unless `required`) whose every key
 * `struct` declares, and so on in every nested struct (`taints[1]`, `network`) that is a plain object.
 * `prop` is where the value sits (`options`, `network`), empty for a construct's own props. An
 * unknown key fails with its nearest known key, or with the list of known keys.
 */
export function checkProps(check: PropChecker, value: unknown, struct: KnownStruct, prop = '', required = false): void {
  if (value === undefined && !required) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    check.fail(prop || 'props', value, `an object with the props of ${struct} (${PROPS_KEYS[struct].join(', ')})`);
  }
  checkKeys(check, value as object, struct, prop);
}

/** Like `checkProps`, but only where `value` is a plain object: other values are left to the value's own checks. */
export function checkNoUnknownKeys(check: PropChecker, value: unknown, struct: KnownStruct, prop = ''): void {
  if (isPlainObject(value)) checkKeys(check, value, struct, prop);
}

function checkKeys(check: PropChecker, value: object, struct: KnownStruct, prop: string): void {
  const known = keysOf(struct);
  const at = (key: string) => (prop ? `${prop}.${key}` : key);
  for (const key of Object.keys(value)) {
    if (known.has(key)) continue;
    const near = nearest(key, PROPS_KEYS[struct]);
    check.fail(at(key), (value as { [key: string]: unknown })[key], near
      ? `a known prop: did you mean "${near}"? (${struct} has no "${key}", and an unknown prop would be ignored silently)`
      : `a known prop of ${struct}: ${PROPS_KEYS[struct].map((k) => `"${k}"`).join(', ')}`);
  }
  for (const [key, inner] of Object.entries(PROPS_NESTED[struct] ?? {})) {
    const v = (value as { [key: string]: unknown })[key];
    if (Array.isArray(v)) v.forEach((item, i) => checkNoUnknownKeys(check, item, inner, `${at(key)}[${i}]`));
    else checkNoUnknownKeys(check, v, inner, at(key));
  }
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The path a construct `id` will have under `scope`, for checks that run before `super()`. */
export function pathOf(scope: { readonly node: { readonly path: string } }, id: string): string {
  return scope?.node?.path ? `${scope.node.path}/${id}` : id;
}

/** The known key closest to `key` by edit distance (case-insensitive), if any is close enough to be a typo. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  // One edit per three characters, at least two: `concurent`, `nameserver`, `internetEgres`.
  const limit = Math.max(2, Math.floor(key.length / 3));
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    // The distance is at least the difference in length: such a key cannot be closer, or close enough.
    const gap = Math.abs(k.length - key.length);
    if (gap > limit || gap >= bestDistance) continue;
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
