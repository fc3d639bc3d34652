/**
 * Typed model of GitLab Runner's `config.toml` (runner v18.3.0), as plain data.
 *
 * Field names are camelCase; the mapping tables below hold the runner's own key names, types
 * and spellings (snake_case, CamelCase under `[runners.cache]`). Units follow the runner:
 * resource amounts are Kubernetes quantity strings, `*Seconds`/`pollTimeout`/`pollInterval`
 * are integer seconds, and `*Duration`-typed keys are Go duration strings such as `"5m"`.
 *
 * Credentials have no field here on purpose: the cache keys come from the Secret named by the
 * Helm chart's `runners.cache.secretName`, the runner token from `runners.secret`.
 *
 * @see https://docs.gitlab.com/runner/configuration/advanced-configuration/
 */
import { LogFormat, LogLevel } from '../runner-manager/log';
import { TableSpec } from './toml-spec';

/** Whole `config.toml`: global settings and the `[[runners]]` entries. */
export interface RunnerConfig {
  readonly global?: GlobalConfig;
  readonly runners: readonly RunnerEntry[];
}

/** Global (root) settings. With the Helm chart these come from chart values, never from `runners.config`. */
export interface GlobalConfig {
  /** Maximum jobs run at once by this process, over all runners. */
  readonly concurrent?: number;
  /** Seconds between checks for new jobs. */
  readonly checkInterval?: number;
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
  /** `host:port` of the metrics server, e.g. `":9252"`. */
  readonly listenAddress?: string;
  readonly sentryDsn?: string;
  /** Seconds to wait for running jobs when shutting down. */
  readonly shutdownTimeout?: number;
  /** Go duration string, e.g. `"15m"`. */
  readonly connectionMaxAge?: string;
}

export type PullPolicyValue = 'always' | 'never' | 'if-not-present';
export type DnsPolicyValue = 'none' | 'default' | 'cluster-first' | 'cluster-first-with-host-net';
export type CacheTypeValue = 's3' | 'gcs' | 'azure' | 's3v2' | 'gcsv2';
export type TaintEffectValue = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | '';

/** Feature flags known to runner v18.3.0 (an unknown name is ignored silently by the runner). */
export const FEATURE_FLAGS: readonly string[] = [
  'FF_NETWORK_PER_BUILD', 'FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY', 'FF_USE_DIRECT_DOWNLOAD',
  'FF_SKIP_NOOP_BUILD_STAGES', 'FF_USE_FASTZIP', 'FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR', 'FF_ENABLE_BASH_EXIT_CODE_CHECK',
  'FF_USE_WINDOWS_LEGACY_PROCESS_STRATEGY', 'FF_USE_NEW_BASH_EVAL_STRATEGY', 'FF_USE_POWERSHELL_PATH_RESOLVER',
  'FF_USE_DYNAMIC_TRACE_FORCE_SEND_INTERVAL', 'FF_SCRIPT_SECTIONS', 'FF_ENABLE_JOB_CLEANUP', 'FF_KUBERNETES_HONOR_ENTRYPOINT',
  'FF_POSIXLY_CORRECT_ESCAPES', 'FF_RESOLVE_FULL_TLS_CHAIN', 'FF_DISABLE_POWERSHELL_STDIN', 'FF_USE_POD_ACTIVE_DEADLINE_SECONDS',
  'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION', 'FF_SET_PERMISSIONS_BEFORE_CLEANUP', 'FF_SECRET_RESOLVING_FAILS_IF_MISSING',
  'FF_PRINT_POD_EVENTS', 'FF_USE_GIT_BUNDLE_URIS', 'FF_USE_GIT_NATIVE_CLONE', 'FF_USE_DUMB_INIT_WITH_KUBERNETES_EXECUTOR',
  'FF_USE_INIT_WITH_DOCKER_EXECUTOR', 'FF_LOG_IMAGES_CONFIGURED_FOR_JOB', 'FF_USE_DOCKER_AUTOSCALER_DIAL_STDIO',
  'FF_CLEAN_UP_FAILED_CACHE_EXTRACT', 'FF_USE_WINDOWS_JOB_OBJECT', 'FF_TIMESTAMPS', 'FF_DISABLE_AUTOMATIC_TOKEN_ROTATION',
  'FF_USE_LEGACY_GCS_CACHE_ADAPTER', 'FF_DISABLE_UMASK_FOR_KUBERNETES_EXECUTOR', 'FF_USE_LEGACY_S3_CACHE_ADAPTER',
  'FF_GIT_URLS_WITHOUT_TOKENS', 'FF_WAIT_FOR_POD_TO_BE_REACHABLE', 'FF_USE_NATIVE_STEPS', 'FF_MASK_ALL_DEFAULT_TOKENS',
  'FF_EXPORT_HIGH_CARDINALITY_METRICS', 'FF_USE_FLEETING_ACQUIRE_HEARTBEATS', 'FF_USE_EXPONENTIAL_BACKOFF_STAGE_RETRY',
  'FF_USE_ADAPTIVE_REQUEST_CONCURRENCY', 'FF_USE_GITALY_CORRELATION_ID',
];

