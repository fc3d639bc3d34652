import { LookupCostRow, renderLookupCostTable } from './dns-report';

/** A block of a Markdown document. */
export type MarkdownBlock =
  | { readonly heading: string; readonly level?: 1 | 2 | 3 }
  | { readonly paragraph: string }
  | { readonly list: readonly string[] }
  | { readonly table: { readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] } }
  | { readonly code: string; readonly lang?: string }
  /** The DNS lookup-cost table, in its own layout (render/dns-report). */
  | { readonly lookupCosts: readonly LookupCostRow[] };

/** Renders blocks as Markdown, one blank line between blocks; table cells have `|` and newlines escaped. */
export function renderMarkdown(blocks: readonly MarkdownBlock[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return blocks.map((block) => {
    if ('heading' in block) return `${'#'.repeat(block.level ?? 2)} ${block.heading}`;
    if ('paragraph' in block) return block.paragraph;
    if ('lookupCosts' in block) return renderLookupCostTable(block.lookupCosts);
    if ('list' in block) return block.list.map((item) => `- ${item}`).join('\n');
    if ('table' in block) {
      return [row(block.table.header), row(block.table.header.map(() => '---')), ...block.table.rows.map(row)].join('\n');
    }
    return `\`\`\`${block.lang ?? ''}\n${block.code.replace(/\n$/, '')}\n\`\`\``;
  }).join('\n\n') + '\n';
}
