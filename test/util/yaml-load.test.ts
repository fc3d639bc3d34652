import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { seedOutput } from './output';
import { loadYaml } from './yaml-load';

// loadYaml stands in for Yaml.load in the tests that read many files: it must read what Yaml.load
// reads (which costs a node process per file, so this compares a few files only).
test('loadYaml reads a file as cdk8s Yaml.load does', () => {
  const out = seedOutput();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-load-'));
  try {
    // Empty documents of each kind, a YAML 1.1 octal and boolean (the key `on` too).
    const odd = path.join(dir, 'odd.yaml');
    fs.writeFileSync(odd, '---\n---\n{}\n---\n[]\n---\nnull\n---\nmode: 0755\non: yes\n---\n- a\n');
    for (const file of [out.pathOf(out.ofEnvironment('internal', 'values')), out.pathOf(out.ofKind('manifest')[0]), odd]) {
      expect(loadYaml(file)).toEqual(Yaml.load(file));
    }
    expect(loadYaml(odd)).toEqual([{ mode: 493, true: true }, ['a']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
