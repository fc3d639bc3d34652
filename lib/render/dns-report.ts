/** One host's row of the DNS lookup-cost table: what its lookup costs from a job pod. */
export interface LookupCostRow {
  /** The name looked up, as given. */
  readonly host: string;
  /** Fully qualified names queried, in order (glibc and Go). */
  readonly attempts: readonly string[];
  /** NXDOMAIN answers before the real one. */
  readonly queriesBeforeAnswer: number;
  /** Extra seconds per lookup with the first nameserver down, glibc and Go; `Infinity`: no answer. */
  readonly glibcDelaySeconds: number;
  /** The same for musl. */
  readonly muslDelaySeconds: number;
}

const HEADER = '| host | names tried, in order | NXDOMAIN before the answer | first nameserver down: glibc, Go | first nameserver down: musl |';

/** The lookup-cost rows as a Markdown table. */
export function renderLookupCostTable(rows: readonly LookupCostRow[]): string {
  const seconds = (s: number) => (s === Infinity ? 'no answer' : `${s} s`);
  const lines = rows.map((r) => {
    const names = r.attempts.map((a) => `\`${a}\``).join(', ');
    return `| \`${r.host}\` | ${names} | ${r.queriesBeforeAnswer} | ${seconds(r.glibcDelaySeconds)} | ${seconds(r.muslDelaySeconds)} |`;
  });
  return [HEADER, '|---|---|---|---|---|', ...lines].join('\n');
}
