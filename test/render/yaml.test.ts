import { Yaml } from 'cdk8s';
import { renderManifests, renderYaml } from '../../lib/render/yaml';

describe('render/yaml', () => {
  test('renderYaml() puts the header as comments above one document, with no null key', () => {
    expect(renderYaml({ a: 1, b: undefined, c: null }, ['first', '', 'last'])).toBe('# first\n#\n# last\na: 1\n');
    expect(renderYaml({ a: 'x' })).toBe('a: x\n');
  });

  test('renderManifests() writes the documents as cdk8s writes a chart', () => {
    const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }];
    expect(renderManifests(docs)).toBe(Yaml.stringify(...docs));
    expect(renderManifests(docs).split('\n---\n')).toHaveLength(2);
  });
});
