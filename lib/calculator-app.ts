import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, ISecret, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeResourceList } from './model/k8s-shapes';
import { manifestFileName } from './output/placement';
import { isStricter, PodSecurityLevel } from './pod-security';
import { kubeResources, resourceQuantities } from './resources';
import { PropChecker } from './validation/prop-checker';
import { scanManifestsForCredentials } from './validation/credential-scan';
import { ValidationError } from './validation/errors';
import { checkProps } from './validation/known-keys';
import { ObjectIndex, oncePerSynthesis } from './validation/object-index';
import { POD_SECURITY_LABEL_KEYS } from './render/pod-security-labels';

/** The image a `CalculatorApp` runs. */
export class AppImage {
  /** A fixed reference, pinned by tag or digest. */
  public static fromReference(reference: string): AppImage {
    return new AppImage(reference, undefined);
  }

  /**
   * A placeholder the deploy job fills in, as the seeds do with `envsubst`: the manifest holds
   * `${DOCKER_IMAGE}` and the pipeline substitutes the tag it built.
   */
  public static fromVariable(name = 'DOCKER_IMAGE'): AppImage {
    return new AppImage(`\${${name}}`, name);
  }

  private constructor(
    /** What the manifest's `image:` holds. */
    public readonly manifestValue: string,
    /** The CI variable substituted at deploy time, if any. */
    public readonly variable: string | undefined,
  ) {}

  /** @internal */
  public _validate(check: PropChecker, prop: string): string {
    if (this.variable !== undefined) {
      check.noCredential(`${prop}.variable`, this.variable);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.variable)) {
        check.fail(`${prop}.variable`, this.variable, 'a CI variable name: letters, digits and \'_\', not starting with a digit');
      }
      return this.manifestValue;
    }
    return check.pinnedImage(prop, this.manifestValue);
  }
}

/** Properties of a `CalculatorApp`. */
export interface CalculatorAppProps {
  /**
   * The image.
   * @default AppImage.fromVariable('DOCKER_IMAGE')
   */
  readonly image?: AppImage;
  /**
   * Namespace of the app's objects (created by the platform, not by the deploy job).
   * @default "calculator"
   */
  readonly namespace?: string;
  /**
   * Name of the Deployment and the Service.
   * @default "calculator"
   */
  readonly name?: string;
  /**
   * Pod replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The container port, also the Service port and the node port: within `nodePortRange`.
   * @default 30194
   */
  readonly port?: number;
  /**
   * The cluster's NodePort range (the API server's `--service-node-port-range`), which `port` must lie in.
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * Registry Secret for pulling the image; the deploy job creates it (`acr-secret` in the seeds).
   */
  readonly pullSecret: ISecret;
  /**
   * Resources of the container.
   * @default - requests 100m CPU / 128Mi, limits 500m / 256Mi
   */
  readonly resources?: ContainerResources;
  /**
   * Time zone of the app, as the `TZ` variable: an IANA name (needs the tzdata files in the image)
   * or a POSIX string such as `CST-8` (needs nothing).
   * @default "UTC"
   */
  readonly timeZone?: string;
  /**
   * Mount the node's `/etc/localtime` instead, as the seeds do. A host path is forbidden by the
   * Pod Security `baseline` and `restricted` levels, so the app's namespace must then be
   * `privileged` (see `podSecurityLevel`).
   * @default false
   */
  readonly mountHostLocaltime?: boolean;
  /**
   * User and group id the container runs as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Liveness probe delay and period (seeds' exercise 2: 30s / 10s).
   * @default { initialDelay: Duration.seconds(30), period: Duration.seconds(10) }
   */
  readonly liveness?: ProbeTiming;
  /**
   * Readiness probe delay and period (seeds' exercise 2: 5s / 5s).
   * @default { initialDelay: Duration.seconds(5), period: Duration.seconds(5) }
   */
  readonly readiness?: ProbeTiming;
}

/** A range of node ports, both ends included. */
export interface NodePortRange {
  /** The lowest node port. */
  readonly min: number;
  /** The highest node port. */
  readonly max: number;
}

/** Timing of an HTTP probe on `/`. */
export interface ProbeTiming {
  /** Delay before the first probe. */
  readonly initialDelay: Duration;
  /** Time between probes. */
  readonly period: Duration;
}

/**
 * The seeds' "Calculator API": a Flask app on port 30194, as a Deployment and a NodePort Service
 * that pass the Pod Security `restricted` level (non-root, no privilege escalation, all
 * capabilities dropped, `RuntimeDefault` seccomp, read-only root file system).
 */
export class CalculatorApp extends Construct {
  /** The namespace when `CalculatorAppProps.namespace` is not given. */
  public static readonly DEFAULT_NAMESPACE = 'calculator';
  /** The node port when `port` is not given (the seeds' app's). */
  public static readonly DEFAULT_PORT = 30194;

