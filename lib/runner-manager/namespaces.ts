import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { PodSecurityLevel } from '../pod-security';
import { podSecurityLabels } from '../render/pod-security-labels';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';
import { NAMESPACE_NAME_LABEL } from '../model/labels';

/** Properties of `RunnerNamespaces`. */
export interface RunnerNamespacesProps {
  /** The manager's namespace. */
  readonly namespace: string;
  /** The jobs' namespace (may equal `namespace` when the two are shared). */
  readonly jobNamespace: string;
  /** The Pod Security level the jobs' namespace enforces. */
  readonly jobNamespacePodSecurity: PodSecurityLevel;
  /**
   * Create the Namespace objects; without, only the names and levels are known.
   * @default true
   */
  readonly create?: boolean;
}

/**
 * The manager's and the jobs' namespaces with their Pod Security labels: `restricted` for the
 * manager, the jobs' level for the jobs' (one namespace takes the jobs' level, which the
 * restricted manager pod passes too). Another manager shares them through its `namespaces` prop.
 */
export class RunnerNamespaces extends Construct {
  /** The manager's namespace. */
  public readonly namespace: string;
  /** The jobs' namespace. */
  public readonly jobNamespace: string;
  /** The Pod Security level of the jobs' namespace. */
  public readonly jobNamespacePodSecurity: PodSecurityLevel;
  /** The Namespace objects, manager's first; none when not created. */
  private readonly objects: k8s.KubeNamespace[] = [];

  constructor(scope: Construct, id: string, props: RunnerNamespacesProps) {
    super(scope, id);
    const check = new PropChecker(this.node.path);
    if (props === undefined || props === null || typeof props !== 'object') check.fail('props', props, 'an object with namespace, jobNamespace and jobNamespacePodSecurity');
    checkProps(check, props, 'RunnerNamespacesProps');
    this.namespace = check.dnsLabel('namespace', props.namespace);
    this.jobNamespace = check.dnsLabel('jobNamespace', props.jobNamespace);
    this.jobNamespacePodSecurity = check.oneOf('jobNamespacePodSecurity', props.jobNamespacePodSecurity, Object.values(PodSecurityLevel)) as PodSecurityLevel;
    if (!check.boolean('create', props.create ?? true)) return;
    if (this.jobNamespace !== this.namespace) {
      this.objects.push(this.add('ManagerNamespace', this.namespace, PodSecurityLevel.RESTRICTED));
      this.objects.push(this.add('JobNamespace', this.jobNamespace, this.jobNamespacePodSecurity));
    } else {
      this.objects.push(this.add('ManagerNamespace', this.namespace, this.jobNamespacePodSecurity));
    }
  }

  /**
   * Makes `dependent` (an object in one of these namespaces, created before them) apply after its
   * Namespace. No-op for a namespace not created here.
   */
  public applyBefore(dependent: IConstruct, namespace: string): void {
    const check = new PropChecker(this.node.path);
    if (!Construct.isConstruct(dependent)) check.fail('dependent', dependent, 'a construct, e.g. a CiNodePool\'s prePuller');
    check.dnsLabel('namespace', namespace);
    const object = this.objects.find((o) => o.name === namespace);
    if (object) dependent.node.addDependency(object);
  }

  private add(id: string, name: string, level: PodSecurityLevel): k8s.KubeNamespace {
    return new k8s.KubeNamespace(this, id, { metadata: { name, labels: { [NAMESPACE_NAME_LABEL]: name, ...podSecurityLabels(level) } } });
  }
}
