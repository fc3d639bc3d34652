import { Duration } from 'cdk8s';
import { CalculatorApp } from '../calculator-app';
import { RunnerManager } from '../runner-manager';
import { ImageBuilder } from './image-builder';

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
