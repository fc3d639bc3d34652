import { PropChecker } from './validation/prop-checker';
import { checkProps } from './validation/known-keys';

/** Base image of the helper container. */
export enum HelperImageFlavor {
  /** The default: Alpine (3.21 for runner 17.7 and later). */
  ALPINE = 'alpine',
  ALPINE_3_19 = 'alpine3.19',
  ALPINE_3_21 = 'alpine3.21',
  /** The newest Alpine; moves with runner releases. */
  ALPINE_LATEST = 'alpine-latest',
  /** glibc-based, for environments where musl's resolver causes trouble. */
  UBUNTU = 'ubuntu',
  /** FIPS-validated, x86_64 only. */
  UBI_FIPS = 'ubi-fips',
}

/** CPU architecture of the CI nodes, as the helper image tags name it. */
export enum CpuArchitecture {
  X86_64 = 'x86_64',
  ARM64 = 'arm64',
  ARM = 'arm',
  S390X = 's390x',
  PPC64LE = 'ppc64le',
}

/** Options of the helper image. */
export interface HelperImageOptions {
  /**
   * Base image flavor. Part of the tag: with `helper_image` set the runner ignores `helper_image_flavor`.
   * @default HelperImageFlavor.ALPINE
   */
  readonly flavor?: HelperImageFlavor;
  /**
   * Architecture of the CI nodes.
   * @default CpuArchitecture.X86_64
   */
  readonly architecture?: CpuArchitecture;
}

/** Options of a helper image in a private registry. */
export interface MirroredHelperImageOptions extends HelperImageOptions {
  /**
   * Repository inside the registry.
   * @default "gitlab/gitlab-runner-helper"
   */
  readonly repository?: string;
}

const OFFICIAL = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper';

/**
 * The helper container's image (`helper_image`), pinned by tag to the runner's version:
 * `<registry>/<repository>:[<flavor>-]<arch>-v<version>`, e.g.
 * `registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0`.
 */
export class HelperImage {
  /** GitLab's own registry, `registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper`. */
  public static official(options: HelperImageOptions = {}): HelperImage {
    checkProps(new PropChecker('HelperImage.official'), options, 'HelperImageOptions', 'options');
    return new HelperImage(OFFICIAL, options);
  }

  /** A mirror in a private registry, e.g. `HelperImage.fromRegistry('registry.example.com')`. */
  public static fromRegistry(registry: string, options: MirroredHelperImageOptions = {}): HelperImage {
    checkProps(new PropChecker('HelperImage.fromRegistry'), options, 'MirroredHelperImageOptions', 'options');
    return new HelperImage(`${registry}/${options.repository ?? 'gitlab/gitlab-runner-helper'}`, options, registry);
  }

  private constructor(
    /** The image name without tag. */
    public readonly repository: string,
    private readonly options: HelperImageOptions,
    private readonly registry?: string,
  ) {}

  /** The architecture the image is for. */
  public get architecture(): CpuArchitecture {
    return this.options.architecture ?? CpuArchitecture.X86_64;
  }

  /**
   * The full image reference for `runnerVersion`, validated with `check`.
   * @internal
   */
  public _imageFor(check: PropChecker, prop: string, runnerVersion: string): string {
    const flavor = this.options.flavor ?? HelperImageFlavor.ALPINE;
    check.oneOf(`${prop}.flavor`, flavor, Object.values(HelperImageFlavor));
    check.oneOf(`${prop}.architecture`, this.architecture, Object.values(CpuArchitecture));
    if (flavor === HelperImageFlavor.UBI_FIPS && this.architecture !== CpuArchitecture.X86_64) {
      check.fail(`${prop}.architecture`, this.architecture, 'CpuArchitecture.X86_64: the ubi-fips helper is built for x86_64 only');
    }
    if (this.registry !== undefined) check.registryHost(`${prop}.registry`, this.registry);
    // The alpine flavor has the historical tag without a flavor prefix.
    const prefix = flavor === HelperImageFlavor.ALPINE ? '' : `${flavor}-`;
    return check.pinnedImage(prop, `${this.repository}:${prefix}${this.architecture}-v${runnerVersion}`);
  }
}
