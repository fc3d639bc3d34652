/** Options for `prune`. */
export interface PruneOptions {
  /** Also drop empty arrays and objects (after pruning their contents). */
  readonly dropEmpty?: boolean;
}

/**
 * Drops `undefined` (and `null`) values at every depth, so none becomes `key: null` in YAML:
 * for a Helm chart a `null` value deletes the chart's default instead of keeping it.
 */
export function prune<T>(value: T, options: PruneOptions = {}): T {
  const keep = (v: unknown) => v !== undefined && v !== null
    && !(options.dropEmpty && typeof v === 'object' && Object.keys(v as object).length === 0);
  if (Array.isArray(value)) {
    return value.map((v) => prune(v, options)).filter(keep) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) {
      const pruned = prune(v, options);
      if (keep(pruned)) out[k] = pruned;
    }
    return out as T;
  }
  return value;
}
