/**
 * The drain hook: SIGQUIT to the runner (it takes no new jobs and waits for its running ones), at
 * most `drainSeconds`; then SIGTERM (it aborts the rest) and wait until it exits or Kubernetes kills
 * it at the end of the grace period. `[g]` keeps the pattern from matching this shell's own command line.
 * `-P 1`: in chart 0.80's pod PID 1 is dumb-init, whose one child execs (the chart's entrypoint, then
 * the image's /entrypoint) into `gitlab-runner run`; any other process matching the pattern, such as a
 * `kubectl exec`'d command, is not the runner and must not be signalled.
 */
export function drainScript(drainSeconds: number): string {
  return [
    'pid=$(pgrep -o -P 1 -f \'[g]itlab-runner( .*)? run( |$)\') || exit 0',
    'kill -QUIT "$pid"',
    `i=0; while kill -0 "$pid" 2>/dev/null && [ "$i" -lt ${drainSeconds} ]; do sleep 1; i=$((i + 1)); done`,
    'kill -TERM "$pid" 2>/dev/null',
    'while kill -0 "$pid" 2>/dev/null; do sleep 1; done',
  ].join('\n');
}
