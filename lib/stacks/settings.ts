import { CalculatorApp } from '../calculator-app';
import { DEFAULT_NAMESPACE, defaultJobNamespace } from '../runner-manager';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';
import { BuilderKind, EnvironmentStackProps } from './props';

/** The registry Secret's name when `SampleAppOptions.pullSecretName` is not given. */
export const DEFAULT_PULL_SECRET_NAME = 'app-registry-pull';

/** The stack's own props, checked once, before the constructs use them, so errors name the stack's props. */
export interface StackSettings {
  readonly namespace: string;
  readonly jobNamespace: string;
  readonly builder: BuilderKind;
  readonly insecureRegistries: string[];
  readonly mirror: (image: string) => string;
}

export function resolveStackSettings(check: PropChecker, props: EnvironmentStackProps): StackSettings {
  // Chart labels go on every object of the environment's charts.
  for (const [key, value] of Object.entries(props.labels ?? {})) {
    check.noCredential('labels key', key);
    check.noCredential(`labels["${key}"]`, value);
  }
  const mirror = imageMirror(check, props.imageMirror);
  // Checked before the mirror rewrites it; the policy checks the reference itself.
  if (props.jobImage !== undefined && typeof props.jobImage !== 'string') {
    check.fail('jobImage', props.jobImage, 'an image reference pinned by tag or digest, e.g. "alpine:3.22"');
  }
  const builder = props.builder ?? BuilderKind.DOCKER_IN_DOCKER;
  check.oneOf('builder', builder, Object.values(BuilderKind));
  if (Array.isArray(props.insecureRegistries) && props.insecureRegistries.length > 0 && builder !== BuilderKind.DOCKER_IN_DOCKER && props.sampleApp === undefined) {
    check.fail('insecureRegistries', props.insecureRegistries, 'no insecureRegistries with builder: BuilderKind.KANIKO and no sampleApp: '
      + 'only the sample app\'s build and the smoke test\'s Docker-in-Docker job use them, and neither runs here');
  }
  if (props.registryMirror !== undefined && builder !== BuilderKind.DOCKER_IN_DOCKER) {
    check.fail('registryMirror', props.registryMirror, 'no registryMirror with builder: BuilderKind.KANIKO: it is dockerd\'s --registry-mirror '
      + 'for Docker-in-Docker, and a kaniko build runs no dockerd (nor does the smoke test, whose job pods are then unprivileged)');
  }
  // What the stack derives itself may not be given twice.
  const derived: Array<[string, unknown, string]> = [
    ['jobPods.securityProfile', props.jobPods?.securityProfile, 'unset: the stack derives it from builder'],
    ['jobPods.helperImage', props.jobPods?.helperImage, 'unset: the stack derives it from imageMirror and helperImageFlavor'],
    ['jobPods.jobImage', props.jobPods?.jobImage, 'unset: give the stack\'s jobImage (pulled through imageMirror)'],
    ['nodePool.namespace', props.nodePool?.namespace, 'unset: the pool\'s pre-puller runs in the stack\'s jobNamespace'],
  ];
  for (const [prop, value, expected] of derived) {
    if (value !== undefined) check.fail(prop, typeof value === 'string' ? value : '(given)', expected);
  }
  const namespace = check.dnsLabel('namespace', props.namespace ?? DEFAULT_NAMESPACE);
  const jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace ?? defaultJobNamespace(namespace));
  const sharedNamespace = check.boolean('sharedNamespace', props.sharedNamespace ?? false);
  if (jobNamespace === namespace && !sharedNamespace) {
    check.fail('jobNamespace', jobNamespace, `a namespace other than the manager's ("${namespace}"): in one namespace the manager `
      + 'loses its restricted Pod Security level to the jobs\' level and job pods sit beside the runner token Secret; '
      + 'set sharedNamespace: true if that is what you want');
  }
  const app = props.sampleApp;
  if (app !== undefined) {
    checkProps(check, app, 'SampleAppOptions', 'sampleApp');
    // Its syntax is the app's to check; here only that it is a namespace of its own.
    const appNamespace = app.namespace ?? CalculatorApp.DEFAULT_NAMESPACE;
    if (appNamespace === namespace || appNamespace === jobNamespace) {
      // The deploy identity creates Secrets in the app's namespace and patches the pull Secret by name: beside the runner token or the jobs' credentials it could shadow or replace them.
      check.fail('sampleApp.namespace', appNamespace, `a namespace of the app's own, neither the manager's ("${namespace}") nor the jobs' `
        + `("${jobNamespace}"): the deploy job creates Secrets in the app's namespace and patches its pull Secret there, beside the runner token and the jobs' credentials`);
    }
    // Checked here, so that every error names the prop as given (sampleApp.*), with or without a port.
    const range = app.nodePortRange === undefined ? undefined : check.portRange('sampleApp.nodePortRange', app.nodePortRange);
    if (app.port !== undefined) {
      check.nodePort('sampleApp.port', app.port, range);
    } else if (range !== undefined && (CalculatorApp.DEFAULT_PORT < range.min || CalculatorApp.DEFAULT_PORT > range.max)) {
      check.fail('sampleApp.nodePortRange', range, `a range that holds the app's default node port ${CalculatorApp.DEFAULT_PORT}, or a sampleApp.port within it`);
    }
  }
  return { namespace, jobNamespace, builder, insecureRegistries: props.insecureRegistries ?? [], mirror };
}

/**
 * Maps a public image to its place in a mirror, keeping Docker Hub's paths as the seeds'
 * `registry.example.com/library/docker` does: `docker:27.3.1` -> `<mirror>/library/docker:27.3.1`,
 * `alpine/k8s:1.28.15` -> `<mirror>/alpine/k8s:1.28.15`, `registry.k8s.io/pause:3.9` -> `<mirror>/pause:3.9`.
 */
export function imageMirror(check: PropChecker, mirror: string | undefined): (image: string) => string {
  if (mirror === undefined) return (image) => image;
  check.registryHost('imageMirror', mirror);
  return (image) => {
    const [first, ...rest] = image.split('/');
    if (rest.length === 0) return `${mirror}/library/${image}`;
    const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
    return `${mirror}/${hasRegistry ? rest.join('/') : image}`;
  };
}
