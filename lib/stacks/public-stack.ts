import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsStrategy } from '../dns-strategy';
import { EnvironmentStack, EnvironmentStackProps } from './environment-stack';

/** Properties of a `PublicStack`. */
export interface PublicStackProps extends EnvironmentStackProps {
  /**
   * Public resolvers CoreDNS forwards to.
   * @default ['8.8.8.8', '1.1.1.1']
   */
  readonly upstreams?: string[];
}

/**
 * A public cloud with Internet access: gitlab.com or a public GitLab, public images, and the
 * cluster DNS forwarding to public resolvers (`DnsStrategy.publicCloud()`). The CoreDNS change
 * is its own chart, `<id>-coredns`, to be applied deliberately.
 */
export class PublicStack extends EnvironmentStack {
  /** The chart with the CoreDNS ConfigMap. */
  public readonly coreDnsChart: Chart;

  constructor(scope: Construct, id: string, props: PublicStackProps) {
    const dns = DnsStrategy.publicCloud({ upstreams: props.upstreams });
    super(scope, id, props, dns);
    this.coreDnsChart = new Chart(scope, `${id}-coredns`, { labels: props.labels });
    dns.addCoreDnsConfigMap(this.coreDnsChart);
  }
}
