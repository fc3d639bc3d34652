// The runbook's shell commands, built from the runner's settings and where the output step writes each file.

/** Where the output step writes each file the commands name, relative to the output directory. */
export interface ReportFiles {
  /** The folder with the runner's platform objects. */
  readonly platform: string;
  /** The folder with the monitoring objects, when it is not the platform's. */
  readonly monitoring?: string;
  readonly values: string;
  /** The app's manifest file name, as its pipeline applies it in the app's repository. */
  readonly app?: string;
  /** Where the output step writes the app's manifest. */
  readonly appPath?: string;
  readonly pipeline?: string;
  readonly smokeTest?: string;
  readonly coreDns?: string;
  readonly appNamespace?: string;
  readonly deployIdentity?: string;
}

/** What the commands read of the runner: a `RunnerManager` has it, a test can pass plain data. */
export interface RunbookRunner {
  readonly namespace: string;
  readonly releaseName: string;
  readonly serviceAccountName: string;
  readonly chartVersion: string;
  readonly fullname: string;
  readonly drainOnStop: boolean;
  readonly terminationGracePeriodSeconds: number;
  readonly cache?: { readonly credentials?: { readonly name: string }; readonly credentialKeys: readonly string[] };
  readonly _helmValues: { readonly runners?: { readonly secret?: string } };
}

/**
 * Reads one value from the terminal into `variable` without echoing it. `read -s` is not POSIX (dash
 * rejects it and the next command would then run with an empty value), so echo is turned off with stty.
 */
export function readHidden(variable: string, prompt: string): string {
  return `printf '%s: ' '${prompt}'; stty -echo; IFS= read -r ${variable}; stty echo; printf '\\n'`;
}

/** `"$variable"`, or, when it is empty or unset, an error that keeps the command from running. */
export function required(variable: string, what: string): string {
  return `"\${${variable}:?${what}}"`;
}

/** Reads each cache credential into a shell variable (never onto the command line) and creates the Secret. */
export function cacheSecretCommands(runner: RunbookRunner): string[] {
  const secret = runner.cache?.credentials;
  if (!secret) return [];
  const variable = (key: string) => `CACHE_${key.replace(/^(gcs|azure)-/, '').replace(/-/g, '_').toUpperCase()}`;
  const literals = runner.cache!.credentialKeys.filter((key) => !key.endsWith('-file'));
  const files = runner.cache!.credentialKeys.filter((key) => key.endsWith('-file'));
  return [
    ...literals.map((key) => readHidden(variable(key), `cache ${key}`)),
    ...files.map((key) => `# first set ${variable(key)} to the path of the ${key} key file`),
    `kubectl create secret generic ${secret.name} -n ${runner.namespace}`
      + literals.map((key) => ` --from-literal=${key}=${required(variable(key), 'is empty: no Secret created')}`).join('')
      + files.map((key) => ` --from-file=${key}=${required(variable(key), 'the path of the key file')}`).join(''),
    ...(literals.length ? [`unset ${literals.map(variable).join(' ')}`] : []),
  ];
}

function helm(runner: RunbookRunner, f: ReportFiles, version: string): string {
  return `helm upgrade --install ${runner.releaseName} gitlab/gitlab-runner --version ${version} -n ${runner.namespace} -f dist/${f.values}`;
}

