// Strict Kubernetes 1.28 JSON-schema validation for tests.
// Schema: test/fixtures/k8s-1.28.0-definitions.json (see test/fixtures/SOURCES.md).
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, Format, ValidateFunction } from 'ajv';
import { cacheDir, inputHash, writeCacheFile } from './cache';

type Schema = { [key: string]: any };
interface GroupVersionKind { group: string; version: string; kind: string }

const SCHEMA_FILE = path.join(__dirname, '..', 'fixtures', 'k8s-1.28.0-definitions.json');
const SCHEMA_ID = 'k8s';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

// Kubernetes resource.Quantity grammar: signed decimal + binary SI, decimal SI or decimal exponent suffix.
const QUANTITY_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64_RE = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The formats the schema uses beyond Ajv's own; the cached validators require them from here. */
export const K8S_FORMATS: { readonly [name: string]: Format } = {
  'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  // Beyond 2^53 JS numbers lose precision anyway, so int64 only checks integrality.
  'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) },
  'double': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  'int-or-string': { type: 'number', validate: (n: number) => Number.isInteger(n) },
  'quantity': QUANTITY_RE,
  'byte': BASE64_RE,
  'date-time': RFC3339_RE,
};

/**
 * Compiling a validator takes most of a test file's first validation (~0.5 s for the kinds an app
 * writes); each compiled one is kept as Ajv standalone code in node_modules/.cache, under the hash
 * of the schema, this file and Ajv's version, so every later test file only requires it.
 */
const CACHE_DIR = cacheDir('k8s-validators');
let hashOfInputs: string | undefined;

/** The hash of everything a compiled validator depends on. */
export function validatorInputHash(read?: (file: string) => string): string {
  // Absolute paths: the cached code requires the formats from this file by its path.
  return inputHash([SCHEMA_FILE, __filename], ['ajv'], read);
}

/**
 * Sets `additionalProperties: false` on every schema node that declares `properties` but neither
 * `additionalProperties` nor `x-kubernetes-preserve-unknown-fields: true`, so that misspelled
 * fields are rejected (the published schema never closes objects). Mutates `node`.
 */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.properties && schema.additionalProperties === undefined
    && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    schema.additionalProperties = false;
  }
  // Walk only subschema positions: `properties` maps names to schemas (JSONSchemaProps has
  // properties literally named "properties"/"additionalProperties"), and x-* values are not schemas.
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      Object.values(value as Schema).forEach(closeObjects);
    } else if (['items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'not'].includes(key)) {
      closeObjects(value);
    }
  }
}

interface Loaded {
  ajv: Ajv;
  definitions: Record<string, Schema>;
  byGvk: Map<string, string>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  // Freshly parsed, so this is already our own deep copy to preprocess.
  const definitions: Record<string, Schema> = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')).definitions;
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    closeObjects(def);
    for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[]) {
      byGvk.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
    }
  }
  // Quantity is `oneOf [string, number]`; also check the string form against the k8s grammar.
  for (const branch of definitions[QUANTITY].oneOf as Schema[]) {
    if (branch.type === 'string') branch.format = 'quantity';
  }

  // Ajv itself loads only when a validator is not cached yet. strict: false so ajv ignores the
  // x-kubernetes-* vendor keywords instead of throwing; the source is kept for standalone code,
  // which requires the formats from this module.
  const { default: AjvClass, _ } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ allErrors: true, strict: false, code: { source: true, formats: _`require(${__filename}).K8S_FORMATS` } });
  for (const [name, format] of Object.entries(K8S_FORMATS)) ajv.addFormat(name, format);
  // Internal refs are `#/definitions/...`; they resolve against this schema's id.
  ajv.addSchema({ definitions }, SCHEMA_ID);

  loaded = { ajv, definitions, byGvk };
  return loaded;
}

const validators = new Map<string, ValidateFunction>();

