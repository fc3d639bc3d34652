/**
 * A NetworkPolicy evaluator for tests: is egress from a pod to a destination allowed by the
 * NetworkPolicies of the pod's namespace? It restates the Kubernetes semantics on its own (no code
 * shared with the library it checks):
 *
 * - only policies in the pod's namespace whose `podSelector` selects the pod and whose policy types
 *   include Egress count (without `policyTypes`: Ingress, plus Egress when `egress` is present);
 * - a pod no such policy selects is not isolated: everything is allowed;
 * - otherwise policies add up: allowed is what at least one egress rule of one of them allows;
 * - a rule allows a destination that matches one of its peers (no `to`: every destination) on one
 *   of its ports (no `ports`: every port); a port entry's protocol defaults to TCP, without `port`
 *   it covers every port of that protocol, with `endPort` a range;
 * - an `ipBlock` matches an address inside `cidr` and outside every `except`, IPv4 and IPv6 alike,
 *   never across families; pod and namespace selectors match only a destination that is a pod.
 */

/** The pod the traffic leaves. */
export interface EgressSource {
  readonly namespace: string;
  /** @default {} */
  readonly labels?: { readonly [key: string]: string };
}

/** Where the traffic goes. */
export interface EgressDestination {
  readonly address: string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly port: number;
  /** Set when the destination is a pod, for pod and namespace selectors. */
  readonly pod?: {
    readonly namespace: string;
    readonly labels?: { readonly [key: string]: string };
    /** @default { 'kubernetes.io/metadata.name': namespace } */
    readonly namespaceLabels?: { readonly [key: string]: string };
  };
}

type Labels = { readonly [key: string]: string };

/** Whether `policies` (any objects; the NetworkPolicies among them count) allow egress from `from` to `to`. */
export function egressAllowed(policies: readonly any[], from: EgressSource, to: EgressDestination): boolean {
  parseAddress(to.address);
  const selecting = policies
    .filter((p) => p?.kind === 'NetworkPolicy' && (p.metadata?.namespace ?? 'default') === from.namespace)
    .filter((p) => policyTypes(p).includes('Egress') && selects(p.spec?.podSelector ?? {}, from.labels ?? {}));
  if (selecting.length === 0) return true;
  return selecting.some((p) => (p.spec.egress ?? []).some((rule: any) => ruleAllows(rule, p.metadata?.namespace ?? 'default', to)));
}

function policyTypes(policy: any): string[] {
  const types = policy.spec?.policyTypes;
  if (types !== undefined) return types;
  return ['Ingress', ...(policy.spec?.egress !== undefined ? ['Egress'] : [])];
}

/** A label selector: `matchLabels` and `matchExpressions` together; an empty selector selects everything. */
export function selects(selector: any, labels: Labels): boolean {
  const matchLabels: Labels = selector.matchLabels ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((e: any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
}

function ruleAllows(rule: any, policyNamespace: string, to: EgressDestination): boolean {
  const peers: any[] = rule.to ?? [];
  const ports: any[] = rule.ports ?? [];
  const peerOk = peers.length === 0 || peers.some((peer) => peerMatches(peer, policyNamespace, to));
  const portOk = ports.length === 0 || ports.some((port) => portMatches(port, to));
  return peerOk && portOk;
}

function peerMatches(peer: any, policyNamespace: string, to: EgressDestination): boolean {
  if (peer.ipBlock) {
    return cidrContains(peer.ipBlock.cidr, to.address)
      && !(peer.ipBlock.except ?? []).some((c: string) => cidrContains(c, to.address));
  }
  if (!to.pod) return false;
  const namespaceLabels = to.pod.namespaceLabels ?? { 'kubernetes.io/metadata.name': to.pod.namespace };
  const namespaceOk = peer.namespaceSelector !== undefined
    ? selects(peer.namespaceSelector, namespaceLabels)
    : to.pod.namespace === policyNamespace;
  const podOk = peer.podSelector === undefined || selects(peer.podSelector, to.pod.labels ?? {});
  return namespaceOk && podOk;
}

function portMatches(port: any, to: EgressDestination): boolean {
  if ((port.protocol ?? 'TCP') !== (to.protocol ?? 'TCP')) return false;
  if (port.port === undefined) return true;
  if (typeof port.port !== 'number') throw new Error(`named port ${port.port}: not modelled (an address has no container ports)`);
  return port.endPort === undefined ? to.port === port.port : to.port >= port.port && to.port <= port.endPort;
}

/** An address as its family and its value. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== undefined) return { family: 6, value: v6 };
  throw new Error(`not an IP address: ${text}`);
}

/** Whether `address` lies in `cidr`; addresses of the other family never do. */
export function cidrContains(cidr: string, address: string): boolean {
  const [base, bits, ...rest] = cidr.split('/');
  const network = parseAddress(base);
  const width = network.family === 4 ? 32 : 128;
  if (rest.length || !/^\d+$/.test(bits ?? '') || Number(bits) > width) throw new Error(`not a CIDR: ${cidr}`);
  const a = parseAddress(address);
  if (a.family !== network.family) return false;
  const shift = BigInt(width - Number(bits));
  return (a.value >> shift) === (network.value >> shift);
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256n + BigInt(p), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':') || text.split('::').length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      // An IPv4 tail (`::ffff:10.0.0.1`) makes up the last two groups.
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const [head, tail] = text.split('::');
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  if (!h || !t) return undefined;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...h, ...Array(tail === undefined ? 0 : missing).fill(0), ...t];
  return all.reduce((n, g) => (n << 16n) + BigInt(g), 0n);
}
