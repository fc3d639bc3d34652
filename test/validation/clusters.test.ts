// Nothing collides (issue 9, item 5): within a cluster, two objects or two Helm releases with one
// identity but different content, or two Services with one node port, fail the synth naming both
// construct paths, all in one error; identical cluster-scoped duplicates are written once.
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { k8s, Secret } from 'cdk8s-plus-28';
import { buildEnvironments } from '../../apps/environments';
import {
  BuilderKind, EnvironmentStackProps, HybridStack, InternalStack, NetworkEndpoint, PublicStack, RunnerManager, ValidationError,
} from '../../lib';
import { Clusters } from '../../lib/validation/clusters';
import { SEED_HYBRID_DNS, SEED_INTERNAL_DNS, SEED_UPSTREAMS } from '../util/seed-dns';

const GITLAB = 'https://gitlab.example.com/';
const REGISTRY = { host: 'registry.example.com', repository: 'team/calculator' };
const BASE: EnvironmentStackProps = {
  gitlabUrl: GITLAB,
  // The seeds' namespace (seed 002), which the stacks no longer default to.
  namespace: 'gitlab',
  sampleApp: { registry: REGISTRY },
};
const API = NetworkEndpoint.ip('192.168.1.100', [6443]);
/** Everything another environment on the same cluster must change: namespaces and the node port. */
const apart = (n: number): Partial<EnvironmentStackProps> => ({
  namespace: `ci-${n}`, jobNamespace: `ci-${n}-jobs`, sampleApp: { registry: REGISTRY, namespace: `calculator-${n}`, port: 30200 + n },
});

function runner(scope: Chart, id: string, extra: object = {}): RunnerManager {
  return new RunnerManager(scope, id, { gitlabUrl: GITLAB, tokenSecret: Secret.fromSecretName(scope, `${id}Token`, 'gitlab-runner-token'), ...extra });
}

/** Synthesizes `app` (its warnings kept off the test output) and returns the error it fails with, if any. */
function synthError(app: App): string | undefined {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    app.synth();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    stderr.mockRestore();
  }
}

/** The problems of a failed synth: cdk8s lists one per line, `[<path>] <message>`. */
function problems(message: string | undefined): string[] {
  expect(message).toMatch(/^Validation failed with the following errors:\n/);
  return message!.split('\n').slice(1).map((line) => line.trim());
}

/** Every object of every manifest the app wrote. */
function writtenObjects(app: App): any[] {
  return fs.readdirSync(app.outdir).filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => Yaml.load(path.join(app.outdir, f)));
}

describe('two RunnerManagers with default names', () => {
  test('in one chart: the Helm release collides, an error naming both construct paths', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    runner(chart, 'One');
    runner(chart, 'Two');

    expect(problems(synthError(app))).toEqual([
      '[] ci/Two: invalid releaseName: got "gitlab-runner"; expected Helm release gitlab-runner in namespace gitlab-runner of its own '
      + 'in the app\'s cluster (charts outside the stacks): ci/One also installs Helm release gitlab-runner in namespace gitlab-runner, '
      + 'and one would overwrite or break the other; give one of them another releaseName or namespace',
    ]);
  });

  test('in two charts of one app: the same', () => {
    const app = Testing.app();
    runner(new Chart(app, 'a'), 'Runner');
    runner(new Chart(app, 'b'), 'Runner');
    const found = problems(synthError(app));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\[\] b\/Runner: invalid releaseName: .* a\/Runner also installs Helm release gitlab-runner in namespace gitlab-runner/);
  });

  test('with different Roles, or RoleBindings for different managers, in one jobs\' namespace: each object is an error too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    runner(chart, 'One');
    // Another Role: no `events: list` without printPodWarningEvents.
    runner(chart, 'Two', { printPodWarningEvents: false });
    // Its own namespace, but the same jobs' namespace: one RoleBinding name for another ServiceAccount.
    runner(chart, 'Three', { namespace: 'other', jobNamespace: 'gitlab-runner-jobs' });

    const found = problems(synthError(app));
    expect(found).toEqual([
      expect.stringMatching(/^\[\] ci\/Two\/JobNamespaceRbac\/Role: invalid metadata.name: got "gitlab-runner"; expected Role gitlab-runner-jobs\/gitlab-runner of its own .*: ci\/One\/JobNamespaceRbac\/Role also writes Role gitlab-runner-jobs\/gitlab-runner with different content/),
      expect.stringMatching(/^\[\] ci\/Three\/JobNamespaceRbac\/RoleBinding: .*ci\/One\/JobNamespaceRbac\/RoleBinding also writes RoleBinding gitlab-runner-jobs\/gitlab-runner with different content/),
      expect.stringMatching(/^\[\] ci\/Two: invalid releaseName: .*ci\/One also installs Helm release gitlab-runner in namespace gitlab-runner/),
    ]);
  });

  test('with their own releaseName and namespaces they synthesize', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    runner(chart, 'One');
    runner(chart, 'Two', { releaseName: 'gitlab-runner-two', namespace: 'two', jobNamespace: 'two-jobs' });
    expect(synthError(app)).toBeUndefined();
  });
});

