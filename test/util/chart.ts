// The gitlab-runner chart's own files, read from the chart archives in ../shared (beside the clone,
// in CI too): for tests that check how the chart consumes our values.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export const CHARTS_DIR = path.resolve(__dirname, '../../../shared/reference/versions/charts');

/** The chart versions we have archives of, oldest first. */
export function chartVersions(): string[] {
  if (!fs.existsSync(CHARTS_DIR)) throw new Error(`${CHARTS_DIR} not found: the tests need ../shared beside the clone`);
  return fs.readdirSync(CHARTS_DIR).map((f) => /^gitlab-runner-(\d+\.\d+\.\d+)\.tgz$/.exec(f)?.[1]).filter((v): v is string => v !== undefined)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The chart's files by path inside the archive (`gitlab-runner/templates/…`). */
export function chartFiles(version: string): Map<string, string> {
  const data = zlib.gunzipSync(fs.readFileSync(path.join(CHARTS_DIR, `gitlab-runner-${version}.tgz`)));
  const files = new Map<string, string>();
  // tar: 512-byte headers (name at 0, size in octal at 124, type at 156, ustar prefix at 345), data padded to 512.
  const text = (at: number, length: number) => data.subarray(at, at + length).toString('utf8').replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= data.length;) {
    const name = text(at, 100);
    if (!name) break;
    const prefix = text(at + 345, 155);
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    if (data[at + 156] === 0x30 || data[at + 156] === 0) files.set(prefix ? `${prefix}/${name}` : name, data.subarray(at + 512, at + 512 + size).toString('utf8'));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
