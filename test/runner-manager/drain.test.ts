// Runs the manager's real preStop drain hook as the Alpine manager image does: `busybox sh -c` with
// PATH holding nothing but busybox applets, against stand-in `gitlab-runner run` processes this test
// starts. One exception: Debian builds busybox without pgrep (procps has it) and no other busybox is
// installable here, so `pgrep` is procps's; both take -o, -P and -f with an extended regex.
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerManager } from '../../lib';
import { onPath } from '../util/shell';

/** Seconds the hook waits for the runner to drain: jobTimeout, with a grace period of jobTimeout + shutdownTimeout. */
const DRAIN = 3;
/** What limits the hook to the runner's own process: in the pod, children of PID 1 (dumb-init). */
const SCOPE = ' -P 1 ';
/** The commands the hook and the stand-ins run; all but pgrep must be busybox applets. */
const APPLETS = ['sh', 'kill', 'sleep', '[', 'test', 'echo', 'printf'];

let hook: string | undefined;

/** The preStop hook of a manager that drains for DRAIN seconds, through the public API (built once: the cases only read it). */
function drainHook(): string {
  return hook ??= buildDrainHook();
}

function buildDrainHook(): string {
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'token'),
    jobTimeout: Duration.seconds(DRAIN),
    shutdownTimeout: Duration.seconds(1),
  });
  const command: string[] = (manager._helmValues.deploymentLifecycle as any).preStop.exec.command;
  expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  return command[2];
}

/** The hook with its scope moved from PID 1 to this test process, the parent of the stand-ins it starts. */
function scopedHook(): string {
  const script = drainHook();
  // Exactly one scope: a hook that drops or adds one must change this test.
  expect(script.split(SCOPE).length - 1).toBe(1);
  return script.replace(SCOPE, ` -P ${process.pid} `);
}

let dir: string;
let bin: string;
const groups: ChildProcess[] = [];
let decoy: { log: string; pid: number };

/** A busybox-only PATH directory: one symlink per applet, and procps's pgrep (see the top of this file). */
function busyboxBin(): string {
  const busybox = onPath('busybox');
  if (!busybox) throw new Error('busybox not found: .ci/run installs it (apt-get install -y busybox)');
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n');
  for (const applet of APPLETS) expect(applets).toContain(applet);
  const pgrep = applets.includes('pgrep') ? busybox : onPath('pgrep');
  if (!pgrep) throw new Error('pgrep not found: Debian\'s busybox has none; install procps (apt-get install -y procps)');
  const out = path.join(dir, 'bin');
  fs.mkdirSync(out);
  for (const applet of APPLETS) fs.symlinkSync(busybox, path.join(out, applet));
  fs.symlinkSync(pgrep, path.join(out, 'pgrep'));
  return out;
}

/**
 * Writes the stand-in runner: a busybox sh script named gitlab-runner that logs the signals it gets;
 * `onQuit` is what it does on SIGQUIT (a real runner finishes its jobs and exits).
 */
function writeFakeRunner(): void {
  fs.writeFileSync(path.join(bin, 'gitlab-runner'), [
    `#!${path.join(bin, 'sh')}`,
    'if [ "$ON_QUIT" = exit ]; then trap \'echo QUIT >> "$LOG"; exit 0\' QUIT; else trap \'echo QUIT >> "$LOG"\' QUIT; fi',
    'trap \'echo TERM >> "$LOG"; exit 0\' TERM',
    'echo "$$" > "$LOG.pid"',
    'echo started >> "$LOG"',
    'while :; do sleep 0.1; done',
  ].join('\n'), { mode: 0o755 });
}

