/**
 * A mapping table from a camelCase model interface to the TOML keys the runner reads.
 *
 * The type forces one entry per model field: scalars, arrays of scalars and free-form maps
 * (`node_selector`, `feature_flags`) map to their key name; sub-tables and arrays of tables map
 * to `{ key, table }` / `{ key, tables }` with the nested table's own spec.
 */
export type TableSpec<T> = { readonly [K in keyof Required<T>]-?: FieldSpec<NonNullable<T[K]>> };

/** A mapping table of any model, for code that walks tables generically. */
export type AnyTableSpec = { readonly [field: string]: unknown };

/** How one model field maps to TOML. */
export type FieldSpec<V> =
  V extends readonly (infer E)[]
    ? (E extends object ? TablesField<E> : string)
    : V extends object
      ? (string extends keyof V ? string : SubTableField<V>)
      : string;

/** A field rendered as a TOML sub-table `[parent.key]`. */
export interface SubTableField<T> {
  readonly key: string;
  readonly table: TableSpec<T>;
}

/** A field rendered as an array of tables `[[parent.key]]`. */
export interface TablesField<T> {
  readonly key: string;
  readonly tables: TableSpec<T>;
}

/** The TOML key of a field spec. */
export function tomlKey(field: unknown): string {
  return typeof field === 'string' ? field : (field as { key: string }).key;
}

/** The nested table spec of a field, if it is a table or an array of tables. */
export function nestedSpec(field: unknown): { spec: AnyTableSpec; array: boolean } | undefined {
  if (typeof field === 'string') return undefined;
  const f = field as { table?: AnyTableSpec; tables?: AnyTableSpec };
  if (f.table) return { spec: f.table, array: false };
  if (f.tables) return { spec: f.tables, array: true };
  return undefined;
}
