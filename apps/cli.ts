// How the app entry reports a failed synth: bad input as plain messages, a bug with its stack trace.
import { App } from 'cdk8s';
import { userErrorText, writeFiles } from '../lib';

// The library's own printing of bad input, re-exported for the app's tests.
export { userErrorText };

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
