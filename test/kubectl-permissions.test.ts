// Every kubectl command of every generated pipeline and hook runs under the identity it gets, and
// that identity holds nothing its commands do not use. The identity of a job: the ServiceAccount
// whose token Secret the runbook turns into the kubeconfig, when the job sets KUBECONFIG; the job
// pod's own ServiceAccount (config.toml's service_account, else "default") otherwise. Report
// runbooks run as a cluster administrator and are not evaluated.
import * as TOML from '@iarna/toml';
import { BuilderKind, InternalStack, ManifestFolder } from '../lib';
import { denied, Identity, KubeObject, kubectlRequests, Request, unused } from './util/rbac';
import { loadYaml, seedOutput, synthesize, SynthesizedOutput } from './util/output';
import { SEED_INTERNAL_DNS } from './util/seed-dns';

interface Script {
  readonly label: string;
  readonly lines: string[];
  readonly identity: Identity;
  readonly deploys: boolean;
}

/** The environment's own objects, in every folder of it. */
function environmentObjects(output: SynthesizedOutput, env: string): KubeObject[] {
  return output.objects().filter(({ environment }) => environment === env).map(({ object }) => object);
}

/** Every script of an environment with the identity that runs it. */
function scriptsOf(output: SynthesizedOutput, env: string): Script[] {
  const objects = environmentObjects(output, env);
  const values = loadYaml(output.pathOf(output.ofEnvironment(env, 'values')))[0];
  const kubernetes = (TOML.parse(values.runners.config) as any).runners[0].kubernetes;
  const jobPod: Identity = { namespace: kubernetes.namespace, name: kubernetes.service_account ?? 'default' };
  const tokens = objects.filter((o) => o.kind === 'Secret' && o.type === 'kubernetes.io/service-account-token');
  const scripts: Script[] = [];
  for (const file of [...output.ofKind('pipeline'), ...output.ofKind('smokeTest')].filter((f) => f.environment === env)) {
    const doc = loadYaml(output.pathOf(file))[0];
    for (const [name, job] of Object.entries<any>(doc)) {
      if (job === null || typeof job !== 'object' || !('script' in job)) continue;
      const lines: string[] = [...job.before_script ?? [], ...job.script, ...job.after_script ?? []];
      const deploys = lines.some((l) => /^export KUBECONFIG=/.test(l));
      let identity = jobPod;
      if (deploys) {
        // The runbook builds the kubeconfig from the one ServiceAccount token Secret.
        expect(tokens).toHaveLength(1);
        identity = { namespace: tokens[0].metadata.namespace, name: tokens[0].metadata.annotations['kubernetes.io/service-account.name'] };
      }
      scripts.push({ label: `${file.name} ${name}`, lines, identity, deploys });
    }
  }
  // The manager's preStop hook runs as the manager's ServiceAccount, the one bound in the jobs' namespace.
  const hook = values.deploymentLifecycle?.preStop?.exec?.command;
  if (hook) {
    const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === kubernetes.namespace);
    scripts.push({ label: `${env} preStop hook`, lines: [hook[2]], identity: binding.subjects[0], deploys: false });
  }
  return scripts;
}

/** The requests of a script, following `sed … SRC > DST` copies of manifest files. */
function requestsOf(script: Script, output: SynthesizedOutput): Request[] {
  const files: { [file: string]: KubeObject[] } = {};
  // The app's manifest is committed in the app's repository under its file name, which its deploy job applies.
  for (const f of output.ofKind('manifest')) {
    files[f.folder === ManifestFolder.APP.name ? f.basename : f.name] = output.objects().filter(({ file }) => file === f.name).map(({ object }) => object);
  }
  const requests: Request[] = [];
  for (const line of script.lines) {
    const copy = /^sed\s.*\s(\S+)\s*>\s*(\S+)$/.exec(line);
    if (copy) files[copy[2]] = files[copy[1]] ?? [];
    requests.push(...kubectlRequests(line, files));
  }
  return requests;
}

function checkEnvironment(output: SynthesizedOutput, env: string): void {
  const objects = environmentObjects(output, env);
  const scripts = scriptsOf(output, env);
  const deploy = scripts.filter((s) => s.deploys);
  expect(deploy.length).toBeGreaterThan(0);
  for (const script of scripts) {
    const requests = requestsOf(script, output);
    expect({ script: script.label, denied: denied(script.identity, requests, objects) }).toEqual({ script: script.label, denied: [] });
  }
  // Least privilege: the deployer holds no verb that no command of its jobs uses.
  const identity = deploy[0].identity;
  const used = deploy.flatMap((s) => requestsOf(s, output));
  expect(used.some((r) => r.verb === 'patch' && r.resource === 'deployments')).toBe(true);
  expect(unused(identity, used, objects, identity.namespace)).toEqual([]);
}

describe('the seeds: every kubectl command is allowed for its identity, and the deployer holds nothing unused', () => {
  test.each(['internal', 'public', 'hybrid'])('%s', (env) => checkEnvironment(seedOutput(), env));

  test('the deploy Role: no update, no list or watch on Secrets, Secrets read by name only', () => {
    const role = seedOutput().objects().map(({ object }) => object).find((o) => o.kind === 'Role' && o.metadata.name === 'calculator-deployer');
    const rules: any[] = role.rules;
    expect(rules.flatMap((r) => r.verbs)).not.toContain('update');
    const secrets = rules.filter((r) => r.resources.includes('secrets'));
    expect(secrets).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['acr-secret'], verbs: ['get', 'patch'] },
    ]);
  });
});

describe('other shapes of the pipeline', () => {
  test('kaniko, another namespace and pull Secret', () => {
    const output = synthesize((app) => new InternalStack(app, 'staging', {
      dns: SEED_INTERNAL_DNS,
      clusterName: 'staging',
      gitlabUrl: 'https://gitlab.example.com/',
      builder: BuilderKind.KANIKO,
      sampleApp: { registry: { host: 'registry.example.com', repository: 'team/calculator' }, namespace: 'calc-staging', pullSecretName: 'registry-pull' },
    }));
    checkEnvironment(output, 'staging');
  });
});
