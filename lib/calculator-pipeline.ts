import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CalculatorApp } from './calculator-app';
import { dindJobSetup } from './dind-job';
import { GitlabCiJob, GitlabCiPipeline, GitlabCiRule } from './model/gitlab-ci';
import { GeneratedFileKind } from './output/files';
import { FileRegistry } from './output/registry';
import { RunnerManager } from './runner-manager';
import { PropChecker } from './validation/prop-checker';
import { ValidationError } from './validation/errors';
import { checkProps } from './validation/known-keys';
import { addWarning } from './validation/warnings';

/** The registry the pipeline pushes the app's image to. */
export interface AppRegistry {
  /** Registry host[:port], e.g. `private-registry.example.com`. */
  readonly host: string;
  /** Repository inside it, e.g. `my-namespace/my-app`. */
  readonly repository: string;
  /**
   * CI/CD variable holding the registry user (protected).
   * @default "ACR_USERNAME"
   */
  readonly usernameVariable?: string;
  /**
   * CI/CD variable holding the registry password (protected and masked).
   * @default "ACR_PASSWORD"
   */
  readonly passwordVariable?: string;
}

/** Options of `ImageBuilder.dockerInDocker()`. */
export interface DockerInDockerOptions {
  /**
   * The build job's image, with the Docker client.
   * @default "docker:27.3.1"
   */
  readonly dockerImage?: string;
  /**
   * The DinD service image, with the Docker daemon.
   * @default "docker:27.3.1-dind"
   */
  readonly dindImage?: string;
  /**
   * Registries `dockerd` may reach over plain HTTP (`--insecure-registry`); only these.
   * @default - none
   */
  readonly insecureRegistries?: string[];
  /**
   * A Docker Hub mirror for `dockerd` (`--registry-mirror=<url>`), e.g. a pull-through cache such as
   * `http://registry-cache.local:5000`: an http:// or https:// URL without credentials, query or fragment.
   * @default - none
   */
  readonly registryMirror?: string;
  /**
   * How long the build job waits for the daemon before it fails.
   * @default Duration.seconds(60)
   */
  readonly daemonTimeout?: Duration;
}

/** Options of `ImageBuilder.kaniko()`. */
export interface KanikoOptions {
  /**
   * The kaniko executor image; the `-debug` variant has the shell the job's script needs.
   * @default "gcr.io/kaniko-project/executor:v1.23.2-debug"
   */
  readonly image?: string;
  /**
   * Registries kaniko may push to over plain HTTP or without TLS verification; only these.
   * @default - none
   */
  readonly insecureRegistries?: string[];
}

/** What the build job needs from its surroundings. */
interface BuildContext {
  readonly check: PropChecker;
  readonly registry: Required<AppRegistry>;
  readonly imageVariable: string;
  readonly mirror: (prop: string, image: string) => string;
}

/** How the build job builds the image. */
export class ImageBuilder {
  /**
   * Docker-in-Docker, as the seeds do: a `docker` client image and a `docker:dind` service under
   * the alias `docker`. The service container must run privileged, so the runner's
   * `JobPodPolicy` must use `JobSecurityProfile.privileged()`.
   */
  public static dockerInDocker(options: DockerInDockerOptions = {}): ImageBuilder {
    checkProps(new PropChecker('ImageBuilder.dockerInDocker'), options, 'DockerInDockerOptions', 'options');
    return new ImageBuilder('docker-in-docker', true, (ctx) => {
      const { check, registry } = ctx;
      const docker = check.pinnedImage('builder.dockerImage', ctx.mirror('builder.dockerImage', options.dockerImage ?? 'docker:27.3.1'));
      const dind = check.pinnedImage('builder.dindImage', ctx.mirror('builder.dindImage', options.dindImage ?? 'docker:27.3.1-dind'));
      const insecure = check.registryHosts('builder.insecureRegistries', options.insecureRegistries);
      const registryMirror = options.registryMirror === undefined ? undefined : check.httpUrl('builder.registryMirror', options.registryMirror);
      const timeout = check.seconds('builder.daemonTimeout', options.daemonTimeout ?? Duration.seconds(60), { min: 2 });
      const image = `"$${ctx.imageVariable}"`;
      return {
        images: [docker, dind],
        job: {
          ...dindJobSetup({ dockerImage: docker, dindImage: dind, insecureRegistries: insecure, registryMirror, daemonTimeoutSeconds: timeout }),
          script: [
            `docker build -t ${image} .`,
            `printf '%s' "$${registry.passwordVariable}" | docker login -u "$${registry.usernameVariable}" --password-stdin ${registry.host}`,
            `docker push ${image}`,
          ],
          after_script: [`docker logout ${registry.host} || true`],
        },
      };
    });
  }