/** One `[[runners]]` entry. */
export interface RunnerEntry {
  readonly name?: string;
  readonly url?: string;
  readonly executor?: string;
  /** Maximum jobs this runner runs at once (0 = no limit beyond `concurrent`). */
  readonly limit?: number;
  /** Maximum concurrent job requests to GitLab. */
  readonly requestConcurrency?: number;
  /** Maximum job log size in kilobytes. */
  readonly outputLimit?: number;
  readonly unhealthyRequestsLimit?: number;
  /** Go duration string. */
  readonly unhealthyInterval?: string;
  readonly jobStatusFinalUpdateRetryLimit?: number;
  readonly buildsDir?: string;
  readonly cacheDir?: string;
  readonly cloneUrl?: string;
  /** `NAME=value` items. */
  readonly environment?: readonly string[];
  readonly preGetSourcesScript?: string;
  readonly postGetSourcesScript?: string;
  readonly preBuildScript?: string;
  readonly postBuildScript?: string;
  readonly debugTraceDisabled?: boolean;
  readonly shell?: string;
  readonly featureFlags?: { readonly [flag: string]: boolean };
  readonly cache?: CacheConfig;
  readonly kubernetes?: KubernetesConfig;
}

/** `[runners.cache]`; credentials come from the chart's `runners.cache.secretName`. */
export interface CacheConfig {
  readonly type?: CacheTypeValue;
  readonly path?: string;
  readonly shared?: boolean;
  readonly maxUploadedArchiveSize?: number;
  readonly s3?: CacheS3Config;
  readonly gcs?: CacheGcsConfig;
  readonly azure?: CacheAzureConfig;
}

export interface CacheS3Config {
  readonly serverAddress?: string;
  readonly bucketName?: string;
  readonly bucketLocation?: string;
  readonly insecure?: boolean;
  readonly authenticationType?: 'access-key' | 'iam';
  readonly serverSideEncryption?: string;
  readonly serverSideEncryptionKeyId?: string;
  readonly dualStack?: boolean;
  readonly pathStyle?: boolean;
  readonly accelerate?: boolean;
  readonly roleArn?: string;
  readonly uploadRoleArn?: string;
}

export interface CacheGcsConfig {
  readonly bucketName?: string;
}

export interface CacheAzureConfig {
  readonly containerName?: string;
  readonly storageDomain?: string;
}

/** `[runners.kubernetes]`. */
export interface KubernetesConfig {
  readonly namespace?: string;
  /** Regular expression of namespaces a job may choose. */
  readonly namespaceOverwriteAllowed?: string;
  readonly namespacePerJob?: boolean;
  readonly image?: string;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly runtimeClassName?: string;

