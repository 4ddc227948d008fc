import { isIP } from 'node:net';

/** Which `Host` names a listener answers to (DNS rebinding protection). */
export interface HostRule {
  /** Loopback `Host` names are the listener's own. */
  loopbackBind: boolean;
  /** Names (or name:port) the listener answers to beyond loopback (`*_ALLOWED_HOSTS`). */
  allowedHosts: readonly string[];
}

/** How a listener stands to a request's Host (see hostStanding). */
export type HostStanding = 'own' | 'unchecked' | 'refused';

// RFC 9110's Host: a name or an IPv4 address, or an IPv6 address in brackets, then an optional port.
const hostSyntax = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::\d{1,5})?$/;

/**
 * The name of a Host header value, lower case, without port or IPv6 brackets; undefined when it
 * is not that syntax (`localhost:80@evil.example` names no loopback host).
 */
function hostName(host: string): string | undefined {
  const match = hostSyntax.exec(host.toLowerCase());
  return match ? (match[1] ?? match[2]) : undefined;
}

/** True for `localhost` (and its subdomains, which resolve to loopback), 127/8 and ::1. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1';
}

/**
 * How a listener stands to a request's Host: one of its own names (loopback under `loopbackBind`,
 * or listed), any name passes unchecked (no loopback rule and nothing listed, or no Host at all:
 * HTTP/1.0; a browser always sends one), or refused. A page whose own name was rebound to the
 * listener's address (DNS rebinding) sends its own name, and the browser takes its requests as
 * same-origin: only a listener that knows its names can tell.
 */
export function hostStanding(host: string | undefined, rule: HostRule): HostStanding {
  if (host === undefined) return 'unchecked';
  const open = !rule.loopbackBind && rule.allowedHosts.length === 0;
  const name = hostName(host);
  if (name === undefined) return open ? 'unchecked' : 'refused';
  // An entry is a Host as it is written: a name alone matches it on any port, name:port only so.
  const hostOnly = isIP(name) === 6 ? `[${name}]` : name;
  const listed = rule.allowedHosts.some(
    (entry) => entry === hostOnly || entry === host.toLowerCase(),
  );
  if (listed || (rule.loopbackBind && isLoopbackName(name))) return 'own';
  return open ? 'unchecked' : 'refused';
}

/**
 * The admin listener's rule (ADMIN_ALLOWED_HOSTS): loopback names and the listed ones, whatever
 * the bind. On `0.0.0.0` an operator comes through `kubectl port-forward` (Host `localhost`) or a
 * listed Service name; any other name may be a rebound page's.
 */
export function adminHostCheck(
  allowedHosts: readonly string[],
): (host: string | undefined) => boolean {
  const rule = { loopbackBind: true, allowedHosts };
  return (host) => hostStanding(host, rule) !== 'refused';
}
