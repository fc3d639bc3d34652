import { synthOrExit } from './cli';
import { buildEnvironments } from './environments';

synthOrExit((app) => {
  buildEnvironments(app);
});