  readonly cpuLimit?: string;
  readonly cpuLimitOverwriteMaxAllowed?: string;
  readonly cpuRequest?: string;
  readonly cpuRequestOverwriteMaxAllowed?: string;
  readonly memoryLimit?: string;
  readonly memoryLimitOverwriteMaxAllowed?: string;
  readonly memoryRequest?: string;
  readonly memoryRequestOverwriteMaxAllowed?: string;
  readonly ephemeralStorageLimit?: string;
  readonly ephemeralStorageLimitOverwriteMaxAllowed?: string;
  readonly ephemeralStorageRequest?: string;
  readonly ephemeralStorageRequestOverwriteMaxAllowed?: string;
  readonly serviceCpuLimit?: string;
  readonly serviceCpuLimitOverwriteMaxAllowed?: string;
  readonly serviceCpuRequest?: string;
  readonly serviceCpuRequestOverwriteMaxAllowed?: string;
  readonly serviceMemoryLimit?: string;
  readonly serviceMemoryLimitOverwriteMaxAllowed?: string;
  readonly serviceMemoryRequest?: string;
  readonly serviceMemoryRequestOverwriteMaxAllowed?: string;
  readonly serviceEphemeralStorageLimit?: string;
  readonly serviceEphemeralStorageLimitOverwriteMaxAllowed?: string;
  readonly serviceEphemeralStorageRequest?: string;
  readonly serviceEphemeralStorageRequestOverwriteMaxAllowed?: string;
  readonly helperCpuLimit?: string;
  readonly helperCpuLimitOverwriteMaxAllowed?: string;
  readonly helperCpuRequest?: string;
  readonly helperCpuRequestOverwriteMaxAllowed?: string;
  readonly helperMemoryLimit?: string;
  readonly helperMemoryLimitOverwriteMaxAllowed?: string;
  readonly helperMemoryRequest?: string;
  readonly helperMemoryRequestOverwriteMaxAllowed?: string;
  readonly helperEphemeralStorageLimit?: string;
  readonly helperEphemeralStorageLimitOverwriteMaxAllowed?: string;
  readonly helperEphemeralStorageRequest?: string;
  readonly helperEphemeralStorageRequestOverwriteMaxAllowed?: string;

  readonly helperImage?: string;
  readonly helperImageFlavor?: string;
  readonly helperImageAutosetArchAndOs?: boolean;
  /** Written as an array; the runner accepts a string or an array. */
  readonly pullPolicy?: readonly PullPolicyValue[];
  readonly allowedImages?: readonly string[];
  readonly allowedServices?: readonly string[];
  readonly allowedPullPolicies?: readonly PullPolicyValue[];
  /** Secret names. */
  readonly imagePullSecrets?: readonly string[];
  readonly useServiceAccountImagePullSecrets?: boolean;
  readonly serviceAccount?: string;
  /** Regular expression of service accounts a job may choose. */
  readonly serviceAccountOverwriteAllowed?: string;
  readonly automountServiceAccountToken?: boolean;

  readonly nodeSelector?: { readonly [label: string]: string };
  readonly nodeSelectorOverwriteAllowed?: string;
  /** `"key=value"` (operator Equal) or `"key"` (operator Exists) to effect (`""` = all effects). */
  readonly nodeTolerations?: { readonly [keyAndValue: string]: TaintEffectValue };
  readonly nodeTolerationsOverwriteAllowed?: string;
  readonly affinity?: AffinityConfig;
  readonly dnsPolicy?: DnsPolicyValue;
  readonly dnsConfig?: DnsConfig;
  readonly priorityClassName?: string;
  readonly schedulerName?: string;
  readonly podLabels?: { readonly [label: string]: string };
  readonly podLabelsOverwriteAllowed?: string;
  readonly podAnnotations?: { readonly [annotation: string]: string };
  readonly podAnnotationsOverwriteAllowed?: string;

  readonly podSecurityContext?: PodSecurityContextConfig;
  readonly initPermissionsContainerSecurityContext?: ContainerSecurityContextConfig;
  readonly buildContainerSecurityContext?: ContainerSecurityContextConfig;
  readonly helperContainerSecurityContext?: ContainerSecurityContextConfig;
  readonly serviceContainerSecurityContext?: ContainerSecurityContextConfig;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];

  readonly volumes?: VolumesConfig;
  readonly hostAliases?: readonly HostAliasConfig[];

  /** Seconds between checks of a starting job pod. */
  readonly pollInterval?: number;
  /** Seconds to wait for a job pod to start before the job fails. */
  readonly pollTimeout?: number;
  readonly podTerminationGracePeriodSeconds?: number;
  readonly cleanupGracePeriodSeconds?: number;
  /** Go duration string. */
  readonly cleanupResourcesTimeout?: string;
  readonly printPodWarningEvents?: boolean;
}

