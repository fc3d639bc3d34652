// Preloaded into every node process a benchmark run starts (NODE_OPTIONS=--require): on exit, it
// appends the process's peak resident set (KiB) to $BENCH_RSS_FILE, so npm's own processes count too.
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    require('fs').appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
  });
}
