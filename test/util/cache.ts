// Results the tests compute once per change of their inputs (the props-keys table, compiled schema
// validators), kept under node_modules/.cache so that later test files, and later runs, reuse them.
import * as crypto from 'crypto';
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

/**
 * The key of a cached result: the hash of every input file (path and content) and of the versions
 * of the packages it depends on. `read` stands in for the file system in tests of the key.
 */
export function inputHash(files: readonly string[], packages: readonly string[],
  read: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): string {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(read(file)).update('\0');
  for (const pkg of packages) hash.update(`${pkg}@${require(`${pkg}/package.json`).version}\0`);
  return hash.digest('hex');
}
