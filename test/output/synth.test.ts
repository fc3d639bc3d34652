import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { k8s, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CalculatorApp, CalculatorPipeline, GeneratedFileKind, ManifestFolder, Output, RunnerManager, synthFiles, userErrorText, writeFiles } from '../../lib';
import { FileRegistry } from '../../lib/output/registry';
import { filesUnder, parseYaml, seedOutput } from '../util/output';
import { buildEnvironments } from '../../apps/environments';

const report = (text: string) => ({ fileModel: () => ({ markdown: [{ heading: text, level: 1 as const }] }) });

/** Groups of the Kubernetes API that a fresh cluster serves; any other group needs a CRD. */
const BUILT_IN_GROUPS = ['', 'apps', 'batch', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'networking.k8s.io',
  'autoscaling', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io'];
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

describe('synthFiles() and writeFiles()', () => {
  test('writeFiles() writes manifests and registered files, synthFiles() returns the same without writing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'ci' } });
    new k8s.KubeConfigMap(chart, 'Config', { metadata: { namespace: 'ci' }, data: { a: 'b' } });
    FileRegistry.of(chart).add(new Construct(chart, 'Report'), GeneratedFileKind.REPORT, report('report'));

    const files = synthFiles(app);
    expect(fs.existsSync(app.outdir) ? fs.readdirSync(app.outdir) : []).toEqual([]);
    expect(files.map((f) => [f.path, f.kind, f.environment, f.folder])).toEqual([
      ['ci/platform/00-namespaces.k8s.yaml', GeneratedFileKind.MANIFEST, 'ci', 'platform'],
      ['ci/platform/ci.k8s.yaml', GeneratedFileKind.MANIFEST, 'ci', 'platform'],
      ['ci/reports/report.md', GeneratedFileKind.REPORT, 'ci', 'reports'],
    ]);
    expect(files[2].content).toBe('# report\n');

    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(writeFiles(app)).toEqual(files);
    } finally {
      spy.mockRestore();
    }
    expect(filesUnder(app.outdir)).toEqual(files.map((f) => f.path));
    for (const f of files) expect(fs.readFileSync(path.join(app.outdir, f.path), 'utf8')).toBe(f.content);
  });

  test('the manifests are what Testing.synth gives, only split into files', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    new k8s.KubeConfigMap(chart, 'First', { data: { a: 'b' } });
    new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'ci' } });
    new k8s.KubeConfigMap(chart, 'Second', { data: { c: 'd' } });
    // The files' content, parsed in-process as Yaml.load would read it from disk.
    const objects = synthFiles(app).flatMap((f) => parseYaml(f.content));
    const synthesized = Testing.synth(chart);
    expect(objects).toEqual([synthesized[1], synthesized[0], synthesized[2]]);
  });

  test('the app\'s own synth() is left alone: it writes the manifests only, as cdk8s does', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    FileRegistry.of(chart).add(new Construct(chart, 'Report'), GeneratedFileKind.REPORT, report('report'));
    expect(Object.prototype.hasOwnProperty.call(app, 'synth')).toBe(false);
    app.synth();
    expect(fs.readdirSync(app.outdir)).toEqual(['ci.k8s.yaml']);
  });

  test('fails when two constructs would write the same file', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const files = FileRegistry.of(chart);
    files.add(new Construct(chart, 'My-Runner'), GeneratedFileKind.HELM_VALUES, report('a'));
    files.add(new Construct(chart, 'MyRunner'), GeneratedFileKind.HELM_VALUES, report('b'));
    expect(() => synthFiles(app)).toThrow(/output file "ci\/helm\/my-runner\.gitlab-runner-values\.yaml" is written twice/);
  });

  test('a placement moves a construct\'s objects, and charts of one environment share its folders', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const app2 = new Chart(app, 'ci-app');
    Output.placeManifests(app2, { environment: 'ci', folder: ManifestFolder.APP });
    const crds = new Construct(chart, 'Operator');
    Output.placeManifests(crds, { folder: ManifestFolder.custom('operators') });
    new k8s.KubeConfigMap(chart, 'Platform', {});
    new k8s.KubeConfigMap(app2, 'App', {});
    new k8s.KubeConfigMap(crds, 'Custom', {});
    expect(synthFiles(app).map((f) => f.path)).toEqual(['ci/app/ci-app.k8s.yaml', 'ci/operators/ci.k8s.yaml', 'ci/platform/ci.k8s.yaml']);
  });

  test('a chart file that would sort before the Namespaces is an error', () => {
    const app = Testing.app();
    new k8s.KubeNamespace(new Chart(app, 'ci'), 'Ns', { metadata: { name: 'ci' } });
    const early = new Chart(app, '0-early');
    Output.placeManifests(early, { environment: 'ci' });
    new k8s.KubeConfigMap(early, 'Config', {});
    expect(() => synthFiles(app)).toThrow(/ci\/platform\/0-early\.k8s\.yaml would be applied before 00-namespaces\.k8s\.yaml/);
  });

  test('validation failures of the whole app come as cdk8s\'s one list', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    new Construct(chart, 'A').node.addValidation({ validate: () => ['first'] });
    new Construct(chart, 'B').node.addValidation({ validate: () => ['second'] });
    expect(() => synthFiles(app)).toThrow('Validation failed with the following errors:\n  [ci/A] first\n  [ci/B] second');
  });
});

