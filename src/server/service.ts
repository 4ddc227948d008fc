import { ScribeAuth } from '../auth/index.js';
import { endpointOverrides, isLoopback, type Config } from '../config/index.js';
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
  upstreamOf,
} from '../proxy/index.js';
import { scribeAuthFor } from './scribeAuthFor.js';
import { adminHostCheck, type EgressProxy } from '../http/index.js';
import { OperatorActions, type Session, type SessionCache } from '../session/index.js';
import { serviceSessions } from './serviceSessions.js';
import { createAdminApp } from './adminApp.js';
import { healthRoutes } from './healthRoutes.js';
import { requestLog } from './requestLog.js';
import { createHardenedServer, defaultLimits, type Listener } from './hardenedServer.js';
import { ConnectionCap } from './connectionCap.js';
import { packageVersion } from '../version.js';
import { explainListenError } from './portInUse.js';
import { listen, untilAborted } from './listen.js';
import { startupNotices } from './startupNotices.js';
import { listenerTls } from './listenerTls.js';

/** The running proxy: both listeners, the session, and a way to stop gracefully. */
export interface Service {
  proxy: Listener;
  admin: Listener;
  /** Which listeners serve HTTPS. */
  tls: { proxy: boolean; admin: boolean };
  /** Read the TLS files of both listeners again (SIGHUP); a bad pair keeps the current one. */
  reloadTls(): void;
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
  /**
   * Receives the TLS reload (what SIGHUP does) as soon as the listeners exist: the first login
   * may take long, and a reload must work meanwhile.
   */
  onTlsReload?: (reload: () => void) => void;
  /** Override the admin password routes' rate limit (tests). */
  passwordRateLimit?: { limit: number; windowMs: number };
}

