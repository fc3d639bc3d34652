// Results the tests compute once per change of their inputs (the props-keys table, compiled schema
// validators), kept under node_modules/.cache so that later test files, and later runs, reuse them.
import * as fs from 'fs';
import * as path from 'path';

/** The folder of one kind of cached result. */
export function cacheDir(name: string): string {
  return path.join(__dirname, '..', '..', 'node_modules', '.cache', name);
}

/** Writes atomically: two jest workers may compute the same entry at once. */
export function writeCacheFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}`, text);
  fs.renameSync(`${file}.${process.pid}`, file);
}
