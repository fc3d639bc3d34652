import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { AppImage, CalculatorApp, CalculatorPipeline, CalculatorPipelineProps, CiNodePool, JobPodPolicy, JobSecurityProfile, RunnerManager } from '../../lib';
import { gitlabCiDocument } from '../../lib/model/gitlab-ci';

export interface Setup {
  readonly profile?: JobSecurityProfile;
  readonly tags?: string[];
  readonly pool?: boolean;
  readonly image?: AppImage;
}

/** The platform in one chart, the app in its own: the deploy job applies the app's chart, all of it. */
export function build(setup: Setup = {}, props: Partial<CalculatorPipelineProps> = {}): { chart: Chart; appChart: Chart; pipeline: CalculatorPipeline; doc: any } {
  const chart = Testing.chart();
  const appChart = new Chart(chart.node.scope!, 'calc');
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'),
    tags: setup.tags ?? ['kubernetes'],
    jobPodPolicy: new JobPodPolicy(chart, 'Jobs', { securityProfile: setup.profile ?? JobSecurityProfile.privileged() }),
    nodePool: setup.pool ? new CiNodePool(chart, 'Pool') : undefined,
  });
  const app = new CalculatorApp(appChart, 'App', {
    pullSecret: Secret.fromSecretName(appChart, 'Pull', 'acr-secret'),
    image: setup.image,
  });
  const pipeline = new CalculatorPipeline(chart, 'Pipeline', {
    app, runner, registry: { host: 'private-registry.example.com', repository: 'my-namespace/my-app' }, ...props,
  });
  return { chart, appChart, pipeline, doc: gitlabCiDocument(pipeline._pipeline) };
}

/** Every shell line of every job. */
export function shellLines(doc: any): string[] {
  return Object.values(doc).filter((v: any) => v && v.stage)
    .flatMap((job: any) => [...(job.before_script ?? []), ...job.script, ...(job.after_script ?? [])]);
}
