import { ValidationError } from '../../lib/validation/errors';

/**
 * A validation's message (`<path>: invalid <prop>: got <value>; expected <what>`), as returned by a
 * check registered with `node.addValidation`, back as the ValidationError it reports; `undefined`
 * for a message of another shape.
 */
export function parseValidationError(message: string): ValidationError | undefined {
  const m = /^(.*?): invalid (\S+): got (.*?); expected ([\s\S]*)$/.exec(message);
  if (!m) return undefined;
  let value: unknown = undefined;
  try {
    if (m[3] !== 'undefined') value = JSON.parse(m[3]);
  } catch {
    value = m[3];
  }
  const error = new ValidationError(m[1], m[2], value, m[4]);
  error.message = message;
  return error;
}

const AGGREGATED = /^Validation failed with the following errors:\n\s*\[[^\]]*\] ([^\n]*)/;

/** The first error of cdk8s' `Validation failed with the following errors: ...`, as a ValidationError. */
export function firstAggregatedError(err: unknown): ValidationError | undefined {
  const m = err instanceof Error ? AGGREGATED.exec(err.message) : null;
  return m ? parseValidationError(m[1]) : undefined;
}
