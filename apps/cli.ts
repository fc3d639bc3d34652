// How the app entry synthesizes: it empties the output directory and writes every file itself (what
// `cdk8s synth` would do around it), prints bad input as plain messages and a bug with its stack trace.
import * as fs from 'fs';
import { App } from 'cdk8s';
import { userErrorText, writeFiles } from '../lib';

// The library's own printing of bad input, re-exported for the app's tests.
export { userErrorText };

/**
 * Builds and synthesizes `app` into its `outdir` (`CDK8S_OUTDIR` when `cdk8s synth` runs the app,
 * else `dist`), which it empties first, as `cdk8s synth` does: no file of an earlier synth is left.
 * Bad input is printed without a stack trace and exits with status 1.
 */
export function synthOrExit(build: (app: App) => void, app: App = new App()): void {
  fs.rmSync(app.outdir, { recursive: true, force: true });
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
