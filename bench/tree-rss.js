#!/usr/bin/env node
// Runs a command and reports its wall time, the peak resident set of its largest process and the
// peak of the whole process tree (sampled from /proc every 50 ms), e.g. for `npm test`:
//   node bench/tree-rss.js npm test
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node bench/tree-rss.js <command> [args...]');
  process.exit(2);
}

/** Resident set (KiB) of every process, by pid, with its parent. */
function processes() {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      all.set(Number(name), { ppid, rss });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

const start = process.hrtime.bigint();
const child = spawn(cmd, args, { stdio: 'inherit' });
let peakTree = 0;
let peakOne = 0;
const sample = () => {
  const all = processes();
  const tree = new Set([child.pid]);
  // Parents are listed before most children; repeat until no new descendant is found.
  for (let grown = true; grown;) {
    grown = false;
    for (const [pid, p] of all) {
      if (!tree.has(pid) && tree.has(p.ppid)) { tree.add(pid); grown = true; }
    }
  }
  let sum = 0;
  for (const pid of tree) {
    const rss = all.get(pid)?.rss ?? 0;
    sum += rss;
    peakOne = Math.max(peakOne, rss);
  }
  peakTree = Math.max(peakTree, sum);
};
const timer = setInterval(sample, 50);
child.on('exit', (code, signal) => {
  clearInterval(timer);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const gb = (kib) => (kib / 1024 / 1024).toFixed(2);
  console.error(`tree-rss: ${seconds.toFixed(1)} s, largest process ${gb(peakOne)} GB, process tree ${gb(peakTree)} GB, exit ${code ?? signal}`);
  process.exit(code ?? 1);
});
