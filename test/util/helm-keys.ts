// Checks Helm values against the key tree of chart gitlab-runner 0.80.x (test/fixtures/helm-values-keys.json,
// copied from ../shared/reference). The chart ships no values schema, so a key it does not read
// would be ignored silently; here it is an error.
const tree = require('../fixtures/helm-values-keys.json');

/**
 * Keys whose value the chart copies verbatim into a Kubernetes object: their content is checked
 * against the named Kubernetes definition (an array of it when the name ends in `[]`), not the key tree.
 */
export const VERBATIM_KUBERNETES: { readonly [path: string]: string } = {
  'podSecurityContext': 'io.k8s.api.core.v1.PodSecurityContext',
  'securityContext': 'io.k8s.api.core.v1.SecurityContext',
  'resources': 'io.k8s.api.core.v1.ResourceRequirements',
  'tolerations': 'io.k8s.api.core.v1.Toleration[]',
  'affinity': 'io.k8s.api.core.v1.Affinity',
  'topologySpreadConstraints': 'io.k8s.api.core.v1.TopologySpreadConstraint[]',
  'imagePullSecrets': 'io.k8s.api.core.v1.LocalObjectReference[]',
  'deploymentLifecycle': 'io.k8s.api.core.v1.Lifecycle',
  'rbac.rules': 'io.k8s.api.rbac.v1.PolicyRule[]',
};

/** Free-form string maps the chart copies into labels, annotations or a node selector. */
const STRING_MAPS = ['nodeSelector', 'podLabels', 'podAnnotations', 'deploymentLabels', 'deploymentAnnotations',
  'serviceAccount.annotations'];

const UNDOCUMENTED: { [path: string]: { type: string } } = tree.undocumentedKeysReadByTemplates;

/** Every problem found in `values` (empty when chart 0.80 reads every key with the right type). */
export function checkHelmValues(
  values: unknown,
  validateKubernetes: (definition: string, value: unknown) => string[],
): string[] {
  return walk(values as { [key: string]: unknown }, tree.values, '', validateKubernetes);
}

function walk(values: { [key: string]: unknown }, node: unknown, prefix: string,
  validateKubernetes: (definition: string, value: unknown) => string[]): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) {
      errors.push(`${path}: null/undefined would replace the chart's default`);
      continue;
    }
    const verbatim = VERBATIM_KUBERNETES[path];
    if (verbatim) {
      const array = verbatim.endsWith('[]');
      const definition = verbatim.replace(/\[\]$/, '');
      if (array && !Array.isArray(value)) {
        errors.push(`${path}: expected a list of ${definition}`);
        continue;
      }
      for (const item of array ? value as unknown[] : [value]) {
        errors.push(...validateKubernetes(definition, item).map((e) => `${path}: ${e}`));
      }
      continue;
    }
    if (STRING_MAPS.includes(path)) {
      if (typeof value !== 'object' || Array.isArray(value) || Object.values(value as object).some((v) => typeof v !== 'string')) {
        errors.push(`${path}: expected a map of strings`);
      }
      continue;
    }
    const child = node !== null && typeof node === 'object' && !Array.isArray(node)
      ? (node as { [key: string]: unknown })[key] : undefined;
    if (child === undefined) {
      const undocumented = UNDOCUMENTED[path];
      if (!undocumented) errors.push(`${path}: chart 0.80 reads no such key`);
      else if (!leafTypeMatches(undocumented.type, value)) errors.push(`${path}: expected ${undocumented.type}`);
      continue;
    }
    if (child !== null && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length > 0) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${path}: expected an object`);
      } else {
        errors.push(...walk(value as { [key: string]: unknown }, child, path, validateKubernetes));
      }
      continue;
    }
    if (!leafTypeMatches(leafType(child), value)) {
      errors.push(`${path}: expected the type of ${JSON.stringify(child)}, got ${JSON.stringify(value)}`);
    }
  }
  return errors;
}

/** A leaf of the tree is a shipped default (its JSON type counts) or "<commented: TYPE>". */
function leafType(leaf: unknown): string {
  const commented = typeof leaf === 'string' ? /^<commented: (.+)>$/.exec(leaf) : null;
  return commented ? commented[1] : jsonType(leaf);
}

function leafTypeMatches(type: string, value: unknown): boolean {
  return type.split('|').some((t) => typeMatches(t.trim(), value));
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: string, value: unknown): boolean {
  if (type.startsWith('string')) return typeof value === 'string';
  if (type.startsWith('boolean')) return typeof value === 'boolean';
  if (type.startsWith('integer')) return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  return false;
}