export interface PodSecurityContextConfig {
  readonly fsGroup?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly supplementalGroups?: readonly number[];
  readonly selinuxType?: string;
}

export interface ContainerSecurityContextConfig {
  readonly capabilities?: CapabilitiesConfig;
  readonly privileged?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly selinuxType?: string;
  readonly procMount?: 'default' | 'unmasked';
}

export interface CapabilitiesConfig {
  readonly add?: readonly string[];
  readonly drop?: readonly string[];
}

export interface DnsConfig {
  readonly nameservers?: readonly string[];
  readonly searches?: readonly string[];
  readonly options?: readonly DnsOptionConfig[];
}

export interface DnsOptionConfig {
  readonly name: string;
  readonly value?: string;
}

export interface HostAliasConfig {
  readonly ip: string;
  readonly hostnames: readonly string[];
}

export interface VolumesConfig {
  readonly hostPath?: readonly HostPathVolumeConfig[];
  readonly pvc?: readonly PvcVolumeConfig[];
  readonly configMap?: readonly ConfigMapVolumeConfig[];
  readonly secret?: readonly SecretVolumeConfig[];
  readonly emptyDir?: readonly EmptyDirVolumeConfig[];
}

export interface VolumeMountConfig {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
}

export interface HostPathVolumeConfig extends VolumeMountConfig {
  readonly readOnly?: boolean;
  readonly hostPath?: string;
  readonly mountPropagation?: string;
}

export interface PvcVolumeConfig extends VolumeMountConfig {
  readonly readOnly?: boolean;
  readonly mountPropagation?: string;
}

export interface ConfigMapVolumeConfig extends VolumeMountConfig {
  readonly readOnly?: boolean;
  /** Key to path. */
  readonly items?: { readonly [key: string]: string };
}

export interface SecretVolumeConfig extends ConfigMapVolumeConfig {}

export interface EmptyDirVolumeConfig extends VolumeMountConfig {
  /** `""` (node disk) or `"Memory"`. */
  readonly medium?: string;
  readonly sizeLimit?: string;
}

export interface AffinityConfig {
  readonly nodeAffinity?: NodeAffinityConfig;
  readonly podAffinity?: PodAffinityConfig;
  readonly podAntiAffinity?: PodAffinityConfig;
}

export interface NodeAffinityConfig {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: NodeSelectorConfig;
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly PreferredSchedulingTermConfig[];
}

export interface NodeSelectorConfig {
  readonly nodeSelectorTerms: readonly NodeSelectorTermConfig[];
}

export interface NodeSelectorTermConfig {
  readonly matchExpressions?: readonly SelectorRequirementConfig[];
  readonly matchFields?: readonly SelectorRequirementConfig[];
}