  /** Name of the Deployment and the Service. */
  public readonly name: string;
  /** The app's namespace. */
  public readonly namespace: string;
  /** The container, Service and node port. */
  public readonly port: number;
  /** The pull Secret's name. */
  public readonly pullSecretName: string;
  /** The image. */
  public readonly image: AppImage;
  /** The Pod Security level the app's namespace can enforce: `restricted`, or `privileged` with the host mount. */
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: CalculatorAppProps) {
    super(scope, id);
    const check = new PropChecker(this.node.path);
    checkProps(check, props, 'CalculatorAppProps', '', true);
    scanManifestsForCredentials(this);
    this.name = check.dnsLabel('name', props.name ?? 'calculator');
    this.namespace = check.dnsLabel('namespace', props.namespace ?? CalculatorApp.DEFAULT_NAMESPACE);
    this.port = check.nodePort('port', props.port ?? CalculatorApp.DEFAULT_PORT,
      props.nodePortRange === undefined ? undefined : check.portRange('nodePortRange', props.nodePortRange));
    // A string here (the registry password itself, say) has no name: the error shows `undefined`, never the string.
    this.pullSecretName = check.dnsSubdomain('pullSecret.name', props.pullSecret?.name);
    this.image = props.image ?? AppImage.fromVariable();
    if (!(this.image instanceof AppImage)) check.fail('image', props.image, 'AppImage.fromReference(...) or AppImage.fromVariable(...)');
    const image = this.image._validate(check, 'image');
    const replicas = check.integer('replicas', props.replicas ?? 2, { min: 1 });
    const user = check.integer('runAsUser', props.runAsUser ?? 10001, { min: 1 });
    const hostLocaltime = check.boolean('mountHostLocaltime', props.mountHostLocaltime ?? false);
    this.podSecurityLevel = hostLocaltime ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.RESTRICTED;
    const timeZone = check.nonEmptyString('timeZone', props.timeZone ?? 'UTC', 'an IANA time zone such as "Asia/Shanghai" or a POSIX TZ string');
    if (hostLocaltime && props.timeZone !== undefined) {
      check.fail('timeZone', props.timeZone, 'no timeZone with mountHostLocaltime: true: the app then takes the node\'s /etc/localtime, and TZ is not set');
    }
    const resources = kubeResources(resourceQuantities(check, 'resources', props.resources ?? {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    }));
    const probe = (prop: string, timing: ProbeTiming): k8s.Probe => (timing === null || typeof timing !== 'object'
      ? check.fail(prop, timing, '{ initialDelay, period }, e.g. { initialDelay: Duration.seconds(5), period: Duration.seconds(5) }') : {
      httpGet: { path: '/', port: k8s.IntOrString.fromString('http') },
      initialDelaySeconds: check.seconds(`${prop}.initialDelay`, timing.initialDelay, { min: 0 }),
      periodSeconds: check.seconds(`${prop}.period`, timing.period, { min: 1 }),
    });

    const labels = { 'app': this.name, 'app.kubernetes.io/name': this.name };
    const volumes: k8s.Volume[] = [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }];
    const mounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    if (hostLocaltime) {
      volumes.push({ name: 'host-time', hostPath: { path: '/etc/localtime', type: 'File' } });
      mounts.push({ name: 'host-time', mountPath: '/etc/localtime', readOnly: true });
    }

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: this.name } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            imagePullSecrets: [{ name: this.pullSecretName }],
            securityContext: {
              runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: this.name,
              image,
              // Every pipeline pushes a new tag, and a re-run may push the same tag again.
              imagePullPolicy: 'Always',
              ports: [{ name: 'http', containerPort: this.port }],
              env: hostLocaltime ? undefined : [{ name: 'TZ', value: timeZone }],
              livenessProbe: probe('liveness', props.liveness ?? { initialDelay: Duration.seconds(30), period: Duration.seconds(10) }),
              readinessProbe: probe('readiness', props.readiness ?? { initialDelay: Duration.seconds(5), period: Duration.seconds(5) }),
              resources: resources && {
                requests: quantities(resources.requests),
                limits: quantities(resources.limits),
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: mounts,
            }],
            volumes,
          },
        },
      },
    });

    // The app's Namespace may be created anywhere in the app (the platform's chart, a RunnerManager):
    // when all constructs exist, it must admit the app's pods.
    this.node.addValidation(oncePerSynthesis(this, (index) => this.checkNamespaceLevel(index)));

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        type: 'NodePort',
        selector: { app: this.name },
        ports: [{ name: 'http', port: this.port, targetPort: k8s.IntOrString.fromString('http'), nodePort: this.port }],
      },
    });
  }

  /** The app's Namespace, wherever in the app it is created, admits the app's pods. */
  private checkNamespaceLevel(index: ObjectIndex): string[] {
    const errors: string[] = [];
    for (const obj of index.ofKind('Namespace')) {
      if (obj.name !== this.namespace) continue;
      const level = obj.metadata.getLabel(POD_SECURITY_LABEL_KEYS.enforce.level) as PodSecurityLevel | undefined;
      if (level && isStricter(level, this.podSecurityLevel)) {
        errors.push(new ValidationError(this.node.path, 'namespace', this.namespace, `a namespace whose Pod Security level admits the app: ${obj.node.path} enforces `
          + `"${level}", but the app needs "${this.podSecurityLevel}"${this.podSecurityLevel === PodSecurityLevel.PRIVILEGED ? ' (mountHostLocaltime)' : ''}`).message);
      }
    }
    return errors;
  }

  /** The file name cdk8s gives this app's chart, which the deploy job applies. */
  public get manifestFileName(): string {
    return manifestFileName(this);
  }
}

function quantities(list: KubeResourceList | undefined): { [key: string]: k8s.Quantity } | undefined {
  if (!list) return undefined;
  return Object.fromEntries(Object.entries(list)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
}
