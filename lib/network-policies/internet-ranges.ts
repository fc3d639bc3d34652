/**
 * IPv4 ranges the internet-egress rule never reaches: the private ranges, and every cloud metadata
 * or credential service, where a pod can pick up the node's (or another pod's) cloud credentials.
 * The link-local ones are also covered by `169.254.0.0/16`: listed on their own so a reviewer of the
 * policy sees each, and so they stay excluded if the link-local entry is ever narrowed.
 */
export const NON_INTERNET_RANGES = [
  '10.0.0.0/8', // RFC 1918 private range
  '172.16.0.0/12', // RFC 1918 private range
  '192.168.0.0/16', // RFC 1918 private range
  '169.254.0.0/16', // link-local (RFC 3927): metadata services, node-local agents and caches
  '169.254.169.254/32', // instance metadata: AWS IMDS, GCP, Azure IMDS, OpenStack, Oracle Cloud and others
  '169.254.170.2/32', // Amazon ECS task metadata and task-role credentials
  '169.254.170.23/32', // Amazon EKS Pod Identity Agent (pod credentials)
  '169.254.0.23/32', // Tencent Cloud instance metadata
  '100.100.100.200/32', // Alibaba Cloud ECS instance metadata (ACK nodes), not link-local
  '168.63.129.16/32', // Azure WireServer (VM agent, DHCP, DNS), a public address
];

/** IPv6 ranges the internet-egress rule never reaches, when `internetEgressIpv6` is on. */
export const NON_INTERNET_RANGES_IPV6 = [
  'fc00::/7', // unique local addresses (RFC 4193), IPv6's private range
  'fe80::/10', // link-local
  'fd00:ec2::254/128', // AWS IMDS over IPv6 (also inside fc00::/7)
  'fd00:ec2::23/128', // Amazon EKS Pod Identity Agent over IPv6 (also inside fc00::/7)
];
