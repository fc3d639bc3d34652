// Property: every PublicStack prop set either fails naming its bad prop or synthesizes output that passes every check (harness: property.ts).
import { PublicStack } from '../../lib/stacks/public-stack';
import { stackProperty } from './stack-property';

stackProperty('PublicStack', 'public', 'cloud', (app, id, props) => new PublicStack(app, id, props));
