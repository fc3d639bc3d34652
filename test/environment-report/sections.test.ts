import { CheckStatus } from '../../lib/environment-report/checklist';
import { CapacityRunner, capacityBlocks, checklistBlocks, dnsBlocks, runbookBlocks } from '../../lib/environment-report/sections';
import { renderMarkdown } from '../../lib/render/markdown';
import { CONTAINER, poolCapacity } from '../util/report-fixtures';

const GIB = 2 ** 30;
const RUNNER: CapacityRunner = {
  replicas: 2, concurrent: 3, jobsPerManager: 2, configuredJobs: 4,
  jobPodPolicy: {
    _buildResources: CONTAINER, _helperResources: { cpu: { request: '500m' }, memory: {}, ephemeralStorage: {} }, _serviceResources: CONTAINER,
    servicesPerJob: 0, perJobRequests: { cpu: 2.5, memory: 2 * GIB, ephemeralStorage: 0 }, perJobLimits: { cpu: 4, memory: 4 * GIB, ephemeralStorage: 0 },
  },
};

describe('capacityBlocks', () => {
  test('a request left to the limit says so, a missing one is a dash; the limit marks a bounded concurrency', () => {
    const text = renderMarkdown(capacityBlocks(RUNNER));
    expect(text).toContain('| build | 1 | 2 (= limit) | 2 | 2Gi (= limit) | 2Gi |');
    expect(text).toContain('| helper | 1 | 500m | — | — | — |');
    expect(text).toContain('| service | 0 |');
    expect(text).toContain('| per job |  | 2.5 | 4 | 2Gi | 4Gi |');
    expect(text).toContain('Configured concurrency: 2 replicas × 2 jobs (limit) = **4** jobs.');
    expect(text).toContain('capacity is not planned');
    expect(renderMarkdown(capacityBlocks({ ...RUNNER, concurrent: 2 }))).toContain('× 2 jobs = **4** jobs.');
  });

  test('with a sized pool: per-node and pooled figures on both bases, and the verdict', () => {
    const text = renderMarkdown(capacityBlocks({ ...RUNNER, capacity: poolCapacity(2) }));
    expect(text).toContain('2 node(s), each with 6 CPU / 12Gi allocatable to jobs.');
    expect(text).toContain('| requests | 3 CPU / 3Gi | 2 | 4 | 4 | cpu | 4 (4 by CPU, 8 by memory) |');
    expect(text).toContain('| limits | 6 CPU / 6Gi | 1 | 2 | 2 | cpu | 2 (2 by CPU, 4 by memory) |');
    expect(text).toContain('**Verdict**: fits by requests (4), not by limits (2)');
    expect(text).not.toContain('capacity is not planned');
  });
});

describe('dnsBlocks', () => {
  test('resolv.conf as the kubelet writes it, then the lookup costs as a model block', () => {
    const rows = [{ host: 'a.example.com', attempts: ['a.example.com.'], queriesBeforeAnswer: 0, glibcDelaySeconds: 5, muslDelaySeconds: 0 }];
    const blocks = dnsBlocks('internal', { clusterFirst: false, nameservers: ['10.0.0.2', '10.0.0.3'], searches: ['svc.cluster.local'], options: ['ndots:2'] }, rows);
    expect(blocks[2]).toEqual({ code: 'nameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch svc.cluster.local\noptions ndots:2' });
    expect(blocks[blocks.length - 1]).toEqual({ lookupCosts: rows });
    expect(dnsBlocks('cluster', { clusterFirst: true, nameservers: [], searches: [], options: [] }, [])[2])
      .toEqual({ code: 'nameserver <the cluster DNS Service>' });
  });
});

describe('checklistBlocks and runbookBlocks', () => {
  test('the checklist as a table of area, item, status and why', () => {
    expect(checklistBlocks([{ area: 'runner', item: 'x', status: CheckStatus.MET, reason: 'y' }])[1])
      .toEqual({ table: { header: ['area', 'item', 'status', 'why'], rows: [['runner', 'x', 'met', 'y']] } });
  });

  test('the runbook names the identities it does not run as', () => {
    const runner = {
      namespace: 'gitlab', releaseName: 'r', serviceAccountName: 'sa', chartVersion: '0.80.0', fullname: 'r', drainOnStop: true,
      terminationGracePeriodSeconds: 60, _helmValues: {},
    };
    const files = { platform: 'ci/platform/', values: 'v.yaml' };
    const alone = runbookBlocks(runner, files)[1];
    expect(alone).toEqual({ paragraph: expect.stringMatching(/not as the runner's ServiceAccount \(`sa` in `gitlab`\): .* which its Role does not allow\.$/) });
    const both = runbookBlocks(runner, { ...files, deployIdentity: 'deployer', appNamespace: 'calc' })[1];
    expect(both).toEqual({ paragraph: expect.stringMatching(/not as the deploy job's ServiceAccount \(`deployer` in `calc`\) or the runner's .* which those Roles do not allow\.$/) });
    expect(runbookBlocks(runner, files).filter((b) => 'heading' in b).map((b) => 'heading' in b && b.heading))
      .toEqual(['Apply, in this order', 'Upgrade', 'Back up and roll back', 'Uninstall']);
  });
});
