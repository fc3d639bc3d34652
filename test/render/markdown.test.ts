import { renderLookupCostTable } from '../../lib/render/dns-report';
import { renderMarkdown } from '../../lib/render/markdown';

describe('renderMarkdown', () => {
  test('renders each kind of block, one blank line apart, ending in a newline', () => {
    expect(renderMarkdown([
      { heading: 'Title', level: 1 },
      { heading: 'Section' },
      { paragraph: 'Some text.' },
      { list: ['one', 'two'] },
      { code: 'echo hi\n', lang: 'sh' },
      { code: 'plain' },
    ])).toBe('# Title\n\n## Section\n\nSome text.\n\n- one\n- two\n\n```sh\necho hi\n```\n\n```\nplain\n```\n');
  });

  test('tables: a header rule, and cells that cannot break the table', () => {
    expect(renderMarkdown([{ table: { header: ['a', 'b'], rows: [['x|y', 'line 1\nline 2']] } }]))
      .toBe('| a | b |\n| --- | --- |\n| x\\|y | line 1 line 2 |\n');
  });

  test('the lookup-cost block keeps its own table layout, between the other blocks', () => {
    const rows = [{ host: 'gitlab', attempts: ['gitlab.'], queriesBeforeAnswer: 0, glibcDelaySeconds: 0, muslDelaySeconds: 0 }];
    expect(renderMarkdown([{ paragraph: 'Before.' }, { lookupCosts: rows }, { paragraph: 'After.' }]))
      .toBe(`Before.\n\n${renderLookupCostTable(rows)}\n\nAfter.\n`);
    expect(renderLookupCostTable(rows)).toContain('\n|---|---|---|---|---|\n');
  });
});
