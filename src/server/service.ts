import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScribeAuth } from '../auth/index.js';
import { isLoopback, type Config } from '../config.js';
import {
  createLogger,
  createMetrics,
  redactText,
  type Logger,
  type Metrics,
} from '../observability/index.js';
import {
  bearerAuthorizer,
  createProxyHandler,
  sigv4Authorizer,
  upstreamAgent,
} from '../proxy/index.js';
import { adminRouter } from '../admin/index.js';
import { deleteSessionFile, readSessionFile, Session, writeSessionFile } from '../session/index.js';
import { createAdminApp } from './adminApp.js';
import { healthRoutes } from './healthRoutes.js';
import { createHardenedServer } from './hardenedServer.js';

/** The running proxy: both listeners, the session, and a way to stop gracefully. */
export interface Service {
  proxy: Server;
  admin: Server;
  session: Session;
  auth: ScribeAuth;
  metrics: Metrics;
  logger: Logger;
  proxyUrl: string;
  adminUrl: string;
  /** Stop accepting, let in-flight requests finish within `graceMs`, then close everything. */
  close(graceMs?: number): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  /** Override the admin password routes' rate limit (tests). */
  passwordRateLimit?: { limit: number; windowMs: number };
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

/** Compose and start the proxy and admin listeners around one session. */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const secrets = [
    config.password,
    config.refreshToken,
    config.clientSecret,
    config.mfaSecret,
    config.adminToken,
    config.proxyClientToken,
  ];
  const metrics = createMetrics();
  const auth = new ScribeAuth({
    clientId: config.clientId,
    userPoolId: config.userPoolId,
    identityPoolId: config.identityPoolId,
    region: config.region,
    clientSecret: config.clientSecret,
    endpoints: {
      cognitoIdentityProvider: config.cognitoEndpoint,
      cognitoIdentity: config.identityEndpoint,
    },
  });
  // The session file, when there is one, holds the newest refresh token the proxy saw.
  const saved = config.sessionFile ? await readSessionFile(config.sessionFile) : undefined;
  const sessionFile = config.sessionFile;
  const session: Session = new Session({
    auth,
    mode: config.authMode,
    username: config.username ?? saved?.username,
    password: config.password,
    refreshToken: saved?.refreshToken ?? config.refreshToken,
    onRefreshToken: sessionFile
      ? (refreshToken) =>
          refreshToken
            ? writeSessionFile(sessionFile, { refreshToken, username: session.status().username })
            : deleteSessionFile(sessionFile)
      : undefined,
    mfaSecret: config.mfaSecret,
    refreshMarginS: config.refreshMarginS,
    logger,
    onRefresh: (kind, outcome) => metrics.refreshes.inc({ kind, outcome }),
  });
  metrics.setExpirySource(() => session.secondsUntilExpiry());

  const agent = upstreamAgent(config.apiUrl);
  const authorizer =
    config.authMode === 'sigv4'
      ? sigv4Authorizer(session, config.apiUrl, config.region)
      : bearerAuthorizer(session);
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const handle = createProxyHandler({
    upstream: {
      url: config.apiUrl,
      timeoutMs: config.upstreamTimeoutMs,
      agent,
      observeLatency: (seconds, status) =>
        metrics.upstreamLatency.observe({ status: String(status) }, seconds),
    },
    authorizer,
    maxBodyBytes: config.maxBodyBytes,
    clientToken: config.proxyClientToken,
    onDone: (record) => {
      metrics.requests.inc({ status: String(record.status) });
      const line = record.error ? { ...record, error: redactText(record.error, secrets) } : record;
      logger.info(line, 'request');
    },
  });
  const proxy = createHardenedServer((req, res) => {
    inFlight++;
    void handle(req, res).finally(() => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  const admin = createAdminApp(
    healthRoutes(session, metrics),
    config.adminToken
      ? adminRouter({
          session,
          adminToken: config.adminToken,
          passwordRateLimit: options.passwordRateLimit,
          onAction: (action, outcome, detail) =>
            logger.info(
              { event: 'admin', action, outcome, ...(detail ? { detail } : {}) },
              `admin ${action} ${outcome}`,
            ),
        })
      : undefined,
  );
  const adminServer = createHardenedServer((req, res) => admin(req, res));

  const proxyUrl = await listen(proxy, config.proxyHost, config.proxyPort);
  const adminUrl = await listen(adminServer, config.adminHost, config.adminPort);
  logger.info(
    {
      event: 'listening',
      proxy: proxyUrl,
      admin: adminUrl,
      upstream: config.apiUrl.origin,
      mode: config.authMode,
    },
    'scribe-proxy listening',
  );
  if (!isLoopback(config.proxyHost) && !config.proxyClientToken) {
    logger.warn(
      { event: 'open-bind' },
      `the proxy listens on ${config.proxyHost} without PROXY_CLIENT_TOKEN: anyone who can reach it can use your Scribe account`,
    );
  }
  if (!config.adminToken) {
    logger.info(
      { event: 'admin-disabled' },
      'admin routes are disabled (set ADMIN_TOKEN to enable them)',
    );
  }
  await session.start();
  logger.info({ event: 'session', ...session.status() }, `session ${session.state}`);

  const close = async (graceMs = 10_000): Promise<void> => {
    session.stop();
    const closed = Promise.all([
      new Promise<void>((resolve) => proxy.close(() => resolve())),
      new Promise<void>((resolve) => adminServer.close(() => resolve())),
    ]);
    proxy.closeIdleConnections();
    adminServer.closeIdleConnections();
    if (inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => {
          drained = resolve;
        }),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    proxy.closeAllConnections();
    adminServer.closeAllConnections();
    await closed;
    agent.destroy();
    auth.destroy();
  };

  return { proxy, admin: adminServer, session, auth, metrics, logger, proxyUrl, adminUrl, close };
}
