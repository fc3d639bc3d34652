// Constructs
export * from './runner-manager';
export * from './job-pod-policy';
export * from './dns-strategy';
export * from './ci-node-pool';
export * from './calculator-app';
export * from './calculator-pipeline';
export * from './network-policies';
export * from './environment-report';
export * from './runner-monitoring';
export * from './runner-smoke-test';
export * from './stacks/environment-stack';
export * from './stacks/internal-stack';
export * from './stacks/public-stack';
export * from './stacks/hybrid-stack';
// Supporting types
export * from './helper-image';
export * from './runner-cache';
export * from './job-volume';
export * from './pull-policy';
export * from './pod-security';
export * from './toleration';
export * from './resources';
export * from './runner-permissions';
// Models, rendering, output, validation
export * from './model/runner-config';
export * from './model/helm-values';
export * from './model/gitlab-ci';
export * from './model/toml-spec';
export * from './render/toml';
export * from './render/yaml';
export * from './render/markdown';
export * from './output/files';
export { ManifestFolder, ManifestPlacement } from './output/placement';
export * from './output/synth';
export * from './validation/errors';
export * from './validation/warnings';
