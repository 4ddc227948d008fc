import { Router, type ErrorRequestHandler } from 'express';
import { ScribeAuthError } from '../auth/index.js';
import { sendJsonError } from '../http/index.js';
import type { SessionCache } from '../session/index.js';
import type { AdminActionListener } from './adminRouter.js';
import { requireAdminToken, type AdminTokenThrottle } from './requireAdminToken.js';
import { openApiDocument } from './openApi.js';

export interface SessionsRouterOptions {
  sessions: SessionCache;
  adminToken: string;
  /** Called with what each admin action was answered, for the log (no secrets passed). */
  onAction?: AdminActionListener;
  /** The listener's count of wrong admin tokens, shared with /readyz (default: the router's own). */
  adminTokenThrottle?: AdminTokenThrottle;
}

/** The status a refused revoke is answered with. */
function revokeStatus(err: ScribeAuthError): number {
  return [400, 401, 403, 429].includes(err.httpStatus) ? err.httpStatus : 502;
}

/** The shared-session routes, which a per-client gateway does not have. */
const sharedOnly = [
  '/session',
  '/login',
  '/mfa',
  '/mfa/setup',
  '/mfa/verify',
  '/password',
  '/password/forgot',
  '/password/confirm',
  '/revoke',
];

/**
 * The /admin router of a per-client gateway, behind the admin token: the sessions held
 * (`GET /admin/sessions`: username, state, expiry and use times, never a secret) and eviction of
 * one account's sessions (`DELETE /admin/sessions/{username}`, `?revoke=true` to also revoke
 * their refresh tokens).
 */
export function sessionsRouter(options: SessionsRouterOptions): Router {
  const { sessions } = options;
  const router = Router();
  router.use(
    requireAdminToken(options.adminToken, {
      onRefused: (reason, status) => options.onAction?.('authenticate', 'failed', reason, status),
      throttle: options.adminTokenThrottle,
    }),
  );

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  router.get('/sessions', (_req, res) => {
    res.json({ sessions: sessions.list() });
  });

  router.delete('/sessions/:username', async (req, res, next) => {
    const { username } = req.params;
    const revoke = req.query['revoke'];
    if (revoke !== undefined && revoke !== 'true' && revoke !== 'false') {
      options.onAction?.('evict', 'failed', 'invalid_query', 400);
      return sendJsonError(res, 400, 'invalid_query', 'revoke must be true or false');
    }
    try {
      const result = await sessions.evict(username, revoke === 'true');
      if (result.evicted === 0) {
        options.onAction?.('evict', 'failed', 'not_found', 404);
        return sendJsonError(res, 404, 'not_found', 'no session is held for this username');
      }
      options.onAction?.('evict', 'ok', undefined, 200);
      res.json({ username, ...result });
    } catch (err) {
      const status = err instanceof ScribeAuthError ? revokeStatus(err) : 500;
      options.onAction?.(
        'evict',
        'failed',
        status === 500 ? 'internal_error' : 'revoke_failed',
        status,
      );
      next(err);
    }
  });

  router.all(sharedOnly, (_req, res) =>
    sendJsonError(
      res,
      409,
      'per_client_mode',
      'this gateway holds one session per client (PROXY_SESSIONS=per-client): see GET /admin/sessions; clients manage their own accounts with the scribe-proxy CLI',
    ),
  );
  router.use((_req, res) => sendJsonError(res, 404, 'not_found', 'no such admin route'));

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    // A path that is not valid percent-encoded UTF-8 never reaches a route: say so, and log it.
    const status = (err as { status?: unknown }).status;
    if (!(err instanceof ScribeAuthError) && typeof status === 'number' && status === 400) {
      options.onAction?.(
        req.method === 'DELETE' ? 'evict' : 'sessions',
        'failed',
        'invalid_path',
        400,
      );
      return sendJsonError(res, 400, 'invalid_path', 'the path is not valid percent-encoded UTF-8');
    }
    if (err instanceof ScribeAuthError) {
      const status = revokeStatus(err);
      return sendJsonError(
        res,
        status,
        'revoke_failed',
        `${err.message} (the session was kept: revoke again later)`,
      );
    }
    sendJsonError(res, 500, 'internal_error', 'the admin action failed');
  };
  router.use(onError);
  return router;
}
