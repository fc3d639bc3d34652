// The report's sections as Markdown model blocks, from plain settings: the output step renders them.
import { PoolCapacity } from '../ci-node-pool';
import { JobResolvConf } from '../dns-strategy';
import { LookupCostRow } from '../render/dns-report';
import { MarkdownBlock } from '../render/markdown';
import { formatAmounts, formatBytes, formatCpu, ResourceAmounts, ResourceQuantities } from '../resources';
import { capacityVerdict, ChecklistItem } from './checklist';
import { applyCommands, backupCommands, ReportFiles, RunbookRunner, uninstallCommands, upgradeCommands } from './commands';

/** What the capacity section reads of the runner: a `RunnerManager` has it, a test can pass plain data. */
export interface CapacityRunner {
  readonly replicas: number;
  readonly concurrent: number;
  readonly jobsPerManager: number;
  readonly configuredJobs: number;
  readonly capacity?: PoolCapacity;
  readonly jobPodPolicy: {
    readonly _buildResources: ResourceQuantities;
    readonly _helperResources: ResourceQuantities;
    readonly _serviceResources: ResourceQuantities;
    readonly servicesPerJob: number;
    readonly perJobRequests: ResourceAmounts;
    readonly perJobLimits: ResourceAmounts;
  };
}

/** Each container's requests and limits, the per-job totals, the configured concurrency and, with a sized pool, the verdict. */
export function capacityBlocks(runner: CapacityRunner): MarkdownBlock[] {
  const policy = runner.jobPodPolicy;
  const limited = runner.jobsPerManager < runner.concurrent;
  const configured = runner.configuredJobs;
  const containers: [string, ResourceQuantities, number][] = [
    ['build', policy._buildResources, 1], ['helper', policy._helperResources, 1], ['service', policy._serviceResources, policy.servicesPerJob],
  ];
  const quantity = (pair: { request?: string; limit?: string }, which: 'request' | 'limit') =>
    pair[which] ?? (which === 'request' && pair.limit ? `${pair.limit} (= limit)` : '—');
  const blocks: MarkdownBlock[] = [
    { heading: 'Capacity' },
    { table: {
      header: ['container', 'count', 'CPU request', 'CPU limit', 'memory request', 'memory limit'],
      rows: [
        ...containers.map(([name, q, n]) => [name, String(n), quantity(q.cpu, 'request'), quantity(q.cpu, 'limit'),
          quantity(q.memory, 'request'), quantity(q.memory, 'limit')]),
        ['per job', '', formatCpu(policy.perJobRequests.cpu), formatCpu(policy.perJobLimits.cpu),
          formatBytes(policy.perJobRequests.memory), formatBytes(policy.perJobLimits.memory)],
      ],
    } },
    { paragraph: `Configured concurrency: ${runner.replicas} replicas × ${runner.jobsPerManager} jobs${limited ? ' (limit)' : ''} = **${configured}** jobs.` },
  ];
  const capacity = runner.capacity;
  if (!capacity) {
    return [...blocks, { paragraph: 'The node pool\'s size is not given, so capacity is not planned: give the `CiNodePool` `nodes`, `nodeCpu` and `nodeMemory`.' }];
  }
  const row = (basis: 'requests' | 'limits') => {
    const b = capacity[basis];
    return [basis, formatAmounts(b.perJob), String(b.perNode.byCpu), String(b.perNode.byMemory), String(b.jobs), b.bottleneck,
      `${b.pooled.jobs} (${b.pooled.byCpu} by CPU, ${b.pooled.byMemory} by memory)`];
  };
  return [
    ...blocks,
    { paragraph: `${capacity.nodes} node(s), each with ${formatAmounts(capacity.allocatablePerNode)} allocatable to jobs. `
      + 'A pod cannot span nodes, so jobs are counted per node; the pooled figure (total ÷ per job) is only an upper bound.' },
    { table: {
      header: ['basis', 'per job', 'per node by CPU', 'per node by memory', 'jobs in the pool', 'bottleneck', 'pooled upper bound'],
      rows: [row('requests'), row('limits')],
    } },
    { paragraph: `**Verdict**: ${capacityVerdict(configured, capacity)}` },
  ];
}

/** The strategy, the job pods' resolv.conf, and the lookup cost of each host. */
export function dnsBlocks(kind: string, conf: JobResolvConf, lookupCosts: readonly LookupCostRow[]): MarkdownBlock[] {
  const resolv = [
    ...(conf.clusterFirst ? ['nameserver <the cluster DNS Service>'] : conf.nameservers.map((n) => `nameserver ${n}`)),
    ...(conf.searches.length ? [`search ${conf.searches.join(' ')}`] : []),
    ...(conf.options.length ? [`options ${conf.options.join(' ')}`] : []),
  ].join('\n');
  return [
    { heading: 'DNS' },
    { paragraph: `Strategy \`${kind}\`. Job pods' \`/etc/resolv.conf\`:` },
    { code: resolv },
    { paragraph: 'The names a job pod\'s resolver tries for each host the environment uses, and the delay when the first nameserver is down '
      + '(glibc and Go try servers in turn, waiting `timeout` per name; musl, in Alpine images, asks all at once):' },
    { lookupCosts },
  ];
}

export function checklistBlocks(checklist: readonly ChecklistItem[]): MarkdownBlock[] {
  return [
    { heading: 'Production-readiness checklist' },
    { table: { header: ['area', 'item', 'status', 'why'], rows: checklist.map((c) => [c.area, c.item, c.status, c.reason]) } },
  ];
}

/** Apply, upgrade, back up and roll back, uninstall: who runs them, and the commands. */
export function runbookBlocks(runner: RunbookRunner, f: ReportFiles): MarkdownBlock[] {
  const identities = [
    ...(f.deployIdentity && f.appNamespace ? [`the deploy job's ServiceAccount (\`${f.deployIdentity}\` in \`${f.appNamespace}\`)`] : []),
    `the runner's ServiceAccount (\`${runner.serviceAccountName}\` in \`${runner.namespace}\`)`,
  ];
  return [
    { heading: 'Apply, in this order' },
    { paragraph: `The commands of this runbook run as a cluster administrator, not as ${identities.join(' or ')}: `
      + `they create namespaces, RBAC and Secrets and install the chart, which ${identities.length > 1 ? 'those Roles do' : 'its Role does'} not allow.` },
    { code: applyCommands(runner, f).join('\n'), lang: 'sh' },
    { heading: 'Upgrade' },
    { paragraph: 'One prop moves everything that must agree: set `runnerVersion` on the `RunnerManager` (e.g. `18.3.1`), which sets the chart '
      + 'version (0.80.1), the manager image tag (`alpine-v18.3.1`) and the helper image tag (`x86_64-v18.3.1`) together. Then:' },
    { code: upgradeCommands(runner, f).join('\n'), lang: 'sh' },
    { heading: 'Back up and roll back' },
    { code: backupCommands(runner).join('\n'), lang: 'sh' },
    { heading: 'Uninstall' },
    { code: uninstallCommands(runner, f).join('\n'), lang: 'sh' },
  ];
}
