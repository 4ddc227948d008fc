import { parseNoProxy } from './noProxy.js';

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
