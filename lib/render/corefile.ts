import { Corefile, CorefileDirective } from '../model/corefile';

/** Nested blocks are indented by this much per level, as in CoreDNS' stock Corefile. */
const INDENT = '    ';

/** Renders a Corefile model as Corefile text, ending in a newline. */
export function renderCorefile(corefile: Corefile): string {
  const lines: string[] = [];
  const render = (directives: readonly CorefileDirective[], depth: number) => {
    const indent = INDENT.repeat(depth);
    for (const d of directives) {
      const head = [d.name, ...(d.args ?? [])].join(' ');
      if (d.block && d.block.length > 0) {
        lines.push(`${indent}${head} {`);
        render(d.block, depth + 1);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${head}`);
      }
    }
  };
  for (const block of corefile) {
    lines.push(`${block.keys.join(' ')} {`);
    render(block.directives, 1);
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}
