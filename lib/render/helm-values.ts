import { HelmValues } from '../model/helm-values';
import { escapeHelmTemplate, renderRunnerTemplate } from './toml';
import { renderYaml } from './yaml';

/**
 * The values as the chart reads them: the runner template becomes its TOML text, with `{{`
 * escaped since the chart passes `runners.config` through `tpl`.
 */
export function helmValuesDocument(values: HelmValues): { [key: string]: unknown } {
  const template = values.runners?.config;
  if (template === undefined) return { ...values };
  return { ...values, runners: { ...values.runners, config: escapeHelmTemplate(renderRunnerTemplate(template)) } };
}

/** The values file: the header as comments, then the values. */
export function renderHelmValues(values: HelmValues, header: readonly string[]): string {
  return renderYaml(helmValuesDocument(values), header);
}
