// The numeric ranges the prop checks hold values to: Kubernetes' int32 fields, ports and NodePorts,
// and the numbers Helm prints through a template.

/** Kubernetes' int32 fields (replicas, ports, probe seconds, priorities) and the Unix uid/gid range end here. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Options for integer checks. Without `int64`, the bounds are clamped to int32: a forgotten `max`
 * still refuses a number no int32 field (and no uid) holds.
 */
export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
  /** The target is int64: bounds up to +/-`Number.MAX_SAFE_INTEGER`, the largest exact integers. */
  readonly int64?: boolean;
}

/** A port range, e.g. a cluster's `--service-node-port-range`. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** The API server's default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE: PortRange = { min: 30000, max: 32767 };

/** The effective bounds of a range and their description: ` from 1 to 100`, ` >= 1 and <= 2147483647 (int32)`. */
export function boundsOf(range: IntegerRange): { min: number; max: number; text: string } {
  const [lowest, highest, type] = range.int64 ? [-MAX_SAFE, MAX_SAFE, 'int64, exact'] : [INT32_MIN, INT32_MAX, 'int32'];
  // A bound beyond the type is our own mistake, not the caller's: say so at once.
  for (const bound of [range.min, range.max]) {
    if (bound !== undefined && !(bound >= lowest && bound <= highest)) {
      throw new Error(`IntegerRange bound ${bound} is outside ${type}; pass int64: true for an int64 target`);
    }
  }
  const min = range.min ?? lowest;
  const max = range.max ?? highest;
  if (range.min !== undefined && range.max !== undefined) return { min, max, text: ` from ${min} to ${max}` };
  return { min, max, text: ` >= ${min} and <= ${max} (${type})` };
}

/**
 * Helm reads a values file into float64, and text/template prints a float64 with fmt's %v, that is
 * strconv 'g' at the shortest precision, which switches to exponent form once the decimal exponent
 * reaches 6: 1000000 prints as "1e+06", 1234567 as "1.234567e+06" (go/src/strconv/ftoa.go,
 * formatDigits: `if shortest { eprec = 6 }`; go/src/fmt/print.go: 'v' is fmtFloat(v, 64, 'g', -1)).
 * Values the chart copies with `toYaml` are unaffected: sigs.k8s.io/yaml marshals through
 * encoding/json, which writes 'f' form below 1e21, and reads that back as an integer.
 */
export const HELM_PRINTED_MAX = 999999;

/**
 * The numeric values keys chart 0.80 prints with `{{ .Values.<key> }}` (dotted paths), and where;
 * test/numbers.test.ts proves the list against the chart's templates.
 */
export const HELM_PRINTED_NUMBERS: { readonly [valuesKey: string]: string } = {
  'replicas': 'templates/deployment.yaml',
  'concurrent': 'templates/configmap.yaml',
  'checkInterval': 'templates/configmap.yaml',
  'shutdown_timeout': 'templates/configmap.yaml',
  // After shutdown_timeout: derived from it when not set, so its own prop is named first.
  'terminationGracePeriodSeconds': 'templates/deployment.yaml',
  'metrics.port': 'templates/configmap.yaml, deployment.yaml, service.yaml',
};

/** The prop a printed values key comes from, and how, for the error message. */
export interface HelmValueSource {
  readonly prop: string;
  readonly how?: string;
}

/** A printed values key whose number Helm would print in exponent form. */
export interface HelmPrintedOverflow {
  readonly key: string;
  readonly value: number;
  /** The chart templates that print it. */
  readonly template: string;
}

/** The `HELM_PRINTED_NUMBERS` keys of `values` above `HELM_PRINTED_MAX` (either sign), in that table's order. */
export function helmPrintedOverflows(values: object): HelmPrintedOverflow[] {
  const overflows: HelmPrintedOverflow[] = [];
  for (const [key, template] of Object.entries(HELM_PRINTED_NUMBERS)) {
    const value = key.split('.').reduce<any>((o, k) => (o === null || typeof o !== 'object' ? undefined : o[k]), values);
    if (typeof value === 'number' && Math.abs(value) > HELM_PRINTED_MAX) overflows.push({ key, value, template });
  }
  return overflows;
}
