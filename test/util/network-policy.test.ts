import { cidrContains, egressAllowed, EgressDestination, parseAddress } from './network-policy';

// Each rule of the evaluator with a case it must allow and one it must deny.

const NS = 'jobs';
const from = { namespace: NS, labels: { app: 'job' } };
const to = (address: string, port = 443, protocol: EgressDestination['protocol'] = 'TCP'): EgressDestination => ({ address, port, protocol });

const denyAll = (namespace = NS) => ({
  kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});
const allow = (egress: any[], extra: any = {}, namespace = NS) => ({
  kind: 'NetworkPolicy', metadata: { name: 'allow', namespace }, spec: { podSelector: {}, policyTypes: ['Egress'], egress, ...extra },
});
const tcp = (port: number) => ({ protocol: 'TCP', port });

describe('egressAllowed', () => {
  test('a pod no Egress policy selects is not isolated', () => {
    expect(egressAllowed([], from, to('8.8.8.8'))).toBe(true);
    expect(egressAllowed([denyAll()], from, to('8.8.8.8'))).toBe(false);
  });

  test('only policies of the pod\'s namespace count', () => {
    expect(egressAllowed([denyAll('other')], from, to('8.8.8.8'))).toBe(true);
    // An allow in another namespace does not open this one.
    expect(egressAllowed([denyAll(), allow([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }], {}, 'other')], from, to('8.8.8.8'))).toBe(false);
    // Without a namespace, a policy is in "default".
    const noNamespace = { kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };
    expect(egressAllowed([noNamespace], { namespace: 'default' }, to('8.8.8.8'))).toBe(false);
    expect(egressAllowed([noNamespace], from, to('8.8.8.8'))).toBe(true);
  });

  test('objects of other kinds are ignored', () => {
    expect(egressAllowed([{ ...denyAll(), kind: 'ConfigMap' }], from, to('8.8.8.8'))).toBe(true);
  });

  test('an Ingress-only policy does not isolate egress; without policyTypes, an egress section makes it Egress', () => {
    const ingressOnly = { kind: 'NetworkPolicy', metadata: { namespace: NS }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    expect(egressAllowed([ingressOnly], from, to('8.8.8.8'))).toBe(true);
    const implicitIngress = { kind: 'NetworkPolicy', metadata: { namespace: NS }, spec: { podSelector: {} } };
    expect(egressAllowed([implicitIngress], from, to('8.8.8.8'))).toBe(true);
    const implicitEgress = { kind: 'NetworkPolicy', metadata: { namespace: NS }, spec: { podSelector: {}, egress: [] } };
    expect(egressAllowed([implicitEgress], from, to('8.8.8.8'))).toBe(false);
  });

  test('the policy\'s podSelector decides which pods it isolates: matchLabels and matchExpressions', () => {
    const forOthers = { ...denyAll(), spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] } };
    expect(egressAllowed([forOthers], from, to('8.8.8.8'))).toBe(true);
    const forJobs = { ...denyAll(), spec: { podSelector: { matchLabels: { app: 'job' } }, policyTypes: ['Egress'] } };
    expect(egressAllowed([forJobs], from, to('8.8.8.8'))).toBe(false);
    const expr = (matchExpressions: any[]) => ({ ...denyAll(), spec: { podSelector: { matchExpressions }, policyTypes: ['Egress'] } });
    expect(egressAllowed([expr([{ key: 'app', operator: 'In', values: ['job'] }])], from, to('8.8.8.8'))).toBe(false);
    expect(egressAllowed([expr([{ key: 'app', operator: 'In', values: ['web'] }])], from, to('8.8.8.8'))).toBe(true);
    expect(egressAllowed([expr([{ key: 'app', operator: 'NotIn', values: ['job'] }])], from, to('8.8.8.8'))).toBe(true);
    expect(egressAllowed([expr([{ key: 'tier', operator: 'NotIn', values: ['x'] }])], from, to('8.8.8.8'))).toBe(false);
    expect(egressAllowed([expr([{ key: 'app', operator: 'Exists' }])], from, to('8.8.8.8'))).toBe(false);
    expect(egressAllowed([expr([{ key: 'tier', operator: 'Exists' }])], from, to('8.8.8.8'))).toBe(true);
    expect(egressAllowed([expr([{ key: 'tier', operator: 'DoesNotExist' }])], from, to('8.8.8.8'))).toBe(false);
    expect(egressAllowed([expr([{ key: 'app', operator: 'DoesNotExist' }])], from, to('8.8.8.8'))).toBe(true);
    expect(() => egressAllowed([expr([{ key: 'app', operator: 'Gt', values: ['1'] }])], from, to('8.8.8.8'))).toThrow('unknown selector operator');
  });

  test('policies add up: each allows its own destinations, nothing else passes', () => {
    const policies = [
      denyAll(),
      allow([{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [tcp(443)] }]),
      allow([{ to: [{ ipBlock: { cidr: '192.168.1.100/32' } }], ports: [tcp(6443)] }]),
    ];
    expect(egressAllowed(policies, from, to('10.0.3.4', 443))).toBe(true);
    expect(egressAllowed(policies, from, to('192.168.1.100', 6443))).toBe(true);
    // Ports stay with their own destination.
    expect(egressAllowed(policies, from, to('10.0.3.4', 6443))).toBe(false);
    expect(egressAllowed(policies, from, to('192.168.1.100', 443))).toBe(false);
    expect(egressAllowed(policies, from, to('8.8.8.8', 443))).toBe(false);
  });

  test('ipBlock: inside cidr and outside every except, to the boundary address', () => {
    const policies = [denyAll(), allow([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] } }] }])];
    expect(egressAllowed(policies, from, to('8.8.8.8'))).toBe(true);
    expect(egressAllowed(policies, from, to('10.0.0.0'))).toBe(false);
    expect(egressAllowed(policies, from, to('10.255.255.255'))).toBe(false);
    expect(egressAllowed(policies, from, to('11.0.0.0'))).toBe(true);
    expect(egressAllowed(policies, from, to('9.255.255.255'))).toBe(true);
    expect(egressAllowed(policies, from, to('169.254.169.254'))).toBe(false);
    expect(egressAllowed(policies, from, to('169.254.169.253'))).toBe(true);
  });

  test('ports: the protocol defaults to TCP; no port means every port of the protocol; endPort gives a range', () => {
    const policies = [denyAll(), allow([
      { to: [{ ipBlock: { cidr: '10.0.0.2/32' } }], ports: [{ protocol: 'UDP', port: 53 }, { port: 53 }] },
      { to: [{ ipBlock: { cidr: '10.0.0.3/32' } }], ports: [{ protocol: 'UDP' }] },
      { to: [{ ipBlock: { cidr: '10.0.0.4/32' } }], ports: [{ protocol: 'TCP', port: 8000, endPort: 8010 }] },
    ])];
    expect(egressAllowed(policies, from, to('10.0.0.2', 53, 'UDP'))).toBe(true);
    expect(egressAllowed(policies, from, to('10.0.0.2', 53, 'TCP'))).toBe(true);
    expect(egressAllowed(policies, from, to('10.0.0.2', 53, 'SCTP'))).toBe(false);
    expect(egressAllowed(policies, from, to('10.0.0.2', 54, 'UDP'))).toBe(false);
    expect(egressAllowed(policies, from, to('10.0.0.3', 5353, 'UDP'))).toBe(true);
    expect(egressAllowed(policies, from, to('10.0.0.3', 5353, 'TCP'))).toBe(false);
    expect(egressAllowed(policies, from, to('10.0.0.4', 8000))).toBe(true);
    expect(egressAllowed(policies, from, to('10.0.0.4', 8010))).toBe(true);
    expect(egressAllowed(policies, from, to('10.0.0.4', 8011))).toBe(false);
    expect(egressAllowed(policies, from, to('10.0.0.4', 7999))).toBe(false);
    const named = [denyAll(), allow([{ ports: [{ protocol: 'TCP', port: 'http' }] }])];
    expect(() => egressAllowed(named, from, to('10.0.0.4', 80))).toThrow('named port http');
  });

  test('a rule without peers reaches every destination, a rule without ports every port', () => {
    const anyDestination = [denyAll(), allow([{ ports: [tcp(443)] }])];
    expect(egressAllowed(anyDestination, from, to('8.8.8.8', 443))).toBe(true);
    expect(egressAllowed(anyDestination, from, to('8.8.8.8', 80))).toBe(false);
    const anyPort = [denyAll(), allow([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])];
    expect(egressAllowed(anyPort, from, to('10.1.1.1', 22, 'UDP'))).toBe(true);
    expect(egressAllowed(anyPort, from, to('11.1.1.1', 22))).toBe(false);
    // An empty egress list allows nothing.
    expect(egressAllowed([allow([])], from, to('8.8.8.8'))).toBe(false);
  });

  test('IPv6: containment in compressed forms, and never across families', () => {
    const policies = [denyAll(), allow([{ to: [{ ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fd00:ec2::254/128'] } }] }])];
    expect(egressAllowed(policies, from, to('2606:4700:4700::1111'))).toBe(true);
    expect(egressAllowed(policies, from, to('fd00:ec2::254'))).toBe(false);
    expect(egressAllowed(policies, from, to('fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe(false);
    expect(egressAllowed(policies, from, to('fe00::1'))).toBe(true);
    // The IPv6 rule does not reach IPv4, nor does an IPv4 rule reach IPv6.
    expect(egressAllowed(policies, from, to('8.8.8.8'))).toBe(false);
    const v4 = [denyAll(), allow([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }])];
    expect(egressAllowed(v4, from, to('2606:4700:4700::1111'))).toBe(false);
    expect(egressAllowed(v4, from, to('::ffff:8.8.8.8'))).toBe(false);
  });

  test('pod and namespace selectors match pods, never a bare address', () => {
    const dnsPods = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };
    const policies = [denyAll(), allow([{ to: [dnsPods], ports: [{ protocol: 'UDP', port: 53 }] }])];
    const coredns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    expect(egressAllowed(policies, from, { address: '10.244.0.5', protocol: 'UDP', port: 53, pod: coredns })).toBe(true);
    expect(egressAllowed(policies, from, { address: '10.244.0.5', protocol: 'UDP', port: 53 })).toBe(false);
    expect(egressAllowed(policies, from, { address: '10.244.0.5', protocol: 'UDP', port: 53, pod: { ...coredns, namespace: 'default' } })).toBe(false);
    expect(egressAllowed(policies, from, { address: '10.244.0.5', protocol: 'UDP', port: 53, pod: { ...coredns, labels: { 'k8s-app': 'x' } } })).toBe(false);
    // A podSelector alone means pods of the policy's own namespace.
    const sameNamespace = [denyAll(), allow([{ to: [{ podSelector: {} }] }])];
    expect(egressAllowed(sameNamespace, from, { address: '10.244.0.6', port: 80, pod: { namespace: NS } })).toBe(true);
    expect(egressAllowed(sameNamespace, from, { address: '10.244.0.6', port: 80, pod: { namespace: 'other' } })).toBe(false);
  });
});

describe('addresses and CIDRs', () => {
  test('parses IPv4 and IPv6, rejects anything else', () => {
    expect(parseAddress('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseAddress('::1')).toEqual({ family: 6, value: 1n });
    expect(parseAddress('fd00:ec2::254').value).toBe(0xfd000ec2000000000000000000000254n);
    expect(parseAddress('::ffff:10.0.0.1').value).toBe(0xffff0a000001n);
    expect(parseAddress('1:2:3:4:5:6:7:8').value).toBe(0x00010002000300040005000600070008n);
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4::5:6:7:8', 'gggg::1', 'fe80::1%eth0', '']) {
      expect(() => parseAddress(bad)).toThrow('not an IP address');
    }
  });

  test('containment follows the prefix length', () => {
    expect(cidrContains('169.254.0.0/16', '169.254.255.255')).toBe(true);
    expect(cidrContains('169.254.0.0/16', '169.255.0.0')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(cidrContains('100.100.100.200/32', '100.100.100.200')).toBe(true);
    expect(cidrContains('100.100.100.200/32', '100.100.100.201')).toBe(false);
    expect(cidrContains('fe80::/10', 'febf:ffff::1')).toBe(true);
    expect(cidrContains('fe80::/10', 'fec0::1')).toBe(false);
    expect(cidrContains('fc00::/7', 'fd00:ec2::23')).toBe(true);
    expect(cidrContains('fc00::/7', 'fe00::')).toBe(false);
    expect(() => cidrContains('10.0.0.0/33', '10.0.0.1')).toThrow('not a CIDR');
    expect(() => cidrContains('10.0.0.0', '10.0.0.1')).toThrow('not a CIDR');
  });
});