/** Compose and start the proxy and admin listeners around one session. */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel, undefined, config.logFormat);
  const overrides = endpointOverrides(config);
  if (overrides.length > 0) {
    logger.info({ event: 'endpoint-overrides', overrides }, 'Cognito endpoint overrides in force');
  }
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
  const metrics = createMetrics({
    version: packageVersion,
    mode: config.authMode,
    sessions: config.sessions,
  });
  const egress: EgressProxy = {
    httpsProxy: config.httpsProxy,
    httpProxy: config.httpProxy,
    noProxy: config.noProxy,
  };
  const auth = scribeAuthFor(config);
  const tlsContexts = listenerTls(config, logger, metrics);
  const { proxy: proxyTls, admin: adminTls } = tlsContexts;
  const sessions = await serviceSessions(config, auth, logger, metrics);
  const session = sessions.shared;

  const upstream = await upstreamOf(
    config.apiUrl,
    { timeoutMs: config.upstreamTimeoutMs, idleTimeoutMs: config.upstreamIdleTimeoutMs },
    egress,
  );
  const authorizer =
    config.authMode === 'sigv4'
      ? sigv4Authorizer(config.apiUrl, config.region)
      : bearerAuthorizer();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const requestEnded = () => {
    inFlight--;
    if (inFlight === 0) drained?.();
  };
  const handle = createProxyHandler({
    upstream: {
      ...upstream,
      observeLatency: (seconds, status) => metrics.upstreamSeries(status).observe(seconds),
    },
    browserGuard: {
      loopbackBind: isLoopback(config.proxyHost),
      allowedHosts: config.allowedHosts,
      allowedOrigins: config.allowedOrigins,
    },
    authorizer,
    sessions: sessions.choice,
    maxBodyBytes: config.maxBodyBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    onOverloaded: refusalCounter(metrics, 'buffered_bytes'),
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? 20_000,
    clientToken: config.proxyClientToken,
    onDone: requestLog(logger, metrics),
    onInternalError: (err, requestId) =>
      logger.error(
        { event: 'internal-error', requestId, err: redactText(String(err), secrets) },
        'a request failed inside the proxy',
      ),
  });
  const proxyCap = new ConnectionCap(
    config.proxyMaxConnections,
    refusalCounter(metrics, 'proxy_connections'),
  );
  const proxy = createHardenedServer(
    proxyCap.guard((req, res) => {
      inFlight++;
      // One derived promise per request (then with both callbacks), not two (catch, finally).
      handle(req, res).then(requestEnded, (err: unknown) => {
        logger.error(
          { event: 'internal-error', err: redactText(String(err), secrets) },
          'a request failed',
        );
        requestEnded();
      });
    }),
    defaultLimits,
    proxyTls?.serverOptions(),
  );
  proxyCap.watch(proxy);
  // `Expect: 100-continue`: the pipeline sends `100 Continue` itself once it wants the body
  // (readBody), so a request refused before (413 over the limit, 503, 401, 403) never gets one.
  // Node would send it at once; with a listener here it leaves it to the handler.
  proxy.on('checkContinue', (req, res) => proxy.emit('request', req, res));
  if (proxyTls && 'setSecureContext' in proxy) proxyTls.attach(proxy);
  const onAction = (action: string, outcome: 'ok' | 'failed', detail?: string, status?: number) =>
    logger.info(
      {
        event: 'admin',
        action,
        outcome,
        ...(detail ? { detail } : {}),
        ...(status ? { status } : {}),
      },
      `admin ${action} ${outcome}`,
    );
  const adminToken = config.adminToken;
  const ownHost = adminHostCheck(config.adminAllowedHosts);
  const tls = { proxy: proxyTls !== undefined, admin: adminTls !== undefined };
  const actions = session ? new OperatorActions(session) : undefined;
  // The admin API (zod, its OpenAPI document) and the console (preact, its pages) are loaded
  // only when ADMIN_TOKEN enables them: a sidecar without one serves health and metrics alone.
  const [adminModule, consoleModule] = adminToken
    ? await Promise.all([import('../admin/index.js'), import('../admin/console/index.js')])
    : [];
  // One count of wrong admin tokens per address for the admin API and /readyz alike.
  const throttle = adminModule?.adminTokenThrottle();
  const adminApp = createAdminApp(
    healthRoutes(
      sessions.readiness,
      metrics,
      adminToken && throttle
        ? {
            adminToken,
            throttle,
            ownHost,
            onRefused: (reason, status) => onAction('authenticate', 'failed', reason, status),
          }
        : undefined,
    ),
    !adminToken || !adminModule || !throttle
      ? undefined
      : session && actions
        ? adminModule.adminRouter({
            session,
            actions,
            adminToken,
            passwordRateLimit: options.passwordRateLimit,
            onAction,
            adminTokenThrottle: throttle,
          })
        : adminModule.sessionsRouter({
            sessions: sessions.cache as SessionCache,
            adminToken,
            onAction,
            adminTokenThrottle: throttle,
          }),
    {
      tls: tls.admin,
      ownHost,
      onHostRefused: () => onAction('authenticate', 'failed', 'host_refused', 403),
    },
    !adminToken || !consoleModule
      ? undefined
      : consoleModule.createConsole({
          adminToken,
          tls: tls.admin,
          ownHost,
          shared: session && actions ? { session, actions } : undefined,
          perClient: sessions.cache ? { sessions: sessions.cache } : undefined,
          requests: metrics.recentRequests,
          logins: metrics.recentLogins,
          onAction,
        }),
  );
  const adminCap = new ConnectionCap(
    config.adminMaxConnections,
    refusalCounter(metrics, 'admin_connections'),
  );
  const adminServer = createHardenedServer(
    adminCap.guard((req, res) => adminApp(req, res)),
    defaultLimits,
    adminTls?.serverOptions(),
  );
  adminCap.watch(adminServer);
  if (adminTls && 'setSecureContext' in adminServer) adminTls.attach(adminServer);

  const proxyUrl = await listen(proxy, config.proxyHost, config.proxyPort).catch((err) => {
    throw explainListenError(err, 'PROXY_PORT', config.proxyHost, config.proxyPort);
  });
  const adminUrl = await listen(adminServer, config.adminHost, config.adminPort).catch((err) => {
    proxy.close();
    throw explainListenError(err, 'ADMIN_PORT', config.adminHost, config.adminPort);
  });
  logger.info(
    {
      event: 'listening',
      version: packageVersion,
      proxy: proxyUrl,
      admin: adminUrl,
      tls,
      upstream: config.apiUrl.toString(),
      mode: config.authMode,
      sessions: config.sessions,
    },
    `scribe-proxy ${packageVersion} listening on ${proxyUrl} (${config.authMode}, ${config.sessions} sessions; proxy ${tls.proxy ? 'HTTPS' : 'HTTP'}, admin ${tls.admin ? 'HTTPS' : 'HTTP'}), forwarding to ${config.apiUrl.toString()}; admin on ${adminUrl}`,
  );
  startupNotices(config, logger);
  const reloadTls = () => tlsContexts.reload();
  options.onTlsReload?.(reloadTls);
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
    tlsContexts.close();
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
    await upstream.connections.pool.destroy().catch(() => {});
    auth.destroy();
  };

  return {
    proxy,
    admin: adminServer,
    tls,
    reloadTls,
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

/** Count one overload refusal for `reason` (the labelled child made once). */
function refusalCounter(metrics: Metrics, reason: string): () => void {
  const counter = metrics.overloadRefusals.labels(reason);
  return () => counter.inc();
}
