import {
  applyCommands, backupCommands, cacheSecretCommands, readHidden, ReportFiles, required, RunbookRunner, uninstallCommands, upgradeCommands,
} from '../../lib/environment-report/commands';

const RUNNER: RunbookRunner = {
  namespace: 'gitlab', releaseName: 'gitlab-runner', serviceAccountName: 'gitlab-runner', chartVersion: '0.80.0', fullname: 'gitlab-runner',
  drainOnStop: true, terminationGracePeriodSeconds: 3630, _helmValues: { runners: { secret: 'token' } },
};
const FILES: ReportFiles = { platform: 'ci/platform/', values: 'ci/helm/gitlab-runner-values.yaml' };

describe('shell pieces', () => {
  test('a hidden read turns echo off with stty, not bash\'s read -s', () => {
    expect(readHidden('X', 'the x')).toBe('printf \'%s: \' \'the x\'; stty -echo; IFS= read -r X; stty echo; printf \'\\n\'');
  });

  test('a required variable stops the command when empty', () => {
    expect(required('X', 'is empty')).toBe('"${X:?is empty}"');
  });
});

describe('cacheSecretCommands', () => {
  test('none without cache credentials', () => {
    expect(cacheSecretCommands(RUNNER)).toEqual([]);
    expect(cacheSecretCommands({ ...RUNNER, cache: { credentialKeys: ['accesskey'] } })).toEqual([]);
  });

  test('literal keys are read hidden and unset; file keys are paths the reader sets', () => {
    expect(cacheSecretCommands({ ...RUNNER, cache: { credentials: { name: 'keys' }, credentialKeys: ['azure-account-name', 'gcs-x-file'] } })).toEqual([
      readHidden('CACHE_ACCOUNT_NAME', 'cache azure-account-name'),
      '# first set CACHE_X_FILE to the path of the gcs-x-file key file',
      'kubectl create secret generic keys -n gitlab --from-literal=azure-account-name="${CACHE_ACCOUNT_NAME:?is empty: no Secret created}" '
        + '--from-file=gcs-x-file="${CACHE_X_FILE:?the path of the key file}"',
      'unset CACHE_ACCOUNT_NAME',
    ]);
  });
});

describe('the runbook\'s commands', () => {
  test('apply: platform, token, chart; then only the optional steps the environment has, numbered on', () => {
    const bare = applyCommands(RUNNER, FILES);
    expect(bare[1]).toBe('kubectl apply -f dist/ci/platform/');
    expect(bare).toContain('helm upgrade --install gitlab-runner gitlab/gitlab-runner --version 0.80.0 -n gitlab -f dist/ci/helm/gitlab-runner-values.yaml');
    expect(bare[bare.length - 1]).toBe('kubectl rollout status deployment/gitlab-runner -n gitlab');

    const full = applyCommands(RUNNER, { ...FILES, monitoring: 'ci/monitoring/', coreDns: 'ci/coredns/', smokeTest: 's.yml', pipeline: 'p.yml', app: 'app.yaml', appPath: 'ci/app/app.yaml' });
    expect(full.slice(bare.length)).toEqual([
      '# 4. The PodMonitor and alerts: they need the Prometheus Operator\'s CRDs', 'kubectl apply -f dist/ci/monitoring/',
      '# 5. The CoreDNS change, deliberately: back up the current one first', 'kubectl -n kube-system get configmap coredns -o yaml > coredns.backup.yaml',
      'kubectl apply -f dist/ci/coredns/',
      '# Then commit dist/s.yml as .gitlab-ci.yml in a scratch project and run it',
      '# The app: commit dist/p.yml as .gitlab-ci.yml and dist/ci/app/app.yaml as app.yaml in its repository; its deploy job applies only app.yaml',
    ]);
    expect(applyCommands(RUNNER, { ...FILES, coreDns: 'ci/coredns/' })[bare.length]).toMatch(/^# 4\. The CoreDNS change/);
  });

  test('upgrade and uninstall say whether the managers drain', () => {
    expect(upgradeCommands(RUNNER, FILES)[3]).toBe('helm upgrade --install gitlab-runner gitlab/gitlab-runner --version "${NEW_CHART_VERSION:?the new chart version}" '
      + '-n gitlab -f dist/ci/helm/gitlab-runner-values.yaml');
    expect(upgradeCommands(RUNNER, FILES)[4]).toMatch(/up to 3630s each$/);
    expect(upgradeCommands({ ...RUNNER, drainOnStop: false }, FILES)[4]).toMatch(/abort their running jobs \(drainOnStop is off\)$/);
    expect(uninstallCommands(RUNNER, FILES)[0]).toBe('helm uninstall gitlab-runner -n gitlab  # each manager first finishes its running jobs (up to 3630s)');
  });

  test('uninstall: the app and monitoring before the platform, the CoreDNS restore after it', () => {
    const all = uninstallCommands(RUNNER, { ...FILES, monitoring: 'ci/monitoring/', coreDns: 'ci/coredns/', app: 'app.yaml', appNamespace: 'calc' });
    expect(all.slice(1, 5)).toEqual([
      'kubectl delete -f app.yaml  # from the app\'s repository', 'kubectl delete -f dist/ci/monitoring/',
      'kubectl delete -f dist/ci/platform/  # also deletes the namespaces and the Secrets in them',
      'kubectl apply -f coredns.backup.yaml  # restore the distribution\'s Corefile (remove resourceVersion and uid first)',
    ]);
    expect(uninstallCommands(RUNNER, { ...FILES, app: 'app.yaml' }).join('\n')).not.toContain('app.yaml');
  });

  test('back up: values, history and the release\'s objects; roll back to a revision the reader sets', () => {
    expect(backupCommands(RUNNER)).toContain('helm rollback gitlab-runner "${REVISION:?a revision from helm history}" -n gitlab');
    expect(backupCommands(RUNNER)[2]).toBe('kubectl get -n gitlab configmap,serviceaccount,role,rolebinding -l release=gitlab-runner -o yaml > runner.backup.yaml');
  });
});
