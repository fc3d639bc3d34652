import { Size } from 'cdk8s';
import { Cpu, ISecret, TaintEffect } from 'cdk8s-plus-28';

/** A taint on the pool's nodes; job pods get the matching toleration. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value.
   * @default - no value
   */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/** Operator of a node affinity requirement. */
export enum NodeAffinityOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
  GT = 'Gt',
  LT = 'Lt',
}

/** One requirement on a node label. */
export interface NodeLabelRequirement {
  /** Label key. */
  readonly key: string;
  /** Operator. */
  readonly operator: NodeAffinityOperator;
  /**
   * Values (none for `EXISTS` and `DOES_NOT_EXIST`, one integer for `GT` and `LT`).
   * @default - none
   */
  readonly values?: string[];
}

/** A preferred set of node label requirements with its weight. */
export interface PreferredNodeRequirements {
  /** Weight, 1 to 100. */
  readonly weight: number;
  /** Requirements that must all hold. */
  readonly requirements: NodeLabelRequirement[];
}

/** An image the pre-puller keeps on every node of the pool. */
export interface PrePullImage {
  /** Image reference, pinned by tag or digest. */
  readonly image: string;
  /**
   * Command that exits at once in that image.
   * @default ["sh", "-c", "exit 0"]
   */
  readonly command?: string[];
}

/** Properties of a `CiNodePool`. */
export interface CiNodePoolProps {
  /**
   * Labels of the CI nodes; job pods select them (`node_selector`).
   * @default { workload: 'ci' }
   */
  readonly nodeLabels?: { [label: string]: string };
  /**
   * Taints of the CI nodes that keep other pods off them; job pods tolerate them (`node_tolerations`).
   * @default - `workload=ci:NoSchedule`
   */
  readonly taints?: NodeTaint[];
  /**
   * Node label requirements every job pod must meet, in addition to `nodeLabels`.
   * @default - none
   */
  readonly requiredNodeAffinity?: NodeLabelRequirement[];
  /**
   * Node label requirements job pods prefer.
   * @default - none
   */
  readonly preferredNodeAffinity?: PreferredNodeRequirements[];
  /**
   * PriorityClass of job pods, created by this pool unless `createPriorityClass` is false.
   * @default "high-priority-ci"
   */
  readonly priorityClassName?: string;
  /**
   * Priority of job pods.
   * @default 1000
   */
  readonly priority?: number;
  /**
   * Create the PriorityClass (it is cluster-scoped: create it once per cluster).
   * @default true
   */
  readonly createPriorityClass?: boolean;
  /**
   * Keep the jobs' images on every node with a pre-puller DaemonSet. A `RunnerManager` using
   * this pool adds its helper and default job images; add service images such as DinD here.
   * @default true
   */
  readonly prePull?: boolean;
  /**
   * More images to pre-pull, e.g. `docker:27.3.1-dind`.
   * @default - none
   */
  readonly prePullImages?: PrePullImage[];
  /**
   * Namespace of the pre-puller DaemonSet: the jobs' namespace of the manager that uses the pool.
   * @default "gitlab-runner-jobs" (the `RunnerManager` default `jobNamespace`)
   */
  readonly namespace?: string;
  /**
   * The pre-puller's main container image, which only sleeps.
   * @default "registry.k8s.io/pause:3.9"
   */
  readonly pauseImage?: string;
  /**
   * Registry Secrets for the pre-puller, in its namespace.
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];
  /**
   * Number of CI nodes, for capacity planning.
   * @default - capacity is not planned
   */
  readonly nodes?: number;
  /**
   * CPU of each node.
   * @default - capacity is not planned
   */
  readonly nodeCpu?: Cpu;
  /**
   * Memory of each node.
   * @default - capacity is not planned
   */
  readonly nodeMemory?: Size;
  /**
   * Share of each node's CPU and memory that job pods can use (the rest goes to the system,
   * the kubelet and DaemonSets).
   * @default 0.8
   */
  readonly allocatableFraction?: number;
}
