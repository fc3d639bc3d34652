import { AffinityConfig, SelectorRequirementConfig } from '../model/runner-config';
import { PropChecker } from '../validation/prop-checker';
import { NodeAffinityOperator, NodeLabelRequirement, PreferredNodeRequirements } from './props';

export function nodeAffinity(check: PropChecker, required?: NodeLabelRequirement[], preferred?: PreferredNodeRequirements[]):
AffinityConfig | undefined {
  for (const [prop, list] of [['requiredNodeAffinity', required], ['preferredNodeAffinity', preferred]] as const) {
    if (list !== undefined && !Array.isArray(list)) check.fail(prop, list, 'a list');
  }
  if (!required?.length && !preferred?.length) return undefined;
  const operators = Object.values(NodeAffinityOperator) as string[];
  const requirement = (r: NodeLabelRequirement, prop: string): SelectorRequirementConfig => {
    check.labelKey(`${prop}.key`, r?.key);
    check.oneOf(`${prop}.operator`, r.operator as string, operators);
    const values = r.values ?? [];
    if (Array.isArray(values)) values.forEach((v, i) => check.noCredential(`${prop}.values[${i}]`, v));
    const noValues = r.operator === NodeAffinityOperator.EXISTS || r.operator === NodeAffinityOperator.DOES_NOT_EXIST;
    const oneInteger = r.operator === NodeAffinityOperator.GT || r.operator === NodeAffinityOperator.LT;
    if (noValues && values.length > 0) check.fail(`${prop}.values`, values, `no values with operator ${r.operator}`);
    if (oneInteger && (values.length !== 1 || !/^-?\d+$/.test(values[0]))) {
      check.fail(`${prop}.values`, values, `exactly one integer with operator ${r.operator}`);
    }
    if (!noValues && !oneInteger && values.length === 0) check.fail(`${prop}.values`, values, `at least one value with operator ${r.operator}`);
    return { key: r.key, operator: r.operator, values: values.length ? [...values] : undefined };
  };
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: required?.length
        ? { nodeSelectorTerms: [{ matchExpressions: required.map((r, i) => requirement(r, `requiredNodeAffinity[${i}]`)) }] }
        : undefined,
      preferredDuringSchedulingIgnoredDuringExecution: preferred?.map((p, i) => {
        const weight = check.integer(`preferredNodeAffinity[${i}].weight`, p?.weight, { min: 1, max: 100 });
        if (!Array.isArray(p.requirements) || p.requirements.length === 0) {
          check.fail(`preferredNodeAffinity[${i}].requirements`, p.requirements, 'a non-empty list of node label requirements');
        }
        return { weight, preference: { matchExpressions: p.requirements.map((r, j) => requirement(r, `preferredNodeAffinity[${i}].requirements[${j}]`)) } };
      }),
    },
  };
}
