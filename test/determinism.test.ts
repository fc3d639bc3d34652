import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { hybridEnvironment, internalEnvironment, publicEnvironment } from '../apps/environments';
import { writeFiles } from '../lib';
import { filesUnder } from './util/output';

function synth(build: (app: App) => void): { [name: string]: string } {
  const app = Testing.app();
  build(app);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  writeFiles(app);
  stderr.mockRestore();
  return Object.fromEntries(filesUnder(app.outdir).map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
}

describe('deterministic output', () => {
  test('synthesizing twice, and building the environments in another order, gives byte-identical files', () => {
    // GIVEN / WHEN
    const first = synth((app) => { internalEnvironment(app); publicEnvironment(app); hybridEnvironment(app); });
    const again = synth((app) => { internalEnvironment(app); publicEnvironment(app); hybridEnvironment(app); });
    const reordered = synth((app) => { hybridEnvironment(app); internalEnvironment(app); publicEnvironment(app); });

    // THEN
    expect(Object.keys(first)).toHaveLength(25);
    expect(again).toEqual(first);
    expect(reordered).toEqual(first);
  });

  test('output does not depend on the clock, the host or the working directory', () => {
    const first = synth((app) => { internalEnvironment(app); });
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue('/somewhere/else');
    try {
      expect(synth((app) => { internalEnvironment(app); })).toEqual(first);
    } finally {
      now.mockRestore();
      cwd.mockRestore();
    }
  });
});
