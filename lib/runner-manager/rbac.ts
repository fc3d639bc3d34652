import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmRbacRule } from '../model/helm-values';

/** Properties of `JobNamespaceRbac`. */
export interface JobNamespaceRbacProps {
  /** Name of the Role and RoleBinding (the chart's fullname). */
  readonly name: string;
  /** The jobs' namespace. */
  readonly jobNamespace: string;
  /** The ServiceAccount the chart creates for the manager, and its namespace. */
  readonly serviceAccountName: string;
  readonly serviceAccountNamespace: string;
  readonly rules: readonly HelmRbacRule[];
  readonly labels: { readonly [key: string]: string };
}

/** The only Role the manager gets: in the jobs' namespace, bound to the chart's ServiceAccount. */
export class JobNamespaceRbac extends Construct {
  constructor(scope: Construct, id: string, props: JobNamespaceRbacProps) {
    super(scope, id);
    const metadata = () => ({ name: props.name, namespace: props.jobNamespace, labels: { ...props.labels } });
    new k8s.KubeRole(this, 'Role', {
      metadata: metadata(),
      rules: props.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: metadata(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.serviceAccountNamespace }],
    });
  }
}
