#!/usr/bin/env node
// `npm run bench`: how synthesis grows with the number of environments, and what it costs beyond its
// floors, measured in one run on this machine. Every case is a fresh process timed from outside
// (start-up included, as a user pays it), and the cases of one size run interleaved, round by round,
// so that a noisy neighbour slows all of them alike; the table gives medians, ratios and peak RSS,
// and is written to docs/performance.md. Options: --quick (fewer sizes and rounds), --out <file>.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.join(__dirname, '..');
const CASE = path.join(__dirname, 'case.js');
const RSS = path.join(__dirname, 'rss.js');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const OUT = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : path.join(REPO, 'docs', 'performance.md');

/** Sizes, rounds and the time limit of one process at that size (a case over it reports "> limit"). */
const SIZES = (QUICK
  ? [['seeds', 3, 30], [1, 3, 30], [30, 3, 60], [300, 1, 180]]
  : [['seeds', 7, 30], [1, 7, 30], [10, 5, 30], [30, 5, 60], [100, 3, 120], [300, 3, 240]])
  .map(([size, rounds, limit]) => ({ size, rounds, limitSeconds: limit }));

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitlab-runner-bench-'));

/** Runs `args` once, returning seconds, the peak RSS (MiB) of its largest node process, and failure. */
function measure(command, args, limitSeconds, env = {}) {
  const rssFile = path.join(work, 'rss.txt');
  fs.rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: REPO,
    encoding: 'utf8',
    timeout: limitSeconds * 1000,
    killSignal: 'SIGKILL',
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${RSS}` },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = fs.existsSync(rssFile)
    ? Math.max(...fs.readFileSync(rssFile, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[1]) / 1024))
    : NaN;
  if (result.error && result.error.code === 'ETIMEDOUT') return { seconds: Infinity, rss, timedOut: true };
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr.slice(-4000)}`);
  }
  return { seconds, rss };
}

const node = (...args) => [process.execPath, [CASE, ...args]];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Every file under `dir` with its content, for comparing two outputs. */
function snapshot(dir) {
  const files = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

function sameOutput(a, b) {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/**
 * One size: the library's synth and its floors, interleaved. `app` writes every file; `modules` only
 * loads what it loads; `peer` is plain cdk8s writing the same Kubernetes objects as raw ApiObjects
 * (`app.synth()`); `strings` writes the same files from ready strings.
 */
function measureSize({ size, rounds, limitSeconds }) {
  const label = String(size);
  const fixture = path.join(work, `${label}.json`);
  const firstOut = path.join(work, `${label}-first`);
  measure(...node('prepare', label, firstOut, fixture), limitSeconds * 2);
  const reference = snapshot(firstOut);
  const { files, manifests } = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  const objects = manifests.reduce((n, m) => n + m.objects.length, 0);
  const cases = {
    app: (out) => node('app', label, out),
    modules: () => node('modules', label),
    peer: (out) => node('peer', fixture, out),
    strings: (out) => node('strings', fixture, out),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, { seconds: [], rss: [], timedOut: false }]));
  let identical = true;
  for (let round = 0; round < rounds; round++) {
    for (const [name, args] of Object.entries(cases)) {
      const s = samples[name];
      if (s.timedOut) continue;
      const out = path.join(work, `${label}-${name}`);
      fs.rmSync(out, { recursive: true, force: true });
      const m = measure(...args(out), limitSeconds);
      if (m.timedOut) {
        s.timedOut = true;
        continue;
      }
      s.seconds.push(m.seconds);
      s.rss.push(m.rss);
      if (name === 'app' && !sameOutput(snapshot(out), reference)) identical = false;
    }
  }
  const summary = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, {
    seconds: s.timedOut ? Infinity : median(s.seconds),
    rss: s.rss.length ? Math.max(...s.rss) : NaN,
    timedOut: s.timedOut,
  }]));
  return { size, environments: size === 'seeds' ? 3 : size, rounds, limitSeconds, files: files.length, objects, identical, ...summary };
}

/** `npm run synth` against the app alone and npm's own start-up (`npm run` of an empty script). */
function measureEntry(rounds) {
  const cases = {
    'npm run synth': ['npm', ['run', '--silent', 'synth']],
    'app alone': [process.execPath, ['apps/run-ts.js', 'apps/main.ts']],
    'npm start-up': ['npm', ['run', '--silent', 'bench:empty']],
    'cdk8s synth': [process.execPath, [path.join(REPO, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade']],
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, { seconds: [], rss: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, [command, args]] of Object.entries(cases)) {
      const m = measure(command, args, 60);
      samples[name].seconds.push(m.seconds);
      samples[name].rss.push(m.rss);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { seconds: median(s.seconds), rss: Math.max(...s.rss) }]));
}

const seconds = (s) => (s.timedOut ? `> ${s.limit} s` : `${s.seconds.toFixed(2)} s`);
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '—');
const mib = (v) => (Number.isFinite(v) ? `${Math.round(v)} MiB` : '—');

