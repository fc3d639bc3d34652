import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { objectJson } from '../output/synthesis';
import { credentialFindings, credentialLines, WHERE_SECRETS_BELONG } from './secrets';

/**
 * What stands in for the value in these messages: a description, never the value, so the error
 * prints it as it is (a string under a prop such as `data.token` would be hidden as a possible secret).
 */
class Description {
  constructor(private readonly text: string) {}

  public toJSON(): string {
    return this.text;
  }
}

// Symbol.for: two copies of this library in one app still share one scan.
const REGISTERED = Symbol.for('cdk8s-gitlab-runner.CredentialScan');

/**
 * The last net under the prop checks: before any manifest is written, every Kubernetes object of
 * the app (the library's and the user's own) is scanned for credential-looking strings. Each
 * construct that creates objects or files registers it; it runs once per app.
 */
export function scanManifestsForCredentials(scope: IConstruct): void {
  const root = scope.node.root as IConstruct & { [REGISTERED]?: true };
  if (root[REGISTERED]) return;
  Object.defineProperty(root, REGISTERED, { value: true, enumerable: false });
  root.node.addValidation({ validate: () => manifestErrors(root) });
}

/** One error per credential-looking string in the app's objects: its construct path and JSON path, never the value. */
function manifestErrors(root: IConstruct): string[] {
  const objects = root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  return objects.flatMap((object) => credentialFindings(objectJson(object)).map(({ path, kinds }) =>
    new ValidationError(object.node.path, path, new Description('(a credential)'),
      `no credential in a manifest (${object.kind} ${object.name}), and this looks like ${kinds.join(' and ')}: ${WHERE_SECRETS_BELONG}`).message));
}

/**
 * Scans a generated file that is not a manifest (Helm values, a pipeline, a report) and throws a
 * `ValidationError` naming `owner`, the file, the line and the kind of credential, never the value.
 */
export function checkFileForCredentials(owner: IConstruct, fileName: string, content: string): void {
  const found = credentialLines(content);
  if (found.length === 0) return;
  const lines = [...new Set(found.map((f) => f.line))];
  const kinds = [...new Set(found.map((f) => f.kind))];
  throw new ValidationError(owner.node.path, `output file ${fileName}, line ${lines.join(', ')}`, new Description(`(${kinds.join(', ')})`),
    `no credential in a generated file; find the prop that put it there: ${WHERE_SECRETS_BELONG}`);
}
