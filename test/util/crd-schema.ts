// Strict validation of custom resources against their CustomResourceDefinitions, for tests.
// CRDs: test/fixtures/crds/*.yaml, upstream files copied verbatim (see test/fixtures/SOURCES.md).
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { RegExpEngine } from 'ajv/dist/types';
import { formatError, validateDefinition, validateManifest } from './k8s-schema';

type Schema = { [key: string]: any };

const CRD_DIR = path.join(__dirname, '..', 'fixtures', 'crds');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The YAML library cdk8s bundles, resolved from cdk8s's own directory (it is not a dependency of
 * ours). Parsed as YAML 1.1, as `Yaml.load` and the Kubernetes API machinery read files.
 */
const YAML: { parseAllDocuments(text: string, options: object): { toJSON(): unknown; errors: { message: string }[] }[] } =
  require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));

/** One served version of one CRD. */
interface CrdVersion {
  readonly file: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: Schema;
}

/**
 * Makes a CRD schema strict, as the API server's pruning and strict field validation are: every
 * object schema that declares neither `additionalProperties` nor
 * `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false` (fields it does not
 * declare would be pruned, so writing them is a mistake), and `x-kubernetes-int-or-string` nodes
 * without their own type accept exactly an integer or a string. Mutates `node`.
 */
function makeStrict(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(makeStrict);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  const isObject = schema.properties !== undefined || schema.type === 'object';
  if (isObject && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    schema.additionalProperties = false;
  }
  if (schema['x-kubernetes-int-or-string'] === true && schema.type === undefined && schema.anyOf === undefined) {
    schema.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // Walk only subschema positions: `properties` maps names to schemas, and x-* values are not schemas.
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      Object.values(value as Schema).forEach(makeStrict);
    } else if (['items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'not'].includes(key)) {
      makeStrict(value);
    }
  }
}

/**
 * CRD patterns are Go RE2 expressions. The only construct in ours JavaScript lacks is a leading
 * case-insensitivity flag (`^(?i)(abort|warn)?$`); it becomes the `i` flag. Anything else JavaScript
 * cannot compile throws at schema compile time, loudly, rather than passing silently.
 */
const goRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    const m = /^(\^?)\(\?i\)/.exec(pattern);
    return m ? new RegExp(m[1] + pattern.slice(m[0].length), `${flags}i`) : new RegExp(pattern, flags);
  },
  { code: 'goRegExp' },
);

interface Loaded {
  readonly ajv: Ajv;
  /** `group/version/Kind` -> the version's schema. */
  readonly versions: Map<string, CrdVersion>;
  readonly validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function parseYaml(file: string): unknown[] {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' });
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  return docs.map((d) => d.toJSON()).filter((d) => d !== null && d !== undefined);
}

function load(): Loaded {
  if (loaded) return loaded;
  const versions = new Map<string, CrdVersion>();
  for (const name of fs.readdirSync(CRD_DIR).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = path.join(CRD_DIR, name);
    for (const doc of parseYaml(file) as Schema[]) {
      if (doc.kind !== 'CustomResourceDefinition') continue;
      if (doc.apiVersion !== 'apiextensions.k8s.io/v1') throw new Error(`${file}: only apiextensions.k8s.io/v1 CRDs are supported`);
      const { group, names, scope } = doc.spec;
      for (const version of doc.spec.versions as Schema[]) {
        if (!version.served) continue;
        const key = `${group}/${version.name}/${names.kind}`;
        if (versions.has(key)) throw new Error(`${file}: ${key} is defined twice (also in ${versions.get(key)!.file})`);
        // Freshly parsed, so this is already our own copy to make strict.
        const schema = version.schema.openAPIV3Schema as Schema;
        makeStrict(schema);
        // metadata is `type: object` in every CRD; it is checked against ObjectMeta separately.
        schema.properties.metadata = { type: 'object' };
        versions.set(key, { file: name, scope, schema });
      }
    }
  }

  // strict: false so ajv ignores the remaining x-kubernetes-* vendor keywords instead of throwing.
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: goRegExp } });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  // The API server rejects two items with the same keys in a `map` list (e.g. two rule groups of one name).
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-map-keys',
    type: 'array',
    schemaType: 'array',
    errors: true,
    validate: function uniqueMapKeys(keys: string[], data: unknown[]): boolean {
      const seen = new Set<string>();
      for (const [index, item] of data.entries()) {
        const id = JSON.stringify(keys.map((k) => (item as Schema | null)?.[k] ?? null));
        if (seen.has(id)) {
          (uniqueMapKeys as unknown as { errors: Partial<ErrorObject>[] }).errors = [{
            keyword: 'x-kubernetes-list-map-keys',
            message: `must not repeat the key (${keys.join(', ')}) = ${id} (item ${index})`,
            params: { keys },
          }];
          return false;
        }
        seen.add(id);
      }
      return true;
    },
  });
  loaded = { ajv, versions, validators: new Map() };
  return loaded;
}

