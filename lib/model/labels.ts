// Label keys and values the library writes on objects it creates, each written once here.

/** The label the API server sets on every Namespace to its name; NetworkPolicies select namespaces by it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Marks objects this library generates (NetworkPolicies, monitoring objects). */
export const MANAGED_BY_LABELS: { readonly [key: string]: string } = { 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' };
