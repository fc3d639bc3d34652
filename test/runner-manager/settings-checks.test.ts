import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  checkEnvironment, checkFeatureFlags, checkTags, kilobytes, managerAffinity, managerResources, optionalList, optionalMap, optionalScript, tokenRevision,
} from '../../lib/runner-manager/settings-checks';
import { PropChecker } from '../../lib/validation/prop-checker';
import { WHERE_SECRETS_BELONG } from '../../lib/validation/secrets';

const check = new PropChecker('test/Runner');
// A made-up token in GitLab's personal access token shape.
const TOKEN = 'glpat-Zx9Qw3Er5Ty7Ui1Op2As';

describe('checkTags', () => {
  test('returns a copy of valid tags, in order', () => {
    const tags = ['k8s', 'docker-in-docker'];
    const out = checkTags(check, tags);
    expect(out).toEqual(tags);
    expect(out).not.toBe(tags);
    expect(checkTags(check, [])).toEqual([]);
  });

  test.each([[''], [' k8s'], ['k8s '], ['a,b'], [3]])('%j is not a tag', (tag) => {
    expect(() => checkTags(check, ['ok', tag as string]))
      .toThrow(`test/Runner: invalid tags[1]: got ${JSON.stringify(tag)}; expected a non-empty tag without commas or surrounding spaces`);
  });

  test('duplicates, non-lists and credentials fail', () => {
    expect(() => checkTags(check, ['k8s', 'docker', 'k8s'])).toThrow('test/Runner: invalid tags[2]: got "k8s"; expected tags without duplicates');
    expect(() => checkTags(check, 'k8s' as any)).toThrow('test/Runner: invalid tags: got "k8s"; expected a list of tag names');
    expect(() => checkTags(check, [TOKEN])).toThrow(`test/Runner: invalid tags[0]: got "<redacted: ${TOKEN.length} characters>"; expected a value that is no credential`);
  });
});

describe('checkFeatureFlags', () => {
  test('known flags with booleans pass as a copy', () => {
    const flags = { FF_USE_FASTZIP: true, FF_NETWORK_PER_BUILD: false };
    expect(checkFeatureFlags(check, flags)).toEqual(flags);
    expect(checkFeatureFlags(check, flags)).not.toBe(flags);
  });

  test('an unknown flag, a non-boolean and a non-map fail', () => {
    expect(() => checkFeatureFlags(check, { FF_USE_FASTZIPP: true }))
      .toThrow('test/Runner: invalid featureFlags: got "FF_USE_FASTZIPP"; expected a feature flag of GitLab Runner 18.3, e.g. "FF_USE_FASTZIP"; '
        + 'the runner ignores unknown names silently');
    expect(() => checkFeatureFlags(check, { FF_USE_FASTZIP: 'true' as any }))
      .toThrow('test/Runner: invalid featureFlags.FF_USE_FASTZIP: got "true"; expected true or false');
    expect(() => checkFeatureFlags(check, ['FF_USE_FASTZIP'] as any))
      .toThrow('test/Runner: invalid featureFlags: got ["FF_USE_FASTZIP"]; expected a map of feature flag names to true or false');
  });
});

describe('checkEnvironment', () => {
  test('NAME=value entries, sorted by name', () => {
    expect(checkEnvironment(check, { ZED: '1', ALPHA: 'a=b', EMPTY: '' })).toEqual(['ALPHA=a=b', 'EMPTY=', 'ZED=1']);
    expect(checkEnvironment(check, {})).toEqual([]);
  });

  test('a credential-like name may be empty or reference a CI/CD variable, never hold a literal', () => {
    expect(checkEnvironment(check, { API_TOKEN: '$API_TOKEN', DB_PASSWORD: '${DB_PASSWORD}', SECRET_KEY: '' }))
      .toEqual(['API_TOKEN=$API_TOKEN', 'DB_PASSWORD=${DB_PASSWORD}', 'SECRET_KEY=']);
    expect(() => checkEnvironment(check, { DB_PASSWORD: 'hunter2' }))
      .toThrow(`test/Runner: invalid environment.DB_PASSWORD: got "<redacted: 7 characters>"; expected no literal credential: ${WHERE_SECRETS_BELONG}; `
        + 'a reference to a CI/CD variable such as "$DB_PASSWORD" is allowed');
    // A reference with more around it is a literal.
    expect(() => checkEnvironment(check, { DB_PASSWORD: 'x$DB_PASSWORD' })).toThrow('test/Runner: invalid environment.DB_PASSWORD');
  });

  test('a token-shaped value fails under any name', () => {
    expect(() => checkEnvironment(check, { GREETING: TOKEN })).toThrow('test/Runner: invalid environment.GREETING: got "<redacted: ');
  });

  test('bad names, non-string values and non-maps fail', () => {
    expect(() => checkEnvironment(check, { '1X': 'a' })).toThrow('test/Runner: invalid environment key: got "1X"; expected an environment variable name');
    expect(() => checkEnvironment(check, { 'A-B': 'a' })).toThrow('test/Runner: invalid environment key: got "A-B"');
    expect(() => checkEnvironment(check, { PORT: 8080 as any })).toThrow('test/Runner: invalid environment.PORT: got 8080; expected a string');
    expect(() => checkEnvironment(check, null as any)).toThrow('test/Runner: invalid environment: got null; expected a map of variable names to values');
  });
});

