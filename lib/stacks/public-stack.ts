import { Construct } from 'constructs';
import { DnsStrategy } from '../dns-strategy';
import { PropChecker } from '../validation/prop-checker';
import { checkProps, pathOf } from '../validation/known-keys';
import { EnvironmentStack } from './environment-stack';
import { EnvironmentStackProps } from './props';

/** Properties of a `PublicStack`. */
export interface PublicStackProps extends EnvironmentStackProps {
  /** Public resolvers CoreDNS forwards to: 1 to 15 IP addresses, your choice (there is no default). */
  readonly upstreams: string[];
}

/**
 * A public cloud with Internet access: gitlab.com or a public GitLab, public images, and the
 * cluster DNS forwarding to public resolvers (`DnsStrategy.publicCloud()`). The CoreDNS change
 * is its own chart, `<id>-coredns`, to be applied deliberately.
 */
export class PublicStack extends EnvironmentStack {
  constructor(scope: Construct, id: string, props: PublicStackProps) {
    // Before the strategy and the inner constructs use them, so errors name the stack's props.
    checkProps(new PropChecker(pathOf(scope, id)), props, 'PublicStackProps', '', true);
    super(scope, id, props, DnsStrategy._publicCloud(new PropChecker(pathOf(scope, id)), '', { upstreams: props.upstreams }));
  }
}