/** Compiles the validator of a definition, without the cache. */
export function compileValidator(definitionName: string): ValidateFunction {
  const { ajv, definitions } = load();
  if (!(definitionName in definitions)) {
    // Throw rather than return an error: a typo in a test must not look like an expected failure.
    throw new Error(`unknown Kubernetes 1.28 definition: ${definitionName}`);
  }
  return ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${definitionName}` });
}

/** Where the compiled validator of a definition is cached for the current inputs. */
function cachedFile(name: string): string {
  hashOfInputs ??= validatorInputHash();
  return path.join(CACHE_DIR, `${hashOfInputs}-${name}.js`);
}

function validatorFor(definitionName: string): ValidateFunction {
  let validate = validators.get(definitionName);
  if (validate) return validate;
  const file = cachedFile(definitionName);
  // Always the cached code, also right after compiling it: what every later run uses is what is tested.
  if (!fs.existsSync(file)) {
    const standaloneCode: typeof import('ajv/dist/standalone').default = require('ajv/dist/standalone').default;
    writeCacheFile(file, standaloneCode(load().ajv, compileValidator(definitionName)));
  }
  validate = require(file) as ValidateFunction;
  validators.set(definitionName, validate);
  return validate;
}

let kinds: Map<string, string> | undefined;

/** `<group>/<version>/<kind>` -> definition name, cached as the validators are. */
function definitionOfKind(): Map<string, string> {
  if (kinds) return kinds;
  const file = cachedFile('kinds').replace(/\.js$/, '.json');
  if (fs.existsSync(file)) {
    kinds = new Map(JSON.parse(fs.readFileSync(file, 'utf8')));
  } else {
    kinds = load().byGvk;
    writeCacheFile(file, JSON.stringify([...kinds]));
  }
  return kinds;
}

/** One Ajv error as `<prefix>: <JSON pointer>: <message>`, naming an unknown field or the allowed values. */
export function formatError(prefix: string, e: ErrorObject): string {
  let pointer = e.instancePath;
  let message = e.message ?? e.keyword;
  if (e.keyword === 'additionalProperties') {
    const prop = (e.params as { additionalProperty: string }).additionalProperty;
    pointer += `/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    message += ` (${prop})`;
  } else if (e.keyword === 'enum') {
    message += `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return `${prefix}: ${pointer || '/'}: ${message}`;
}

function run(prefix: string, definitionName: string, value: unknown): string[] {
  const validate = validatorFor(definitionName);
  return validate(value) ? [] : (validate.errors ?? []).map(e => formatError(prefix, e));
}

/** Validates `value` against a named definition, e.g. 'io.k8s.api.core.v1.Toleration'. Empty = valid. */
export function validateDefinition(definitionName: string, value: unknown): string[] {
  return run(definitionName.split('.').pop()!, definitionName, value);
}

/**
 * Validates a Kubernetes object, choosing the definition by apiVersion and kind.
 * Returns human-readable errors ("Kind/name: /json/pointer: message"); empty = valid.
 */
export function validateManifest(obj: unknown): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    return [`manifest is not an object: ${JSON.stringify(obj)}`];
  }
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  const prefix = `${String(kind)}/${String(metadata?.name ?? '<unnamed>')}`;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [`${prefix}: apiVersion and kind must be strings`];
  }
  // Core group is "" (apiVersion "v1"); a malformed "a/b/c" apiVersion simply finds nothing.
  const groupVersion = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
  const definitionName = definitionOfKind().get(`${groupVersion}/${kind}`);
  if (!definitionName) {
    return [`${prefix}: unknown apiVersion/kind in Kubernetes 1.28: ${apiVersion} ${kind}`];
  }
  return run(prefix, definitionName, obj);
}

/** Jest helper: fails with every error of every object, so one run shows all problems. */
export function expectValidManifests(objs: unknown[]): void {
  expect(objs.flatMap(validateManifest)).toEqual([]);
}
