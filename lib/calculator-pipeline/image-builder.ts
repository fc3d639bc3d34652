import { Duration } from 'cdk8s';
import { dindJobSetup } from '../dind-job';
import { GitlabCiJob } from '../model/gitlab-ci';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';
import { AppRegistry } from './props';

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
export interface BuildContext {
  readonly check: PropChecker;
  readonly registry: Required<AppRegistry>;
  readonly imageVariable: string;
  readonly mirror: (prop: string, image: string) => string;
}

/** The build job (without its stage, tags and rules) and the images it pulls. */
export interface BuildJob {
  readonly images: string[];
  readonly job: Omit<GitlabCiJob, 'stage'>;
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
    private readonly render: (ctx: BuildContext) => BuildJob,
  ) {}

  /** @internal */
  public _build(ctx: BuildContext): BuildJob {
    return this.render(ctx);
  }
}
