// Property: every InternalStack prop set either fails naming its bad prop or synthesizes output that passes every check (harness: property.ts).
import { InternalStack } from '../../lib/stacks/internal-stack';
import { stackProperty } from './stack-property';

stackProperty('InternalStack', 'internal', 'staging', (app, id, props) => new InternalStack(app, id, props));
