import { Corefile } from '../../lib/model/corefile';
import { renderCorefile } from '../../lib/render/corefile';

describe('renderCorefile', () => {
  test('a server block per entry; nested blocks indented by 4 spaces; an empty block is a plain line', () => {
    // GIVEN
    const corefile: Corefile = [
      { keys: ['example.com:53'], directives: [{ name: 'forward', args: ['.', '10.0.0.2'] }] },
      {
        keys: ['.:53', '.:5353'],
        directives: [
          { name: 'errors' },
          { name: 'health', block: [] },
          { name: 'kubernetes', args: ['cluster.local'], block: [{ name: 'pods', args: ['insecure'], block: [{ name: 'deep' }] }] },
        ],
      },
    ];

    // WHEN
    const text = renderCorefile(corefile);

    // THEN
    expect(text).toBe([
      'example.com:53 {',
      '    forward . 10.0.0.2',
      '}',
      '.:53 .:5353 {',
      '    errors',
      '    health',
      '    kubernetes cluster.local {',
      '        pods insecure {',
      '            deep',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'));
  });

  test('an empty Corefile is one newline', () => {
    expect(renderCorefile([])).toBe('\n');
  });
});
