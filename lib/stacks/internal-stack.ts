import { Construct } from 'constructs';
import { DnsStrategy, InternalDnsOptions } from '../dns-strategy';
import { PropChecker } from '../validation/prop-checker';
import { checkProps, pathOf } from '../validation/known-keys';
import { EnvironmentStack } from './environment-stack';
import { EnvironmentStackProps } from './props';

/** Properties of an `InternalStack`. */
export interface InternalStackProps extends EnvironmentStackProps {
  /** The VPC and internal nameservers (required), search domains and options of job pods. */
  readonly dns: InternalDnsOptions;
}

/**
 * A private network: GitLab and the registries inside the VPC, job pods resolving through the
 * VPC and internal DNS (`DnsStrategy.internal()`), images usually through a mirror.
 */
export class InternalStack extends EnvironmentStack {
  constructor(scope: Construct, id: string, props: InternalStackProps) {
    // Before the strategy and the inner constructs use them, so errors name the stack's props.
    checkProps(new PropChecker(pathOf(scope, id)), props, 'InternalStackProps', '', true);
    super(scope, id, props, DnsStrategy._internal(new PropChecker(pathOf(scope, id)), 'dns.', props.dns));
  }
}