  /**
   * kaniko: builds without a Docker daemon and without privileged containers, as root with the
   * default capabilities, which the root-builder profile (`baseline`) allows.
   */
  public static kaniko(options: KanikoOptions = {}): ImageBuilder {
    checkProps(new PropChecker('ImageBuilder.kaniko'), options, 'KanikoOptions', 'options');
    return new ImageBuilder('kaniko', false, (ctx) => {
      const { check, registry } = ctx;
      const image = check.pinnedImage('builder.image', ctx.mirror('builder.image', options.image ?? 'gcr.io/kaniko-project/executor:v1.23.2-debug'));
      const insecure = check.registryHosts('builder.insecureRegistries', options.insecureRegistries);
      return {
        images: [image],
        job: {
          image: { name: image, entrypoint: [''] },
          script: [
            'mkdir -p /kaniko/.docker',
            `printf '{"auths":{"%s":{"auth":"%s"}}}' ${registry.host} "$(printf '%s:%s' "$${registry.usernameVariable}" "$${registry.passwordVariable}" | base64 | tr -d '\\n')" > /kaniko/.docker/config.json`,
            ['/kaniko/executor --context "$CI_PROJECT_DIR" --dockerfile "$CI_PROJECT_DIR/Dockerfile"',
              `--destination "$${ctx.imageVariable}"`,
              ...insecure.map((r) => `--insecure-registry=${r} --skip-tls-verify-registry=${r}`)].join(' '),
          ],
          after_script: ['rm -f /kaniko/.docker/config.json'],
        },
      };
    });
  }

  private constructor(
    /** `docker-in-docker` or `kaniko`. */
    public readonly kind: string,
    /** Whether the build needs privileged job containers. */
    public readonly needsPrivileged: boolean,
    private readonly render: (ctx: BuildContext) => { images: string[]; job: Omit<GitlabCiJob, 'stage'> },
  ) {}

  /** @internal */
  public _build(ctx: BuildContext): { images: string[]; job: Omit<GitlabCiJob, 'stage'> } {
    return this.render(ctx);
  }
}

/** Properties of a `CalculatorPipeline`. */
export interface CalculatorPipelineProps {
  /** The app it builds and deploys. */
  readonly app: CalculatorApp;
  /** The runner that runs its jobs: job tags come from it, and it must allow the builder. */
  readonly runner: RunnerManager;
  /** Where the image is pushed. */
  readonly registry: AppRegistry;
  /**
   * How the image is built.
   * @default ImageBuilder.dockerInDocker()
   */
  readonly builder?: ImageBuilder;
  /**
   * The branch that builds and may deploy.
   * @default "main"
   */
  readonly branch?: string;
  /**
   * Image of the test job (the seeds' exercise 1).
   * @default "python:3.9-slim"
   */
  readonly testImage?: string;
  /**
   * Script of the test job, committed with the pipeline: a credential-looking value or a literal
   * assigned to a credential-like variable (`export API_TOKEN=abc`) is an error; use a CI/CD variable.
   * @default ['pip install --no-cache-dir -r requirements.txt pytest', 'pytest tests/']
   */
  readonly testScript?: string[];
  /**
   * Image of the deploy job, with kubectl and a shell, pinned by tag.
   * @default "alpine/k8s:1.28.15"
   */
  readonly kubectlImage?: string;
  /**
   * File-type CI/CD variable holding the deploy job's kubeconfig (GitLab writes it to a file and
   * puts the file's path in the variable).
   * @default "ACK_KUBECONFIG"
   */
  readonly kubeconfigVariable?: string;
  /**
   * Path of the app's manifest in the app's repository: the deploy job applies this file only.
   * @default - the app chart's file name, e.g. `internal-calculator.k8s.yaml`
   */
  readonly manifestPath?: string;
  /**
   * How long the deploy job waits for the rollout.
   * @default Duration.minutes(5)
   */
  readonly rolloutTimeout?: Duration;
  /**
   * Maps an image reference to the one jobs pull (e.g. through a private mirror).
   * @default - images as given
   */
  readonly mirror?: IImageMirror;
  /**
   * The tags the jobs carry, each one the runner has (checked at synth).
   * @default - the runner's tags
   */
  readonly tags?: string[];
}

