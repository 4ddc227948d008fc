import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { AbsoluteFormAgent } from './absoluteFormAgent.js';
import { noProxyExempts, parseNoProxy } from './noProxy.js';
import type { EgressProxy } from './readEgress.js';

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
