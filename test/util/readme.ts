import * as fs from 'fs';
import * as path from 'path';

export const REPO = path.join(__dirname, '..', '..');

/** The README's complete examples: the ```ts blocks that import the package. */
export function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => /^import /m.test(code));
}
