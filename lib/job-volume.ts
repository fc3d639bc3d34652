import { Size } from 'cdk8s';
import { EmptyDirMedium, IConfigMap, IPersistentVolumeClaim, ISecret } from 'cdk8s-plus-28';
import { VolumesConfig } from './model/runner-config';
import { PropChecker } from './validation/prop-checker';
import { checkProps } from './validation/known-keys';

/** Where a job volume is mounted in the build, helper and service containers. */
export interface JobVolumeMountOptions {
  /** Absolute path inside the containers. */
  readonly mountPath: string;
  /**
   * Mount only this sub-path of the volume.
   * @default - the whole volume
   */
  readonly subPath?: string;
  /**
   * Mount read-only (not applicable to emptyDir).
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options for `JobVolume.emptyDir()`. */
export interface JobEmptyDirOptions extends JobVolumeMountOptions {
  /**
   * Storage medium; `EmptyDirMedium.MEMORY` is a tmpfs counted against the container's memory.
   * @default EmptyDirMedium.DEFAULT
   */
  readonly medium?: EmptyDirMedium;
  /**
   * Size limit.
   * @default - no limit
   */
  readonly sizeLimit?: Size;
}

/** Options for `JobVolume.secret()` and `JobVolume.configMap()`. */
export interface JobKeyedVolumeOptions extends JobVolumeMountOptions {
  /**
   * Project only these keys, each to the given relative path.
   * @default - every key, as a file named after the key
   */
  readonly items?: { readonly [key: string]: string };
}

type VolumeKind = keyof VolumesConfig;

/** A factory's options (and referenced object) as objects; their content is checked where the volume is used. */
function volumeOptions(factory: string, options: unknown, struct: 'JobEmptyDirOptions' | 'JobKeyedVolumeOptions' | 'JobVolumeMountOptions',
  refProp?: string, ref?: unknown): void {
  const check = new PropChecker(factory);
  if (refProp !== undefined && (ref === null || typeof ref !== 'object')) {
    check.fail(refProp, ref, `a ${refProp === 'claim' ? 'PersistentVolumeClaim' : refProp === 'secret' ? 'Secret' : 'ConfigMap'} reference, `
      + `e.g. ${refProp === 'claim' ? 'PersistentVolumeClaim.fromClaimName' : refProp === 'secret' ? 'Secret.fromSecretName' : 'ConfigMap.fromConfigMapName'}(this, 'Ref', 'name')`);
  }
  checkProps(check, options, struct, 'options', true);
}

/**
 * A volume mounted into every job pod (`[[runners.kubernetes.volumes.*]]`).
 * Host paths need `allowHostPathVolumes: true` on the `RunnerManager`: they give jobs access to
 * the node and are forbidden by the Pod Security `baseline` level.
 */
export class JobVolume {
  /** A scratch directory that lives as long as the job pod. */
  public static emptyDir(name: string, options: JobEmptyDirOptions): JobVolume {
    volumeOptions('JobVolume.emptyDir', options, 'JobEmptyDirOptions');
    return new JobVolume('emptyDir', name, options, (check, prop) => {
      // The runner's emptyDir volume has no read_only: the mount would be writable all the same.
      if (options.readOnly !== undefined) check.fail(`${prop}.readOnly`, options.readOnly, 'no readOnly: an emptyDir volume is always writable');
      return {
      medium: options.medium === undefined ? undefined
        : check.oneOf(`${prop}.medium`, options.medium as string, Object.values(EmptyDirMedium) as string[]) || undefined,
      sizeLimit: options.sizeLimit === undefined ? undefined : check.size(`${prop}.sizeLimit`, options.sizeLimit),
      };
    });
  }

  /** A Secret in the jobs' namespace, mounted as files. */
  public static secret(secret: ISecret, options: JobKeyedVolumeOptions): JobVolume {
    volumeOptions('JobVolume.secret', options, 'JobKeyedVolumeOptions', 'secret', secret);
    return new JobVolume('secret', secret.name, options, () => ({ readOnly: options.readOnly, items: options.items }));
  }

  /** A ConfigMap in the jobs' namespace, mounted as files. */
  public static configMap(configMap: IConfigMap, options: JobKeyedVolumeOptions): JobVolume {
    volumeOptions('JobVolume.configMap', options, 'JobKeyedVolumeOptions', 'configMap', configMap);
    return new JobVolume('configMap', configMap.name, options, () => ({ readOnly: options.readOnly, items: options.items }));
  }

  /** An existing PersistentVolumeClaim in the jobs' namespace. */
  public static pvc(claim: IPersistentVolumeClaim, options: JobVolumeMountOptions): JobVolume {
    volumeOptions('JobVolume.pvc', options, 'JobVolumeMountOptions', 'claim', claim);
    return new JobVolume('pvc', claim.name, options, () => ({ readOnly: options.readOnly }));
  }

  /** A directory of the node. Needs `allowHostPathVolumes: true` on the `RunnerManager`. */
  public static hostPath(name: string, hostPath: string, options: JobVolumeMountOptions): JobVolume {
    volumeOptions('JobVolume.hostPath', options, 'JobVolumeMountOptions');
    return new JobVolume('hostPath', name, options, (check, prop) => {
      if (typeof hostPath !== 'string' || !hostPath.startsWith('/')) {
        check.fail(`${prop}.hostPath`, hostPath, 'an absolute path on the node');
      }
      return { readOnly: options.readOnly, hostPath };
    });
  }

  private constructor(
    /** The runner's volume kind. */
    public readonly kind: VolumeKind,
    /** The volume's name (for Secrets, ConfigMaps and claims: the object's name). */
    public readonly name: string,
    private readonly mount: JobVolumeMountOptions,
    private readonly extra: (check: PropChecker, prop: string) => object,
  ) {}

  /** True for host paths, which need an explicit opt-in. */
  public get isHostPath(): boolean {
    return this.kind === 'hostPath';
  }

  /**
   * The volume's `[[runners.kubernetes.volumes.<kind>]]` entry, validated with `check`.
   * @internal
   */
  public _toConfig(check: PropChecker, prop: string): { kind: VolumeKind; entry: object } {
    check.dnsSubdomain(`${prop}.name`, this.name);
    if (typeof this.mount.mountPath !== 'string' || !this.mount.mountPath.startsWith('/')) {
      check.fail(`${prop}.mountPath`, this.mount.mountPath, 'an absolute path inside the containers');
    }
    if (this.mount.subPath !== undefined) check.nonEmptyString(`${prop}.subPath`, this.mount.subPath, 'a relative path inside the volume');
    if (this.mount.readOnly !== undefined) check.boolean(`${prop}.readOnly`, this.mount.readOnly);
    const items = (this.mount as JobKeyedVolumeOptions).items;
    if (items !== undefined) {
      for (const [key, path] of Object.entries(check.map(`${prop}.items`, items, 'a map of keys to relative paths'))) {
        check.noCredential(`${prop}.items key`, key);
        check.nonEmptyString(`${prop}.items["${key}"]`, path, 'a relative path');
      }
    }
    return {
      kind: this.kind,
      entry: { name: this.name, mountPath: this.mount.mountPath, subPath: this.mount.subPath, ...this.extra(check, prop) },
    };
  }
}
