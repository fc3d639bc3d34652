// The CalculatorPipeline family: the image builders, the props, the construct. Its settings, jobs,
// deploy RBAC and checks are internal.
export { DockerInDockerOptions, ImageBuilder, KanikoOptions } from './image-builder';
export { AppRegistry, CalculatorPipelineProps, IImageMirror } from './props';
export { CalculatorPipeline } from './calculator-pipeline';
