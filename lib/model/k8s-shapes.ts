/**
 * Kubernetes JSON shapes (as the API server reads them) that the models embed: the Helm values
 * copy them into the Deployment verbatim, and the app's manifests use the same resource list.
 */

export interface KubePodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; readonly localhostProfile?: string };
}

export interface KubeContainerSecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; readonly localhostProfile?: string };
}

export interface KubeResourceRequirements {
  readonly requests?: KubeResourceList;
  readonly limits?: KubeResourceList;
}

export interface KubeResourceList {
  readonly 'cpu'?: string;
  readonly 'memory'?: string;
  readonly 'ephemeral-storage'?: string;
}

export interface KubeToleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}
