import { Yaml } from 'cdk8s';
import { prune } from '../model/prune';

/** Renders one YAML document, with an optional comment header (one `# ` line per entry). */
export function renderYaml(doc: object, header: readonly string[] = []): string {
  const comment = header.map((line) => (line ? `# ${line}` : '#')).join('\n');
  return (comment ? `${comment}\n` : '') + Yaml.stringify(prune(doc));
}

/** Renders Kubernetes objects as one multi-document YAML file, as cdk8s writes a chart's manifest. */
export function renderManifests(docs: readonly object[]): string {
  return Yaml.stringify(...docs);
}
