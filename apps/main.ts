import { App } from 'cdk8s';
import { buildEnvironments } from './environments';

const app = new App();
buildEnvironments(app);
app.synth();
