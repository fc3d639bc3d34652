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
