import { App } from 'cdk8s';
import { ValidationError } from '../lib';
import { buildEnvironments } from './environments';

try {
  const app = new App();
  buildEnvironments(app);
  app.synth();
} catch (error) {
  // Bad input: the message names the construct, the prop and the fix; a stack trace adds nothing.
  if (!(error instanceof ValidationError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}