describe('stacks on one cluster', () => {
  test('the same clusterName and the same namespaces: errors naming both stacks\' paths', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'ci' });
    new PublicStack(app, 'b', { upstreams: SEED_UPSTREAMS, ...BASE, clusterName: 'ci', builder: BuilderKind.KANIKO });

    const found = problems(synthError(app));
    // The jobs' namespace with two Pod Security levels (privileged for DinD, baseline for kaniko), and the release.
    // (The apps' Deployment and Service are the same objects, with the same content: no collision.)
    expect(found).toEqual([
      expect.stringMatching(/^\[\] b\/Runner\/Namespaces\/JobNamespace: invalid metadata.name: got "gitlab-jobs"; expected Namespace gitlab-jobs of its own in cluster "ci": a\/Runner\/Namespaces\/JobNamespace also writes Namespace gitlab-jobs with different content.*give one of them another name, or, if the stacks are applied to different clusters, give them different clusterName props$/),
      expect.stringMatching(/^\[\] b\/Runner: invalid releaseName: got "gitlab-runner"; expected Helm release gitlab-runner in namespace gitlab of its own in cluster "ci": a\/Runner also installs/),
    ]);
  });

  test('their own namespaces but one node port: the Services collide', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(1), sampleApp: { registry: REGISTRY, namespace: 'calculator-1', port: 30300 }, clusterName: 'ci' });
    new InternalStack(app, 'b', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(2), sampleApp: { registry: REGISTRY, namespace: 'calculator-2', port: 30300 }, clusterName: 'ci' });
    expect(problems(synthError(app))).toEqual([
      '[] b-calculator/Calculator/Service: invalid spec.ports[0].nodePort: got 30300; expected node port 30300 of its own in cluster "ci": '
      + 'a-calculator/Calculator/Service also uses node port 30300, and one would overwrite or break the other; give one of them another '
      + 'node port (CalculatorApp\'s port, a stack\'s appPort), or, if the stacks are applied to different clusters, give them different clusterName props',
    ]);
  });

  test('different clusterNames: no error, even at one API endpoint (private addresses repeat across networks)', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'one', network: { kubernetesApi: API, internetEgress: true } });
    new PublicStack(app, 'b', { upstreams: SEED_UPSTREAMS, ...BASE, clusterName: 'two', network: { kubernetesApi: API, internetEgress: true }, builder: BuilderKind.KANIKO });
    expect(synthError(app)).toBeUndefined();
  });

  test('no clusterName but the same Kubernetes API endpoint: one cluster', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, network: { kubernetesApi: API, internetEgress: true } });
    new HybridStack(app, 'b', { ...BASE, network: { kubernetesApi: NetworkEndpoint.ip('192.168.1.100', [6443]), internetEgress: true }, dns: { ...SEED_HYBRID_DNS, clusterDnsIp: '10.96.0.10' } });

    const found = problems(synthError(app));
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) expect(line).toContain('in the cluster at 192.168.1.100/32:6443');
    expect(found).toContainEqual(expect.stringMatching(/^\[\] b\/Runner: invalid releaseName: .*a\/Runner also installs Helm release gitlab-runner in namespace gitlab/));
  });

  test('one stack names the cluster, one gives only the endpoint: one cluster', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'ci', network: { kubernetesApi: API, internetEgress: true } });
    new InternalStack(app, 'b', { dns: SEED_INTERNAL_DNS, ...BASE, network: { kubernetesApi: API, internetEgress: true } });
    expect(problems(synthError(app))).toContainEqual(expect.stringMatching(/^\[\] b\/Runner: invalid releaseName: .* in cluster "ci": a\/Runner also installs/));
  });

  test('different endpoints, or neither a name nor an endpoint: separate clusters', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, network: { kubernetesApi: API, internetEgress: true } });
    new InternalStack(app, 'b', { dns: SEED_INTERNAL_DNS, ...BASE, network: { kubernetesApi: NetworkEndpoint.ip('192.168.2.100', [6443]), internetEgress: true } });
    new InternalStack(app, 'c', { ...BASE, dns: SEED_INTERNAL_DNS });
    new InternalStack(app, 'd', { ...BASE, dns: SEED_INTERNAL_DNS });
    expect(synthError(app)).toBeUndefined();
  });

  test('stacks nested in a chart of the user\'s keep their own clusters', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    new InternalStack(platform, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'one' });
    new InternalStack(platform, 'b', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'two', builder: BuilderKind.KANIKO });
    expect(synthError(app)).toBeUndefined();
  });

  test('a stack without a name at an endpoint that two names claim: which cluster it is applied to is unknown', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'one', network: { kubernetesApi: API, internetEgress: true } });
    new InternalStack(app, 'b', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'two', network: { kubernetesApi: API, internetEgress: true } });
    new InternalStack(app, 'c', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(3), network: { kubernetesApi: API, internetEgress: true } });
    expect(problems(synthError(app))).toEqual([
      '[] c: invalid clusterName: got undefined; expected a clusterName: stacks at its Kubernetes API endpoint 192.168.1.100/32:6443 '
      + 'name different clusters ("one" at a, "two" at b), so which one this stack is applied to is unknown',
    ]);
  });

  test('with their own namespaces and node ports they share one: identical cluster-scoped objects are written once', () => {
    const app = Testing.app();
    new InternalStack(app, 'blue', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(1), clusterName: 'shared', nodePool: {} });
    new InternalStack(app, 'green', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(2), clusterName: 'shared', nodePool: {} });
    expect(synthError(app)).toBeUndefined();

    const objects = writtenObjects(app);
    // Both node pools create the PriorityClass high-priority-ci, with the same content: the first stack writes it.
    const priorityClasses = objects.filter((o) => o.kind === 'PriorityClass');
    expect(priorityClasses).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'high-priority-ci' }) })]);
    expect(Yaml.load(path.join(app.outdir, 'blue.k8s.yaml')).filter((o) => o.kind === 'PriorityClass')).toHaveLength(1);
    expect(Yaml.load(path.join(app.outdir, 'green.k8s.yaml')).filter((o) => o.kind === 'PriorityClass')).toHaveLength(0);
    // Every other object is written once anyway: no identity twice.
    const identities = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(identities).size).toBe(identities.length);
  });

  test('one Namespace from two stacks, with the same content, is written once; with different content it is an error', () => {
    // The same app namespace (and app) in two environments: only the Namespace is cluster-scoped.
    const same = Testing.app();
    new InternalStack(same, 'blue', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(1), sampleApp: { registry: REGISTRY }, clusterName: 'shared' });
    new InternalStack(same, 'green', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(2), sampleApp: { registry: REGISTRY }, clusterName: 'shared' });
    expect(synthError(same)).toBeUndefined();
    expect(writtenObjects(same).filter((o) => o.kind === 'Namespace' && o.metadata.name === 'calculator')).toHaveLength(1);

    // The jobs' namespace of a DinD and of a kaniko stack: privileged and baseline.
    const different = Testing.app();
    new InternalStack(different, 'blue', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(1), clusterName: 'shared' });
    new InternalStack(different, 'green', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(2), jobNamespace: 'ci-1-jobs', clusterName: 'shared', builder: BuilderKind.KANIKO });
    expect(problems(synthError(different))).toContainEqual(expect.stringMatching(
      /^\[\] green\/Runner\/Namespaces\/JobNamespace: invalid metadata.name: got "ci-1-jobs"; expected Namespace ci-1-jobs of its own in cluster "shared": blue\/Runner\/Namespaces\/JobNamespace also writes Namespace ci-1-jobs with different content/));
  });

  test('different PriorityClasses of one name are an error naming both', () => {
    const app = Testing.app();
    new InternalStack(app, 'blue', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(1), clusterName: 'shared', nodePool: {} });
    new InternalStack(app, 'green', { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(2), clusterName: 'shared', nodePool: { priority: 2000 } });
    expect(problems(synthError(app))).toEqual([
      expect.stringMatching(/^\[\] green\/CiNodePool\/PriorityClass: invalid metadata.name: got "high-priority-ci"; expected PriorityClass high-priority-ci of its own in cluster "shared": blue\/CiNodePool\/PriorityClass also writes PriorityClass high-priority-ci with different content.*give one of them another name, or/),
    ]);
  });
});

