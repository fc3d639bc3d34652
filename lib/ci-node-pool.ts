import { Lazy, Size } from 'cdk8s';
import { Cpu, ISecret, k8s, TaintEffect } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { JobPodPolicy } from './job-pod-policy';
import { AffinityConfig, KubernetesConfig, SelectorRequirementConfig } from './model/runner-config';
import { formatAmounts, ResourceAmounts } from './resources';
import { DEFAULT_NAMESPACE, defaultJobNamespace } from './runner-manager/defaults';
import { kubeToleration, toRunnerTolerations } from './toleration';
import { PropChecker } from './validation/checks';
import { scanManifestsForCredentials } from './validation/credential-scan';
import { checkNoUnknownKeys, checkProps } from './validation/known-keys';
import { parseQuantity } from './validation/quantity';

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

/** CPU (cores) and memory (bytes). */
export interface CpuAndMemory {
  /** Cores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
}

/** How many jobs fit by CPU, by memory, and by both. */
export interface JobFit {
  /** Jobs that fit by CPU. */
  readonly byCpu: number;
  /** Jobs that fit by memory. */
  readonly byMemory: number;
  /** Jobs that fit by both. */
  readonly jobs: number;
}

/** How many jobs fit, on one basis (limits or effective requests). */
export interface CapacityBasis {
  /** One job's CPU (cores) and memory (bytes). */
  readonly perJob: CpuAndMemory;
  /** Jobs that fit on one node by CPU, by memory, and both (a pod cannot span nodes). */
  readonly perNode: JobFit;
  /** Jobs that fit on the whole pool, counted per node. */
  readonly jobs: number;
  /** The resource that limits `jobs`: `cpu` or `memory`. */
  readonly bottleneck: string;
  /** The pooled upper bound: total CPU and memory divided by one job's, ignoring node boundaries. */
  readonly pooled: JobFit;
}

/** The pool's capacity for jobs of one `JobPodPolicy`. */
export interface PoolCapacity {
  /** Nodes in the pool. */
  readonly nodes: number;
  /** CPU (cores) and memory (bytes) job pods can use on each node. */
  readonly allocatablePerNode: CpuAndMemory;
  /** By the jobs' limits: every job can use all it may (the seeds' conservative basis). */
  readonly limits: CapacityBasis;
  /** By the requests Kubernetes schedules on: what fits before pods stay Pending. */
  readonly requests: CapacityBasis;
}

const DEFAULT_TAINT: NodeTaint = { key: 'workload', value: 'ci', effect: TaintEffect.NO_SCHEDULE };
const PRE_PULLER = 'ci-image-prepuller';

/**
 * The CI node pool: where job pods run, with what priority, which images stay pre-pulled on
 * its nodes, and how many jobs it holds at once.
 */
export class CiNodePool extends Construct {
  /** Labels job pods select. */
  public readonly nodeLabels: { readonly [label: string]: string };
  /** Taints job pods tolerate. */
  public readonly taints: NodeTaint[];
  /** The PriorityClass of job pods. */
  public readonly priorityClassName: string;
  /** The pre-puller's namespace. */
  public readonly namespace: string;
  /** The pre-puller DaemonSet, if any. */
  public readonly prePuller?: k8s.KubeDaemonSet;

  private readonly check: PropChecker;
  private readonly affinity?: AffinityConfig;
  private readonly prePullImages = new Map<string, PrePullImage>();
  private readonly size?: PoolSize;

