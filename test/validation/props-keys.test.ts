import * as fs from 'fs';
import { PROPS_KEYS, PROPS_NESTED } from '../../lib/validation/props-keys';
import * as path from 'path';
import { fromJson, generatePropsKeys, OUTPUT, propsKeysInputHash, SCRIPT, toJson } from '../util/props-keys';

describe('the generated table of known keys', () => {
  const generated = generatePropsKeys();

  test('is up to date with the interfaces in lib/', () => {
    const committed = fs.readFileSync(OUTPUT, 'utf8');
    if (committed !== generated.source) {
      throw new Error(`lib/validation/props-keys.ts is stale: a props or options interface changed. Run \`${SCRIPT}\` and commit the result.`);
    }
  });

  test('includes inherited members and names nested structs, in the generator\'s output as in the committed table', () => {
    check(PROPS_KEYS, PROPS_NESTED);
    check(Object.fromEntries(generated.structs), Object.fromEntries([...generated.nested].map(([k, v]) => [k, Object.fromEntries(v)])));
  });

  function check(PROPS_KEYS: any, PROPS_NESTED: any): void {
    // InternalStackProps extends EnvironmentStackProps.
    expect(PROPS_KEYS.InternalStackProps).toEqual(expect.arrayContaining(['dns', 'gitlabUrl', 'network', 'labels', 'disableResourceNameHashes', 'sampleApp']));
    expect(PROPS_KEYS.S3CacheOptions).toEqual(expect.arrayContaining(['bucketName', 'path', 'shared', 'maxUploadedArchiveSize']));
    // A stack's network and monitoring are the Options interfaces, which the Props interfaces extend with the runner.
    expect(PROPS_KEYS.RunnerNetworkPoliciesProps).toContain('runner');
    expect(PROPS_KEYS.RunnerNetworkPoliciesOptions).toEqual(PROPS_KEYS.RunnerNetworkPoliciesProps.filter((k: string) => k !== 'runner'));
    expect(PROPS_KEYS.RunnerMonitoringOptions).toEqual(PROPS_KEYS.RunnerMonitoringProps.filter((k: string) => k !== 'runner'));
    expect(PROPS_NESTED.InternalStackProps).toMatchObject({
      network: 'RunnerNetworkPoliciesOptions', dns: 'InternalDnsOptions', monitoring: 'RunnerMonitoringOptions',
      nodePool: 'CiNodePoolProps', jobPods: 'JobPodPolicyProps', sampleApp: 'SampleAppOptions',
    });
    expect(PROPS_KEYS.SampleAppOptions).toEqual(['namespace', 'nodePortRange', 'port', 'pullSecretName', 'registry']);
    expect(PROPS_NESTED.CiNodePoolProps).toMatchObject({ taints: 'NodeTaint', prePullImages: 'PrePullImage' });
  }

  test('holds only what callers pass in, each key once per struct', () => {
    expect(Object.keys(PROPS_KEYS)).not.toContain('DnsLookupCost');
    expect(Object.keys(PROPS_KEYS)).not.toContain('PoolCapacity');
    for (const keys of Object.values(PROPS_KEYS)) expect(new Set(keys).size).toBe(keys.length);
  });

  test('is cached under a hash of every input: a change to any source under lib/ or imports/, or to the generator, is a new entry', () => {
    const plain = (f: string) => fs.readFileSync(f, 'utf8');
    const changed = (suffix: string) => (f: string) => plain(f) + (f.endsWith(suffix) ? '\n// changed' : '');
    const hash = propsKeysInputHash(plain);
    expect(propsKeysInputHash(plain)).toBe(hash);
    for (const file of [path.join('lib', 'stacks', 'props.ts'), path.join('lib', 'index.ts'), path.join('imports', 'podmonitors-monitoring.coreos.com.ts'), path.join('test', 'util', 'props-keys.ts')]) {
      expect({ file, same: propsKeysInputHash(changed(file)) === hash }).toEqual({ file, same: false });
    }
  });

  test('reads back from its cache as it was computed', () => {
    expect(fromJson(JSON.parse(JSON.stringify(toJson(generated))))).toEqual(generated);
  });
});
