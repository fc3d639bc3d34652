/**
 * The one error type for bad input: it names the construct path, the property, the bad value
 * and what would be valid, so a failed synth points straight at the line to fix.
 */
export class ValidationError extends Error {
  /** Path of the construct that received the value, e.g. `internal/Runner`. */
  public readonly constructPath: string;
  /** The property, dotted for nested values, e.g. `buildResources.cpu.limit`. */
  public readonly prop: string;
  /** The value received. */
  public readonly value: unknown;
  /** What a valid value looks like. */
  public readonly expected: string;

  constructor(constructPath: string, prop: string, value: unknown, expected: string) {
    super(`${constructPath}: invalid ${prop}: got ${describeValue(value)}; expected ${expected}`);
    this.name = 'ValidationError';
    this.constructPath = constructPath;
    this.prop = prop;
    this.value = value;
    this.expected = expected;
  }
}

/** Formats a value for an error message: JSON where possible, never `[object Object]`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value !== null && typeof value === 'object') {
    const amount = (value as { amount?: unknown }).amount;
    if (typeof amount === 'string' || typeof amount === 'number') {
      return `${value.constructor?.name ?? 'object'}(${describeValue(amount)})`;
    }
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 200 ? `${json.slice(0, 197)}...` : json;
  } catch {
    // circular structures fall through
  }
  return String(value);
}