describe('the seeds\' layout', () => {
  const out = seedOutput();
  const manifests = out.ofKind('manifest');
  const envs = ['internal', 'public', 'hybrid'];

  test('each environment has its folders, and a folder holds one kind of file', () => {
    for (const env of envs) {
      const folders = [...new Set(out.files.filter((f) => f.environment === env).map((f) => f.folder))].sort();
      expect(folders).toEqual(env === 'public'
        ? ['app', 'coredns', 'helm', 'monitoring', 'pipelines', 'platform', 'reports']
        : ['app', 'helm', 'monitoring', 'pipelines', 'platform', 'reports']);
    }
    const kindsPerFolder = new Map<string, Set<string>>();
    for (const f of out.files) {
      const key = `${f.environment}/${f.folder}`;
      kindsPerFolder.set(key, new Set([...kindsPerFolder.get(key) ?? [], f.kind === 'manifest' ? 'manifest' : 'other']));
    }
    for (const [folder, kinds] of kindsPerFolder) expect([folder, kinds.size]).toEqual([folder, 1]);
  });

  test('every document in a manifest folder has apiVersion and kind', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const { file, object } of out.objects()) {
      expect([file, typeof object?.apiVersion, typeof object?.kind]).toEqual([file, 'string', 'string']);
    }
  });

  test('the platform folder holds no CRD-dependent kind, no CoreDNS change and no ${...} placeholder', () => {
    for (const env of envs) {
      const platform = out.objects().filter((o) => o.environment === env && o.folder === 'platform');
      expect(platform.length).toBeGreaterThan(0);
      for (const { object } of platform) {
        expect([object.kind, BUILT_IN_GROUPS.includes(groupOf(object.apiVersion))]).toEqual([object.kind, true]);
        expect(object.metadata.namespace).not.toBe('kube-system');
      }
      for (const f of manifests.filter((m) => m.environment === env && m.folder === 'platform')) expect(f.content).not.toMatch(/\$\{/);
    }
    // What was kept out is where it belongs.
    expect(out.objects().filter((o) => o.object.kind === 'PodMonitor').map((o) => o.folder)).toEqual(['monitoring', 'monitoring', 'monitoring']);
    expect(out.objects().filter((o) => o.object.metadata.name === 'coredns').map((o) => `${o.environment}/${o.folder}`)).toEqual(['public/coredns']);
    expect(manifests.filter((m) => m.content.includes('${DOCKER_IMAGE}')).map((m) => m.folder)).toEqual(['app', 'app', 'app']);
  });

  test('in each manifest folder, in kubectl\'s apply order, every Namespace precedes every namespaced object', () => {
    const folders = new Set(manifests.map((f) => `${f.environment}/${f.folder}`));
    for (const folder of folders) {
      // kubectl apply -f <folder>/ reads the files in name order, and each file's documents in order.
      const ordered = out.objects().filter((o) => `${o.environment}/${o.folder}` === folder)
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
      const lastNamespace = ordered.map((o) => o.object.kind).lastIndexOf('Namespace');
      const firstNamespaced = ordered.findIndex((o) => o.object.metadata.namespace !== undefined);
      if (lastNamespace >= 0) expect([folder, lastNamespace < firstNamespaced]).toEqual([folder, true]);
    }
    expect(manifests.filter((f) => f.basename === '00-namespaces.k8s.yaml').map((f) => f.environment).sort()).toEqual(['hybrid', 'internal', 'public']);
  });
});

