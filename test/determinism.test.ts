import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { hybridEnvironment, internalEnvironment, publicEnvironment } from '../apps/environments';
import { writeFiles } from '../lib';
import { filesUnder } from './util/output';

function synth(build: (app: App) => void): Files {
  const app = Testing.app();
  build(app);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  writeFiles(app);
  stderr.mockRestore();
  return Object.fromEntries(filesUnder(app.outdir).map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
}

type Files = { [name: string]: string };
const inOrder = (app: App) => { internalEnvironment(app); publicEnvironment(app); hybridEnvironment(app); };

describe('deterministic output', () => {
  // Three separate real synths of the three environments, shared by both tests: the second under
  // another clock and working directory, the third in another build order.
  let first: Files;
  let again: Files;
  let reordered: Files;
  beforeAll(() => {
    first = synth(inOrder);
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue('/somewhere/else');
    try {
      again = synth(inOrder);
    } finally {
      now.mockRestore();
      cwd.mockRestore();
    }
    reordered = synth((app) => { hybridEnvironment(app); internalEnvironment(app); publicEnvironment(app); });
  });

  test('synthesizing twice, and building the environments in another order, gives byte-identical files', () => {
    expect(Object.keys(first)).toHaveLength(25);
    expect(again).toEqual(first);
    expect(reordered).toEqual(first);
  });

  test('output does not depend on the clock, the host or the working directory', () => {
    expect(Object.keys(again)).toEqual(Object.keys(first));
    for (const name of Object.keys(first)) expect({ name, content: again[name] }).toEqual({ name, content: first[name] });
  });
});