export interface SelectorRequirementConfig {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface PreferredSchedulingTermConfig {
  readonly weight: number;
  readonly preference: NodeSelectorTermConfig;
}

export interface PodAffinityConfig {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTermConfig[];
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTermConfig[];
}

export interface PodAffinityTermConfig {
  readonly labelSelector?: LabelSelectorConfig;
  readonly namespaces?: readonly string[];
  readonly topologyKey: string;
  readonly namespaceSelector?: LabelSelectorConfig;
}

export interface WeightedPodAffinityTermConfig {
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTermConfig;
}

export interface LabelSelectorConfig {
  readonly matchLabels?: { readonly [label: string]: string };
  readonly matchExpressions?: readonly SelectorRequirementConfig[];
}

// ---------------------------------------------------------------------------------------------
// Mapping tables: the only place the runner's key names are written.

const SELECTOR_REQUIREMENT: TableSpec<SelectorRequirementConfig> = {
  key: 'key',
  operator: 'operator',
  values: 'values',
};

const NODE_SELECTOR_TERM: TableSpec<NodeSelectorTermConfig> = {
  matchExpressions: { key: 'match_expressions', tables: SELECTOR_REQUIREMENT },
  matchFields: { key: 'match_fields', tables: SELECTOR_REQUIREMENT },
};

const LABEL_SELECTOR: TableSpec<LabelSelectorConfig> = {
  matchLabels: 'match_labels',
  matchExpressions: { key: 'match_expressions', tables: SELECTOR_REQUIREMENT },
};

const POD_AFFINITY_TERM: TableSpec<PodAffinityTermConfig> = {
  labelSelector: { key: 'label_selector', table: LABEL_SELECTOR },
  namespaces: 'namespaces',
  topologyKey: 'topology_key',
  namespaceSelector: { key: 'namespace_selector', table: LABEL_SELECTOR },
};

const POD_AFFINITY: TableSpec<PodAffinityConfig> = {
  requiredDuringSchedulingIgnoredDuringExecution: {
    key: 'required_during_scheduling_ignored_during_execution',
    tables: POD_AFFINITY_TERM,
  },
  preferredDuringSchedulingIgnoredDuringExecution: {
    key: 'preferred_during_scheduling_ignored_during_execution',
    tables: { weight: 'weight', podAffinityTerm: { key: 'pod_affinity_term', table: POD_AFFINITY_TERM } },
  },
};

const AFFINITY: TableSpec<AffinityConfig> = {
  nodeAffinity: {
    key: 'node_affinity',
    table: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        key: 'required_during_scheduling_ignored_during_execution',
        table: { nodeSelectorTerms: { key: 'node_selector_terms', tables: NODE_SELECTOR_TERM } },
      },
      preferredDuringSchedulingIgnoredDuringExecution: {
        key: 'preferred_during_scheduling_ignored_during_execution',
        tables: { weight: 'weight', preference: { key: 'preference', table: NODE_SELECTOR_TERM } },
      },
    },
  },
  podAffinity: { key: 'pod_affinity', table: POD_AFFINITY },
  podAntiAffinity: { key: 'pod_anti_affinity', table: POD_AFFINITY },
};

const CONTAINER_SECURITY_CONTEXT: TableSpec<ContainerSecurityContextConfig> = {
  capabilities: { key: 'capabilities', table: { add: 'add', drop: 'drop' } },
  privileged: 'privileged',
  runAsUser: 'run_as_user',
  runAsGroup: 'run_as_group',
  runAsNonRoot: 'run_as_non_root',
  readOnlyRootFilesystem: 'read_only_root_filesystem',
  allowPrivilegeEscalation: 'allow_privilege_escalation',
  selinuxType: 'selinux_type',
  procMount: 'proc_mount',
};

const MOUNT = { name: 'name', mountPath: 'mount_path', subPath: 'sub_path' } as const;

const VOLUMES: TableSpec<VolumesConfig> = {
  hostPath: {
    key: 'host_path',
    tables: { ...MOUNT, readOnly: 'read_only', hostPath: 'host_path', mountPropagation: 'mount_propagation' },
  },
  pvc: { key: 'pvc', tables: { ...MOUNT, readOnly: 'read_only', mountPropagation: 'mount_propagation' } },
  configMap: { key: 'config_map', tables: { ...MOUNT, readOnly: 'read_only', items: 'items' } },
  secret: { key: 'secret', tables: { ...MOUNT, readOnly: 'read_only', items: 'items' } },
  emptyDir: { key: 'empty_dir', tables: { ...MOUNT, medium: 'medium', sizeLimit: 'size_limit' } },
};

