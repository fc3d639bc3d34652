import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { addWarning, warningsOf } from '../../lib/validation/warnings';

// Made-up values of the shapes the library recognizes.
const GLRT = { value: 'glrt-canary7q2w9e4r6t1y3u5i', core: 'canary7q2w9e4r6t1y3u5i' };
const PRIVATE_KEY = {
  value: ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEcanaryKeyMaterial0123456789abcdefABCDEF', 'canaryKeyLine2+/xyz==', '-----END RSA PRIVATE KEY-----'].join('\n'),
  core: 'canaryKeyMaterial0123456789',
};
const PLAIN_SECRET = 'hunter2-canary-Plain-0x5f';

function leaks(texts: readonly string[], secret: string): boolean {
  return texts.some((t) => t.toLowerCase().includes(secret.toLowerCase()));
}

describe('warnings', () => {
  test('each warning is "<construct path>: <message>", in tree order, under the given root only', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const inner = new Construct(a, 'Inner');
    const b = new Chart(app, 'b');
    addWarning(b, 'second chart');
    addWarning(inner, 'inner one');
    addWarning(a, 'chart itself');
    addWarning(inner, 'inner two');
    expect(warningsOf(app)).toEqual(['a: chart itself', 'a/Inner: inner one', 'a/Inner: inner two', 'b: second chart']);
    expect(warningsOf(a)).toEqual(['a: chart itself', 'a/Inner: inner one', 'a/Inner: inner two']);
    expect(warningsOf(b)).toEqual(['b: second chart']);
  });

  test('no warnings, and other metadata, give an empty list', () => {
    const chart = Testing.chart();
    chart.node.addMetadata('something-else', 'not a warning');
    expect(warningsOf(chart)).toEqual([]);
  });

  test('warnings are redacted when recorded', () => {
    const chart = Testing.chart();
    addWarning(chart, `limit has no effect for ${GLRT.value}; script: export API_TOKEN=${PLAIN_SECRET}; ${PRIVATE_KEY.value}`);
    const [warning] = warningsOf(chart);
    expect(warning).toContain('limit has no effect for <redacted: ');
    for (const secret of [GLRT.core, PLAIN_SECRET, PRIVATE_KEY.core]) expect(leaks([warning], secret)).toBe(false);
    // Not only the listing: the recorded metadata holds no secret either.
    expect(leaks(chart.node.metadata.map((m) => String(m.data)), GLRT.core)).toBe(false);
  });
});
