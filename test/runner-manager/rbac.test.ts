// The manager's namespace grants nothing it does not use: for every chart version we have, our
// values turn the chart's own Role off (it would grant pods, pods/exec and Secrets beside the token
// Secret, which the manager never uses: jobs run in their own namespace), keep the chart's
// ServiceAccount, and that ServiceAccount's name, as the chart's templates compute it, is the one our
// RoleBinding in the jobs' namespace binds.
import { Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerManager, RunnerManagerProps } from '../../lib';
import { JobNamespaceRbac } from '../../lib/runner-manager/rbac';
import { chartFiles, chartVersions } from '../util/chart';

const compact = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A template's text between `define "<name>"` and its `end`. */
function helper(files: Map<string, string>, name: string): string {
  const text = files.get('gitlab-runner/templates/_helpers.tpl')!;
  const start = text.indexOf(`{{- define "${name}" -}}`);
  expect(start).toBeGreaterThanOrEqual(0);
  return compact(text.slice(start, text.indexOf('{{- end -}}\n\n', start)));
}

/** The templates' facts our values rely on, as the chart writes them (a change of the chart fails here). */
const SERVICE_ACCOUNT_NAME = compact(`{{- define "gitlab-runner.serviceAccountName" -}}
{{- if or .Values.serviceAccount.create .Values.serviceAccount.name -}}
{{- .Values.serviceAccount.name | default (include "gitlab-runner.fullname" .) | quote -}}
{{- else if .Values.rbac.create -}}
{{- default (include "gitlab-runner.fullname" .) .Values.rbac.generatedServiceAccountName | quote -}}
{{- else -}}
"{{- .Values.rbac.serviceAccountName -}}"
{{- end -}}`);
const FULLNAME = compact(`{{- define "gitlab-runner.fullname" -}}
{{-   if .Values.fullnameOverride -}}
{{-     .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{-   else -}}
{{-     $name := default .Chart.Name .Values.nameOverride -}}
{{-     if hasPrefix $name .Release.Name -}}
{{-       .Release.Name | trunc 63 | trimSuffix "-" -}}
{{-     else -}}
{{-       printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{-     end -}}
{{-   end -}}`);

const trunc63 = (s: string) => s.slice(0, 63).replace(/-+$/, '');

/** The two helpers above, evaluated for a values object and a release name. */
function chartServiceAccountName(values: any, release: string): string {
  const fullname = values.fullnameOverride ? trunc63(values.fullnameOverride)
    : release.startsWith(values.nameOverride || 'gitlab-runner') ? trunc63(release) : trunc63(`${release}-${values.nameOverride || 'gitlab-runner'}`);
  if (values.serviceAccount?.create || values.serviceAccount?.name) return values.serviceAccount?.name || fullname;
  if (values.rbac?.create) return values.rbac?.generatedServiceAccountName || fullname;
  return values.rbac?.serviceAccountName ?? '';
}

function manager(props: Partial<RunnerManagerProps> = {}): RunnerManager {
  const chart = Testing.chart();
  return new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/', tokenSecret: Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token'), ...props,
  });
}

