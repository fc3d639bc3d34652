import { validateNameservers, validateOptions, validateSearches, validateUpstreams } from '../../lib/dns-strategy/validation';
import { PropChecker } from '../../lib/validation/prop-checker';
import { ValidationError } from '../../lib/validation/errors';

const check = new PropChecker('test/Runner');

describe('the resolver configuration limits, as plain functions', () => {
  test('nameservers: 1 to 3, each an IP address once; errors use the names given for them', () => {
    expect(() => validateNameservers(check, 'dns', ['10.0.0.2', 'fd00::53'], [])).not.toThrow();
    expect(() => validateNameservers(check, 'dns', [], [])).toThrow('test/Runner: invalid dns.nameservers: got []; expected at least one nameserver');
    expect(() => validateNameservers(check, 'dns', ['10.96.0.10', '10.96.0.10', '8.8.8.8'], ['clusterDnsIp', 'vpcDnsIp', 'publicDnsIp']))
      .toThrow('test/Runner: invalid dns.vpcDnsIp: got "10.96.0.10"; expected a nameserver not already listed (it is clusterDnsIp)');
  });

  test('upstreams: 1 to 15 distinct IP addresses', () => {
    expect(() => validateUpstreams(check, 'dns', ['8.8.8.8'])).not.toThrow();
    expect(() => validateUpstreams(check, 'dns', Array.from({ length: 16 }, (_, i) => `10.0.0.${i + 1}`))).toThrow(ValidationError);
    expect(() => validateUpstreams(check, 'dns', ['8.8.8.8', '8.8.8.8'])).toThrow('invalid dns.upstreams[1]');
  });

  test('search domains: DNS subdomains, one trailing dot allowed, at most 32', () => {
    expect(() => validateSearches(check, 'dns', ['corp.example.com.', 'svc.cluster.local'])).not.toThrow();
    expect(() => validateSearches(check, 'dns', ['Corp_Example'])).toThrow('invalid dns.searches[0]: got "Corp_Example"');
    expect(() => validateSearches(check, 'dns', Array.from({ length: 33 }, (_, i) => `d${i}.example.com`))).toThrow('at most 32 search domains');
  });

  test('options: once each, flags without value, numbers in range', () => {
    expect(() => validateOptions(check, 'dns', [{ name: 'ndots', value: '2' }, { name: 'edns0' }, { name: 'no-aaaa' }])).not.toThrow();
    expect(() => validateOptions(check, 'dns', [{ name: 'rotate', value: '1' }])).toThrow('expected no value: rotate is a flag option');
    expect(() => validateOptions(check, 'dns', [{ name: 'timeout', value: '31' }])).toThrow('an integer from 1 to 30');
    expect(() => validateOptions(check, 'dns', [{ name: 'ndots', value: '1' }, { name: 'ndots', value: '2' }]))
      .toThrow('invalid dns.options[1].name: got "ndots"; expected an option not already set (options[0])');
  });
});
