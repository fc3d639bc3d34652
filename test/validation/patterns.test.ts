import {
  hostsToLookUp, isDnsLabel, isDnsSubdomain, isEnvName, isHttpUrl, isIpAddress, isLabelKey, isLabelValue, isPinnedImage, isRegistryHost,
  isRepositoryPath, parseIpv4Cidr,
} from '../../lib/validation/patterns';

describe('patterns', () => {
  test.each([
    'alpine:3.22', 'docker:27.3.1-dind', 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0',
    'registry.example.com:5000/team/app:1.0', `alpine@sha256:${'a'.repeat(64)}`, `alpine:3.22@sha256:${'b'.repeat(64)}`,
  ])('%s is a pinned image', (ref) => expect(isPinnedImage(ref)).toBe(true));

  test.each(['alpine', 'alpine:latest', 'docker:dind', 'docker:stable', 'Alpine:3', 'registry.example.com:5000/app', 'alpine@sha256:xyz', 'a b:1', ''])(
    '%j is not a pinned image', (ref) => expect(isPinnedImage(ref)).toBe(false));

  test.each(['10.0.0.2', '255.255.255.255', '::1', 'fd00::10'])('%s is an IP address', (ip) => expect(isIpAddress(ip)).toBe(true));
  test.each(['10.0.0', '256.1.1.1', 'dns.example.com', '10.0.0.2/32', ''])('%j is not an IP address', (ip) => expect(isIpAddress(ip)).toBe(false));

  test.each(['workload', 'kubernetes.io/arch', 'node-role.kubernetes.io/control-plane', 'a.b_c-d'])('%s is a label key', (k) => expect(isLabelKey(k)).toBe(true));
  test.each(['', 'bad key', '-x', 'Example.com/x', `${'a'.repeat(64)}`, '/x'])('%j is not a label key', (k) => expect(isLabelKey(k)).toBe(false));

  test('label values: empty, or at most 63 letters, digits, "-", "_" and ".", alphanumeric at both ends', () => {
    expect(['', 'ci', 'a.b_c-d', 'A1', 'x'.repeat(63)].map(isLabelValue)).toEqual([true, true, true, true, true]);
    expect(['-x', 'x-', 'a b', 'x'.repeat(64), 1 as any].map(isLabelValue)).toEqual([false, false, false, false, false]);
  });

  test('DNS-1123 labels and subdomains: lowercase, "-" inside, bounded length', () => {
    expect(['gitlab', 'a-1', 'x'.repeat(63)].map((v) => isDnsLabel(v))).toEqual([true, true, true]);
    expect(['Gitlab', '-a', 'a-', 'a.b', '', 'x'.repeat(64)].map((v) => isDnsLabel(v))).toEqual([false, false, false, false, false, false]);
    expect(isDnsLabel('abcdef', 5)).toBe(false);
    expect(['a.b', 'gitlab-runner-token', `${'a'.repeat(63)}.${'b'.repeat(63)}`].map(isDnsSubdomain)).toEqual([true, true, true]);
    expect(['a..b', '.a', 'A.b', 'x'.repeat(254)].map(isDnsSubdomain)).toEqual([false, false, false, false]);
  });

  test('environment variable names: letters, digits and "_", not starting with a digit', () => {
    expect(['PATH', '_X', 'a1_B'].map(isEnvName)).toEqual([true, true, true]);
    expect(['1A', 'A-B', 'A B', ''].map(isEnvName)).toEqual([false, false, false, false]);
  });

  test('http(s) URLs: absolute, with a host, no credentials, query, fragment or white space', () => {
    expect(['https://gitlab.example.com/', 'http://192.168.1.50:8080/gitlab'].map(isHttpUrl)).toEqual([true, true]);
    expect(['not a url', 'ftp://x.example.com/', 'https://user:pw@x.example.com/', 'https://x.example.com/?a=1',
      'https://x.example.com/#top', 'https://x.example.com/a b', 'file:///etc/passwd'].map(isHttpUrl)).toEqual([false, false, false, false, false, false, false]);
  });

  test('registry hosts: host[:port] with the port from 1 to 65535, no scheme or path', () => {
    expect(['registry.example.com', 'r.example.com:5000', 'localhost:65535'].map(isRegistryHost)).toEqual([true, true, true]);
    expect(['https://r.example.com', 'r.example.com/path', 'R.example.com', 'r:0', 'r:65536', 'r:'].map(isRegistryHost))
      .toEqual([false, false, false, false, false, false]);
  });

  test('repository paths: lowercase segments joined by "/", no registry port or tag', () => {
    expect(['gitlab-org/gitlab-runner', 'alpine', 'a.b/c_d'].map(isRepositoryPath)).toEqual([true, true, true]);
    expect(['gitlab-org/gitlab-runner:1', 'Gitlab/x', '/x', 'x/', 'r:5000/x'].map(isRepositoryPath)).toEqual([false, false, false, false, false]);
  });

  test('IPv4 CIDRs: the network holds the addresses from its base, aligned to its size', () => {
    const cidr = parseIpv4Cidr('172.21.3.4/16')!;
    expect(cidr.text).toBe('172.21.3.4/16');
    expect(['172.21.0.0', '172.21.255.255', '172.22.0.0', '172.20.255.255', 'x'].map((ip) => cidr.contains(ip))).toEqual([true, true, false, false, false]);
    expect(parseIpv4Cidr('0.0.0.0/0')!.contains('255.255.255.255')).toBe(true);
    expect(parseIpv4Cidr('10.0.0.1/32')!.contains('10.0.0.2')).toBe(false);
    expect(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/a', '10.0.0/8', '10.0.0.0/8/1', 'fd00::/8'].map(parseIpv4Cidr)).toEqual(Array(6).fill(undefined));
  });

  test('hosts to look up: no ports, no addresses, lowercase, each once', () => {
    expect(hostsToLookUp(['Registry.example.com:5000', 'registry.example.com', '10.0.0.5:443', '[fd00::1]', 'gitlab.example.com']))
      .toEqual(['registry.example.com', 'gitlab.example.com']);
  });
});
