import { BlockList, isIP } from 'node:net';

/** One NO_PROXY entry, parsed: what it exempts, and on which port (any when undefined). */
export type NoProxyEntry =
  | { kind: 'all' }
  | { kind: 'domain'; domain: string; port: string | undefined }
  | { kind: 'address'; addresses: BlockList; port: string | undefined };

/** A NO_PROXY entry that does not say what it means to. */
export class NoProxyEntryError extends Error {}

const hostName =
  /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

function portOf(text: string, entry: string): string {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) {
    throw new NoProxyEntryError(`${entry}: the port must be 1-65535`);
  }
  return String(port);
}

function addressEntry(address: string, prefix: string | undefined, entry: string, port?: string) {
  const family = isIP(address);
  if (family === 0) throw new NoProxyEntryError(`${entry}: not an IP address`);
  const max = family === 4 ? 32 : 128;
  const bits = prefix === undefined ? max : Number(prefix);
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || bits > max)) {
    throw new NoProxyEntryError(`${entry}: the prefix length must be 0-${max}`);
  }
  const addresses = new BlockList();
  addresses.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  return { kind: 'address' as const, addresses, port };
}

/**
 * Parse one NO_PROXY entry the way curl reads it: `*`; a domain (its subdomains too, a leading
 * `.` or `*.` allowed); an IPv4 or IPv6 address or CIDR (prefix 0-32 or 0-128); each optionally
 * with `:port` (IPv6 then in brackets: `[::1]:8080`). Anything else throws NoProxyEntryError.
 */
export function parseNoProxyEntry(raw: string): NoProxyEntry {
  const entry = raw.toLowerCase();
  if (entry === '*') return { kind: 'all' };
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const [, inside = '', port] = bracketed;
    const [address = '', prefix, extra] = inside.split('/');
    if (isIP(address) !== 6 || extra !== undefined) {
      throw new NoProxyEntryError(`${raw}: brackets hold an IPv6 address`);
    }
    return addressEntry(address, prefix, raw, port === undefined ? undefined : portOf(port, raw));
  }
  const slash = entry.indexOf('/');
  if (slash !== -1) return addressEntry(entry.slice(0, slash), entry.slice(slash + 1), raw);
  if (isIP(entry) !== 0) return addressEntry(entry, undefined, raw);
  const colon = entry.lastIndexOf(':');
  if (entry.indexOf(':') !== colon) {
    throw new NoProxyEntryError(`${raw}: an IPv6 address with a port goes in brackets`);
  }
  const name = colon === -1 ? entry : entry.slice(0, colon);
  const port = colon === -1 ? undefined : portOf(entry.slice(colon + 1), raw);
  if (isIP(name) === 4) return addressEntry(name, undefined, raw, port);
  const domain = name.replace(/^\*?\./, '');
  // A name whose last label is a number is read by URLs as an IPv4 address (0x7f.1 is 127.0.0.1)
  // or refused (999.1.1.1): as a domain it would never match.
  const numeric = /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/.test(domain);
  if (!hostName.test(domain) || domain.length > 253 || numeric) {
    throw new NoProxyEntryError(`${raw}: not a host name, IP address or CIDR`);
  }
  return { kind: 'domain', domain, port };
}

/** The entries of a NO_PROXY value (comma- or space-separated), or every problem with it. */
export function parseNoProxy(value: string | undefined): {
  entries: NoProxyEntry[];
  problems: string[];
} {
  const entries: NoProxyEntry[] = [];
  const problems: string[] = [];
  for (const raw of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      entries.push(parseNoProxyEntry(raw));
    } catch (err) {
      if (!(err instanceof NoProxyEntryError)) throw err;
      problems.push(err.message);
    }
  }
  return { entries, problems };
}

/** True when `entry` exempts `host` (lower case, IPv6 without brackets) on `port`. */
export function noProxyExempts(entry: NoProxyEntry, host: string, port: string): boolean {
  if (entry.kind === 'all') return true;
  if (entry.port !== undefined && entry.port !== port) return false;
  if (entry.kind === 'domain') return host === entry.domain || host.endsWith(`.${entry.domain}`);
  const family = isIP(host);
  return family !== 0 && entry.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