describe('tokenRevision', () => {
  test('a single-line revision passes unchanged', () => {
    expect(tokenRevision(check, '2026-12-01')).toBe('2026-12-01');
  });

  test('the token itself is named as such and never shown', () => {
    let message = '';
    try {
      tokenRevision(check, TOKEN);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('test/Runner: invalid tokenSecretRevision: got "<redacted: ');
    expect(message).toContain('never the token itself');
    expect(message).not.toContain(TOKEN);
  });

  // tokenSecretRevision is a credential-like prop name, so a string value is shown only by its length.
  test.each([['', '""'], ['  ', '"<redacted: 2 characters>"'], ['a\nb', '"<redacted: 3 characters>"'], ['a\r', '"<redacted: 2 characters>"'], [42, '42']])(
    '%j is not a revision', (revision, shown) => {
      expect(() => tokenRevision(check, revision as string))
        .toThrow(`test/Runner: invalid tokenSecretRevision: got ${shown}; expected a non-empty single-line revision such as the date of the rotation, e.g. "2026-12-01"`);
    });
});

describe('optionalScript', () => {
  test('undefined stays undefined; a script is checked', () => {
    expect(optionalScript(check, 'preBuildScript', undefined)).toBeUndefined();
    expect(optionalScript(check, 'preBuildScript', 'echo hi')).toBe('echo hi');
    expect(() => optionalScript(check, 'preBuildScript', 'export API_TOKEN=hunter2'))
      .toThrow('test/Runner: invalid preBuildScript: got "export API_TOKEN=<redacted: 7 characters>"; expected a script without a literal credential (it assigns one to API_TOKEN)');
    expect(() => optionalScript(check, 'preBuildScript', '')).toThrow('test/Runner: invalid preBuildScript: got ""; expected a non-empty shell script');
  });
});

describe('kilobytes', () => {
  test('a size in KiB', () => {
    expect(kilobytes(check, 'outputLimit', Size.mebibytes(4))).toBe(4096);
    expect(kilobytes(check, 'outputLimit', Size.kibibytes(1))).toBe(1);
  });

  test('less than 1 KiB or more than int32 KiB fails', () => {
    expect(() => kilobytes(check, 'outputLimit', Size.kibibytes(0)))
      .toThrow('test/Runner: invalid outputLimit: got Size(0); expected at least 1 KiB and at most 2147483647 KiB');
    expect(() => kilobytes(check, 'outputLimit', Size.tebibytes(2)))
      .toThrow('test/Runner: invalid outputLimit: got Size(2); expected at least 1 KiB and at most 2147483647 KiB');
    expect(kilobytes(check, 'outputLimit', Size.kibibytes(2147483647))).toBe(2147483647);
  });
});

describe('managerResources', () => {
  test('Kubernetes resources of the manager, {} for none', () => {
    expect(managerResources(check, { cpu: { request: Cpu.millis(100) }, memory: { limit: Size.mebibytes(256) } }))
      .toEqual({ requests: { cpu: '100m' }, limits: { memory: '256Mi' } });
    expect(managerResources(check, {})).toEqual({});
  });

  test('errors name managerResources', () => {
    expect(() => managerResources(check, { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } }))
      .toThrow('test/Runner: invalid managerResources.cpu.request: got "2"; expected a request no larger than the limit (1)');
  });
});

describe('managerAffinity', () => {
  test('Kubernetes JSON of the affinity', () => {
    expect(managerAffinity(check, {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] }] } },
    })).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] }] } },
    });
  });

  test.each([[null], [[]], ['x'], [{ nodeAfinity: {} }]])('%j is not an affinity', (affinity) => {
    expect(() => managerAffinity(check, affinity as any)).toThrow(`test/Runner: invalid managerAffinity: got ${JSON.stringify(affinity)}; `
      + 'expected a Kubernetes affinity with nodeAffinity, podAffinity and/or podAntiAffinity');
  });
});

describe('optionalMap and optionalList', () => {
  test('undefined when nothing is set or empty', () => {
    expect(optionalMap({ a: undefined, b: undefined })).toBeUndefined();
    expect(optionalMap({})).toBeUndefined();
    const map = { a: undefined, b: 0 };
    expect(optionalMap(map)).toBe(map);
    expect(optionalList([])).toBeUndefined();
    const list = [0];
    expect(optionalList(list)).toBe(list);
  });
});
