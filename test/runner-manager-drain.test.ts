import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerManager } from '../lib';

// Runs the manager's real preStop drain hook with /bin/sh against stand-in runner processes.

/** The hook of a manager that drains for `drain` seconds (jobTimeout) then allows 1 s of forced shutdown. */
function drainHook(drain: number): string {
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(chart, 'Token', 'token'),
    jobTimeout: Duration.seconds(drain),
    shutdownTimeout: Duration.seconds(1),
  });
  const script: string = (manager.helmValues.deploymentLifecycle as any).preStop.exec.command[2];
  // Only this test's own children: a CI host may itself run a real gitlab-runner.
  const scoped = script.replace('pgrep -o -f', `pgrep -P ${process.pid} -o -f`);
  expect(scoped).not.toBe(script);
  return scoped;
}

let dir: string;
const started: ChildProcess[] = [];
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drain-')); });
afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts a stand-in `gitlab-runner <args>` that logs the signals it gets; `onQuit` is what it does on SIGQUIT. */
async function fakeRunner(name: string, args: string[], onQuit: 'exit' | 'ignore'): Promise<{ log: string; child: ChildProcess }> {
  const bin = path.join(dir, name, 'gitlab-runner');
  const log = path.join(dir, `${name}.log`);
  fs.mkdirSync(path.dirname(bin));
  fs.writeFileSync(bin, [
    '#!/bin/bash',
    `trap 'echo QUIT >> ${log}${onQuit === 'exit' ? '; exit 0' : ''}' QUIT`,
    `trap 'echo TERM >> ${log}; exit 0' TERM`,
    `echo started >> ${log}`,
    'while true; do sleep 0.1; done',
  ].join('\n'), { mode: 0o755 });
  const child = spawn('bash', [bin, ...args], { stdio: 'ignore' });
  started.push(child);
  for (let i = 0; i < 50 && !fs.existsSync(log); i++) await new Promise((r) => setTimeout(r, 20));
  return { log, child };
}

/** Runs the hook; resolves with its exit code and how long it took. */
function runHook(script: string): Promise<{ code: number | null; seconds: number }> {
  const start = Date.now();
  return new Promise((resolve) => {
    const hook = spawn('/bin/sh', ['-c', script], { stdio: 'ignore' });
    hook.on('exit', (code) => resolve({ code, seconds: (Date.now() - start) / 1000 }));
  });
}

const read = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');

describe('the drain hook', () => {
  test('with no runner process (or only other gitlab-runner commands), it does nothing and exits 0', async () => {
    const other = await fakeRunner('verify', ['verify', '--url='], 'exit');
    const result = await runHook(drainHook(5));
    expect(result.code).toBe(0);
    expect(result.seconds).toBeLessThan(2);
    expect(read(other.log)).toEqual(['started']);
  });

  test('a runner that finishes its jobs on SIGQUIT gets only SIGQUIT, and the hook returns when it exits', async () => {
    const runner = await fakeRunner('drains', ['run', '--user=gitlab-runner', '--working-directory=/home/gitlab-runner'], 'exit');
    const result = await runHook(drainHook(10));
    expect(result.code).toBe(0);
    expect(result.seconds).toBeLessThan(5);
    expect(read(runner.log)).toEqual(['started', 'QUIT']);
  });

  test('a runner still busy when the drain time is up gets SIGTERM (the forced shutdown)', async () => {
    const runner = await fakeRunner('busy', ['run', '--user=gitlab-runner'], 'ignore');
    const result = await runHook(drainHook(1));
    expect(result.code).toBe(0);
    expect(result.seconds).toBeGreaterThanOrEqual(1);
    expect(read(runner.log)).toEqual(['started', 'QUIT', 'TERM']);
  });
});
