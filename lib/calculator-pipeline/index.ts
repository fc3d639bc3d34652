// The CalculatorPipeline family: the image builders, the props, the construct.
export * from './calculator-pipeline';
