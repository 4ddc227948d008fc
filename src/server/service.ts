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
  freshUpstreamAgent,
  upstreamAgent,
  upstreamHostname,
} from '../proxy/index.js';
import { cognitoAgents } from './cognitoAgents.js';
import type { EgressProxy } from '../http/index.js';
import { adminRouter, sessionsRouter } from '../admin/index.js';
import { createConsole } from '../admin/console/index.js';
import { OperatorActions, type Session, type SessionCache } from '../session/index.js';
import { serviceSessions } from './serviceSessions.js';
import { createAdminApp } from './adminApp.js';
import { healthRoutes } from './healthRoutes.js';
import { requestLog } from './requestLog.js';
import { createHardenedServer } from './hardenedServer.js';

/** The running proxy: both listeners, the session, and a way to stop gracefully. */
export interface Service {
  proxy: Server;
  admin: Server;
  /** The shared session (PROXY_SESSIONS=shared). */
  session: Session | undefined;
  /** The per-client sessions (PROXY_SESSIONS=per-client). */
  sessions: SessionCache | undefined;
  auth: ScribeAuth;
  metrics: Metrics;
  logger: Logger;
  proxyUrl: string;
  adminUrl: string;
  /**
   * Stop accepting, let in-flight requests finish within `graceMs` (default SHUTDOWN_GRACE_S),
   * cut what is still running (503, or a broken stream), then close everything.
   */
  close(graceMs?: number): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  /**
   * Stop waiting for the first login when this aborts (a signal during start): startService
   * then returns at once, for the caller to close the service.
   */
  startAbort?: AbortSignal;
  /** Longest pause in a client's upload (default 20 s). */
  bodyIdleTimeoutMs?: number;
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

/** Wait for `promise`, or less: until `signal` aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void promise.then(done);
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
    // An egress proxy URL may carry its own user and password.
    config.httpsProxy,
    config.httpProxy,
  ];
  const metrics = createMetrics();
  const egress: EgressProxy = {
    httpsProxy: config.httpsProxy,
    httpProxy: config.httpProxy,
    noProxy: config.noProxy,
  };
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
    agents: cognitoAgents(config, egress),
  });
  const sessions = await serviceSessions(config, auth, logger, metrics);
  const session = sessions.shared;

  const agent = upstreamAgent(config.apiUrl, egress);
  const authorizer =
    config.authMode === 'sigv4'
      ? sigv4Authorizer(config.apiUrl, config.region)
      : bearerAuthorizer();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const handle = createProxyHandler({
    upstream: {
      url: config.apiUrl,
      hostname: upstreamHostname(config.apiUrl),
      timeoutMs: config.upstreamTimeoutMs,
      idleTimeoutMs: config.upstreamIdleTimeoutMs,
      agent,
      freshAgent: freshUpstreamAgent(config.apiUrl, egress),
      observeLatency: (seconds, status) =>
        metrics.upstreamLatency.observe({ status: String(status) }, seconds),
    },
    authorizer,
    sessions: sessions.choice,
    maxBodyBytes: config.maxBodyBytes,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? 20_000,
    clientToken: config.proxyClientToken,
    onDone: requestLog(logger, metrics),
    onInternalError: (err, requestId) =>
      logger.error(
        { event: 'internal-error', requestId, err: redactText(String(err), secrets) },
        'a request failed inside the proxy',
      ),
  });
  const proxy = createHardenedServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch((err: unknown) =>
        logger.error(
          { event: 'internal-error', err: redactText(String(err), secrets) },
          'a request failed',
        ),
      )
      .finally(() => {
        inFlight--;
        if (inFlight === 0) drained?.();
      });
  });
  const onAction = (action: string, outcome: 'ok' | 'failed', detail?: string) =>
    logger.info(
      { event: 'admin', action, outcome, ...(detail ? { detail } : {}) },
      `admin ${action} ${outcome}`,
    );
  const adminToken = config.adminToken;
  const actions = session ? new OperatorActions(session) : undefined;
  const admin = createAdminApp(
    healthRoutes(sessions.readiness, metrics, adminToken),
    !adminToken
      ? undefined
      : session && actions
        ? adminRouter({
            session,
            actions,
            adminToken,
            passwordRateLimit: options.passwordRateLimit,
            onAction,
          })
        : sessionsRouter({ sessions: sessions.cache as SessionCache, adminToken, onAction }),
    !adminToken
      ? undefined
      : createConsole({
          adminToken,
          loopbackOnly: isLoopback(config.adminHost),
          shared: session && actions ? { session, actions } : undefined,
          perClient: sessions.cache ? { sessions: sessions.cache } : undefined,
          requests: metrics.recentRequests,
          logins: metrics.recentLogins,
          onAction,
        }),
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
      sessions: config.sessions,
    },
    'scribe-proxy listening',
  );
  if (!isLoopback(config.proxyHost) && config.sessions === 'per-client') {
    logger.warn(
      { event: 'cleartext-logins' },
      `per-client mode on ${config.proxyHost}: clients send their Scribe passwords in every request, in clear over plain HTTP; put TLS in front (an ingress or a TLS-terminating sidecar; README "Scale")`,
    );
  }
  if (!isLoopback(config.proxyHost) && !config.proxyClientToken && config.sessions === 'shared') {
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
  await untilAborted(sessions.start(), options.startAbort);

  const untilDrained = (ms: number) =>
    inFlight === 0
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => setTimeout(resolve, ms).unref()),
        ]);
  const close = async (graceMs = config.shutdownGraceS * 1000): Promise<void> => {
    sessions.stop();
    const closed = Promise.all([
      new Promise<void>((resolve) => proxy.close(() => resolve())),
      new Promise<void>((resolve) => adminServer.close(() => resolve())),
    ]);
    proxy.closeIdleConnections();
    adminServer.closeIdleConnections();
    await untilDrained(graceMs);
    if (inFlight > 0) {
      logger.warn(
        { event: 'shutdown-cut', inFlight },
        `the shutdown grace ended: cutting ${inFlight} request(s) still running`,
      );
      handle.cutInFlight();
      await untilDrained(1000);
    }
    proxy.closeAllConnections();
    adminServer.closeAllConnections();
    await closed;
    agent.destroy();
    auth.destroy();
  };

  return {
    proxy,
    admin: adminServer,
    session,
    sessions: sessions.cache,
    auth,
    metrics,
    logger,
    proxyUrl,
    adminUrl,
    close,
  };
}
