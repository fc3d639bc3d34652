import { GitlabCiJob, GitlabCiPipeline, GitlabCiRule } from '../model/gitlab-ci';
import { PipelineJobSettings } from './settings';

/** The file the deploy job writes the substituted manifest to, and removes after. */
const DEPLOYED = 'calculator-deploy.yaml';

/** The pipeline model: the build job the builder gave, the test job and the manual deploy job. */
export function pipelineModel(s: PipelineJobSettings, buildJob: Omit<GitlabCiJob, 'stage'>): GitlabCiPipeline {
  const { registry, imageVariable, tags } = s;
  const onBranch: GitlabCiRule = { if: `$CI_COMMIT_BRANCH == ${JSON.stringify(s.branch)}` };
  const kubeconfig = s.kubeconfigVariable;
  const ns = s.namespace;
  const manifest = s.manifestPath;
  return {
    stages: ['build', 'test', 'deploy'],
    variables: {
      // One tag per pipeline: the commit for traceability, the pipeline id so that a re-run never reuses a tag.
      [imageVariable]: `${registry.host}/${registry.repository}:\${CI_COMMIT_SHORT_SHA}-\${CI_PIPELINE_ID}`,
    },
    jobs: {
      'build-job': { stage: 'build', tags, rules: [onBranch], ...buildJob },
      'test-job': {
        stage: 'test',
        tags,
        image: { name: s.testImage },
        rules: [onBranch],
        script: s.testScript,
      },
      'deploy-job': {
        stage: 'deploy',
        tags,
        image: { name: s.kubectlImage, entrypoint: [''] },
        // Manual: a person decides when a build goes live.
        rules: [{ ...onBranch, when: 'manual' }],
        environment: { name: ns },
        before_script: [
          // A File-type variable holds the path of a file with the kubeconfig.
          `export KUBECONFIG="$${kubeconfig}"`,
          // Reaches the API server with the deployer's token (a bad one is refused with 401). Not
          // `cluster-info`: it lists Services in kube-system, which the deployer may not.
          'kubectl version',
          [`kubectl create secret docker-registry ${s.pullSecretName} --namespace=${ns}`,
            `--docker-server=${registry.host} --docker-username="$${registry.usernameVariable}" --docker-password="$${registry.passwordVariable}"`,
            '--dry-run=client -o yaml | kubectl apply -f -'].join(' '),
        ],
        script: [
          `sed "s|\\\${${imageVariable}}|\${${imageVariable}}|g" ${manifest} > ${DEPLOYED}`,
          `if grep -q '\${${imageVariable}}' ${DEPLOYED}; then echo "${imageVariable} was not substituted"; exit 1; fi`,
          `kubectl apply -f ${DEPLOYED}`,
          `kubectl rollout status deployment/${s.appName} --namespace=${ns} --timeout=${s.rolloutTimeoutSeconds}s`,
        ],
        after_script: [`rm -f ${DEPLOYED} "$${kubeconfig}"`],
      },
    },
  };
}
