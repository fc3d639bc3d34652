// Property: every HybridStack prop set either fails naming its bad prop or synthesizes output that passes every check (harness: property.ts).
import { HybridStack } from '../../lib/stacks/hybrid-stack';
import { stackProperty } from './stack-property';

stackProperty('HybridStack', 'hybrid', 'edge', (app, id, props) => new HybridStack(app, id, props));
