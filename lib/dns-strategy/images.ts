import { HelperImageFlavor } from '../helper-image';

/** Helper image flavors built on glibc; every other flavor is Alpine (musl). */
const GLIBC_HELPER_FLAVORS: readonly string[] = [HelperImageFlavor.UBUNTU, HelperImageFlavor.UBI_FIPS];

/** A helper image tag without a glibc flavor prefix is Alpine: `x86_64-v18.3.0`, `alpine3.21-x86_64-v18.3.0`. */
export function isMuslHelper(image: string): boolean {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return !GLIBC_HELPER_FLAVORS.some((flavor) => tag.startsWith(`${flavor}-`));
}

/** An image named `alpine` or tagged as an Alpine variant (`python:3.12-alpine`), by name only. */
export function isAlpineImage(image: string): boolean {
  const [nameAndTag] = image.split('@');
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', slash + 1);
  const name = nameAndTag.slice(slash + 1, colon >= 0 ? colon : undefined);
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : '';
  return name === 'alpine' || tag.includes('alpine');
}

/**
 * The warning for `hybrid()` with a musl (Alpine) helper or job image, where the nameservers'
 * answers race; `undefined` when both images are glibc-based.
 */
export function hybridMuslWarning(nameservers: readonly string[], helperImage: string, jobImage: string): string | undefined {
  const musl = [
    ...(isMuslHelper(helperImage) ? [`the helper image ${helperImage} (Alpine flavor: git clones there)`] : []),
    ...(isAlpineImage(jobImage) ? [`the default job image ${jobImage}`] : []),
  ];
  if (musl.length === 0) return undefined;
  return `dnsStrategy: DnsStrategy.hybrid() with musl-based images, ${musl.join(' and ')}: musl sends each query to `
    + `all nameservers (${nameservers.join(', ')}) at once and takes the first answer, NXDOMAIN included, so a cluster name `
    + 'fails whenever the VPC or public resolver answers first, and a private name whenever the public one does: lookups fail '
    + 'at random. Use glibc-based images (JobPodPolicy helperImage: HelperImage.official({ flavor: HelperImageFlavor.UBUNTU }) '
    + 'and a Debian or Ubuntu jobImage), or nameservers that all give the same answers, e.g. DnsStrategy.clusterDefault() '
    + 'when the cluster DNS forwards to the VPC DNS';
}
