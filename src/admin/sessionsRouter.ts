import { Router, type ErrorRequestHandler } from 'express';
import { ScribeAuthError } from '../auth/index.js';
import { sendJsonError } from '../http/index.js';
import type { SessionCache } from '../session/index.js';
import { requireAdminToken } from './requireAdminToken.js';
import { openApiDocument } from './openApi.js';

export interface SessionsRouterOptions {
  sessions: SessionCache;
  adminToken: string;
  /** Called when an admin action fails or succeeds, for the log (no secrets passed). */
  onAction?: (action: string, outcome: 'ok' | 'failed', detail?: string) => void;
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
  router.use(requireAdminToken(options.adminToken));

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
      return sendJsonError(res, 400, 'invalid_query', 'revoke must be true or false');
    }
    try {
      const result = await sessions.evict(username, revoke === 'true');
      if (result.evicted === 0) {
        options.onAction?.('evict', 'failed', 'not_found');
        return sendJsonError(res, 404, 'not_found', 'no session is held for this username');
      }
      options.onAction?.('evict', 'ok');
      res.json({ username, ...result });
    } catch (err) {
      options.onAction?.('evict', 'failed', err instanceof Error ? err.name : 'error');
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

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof ScribeAuthError) {
      const status = [400, 401, 403, 429].includes(err.httpStatus) ? err.httpStatus : 502;
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