  constructor(scope: Construct, id: string, props: CiNodePoolProps = {}) {
    super(scope, id);
    const check = this.check = new PropChecker(this.node.path);
    checkProps(check, props, 'CiNodePoolProps');
    scanManifestsForCredentials(this);
    this.nodeLabels = check.labels('nodeLabels', props.nodeLabels ?? { workload: 'ci' });
    this.taints = props.taints ?? [{ ...DEFAULT_TAINT }];
    if (!Array.isArray(this.taints)) check.fail('taints', this.taints, 'a list of taints, e.g. [{ key: \'workload\', value: \'ci\', effect: TaintEffect.NO_SCHEDULE }]');
    this.taints.forEach((t, i) => {
      if (!t || t.effect === undefined) check.fail(`taints[${i}].effect`, t?.effect, 'a TaintEffect: a taint always has an effect');
    });
    toRunnerTolerations(check, 'taints', this.taints); // validates keys, values and effects
    this.affinity = nodeAffinity(check, props.requiredNodeAffinity, props.preferredNodeAffinity);
    this.priorityClassName = check.dnsSubdomain('priorityClassName', props.priorityClassName ?? 'high-priority-ci');
    this.namespace = check.dnsLabel('namespace', props.namespace ?? defaultJobNamespace(DEFAULT_NAMESPACE));
    this.size = poolSize(check, props);

    const createPriorityClass = check.boolean('createPriorityClass', props.createPriorityClass ?? true);
    if (!createPriorityClass && props.priority !== undefined) {
      check.fail('priority', props.priority, 'no priority with createPriorityClass: false: the priority is set on the PriorityClass, '
        + `and the existing "${this.priorityClassName}" keeps its own`);
    }
    if (createPriorityClass) {
      new k8s.KubePriorityClass(this, 'PriorityClass', {
        metadata: { name: this.priorityClassName },
        value: check.integer('priority', props.priority ?? 1000, { min: -2147483648, max: 1000000000 }),
        globalDefault: false,
        description: 'GitLab CI job pods: scheduled ahead of lower-priority workloads on the CI node pool.',
      });
    }

    if (props.prePullImages !== undefined && !Array.isArray(props.prePullImages)) {
      check.fail('prePullImages', props.prePullImages, 'a list of { image, command? }');
    }
    (props.prePullImages ?? []).forEach((image, i) => this.addPrePullImage(image, `prePullImages[${i}]`));
    const prePull = check.boolean('prePull', props.prePull ?? true);
    // Each of these only shapes the pre-puller DaemonSet.
    const prePullerOnly = (['prePullImages', 'pauseImage', 'imagePullSecrets'] as const).find((p) => props[p] !== undefined);
    if (!prePull && prePullerOnly) {
      check.fail(prePullerOnly, props[prePullerOnly], `no ${prePullerOnly} with prePull: false: it only shapes the pre-puller DaemonSet, `
        + 'which prePull: false leaves out');
    }
    if (prePull) {
      this.prePuller = this.createPrePuller(props);
    }
  }

  /** Keeps `image` on every node of the pool (no-op without a pre-puller). */
  public addPrePullImage(image: PrePullImage, prop = 'prePullImages'): void {
    checkNoUnknownKeys(this.check, image, 'PrePullImage', prop);
    if (typeof prop !== 'string') this.check.fail('prop', prop, 'the name of the prop the image came from, e.g. "prePullImages[0]"');
    this.check.pinnedImage(`${prop}.image`, image?.image);
    if (image.command !== undefined && (!Array.isArray(image.command) || image.command.length === 0
      || image.command.some((part) => typeof part !== 'string' || part === ''))) {
      this.check.fail(`${prop}.command`, image.command, 'a non-empty command that exits at once, e.g. ["/busybox/true"]');
    }
    image.command?.forEach((part, i) => this.check.noCredential(`${prop}.command[${i}]`, part));
    if (!this.prePullImages.has(image.image)) this.prePullImages.set(image.image, image);
  }

  /** The images the pre-puller pulls, sorted. */
  public get prePulledImages(): string[] {
    return [...this.prePullImages.keys()].sort();
  }

  /**
   * How many jobs of `policy` fit on the pool at once, per node and pooled, by limits and by the
   * requests Kubernetes schedules on. Undefined when the pool's size is not given.
   */
  public capacity(policy: JobPodPolicy): PoolCapacity | undefined {
    if (!this.size) return undefined;
    const { nodes } = this.size;
    const allocatablePerNode = { cpu: this.size.cpu, memory: this.size.memory };
    return {
      nodes,
      allocatablePerNode,
      limits: capacityBasis(nodes, allocatablePerNode, policy.perJobLimits),
      requests: capacityBasis(nodes, allocatablePerNode, policy.perJobRequests),
    };
  }

