/**
 * What every configuration variable means, its default and an example of a right value: the one
 * source for docs/configuration.md (a docs test checks the page against it), `serve --help`, and
 * the examples configuration errors show. Markdown in `meaning` and `default`.
 */
export interface ConfigSetting {
  name: string;
  meaning: string;
  default: string;
  example: string;
}

export const configReference: readonly ConfigSetting[] = [
  {
    name: 'SCRIBE_API_URL',
    meaning:
      "upstream base URL: https, or plain http to a loopback address only (it carries the session's tokens)",
    default: '`https://mi.scribelabs.ai/v1`',
    example: 'https://mi.scribelabs.ai/v1',
  },
  {
    name: 'SCRIBE_API_PLAIN_HTTP_HOST',
    meaning:
      'the one host beyond loopback `SCRIBE_API_URL` may name over plain http (a mesh sidecar or egress gateway that adds TLS); the tokens cross that hop in clear, and the start log warns',
    default: 'none',
    example: 'scribe-egress.mesh',
  },
  {
    name: 'SCRIBE_AUTH_MODE',
    meaning: '`sigv4` or `bearer`',
    default: '`sigv4`',
    example: 'bearer',
  },
  {
    name: 'SCRIBE_REGION',
    meaning: 'AWS region of the pools and the API',
    default: '`eu-west-2`',
    example: 'eu-west-2',
  },
  {
    name: 'SCRIBE_CLIENT_ID',
    meaning: 'user pool app client id',
    default: 'required',
    example: '1example23456789abcdefghij',
  },
  {
    name: 'SCRIBE_USER_POOL_ID',
    meaning: 'user pool id',
    default: 'required',
    example: 'eu-west-2_AbCdEf123',
  },
  {
    name: 'SCRIBE_IDENTITY_POOL_ID',
    meaning: 'identity pool id',
    default: 'required in `sigv4` mode',
    example: 'eu-west-2:11111111-2222-3333-4444-555555555555',
  },
  {
    name: 'SCRIBE_CLIENT_SECRET',
    meaning: 'app client secret, when the client has one',
    default: 'none',
    example: 'the-app-client-secret',
  },
  {
    name: 'SCRIBE_USERNAME',
    meaning: 'login',
    default: 'none',
    example: 'me@example.com',
  },
  {
    name: 'SCRIBE_PASSWORD',
    meaning: 'login',
    default: 'none',
    example: 'your-password',
  },
  {
    name: 'SCRIBE_REFRESH_TOKEN',
    meaning: 'start from a refresh token instead of a password',
    default: 'none',
    example: 'eyJjdHkiOi...',
  },
  {
    name: 'SCRIBE_MFA_SECRET',
    meaning: 'TOTP secret, to answer MFA unattended',
    default: 'none',
    example: 'JBSWY3DPEHPK3PXP',
  },
  {
    name: 'SCRIBE_PASSWORD_FILE',
    meaning:
      '`SCRIBE_PASSWORD` read from this file (Kubernetes/Docker secrets), trailing newline trimmed; not both forms',
    default: 'none',
    example: '/run/secrets/scribe_password',
  },
  {
    name: 'SCRIBE_CLIENT_SECRET_FILE',
    meaning:
      '`SCRIBE_CLIENT_SECRET` read from this file (Kubernetes/Docker secrets), trailing newline trimmed; not both forms',
    default: 'none',
    example: '/run/secrets/scribe_client_secret',
  },
  {
    name: 'SCRIBE_REFRESH_TOKEN_FILE',
    meaning:
      '`SCRIBE_REFRESH_TOKEN` read from this file (Kubernetes/Docker secrets), trailing newline trimmed; not both forms',
    default: 'none',
    example: '/run/secrets/scribe_refresh_token',
  },
  {
    name: 'SCRIBE_MFA_SECRET_FILE',
    meaning:
      '`SCRIBE_MFA_SECRET` read from this file (Kubernetes/Docker secrets), trailing newline trimmed; not both forms',
    default: 'none',
    example: '/run/secrets/scribe_mfa_secret',
  },
  {
    name: 'SCRIBE_SESSION_FILE',
    meaning:
      'where the refresh token is kept across restarts (mode 0600; refused when another user owns it, others can read it, or it holds another account than `SCRIBE_USERNAME`; a damaged one is passed over, with a warning, when a password is configured; see [security](security.md))',
    default: 'none',
    example: './session.json',
  },
  {
    name: 'SCRIBE_COGNITO_ENDPOINT',
    meaning:
      'user pool endpoint override (sandbox, tests, private endpoints): https, or plain http to a loopback address only; named at start (log line, CLI stderr)',
    default: "AWS's",
    example: 'http://127.0.0.1:9229',
  },
  {
    name: 'SCRIBE_IDENTITY_ENDPOINT',
    meaning: 'identity pool endpoint override; same rules',
    default: "AWS's",
    example: 'http://127.0.0.1:9230',
  },
  {
    name: 'PROXY_HOST',
    meaning: 'proxy listener address',
    default: '`127.0.0.1`',
    example: '0.0.0.0',
  },
  {
    name: 'PROXY_PORT',
    meaning: 'proxy listener port',
    default: '`8080`',
    example: '8080',
  },
  {
    name: 'ADMIN_HOST',
    meaning: 'admin/health/metrics listener address',
    default: '`127.0.0.1`',
    example: '127.0.0.1',
  },
  {
    name: 'ADMIN_PORT',
    meaning: 'admin/health/metrics listener port',
    default: '`8081`',
    example: '8081',
  },
  {
    name: 'ADMIN_TOKEN',
    meaning:
      'bearer token for `/admin/*` (16+ characters, 8+ different, no whitespace inside; trimmed); unset = admin routes disabled',
    default: 'none',
    example: 'a-long-random-token-of-32-chars',
  },
  {
    name: 'PROXY_CLIENT_TOKEN',
    meaning:
      'when set, proxied requests must send `Authorization: Bearer <token>` (or `Proxy-Authorization`); 16+ characters',
    default: 'none',
    example: 'another-long-random-token-32-chars',
  },
  {
    name: 'ADMIN_TOKEN_FILE',
    meaning: '`ADMIN_TOKEN` read from this file, trimmed; not both forms',
    default: 'none',
    example: '/run/secrets/admin_token',
  },
  {
    name: 'PROXY_CLIENT_TOKEN_FILE',
    meaning: '`PROXY_CLIENT_TOKEN` read from this file, trimmed; not both forms',
    default: 'none',
    example: '/run/secrets/proxy_client_token',
  },
  {
    name: 'PROXY_ALLOWED_ORIGINS',
    meaning:
      'browser origins allowed to use the proxy (comma-separated); other origins and cross-site requests: 403 ([the proxy](proxy.md))',
    default: 'none',
    example: 'https://app.example.com',
  },
  {
    name: 'PROXY_ALLOWED_HOSTS',
    meaning:
      '`Host` names answered beyond loopback (comma-separated: compose or Service names); on other binds, when set, the only ones',
    default: 'none',
    example: 'scribe-proxy,scribe-proxy.default.svc',
  },
  {
    name: 'ADMIN_ALLOWED_HOSTS',
    meaning:
      '`Host` names the admin listener answers beyond loopback, whatever its bind (comma-separated: a Service name); other names get 403 from the console and `/admin/*`, and no detail from `/readyz`; `/healthz`, `/readyz` and `/metrics` answer any name (probes, scrapes)',
    default: 'none',
    example: 'scribe-proxy-admin,scribe-proxy-admin.default.svc',
  },
  {
    name: 'PROXY_SESSIONS',
    meaning:
      '`shared` (one account from this configuration) or `per-client` (each client sends its own login; see [per-client sessions](per-client.md))',
    default: '`shared`',
    example: 'per-client',
  },
  {
    name: 'PROXY_MAX_SESSIONS',
    meaning: 'per-client mode: most sessions held; the least recently used is evicted first',
    default: '`1000`',
    example: '1000',
  },
  {
    name: 'PROXY_SESSION_IDLE_S',
    meaning: 'per-client mode: evict a session unused this long',
    default: '`1800`',
    example: '1800',
  },
  {
    name: 'PROXY_MAX_BODY_BYTES',
    meaning: 'request body limit',
    default: '`10485760` (10 MiB)',
    example: '10485760',
  },
  {
    name: 'PROXY_MAX_BUFFERED_BYTES',
    meaning:
      'all request bodies held at once; a request whose body would pass it is refused before it is read: `503` `overloaded` with `Retry-After` (at least `PROXY_MAX_BODY_BYTES`)',
    default: '`268435456` (256 MiB)',
    example: '268435456',
  },
  {
    name: 'PROXY_MAX_CONNECTIONS',
    meaning:
      'open connections on the proxy listener; past it a plain-HTTP request is answered `503` `overloaded` and its connection closed (an HTTPS connection is closed at once)',
    default: '`1024`',
    example: '1024',
  },
  {
    name: 'ADMIN_MAX_CONNECTIONS',
    meaning: 'open connections on the admin listener, the same way',
    default: '`64`',
    example: '64',
  },
  {
    name: 'UPSTREAM_TIMEOUT_MS',
    meaning: "time allowed for the upstream's response headers",
    default: '`30000`',
    example: '30000',
  },
  {
    name: 'UPSTREAM_IDLE_TIMEOUT_MS',
    meaning:
      "longest silence from the upstream once its response started; then the client's stream is cut",
    default: '`60000`',
    example: '60000',
  },
  {
    name: 'SHUTDOWN_GRACE_S',
    meaning:
      'how long in-flight requests may finish after SIGTERM/SIGINT; what still runs then is cut',
    default: '`25`',
    example: '25',
  },
  {
    name: 'REFRESH_MARGIN_S',
    meaning: 'refresh this long before expiry',
    default: '`300`',
    example: '300',
  },
  {
    name: 'COGNITO_TIMEOUT_MS',
    meaning:
      'overall deadline of one Cognito call, connect to the last byte of the answer (see [under faults](faults.md))',
    default: '`10000`',
    example: '10000',
  },
  {
    name: 'LOG_LEVEL',
    meaning: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    default: '`info`',
    example: 'warn',
  },
  {
    name: 'LOG_FORMAT',
    meaning: '`json` (one JSON line per record) or `pretty` (human-readable, for a terminal)',
    default: '`json`',
    example: 'pretty',
  },
  {
    name: 'HTTPS_PROXY',
    meaning:
      'egress proxy for https targets (Cognito, the API), as curl reads it; `https_proxy` too',
    default: 'none',
    example: 'http://proxy.internal:3128',
  },
  {
    name: 'HTTP_PROXY',
    meaning: 'egress proxy for http targets; `http_proxy` too',
    default: 'none',
    example: 'http://proxy.internal:3128',
  },
  {
    name: 'NO_PROXY',
    meaning:
      'hosts reached directly: `*`, domains (with subdomains), IPs, IPv4 CIDRs, `host:port`; loopback is not exempt unless listed; `no_proxy` too',
    default: 'none',
    example: 'localhost,127.0.0.1,.internal',
  },
  {
    name: 'PROXY_TLS_CERT_FILE',
    meaning:
      'HTTPS on the proxy listener: certificate file (PEM, leaf first, then any chain); watched, and SIGHUP reloads ([TLS](tls.md))',
    default: 'none',
    example: '/etc/scribe-proxy/tls/tls.crt',
  },
  {
    name: 'PROXY_TLS_KEY_FILE',
    meaning: "the proxy listener's private key (PEM, unencrypted); both files or neither",
    default: 'none',
    example: '/etc/scribe-proxy/tls/tls.key',
  },
  {
    name: 'PROXY_TLS_CLIENT_CA_FILE',
    meaning: 'require client certificates signed by this CA on the proxy listener (mutual TLS)',
    default: 'none',
    example: '/etc/scribe-proxy/tls/clients-ca.crt',
  },
  {
    name: 'ADMIN_TLS_CERT_FILE',
    meaning:
      'HTTPS on the admin listener (health, readiness, metrics, admin API): certificate file',
    default: 'none',
    example: '/etc/scribe-proxy/admin-tls/tls.crt',
  },
  {
    name: 'ADMIN_TLS_KEY_FILE',
    meaning: "the admin listener's private key",
    default: 'none',
    example: '/etc/scribe-proxy/admin-tls/tls.key',
  },
  {
    name: 'ADMIN_TLS_CLIENT_CA_FILE',
    meaning: 'require client certificates signed by this CA on the admin listener',
    default: 'none',
    example: '/etc/scribe-proxy/admin-tls/clients-ca.crt',
  },
  {
    name: 'TLS_MIN_VERSION',
    meaning: 'lowest TLS version either listener accepts: `TLSv1.2` or `TLSv1.3`',
    default: '`TLSv1.2`',
    example: 'TLSv1.3',
  },
];