describe('one stack whose namespaces coincide', () => {
  test.each([
    ['the jobs\'', { sampleApp: { registry: REGISTRY, namespace: 'gitlab-jobs' } }],
    ['the manager\'s', { sampleApp: { registry: REGISTRY, namespace: 'gitlab' } }],
  ])('the app in %s namespace: an error in the constructor', (_what, props) => {
    expect(() => new InternalStack(Testing.app(), 'a', { dns: SEED_INTERNAL_DNS, ...BASE, ...props })).toThrow(new RegExp(
      `^a: invalid sampleApp.namespace: got "${props.sampleApp.namespace}"; expected a namespace of the app's own, neither the manager's \\("gitlab"\\) `
      + 'nor the jobs\' \\("gitlab-jobs"\\): the deploy job creates Secrets in the app\'s namespace'));
    expect(() => new InternalStack(Testing.app(), 'a', { dns: SEED_INTERNAL_DNS, ...BASE, ...props })).toThrow(ValidationError);
  });

  test('the jobs in the manager\'s namespace without sharedNamespace: an error in the constructor', () => {
    expect(() => new PublicStack(Testing.app(), 'a', { upstreams: SEED_UPSTREAMS, ...BASE, jobNamespace: 'gitlab' }))
      .toThrow(/^a: invalid jobNamespace: got "gitlab"; expected a namespace other than the manager's \("gitlab"\).*set sharedNamespace: true/);
  });

  test('with sharedNamespace: true it synthesizes one Namespace, at the jobs\' level', () => {
    const app = Testing.app();
    new PublicStack(app, 'a', { upstreams: SEED_UPSTREAMS, ...BASE, jobNamespace: 'gitlab', sharedNamespace: true });
    expect(synthError(app)).toBeUndefined();
    const namespaces = writtenObjects(app).filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels['pod-security.kubernetes.io/enforce']]);
    expect(namespaces.sort()).toEqual([['calculator', 'restricted'], ['gitlab', 'privileged']]);
  });

  test('with sharedNamespace: true and NetworkPolicies, the manager\'s and the jobs\' policies collide: each is reported', () => {
    const app = Testing.app();
    new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, jobNamespace: 'gitlab', sharedNamespace: true, network: { kubernetesApi: API, internetEgress: true } });
    const found = problems(synthError(app));
    // The two DNS egress policies (cluster DNS for the manager, the internal nameservers for jobs) differ.
    expect(found).toContainEqual(expect.stringMatching(
      /^\[\] a\/NetworkPolicies\/Manager\/Allow-dns: invalid metadata.name: got "[-a-z]+-allow-egress-dns"; expected NetworkPolicy gitlab\/[-a-z]+-allow-egress-dns of its own .*a\/NetworkPolicies\/Jobs\/Allow-dns also writes/));
  });
});

