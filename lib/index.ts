// The public API: constructs, their props, enum-like classes and structs, the output functions and
// the error type. Models, renderers, mapping tables and checks are internal (import them from their
// modules inside this package only).

// The runner platform
export * from './runner-manager';
export * from './job-pod-policy';
export * from './dns-strategy';
export * from './network-policies';
export {
  CapacityBasis, CiNodePool, CiNodePoolProps, CpuAndMemory, JobFit, NodeAffinityOperator, NodeLabelRequirement, NodeTaint,
  PoolCapacity, PreferredNodeRequirements, PrePullImage,
} from './ci-node-pool';
export { HelperImage, HelperImageFlavor, HelperImageOptions, CpuArchitecture, MirroredHelperImageOptions } from './helper-image';
export { AzureCacheOptions, GcsCacheOptions, RunnerCache, RunnerCacheCommonOptions, S3CacheOptions } from './runner-cache';
export { JobEmptyDirOptions, JobKeyedVolumeOptions, JobVolume, JobVolumeMountOptions } from './job-volume';
export { PullPolicy } from './pull-policy';
export { PodSecurityLevel } from './pod-security';
export { Toleration } from './toleration';
export { ResourceAmounts } from './resources';
// Operations
export { RunnerMonitoring, RunnerMonitoringOptions, RunnerMonitoringProps } from './runner-monitoring';
export { RunnerSmokeTest, RunnerSmokeTestProps } from './runner-smoke-test';
export { CheckStatus, ChecklistItem, EnvironmentReport, EnvironmentReportProps, MonitoringSummary } from './environment-report';
// The worked example's app and its pipeline
export { AppImage, CalculatorApp, CalculatorAppProps, NodePortRange, ProbeTiming } from './calculator-app';
export {
  AppRegistry, CalculatorPipeline, CalculatorPipelineProps, DockerInDockerOptions, IImageMirror, ImageBuilder, KanikoOptions,
} from './calculator-pipeline';
// Environment stacks
export { EnvironmentStack } from './stacks/environment-stack';
export { BuilderKind, EnvironmentStackProps, SampleAppOptions } from './stacks/props';
export { InternalStack, InternalStackProps } from './stacks/internal-stack';
export { PublicStack, PublicStackProps } from './stacks/public-stack';
export { HybridStack, HybridStackProps } from './stacks/hybrid-stack';
// Output and errors
export { GeneratedFile, GeneratedFileKind } from './output/files';
export { ManifestFolder, ManifestPlacement } from './output/placement';
export { Output, synthFiles, writeFiles } from './output/synth';
export { ValidationError, ValidationErrors, userErrorText } from './validation/errors';
