import * as fs from 'fs';
import * as path from 'path';
import { OutputObject, SynthesizedOutput } from './output';

/**
 * cdk8s's own YAML library (not a dependency of ours), so that files parse exactly as `Yaml.load`
 * parses them.
 */
const YAML: { parseAllDocuments(text: string, options: object): { toJSON(): unknown }[] } =
  require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));

/**
 * What cdk8s's `Yaml.load(file)` returns for a local file, without its cost: `Yaml.load` starts a
 * node process per call to read the file (it also serves URLs). Same YAML 1.1 schema, same empty
 * documents left out.
 */
export function loadYaml(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map((d) => d.toJSON()).filter((doc) => !(
    doc === undefined || doc === null
    || (Array.isArray(doc) && doc.length === 0)
    || (typeof doc === 'object' && Object.keys(doc as object).length === 0)));
}

const objectsByOutput = new WeakMap<SynthesizedOutput, OutputObject[]>();

/** What `output.objects()` returns (every object of every manifest file, read from disk), parsed in this process, once per output. */
export function manifestObjects(output: SynthesizedOutput): OutputObject[] {
  let objects = objectsByOutput.get(output);
  if (!objects) {
    objects = output.ofKind('manifest').flatMap((f) => loadYaml(output.pathOf(f))
      .map((object) => ({ file: f.name, environment: f.environment, folder: f.folder, object })));
    objectsByOutput.set(output, objects);
  }
  return objects;
}