describe('validation at synth, all at once', () => {
  test('one synth reports every independent cross-construct mistake in one error', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const token = Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token');
    // 1. a name collision: two runners install the Helm release "gitlab-runner" into one namespace.
    const runner = new RunnerManager(chart, 'One', { gitlabUrl: 'https://gitlab.example.com/', tokenSecret: token, tags: ['kubernetes'] });
    new RunnerManager(chart, 'Two', { gitlabUrl: 'https://gitlab.example.com/', tokenSecret: token, tags: ['kubernetes'] });
    // 2. a pipeline tag the runner lacks, and 3. a Docker-in-Docker build on a runner that is not privileged.
    const calcChart = new Chart(app, 'calc');
    const calculator = new CalculatorApp(calcChart, 'App', { pullSecret: Secret.fromSecretName(calcChart, 'Pull', 'acr-secret') });
    new CalculatorPipeline(chart, 'Pipeline', { app: calculator, runner, registry: { host: 'r.example.com', repository: 'a/b' }, tags: ['gpu'] });
    // 4. a namespace-level conflict: an app that needs "privileged" in the runner's "restricted" namespace.
    new CalculatorApp(chart, 'Clock', { pullSecret: Secret.fromSecretName(chart, 'ClockPull', 'acr-secret'), namespace: 'gitlab-runner', port: 30200, mountHostLocaltime: true });

    let error: unknown;
    try {
      synthFiles(app);
    } catch (e) {
      error = e;
    }
    const lines = userErrorText(error)!.split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^error: ci\/Two: invalid releaseName: got "gitlab-runner"; expected .*ci\/One also installs/),
      expect.stringMatching(/^error: ci\/Pipeline: invalid builder: got "docker-in-docker"; expected ImageBuilder\.kaniko\(\), or a privileged runner/),
      expect.stringMatching(/^error: ci\/Pipeline: invalid tags: got \["gpu"\]; expected tags of ci\/One \(kubernetes\)/),
      expect.stringMatching(/^error: ci\/Clock: invalid namespace: got "gitlab-runner"; expected a namespace whose Pod Security level admits the app/),
    ]);
    // No stack trace in what the user sees.
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe('Output.warnings()', () => {
  test('lists the warnings writeFiles prints, the checks at synth included', () => {
    // GIVEN the seeds' environments, whose internal and hybrid pools fit their jobs by requests only
    const app = Testing.app();
    buildEnvironments(app);

    // WHEN synthesizing
    Output.synthFiles(app);

    // THEN one capacity warning per over-committed environment, each naming its manager
    expect(Output.warnings(app)).toEqual([
      expect.stringMatching(/^internal\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/),
      expect.stringMatching(/^hybrid\/Runner: 3 replicas × 2 jobs \(limit\) = 6 concurrent jobs fit by requests but not by limits/),
    ]);
  });
});