describe.each(chartVersions())('chart %s', (version) => {
  const files = chartFiles(version);
  const template = (name: string) => files.get(`gitlab-runner/templates/${name}`) ?? '';

  test('its Role and RoleBinding exist only with rbac.create; the session server\'s only when it is enabled', () => {
    for (const name of ['role.yaml', 'role-binding.yaml']) expect(template(name).startsWith('{{- if .Values.rbac.create -}}')).toBe(true);
    for (const name of ['role-session-server.yaml', 'role-binding-session-server.yaml']) {
      if (files.has(`gitlab-runner/templates/${name}`)) expect(template(name)).toMatch(/^\{\{- if eq \(include "gitlab-runner.isSessionServerAllowed" \. \) "true" \}\}/);
    }
    // Every other template that makes RBAC objects is one of these.
    const rbacTemplates = [...files].filter(([n, t]) => n.startsWith('gitlab-runner/templates/') && /kind: .*"?(Cluster)?Role(Binding)?"?/.test(t)).map(([n]) => n.split('/').pop());
    expect(rbacTemplates.sort()).toEqual(['role-binding-session-server.yaml', 'role-binding.yaml', 'role-session-server.yaml', 'role.yaml']
      .filter((n) => files.has(`gitlab-runner/templates/${n}`)).sort());
  });

  test('with serviceAccount.create the chart makes the ServiceAccount, named by the helper, and runs the pod as it', () => {
    expect(template('service-account.yaml')).toContain('{{- if or .Values.serviceAccount.create');
    expect(template('service-account.yaml')).toContain('name: {{ include "gitlab-runner.serviceAccountName" . }}');
    expect(template('deployment.yaml')).toContain('serviceAccountName: {{ include "gitlab-runner.serviceAccountName" . }}');
    expect(helper(files, 'gitlab-runner.serviceAccountName')).toBe(SERVICE_ACCOUNT_NAME);
    expect(helper(files, 'gitlab-runner.fullname')).toBe(FULLNAME);
  });
});

describe('our values and our RBAC', () => {
  test.each([
    ['the default release', {}],
    ['a release named after the chart', { releaseName: 'gitlab-runner-ci' }],
    ['another release', { releaseName: 'ci', namespace: 'ci', jobNamespace: 'ci-jobs' }],
  ])('%s: no chart Role, the chart\'s ServiceAccount, bound by our RoleBinding in the jobs\' namespace only', (_name, props: Partial<RunnerManagerProps>) => {
    const runner = manager(props);
    const values = runner._helmValues as any;
    expect(values.rbac).toEqual({ create: false });
    expect(values.serviceAccount).toEqual({ create: true });
    expect(values.sessionServer).toBeUndefined();
    const objects = Testing.synth(runner.node.scope as any);
    const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');
    expect(roles.map((o) => `${o.kind}/${o.metadata.namespace}`).sort()).toEqual([`Role/${runner.jobNamespace}`, `RoleBinding/${runner.jobNamespace}`]);
    const binding = roles.find((o) => o.kind === 'RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: chartServiceAccountName(values, runner.releaseName), namespace: runner.namespace }]);
  });

  test.each([
    ['a ServiceAccount name of its own', { serviceAccount: { create: true, name: 'other' } }],
    ['no ServiceAccount and no RBAC (the chart runs the pod as "")', { serviceAccount: { create: false }, rbac: { create: false } }],
  ])('planted: %s no longer matches the RoleBinding', (_name, change) => {
    const runner = manager();
    const values = { ...runner._helmValues, ...change };
    expect(chartServiceAccountName(values, runner.releaseName)).not.toBe(runner.serviceAccountName);
  });
});

describe('JobNamespaceRbac', () => {
  test('a Role in the jobs\' namespace with the rules, bound to the manager\'s ServiceAccount in its namespace', () => {
    const chart = Testing.chart();
    new JobNamespaceRbac(chart, 'Rbac', {
      name: 'gitlab-runner', jobNamespace: 'ci-jobs', serviceAccountName: 'gitlab-runner', serviceAccountNamespace: 'ci',
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }], labels: { 'app.kubernetes.io/name': 'gitlab-runner' },
    });
    const [role, binding] = Testing.synth(chart);
    expect(role).toMatchObject({ kind: 'Role', metadata: { name: 'gitlab-runner', namespace: 'ci-jobs' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }] });
    expect(binding).toMatchObject({
      kind: 'RoleBinding', metadata: { name: 'gitlab-runner', namespace: 'ci-jobs', labels: { 'app.kubernetes.io/name': 'gitlab-runner' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitlab-runner' },
      subjects: [{ kind: 'ServiceAccount', name: 'gitlab-runner', namespace: 'ci' }],
    });
  });
});
