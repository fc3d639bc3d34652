import { IConstruct } from 'constructs';

const WARNING = 'cdk8s-gitlab-runner:warning';

/** Records a warning on `scope`: something that synthesizes but deserves a look. */
export function addWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING, message);
}

/** Every warning recorded under `root`, as `<construct path>: <message>`, in tree order. */
export function warningsOf(root: IConstruct): string[] {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === WARNING)
    .map((m) => `${c.node.path}: ${m.data}`));
}
