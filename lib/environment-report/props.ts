import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CalculatorPipeline } from '../calculator-pipeline';
import { RunnerNetworkPolicies } from '../network-policies';
import { RunnerManager } from '../runner-manager';

/** What the report needs to know of the environment's monitoring. */
export interface MonitoringSummary {
  /** The alerts defined for the runner. */
  readonly alertNames: string[];
}

/** Properties of an `EnvironmentReport`. */
export interface EnvironmentReportProps {
  /** The runner the report is about. */
  readonly runner: RunnerManager;
  /**
   * Its NetworkPolicies.
   * @default - none
   */
  readonly networkPolicies?: RunnerNetworkPolicies;
  /**
   * Its monitoring (a `RunnerMonitoring`).
   * @default - none
   */
  readonly monitoring?: MonitoringSummary;
  /**
   * The app's pipeline.
   * @default - none
   */
  readonly pipeline?: CalculatorPipeline;
  /**
   * The runner's smoke test, whose file the report names.
   * @default - none
   */
  readonly smokeTest?: IConstruct;
  /**
   * The chart with the CoreDNS change, if the environment has one.
   * @default - none
   */
  readonly coreDnsChart?: Chart;
  /**
   * Host names job pods resolve, for the DNS lookup cost (registries, GitLab, the cache).
   * @default - GitLab's host
   */
  readonly hosts?: string[];
}
