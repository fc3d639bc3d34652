import { Construct } from 'constructs';
import { DnsStrategy, HybridDnsOptions } from '../dns-strategy';
import { PropChecker } from '../validation/prop-checker';
import { checkProps } from '../validation/known-keys';
import { EnvironmentStack } from './environment-stack';
import { EnvironmentStackProps } from './props';

/** Properties of a `HybridStack`. */
export interface HybridStackProps extends EnvironmentStackProps {
  /**
   * Job pod nameservers, all required: the cluster DNS (`clusterDnsIp`), the VPC DNS (`vpcDnsIp`) and
   * a public resolver (`publicDnsIp`), in that order; search domains and options have defaults.
   */
  readonly dns: HybridDnsOptions;
  /**
   * The cluster's Service CIDR; when given, the cluster DNS address must lie in it.
   * @default - not checked
   */
  readonly serviceCidr?: string;
}

/**
 * Internal and external services together: job pods ask the cluster DNS first, then the VPC
 * DNS, then a public resolver (`DnsStrategy.hybrid()`: failover, not split-horizon).
 */
export class HybridStack extends EnvironmentStack {
  constructor(scope: Construct, id: string, props: HybridStackProps) {
    // Built before the chart exists, so errors name its path as it will be.
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    checkProps(new PropChecker(path), props, 'HybridStackProps', '', true);
    const dns = DnsStrategy._hybrid(new PropChecker(path), 'dns.', props.dns);
    super(scope, id, props, dns);
    if (props.serviceCidr !== undefined) {
      const check = new PropChecker(this.node.path);
      const clusterDns = dns.nameservers[0];
      if (!check.cidr('serviceCidr', props.serviceCidr).contains(clusterDns)) {
        check.fail('dns.clusterDnsIp', clusterDns, `an address in the Service CIDR ${props.serviceCidr}: the cluster DNS Service `
          + 'gets its ClusterIP from that range (kubeadm uses its tenth address), see kubectl -n kube-system get svc kube-dns');
      }
    }
  }
}