/** Maps an image reference to the one jobs pull, e.g. through a private mirror. */
export interface IImageMirror {
  /** The reference jobs pull for `image`, e.g. `docker:27.3.1` -> `registry.example.com/library/docker:27.3.1`. */
  mirrorImage(image: string): string;
}

/**
 * The app's `.gitlab-ci.yml`: build (DinD or kaniko) and push, test, and a manual deploy with
 * kubectl, generated so that the DinD alias, the registries, the pull Secret, the namespace, the
 * runner tags and the image tag all agree with the constructs they come from. Written as
 * `<chart>.gitlab-ci.yml` on `app.synth()`.
 *
 * It also creates the deploy job's identity in the app's namespace: a ServiceAccount, its token
 * Secret (filled in by Kubernetes, for the kubeconfig) and the Role it needs.
 */
export class CalculatorPipeline extends Construct {
  /** The app it builds and deploys. */
  public readonly app: CalculatorApp;
  /**
   * The pipeline model, which the output step renders (internal: its shape is GitLab's keywords).
   * @internal
   */
  public readonly _pipeline: GitlabCiPipeline;
  /** The images the jobs use. */
  public readonly images: string[];
  /** The deploy job's ServiceAccount name. */
  public readonly deployServiceAccountName: string;
  /** The Secret Kubernetes fills with the deploy ServiceAccount's token. */
  public readonly deployTokenSecretName: string;

  constructor(scope: Construct, id: string, props: CalculatorPipelineProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker(this.node.path);
    checkProps(check, props, 'CalculatorPipelineProps', '', true);
    const { app, runner } = props;
    if (!(app instanceof CalculatorApp)) check.fail('app', app, 'a CalculatorApp construct');
    this.app = app;
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
    // The runner's settings and the pipeline's builder and tags must agree: checked at synth, with every other cross-construct check.
    this.node.addValidation({ validate: () => checkRunnerAllows(this.node.path, runner, builder) });

    const branch = check.nonEmptyString('branch', props.branch ?? 'main');
    const onBranch: GitlabCiRule = { if: `$CI_COMMIT_BRANCH == ${JSON.stringify(branch)}` };
    const givenTags = props.tags === undefined ? undefined : check.list('tags', props.tags)!.map((t, i) => check.nonEmptyString(`tags[${i}]`, t, 'a runner tag'));
    const tags = givenTags ? (givenTags.length ? givenTags : undefined) : (runner.tags.length ? [...runner.tags] : undefined);
    if (givenTags) this.node.addValidation({ validate: () => checkTags(this.node.path, runner, givenTags) });
    if (!tags) {
      addWarning(this, `the runner ${runner.node.path} declares no tags, so the jobs have none: set the runner to run untagged jobs in GitLab, or give it tags`);
    }
    const kubeconfig = check.envName('kubeconfigVariable', props.kubeconfigVariable ?? 'ACK_KUBECONFIG');
    const kubectl = check.pinnedImage('kubectlImage', mirror('kubectlImage', props.kubectlImage ?? 'alpine/k8s:1.28.15'));
    const testImage = check.pinnedImage('testImage', mirror('testImage', props.testImage ?? 'python:3.9-slim'));
    const testScript = props.testScript ?? ['pip install --no-cache-dir -r requirements.txt pytest', 'pytest tests/'];
    if (!Array.isArray(testScript) || testScript.length === 0) check.fail('testScript', testScript, 'a non-empty list of shell lines');
    // The pipeline is committed to the app's repository: no literal credential in its lines.
    testScript.forEach((line, i) => check.script(`testScript[${i}]`, line, 'a non-empty shell line'));
    const manifest = check.noCredential('manifestPath', props.manifestPath ?? app.manifestFileName);
    if (typeof manifest !== 'string' || !/^[A-Za-z0-9._/-]+$/.test(manifest)) {
      check.fail('manifestPath', manifest, 'a relative path of letters, digits, ".", "_", "-" and "/"');
    }
    const rollout = check.seconds('rolloutTimeout', props.rolloutTimeout ?? Duration.minutes(5), { min: 1 });
    const ns = app.namespace;
    const deployed = 'calculator-deploy.yaml';

    const build = builder._build({
      check, registry, imageVariable, mirror,
    });
    this._pipeline = {
      stages: ['build', 'test', 'deploy'],
      variables: {
        // One tag per pipeline: the commit for traceability, the pipeline id so that a re-run never reuses a tag.
        [imageVariable]: `${registry.host}/${registry.repository}:\${CI_COMMIT_SHORT_SHA}-\${CI_PIPELINE_ID}`,
      },
      jobs: {
        'build-job': { stage: 'build', tags, rules: [onBranch], ...build.job },
        'test-job': {
          stage: 'test',
          tags,
          image: { name: testImage },
          rules: [onBranch],
          script: testScript,
        },
        'deploy-job': {
          stage: 'deploy',
          tags,
          image: { name: kubectl, entrypoint: [''] },
          // Manual: a person decides when a build goes live.
          rules: [{ ...onBranch, when: 'manual' }],
          environment: { name: ns },
          before_script: [
            // A File-type variable holds the path of a file with the kubeconfig.
            `export KUBECONFIG="$${kubeconfig}"`,
            // Reaches the API server with the deployer's token (a bad one is refused with 401). Not
            // `cluster-info`: it lists Services in kube-system, which the deployer may not.
            'kubectl version',
            [`kubectl create secret docker-registry ${app.pullSecretName} --namespace=${ns}`,
              `--docker-server=${registry.host} --docker-username="$${registry.usernameVariable}" --docker-password="$${registry.passwordVariable}"`,
              '--dry-run=client -o yaml | kubectl apply -f -'].join(' '),
          ],
          script: [
            `sed "s|\\\${${imageVariable}}|\${${imageVariable}}|g" ${manifest} > ${deployed}`,
            `if grep -q '\${${imageVariable}}' ${deployed}; then echo "${imageVariable} was not substituted"; exit 1; fi`,
            `kubectl apply -f ${deployed}`,
            `kubectl rollout status deployment/${app.name} --namespace=${ns} --timeout=${rollout}s`,
          ],
          after_script: [`rm -f ${deployed} "$${kubeconfig}"`],
        },
      },
    };
    this.images = [...build.images, testImage, kubectl];
    // The CI pool keeps the pipeline's images, so jobs do not wait for pulls.
    for (const image of this.images) runner.nodePool?.addPrePullImage({ image });

    this.deployServiceAccountName = `${app.name}-deployer`;
    this.deployTokenSecretName = `${app.name}-deployer-token`;
    this.addDeployIdentity(ns, app);

    FileRegistry.of(this).add(this, GeneratedFileKind.PIPELINE, {
      fileModel: () => ({ pipeline: this._pipeline, header: [
        `The ${app.name} app's pipeline, generated by cdk8s-gitlab-runner from ${this.node.path}.`,
        'Commit it as .gitlab-ci.yml in the app\'s repository, next to ' + manifest + '.',
        `Needs the CI/CD variables ${registry.usernameVariable}, ${registry.passwordVariable} (protected, masked) and ${kubeconfig} (File).`,
      ] }),
    });
  }

