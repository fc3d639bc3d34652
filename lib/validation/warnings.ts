import { IConstruct } from 'constructs';
import { redactText } from './secrets';

const WARNING = 'cdk8s-gitlab-runner:warning';

/** Records a warning on `scope`: something that synthesizes but deserves a look. */
export function addWarning(scope: IConstruct, message: string): void {
  // Warnings quote user values; a credential among them is never printed.
  scope.node.addMetadata(WARNING, redactText(message));
}

/** Every warning recorded under `root`, as `<construct path>: <message>`, in tree order. */
export function warningsOf(root: IConstruct): string[] {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === WARNING)
    .map((m) => `${c.node.path}: ${m.data}`));
}
