// Checks a config.toml against GitLab Runner v18.3.0's own key list (test/fixtures/runner-config-schema.json,
// copied from ../shared/reference): every key must exist in its table with the right TOML type,
// and enumerated keys must hold an allowed value. The runner itself ignores unknown keys silently.
import * as TOML from '@iarna/toml';

interface KeyEntry {
  readonly key: string;
  readonly shape: string;
  readonly table?: string;
  readonly allowed_values?: readonly unknown[];
}

// require, not import: the 220 KB JSON would otherwise become a huge inferred type.
const schema = require('../fixtures/runner-config-schema.json');
const TABLES: { [header: string]: { keys: KeyEntry[] } } = schema.tables;
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** The runner's key entry for `key` in the table with header `header`, if any. */
export function runnerKey(header: string, key: string): KeyEntry | undefined {
  return TABLES[header]?.keys.find((k) => k.key === key);
}

/** Every problem found in `toml` (empty when it is valid for runner 18.3.0). */
export function checkRunnerToml(toml: string): string[] {
  return checkRunnerTable('(root)', TOML.parse(toml) as { [key: string]: unknown });
}

/** Checks one parsed table against the runner table `header`. */
export function checkRunnerTable(header: string, table: { [key: string]: unknown }, path = ''): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(table)) {
    const where = path ? `${path}.${key}` : key;
    const entry = runnerKey(header, key);
    if (!entry) {
      errors.push(`${where}: no key "${key}" in ${header}`);
      continue;
    }
    const problem = shapeProblem(entry, value);
    if (problem) {
      errors.push(`${where}: ${problem}`);
      continue;
    }
    if (entry.allowed_values && !allowed(entry, value)) {
      errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(entry.allowed_values)}`);
    }
    if (entry.shape === 'sub-table') {
      errors.push(...checkRunnerTable(entry.table!, value as { [key: string]: unknown }, where));
    } else if (entry.shape === 'array of tables') {
      (value as { [key: string]: unknown }[]).forEach((item, i) => {
        errors.push(...checkRunnerTable(entry.table!, item, `${where}[${i}]`));
      });
    }
  }
  return errors;
}

function allowed(entry: KeyEntry, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.every((v) => entry.allowed_values!.includes(v));
}

const isTable = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const isArrayOf = (v: unknown, test: (x: unknown) => boolean) => Array.isArray(v) && v.every(test);
const isMapOf = (v: unknown, test: (x: unknown) => boolean) => isTable(v) && Object.values(v as object).every(test);
const isString = (v: unknown) => typeof v === 'string';
const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const isBool = (v: unknown) => typeof v === 'boolean';

const SHAPES: { [shape: string]: (v: unknown) => boolean } = {
  'string': isString,
  'int': isInt,
  'float': (v) => typeof v === 'number',
  'bool': isBool,
  'duration': (v) => isString(v) && GO_DURATION.test(v as string),
  'datetime': (v) => v instanceof Date,
  'string array': (v) => isArrayOf(v, isString),
  'string or string array': (v) => isString(v) || isArrayOf(v, isString),
  'int array': (v) => isArrayOf(v, isInt),
  'float array': (v) => isArrayOf(v, (x) => typeof x === 'number'),
  'map string->string': (v) => isMapOf(v, isString),
  'map string->int': (v) => isMapOf(v, isInt),
  'map string->bool': (v) => isMapOf(v, isBool),
  'map string->string array': (v) => isMapOf(v, (x) => isArrayOf(x, isString)),
  'map string->any': isTable,
  'sub-table': isTable,
  'array of tables': (v) => isArrayOf(v, isTable),
};

function shapeProblem(entry: KeyEntry, value: unknown): string | undefined {
  const test = SHAPES[entry.shape];
  if (!test) return `unknown shape "${entry.shape}" in the schema fixture`;
  return test(value) ? undefined : `expected ${entry.shape}, got ${JSON.stringify(value)}`;
}