  /**
   * The placement part of `[runners.kubernetes]`.
   * @internal
   */
  public _toKubernetesConfig(): Partial<KubernetesConfig> {
    return {
      nodeSelector: { ...this.nodeLabels },
      nodeTolerations: toRunnerTolerations(this.check, 'taints', this.taints),
      affinity: this.affinity,
      priorityClassName: this.priorityClassName,
    };
  }

  private createPrePuller(props: CiNodePoolProps): k8s.KubeDaemonSet {
    const labels = { 'app.kubernetes.io/name': PRE_PULLER, 'app.kubernetes.io/component': 'ci-node-pool' };
    const pause = this.check.pinnedImage('pauseImage', props.pauseImage ?? 'registry.k8s.io/pause:3.9');
    // Restricted Pod Security: non-root, no escalation, no capabilities, RuntimeDefault seccomp.
    const securityContext = {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    };
    const tiny = {
      requests: { cpu: k8s.Quantity.fromString('1m'), memory: k8s.Quantity.fromString('8Mi') },
      limits: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('32Mi') },
    };
    return new k8s.KubeDaemonSet(this, 'PrePuller', {
      metadata: { name: PRE_PULLER, namespace: this.namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('25%') } },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: { ...this.nodeLabels },
            tolerations: this.taints.map(kubeToleration),
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 0,
            imagePullSecrets: this.check.list('imagePullSecrets', props.imagePullSecrets)?.map((s, i) => ({ name: this.check.dnsSubdomain(`imagePullSecrets[${i}].name`, s?.name) })),
            securityContext: {
              runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' },
            },
            // Each image runs once as an init container that exits at once: the kubelet pulls it and keeps it.
            initContainers: Lazy.any({
              produce: () => this.prePulledImages.map((image, i) => ({
                name: `pull-${i}`,
                image,
                imagePullPolicy: 'IfNotPresent',
                command: this.prePullImages.get(image)!.command ?? ['sh', '-c', 'exit 0'],
                resources: tiny,
                securityContext,
              })),
            }),
            containers: [{ name: 'pause', image: pause, imagePullPolicy: 'IfNotPresent', resources: tiny, securityContext }],
          },
        },
      },
    });
  }
}

function nodeAffinity(check: PropChecker, required?: NodeLabelRequirement[], preferred?: PreferredNodeRequirements[]):
AffinityConfig | undefined {
  for (const [prop, list] of [['requiredNodeAffinity', required], ['preferredNodeAffinity', preferred]] as const) {
    if (list !== undefined && !Array.isArray(list)) check.fail(prop, list, 'a list');
  }
  if (!required?.length && !preferred?.length) return undefined;
  const operators = Object.values(NodeAffinityOperator) as string[];
  const requirement = (r: NodeLabelRequirement, prop: string): SelectorRequirementConfig => {
    check.labelKey(`${prop}.key`, r?.key);
    check.oneOf(`${prop}.operator`, r.operator as string, operators);
    const values = r.values ?? [];
    if (Array.isArray(values)) values.forEach((v, i) => check.noCredential(`${prop}.values[${i}]`, v));
    const noValues = r.operator === NodeAffinityOperator.EXISTS || r.operator === NodeAffinityOperator.DOES_NOT_EXIST;
    const oneInteger = r.operator === NodeAffinityOperator.GT || r.operator === NodeAffinityOperator.LT;
    if (noValues && values.length > 0) check.fail(`${prop}.values`, values, `no values with operator ${r.operator}`);
    if (oneInteger && (values.length !== 1 || !/^-?\d+$/.test(values[0]))) {
      check.fail(`${prop}.values`, values, `exactly one integer with operator ${r.operator}`);
    }
    if (!noValues && !oneInteger && values.length === 0) check.fail(`${prop}.values`, values, `at least one value with operator ${r.operator}`);
    return { key: r.key, operator: r.operator, values: values.length ? [...values] : undefined };
  };
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: required?.length
        ? { nodeSelectorTerms: [{ matchExpressions: required.map((r, i) => requirement(r, `requiredNodeAffinity[${i}]`)) }] }
        : undefined,
      preferredDuringSchedulingIgnoredDuringExecution: preferred?.map((p, i) => {
        const weight = check.integer(`preferredNodeAffinity[${i}].weight`, p?.weight, { min: 1, max: 100 });
        if (!Array.isArray(p.requirements) || p.requirements.length === 0) {
          check.fail(`preferredNodeAffinity[${i}].requirements`, p.requirements, 'a non-empty list of node label requirements');
        }
        return { weight, preference: { matchExpressions: p.requirements.map((r, j) => requirement(r, `preferredNodeAffinity[${i}].requirements[${j}]`)) } };
      }),
    },
  };
}

