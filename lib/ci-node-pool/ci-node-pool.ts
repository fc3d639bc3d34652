import { Lazy } from 'cdk8s';
import { k8s, TaintEffect } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { JobPodPolicy } from '../job-pod-policy';
import { AffinityConfig, KubernetesConfig } from '../model/runner-config';
import { DEFAULT_NAMESPACE, defaultJobNamespace } from '../runner-manager/defaults';
import { kubeToleration, toRunnerTolerations } from '../toleration';
import { PropChecker } from '../validation/prop-checker';
import { scanManifestsForCredentials } from '../validation/credential-scan';
import { checkNoUnknownKeys, checkProps } from '../validation/known-keys';
import { nodeAffinity } from './affinity';
import { capacityBasis, PoolCapacity, PoolSize, poolSize } from './capacity';
import { CiNodePoolProps, NodeTaint, PrePullImage } from './props';

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
