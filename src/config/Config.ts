import type { TlsFileSettings } from './tlsFiles.js';

/** Everything scribe-proxy is configured with, validated once at start. */
export interface Config {
  apiUrl: URL;
  /** SCRIBE_API_PLAIN_HTTP_HOST: the one host beyond loopback the API may be plain http on. */
  apiPlainHttpHost: string | undefined;
  authMode: 'sigv4' | 'bearer';
  region: string;
  clientId: string;
  userPoolId: string;
  identityPoolId: string | undefined;
  clientSecret: string | undefined;
  username: string | undefined;
  password: string | undefined;
  refreshToken: string | undefined;
  mfaSecret: string | undefined;
  sessionFile: string | undefined;
  cognitoEndpoint: string | undefined;
  identityEndpoint: string | undefined;
  proxyHost: string;
  proxyPort: number;
  adminHost: string;
  adminPort: number;
  adminToken: string | undefined;
  proxyClientToken: string | undefined;
  /** Browser origins allowed to use the proxy (PROXY_ALLOWED_ORIGINS); others are refused. */
  allowedOrigins: string[];
  /** Host names the proxy answers to beyond loopback (PROXY_ALLOWED_HOSTS). */
  allowedHosts: string[];
  /** ADMIN_ALLOWED_HOSTS: Host names the admin listener answers beyond loopback, whatever the bind. */
  adminAllowedHosts: string[];
  /** One account from this configuration, or one per client (its own Basic login). */
  sessions: 'shared' | 'per-client';
  /** Per-client mode: most sessions held. */
  maxSessions: number;
  /** Per-client mode: a session unused this long is evicted. */
  sessionIdleS: number;
  /** The largest request body (PROXY_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** All request bodies held at once (PROXY_MAX_BUFFERED_BYTES). */
  maxBufferedBytes: number;
  /** Open connections on the proxy listener (PROXY_MAX_CONNECTIONS). */
  proxyMaxConnections: number;
  /** Open connections on the admin listener (ADMIN_MAX_CONNECTIONS). */
  adminMaxConnections: number;
  upstreamTimeoutMs: number;
  upstreamIdleTimeoutMs: number;
  shutdownGraceS: number;
  refreshMarginS: number;
  /** Overall deadline of one Cognito call: connect to the last byte of the answer. */
  cognitoTimeoutMs: number;
  logLevel: string;
  /** JSON lines (default), or pretty: human-readable, for a terminal. */
  logFormat: 'json' | 'pretty';
  /** The egress proxy for https targets (HTTPS_PROXY or https_proxy), as curl reads it. */
  httpsProxy: string | undefined;
  /** The egress proxy for http targets (HTTP_PROXY or http_proxy). */
  httpProxy: string | undefined;
  /** Hosts reached directly (NO_PROXY or no_proxy). */
  noProxy: string | undefined;
  /** HTTPS on the proxy listener (PROXY_TLS_*), checked at start; undefined = plain HTTP. */
  proxyTls: TlsFileSettings | undefined;
  /** HTTPS on the admin listener (ADMIN_TLS_*); undefined = plain HTTP. */
  adminTls: TlsFileSettings | undefined;
  /** The lowest TLS version either listener accepts. */
  tlsMinVersion: 'TLSv1.2' | 'TLSv1.3';
}
