import type { Config } from './index.js';
import type { ConfigReader } from './ConfigReader.js';

/**
 * The browser guard's lists: the origins whose pages may call the proxy (PROXY_ALLOWED_ORIGINS)
 * and the Host names each listener answers to beyond loopback (PROXY_ALLOWED_HOSTS,
 * ADMIN_ALLOWED_HOSTS), each entry checked.
 */
export function readBrowserGuard(
  read: ConfigReader,
): Pick<Config, 'allowedOrigins' | 'allowedHosts' | 'adminAllowedHosts'> {
  const allowedOrigins = read.list('PROXY_ALLOWED_ORIGINS');
  for (const origin of allowedOrigins) {
    if (!isOrigin(origin)) {
      read.problem(
        `invalid setting: PROXY_ALLOWED_ORIGINS entry ${origin} must be an origin like https://app.example (scheme, host, port if not the default; lower case, no path)`,
      );
    }
  }
  return {
    allowedOrigins,
    allowedHosts: hostList(read, 'PROXY_ALLOWED_HOSTS'),
    adminAllowedHosts: hostList(read, 'ADMIN_ALLOWED_HOSTS'),
  };
}

/** A list of Host names (name or address, optionally :port), lower case, each entry checked. */
function hostList(
  read: ConfigReader,
  name: 'PROXY_ALLOWED_HOSTS' | 'ADMIN_ALLOWED_HOSTS',
): string[] {
  const hosts = read.list(name).map((h) => h.toLowerCase());
  for (const entry of hosts) {
    if (!/^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(entry)) {
      read.problem(
        `invalid setting: ${name} entry ${entry} must be a host name or address, optionally with :port`,
      );
    }
  }
  return hosts;
}

/** True when `origin` is an http(s) origin written exactly as a browser sends it. */
function isOrigin(origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return /^https?:$/.test(parsed.protocol) && parsed.origin === origin;
}
