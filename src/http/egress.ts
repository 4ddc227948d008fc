import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { AbsoluteFormAgent } from './absoluteFormAgent.js';

/** The egress proxy settings, as curl reads them from the environment. */
export interface EgressProxy {
  httpsProxy: string | undefined;
  httpProxy: string | undefined;
  noProxy: string | undefined;
}

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY from `env`, the lower-case spelling first (as curl). */
export function egressFromEnv(env: NodeJS.ProcessEnv): EgressProxy {
  const read = (name: string) => env[name.toLowerCase()] || env[name] || undefined;
  return {
    httpsProxy: read('HTTPS_PROXY'),
    httpProxy: read('HTTP_PROXY'),
    noProxy: read('NO_PROXY'),
  };
}

/** The 32-bit value of an IPv4 address. */
const ipv4 = (address: string) =>
  address.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;

/** True when `host` is exempted by one NO_PROXY entry (curl's rules). */
function exempted(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  let name = entry.toLowerCase();
  let entryPort: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > 0 && !name.includes(']') && isIP(name) === 0 && /^\d+$/.test(name.slice(colon + 1))) {
    entryPort = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  if (entryPort !== undefined && entryPort !== port) return false;
  name = name.replace(/^\[|\]$/g, '');
  const slash = name.indexOf('/');
  if (slash > 0 && isIP(name.slice(0, slash)) === 4 && isIP(host) === 4) {
    const bits = Number(name.slice(slash + 1));
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (ipv4(name.slice(0, slash)) & mask) === (ipv4(host) & mask);
  }
  if (isIP(name) !== 0 || isIP(host) !== 0) return name === host;
  const domain = name.startsWith('.') ? name.slice(1) : name;
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * The proxy an outbound call to `target` goes through, the way curl picks it: HTTPS_PROXY for
 * https targets, HTTP_PROXY for http ones, none when NO_PROXY exempts the host (`*`, a domain
 * and its subdomains, an IP, an IPv4 CIDR, optionally with `:port`). Loopback is not exempt unless
 * NO_PROXY says so. A proxy given without a scheme is http://.
 */
export function egressProxyFor(target: URL, egress: EgressProxy): URL | undefined {
  const proxy = target.protocol === 'https:' ? egress.httpsProxy : egress.httpProxy;
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const entries = (egress.noProxy ?? '').split(/[\s,]+/).filter(Boolean);
  if (entries.some((entry) => exempted(entry, host, port))) return undefined;
  return new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
}

/**
 * An agent for calls to `target`: through its egress proxy when there is one (CONNECT for https,
 * absolute-form for http, built from the target's origin and the path as bytes), else direct.
 */
export function egressAgent(
  target: URL,
  egress: EgressProxy,
  options: AgentOptions = {},
): HttpAgent {
  const proxy = egressProxyFor(target, egress);
  if (proxy) {
    return target.protocol === 'https:'
      ? new HttpsProxyAgent(proxy, options)
      : new AbsoluteFormAgent(proxy, target, options);
  }
  return target.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}
