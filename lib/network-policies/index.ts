export { NetworkEndpoint } from './endpoint';
export { RunnerNetworkPolicies, RunnerNetworkPoliciesOptions, RunnerNetworkPoliciesProps } from './runner-network-policies';