export const KUBERNETES_SPEC: TableSpec<KubernetesConfig> = {
  namespace: 'namespace',
  namespaceOverwriteAllowed: 'namespace_overwrite_allowed',
  namespacePerJob: 'namespace_per_job',
  image: 'image',
  privileged: 'privileged',
  allowPrivilegeEscalation: 'allow_privilege_escalation',
  runtimeClassName: 'runtime_class_name',
  cpuLimit: 'cpu_limit',
  cpuLimitOverwriteMaxAllowed: 'cpu_limit_overwrite_max_allowed',
  cpuRequest: 'cpu_request',
  cpuRequestOverwriteMaxAllowed: 'cpu_request_overwrite_max_allowed',
  memoryLimit: 'memory_limit',
  memoryLimitOverwriteMaxAllowed: 'memory_limit_overwrite_max_allowed',
  memoryRequest: 'memory_request',
  memoryRequestOverwriteMaxAllowed: 'memory_request_overwrite_max_allowed',
  ephemeralStorageLimit: 'ephemeral_storage_limit',
  ephemeralStorageLimitOverwriteMaxAllowed: 'ephemeral_storage_limit_overwrite_max_allowed',
  ephemeralStorageRequest: 'ephemeral_storage_request',
  ephemeralStorageRequestOverwriteMaxAllowed: 'ephemeral_storage_request_overwrite_max_allowed',
  serviceCpuLimit: 'service_cpu_limit',
  serviceCpuLimitOverwriteMaxAllowed: 'service_cpu_limit_overwrite_max_allowed',
  serviceCpuRequest: 'service_cpu_request',
  serviceCpuRequestOverwriteMaxAllowed: 'service_cpu_request_overwrite_max_allowed',
  serviceMemoryLimit: 'service_memory_limit',
  serviceMemoryLimitOverwriteMaxAllowed: 'service_memory_limit_overwrite_max_allowed',
  serviceMemoryRequest: 'service_memory_request',
  serviceMemoryRequestOverwriteMaxAllowed: 'service_memory_request_overwrite_max_allowed',
  serviceEphemeralStorageLimit: 'service_ephemeral_storage_limit',
  serviceEphemeralStorageLimitOverwriteMaxAllowed: 'service_ephemeral_storage_limit_overwrite_max_allowed',
  serviceEphemeralStorageRequest: 'service_ephemeral_storage_request',
  serviceEphemeralStorageRequestOverwriteMaxAllowed: 'service_ephemeral_storage_request_overwrite_max_allowed',
  helperCpuLimit: 'helper_cpu_limit',
  helperCpuLimitOverwriteMaxAllowed: 'helper_cpu_limit_overwrite_max_allowed',
  helperCpuRequest: 'helper_cpu_request',
  helperCpuRequestOverwriteMaxAllowed: 'helper_cpu_request_overwrite_max_allowed',
  helperMemoryLimit: 'helper_memory_limit',
  helperMemoryLimitOverwriteMaxAllowed: 'helper_memory_limit_overwrite_max_allowed',
  helperMemoryRequest: 'helper_memory_request',
  helperMemoryRequestOverwriteMaxAllowed: 'helper_memory_request_overwrite_max_allowed',
  helperEphemeralStorageLimit: 'helper_ephemeral_storage_limit',
  helperEphemeralStorageLimitOverwriteMaxAllowed: 'helper_ephemeral_storage_limit_overwrite_max_allowed',
  helperEphemeralStorageRequest: 'helper_ephemeral_storage_request',
  helperEphemeralStorageRequestOverwriteMaxAllowed: 'helper_ephemeral_storage_request_overwrite_max_allowed',
  helperImage: 'helper_image',
  helperImageFlavor: 'helper_image_flavor',
  helperImageAutosetArchAndOs: 'helper_image_autoset_arch_and_os',
  pullPolicy: 'pull_policy',
  allowedImages: 'allowed_images',
  allowedServices: 'allowed_services',
  allowedPullPolicies: 'allowed_pull_policies',
  imagePullSecrets: 'image_pull_secrets',
  useServiceAccountImagePullSecrets: 'use_service_account_image_pull_secrets',
  serviceAccount: 'service_account',
  serviceAccountOverwriteAllowed: 'service_account_overwrite_allowed',
  automountServiceAccountToken: 'automount_service_account_token',
  nodeSelector: 'node_selector',
  nodeSelectorOverwriteAllowed: 'node_selector_overwrite_allowed',
  nodeTolerations: 'node_tolerations',
  nodeTolerationsOverwriteAllowed: 'node_tolerations_overwrite_allowed',
  affinity: { key: 'affinity', table: AFFINITY },
  dnsPolicy: 'dns_policy',
  dnsConfig: {
    key: 'dns_config',
    table: {
      nameservers: 'nameservers',
      searches: 'searches',
      options: { key: 'options', tables: { name: 'name', value: 'value' } },
    },
  },
  priorityClassName: 'priority_class_name',
  schedulerName: 'scheduler_name',
  podLabels: 'pod_labels',
  podLabelsOverwriteAllowed: 'pod_labels_overwrite_allowed',
  podAnnotations: 'pod_annotations',
  podAnnotationsOverwriteAllowed: 'pod_annotations_overwrite_allowed',
  podSecurityContext: {
    key: 'pod_security_context',
    table: {
      fsGroup: 'fs_group',
      runAsGroup: 'run_as_group',
      runAsNonRoot: 'run_as_non_root',
      runAsUser: 'run_as_user',
      supplementalGroups: 'supplemental_groups',
      selinuxType: 'selinux_type',
    },
  },
  initPermissionsContainerSecurityContext: {
    key: 'init_permissions_container_security_context',
    table: CONTAINER_SECURITY_CONTEXT,
  },
  buildContainerSecurityContext: { key: 'build_container_security_context', table: CONTAINER_SECURITY_CONTEXT },
  helperContainerSecurityContext: { key: 'helper_container_security_context', table: CONTAINER_SECURITY_CONTEXT },
  serviceContainerSecurityContext: { key: 'service_container_security_context', table: CONTAINER_SECURITY_CONTEXT },
  capAdd: 'cap_add',
  capDrop: 'cap_drop',
  volumes: { key: 'volumes', table: VOLUMES },
  hostAliases: { key: 'host_aliases', tables: { ip: 'ip', hostnames: 'hostnames' } },
  pollInterval: 'poll_interval',
  pollTimeout: 'poll_timeout',
  podTerminationGracePeriodSeconds: 'pod_termination_grace_period_seconds',
  cleanupGracePeriodSeconds: 'cleanup_grace_period_seconds',
  cleanupResourcesTimeout: 'cleanup_resources_timeout',
  printPodWarningEvents: 'print_pod_warning_events',
};

