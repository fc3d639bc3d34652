import type * as TOML from '@iarna/toml';
import { GLOBAL_SPEC, RUNNER_SPEC, RunnerConfig, RunnerEntry } from '../model/runner-config';
import { AnyTableSpec, nestedSpec, TableSpec, tomlKey } from '../model/toml-spec';

// Every synth writes TOML; only tests and checks read it back. The package's parser is most of it,
// so the writer is loaded alone and the whole package on the first parse.
const tomlStringify: typeof TOML.stringify = require('@iarna/toml/stringify.js');

type Json = { [key: string]: unknown };

/**
 * Maps a model table to its TOML keys, in the mapping table's order. Undefined values, empty
 * arrays and empty tables are dropped; keys of free-form maps are sorted so output does not
 * depend on the order props were written in.
 */
function toTomlTable<T>(spec: TableSpec<T> | AnyTableSpec, data: T): Json {
  const out: Json = {};
  for (const [field, fieldSpec] of Object.entries(spec) as [string, unknown][]) {
    const value = (data as Json)[field];
    if (value === undefined || value === null) continue;
    const nested = nestedSpec(fieldSpec);
    let mapped: unknown;
    if (nested && nested.array) {
      mapped = (value as unknown[]).map((item) => toTomlTable(nested.spec, item));
    } else if (nested) {
      mapped = toTomlTable(nested.spec, value);
    } else if (Array.isArray(value)) {
      mapped = [...value];
    } else if (typeof value === 'object') {
      mapped = Object.fromEntries(Object.entries(value as Json)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    } else {
      mapped = value;
    }
    if (isEmpty(mapped)) continue;
    out[tomlKey(fieldSpec)] = mapped;
  }
  return out;
}

/**
 * The inverse of `toTomlTable`: maps parsed TOML back to the model. A key the mapping table
 * does not know is an error, so a parse-back also proves no stray key was written.
 */
function fromTomlTable<T>(spec: TableSpec<T> | AnyTableSpec, json: Json, where = '(root)'): T {
  const byKey = new Map<string, [string, unknown]>();
  for (const [field, fieldSpec] of Object.entries(spec) as [string, unknown][]) {
    byKey.set(tomlKey(fieldSpec), [field, fieldSpec]);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(json)) {
    const entry = byKey.get(key);
    if (!entry) throw new Error(`unknown key "${key}" in ${where}`);
    const [field, fieldSpec] = entry;
    const nested = nestedSpec(fieldSpec);
    if (nested && nested.array) {
      out[field] = (value as Json[]).map((item) => fromTomlTable(nested.spec, item, `${where}.${key}[]`));
    } else if (nested) {
      out[field] = fromTomlTable(nested.spec, value as Json, `${where}.${key}`);
    } else if (Array.isArray(value)) {
      out[field] = [...value];
    } else if (value !== null && typeof value === 'object') {
      out[field] = { ...(value as Json) };
    } else {
      out[field] = value;
    }
  }
  return out as T;
}

/** A complete `config.toml`: global settings followed by the `[[runners]]` entries. */
export function renderRunnerConfig(config: RunnerConfig): string {
  const doc: Json = config.global ? toTomlTable(GLOBAL_SPEC, config.global) : {};
  doc.runners = config.runners.map((runner) => toTomlTable(RUNNER_SPEC, runner));
  return tomlStringify(doc as TOML.JsonMap);
}

/**
 * The runner template the Helm chart passes to `gitlab-runner register --template-config`:
 * exactly one `[[runners]]` entry and no global keys (register ignores them).
 */
export function renderRunnerTemplate(runner: RunnerEntry): string {
  return renderRunnerConfig({ runners: [runner] });
}

/** Parses a `config.toml` back into the model; unknown keys are errors. */
export function parseRunnerConfig(text: string): RunnerConfig {
  const json = (require('@iarna/toml') as typeof TOML).parse(text) as Json;
  const { runners, ...global } = json;
  const parsed: { global?: unknown; runners: RunnerEntry[] } = {
    runners: ((runners ?? []) as Json[]).map((runner) => fromTomlTable(RUNNER_SPEC, runner, '[[runners]]')),
  };
  if (Object.keys(global).length > 0) parsed.global = fromTomlTable(GLOBAL_SPEC, global);
  return parsed as RunnerConfig;
}

/**
 * Escapes text for the chart's `tpl` call on `runners.config`: every literal `{{` becomes the
 * template action `{{ "{{" }}`, which renders back to `{{`.
 */
export function escapeHelmTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
