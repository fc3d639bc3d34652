import { KubernetesConfig, ContainerSecurityContextConfig } from '../model/runner-config';
import { PodSecurityLevel } from '../pod-security';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';

/** Options of `JobSecurityProfile.nonRoot()`. */
export interface NonRootProfileOptions {
  /**
   * User id of every job container.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Primary group id of every job container.
   * @default 1000
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default - the runAsGroup
   */
  readonly fsGroup?: number;
}

/**
 * What job containers may do. The jobs' namespace must allow it: Pod Security `baseline` and
 * `restricted` both forbid privileged containers, and job pods cannot pass `restricted` at all
 * because `config.toml` has no seccomp setting.
 */
export class JobSecurityProfile {
  /**
   * Privileged build and service containers, as Docker-in-Docker needs. A privileged container
   * is root on its node; the jobs' namespace must be `privileged`.
   */
  public static privileged(): JobSecurityProfile {
    return new JobSecurityProfile('privileged', true, PodSecurityLevel.PRIVILEGED,
      'both baseline and restricted forbid privileged containers', () => ({
      privileged: true,
      // Kubernetes rejects privileged containers that may not escalate.
      allowPrivilegeEscalation: true,
    }));
  }

  /**
   * An unprivileged builder: containers may run as root with the default capabilities, which is
   * what kaniko needs to build images without a Docker daemon. Passes `baseline`.
   */
  public static rootBuilder(): JobSecurityProfile {
    return new JobSecurityProfile('root-builder', false, PodSecurityLevel.BASELINE,
      'restricted forbids running as root, and config.toml cannot give job pods a seccomp profile', () => ({
      privileged: false,
      allowPrivilegeEscalation: false,
    }));
  }

  /**
   * Non-root: every container runs as `runAsUser`, with all capabilities dropped and no privilege
   * escalation. Job images must work as that user. Passes `baseline`.
   */
  public static nonRoot(options: NonRootProfileOptions = {}): JobSecurityProfile {
    checkProps(new PropChecker('JobSecurityProfile.nonRoot'), options, 'NonRootProfileOptions', 'options');
    return new JobSecurityProfile('non-root', false, PodSecurityLevel.BASELINE,
      'restricted needs a seccomp profile, which config.toml cannot give job pods', (check, prop) => {
      const runAsUser = check.integer(`${prop}.runAsUser`, options.runAsUser ?? 1000, { min: 1 });
      const runAsGroup = check.integer(`${prop}.runAsGroup`, options.runAsGroup ?? 1000, { min: 0 });
      const fsGroup = check.integer(`${prop}.fsGroup`, options.fsGroup ?? runAsGroup, { min: 0 });
      const container: ContainerSecurityContextConfig = {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      };
      return {
        privileged: false,
        allowPrivilegeEscalation: false,
        podSecurityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup },
        initPermissionsContainerSecurityContext: container,
        buildContainerSecurityContext: container,
        helperContainerSecurityContext: container,
        serviceContainerSecurityContext: container,
      };
    });
  }

  private constructor(
    /** The profile's name: `privileged`, `root-builder` or `non-root`. */
    public readonly name: string,
    /** Whether build and service containers run privileged. */
    public readonly runsPrivileged: boolean,
    /** The strictest Pod Security level job pods with this profile pass. */
    public readonly podSecurityLevel: PodSecurityLevel,
    /** Why no stricter level works. */
    public readonly podSecurityReason: string,
    private readonly config: ProfileConfig,
  ) {}

  /**
   * The security part of `[runners.kubernetes]`.
   * @internal
   */
  public _toKubernetesConfig(check: PropChecker, prop: string): Partial<KubernetesConfig> {
    return this.config(check, prop);
  }
}

type ProfileConfig = (check: PropChecker, prop: string) => Partial<KubernetesConfig>;
