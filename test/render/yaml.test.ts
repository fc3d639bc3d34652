import { Yaml } from 'cdk8s';
import { prune, renderManifests, renderYaml } from '../../lib/render/yaml';

describe('render/yaml', () => {
  test('prune() drops undefined and null at every depth, and empty containers when asked', () => {
    expect(prune({ a: undefined, b: null, c: [1, undefined], d: { e: undefined } })).toEqual({ c: [1], d: {} });
    expect(prune({ d: { e: undefined }, f: [] }, { dropEmpty: true })).toEqual({});
  });

  test('renderYaml() puts the header as comments above one document', () => {
    expect(renderYaml({ a: 1, b: undefined }, ['first', '', 'last'])).toBe('# first\n#\n# last\na: 1\n');
    expect(renderYaml({ a: 'x' })).toBe('a: x\n');
  });

  test('renderManifests() writes the documents as cdk8s writes a chart', () => {
    const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }];
    expect(renderManifests(docs)).toBe(Yaml.stringify(...docs));
    expect(renderManifests(docs).split('\n---\n')).toHaveLength(2);
  });
});