function validatorFor(key: string): ValidateFunction | undefined {
  const { ajv, versions, validators } = load();
  const version = versions.get(key);
  if (!version) return undefined;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(version.schema);
    validators.set(key, validate);
  }
  return validate;
}

/** The `group/version/Kind` keys of every served CRD version in the fixtures. */
export function customResourceKinds(): string[] {
  return [...load().versions.keys()].sort();
}

/**
 * Validates a custom resource against the served version of its CRD in `test/fixtures/crds`, found
 * by apiVersion (group/version) and kind. Unknown fields are errors; `metadata` is validated against
 * the Kubernetes 1.28 ObjectMeta and must carry a DNS-1123 subdomain `name` (and, for namespaced
 * kinds, any `namespace` must be a DNS-1123 label). Returns "Kind/name: /json/pointer: message"
 * errors; empty = valid.
 */
export function validateCustomResource(obj: unknown): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    return [`custom resource is not an object: ${JSON.stringify(obj)}`];
  }
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: Schema };
  const name = metadata && typeof metadata === 'object' ? metadata.name : undefined;
  const prefix = `${String(kind)}/${String(name ?? '<unnamed>')}`;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [`${prefix}: apiVersion and kind must be strings`];
  }
  const key = `${apiVersion}/${kind}`;
  const validate = apiVersion.split('/').length === 2 ? validatorFor(key) : undefined;
  if (!validate) {
    return [`${prefix}: no CRD in test/fixtures/crds serves ${apiVersion} ${kind}`];
  }
  const errors = validate(obj) ? [] : (validate.errors ?? []).map((e) => formatError(prefix, e));
  if (metadata === undefined || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    errors.push(`${prefix}: /metadata: must be an object with a name`);
    return errors;
  }
  for (const error of validateDefinition(OBJECT_META, metadata)) {
    // "ObjectMeta: /labels/x: message" or "ObjectMeta: /: message" -> "<prefix>: /metadata/labels/x: message"
    const rest = error.slice(error.indexOf(': ') + 2);
    errors.push(`${prefix}: /metadata${rest.startsWith('/: ') ? rest.slice(1) : rest}`);
  }
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    errors.push(`${prefix}: /metadata/name: must be a DNS-1123 subdomain`);
  }
  const namespace = metadata.namespace;
  if (load().versions.get(key)!.scope === 'Cluster') {
    if (namespace !== undefined) errors.push(`${prefix}: /metadata/namespace: must not be set on a cluster-scoped kind`);
  } else if (namespace !== undefined && (typeof namespace !== 'string' || namespace.length > 63 || !DNS_LABEL.test(namespace))) {
    errors.push(`${prefix}: /metadata/namespace: must be a DNS-1123 label`);
  }
  return errors;
}

/**
 * Validates any object we synthesize: kinds of a group that has a CRD in the fixtures (such as
 * `monitoring.coreos.com`) against that CRD, everything else against the Kubernetes 1.28 schema.
 */
export function validateAnyObject(obj: unknown): string[] {
  const apiVersion = (obj as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion === 'string' && apiVersion.includes('/')) {
    const group = apiVersion.split('/')[0];
    if (customResourceKinds().some((k) => k.startsWith(`${group}/`))) return validateCustomResource(obj);
  }
  return validateManifest(obj);
}