test('several problems in one synth are reported together, in one error', () => {
  const app = Testing.app();
  new InternalStack(app, 'a', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'ci' });
  new InternalStack(app, 'b', { dns: SEED_INTERNAL_DNS, ...BASE, clusterName: 'ci', builder: BuilderKind.KANIKO });
  const chart = new Chart(app, 'ci');
  runner(chart, 'One');
  runner(chart, 'Two');

  const found = problems(synthError(app));
  expect(found).toEqual([
    expect.stringMatching(/^\[\] b\/Runner\/Namespaces\/JobNamespace: .*Namespace gitlab-jobs/),
    expect.stringMatching(/^\[\] b\/Runner: invalid releaseName: .*in cluster "ci"/),
    expect.stringMatching(/^\[\] ci\/Two: invalid releaseName: .*in the app's cluster/),
  ]);
});

test('no error message contains a secret value', () => {
  const canary = 'glrt-CANARY-runner-token-7f3a9c';
  const app = Testing.app();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  // The check belongs to apps that use the library.
  runner(a, 'Runner');
  new k8s.KubeConfigMap(a, 'Config', { metadata: { name: 'settings', namespace: 'ci' }, data: { token: canary } });
  new k8s.KubeConfigMap(b, 'Config', { metadata: { name: 'settings', namespace: 'ci' }, data: { token: `${canary}-other` } });

  const message = synthError(app)!;
  // The collision names both paths and the object, never the content that differs.
  expect(problems(message)).toContainEqual('[] b/Config: invalid metadata.name: got "settings"; expected ConfigMap ci/settings of its own '
    + 'in the app\'s cluster (charts outside the stacks): a/Config also writes ConfigMap ci/settings with different content, and one would '
    + 'overwrite or break the other; give one of them another name or namespace');
  expect(message).not.toContain('CANARY');
});