export const CACHE_SPEC: TableSpec<CacheConfig> = {
  type: 'Type',
  path: 'Path',
  shared: 'Shared',
  maxUploadedArchiveSize: 'MaxUploadedArchiveSize',
  s3: {
    key: 's3',
    table: {
      serverAddress: 'ServerAddress',
      bucketName: 'BucketName',
      bucketLocation: 'BucketLocation',
      insecure: 'Insecure',
      authenticationType: 'AuthenticationType',
      serverSideEncryption: 'ServerSideEncryption',
      serverSideEncryptionKeyId: 'ServerSideEncryptionKeyID',
      dualStack: 'DualStack',
      pathStyle: 'PathStyle',
      accelerate: 'Accelerate',
      roleArn: 'RoleARN',
      uploadRoleArn: 'UploadRoleARN',
    },
  },
  gcs: { key: 'gcs', table: { bucketName: 'BucketName' } },
  azure: { key: 'azure', table: { containerName: 'ContainerName', storageDomain: 'StorageDomain' } },
};

export const RUNNER_SPEC: TableSpec<RunnerEntry> = {
  name: 'name',
  url: 'url',
  executor: 'executor',
  limit: 'limit',
  requestConcurrency: 'request_concurrency',
  outputLimit: 'output_limit',
  unhealthyRequestsLimit: 'unhealthy_requests_limit',
  unhealthyInterval: 'unhealthy_interval',
  jobStatusFinalUpdateRetryLimit: 'job_status_final_update_retry_limit',
  buildsDir: 'builds_dir',
  cacheDir: 'cache_dir',
  cloneUrl: 'clone_url',
  environment: 'environment',
  preGetSourcesScript: 'pre_get_sources_script',
  postGetSourcesScript: 'post_get_sources_script',
  preBuildScript: 'pre_build_script',
  postBuildScript: 'post_build_script',
  debugTraceDisabled: 'debug_trace_disabled',
  shell: 'shell',
  featureFlags: 'feature_flags',
  cache: { key: 'cache', table: CACHE_SPEC },
  kubernetes: { key: 'kubernetes', table: KUBERNETES_SPEC },
};

export const GLOBAL_SPEC: TableSpec<GlobalConfig> = {
  concurrent: 'concurrent',
  checkInterval: 'check_interval',
  logLevel: 'log_level',
  logFormat: 'log_format',
  listenAddress: 'listen_address',
  sentryDsn: 'sentry_dsn',
  shutdownTimeout: 'shutdown_timeout',
  connectionMaxAge: 'connection_max_age',
};
