import type { ScribeAuth } from '../auth/index.js';
import type { Config } from '../config/index.js';
import type { Logger, Metrics } from '../observability/index.js';
import type { SessionChoice } from '../proxy/index.js';
import {
  deleteSessionFile,
  loadSavedSession,
  Session,
  SessionCache,
  sessionStates,
  writeSessionFile,
  type SessionSettings,
} from '../session/index.js';

/** The service's sessions: the shared one, or the per-client cache; and how ready they are. */
export interface ServiceSessions {
  choice: SessionChoice;
  shared: Session | undefined;
  cache: SessionCache | undefined;
  /** The first login (shared mode); nothing to wait for in per-client mode. */
  start(): Promise<void>;
  stop(): void;
  /** What /readyz answers: can the proxy serve, and what it may say without the admin token. */
  readiness(): { ready: boolean; state: string; detail: object };
}

/** The one account of the configuration, kept in its session file when there is one. */
async function sharedSessions(
  config: Config,
  auth: ScribeAuth,
  logger: Logger,
  metrics: Metrics,
): Promise<ServiceSessions> {
  // The session file, when there is one, holds the newest refresh token the proxy saw.
  // Refused at start when unsafe or another account's; passed over (warned) when damaged and a
  // password can log in instead.
  const sessionFile = config.sessionFile;
  const saved = sessionFile
    ? await loadSavedSession(sessionFile, {
        username: config.username,
        hasPassword: Boolean(config.username && config.password),
        warn: (message) => logger.warn({ event: 'session-file-damaged' }, message),
      })
    : undefined;
  const session: Session = new Session({
    auth,
    mode: config.authMode,
    username: config.username ?? saved?.username,
    password: config.password,
    refreshToken: saved?.refreshToken ?? config.refreshToken,
    onRefreshToken: sessionFile
      ? (refreshToken) =>
          refreshToken
            ? writeSessionFile(sessionFile, {
                refreshToken,
                username: session.status().username,
                ...sessionSettings(config),
                identityId: session.status().identityId,
              })
            : deleteSessionFile(sessionFile)
      : undefined,
    mfaSecret: config.mfaSecret,
    refreshMarginS: config.refreshMarginS,
    logger,
    onRefresh: (kind, outcome) => metrics.refreshes.inc({ kind, outcome }),
  });
  metrics.setExpirySource(() => session.secondsUntilExpiry());
  metrics.setStateSource(sessionStates, () => session.state);
  return {
    choice: { kind: 'shared', session },
    shared: session,
    cache: undefined,
    start: () =>
      session
        .start()
        .then(() =>
          logger.info({ event: 'session', ...session.status() }, `session ${session.state}`),
        ),
    stop: () => session.stop(),
    readiness: () => ({ ready: session.usable(), state: session.state, detail: session.status() }),
  };
}

/**
 * What the session file keeps beside the token, so that `scribe-proxy credentials` can use it
 * from any directory: the settings the token was obtained with (never a password or secret).
 */
function sessionSettings(config: Config): SessionSettings {
  return {
    clientId: config.clientId,
    userPoolId: config.userPoolId,
    identityPoolId: config.identityPoolId,
    region: config.region,
    cognitoEndpoint: config.cognitoEndpoint,
    identityEndpoint: config.identityEndpoint,
  };
}

/** One session per client login, logged in on first use (DESIGN.md, per-client mode). */
function perClientSessions(
  config: Config,
  auth: ScribeAuth,
  logger: Logger,
  metrics: Metrics,
): ServiceSessions {
  const cache = new SessionCache({
    max: config.maxSessions,
    idleMs: config.sessionIdleS * 1000,
    create: ({ username, password }) =>
      new Session({
        auth,
        mode: config.authMode,
        username,
        password,
        refreshMarginS: config.refreshMarginS,
        logger: logger.child({ user: username }),
        onRefresh: (kind, outcome) => metrics.refreshes.inc({ kind, outcome }),
      }),
    onLogin: (outcome) => {
      metrics.logins.inc({ outcome });
      metrics.recentLogins.record(outcome);
    },
    onEviction: (reason) => metrics.evictions.inc({ reason }),
  });
  metrics.setSessionsHeldSource(() => cache.size);
  const readiness = () => {
    const ready = cache.cognitoReachable;
    const state = ready ? 'ready' : 'unavailable';
    return { ready, state, detail: { state, mode: 'per-client', sessions: cache.size } };
  };
  return {
    choice: { kind: 'per-client', cache },
    shared: undefined,
    cache,
    start: () => Promise.resolve(),
    stop: () => cache.close(),
    readiness,
  };
}

/** The sessions the configuration asks for (PROXY_SESSIONS). */
export function serviceSessions(
  config: Config,
  auth: ScribeAuth,
  logger: Logger,
  metrics: Metrics,
): Promise<ServiceSessions> {
  return config.sessions === 'per-client'
    ? Promise.resolve(perClientSessions(config, auth, logger, metrics))
    : sharedSessions(config, auth, logger, metrics);
}
