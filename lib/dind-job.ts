import { GitlabCiJob } from './model/gitlab-ci';

/** What a Docker-in-Docker job needs. */
export interface DindJobOptions {
  /** The job's image, with the `docker` client. */
  readonly dockerImage: string;
  /** The `docker:dind` service image. */
  readonly dindImage: string;
  /** Registries `dockerd` may reach over plain HTTP. */
  readonly insecureRegistries: readonly string[];
  /** `dockerd --registry-mirror`, if any. */
  readonly registryMirror?: string;
  /** How long the job waits for the daemon, in seconds. */
  readonly daemonTimeoutSeconds: number;
}

/**
 * The Docker-in-Docker part of a job, shared by the app's build and the smoke test: the `dind`
 * service under the alias `docker` without TLS, the client pointed at it, and a bounded wait for
 * the daemon.
 */
export function dindJobSetup(o: DindJobOptions): Pick<GitlabCiJob, 'image' | 'services' | 'variables' | 'before_script'> {
  const timeout = o.daemonTimeoutSeconds;
  return {
    image: { name: o.dockerImage },
    services: [{
      name: o.dindImage,
      alias: 'docker',
      command: [
        '--tls=false',
        ...o.insecureRegistries.map((r) => `--insecure-registry=${r}`),
        ...(o.registryMirror === undefined ? [] : [`--registry-mirror=${o.registryMirror}`]),
      ],
    }],
    variables: { DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '' },
    before_script: [
      // The daemon takes a few seconds to start; wait for it, but not forever.
      `waited=0; until docker info >/dev/null 2>&1; do if [ "$waited" -ge ${timeout} ]; then echo "Docker daemon at $DOCKER_HOST not ready after ${timeout}s"; exit 1; fi; sleep 2; waited=$((waited + 2)); done`,
      'docker version',
    ],
  };
}
