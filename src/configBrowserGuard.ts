import type { Config } from './config.js';
import type { ConfigReader } from './configReader.js';

/**
 * The browser guard's lists: the origins whose pages may call the proxy (PROXY_ALLOWED_ORIGINS)
 * and the Host names it answers to beyond loopback (PROXY_ALLOWED_HOSTS), each entry checked.
 */
export function readBrowserGuard(
  read: ConfigReader,
): Pick<Config, 'allowedOrigins' | 'allowedHosts'> {
  const allowedOrigins = read.list('PROXY_ALLOWED_ORIGINS');
  for (const origin of allowedOrigins) {
    if (!isOrigin(origin)) {
      read.problem(
        `invalid setting: PROXY_ALLOWED_ORIGINS entry ${origin} must be an origin like https://app.example (scheme, host, port if not the default; lower case, no path)`,
      );
    }
  }
  const allowedHosts = read.list('PROXY_ALLOWED_HOSTS').map((h) => h.toLowerCase());
  for (const entry of allowedHosts) {
    if (!/^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(entry)) {
      read.problem(
        `invalid setting: PROXY_ALLOWED_HOSTS entry ${entry} must be a host name or address, optionally with :port`,
      );
    }
  }
  return { allowedOrigins, allowedHosts };
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
