import { redactRecurring, redactText, redactValue } from './secrets';

// jsii cannot describe a class that extends Error, so the class itself is not exported: TypeScript
// code gets it as a value (`new`, `instanceof`) and a type of the same name, which jsii skips, and
// every language gets `ValidationErrors.isValidationError()`.
class ValidationErrorClass extends Error {
  /** Path of the construct that received the value, e.g. `internal/Runner`. */
  public readonly constructPath: string;
  /** The property, dotted for nested values, e.g. `buildResources.cpu.limit`. */
  public readonly prop: string;
  /** The value received, with anything that may be a secret replaced by a placeholder. */
  public readonly value: unknown;
  /** What a valid value looks like. */
  public readonly expected: string;

  constructor(constructPath: string, prop: string, value: unknown, expected: string) {
    // A value given for a credential-like prop (`tokenSecret`, `environment.API_TOKEN`) may be the
    // secret itself, e.g. a token passed where a Secret reference belongs: never echo it.
    const hidden: string[] = [];
    const shown = redactValue(value, lastSegment(prop), hidden);
    // Whatever else reaches the message (the expectation may quote the value again), neither a
    // hidden value nor a credential-looking part is printed.
    const redact = (text: string) => redactRecurring(redactText(text), hidden);
    super(redact(`${constructPath}: invalid ${prop}: got ${describeValue(shown)}; expected ${expected}`));
    this.name = 'ValidationError';
    this.constructPath = constructPath;
    this.prop = prop;
    this.value = shown;
    this.expected = redact(expected);
  }
}

/**
 * The one error type for bad input: it names the construct path, the property, the bad value
 * and what would be valid, so a failed synth points straight at the line to fix.
 * (TypeScript: `error instanceof ValidationError`; every language: `ValidationErrors.isValidationError(error)`.)
 */
export const ValidationError = ValidationErrorClass;
/** The one error type for bad input (see the value of the same name). */
export type ValidationError = ValidationErrorClass;

/** The start of the message of cdk8s's Error when validations added with `node.addValidation` fail. */
export const CDK8S_VALIDATION = 'Validation failed with the following errors:';

/** Tells bad input from bugs, and prints bad input as the user fixes it. */
export class ValidationErrors {
  /** Whether `error` is the library's error for bad input (a `ValidationError`). */
  public static isValidationError(error: any): boolean {
    return error instanceof ValidationErrorClass;
  }

  /**
   * The text to print for an error the user fixes in their input, one `error: ` line per problem:
   * a `ValidationError`, or cdk8s's "Validation failed with the following errors" list of the checks
   * that run at synth. `undefined` for anything else, which is a bug and keeps its stack trace.
   */
  public static userErrorText(error: any): string | undefined {
    return userErrorText(error);
  }

  private constructor() {}
}

/** `ValidationErrors.userErrorText(error)`. */
export function userErrorText(error: unknown): string | undefined {
  // Bad input: the message names the construct, the prop and the fix; a stack trace adds nothing.
  if (error instanceof ValidationErrorClass) return `error: ${error.message}`;
  if (error instanceof Error && error.message.startsWith(CDK8S_VALIDATION)) {
    // cdk8s lists each problem on its own line as `  [<construct path>] <message>`; the app root's path is empty.
    return error.message.slice(CDK8S_VALIDATION.length).split(/\n {2}(?=\[)/)
      .map((line) => line.trim()).filter((line) => line !== '')
      .map((line) => `error: ${withoutRepeatedPath(line)}`)
      .join('\n');
  }
  return undefined;
}

/**
 * `[<path>] <message>` without the bracket when it adds nothing: the app root's empty path, or a
 * message that names the same path itself (our ValidationErrors start with it).
 */
function withoutRepeatedPath(line: string): string {
  const m = /^\[([^\]]*)\] ([\s\S]*)$/.exec(line);
  if (!m) return line;
  const [, path, message] = m;
  return path === '' || message.startsWith(`${path}: `) ? message : line;
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

/** The last name in a prop path, without indexes or quotes: `environment.API_TOKEN` -> `API_TOKEN`, `podAnnotations["a/b"]` -> `a/b`. */
function lastSegment(prop: string): string {
  const names = prop.split(/[.[\]]/).map((p) => p.replace(/^"|"$/g, '')).filter((p) => p !== '' && !/^\d+$/.test(p));
  return names.pop() ?? prop;
}