describe('the seed environments', () => {
  test('synthesize without collision', () => {
    const app = Testing.app();
    buildEnvironments(app);
    expect(synthError(app)).toBeUndefined();
  });

  test('cannot share one cluster: in the namespaces they share, the Helm release and other objects collide (the README says so)', () => {
    // As if the three had one clusterName.
    const declare = Clusters.prototype.declare;
    const spy = jest.spyOn(Clusters.prototype, 'declare').mockImplementation(function (this: Clusters, scope, declaration, charts) {
      declare.call(this, scope, { ...declaration, name: 'one' }, charts);
    });
    const app = Testing.app();
    try {
      buildEnvironments(app);
    } finally {
      spy.mockRestore();
    }
    const found = problems(synthError(app));
    expect(found).toContainEqual(expect.stringMatching(/^\[\] public\/Runner: invalid releaseName: got "gitlab-runner"; expected Helm release gitlab-runner in namespace gitlab of its own in cluster "one": internal\/Runner also installs/));
    expect(found).toContainEqual(expect.stringMatching(/^\[\] hybrid\/Runner: invalid releaseName: .*internal\/Runner also installs/));
    // In the namespaces they share, their objects differ: the jobs' DNS servers, the alerts, the pre-puller.
    expect(found).toContainEqual(expect.stringMatching(/^\[\] public\/NetworkPolicies\/Jobs\/Allow-dns: .*NetworkPolicy gitlab-jobs\/gitlab-runner-allow-egress-dns .*internal\/NetworkPolicies\/Jobs\/Allow-dns also writes/));
    expect(found).toContainEqual(expect.stringMatching(/^\[\] public\/Monitoring\/Rule: .*PrometheusRule gitlab\/gitlab-runner/));
    expect(found).toContainEqual(expect.stringMatching(/^\[\] hybrid\/CiNodePool\/PrePuller: .*DaemonSet gitlab-jobs\/ci-image-prepuller/));
  });
});

describe('cost', () => {
  test('8 environments: the check computes once per synthesis, and again only when the app changed', async () => {
    const compute = jest.spyOn(Clusters.prototype as any, 'compute');
    try {
      const app = Testing.app();
      for (let i = 0; i < 8; i++) new InternalStack(app, `env-${i}`, { dns: SEED_INTERNAL_DNS, ...BASE, ...apart(i), clusterName: `cluster-${i}` });
      expect(synthError(app)).toBeUndefined();
      // cdk8s runs the root's validations once for the app and once more for each of the 16 charts it writes.
      expect(compute).toHaveBeenCalledTimes(1);
      expect(fs.readdirSync(app.outdir).filter((f) => f.endsWith('.k8s.yaml'))).toHaveLength(16);

      // A new chart is a new tree: computed again, in the same run.
      runner(new Chart(app, 'more'), 'Runner');
      expect(synthError(app)).toBeUndefined();
      expect(compute).toHaveBeenCalledTimes(2);
      // A later synthesis computes afresh: objects may have changed in between.
      await Promise.resolve();
      expect(synthError(app)).toBeUndefined();
      expect(compute).toHaveBeenCalledTimes(3);
    } finally {
      compute.mockRestore();
    }
  }, 60_000);
});
