import { Yaml } from 'cdk8s';

/**
 * Drops `undefined` (and `null`) values at every depth, so none becomes `key: null` in YAML:
 * for a Helm chart a `null` value deletes the chart's default instead of keeping it.
 */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== undefined && v !== null).map((v) => prune(v)) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out[k] = prune(v);
    }
    return out as T;
  }
  return value;
}

/** Renders one YAML document, with an optional comment header (one `# ` line per entry). */
export function renderYaml(doc: object, header: readonly string[] = []): string {
  const comment = header.map((line) => (line ? `# ${line}` : '#')).join('\n');
  return (comment ? `${comment}\n` : '') + Yaml.stringify(prune(doc));
}
