import { checkCidr } from '../../lib/network-policies/endpoint';
import { NON_INTERNET_RANGES, NON_INTERNET_RANGES_IPV6 } from '../../lib/network-policies/internet-ranges';
import { PropChecker } from '../../lib/validation/prop-checker';

describe('the ranges the internet rule never reaches', () => {
  test('every entry is a valid range of its family, listed once', () => {
    for (const cidr of NON_INTERNET_RANGES) {
      expect(() => checkCidr(new PropChecker('test'), 'cidr', cidr)).not.toThrow();
      expect(cidr).not.toContain(':');
    }
    for (const cidr of NON_INTERNET_RANGES_IPV6) {
      expect(() => checkCidr(new PropChecker('test'), 'cidr', cidr)).not.toThrow();
      expect(cidr).toContain(':');
    }
    expect(new Set(NON_INTERNET_RANGES).size).toBe(NON_INTERNET_RANGES.length);
    expect(new Set(NON_INTERNET_RANGES_IPV6).size).toBe(NON_INTERNET_RANGES_IPV6.length);
  });

  test('the private ranges and the cloud metadata services are among them', () => {
    expect(NON_INTERNET_RANGES).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16',
      '169.254.169.254/32', '100.100.100.200/32', '168.63.129.16/32']));
    expect(NON_INTERNET_RANGES_IPV6).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10', 'fd00:ec2::254/128']));
  });
});