  /**
   * The deploy job's ServiceAccount, its token Secret and a Role with exactly what its kubectl
   * commands do: `apply` gets, then creates or patches each object of the app's manifest (never
   * updates); `rollout status` gets, lists and watches Deployments; the pull Secret is applied the
   * same way, by name where RBAC can limit it (create requests carry no name).
   */
  private addDeployIdentity(namespace: string, app: CalculatorApp): void {
    const name = this.deployServiceAccountName;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'deployer' };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: false,
    });
    // A long-lived token by choice: the README and the report give its rotation procedure.
    new k8s.KubeSecret(this, 'TokenSecret', {
      metadata: {
        name: this.deployTokenSecretName,
        namespace,
        labels,
        annotations: { 'kubernetes.io/service-account.name': name },
      },
      type: 'kubernetes.io/service-account-token',
    });
    // The app's chart may still grow after this constructor: the rules are read at synth.
    const appChart = Chart.of(app);
    const applied = () => appChart.node.findAll().filter(ApiObject.isApiObject);
    new k8s.KubeRole(this, 'Role', {
      metadata: { name, namespace, labels },
      rules: Lazy.any({ produce: () => deployRules(applied(), app.pullSecretName) }),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    this.node.addValidation({ validate: () => checkApplied(this.node.path, appChart, applied(), namespace) });
  }
}

/** The resource (plural) of each kind the deploy job may apply; a Role names resources, not kinds. */
const APPLIED_RESOURCES: { readonly [kind: string]: string } = {
  Deployment: 'deployments', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets',
  ServiceAccount: 'serviceaccounts', Ingress: 'ingresses', HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets', NetworkPolicy: 'networkpolicies',
};

