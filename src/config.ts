import { parse as parseDotEnv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { readTlsFiles, TlsFileError, type TlsFileSettings } from './tlsFiles.js';

export type { TlsFileSettings } from './tlsFiles.js';
import { describeConfigProblems } from './configProblems.js';
import { readEgress } from './http/egress.js';

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
  /** Browser origins allowed to use the proxy (PROXY_ALLOWED_ORIGINS); others are refused. */
  allowedOrigins: string[];
  /** Host names the proxy answers to beyond loopback (PROXY_ALLOWED_HOSTS). */
  allowedHosts: string[];
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

/** Every variable the configuration reads, in the README's order. */
export const configVariables = [
  'SCRIBE_API_URL',
  'SCRIBE_AUTH_MODE',
  'SCRIBE_REGION',
  'SCRIBE_CLIENT_ID',
  'SCRIBE_USER_POOL_ID',
  'SCRIBE_IDENTITY_POOL_ID',
  'SCRIBE_CLIENT_SECRET',
  'SCRIBE_CLIENT_SECRET_FILE',
  'SCRIBE_USERNAME',
  'SCRIBE_PASSWORD',
  'SCRIBE_PASSWORD_FILE',
  'SCRIBE_REFRESH_TOKEN',
  'SCRIBE_REFRESH_TOKEN_FILE',
  'SCRIBE_MFA_SECRET',
  'SCRIBE_MFA_SECRET_FILE',
  'SCRIBE_SESSION_FILE',
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

type Variable = (typeof configVariables)[number];

/** Every secret setting and the variable naming a file that holds it (Kubernetes/Docker secrets). */
export const secretFileVariables = {
  SCRIBE_PASSWORD: 'SCRIBE_PASSWORD_FILE',
  SCRIBE_CLIENT_SECRET: 'SCRIBE_CLIENT_SECRET_FILE',
  SCRIBE_REFRESH_TOKEN: 'SCRIBE_REFRESH_TOKEN_FILE',
  SCRIBE_MFA_SECRET: 'SCRIBE_MFA_SECRET_FILE',
  ADMIN_TOKEN: 'ADMIN_TOKEN_FILE',
  PROXY_CLIENT_TOKEN: 'PROXY_CLIENT_TOKEN_FILE',
} as const satisfies Partial<Record<Variable, Variable>>;

type SecretVariable = keyof typeof secretFileVariables;

/**
 * A secret read from a file, as Kubernetes and Docker hand secrets out: the trailing newline an
 * editor or `echo` adds is not part of it. Throws with the errno code when it cannot be read.
 */
export function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}

/** All configuration problems, reported together. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(describeConfigProblems(problems));
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
  // A secret from its variable or from the file its *_FILE variable names; never both.
  const secret = (name: SecretVariable): string | undefined => {
    const fileVariable = secretFileVariables[name];
    const path = env[fileVariable]?.trim();
    if (!path) return env[name] || undefined;
    if (env[name]) {
      problems.push(`invalid setting: set ${name} or ${fileVariable}, not both`);
      return undefined;
    }
    try {
      return readSecretFile(path) || undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`invalid setting: ${fileVariable} names a file that cannot be read (${code})`);
      return undefined;
    }
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
  // A bearer token is compared byte for byte: whitespace around it (the newline `kubectl create
  // secret --from-file` keeps) is trimmed, whitespace inside it or too little variety refused.
  const token = (name: SecretVariable, raw: string | undefined): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    const value = raw.trim();
    const problem = tokenProblem(value);
    // A token from a file is named with the variable that gave it, not as if set directly.
    const fileVariable = secretFileVariables[name];
    const from = env[fileVariable]?.trim() ? ` (read from the file ${fileVariable} names)` : '';
    if (problem) problems.push(`invalid setting: ${name}${from} ${problem}`);
    return value || undefined;
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
  const password = secret('SCRIBE_PASSWORD');
  const refreshToken = secret('SCRIBE_REFRESH_TOKEN')?.trim() || undefined;
  const sessionFile = text('SCRIBE_SESSION_FILE');
  const adminToken = token('ADMIN_TOKEN', secret('ADMIN_TOKEN'));
  const clientSecret = secret('SCRIBE_CLIENT_SECRET');
  const mfaSecret = secret('SCRIBE_MFA_SECRET')?.trim() || undefined;
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
      'SCRIBE_PASSWORD_FILE',
      'SCRIBE_REFRESH_TOKEN',
      'SCRIBE_REFRESH_TOKEN_FILE',
      'SCRIBE_MFA_SECRET',
      'SCRIBE_MFA_SECRET_FILE',
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
  const proxyClientToken = token('PROXY_CLIENT_TOKEN', secret('PROXY_CLIENT_TOKEN'));
  const list = (name: Variable) =>
    (text(name) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const allowedOrigins = list('PROXY_ALLOWED_ORIGINS');
  for (const origin of allowedOrigins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      problems.push(
        `invalid setting: PROXY_ALLOWED_ORIGINS entry ${origin} must be an origin like https://app.example (scheme, host, port if not the default; lower case, no path)`,
      );
    }
  }
  const allowedHosts = list('PROXY_ALLOWED_HOSTS').map((h) => h.toLowerCase());
  for (const entry of allowedHosts) {
    if (!/^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(entry)) {
      problems.push(
        `invalid setting: PROXY_ALLOWED_HOSTS entry ${entry} must be a host name or address, optionally with :port`,
      );
    }
  }
  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(logLevel)) {
    problems.push(`invalid setting: LOG_LEVEL must be one of ${logLevels.join(', ')}`);
  }
  const logFormat = text('LOG_FORMAT') ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'pretty') {
    problems.push('invalid setting: LOG_FORMAT must be json or pretty');
  }
  // The egress proxy variables, as curl reads them; the CLI reads them with the same reader.
  const { egress, problems: egressProblems } = readEgress(env);
  problems.push(...egressProblems);
  const tlsFiles = (
    cert: Variable,
    key: Variable,
    clientCa: Variable,
  ): TlsFileSettings | undefined => {
    const [certFile, keyFile, clientCaFile] = [text(cert), text(key), text(clientCa)];
    if (!certFile && !keyFile) {
      if (clientCaFile) problems.push(`invalid setting: ${clientCa} needs ${cert} and ${key}`);
      return undefined;
    }
    if (!certFile || !keyFile) {
      problems.push(`missing setting: ${certFile ? key : cert} (${certFile ? cert : key} is set)`);
      return undefined;
    }
    const settings = { certFile, keyFile, clientCaFile, names: { cert, key, clientCa } };
    try {
      readTlsFiles(settings);
    } catch (err) {
      if (!(err instanceof TlsFileError)) throw err;
      problems.push(`invalid setting: ${err.message}`);
    }
    return settings;
  };
  const proxyTls = tlsFiles(
    'PROXY_TLS_CERT_FILE',
    'PROXY_TLS_KEY_FILE',
    'PROXY_TLS_CLIENT_CA_FILE',
  );
  const adminTls = tlsFiles(
    'ADMIN_TLS_CERT_FILE',
    'ADMIN_TLS_KEY_FILE',
    'ADMIN_TLS_CLIENT_CA_FILE',
  );
  const tlsMinVersion = text('TLS_MIN_VERSION') ?? 'TLSv1.2';
  if (tlsMinVersion !== 'TLSv1.2' && tlsMinVersion !== 'TLSv1.3') {
    problems.push('invalid setting: TLS_MIN_VERSION must be TLSv1.2 or TLSv1.3');
  }
  // An endpoint override receives the password: https, or plain http only to this machine.
  const endpoint = (name: 'SCRIBE_COGNITO_ENDPOINT' | 'SCRIBE_IDENTITY_ENDPOINT') => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const checked = checkEndpoint(name, raw);
    if (checked.problem) problems.push(checked.problem);
    return checked.url;
  };
  const cognitoEndpoint = endpoint('SCRIBE_COGNITO_ENDPOINT');
  const identityEndpoint = endpoint('SCRIBE_IDENTITY_ENDPOINT');
  const config: Config = {
    apiUrl: apiUrl ?? new URL('https://mi.scribelabs.ai/v1'),
    authMode: mode === 'bearer' ? 'bearer' : 'sigv4',
    region,
    clientId,
    userPoolId,
    identityPoolId,
    clientSecret,
    username,
    password,
    refreshToken,
    mfaSecret,
    sessionFile,
    cognitoEndpoint,
    identityEndpoint,
    proxyHost: host('PROXY_HOST'),
    proxyPort: integer('PROXY_PORT', 8080, 0, 65535),
    adminHost: host('ADMIN_HOST'),
    adminPort: integer('ADMIN_PORT', 8081, 0, 65535),
    adminToken,
    proxyClientToken,
    allowedOrigins,
    allowedHosts,
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
    logFormat: logFormat === 'pretty' ? 'pretty' : 'json',
    httpsProxy: egress.httpsProxy,
    httpProxy: egress.httpProxy,
    noProxy: egress.noProxy,
    proxyTls,
    adminTls,
    tlsMinVersion: tlsMinVersion === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2',
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

/**
 * An endpoint override checked: an http(s) URL without query or credentials, https unless its
 * host is a loopback address (the sandbox, tests). The URL comes back without a trailing slash.
 */
export function checkEndpoint(name: string, raw: string): { url?: string; problem?: string } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { problem: `invalid setting: ${name} must be an https URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { problem: `invalid setting: ${name} must be an https URL` };
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    return { problem: `invalid setting: ${name} must be a URL without query or credentials` };
  }
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname.replace(/^\[|\]$/g, ''))) {
    return {
      problem: `invalid setting: ${name} must be https (plain http only to a loopback address: it receives passwords and tokens)`,
    };
  }
  return { url: parsed.toString().replace(/\/$/, '') };
}

/** The endpoint overrides in force, as `NAME=url` (said at start: a .env may have set them). */
export function endpointOverrides(
  config: Pick<Config, 'cognitoEndpoint' | 'identityEndpoint'>,
): string[] {
  return [
    ...(config.cognitoEndpoint ? [`SCRIBE_COGNITO_ENDPOINT=${config.cognitoEndpoint}`] : []),
    ...(config.identityEndpoint ? [`SCRIBE_IDENTITY_ENDPOINT=${config.identityEndpoint}`] : []),
  ];
}

/** Fewest different characters a bearer token may have: `aaaaaaaaaaaaaaaa` is not a secret. */
const tokenVariety = 8;

/** What is wrong with a (trimmed) bearer token, or undefined when it will do. */
function tokenProblem(value: string): string | undefined {
  if (!value) return 'is only whitespace';
  if (/\s/.test(value)) return 'must not contain whitespace';
  if (value.length < 16) return 'must be at least 16 characters';
  if (new Set(value).size < tokenVariety) {
    return `must have at least ${tokenVariety} different characters (use a random one: openssl rand -base64 24)`;
  }
  return undefined;
}

/** True when a host binds only the loopback interface. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
