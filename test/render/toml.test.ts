import * as TOML from '@iarna/toml';
import { LogLevel } from '../../lib/runner-manager/log';
import {
  escapeHelmTemplate, parseRunnerConfig, renderRunnerConfig, renderRunnerTemplate,
} from '../../lib/render/toml';
import { checkRunnerToml } from '../util/runner-schema';

/** What Helm's `tpl` does with our escape: the action `{{ "{{" }}` renders as `{{`. */
function helmTpl(text: string): string {
  const rest = text.replace(/\{\{ "\{\{" \}\}/g, '');
  if (rest.includes('{{')) throw new Error(`unescaped template action in: ${text}`);
  return text.replace(/\{\{ "\{\{" \}\}/g, '{{');
}

describe('TOML rendering', () => {
  test('drops undefined values, empty lists and empty tables', () => {
    // GIVEN a runner with unset, empty and nested-empty fields
    const toml = renderRunnerTemplate({
      executor: 'kubernetes',
      limit: undefined,
      environment: [],
      featureFlags: {},
      kubernetes: { namespace: 'jobs', nodeSelector: {}, volumes: { emptyDir: [] }, dnsConfig: { options: [] } },
    });

    // THEN only the set values remain
    expect(TOML.parse(toml)).toEqual({ runners: [{ executor: 'kubernetes', kubernetes: { namespace: 'jobs' } }] });
  });

  test('writes free-form maps in sorted key order, whatever order the props came in', () => {
    const a = renderRunnerTemplate({ kubernetes: { nodeSelector: { zone: 'a', workload: 'ci' }, podLabels: { b: '2', a: '1' } } });
    const b = renderRunnerTemplate({ kubernetes: { podLabels: { a: '1', b: '2' }, nodeSelector: { workload: 'ci', zone: 'a' } } });
    expect(a).toEqual(b);
    expect(a.indexOf('workload')).toBeLessThan(a.indexOf('zone'));
  });

  test('quotes map keys with dots, slashes and "="', () => {
    const toml = renderRunnerTemplate({
      kubernetes: {
        nodeSelector: { 'kubernetes.io/arch': 'amd64' },
        nodeTolerations: { 'workload=ci': 'NoSchedule', 'node-role.kubernetes.io/control-plane': '' },
      },
    });
    expect(toml).toContain('"kubernetes.io/arch" = "amd64"');
    expect(toml).toContain('"workload=ci" = "NoSchedule"');
    expect(TOML.parse(toml)).toEqual({
      runners: [{
        kubernetes: {
          node_selector: { 'kubernetes.io/arch': 'amd64' },
          node_tolerations: { 'node-role.kubernetes.io/control-plane': '', 'workload=ci': 'NoSchedule' },
        },
      }],
    });
  });

  test('a runner template has exactly one [[runners]] and no global keys', () => {
    const toml = renderRunnerTemplate({ executor: 'kubernetes', kubernetes: { namespace: 'jobs' } });
    expect(toml.match(/^\[\[runners\]\]$/gm)).toHaveLength(1);
    expect(Object.keys(TOML.parse(toml))).toEqual(['runners']);
  });

  test('a full config puts global settings at the root', () => {
    const toml = renderRunnerConfig({ global: { concurrent: 10, checkInterval: 3, logLevel: LogLevel.INFO }, runners: [{}, {}] });
    expect(TOML.parse(toml)).toEqual({ concurrent: 10, check_interval: 3, log_level: 'info', runners: [{}, {}] });
  });

  test('fails to parse back a key the model does not know', () => {
    expect(() => parseRunnerConfig('[[runners]]\n  [runners.kubernetes]\n    cpu_limits = "1"\n'))
      .toThrow(/unknown key "cpu_limits" in \[\[runners\]\]\.kubernetes/);
  });

  test('the runner key check rejects the seeds\' array-of-tables tolerations, which the runner drops silently', () => {
    // GIVEN the shape of seed 001
    const seed = `[[runners]]
  [runners.kubernetes]
    [[runners.kubernetes.node_tolerations]]
      key = "workload"
      operator = "Equal"
      value = "ci"
      effect = "NoSchedule"
`;
    // THEN our check names the problem
    expect(checkRunnerToml(seed)).toEqual([
      expect.stringMatching(/^runners\[0\]\.kubernetes\.node_tolerations: expected map string->string/),
    ]);
  });

  test('the runner key check rejects integer quantities and misspelled keys', () => {
    expect(checkRunnerToml('[[runners]]\n  [runners.kubernetes]\n    cpu_limit = 1\n    memory_limt = "1Gi"\n')).toEqual([
      expect.stringMatching(/cpu_limit: expected string/),
      expect.stringMatching(/memory_limt: no key "memory_limt" in \[runners.kubernetes\]/),
    ]);
    expect(checkRunnerToml('[[runners]]\n  [runners.kubernetes]\n    dns_policy = "ClusterFirst"\n')).toEqual([
      expect.stringMatching(/dns_policy: "ClusterFirst" is not one of/),
    ]);
  });
});

describe('escaping for the chart\'s tpl', () => {
  test('turns every literal {{ into an action that renders it back', () => {
    // GIVEN a script with Go-template-like text
    const toml = renderRunnerTemplate({ preBuildScript: 'echo "{{ .Values }}" && echo {{{{' });

    // WHEN escaped and passed through the chart's tpl
    const escaped = escapeHelmTemplate(toml);

    // THEN no bare action is left and tpl gives the original back
    expect(escaped).not.toEqual(toml);
    expect(helmTpl(escaped)).toEqual(toml);
  });

  test('leaves text without {{ unchanged', () => {
    const toml = renderRunnerTemplate({ preBuildScript: 'echo "}} {"' });
    expect(escapeHelmTemplate(toml)).toEqual(toml);
  });
});
