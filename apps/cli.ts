// How the app entry reports a failed synth: bad input as plain messages, a bug with its stack trace.
import { App } from 'cdk8s';
import { ValidationError, writeFiles } from '../lib';

/** The start of the message of cdk8s's Error when validations added with `node.addValidation` fail. */
const CDK8S_VALIDATION = 'Validation failed with the following errors:';

/**
 * The text to print for an error the user fixes in their input: one `error: ` line per problem.
 * `undefined` for anything else, which is a bug and keeps its stack trace.
 */
export function userErrorText(error: unknown): string | undefined {
  // Bad input: the message names the construct, the prop and the fix; a stack trace adds nothing.
  if (error instanceof ValidationError) return `error: ${error.message}`;
  if (error instanceof Error && error.message.startsWith(CDK8S_VALIDATION)) {
    // cdk8s lists each problem on its own line as `  [<construct path>] <message>`; the app root's path is empty.
    return error.message.slice(CDK8S_VALIDATION.length).split(/\n {2}(?=\[)/)
      .map((line) => line.trim()).filter((line) => line !== '')
      .map((line) => `error: ${line.replace(/^\[\] /, '')}`)
      .join('\n');
  }
  return undefined;
}

/** Builds and synthesizes `app`; bad input is printed without a stack trace and exits with status 1. */
export function synthOrExit(build: (app: App) => void, app: App = new App()): void {
  try {
    build(app);
    writeFiles(app);
  } catch (error) {
    const text = userErrorText(error);
    if (text === undefined) throw error;
    console.error(text);
    process.exit(1);
  }
}