function main() {
  const startedAt = new Date();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const rows = [];
  for (const size of SIZES) {
    process.stderr.write(`bench: ${size.size} ...\n`);
    const row = measureSize(size);
    for (const k of ['app', 'modules', 'peer', 'strings']) row[k].limit = size.limitSeconds;
    rows.push(row);
  }
  process.stderr.write('bench: npm run synth ...\n');
  const entry = measureEntry(QUICK ? 3 : 7);
  const base = rows.find((r) => r.size === 30);
  const largest = rows[rows.length - 1];

  const lines = [];
  lines.push('# Performance', '');
  lines.push('Written by `npm run bench` (bench/run.js); do not edit by hand. Every figure is the median of '
    + 'fresh processes timed from outside, start-up included, with the cases of one size interleaved '
    + 'round by round. Read the ratios: the machine is shared and its absolute speed varies.', '');
  lines.push(`Run: ${startedAt.toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, `
    + `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}, load average at start ${load}.`, '');
  lines.push('## Synthesis by number of environments', '');
  lines.push('- **app**: the library builds N environments (bench/environments.ts, the three stacks in turn, '
    + 'one cluster each; `seeds` is apps/) and writes every file with `Output.writeFiles()`.');
  lines.push('- **modules**: only loading what the app loads. **peer**: a plain cdk8s app writing the same '
    + 'Kubernetes objects as raw `ApiObject`s with `app.synth()`. **strings**: writing the same files from ready strings.');
  lines.push('- **app/app(30)**: growth against 30 environments (linear: 10x at 300). Peak RSS is the largest process.', '');
  lines.push('| N | files | objects | app | modules | peer | strings | app/peer | app/strings | app/app(30) | peak RSS app | peak RSS peer | output |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    lines.push(`| ${r.size} | ${r.files} | ${r.objects} | ${seconds(r.app)} | ${seconds(r.modules)} | ${seconds(r.peer)} | ${seconds(r.strings)} `
      + `| ${ratio(r.app.seconds, r.peer.seconds)} | ${ratio(r.app.seconds, r.strings.seconds)} `
      + `| ${base && r.size !== 'seeds' ? ratio(r.app.seconds, base.app.seconds) : '—'} | ${mib(r.app.rss)} | ${mib(r.peer.rss)} `
      + `| ${r.identical ? 'identical' : 'DIFFERS'} |`);
  }
  lines.push('', `Rounds per size: ${rows.map((r) => `${r.size}: ${r.rounds}`).join(', ')}; time limit per process: `
    + `${rows.map((r) => `${r.size}: ${r.limitSeconds} s`).join(', ')}. "output" compares every round's files with the first synth.`, '');
  lines.push('## `npm run synth`', '');
  lines.push('The seed environments through npm, against the app alone (`node apps/run-ts.js apps/main.ts`), '
    + 'npm\'s own start-up (`npm run` of an empty script) and the cdk8s CLI running the same app.', '');
  lines.push('| command | time | peak RSS |', '|---|---|---|');
  for (const [name, m] of Object.entries(entry)) lines.push(`| ${name} | ${m.seconds.toFixed(2)} s | ${mib(m.rss)} |`);
  const overhead = entry['npm run synth'].seconds - entry['app alone'].seconds - entry['npm start-up'].seconds;
  lines.push('', '## Summary', '');
  if (base) lines.push(`- time(${largest.size}) / time(30) = ${ratio(largest.app.seconds, base.app.seconds)} (linear would be ${(largest.environments / 30).toFixed(0)}x); peak RSS ${mib(largest.app.rss)} against ${mib(base.app.rss)}.`);
  const seeds = rows.find((r) => r.size === 'seeds');
  if (seeds) lines.push(`- The seed environments: the app is ${ratio(seeds.app.seconds, seeds.peer.seconds)} the plain cdk8s peer of equal Kubernetes output, and ${ratio(seeds.app.seconds, seeds.modules.seconds)} its own module loading.`);
  lines.push(`- \`npm run synth\` costs ${overhead >= 0 ? '+' : ''}${overhead.toFixed(2)} s beyond the app alone plus npm's start-up; \`cdk8s synth\` costs ${ratio(entry['cdk8s synth'].seconds, entry['app alone'].seconds)} the app alone.`);
  lines.push('- Every output was byte-identical across rounds: ' + (rows.every((r) => r.identical) ? 'yes.' : 'NO.'));
  const text = `${lines.join('\n')}\n`;
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  process.stdout.write(text);
  fs.rmSync(work, { recursive: true, force: true });
}

main();
