import { renderLookupCostTable } from '../../lib/render/dns-report';

describe('renderLookupCostTable', () => {
  test('one row per host: names tried as code, NXDOMAIN count, delays in seconds or "no answer"', () => {
    const table = renderLookupCostTable([
      { host: 'pypi.org', attempts: ['pypi.org.svc.cluster.local.', 'pypi.org.'], queriesBeforeAnswer: 1, glibcDelaySeconds: 4, muslDelaySeconds: 0 },
      { host: 'gitlab', attempts: ['gitlab.'], queriesBeforeAnswer: 0, glibcDelaySeconds: Infinity, muslDelaySeconds: Infinity },
    ]);
    expect(table.split('\n')).toEqual([
      '| host | names tried, in order | NXDOMAIN before the answer | first nameserver down: glibc, Go | first nameserver down: musl |',
      '|---|---|---|---|---|',
      '| `pypi.org` | `pypi.org.svc.cluster.local.`, `pypi.org.` | 1 | 4 s | 0 s |',
      '| `gitlab` | `gitlab.` | 0 | no answer | no answer |',
    ]);
  });

  test('no rows: the header alone', () => {
    expect(renderLookupCostTable([]).split('\n')).toHaveLength(2);
  });
});