async function waitFor(file: string): Promise<void> {
  // Up to 5 s: the machine is shared.
  for (let i = 0; i < 250 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
  if (!fs.existsSync(file)) throw new Error(`${file} never appeared`);
}

/** Starts `gitlab-runner <args>` as a child of this process (what the scoped hook looks for). */
async function fakeRunner(name: string, args: string[], onQuit: 'exit' | 'ignore'): Promise<{ log: string; child: ChildProcess }> {
  const log = path.join(dir, `${name}.log`);
  // Detached: its own process group, so that cleanup also ends its sleep.
  const child = spawn(path.join(bin, 'gitlab-runner'), args, { env: { PATH: bin, LOG: log, ON_QUIT: onQuit }, stdio: 'ignore', detached: true });
  groups.push(child);
  await waitFor(log);
  return { log, child };
}

/** Runs the hook under `busybox sh -c` with the busybox-only PATH; resolves with its exit code and how long it took. */
function runHook(script: string): Promise<{ code: number | null; seconds: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const hook = spawn(path.join(bin, 'sh'), ['-c', script], { env: { PATH: bin }, stdio: 'ignore' });
    hook.on('error', reject);
    hook.on('exit', (code) => resolve({ code, seconds: (Date.now() - start) / 1000 }));
  });
}

const read = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');
const parentOf = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drain-'));
  bin = busyboxBin();
  writeFakeRunner();
  // The decoy: a `gitlab-runner run` like the others, but a grandchild of this process (its parent is
  // a shell that runs it in the foreground; the path comes through the environment, so that shell's
  // own command line does not match). An unscoped hook would signal it.
  const log = path.join(dir, 'decoy.log');
  groups.push(spawn(path.join(bin, 'sh'), ['-c', '"$RUNNER" run --user=gitlab-runner --decoy; :'], {
    env: { PATH: bin, LOG: log, ON_QUIT: 'exit', RUNNER: path.join(bin, 'gitlab-runner') }, stdio: 'ignore', detached: true,
  }));
  await waitFor(log);
  await waitFor(`${log}.pid`);
  decoy = { log, pid: Number(fs.readFileSync(`${log}.pid`, 'utf8')) };
}, 15_000);

afterAll(() => {
  for (const child of groups) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  // Whatever a case did, the decoy outside the hook's scope never got a signal.
  expect(read(decoy.log)).toEqual(['started']);
});

describe('the drain hook under busybox sh', () => {
  test('the decoy is a real candidate: it matches the pattern and is not a child of this process', () => {
    expect(parentOf(decoy.pid)).not.toBe(process.pid);
    const pattern = /'(\[g\][^']*)'/.exec(drainHook())![1];
    const all = spawnSync(path.join(bin, 'pgrep'), ['-f', pattern], { encoding: 'utf8' }).stdout.split('\n');
    expect(all).toContain(String(decoy.pid));
  });

  test('with no runner process (or only other gitlab-runner commands), it does nothing and exits 0 at once', async () => {
    const other = await fakeRunner('verify', ['verify', '--url=https://gitlab.example.com/'], 'exit');
    const result = await runHook(scopedHook());
    expect(result.code).toBe(0);
    expect(result.seconds).toBeLessThan(1.5);
    expect(read(other.log)).toEqual(['started']);
  }, 10_000);

  test('a runner that finishes its jobs on SIGQUIT gets only SIGQUIT, and the hook returns when it exits', async () => {
    const runner = await fakeRunner('drains', ['run', '--user=gitlab-runner', '--working-directory=/home/gitlab-runner'], 'exit');
    const result = await runHook(scopedHook());
    expect(result.code).toBe(0);
    // It polls once a second: well before the drain time is up.
    expect(result.seconds).toBeLessThan(DRAIN - 0.5);
    expect(read(runner.log)).toEqual(['started', 'QUIT']);
  }, 10_000);

  test('a runner still busy when the drain time is up gets SIGTERM (the forced shutdown), and the hook returns when it exits', async () => {
    const runner = await fakeRunner('busy', ['run', '--user=gitlab-runner'], 'ignore');
    const result = await runHook(scopedHook());
    expect(result.code).toBe(0);
    // DRAIN seconds of polling, then SIGTERM and at most a second or two until it is gone (loose: the machine is shared).
    expect(result.seconds).toBeGreaterThanOrEqual(DRAIN - 0.1);
    expect(result.seconds).toBeLessThan(DRAIN + 4);
    expect(read(runner.log)).toEqual(['started', 'QUIT', 'TERM']);
  }, 15_000);
});
