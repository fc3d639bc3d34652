import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { checkFileForCredentials, scanManifestsForCredentials } from '../../lib/validation/credential-scan';
import { ValidationError } from '../../lib/validation/errors';
import { WHERE_SECRETS_BELONG } from '../../lib/validation/secrets';

// Made-up values of the shapes the library recognizes.
const GLRT = 'glrt-canary7q2w9e4r6t1y3u5i';
const AWS_KEY_ID = 'AKIACANARY7Q2W9E4R6T';

/** The errors of every validation registered on the app's root. */
function rootErrors(root: Construct): string[] {
  return root.node.validate();
}

function configMap(scope: Construct, id: string, data: { [key: string]: string }): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() }, data });
}

describe('scanManifestsForCredentials', () => {
  test('registers one validation on the root, however often and from wherever it is called', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    scanManifestsForCredentials(chart);
    scanManifestsForCredentials(new Construct(chart, 'X'));
    scanManifestsForCredentials(app);
    configMap(chart, 'Leaky', { token: GLRT });
    // Registered three times, the one leak would be reported three times.
    expect(rootErrors(app)).toHaveLength(1);
  });

  test('one error per credential, naming the object\'s path, the JSON path, kind and name, never the value', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    scanManifestsForCredentials(chart);
    configMap(chart, 'Leaky', { token: GLRT, id: AWS_KEY_ID, fine: 'hello' });
    const errors = rootErrors(app);
    expect(errors).toEqual([
      `test/Leaky: invalid data.id: got "(a credential)"; expected no credential in a manifest (ConfigMap leaky), and this looks like an AWS access key id: ${WHERE_SECRETS_BELONG}`,
      `test/Leaky: invalid data.token: got "(a credential)"; expected no credential in a manifest (ConfigMap leaky), and this looks like a GitLab token: ${WHERE_SECRETS_BELONG}`,
    ]);
    expect(errors.join('\n')).not.toContain('canary7q2w9e4r6t1y3u5i');
    expect(errors.join('\n')).not.toContain('CANARY7Q2W9E4R6T');
  });

  test('clean objects and an app without the scan report nothing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    configMap(chart, 'Leaky', { token: GLRT });
    expect(rootErrors(app)).toEqual([]);
    scanManifestsForCredentials(chart);
    const clean = Testing.app();
    scanManifestsForCredentials(clean);
    configMap(new Chart(clean, 'test'), 'Clean', { greeting: 'hello', ref: '$RUNNER_TOKEN' });
    expect(rootErrors(clean)).toEqual([]);
  });

  test('objects added after the registration are scanned too: it runs at synth', () => {
    const app = Testing.app();
    scanManifestsForCredentials(app);
    const chart = new Chart(app, 'test');
    expect(rootErrors(app)).toEqual([]);
    configMap(chart, 'Late', { token: GLRT });
    expect(rootErrors(app)).toHaveLength(1);
  });
});

describe('checkFileForCredentials', () => {
  test('a clean file passes', () => {
    expect(() => checkFileForCredentials(Testing.chart(), 'values.yaml', 'a: 1\nsecret: gitlab-runner-token\n')).not.toThrow();
    expect(() => checkFileForCredentials(Testing.chart(), 'empty.yaml', '')).not.toThrow();
  });

  test('names the owner, the file, each line once and the kinds, never the value', () => {
    const owner = new Construct(Testing.chart(), 'Runner');
    let error: unknown;
    try {
      checkFileForCredentials(owner, 'gitlab-runner-values.yaml', `a: 1\nb: ${GLRT}\nc: ${GLRT} ${GLRT}\nd: ${AWS_KEY_ID}\n`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toBe('test/Runner: invalid output file gitlab-runner-values.yaml, line 2, 3, 4: got "(a GitLab token, an AWS access key id)"; '
      + `expected no credential in a generated file; find the prop that put it there: ${WHERE_SECRETS_BELONG}`);
    expect(message).not.toContain('canary7q2w9e4r6t1y3u5i');
    expect(message).not.toContain('CANARY7Q2W9E4R6T');
  });
});
