import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Properties of `ManagerDisruptionBudget`. */
export interface ManagerDisruptionBudgetProps {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { readonly [label: string]: string };
  readonly labels: { readonly [key: string]: string };
}

/**
 * Keeps all but one manager running through voluntary disruptions (node drains, cluster
 * upgrades); the chart has no PodDisruptionBudget. The spread across nodes is a chart value
 * (`topologySpreadConstraints`, see `buildValues`).
 */
export class ManagerDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: ManagerDisruptionBudgetProps) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...props.selector } },
        // A crash-looping manager must not block node drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
