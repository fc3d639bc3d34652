import { checkCidr, hostRange, NetworkEndpoint } from '../../lib/network-policies/endpoint';
import { PropChecker } from '../../lib/validation/prop-checker';

describe('NetworkEndpoint', () => {
  test('cidr() and ip() give an address range, host() a host name, each with its ports', () => {
    expect(NetworkEndpoint.cidr('10.0.0.0/16', [443])).toMatchObject({ addressRange: '10.0.0.0/16', hostName: undefined, ports: [443] });
    expect(NetworkEndpoint.ip('192.168.1.100', [6443])).toMatchObject({ addressRange: '192.168.1.100/32', ports: [6443] });
    expect(NetworkEndpoint.ip('fd00::1', [53]).addressRange).toBe('fd00::1/128');
    expect(NetworkEndpoint.host('registry.example.com', [443, 5000])).toMatchObject({ addressRange: undefined, hostName: 'registry.example.com', ports: [443, 5000] });
  });

  test('fromUrl(): an address or a host name, with the URL\'s port or the scheme\'s', () => {
    expect(NetworkEndpoint.fromUrl('http://192.168.1.50/')).toMatchObject({ addressRange: '192.168.1.50/32', ports: [80] });
    expect(NetworkEndpoint.fromUrl('https://gitlab.com/')).toMatchObject({ hostName: 'gitlab.com', ports: [443] });
    expect(NetworkEndpoint.fromUrl('https://[fd00::5]:8443/')).toMatchObject({ addressRange: 'fd00::5/128', ports: [8443] });
    expect(() => NetworkEndpoint.fromUrl('ftp://gitlab.example.com/')).toThrow('NetworkEndpoint.fromUrl: invalid url: got "ftp://gitlab.example.com/"');
  });

  test.each([
    ['a bad range', () => NetworkEndpoint.cidr('10.0.0.0/33', [443]), 'NetworkEndpoint.cidr: invalid cidr: got "10.0.0.0/33"; expected an address range'],
    ['a range that is not a string', () => NetworkEndpoint.cidr(16 as unknown as string, [443]), 'NetworkEndpoint.cidr: invalid cidr: got 16; expected a string'],
    ['a bad address', () => NetworkEndpoint.ip('10.0.0.256', [443]), 'NetworkEndpoint.ip: invalid address: got "10.0.0.256"; expected an IPv4 or IPv6 address'],
    ['a range given as an address', () => NetworkEndpoint.ip('10.0.0.0/16', [443]), 'NetworkEndpoint.ip: invalid address: got "10.0.0.0/16"'],
    ['a bad host name', () => NetworkEndpoint.host('registry_1.example.com', [443]), 'NetworkEndpoint.host: invalid host: got "registry_1.example.com"'],
    ['a port 0', () => NetworkEndpoint.cidr('10.0.0.0/16', [0]), 'NetworkEndpoint.cidr: invalid ports[0]: got 0; expected an integer from 1 to 65535'],
    ['no ports', () => NetworkEndpoint.host('registry.example.com', []), 'NetworkEndpoint.host: invalid ports: got []; expected a list of at least one TCP port'],
  ])('a factory fails at once on %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('the endpoint keeps its own copy of the ports', () => {
    const ports = [443];
    const endpoint = NetworkEndpoint.cidr('10.0.0.0/16', ports);
    ports.push(80);
    expect(endpoint.ports).toEqual([443]);
    expect(endpoint._describe()).toBe('10.0.0.0/16:443');
  });
});

describe('hostRange and checkCidr', () => {
  test('one address is a /32, or a /128 for IPv6', () => {
    expect(hostRange('10.0.0.2')).toBe('10.0.0.2/32');
    expect(hostRange('2001:db8::1')).toBe('2001:db8::1/128');
  });

  test.each(['10.0.0.0/16', '0.0.0.0/0', 'fd00::/8', '192.168.1.50/32'])('%s is an address range', (cidr) => {
    expect(() => checkCidr(new PropChecker('test'), 'cidr', cidr)).not.toThrow();
  });

  test.each(['10.0.0.0/33', '10.0.0.0', 'registry.example.com/24', '10.0.0.0/8/8', '::/129', '10.0.0.0/x'])('%s is not', (cidr) => {
    expect(() => checkCidr(new PropChecker('test'), 'cidr', cidr)).toThrow(`test: invalid cidr: got "${cidr}"; expected an address range`);
  });
});
