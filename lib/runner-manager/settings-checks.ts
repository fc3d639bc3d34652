// Single-prop checks of RunnerManagerProps that return the value in the form the settings hold.
import { Size } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { KubeResourceRequirements } from '../model/k8s-shapes';
import { FEATURE_FLAGS } from '../model/runner-config';
import { kubeResources, resourceQuantities } from '../resources';
import { PropChecker } from '../validation/prop-checker';
import { INT32_MAX } from '../validation/ranges';
import { parseQuantity } from '../validation/quantity';
import { isCredentialName, isVariableReference, looksLikeCredential, WHERE_SECRETS_BELONG } from '../validation/secrets';

export function checkTags(check: PropChecker, tags: readonly string[]): string[] {
  if (!Array.isArray(tags)) check.fail('tags', tags, 'a list of tag names');
  tags.forEach((tag, i) => {
    check.noCredential(`tags[${i}]`, tag);
    if (typeof tag !== 'string' || tag.trim() !== tag || tag === '' || tag.includes(',')) {
      check.fail(`tags[${i}]`, tag, 'a non-empty tag without commas or surrounding spaces');
    }
    if (tags.indexOf(tag) !== i) check.fail(`tags[${i}]`, tag, 'tags without duplicates');
  });
  return [...tags];
}

export function checkFeatureFlags(check: PropChecker, flags: { readonly [flag: string]: boolean }): { [flag: string]: boolean } {
  check.map('featureFlags', flags, 'a map of feature flag names to true or false');
  for (const [name, value] of Object.entries(flags)) {
    if (!FEATURE_FLAGS.includes(name)) {
      check.fail('featureFlags', name, 'a feature flag of GitLab Runner 18.3, e.g. "FF_USE_FASTZIP"; the runner ignores unknown names silently');
    }
    check.boolean(`featureFlags.${name}`, value);
  }
  return { ...flags };
}

export function checkEnvironment(check: PropChecker, env: { readonly [name: string]: string }): string[] {
  check.map('environment', env, 'a map of variable names to values');
  return Object.keys(env).sort().map((name) => {
    check.envName('environment key', name);
    const value = env[name];
    if (typeof value !== 'string') check.fail(`environment.${name}`, value, 'a string');
    // config.toml is a ConfigMap: a literal credential there is readable by anyone who can read the namespace.
    if ((isCredentialName(name) && value !== '' && !isVariableReference(value)) || looksLikeCredential(value)) {
      check.fail(`environment.${name}`, value, `no literal credential: ${WHERE_SECRETS_BELONG}; `
        + `a reference to a CI/CD variable such as "$${name}" is allowed`);
    }
    return `${name}=${value}`;
  });
}

export function tokenRevision(check: PropChecker, revision: string): string {
  const expected = 'a non-empty single-line revision such as the date of the rotation, e.g. "2026-12-01"';
  // Checked first, for the message that says what went wrong: the token itself was given.
  if (typeof revision === 'string' && looksLikeCredential(revision)) {
    check.fail('tokenSecretRevision', revision, `${expected}, never the token itself: ${WHERE_SECRETS_BELONG}`);
  }
  check.nonEmptyString('tokenSecretRevision', revision, expected);
  if (/[\r\n]/.test(revision)) check.fail('tokenSecretRevision', revision, expected);
  return revision;
}

export function optionalScript(check: PropChecker, prop: string, script: string | undefined): string | undefined {
  // config.toml is a ConfigMap: a literal credential in a script is readable by anyone who can read the namespace.
  return script === undefined ? undefined : check.script(prop, script);
}

export function kilobytes(check: PropChecker, prop: string, size: Size): number {
  const kib = parseQuantity(check.size(prop, size))! / 1024;
  // The runner reads a count of kilobytes; int32, like every integer we write.
  if (kib < 1 || kib > INT32_MAX) check.fail(prop, size, `at least 1 KiB and at most ${INT32_MAX} KiB`);
  return kib;
}

export function managerResources(check: PropChecker, resources: ContainerResources): KubeResourceRequirements {
  return kubeResources(resourceQuantities(check, 'managerResources', resources)) ?? {};
}

export function managerAffinity(check: PropChecker, affinity: k8s.Affinity): { [key: string]: unknown } {
  const keys = ['nodeAffinity', 'podAffinity', 'podAntiAffinity'];
  if (affinity === null || typeof affinity !== 'object' || Array.isArray(affinity) || Object.keys(affinity).some((k) => !keys.includes(k))) {
    check.fail('managerAffinity', affinity, 'a Kubernetes affinity with nodeAffinity, podAffinity and/or podAntiAffinity');
  }
  return k8s.toJson_Affinity(affinity)!;
}

export function optionalMap<T extends object>(map: T): T | undefined {
  return Object.values(map).some((v) => v !== undefined) ? map : undefined;
}

export function optionalList<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
