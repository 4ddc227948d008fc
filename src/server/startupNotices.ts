import { isLoopback, sendsInClear, type Config } from '../config/index.js';
import type { Logger } from '../observability/index.js';

/** The warnings and notes an operator should read once at start, about how it is exposed. */
export function startupNotices(config: Config, logger: Logger): void {
  const exposed = !isLoopback(config.proxyHost);
  if (exposed && config.sessions === 'per-client' && !config.proxyTls) {
    logger.warn(
      { event: 'cleartext-logins' },
      `per-client mode on ${config.proxyHost}: clients send their Scribe passwords in every request, in clear over plain HTTP; set PROXY_TLS_CERT_FILE and PROXY_TLS_KEY_FILE (docs/tls.md), or put TLS in front (an ingress)`,
    );
  }
  if (exposed && !config.proxyClientToken && config.sessions === 'shared') {
    logger.warn(
      { event: 'open-bind' },
      `the proxy listens on ${config.proxyHost} without PROXY_CLIENT_TOKEN: anyone who can reach it can use your Scribe account`,
    );
  }
  if (sendsInClear(config.apiUrl)) {
    logger.warn(
      { event: 'cleartext-upstream', host: config.apiUrl.hostname },
      `SCRIBE_API_URL is plain http to ${config.apiUrl.hostname} (SCRIBE_API_PLAIN_HTTP_HOST): every request carries the session's tokens in clear to it`,
    );
  }
  if (!config.adminToken) {
    logger.info(
      { event: 'admin-disabled' },
      'admin routes are disabled (set ADMIN_TOKEN to enable them)',
    );
  }
}
