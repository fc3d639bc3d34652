export { NetworkEndpoint } from './endpoint';
export { RunnerNetworkPolicies, RunnerNetworkPoliciesProps } from './runner-network-policies';