/** Client-side `kubectl apply`: get the object, then create it or patch it. */
const APPLY_VERBS = ['get', 'create', 'patch'];
/** `kubectl rollout status deployment/x`: get it, then list and watch it until it is rolled out. */
const ROLLOUT_VERBS = ['get', 'list', 'watch'];
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'patch'];

function deployRules(objects: ApiObject[], pullSecretName: string): k8s.PolicyRule[] {
  const verbs = new Map<string, Set<string>>();
  const grant = (apiVersion: string, resource: string, add: string[]) => {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const key = `${group}/${resource}`;
    const set = verbs.get(key) ?? new Set<string>();
    add.forEach((v) => set.add(v));
    verbs.set(key, set);
  };
  for (const obj of objects) {
    const resource = APPLIED_RESOURCES[obj.kind];
    if (resource === undefined) continue; // refused by checkApplied
    grant(obj.apiVersion, resource, obj.kind === 'Deployment' ? [...APPLY_VERBS, ...ROLLOUT_VERBS] : APPLY_VERBS);
  }
  const rules: k8s.PolicyRule[] = [...verbs].sort(([a], [b]) => a.localeCompare(b)).map(([key, set]) => ({
    apiGroups: [key.split('/')[0]],
    resources: [key.split('/')[1]],
    verbs: VERB_ORDER.filter((v) => set.has(v)),
  }));
  // The pull Secret, piped from `kubectl create secret --dry-run=client` into `kubectl apply -f -`:
  // create cannot be limited by name; get and patch are, so the deployer reads no other Secret.
  rules.push(
    { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    { apiGroups: [''], resources: ['secrets'], resourceNames: [pullSecretName], verbs: ['get', 'patch'] },
  );
  return rules;
}

/** Every object the deploy job applies is one its Role can cover: a known kind in the app's namespace. */
function checkApplied(path: string, appChart: Chart, objects: ApiObject[], namespace: string): string[] {
  const errors: string[] = [];
  for (const obj of objects) {
    if (APPLIED_RESOURCES[obj.kind] === undefined) {
      errors.push(new ValidationError(path, 'app', obj.node.path, `an app chart (${appChart.node.path}) of only `
        + `${Object.keys(APPLIED_RESOURCES).join(', ')} objects: the deploy job applies the whole chart, and its Role covers those kinds; `
        + `${obj.kind} is not one of them`).message);
    } else if ((obj.metadata.namespace ?? appChart.namespace) !== namespace) {
      errors.push(new ValidationError(path, 'app', obj.node.path, `objects in the app's namespace "${namespace}" only: `
        + `the deploy job's Role is there, and ${obj.kind} ${obj.name} is in "${obj.metadata.namespace ?? appChart.namespace ?? '(none)'}"`).message);
    }
  }
  return errors;
}

/** The builder runs on the runner's job pods: DinD needs privileged ones, kaniko root. */
function checkRunnerAllows(path: string, runner: RunnerManager, builder: ImageBuilder): string[] {
  const profile = runner.jobPodPolicy.securityProfile;
  const policy = runner.jobPodPolicy.node.path;
  if (builder.needsPrivileged && !runner.privileged) {
    return [new ValidationError(path, 'builder', builder.kind, `ImageBuilder.kaniko(), or a privileged runner: Docker-in-Docker runs a privileged `
      + `service container, and ${runner.node.path}'s JobPodPolicy ${policy} uses the ${profile.name} profile `
      + '(use JobSecurityProfile.privileged() there)').message];
  }
  if (!builder.needsPrivileged && profile.name === 'non-root') {
    return [new ValidationError(path, 'builder', builder.kind, `a runner whose jobs may run as root: kaniko builds as root, and ${policy} uses the non-root `
      + 'profile (use JobSecurityProfile.rootBuilder() there)').message];
  }
  return [];
}

/** A job tagged with a tag the runner lacks waits for another runner, forever if there is none. */
function checkTags(path: string, runner: RunnerManager, tags: string[]): string[] {
  const missing = tags.filter((t) => !runner.tags.includes(t));
  if (missing.length === 0) return [];
  return [new ValidationError(path, 'tags', tags, `tags of ${runner.node.path} (${runner.tags.length ? runner.tags.join(', ') : 'none'}): `
    + `GitLab gives a job only to a runner with all of its tags, and the runner lacks ${missing.join(', ')}`).message];
}
