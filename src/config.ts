import { parse as parseDotEnv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';

/** Everything scribe-proxy is configured with, validated once at start. */
export interface Config {
  apiUrl: URL;
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
  /** One account from this configuration, or one per client (its own Basic login). */
  sessions: 'shared' | 'per-client';
  /** Per-client mode: most sessions held. */
  maxSessions: number;
  /** Per-client mode: a session unused this long is evicted. */
  sessionIdleS: number;
  maxBodyBytes: number;
  upstreamTimeoutMs: number;
  upstreamIdleTimeoutMs: number;
  shutdownGraceS: number;
  refreshMarginS: number;
  /** Overall deadline of one Cognito call: connect to the last byte of the answer. */
  cognitoTimeoutMs: number;
  logLevel: string;
  /** The egress proxy for https targets (HTTPS_PROXY or https_proxy), as curl reads it. */
  httpsProxy: string | undefined;
  /** The egress proxy for http targets (HTTP_PROXY or http_proxy). */
  httpProxy: string | undefined;
  /** Hosts reached directly (NO_PROXY or no_proxy). */
  noProxy: string | undefined;
}

/** Every variable the configuration reads, in the README's order. */
export const configVariables = [
  'SCRIBE_API_URL',
  'SCRIBE_AUTH_MODE',
  'SCRIBE_REGION',
  'SCRIBE_CLIENT_ID',
  'SCRIBE_USER_POOL_ID',
  'SCRIBE_IDENTITY_POOL_ID',
  'SCRIBE_CLIENT_SECRET',
  'SCRIBE_USERNAME',
  'SCRIBE_PASSWORD',
  'SCRIBE_REFRESH_TOKEN',
  'SCRIBE_MFA_SECRET',
  'SCRIBE_SESSION_FILE',
  'SCRIBE_COGNITO_ENDPOINT',
  'SCRIBE_IDENTITY_ENDPOINT',
  'PROXY_HOST',
  'PROXY_PORT',
  'ADMIN_HOST',
  'ADMIN_PORT',
  'ADMIN_TOKEN',
  'PROXY_CLIENT_TOKEN',
  'PROXY_SESSIONS',
  'PROXY_MAX_SESSIONS',
  'PROXY_SESSION_IDLE_S',
  'PROXY_MAX_BODY_BYTES',
  'UPSTREAM_TIMEOUT_MS',
  'UPSTREAM_IDLE_TIMEOUT_MS',
  'SHUTDOWN_GRACE_S',
  'REFRESH_MARGIN_S',
  'COGNITO_TIMEOUT_MS',
  'LOG_LEVEL',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
] as const;

type Variable = (typeof configVariables)[number];

/** All configuration problems, reported together. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The environment with a `.env` file under it: variables already set win over the file, as
 * dotenv does. A missing file is fine.
 */
export function environmentWithDotEnv(
  env: NodeJS.ProcessEnv = process.env,
  path = '.env',
): NodeJS.ProcessEnv {
  if (!existsSync(path)) return env;
  return { ...parseDotEnv(readFileSync(path)), ...env };
}

/** Read and validate the configuration from `env`; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const text = (name: Variable): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const required = (name: Variable): string => {
    const value = text(name);
    if (!value) problems.push(`missing setting: ${name}`);
    return value ?? '';
  };
  const integer = (name: Variable, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`invalid setting: ${name} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const url = (name: Variable, fallback?: string): URL | undefined => {
    const raw = text(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      if (parsed.search || parsed.hash || parsed.username || parsed.password)
        throw new Error('extra');
      return parsed;
    } catch {
      problems.push(`invalid setting: ${name} must be an http(s) URL without query or credentials`);
      return undefined;
    }
  };
  const host = (name: Variable): string => {
    const value = text(name) ?? '127.0.0.1';
    if (!isIP(value) && !/^[a-zA-Z0-9.-]+$/.test(value)) {
      problems.push(`invalid setting: ${name} must be an IP address or host name`);
    }
    return value;
  };

  const apiUrl = url('SCRIBE_API_URL', 'https://mi.scribelabs.ai/v1');
  const mode = text('SCRIBE_AUTH_MODE') ?? 'sigv4';
  if (mode !== 'sigv4' && mode !== 'bearer') {
    problems.push('invalid setting: SCRIBE_AUTH_MODE must be sigv4 or bearer');
  }
  const region = text('SCRIBE_REGION') ?? 'eu-west-2';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    problems.push('invalid setting: SCRIBE_REGION must look like eu-west-2');
  }
  const clientId = required('SCRIBE_CLIENT_ID');
  const userPoolId = required('SCRIBE_USER_POOL_ID');
  const identityPoolId = text('SCRIBE_IDENTITY_POOL_ID');
  if (mode === 'sigv4' && !identityPoolId) {
    problems.push('missing setting: SCRIBE_IDENTITY_POOL_ID (needed in sigv4 mode)');
  }
  // A pool id starts with its region (eu-west-2_abc, eu-west-2:uuid): a mismatch would only fail
  // later, at the first login, with a confusing error.
  for (const [name, id, separator] of [
    ['SCRIBE_USER_POOL_ID', userPoolId, '_'],
    ['SCRIBE_IDENTITY_POOL_ID', identityPoolId, ':'],
  ] as const) {
    const poolRegion = id?.includes(separator) ? id.slice(0, id.indexOf(separator)) : undefined;
    if (poolRegion && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(poolRegion) && poolRegion !== region) {
      problems.push(
        `invalid setting: ${name} is in ${poolRegion} but SCRIBE_REGION is ${region} (set SCRIBE_REGION=${poolRegion})`,
      );
    }
  }
  const username = text('SCRIBE_USERNAME');
  const password = env['SCRIBE_PASSWORD'] || undefined;
  const refreshToken = text('SCRIBE_REFRESH_TOKEN');
  const sessionFile = text('SCRIBE_SESSION_FILE');
  const adminToken = env['ADMIN_TOKEN'] || undefined;
  const sessions = text('PROXY_SESSIONS') ?? 'shared';
  if (sessions !== 'shared' && sessions !== 'per-client') {
    problems.push('invalid setting: PROXY_SESSIONS must be shared or per-client');
  }
  const perClient = sessions === 'per-client';
  if (perClient) {
    // Each client brings its own login: one account's settings would silently go unused.
    for (const name of [
      'SCRIBE_USERNAME',
      'SCRIBE_PASSWORD',
      'SCRIBE_REFRESH_TOKEN',
      'SCRIBE_MFA_SECRET',
      'SCRIBE_SESSION_FILE',
    ] as const) {
      if (env[name]) {
        problems.push(
          `invalid setting: ${name} is for PROXY_SESSIONS=shared (in per-client mode each client sends its own login)`,
        );
      }
    }
  }
  if (password && !username && !perClient)
    problems.push('missing setting: SCRIBE_USERNAME (SCRIBE_PASSWORD is set)');
  if (!perClient && !refreshToken && !(username && password) && !sessionFile && !adminToken) {
    problems.push(
      'no login source: set SCRIBE_USERNAME and SCRIBE_PASSWORD, or SCRIBE_REFRESH_TOKEN, ' +
        'or SCRIBE_SESSION_FILE, or ADMIN_TOKEN to log in through the admin API',
    );
  }
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push('invalid setting: ADMIN_TOKEN must be at least 16 characters');
  }
  const proxyClientToken = env['PROXY_CLIENT_TOKEN'] || undefined;
  if (proxyClientToken !== undefined && proxyClientToken.length < 16) {
    problems.push('invalid setting: PROXY_CLIENT_TOKEN must be at least 16 characters');
  }
  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(logLevel)) {
    problems.push(`invalid setting: LOG_LEVEL must be one of ${logLevels.join(', ')}`);
  }
  // The egress proxy variables, lower-case spelling first, as curl reads them.
  const egress = (name: 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY'): string | undefined =>
    env[name.toLowerCase()]?.trim() || text(name);
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY'] as const) {
    const value = egress(name);
    if (value === undefined) continue;
    try {
      const parsed = new URL(value.includes('://') ? value : `http://${value}`);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    } catch {
      problems.push(`invalid setting: ${name} must be an http(s) proxy URL or host:port`);
    }
  }
  const cognitoEndpoint = url('SCRIBE_COGNITO_ENDPOINT')?.toString();
  const identityEndpoint = url('SCRIBE_IDENTITY_ENDPOINT')?.toString();
  const config: Config = {
    apiUrl: apiUrl ?? new URL('https://mi.scribelabs.ai/v1'),
    authMode: mode === 'bearer' ? 'bearer' : 'sigv4',
    region,
    clientId,
    userPoolId,
    identityPoolId,
    clientSecret: env['SCRIBE_CLIENT_SECRET'] || undefined,
    username,
    password,
    refreshToken,
    mfaSecret: text('SCRIBE_MFA_SECRET'),
    sessionFile,
    cognitoEndpoint: cognitoEndpoint?.replace(/\/$/, ''),
    identityEndpoint: identityEndpoint?.replace(/\/$/, ''),
    proxyHost: host('PROXY_HOST'),
    proxyPort: integer('PROXY_PORT', 8080, 0, 65535),
    adminHost: host('ADMIN_HOST'),
    adminPort: integer('ADMIN_PORT', 8081, 0, 65535),
    adminToken,
    proxyClientToken,
    sessions: perClient ? 'per-client' : 'shared',
    maxSessions: integer('PROXY_MAX_SESSIONS', 1000, 1, 1_000_000),
    sessionIdleS: integer('PROXY_SESSION_IDLE_S', 1800, 1, 604_800),
    maxBodyBytes: integer('PROXY_MAX_BODY_BYTES', 10 * 1024 * 1024, 0, 1024 * 1024 * 1024),
    upstreamTimeoutMs: integer('UPSTREAM_TIMEOUT_MS', 30_000, 1, 3_600_000),
    upstreamIdleTimeoutMs: integer('UPSTREAM_IDLE_TIMEOUT_MS', 60_000, 1, 3_600_000),
    shutdownGraceS: integer('SHUTDOWN_GRACE_S', 25, 0, 3_600),
    refreshMarginS: integer('REFRESH_MARGIN_S', 300, 0, 86_400),
    cognitoTimeoutMs: integer('COGNITO_TIMEOUT_MS', 10_000, 1, 600_000),
    logLevel,
    httpsProxy: egress('HTTPS_PROXY'),
    httpProxy: egress('HTTP_PROXY'),
    noProxy: egress('NO_PROXY'),
  };
  if (
    config.proxyPort !== 0 &&
    config.proxyPort === config.adminPort &&
    config.proxyHost === config.adminHost
  ) {
    problems.push('invalid setting: PROXY_PORT and ADMIN_PORT must differ');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** True when a host binds only the loopback interface. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
