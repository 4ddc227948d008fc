/**
 * The names the configuration reads: the one list docs, `.env.example` and `check` are held to,
 * and which secrets may come from a file instead.
 */

/** The settings of one account (shared mode); per-client mode refuses them: each client logs in. */
export const sharedAccountVariables = [
  'SCRIBE_USERNAME',
  'SCRIBE_PASSWORD',
  'SCRIBE_PASSWORD_FILE',
  'SCRIBE_REFRESH_TOKEN',
  'SCRIBE_REFRESH_TOKEN_FILE',
  'SCRIBE_MFA_SECRET',
  'SCRIBE_MFA_SECRET_FILE',
  'SCRIBE_SESSION_FILE',
] as const;

/** Every variable the configuration reads, in the README's order. */
export const configVariables = [
  'SCRIBE_API_URL',
  'SCRIBE_API_PLAIN_HTTP_HOST',
  'SCRIBE_AUTH_MODE',
  'SCRIBE_REGION',
  'SCRIBE_CLIENT_ID',
  'SCRIBE_USER_POOL_ID',
  'SCRIBE_IDENTITY_POOL_ID',
  'SCRIBE_CLIENT_SECRET',
  'SCRIBE_CLIENT_SECRET_FILE',
  ...sharedAccountVariables,
  'SCRIBE_COGNITO_ENDPOINT',
  'SCRIBE_IDENTITY_ENDPOINT',
  'PROXY_HOST',
  'PROXY_PORT',
  'ADMIN_HOST',
  'ADMIN_PORT',
  'ADMIN_TOKEN',
  'ADMIN_TOKEN_FILE',
  'PROXY_CLIENT_TOKEN',
  'PROXY_CLIENT_TOKEN_FILE',
  'PROXY_ALLOWED_ORIGINS',
  'PROXY_ALLOWED_HOSTS',
  'ADMIN_ALLOWED_HOSTS',
  'PROXY_SESSIONS',
  'PROXY_MAX_SESSIONS',
  'PROXY_SESSION_IDLE_S',
  'PROXY_MAX_BODY_BYTES',
  'PROXY_MAX_BUFFERED_BYTES',
  'PROXY_MAX_CONNECTIONS',
  'ADMIN_MAX_CONNECTIONS',
  'UPSTREAM_TIMEOUT_MS',
  'UPSTREAM_IDLE_TIMEOUT_MS',
  'SHUTDOWN_GRACE_S',
  'REFRESH_MARGIN_S',
  'COGNITO_TIMEOUT_MS',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'PROXY_TLS_CERT_FILE',
  'PROXY_TLS_KEY_FILE',
  'PROXY_TLS_CLIENT_CA_FILE',
  'ADMIN_TLS_CERT_FILE',
  'ADMIN_TLS_KEY_FILE',
  'ADMIN_TLS_CLIENT_CA_FILE',
  'TLS_MIN_VERSION',
] as const;

export type Variable = (typeof configVariables)[number];

/** Every secret setting and the variable naming a file that holds it (Kubernetes/Docker secrets). */
export const secretFileVariables = {
  SCRIBE_PASSWORD: 'SCRIBE_PASSWORD_FILE',
  SCRIBE_CLIENT_SECRET: 'SCRIBE_CLIENT_SECRET_FILE',
  SCRIBE_REFRESH_TOKEN: 'SCRIBE_REFRESH_TOKEN_FILE',
  SCRIBE_MFA_SECRET: 'SCRIBE_MFA_SECRET_FILE',
  ADMIN_TOKEN: 'ADMIN_TOKEN_FILE',
  PROXY_CLIENT_TOKEN: 'PROXY_CLIENT_TOKEN_FILE',
} as const satisfies Partial<Record<Variable, Variable>>;

export type SecretVariable = keyof typeof secretFileVariables;
