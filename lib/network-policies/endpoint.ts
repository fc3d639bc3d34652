import { isIpAddress } from '../validation/patterns';
import { PropChecker } from '../validation/prop-checker';

/** A network destination: an address range and ports, or a host name a NetworkPolicy cannot express. */
export class NetworkEndpoint {
  /**
   * An address range (`10.0.0.0/16`, `fd00::/8`) and TCP ports.
   * @throws ValidationError for a malformed range or port
   */
  public static cidr(cidr: string, ports: number[]): NetworkEndpoint {
    const check = new PropChecker('NetworkEndpoint.cidr');
    checkCidr(check, 'cidr', endpointString(check, 'cidr', cidr));
    return new NetworkEndpoint(cidr, undefined, endpointPorts(check, ports));
  }

  /**
   * One address and TCP ports, e.g. the API server's `NetworkEndpoint.ip('192.168.1.100', [6443])`.
   * @throws ValidationError for a malformed address or port
   */
  public static ip(address: string, ports: number[]): NetworkEndpoint {
    const check = new PropChecker('NetworkEndpoint.ip');
    if (!isIpAddress(endpointString(check, 'address', address))) check.fail('address', address, 'an IPv4 or IPv6 address, e.g. "192.168.1.100"');
    return new NetworkEndpoint(hostRange(address), undefined, endpointPorts(check, ports));
  }

  /**
   * A host name and TCP ports. A NetworkPolicy matches addresses only, so a host name is allowed
   * only through `internetEgress` (for public hosts); otherwise give its CIDR.
   * @throws ValidationError for a malformed host name or port
   */
  public static host(host: string, ports: number[]): NetworkEndpoint {
    const check = new PropChecker('NetworkEndpoint.host');
    return new NetworkEndpoint(undefined, check.dnsSubdomain('host', endpointString(check, 'host', host)), endpointPorts(check, ports));
  }

  /** The host and port of an http(s) URL (80 or 443 unless the URL names a port). */
  public static fromUrl(url: string): NetworkEndpoint {
    new PropChecker('NetworkEndpoint.fromUrl').noCredential('url', url);
    let u: URL | undefined;
    try {
      u = new URL(url);
    } catch {
      u = undefined;
    }
    if (!u || !['http:', 'https:'].includes(u.protocol) || !u.hostname) {
      const check: PropChecker = new PropChecker('NetworkEndpoint.fromUrl');
      return check.fail('url', url, 'an absolute http:// or https:// URL, e.g. "https://gitlab.example.com/"');
    }
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return isIpAddress(host) ? NetworkEndpoint.ip(host, [port]) : NetworkEndpoint.host(host, [port]);
  }

  /**
   * The address range, for an endpoint given by address.
   * @default - none: the endpoint is a host name
   */
  public readonly addressRange?: string;
  /**
   * The host name, for an endpoint given by host name.
   * @default - none: the endpoint is an address range
   */
  public readonly hostName?: string;
  /** TCP ports. */
  public readonly ports: number[];

  private constructor(addressRange: string | undefined, hostName: string | undefined, ports: number[]) {
    this.addressRange = addressRange;
    this.hostName = hostName;
    this.ports = ports;
  }

  /** @internal */
  public _describe(): string {
    return `${this.addressRange ?? this.hostName}:${this.ports.join(',')}`;
  }
}

/** A factory's string argument, before its syntax is checked. */
function endpointString(check: PropChecker, prop: string, value: string): string {
  if (typeof value !== 'string') check.fail(prop, value, prop === 'host' ? 'a host name, e.g. "registry.example.com"' : 'a string such as "10.0.0.0/16"');
  return check.noCredential(prop, value);
}

function endpointPorts(check: PropChecker, ports: number[]): number[] {
  if (!Array.isArray(ports) || ports.length === 0) check.fail('ports', ports, 'a list of at least one TCP port, e.g. [443]');
  return ports.map((p, i) => check.port(`ports[${i}]`, p));
}

/** An address range such as `10.0.0.0/16`; `@internal` to the library. */
export function checkCidr(check: PropChecker, prop: string, cidr: string): void {
  const [address, bits, ...rest] = cidr.split('/');
  const max = address.includes(':') ? 128 : 32;
  if (rest.length || !isIpAddress(address) || !/^\d{1,3}$/.test(bits ?? '') || Number(bits) > max) {
    check.fail(prop, cidr, 'an address range such as "10.0.0.0/16" or "192.168.1.50/32"');
  }
}

/** The one-address range of `address`: `/32`, or `/128` for IPv6. */
export function hostRange(address: string): string {
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}
