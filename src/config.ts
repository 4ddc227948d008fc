import { parse as parseDotEnv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { readEgress } from './http/readEgress.js';
import { readBrowserGuard } from './configBrowserGuard.js';
import { readEndpoints } from './configEndpoints.js';
import { readLimits } from './configLimits.js';
import { readLogin } from './configLogin.js';
import { describeConfigProblems } from './configProblems.js';
import { ConfigReader } from './configReader.js';
import { readTls } from './configTls.js';
import { readUpstream } from './configUpstream.js';
import type { TlsFileSettings } from './tlsFiles.js';

// What the rest of the code imports from here; each lives in the file named for it.
export { checkEndpoint, endpointOverrides, isLoopback, sendsInClear } from './configEndpoints.js';
export { readSecretFile } from './configReader.js';
export { configVariables, secretFileVariables } from './configVariables.js';
export type { TlsFileSettings } from './tlsFiles.js';

/**
 * The configuration: read once from the environment, every problem found in one pass and
 * reported together (ConfigError), then one typed Config passed down. Nothing else reads env.
 * Each group of settings is read and checked in its own file: configUpstream.ts (the API and its
 * pools), configLogin.ts (accounts, secrets, tokens), configBrowserGuard.ts, configTls.ts,
 * configEndpoints.ts, configLimits.ts (bodies and connections); the typed reads of single
 * variables are configReader.ts.
 */

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

/** The levels LOG_LEVEL may name (pino's, and silent for none). */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** All configuration problems, reported together. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(describeConfigProblems(problems));
    this.name = 'ConfigError';
  }
}

/**
 * The environment with a `.env` file under it: variables already set win over the file, as
 * dotenv does. A missing file is fine.
 */
export function environmentWithDotEnv(
  env: NodeJS.ProcessEnv = process.env,
  path = '.env',
): NodeJS.ProcessEnv {
  if (!existsSync(path)) return env;
  return { ...dotEnvFile(path), ...env };
}

/** The variables a `.env` file sets (none when there is no file), before the environment's. */
export function dotEnvFile(path = '.env'): Record<string, string> {
  return existsSync(path) ? parseDotEnv(readFileSync(path)) : {};
}

/** Read and validate the configuration from `env`; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const read = new ConfigReader(env);
  // The groups are read in this order, so the problems are listed in it.
  const upstream = readUpstream(read);
  const login = readLogin(read);
  const browserGuard = readBrowserGuard(read);
  const logLevel = read.oneOf('LOG_LEVEL', logLevels, 'info');
  const logFormat = read.oneOf('LOG_FORMAT', ['json', 'pretty'], 'json');
  // The egress proxy variables, as curl reads them; the CLI reads them with the same reader.
  const { egress, problems: egressProblems } = readEgress(env);
  egressProblems.forEach((problem) => read.problem(problem));
  const tls = readTls(read);
  const endpoints = readEndpoints(read);
  const limits = readLimits(read);
  const config: Config = {
    ...upstream,
    ...login,
    ...browserGuard,
    ...endpoints,
    ...tls,
    ...limits,
    proxyHost: read.host('PROXY_HOST'),
    proxyPort: read.integer('PROXY_PORT', 8080, 0, 65535),
    adminHost: read.host('ADMIN_HOST'),
    adminPort: read.integer('ADMIN_PORT', 8081, 0, 65535),
    maxSessions: read.integer('PROXY_MAX_SESSIONS', 1000, 1, 1_000_000),
    sessionIdleS: read.integer('PROXY_SESSION_IDLE_S', 1800, 1, 604_800),
    upstreamTimeoutMs: read.integer('UPSTREAM_TIMEOUT_MS', 30_000, 1, 3_600_000),
    upstreamIdleTimeoutMs: read.integer('UPSTREAM_IDLE_TIMEOUT_MS', 60_000, 1, 3_600_000),
    shutdownGraceS: read.integer('SHUTDOWN_GRACE_S', 25, 0, 3_600),
    refreshMarginS: read.integer('REFRESH_MARGIN_S', 300, 0, 86_400),
    cognitoTimeoutMs: read.integer('COGNITO_TIMEOUT_MS', 10_000, 1, 600_000),
    logLevel: logLevel ?? 'info',
    logFormat: logFormat ?? 'json',
    httpsProxy: egress.httpsProxy,
    httpProxy: egress.httpProxy,
    noProxy: egress.noProxy,
  };
  if (
    config.proxyPort !== 0 &&
    config.proxyPort === config.adminPort &&
    config.proxyHost === config.adminHost
  ) {
    read.problem('invalid setting: PROXY_PORT and ADMIN_PORT must differ');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