interface PoolSize { readonly nodes: number; readonly cpu: number; readonly memory: number }

function poolSize(check: PropChecker, props: CiNodePoolProps): PoolSize | undefined {
  const given = [props.nodes, props.nodeCpu, props.nodeMemory].filter((v) => v !== undefined).length;
  if (given === 0 && props.allocatableFraction !== undefined) {
    check.fail('allocatableFraction', props.allocatableFraction, 'no allocatableFraction without the pool\'s size (nodes, nodeCpu and nodeMemory): '
      + 'it only scales the capacity check, which needs the size');
  }
  if (given === 0) return undefined;
  if (given < 3) {
    check.fail('nodes', { nodes: props.nodes, nodeCpu: props.nodeCpu?.amount, nodeMemory: props.nodeMemory === undefined ? undefined : 'Size' },
      'nodes, nodeCpu and nodeMemory together (or none of them) to plan capacity');
  }
  const fraction = check.ratio('allocatableFraction', props.allocatableFraction ?? 0.8, 'a fraction greater than 0 and at most 1, e.g. 0.8');
  const nodes = check.integer('nodes', props.nodes!, { min: 1 });
  const cpu = parseQuantity(check.cpu('nodeCpu', props.nodeCpu!))!;
  const memory = parseQuantity(check.size('nodeMemory', props.nodeMemory!))!;
  if (cpu <= 0 || memory <= 0) check.fail(cpu <= 0 ? 'nodeCpu' : 'nodeMemory', cpu <= 0 ? props.nodeCpu : props.nodeMemory, 'more than zero');
  // Round away floating-point noise: 8 x 0.8 is 6.4, not 6.4000000000000004.
  return { nodes, cpu: round(cpu * fraction), memory: Math.floor(memory * fraction) };
}

function capacityBasis(nodes: number, perNode: CpuAndMemory, job: ResourceAmounts): CapacityBasis {
  const fit = (available: number, need: number) => (need > 0 ? Math.floor(round(available / need)) : Infinity);
  const byCpu = fit(perNode.cpu, job.cpu);
  const byMemory = fit(perNode.memory, job.memory);
  const pooledCpu = fit(perNode.cpu * nodes, job.cpu);
  const pooledMemory = fit(perNode.memory * nodes, job.memory);
  return {
    perJob: { cpu: job.cpu, memory: job.memory },
    perNode: { byCpu, byMemory, jobs: Math.min(byCpu, byMemory) },
    jobs: Math.min(byCpu, byMemory) * nodes,
    bottleneck: byCpu <= byMemory ? 'cpu' : 'memory',
    pooled: { byCpu: pooledCpu, byMemory: pooledMemory, jobs: Math.min(pooledCpu, pooledMemory) },
  };
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** A one-line summary of a capacity basis, for messages and reports. */
export function describeCapacity(capacity: PoolCapacity, basis: 'limits' | 'requests'): string {
  const b = capacity[basis];
  return `${capacity.nodes} node(s) with ${formatAmounts(capacity.allocatablePerNode)} allocatable each fit `
    + `${b.perNode.jobs} job(s) of ${formatAmounts(b.perJob)} (${basis}) per node, ${b.jobs} in all (${b.bottleneck}-bound)`;
}
