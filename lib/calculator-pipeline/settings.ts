import { Duration } from 'cdk8s';
import { CalculatorApp } from '../calculator-app';
import { RunnerManager } from '../runner-manager';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';
import { ImageBuilder } from './image-builder';
import { AppRegistry, CalculatorPipelineProps } from './props';

/** The plain settings the pipeline's jobs are built from. */
export interface PipelineJobSettings {
  readonly appName: string;
  readonly pullSecretName: string;
  /** The app's namespace, where the deploy job applies. */
  readonly namespace: string;
  readonly registry: Required<AppRegistry>;
  /** The variable the app's manifest takes its image from. */
  readonly imageVariable: string;
  readonly branch: string;
  /** The jobs' tags; undefined for none. */
  readonly tags?: string[];
  readonly testImage: string;
  readonly testScript: string[];
  readonly kubectlImage: string;
  readonly kubeconfigVariable: string;
  readonly manifestPath: string;
  readonly rolloutTimeoutSeconds: number;
}

/** Every prop, checked: the jobs' settings and the constructs and builder they come from. */
export interface PipelineSettings extends PipelineJobSettings {
  readonly app: CalculatorApp;
  readonly runner: RunnerManager;
  readonly builder: ImageBuilder;
  /** The tags given as a prop, each checked at synth against the runner's. */
  readonly givenTags?: string[];
  /** Checks an image prop, then maps it through the mirror. */
  readonly mirror: (prop: string, image: string) => string;
}

/** Checks the props one by one, in the order their errors are reported, and fills in the defaults. */
export function resolvePipelineSettings(check: PropChecker, props: CalculatorPipelineProps): PipelineSettings {
  checkProps(check, props, 'CalculatorPipelineProps', '', true);
  const { app, runner } = props;
  if (!(app instanceof CalculatorApp)) check.fail('app', app, 'a CalculatorApp construct');
  if (!(runner instanceof RunnerManager)) check.fail('runner', runner, 'a RunnerManager construct');
  if (props.mirror !== undefined && typeof props.mirror?.mirrorImage !== 'function') {
    check.fail('mirror', props.mirror, 'an IImageMirror: an object with a function mirrorImage(image) that returns the mirrored reference');
  }
  // Only strings reach the mirror; anything else fails as that prop.
  const mirror = (prop: string, image: string) => {
    const given = check.nonEmptyString(prop, image, 'an image reference');
    return props.mirror ? props.mirror.mirrorImage(given) : given;
  };
  const registry: Required<AppRegistry> = {
    host: check.registryHost('registry.host', props.registry?.host),
    repository: check.repositoryPath('registry.repository', props.registry.repository, 'my-namespace/my-app'),
    usernameVariable: check.envName('registry.usernameVariable', props.registry.usernameVariable ?? 'ACR_USERNAME'),
    passwordVariable: check.envName('registry.passwordVariable', props.registry.passwordVariable ?? 'ACR_PASSWORD'),
  };
  const imageVariable = app.image.variable;
  if (imageVariable === undefined) {
    check.fail('app.image', app.image.manifestValue,
      'AppImage.fromVariable(): the deploy job puts the tag this pipeline built into the manifest');
  }
  const builder = props.builder ?? ImageBuilder.dockerInDocker();
  if (!(builder instanceof ImageBuilder)) check.fail('builder', builder, 'ImageBuilder.dockerInDocker() or ImageBuilder.kaniko()');

  const branch = check.nonEmptyString('branch', props.branch ?? 'main');
  const givenTags = props.tags === undefined ? undefined : check.list('tags', props.tags)!.map((t, i) => check.nonEmptyString(`tags[${i}]`, t, 'a runner tag'));
  const tags = givenTags ? (givenTags.length ? givenTags : undefined) : (runner.tags.length ? [...runner.tags] : undefined);
  const kubeconfigVariable = check.envName('kubeconfigVariable', props.kubeconfigVariable ?? 'ACK_KUBECONFIG');
  const kubectlImage = check.pinnedImage('kubectlImage', mirror('kubectlImage', props.kubectlImage ?? 'alpine/k8s:1.28.15'));
  const testImage = check.pinnedImage('testImage', mirror('testImage', props.testImage ?? 'python:3.9-slim'));
  const testScript = props.testScript ?? ['pip install --no-cache-dir -r requirements.txt pytest', 'pytest tests/'];
  if (!Array.isArray(testScript) || testScript.length === 0) check.fail('testScript', testScript, 'a non-empty list of shell lines');
  // The pipeline is committed to the app's repository: no literal credential in its lines.
  testScript.forEach((line, i) => check.script(`testScript[${i}]`, line, 'a non-empty shell line'));
  const manifestPath = check.noCredential('manifestPath', props.manifestPath ?? app.manifestFileName);
  if (typeof manifestPath !== 'string' || !/^[A-Za-z0-9._/-]+$/.test(manifestPath)) {
    check.fail('manifestPath', manifestPath, 'a relative path of letters, digits, ".", "_", "-" and "/"');
  }
  const rolloutTimeoutSeconds = check.seconds('rolloutTimeout', props.rolloutTimeout ?? Duration.minutes(5), { min: 1 });
  return {
    app, runner, builder, givenTags, mirror,
    appName: app.name, pullSecretName: app.pullSecretName, namespace: app.namespace,
    registry, imageVariable, branch, tags, testImage, testScript, kubectlImage, kubeconfigVariable, manifestPath, rolloutTimeoutSeconds,
  };
}
