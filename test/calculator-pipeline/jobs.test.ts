import { pipelineModel } from '../../lib/calculator-pipeline/jobs';
import { PipelineJobSettings } from '../../lib/calculator-pipeline/settings';

const SETTINGS: PipelineJobSettings = {
  appName: 'calculator', pullSecretName: 'acr-secret', namespace: 'calculator',
  registry: { host: 'r.example.com', repository: 'team/app', usernameVariable: 'REG_USER', passwordVariable: 'REG_PASS' },
  imageVariable: 'APP_IMAGE', branch: 'release', tags: ['k8s'],
  testImage: 'python:3.12-slim', testScript: ['pytest'], kubectlImage: 'alpine/k8s:1.30.0',
  kubeconfigVariable: 'KUBECONFIG_FILE', manifestPath: 'deploy/app.yaml', rolloutTimeoutSeconds: 90,
};
const BUILD_JOB = { image: { name: 'builder:1' }, script: ['build'] };

describe('pipelineModel', () => {
  test('three stages; one image tag per pipeline in the app\'s variable', () => {
    const model = pipelineModel(SETTINGS, BUILD_JOB);
    expect(model.stages).toEqual(['build', 'test', 'deploy']);
    expect(model.variables).toEqual({ APP_IMAGE: 'r.example.com/team/app:${CI_COMMIT_SHORT_SHA}-${CI_PIPELINE_ID}' });
    expect(Object.keys(model.jobs)).toEqual(['build-job', 'test-job', 'deploy-job']);
  });

  test('every job runs on the branch with the tags; the build job is the builder\'s; deploy is manual', () => {
    const { jobs } = pipelineModel(SETTINGS, BUILD_JOB);
    const onBranch = { if: '$CI_COMMIT_BRANCH == "release"' };
    expect(jobs['build-job']).toEqual({ stage: 'build', tags: ['k8s'], rules: [onBranch], ...BUILD_JOB });
    expect(jobs['test-job']).toEqual({ stage: 'test', tags: ['k8s'], image: { name: 'python:3.12-slim' }, rules: [onBranch], script: ['pytest'] });
    expect(jobs['deploy-job']).toMatchObject({
      stage: 'deploy', tags: ['k8s'], image: { name: 'alpine/k8s:1.30.0', entrypoint: [''] },
      rules: [{ ...onBranch, when: 'manual' }], environment: { name: 'calculator' },
    });
  });

  test('the deploy job: the kubeconfig file, the pull Secret by name, the substituted manifest, the rollout timeout', () => {
    const deploy = pipelineModel(SETTINGS, BUILD_JOB).jobs['deploy-job'];
    expect(deploy.before_script).toEqual([
      'export KUBECONFIG="$KUBECONFIG_FILE"',
      'kubectl version',
      'kubectl create secret docker-registry acr-secret --namespace=calculator --docker-server=r.example.com '
        + '--docker-username="$REG_USER" --docker-password="$REG_PASS" --dry-run=client -o yaml | kubectl apply -f -',
    ]);
    expect(deploy.script).toEqual([
      'sed "s|\\${APP_IMAGE}|${APP_IMAGE}|g" deploy/app.yaml > calculator-deploy.yaml',
      'if grep -q \'${APP_IMAGE}\' calculator-deploy.yaml; then echo "APP_IMAGE was not substituted"; exit 1; fi',
      'kubectl apply -f calculator-deploy.yaml',
      'kubectl rollout status deployment/calculator --namespace=calculator --timeout=90s',
    ]);
    expect(deploy.after_script).toEqual(['rm -f calculator-deploy.yaml "$KUBECONFIG_FILE"']);
  });

  test('no tags: the jobs carry none', () => {
    const { jobs } = pipelineModel({ ...SETTINGS, tags: undefined }, BUILD_JOB);
    expect(Object.values(jobs).map((j) => j.tags)).toEqual([undefined, undefined, undefined]);
  });
});
