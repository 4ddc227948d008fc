import { parse as parseDotEnv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { readEgress } from '../http/readEgress.js';
import { readBrowserGuard } from './browserGuard.js';
import { readEndpoints } from './endpoints.js';
import { readLimits } from './limits.js';
import { readLogin } from './login.js';
import { describeConfigProblems } from './problems.js';
import { ConfigReader } from './ConfigReader.js';
import type { Config } from './Config.js';
import { readTls } from './tls.js';
import { readUpstream } from './upstream.js';

/**
 * The configuration: read once from the environment, every problem found in one pass and
 * reported together (ConfigError), then one typed Config passed down. Nothing else reads env.
 * Each group of settings is read and checked in its own file of this room: upstream.ts (the API
 * and its pools), login.ts (accounts, secrets, tokens), browserGuard.ts, tls.ts, endpoints.ts,
 * limits.ts (bodies and connections); the typed reads of single variables are ConfigReader.ts,
 * the Config type is Config.ts.
 */

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
