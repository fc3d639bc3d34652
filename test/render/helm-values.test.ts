import * as TOML from '@iarna/toml';
import * as YAML from 'yaml';
import { HelmValues } from '../../lib/model/helm-values';
import { helmValuesDocument, renderHelmValues } from '../../lib/render/helm-values';

const values: HelmValues = {
  gitlabUrl: 'https://gitlab.example.com/',
  runners: {
    name: 'ci',
    config: { kubernetes: { namespace: 'ci-jobs' }, preBuildScript: 'echo "{{ not a template }}"' },
    secret: 'token',
  },
  concurrent: 4,
};

describe('helmValuesDocument', () => {
  test('the runner template becomes one [[runners]] entry of TOML, in the key\'s place', () => {
    const doc = helmValuesDocument(values) as any;
    expect(Object.keys(doc)).toEqual(['gitlabUrl', 'runners', 'concurrent']);
    expect(Object.keys(doc.runners)).toEqual(['name', 'config', 'secret']);
    const toml = TOML.parse(doc.runners.config.replace(/\{\{ "\{\{" \}\}/g, '{{')) as any;
    expect(toml).toEqual({ runners: [{ pre_build_script: 'echo "{{ not a template }}"', kubernetes: { namespace: 'ci-jobs' } }] });
  });

  test('every {{ is escaped for the chart\'s tpl pass', () => {
    const config = (helmValuesDocument(values) as any).runners.config as string;
    expect(config).toContain('{{ "{{" }} not a template }}');
    expect(config.replace(/\{\{ "\{\{" \}\}/g, '')).not.toContain('{{');
  });

  test('values without a template are copied, the model untouched', () => {
    expect(helmValuesDocument({ replicas: 2 })).toEqual({ replicas: 2 });
    helmValuesDocument(values);
    expect(typeof values.runners?.config).toBe('object');
  });
});

describe('renderHelmValues', () => {
  test('header comments, then the document', () => {
    const text = renderHelmValues(values, ['one', 'two']);
    expect(text.startsWith('# one\n# two\n')).toBe(true);
    expect(YAML.parse(text)).toEqual(helmValuesDocument(values));
  });
});
