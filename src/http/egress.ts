import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { AbsoluteFormAgent } from './absoluteFormAgent.js';
import { noProxyExempts, parseNoProxy } from './noProxy.js';

/** The egress proxy settings, as curl reads them from the environment. */
export interface EgressProxy {
  httpsProxy: string | undefined;
  httpProxy: string | undefined;
  noProxy: string | undefined;
}

/**
 * The one reader of the egress variables (the service's configuration and the CLI both use it):
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY from `env`, the lower-case spelling first (as curl),
 * trimmed, and every problem with them (a proxy that is not an http(s) URL, a NO_PROXY entry
 * that does not parse).
 */
export function readEgress(env: NodeJS.ProcessEnv): { egress: EgressProxy; problems: string[] } {
  const read = (name: string) => env[name.toLowerCase()]?.trim() || env[name]?.trim() || undefined;
  const egress: EgressProxy = {
    httpsProxy: read('HTTPS_PROXY'),
    httpProxy: read('HTTP_PROXY'),
    noProxy: read('NO_PROXY'),
  };
  const problems: string[] = [];
  for (const [name, value] of [
    ['HTTPS_PROXY', egress.httpsProxy],
    ['HTTP_PROXY', egress.httpProxy],
  ] as const) {
    if (value === undefined) continue;
    try {
      const parsed = new URL(value.includes('://') ? value : `http://${value}`);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      try {
        decodeURIComponent(parsed.username);
        decodeURIComponent(parsed.password);
      } catch {
        problems.push(
          `invalid setting: ${name}'s user name or password must be percent-encoded (%40 for @, %25 for %)`,
        );
      }
    } catch {
      problems.push(`invalid setting: ${name} must be an http(s) proxy URL or host:port`);
    }
  }
  for (const problem of parseNoProxy(egress.noProxy).problems) {
    problems.push(`invalid setting: NO_PROXY entry ${problem}`);
  }
  return { egress, problems };
}

/**
 * The proxy an outbound call to `target` goes through, the way curl picks it: HTTPS_PROXY for
 * https targets, HTTP_PROXY for http ones, none when NO_PROXY exempts the host (`*`, a domain
 * and its subdomains, an IP or a CIDR, optionally with `:port`; see noProxy.ts). Loopback is not
 * exempt unless NO_PROXY says so. A proxy given without a scheme is http://.
 */
export function egressProxyFor(target: URL, egress: EgressProxy): URL | undefined {
  const proxy = target.protocol === 'https:' ? egress.httpsProxy : egress.httpProxy;
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const { entries } = parseNoProxy(egress.noProxy);
  if (entries.some((entry) => noProxyExempts(entry, host, port))) return undefined;
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
