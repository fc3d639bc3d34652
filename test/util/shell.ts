import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The shell dialects shellcheck checks a script as. */
export type ShellDialect = 'sh' | 'bash';

/** One shell script found in an output, named by where it came from. */
export interface ShellScript {
  readonly where: string;
  readonly dialect: ShellDialect;
  readonly script: string;
}

/**
 * shellcheck's findings (its plain-text report) for `script` as `dialect`, at severity warning and
 * above; '' when there are none. Throws when shellcheck cannot run: a missing tool is a failure, not a skip.
 */
export function shellcheck(script: string, dialect: ShellDialect): string {
  const result = spawnSync('shellcheck', ['--shell', dialect, '--severity', 'warning', '--color=never', '-'], {
    input: script, encoding: 'utf8',
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('shellcheck not found: .ci/run installs it (apt-get install -y shellcheck)');
  }
  if (result.error) throw result.error;
  // 0: clean; 1: findings; anything else (2-4) is shellcheck failing to run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`shellcheck exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * shellcheck's findings for each of `scripts`, as `shellcheck()` gives them for one script ('' when
 * none), from one shellcheck run per dialect on all of them: each script is a file of its own, and
 * each finding names its file. A finding reads `line N: <the line>` then `SCxxxx (level): message`.
 */
export function shellcheckEach(scripts: readonly ShellScript[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shellcheck-'));
  try {
    const files = scripts.map((_s, i) => path.join(dir, `${i}.sh`));
    scripts.forEach((s, i) => fs.writeFileSync(files[i], s.script));
    const findings: string[][] = scripts.map(() => []);
    for (const dialect of ['sh', 'bash'] as const) {
      const mine = files.filter((_f, i) => scripts[i].dialect === dialect);
      if (mine.length === 0) continue;
      const result = spawnSync('shellcheck', ['--shell', dialect, '--severity', 'warning', '--format', 'json1', ...mine], {
        encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      });
      if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
        throw new Error('shellcheck not found: .ci/run installs it (apt-get install -y shellcheck)');
      }
      if (result.error) throw result.error;
      if (result.status !== 0 && result.status !== 1) throw new Error(`shellcheck exited ${result.status}: ${result.stderr}`);
      const report: { comments: { file: string; line: number; level: string; code: number; message: string }[] } = JSON.parse(result.stdout);
      if (result.status === 1 && report.comments.length === 0) throw new Error(`shellcheck exited 1 with no findings: ${result.stderr}`);
      for (const c of report.comments) {
        const i = files.indexOf(c.file);
        if (i < 0) throw new Error(`shellcheck reported a file it was not given: ${c.file}`);
        findings[i].push(`line ${c.line}: ${scripts[i].script.split('\n')[c.line - 1] ?? ''}\n  SC${c.code} (${c.level}): ${c.message}`);
      }
    }
    return findings.map((f) => f.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fenced code block of a Markdown document. */
export interface FencedBlock {
  /** The info string's first word, e.g. `sh`; '' when unlabelled. */
  readonly lang: string;
  /** Its content, with the fence's indentation removed. */
  readonly code: string;
  /** The 1-based line of its opening fence. */
  readonly line: number;
}

/** The fenced code blocks of `markdown`, including those indented inside list items. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    // The block ends at a fence of the same character, at least as long (CommonMark).
    while (j < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
      j++;
    }
    blocks.push({ lang, code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The dialect shellcheck checks a block as, from its label; undefined for blocks that are not shell. */
export function dialectOfBlock(lang: string): ShellDialect | undefined {
  if (lang === 'sh' || lang === 'shell') return 'sh';
  if (lang === 'bash') return 'bash';
  return undefined;
}

/**
 * Placeholders such as `<path to the key file>` outside quotes and comments. Shell reads them as
 * redirections, and some parse (`--version <new version>` reads the file `new`), so shellcheck
 * alone does not catch every one.
 */
export function placeholdersIn(script: string): string[] {
  const bare = script
    // Quoted text first, so that a `#` inside quotes does not start a comment.
    .replace(/'[^']*'/g, "''")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/(^|\s)#.*$/gm, '$1');
  // Not the second `<` of a here-document's `<<`.
  return [...bare.matchAll(/(?<!<)<[A-Za-z][^<>\n]*>/g)].map((m) => m[0]);
}

/** GitLab CI keywords that are not jobs at the top level of a `.gitlab-ci.yml`. */
const GLOBAL_KEYWORDS = ['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache',
  'before_script', 'after_script', 'spec'];

/** A script entry as GitLab reads it: a line, or (nested) lists of lines. */
function scriptLines(entry: unknown): string[] {
  if (entry === undefined || entry === null) return [];
  if (typeof entry === 'string') return [entry];
  if (Array.isArray(entry)) return entry.flatMap(scriptLines);
  throw new Error(`not a script line: ${JSON.stringify(entry)}`);
}

/**
 * The shell scripts of a parsed `.gitlab-ci.yml`, as GitLab runs them: per job, `before_script`
 * (the job's, else the top-level or `default` one) and `script` joined into one shell script; and
 * `after_script` on its own, since GitLab runs it in a separate shell.
 */
export function pipelineScripts(file: string, doc: { [key: string]: any }): ShellScript[] {
  const defaults = doc.default ?? {};
  const before = doc.before_script ?? defaults.before_script;
  const after = doc.after_script ?? defaults.after_script;
  const scripts: ShellScript[] = [];
  for (const [name, job] of Object.entries(doc)) {
    if (GLOBAL_KEYWORDS.includes(name) || typeof job !== 'object' || job === null || Array.isArray(job)) continue;
    const main = [...scriptLines(job.before_script ?? before), ...scriptLines(job.script)];
    if (main.length) scripts.push({ where: `${file} ${name}`, dialect: 'sh', script: main.join('\n') });
    const afterLines = scriptLines(job.after_script ?? after);
    if (afterLines.length) scripts.push({ where: `${file} ${name} after_script`, dialect: 'sh', script: afterLines.join('\n') });
  }
  return scripts;
}

const SHELLS: { [name: string]: ShellDialect } = { sh: 'sh', ash: 'sh', dash: 'sh', bash: 'bash' };

/**
 * Every `<shell> -c <script>` command in an object tree (containers' `command` + `args`, exec
 * hooks' and probes' `command`), with its path in the tree.
 */
export function shellCommands(where: string, tree: unknown, at = ''): ShellScript[] {
  if (tree === null || typeof tree !== 'object') return [];
  if (Array.isArray(tree)) return tree.flatMap((item, i) => shellCommands(where, item, `${at}[${i}]`));
  const node = tree as { [key: string]: unknown };
  const found: ShellScript[] = [];
  const strings = (v: unknown) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v as string[] : undefined);
  const command = strings(node.command);
  const args = strings(node.args);
  if (command || args) {
    const argv = [...command ?? [], ...args ?? []];
    const dialect = SHELLS[path.basename(argv[0] ?? '')];
    const c = argv.indexOf('-c');
    if (dialect && c > 0 && argv[c + 1] !== undefined) {
      found.push({ where: `${where} ${at.replace(/^\./, '')}`, dialect, script: argv[c + 1] });
    }
  }
  for (const [key, value] of Object.entries(node)) found.push(...shellCommands(where, value, `${at}.${key}`));
  return found;
}

/** The absolute path of `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