/** The first install, in order: platform objects, Secrets, the chart, then monitoring, CoreDNS, the smoke test and the app. */
export function applyCommands(runner: RunbookRunner, f: ReportFiles): string[] {
  const ns = runner.namespace;
  const apply = [
    '# 1. Namespaces and platform objects (the namespaces\' file comes first in the folder)',
    `kubectl apply -f dist/${f.platform}`,
    `# 2. The token Secret (and the cache keys), in ${ns}: each value is typed without echo, into a variable, never onto a command line`,
    // Echo back on however the reads end (Ctrl-C included); the reset after the step leaves the shell as it was.
    'trap \'stty echo\' EXIT INT',
    readHidden('RUNNER_TOKEN', 'runner authentication token'),
    `kubectl create secret generic ${runner._helmValues.runners?.secret} -n ${ns} --from-literal=runner-token=${required('RUNNER_TOKEN', 'is empty: no Secret created')} --from-literal=runner-registration-token=""`,
    'unset RUNNER_TOKEN',
    ...cacheSecretCommands(runner),
    'trap - EXIT INT',
    '# 3. The runner',
    'helm repo add gitlab https://charts.gitlab.io && helm repo update',
    helm(runner, f, runner.chartVersion),
    `kubectl rollout status deployment/${runner.fullname} -n ${ns}`,
  ];
  let step = 4;
  if (f.monitoring) apply.push(`# ${step++}. The PodMonitor and alerts: they need the Prometheus Operator's CRDs`, `kubectl apply -f dist/${f.monitoring}`);
  if (f.coreDns) apply.push(`# ${step++}. The CoreDNS change, deliberately: back up the current one first`, 'kubectl -n kube-system get configmap coredns -o yaml > coredns.backup.yaml', `kubectl apply -f dist/${f.coreDns}`);
  if (f.smokeTest) apply.push(`# Then commit dist/${f.smokeTest} as .gitlab-ci.yml in a scratch project and run it`);
  if (f.pipeline && f.app) apply.push(`# The app: commit dist/${f.pipeline} as .gitlab-ci.yml and dist/${f.appPath} as ${f.app} in its repository; its deploy job applies only ${f.app}`);
  return apply;
}

/** After `runnerVersion` changes: review, apply, upgrade the release, wait as long as the managers drain. */
export function upgradeCommands(runner: RunbookRunner, f: ReportFiles): string[] {
  return ['npm run synth && git diff  # review: chart version, image tags, helper image', `kubectl apply -f dist/${f.platform}  # the pre-puller fetches the new helper first`,
    '# set NEW_CHART_VERSION first: the chart version on the first line of the new values file',
    helm(runner, f, required('NEW_CHART_VERSION', 'the new chart version')), `kubectl rollout status deployment/${runner.fullname} -n ${runner.namespace}  # ${runner.drainOnStop
      ? `old managers finish their running jobs first, up to ${runner.terminationGracePeriodSeconds}s each`
      : 'old managers abort their running jobs (drainOnStop is off)'}`];
}

export function backupCommands(runner: RunbookRunner): string[] {
  const ns = runner.namespace;
  return [`helm get values ${runner.releaseName} -n ${ns} -o yaml > values.backup.yaml`, `helm history ${runner.releaseName} -n ${ns}`,
    `kubectl get -n ${ns} configmap,serviceaccount,role,rolebinding -l release=${runner.releaseName} -o yaml > runner.backup.yaml`,
    '# roll back the release: set REVISION to a revision from helm history', `helm rollback ${runner.releaseName} ${required('REVISION', 'a revision from helm history')} -n ${ns}`,
    '# or, declaratively: revert the change in this repository, synthesize and apply again'];
}

/** The install in reverse: the release, the app, monitoring, the platform, the CoreDNS backup, then GitLab's side. */
export function uninstallCommands(runner: RunbookRunner, f: ReportFiles): string[] {
  return [`helm uninstall ${runner.releaseName} -n ${runner.namespace}  # ${runner.drainOnStop
    ? `each manager first finishes its running jobs (up to ${runner.terminationGracePeriodSeconds}s)`
    : 'the preStop hook unregisters each manager; running jobs are aborted'}`,
  ...(f.app && f.appNamespace ? [`kubectl delete -f ${f.app}  # from the app's repository`] : []),
  ...(f.monitoring ? [`kubectl delete -f dist/${f.monitoring}`] : []),
  `kubectl delete -f dist/${f.platform}  # also deletes the namespaces and the Secrets in them`,
  ...(f.coreDns ? ['kubectl apply -f coredns.backup.yaml  # restore the distribution\'s Corefile (remove resourceVersion and uid first)'] : []),
  '# then delete the runner in GitLab: Settings > CI/CD > Runners (or Admin Area > CI/CD > Runners) > Delete runner,',
  '# or the API: curl --request DELETE --header "PRIVATE-TOKEN: <token>" "<gitlab>/api/v4/runners/<runner id>"',
  '# and remove the CI/CD variables the pipeline used'];
}
