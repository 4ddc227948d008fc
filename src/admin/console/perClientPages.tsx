import { Router } from 'express';
import type { SessionCache } from '../../session/index.js';
import { formAction, FormError, pageContext } from './formActions.js';
import { EvictPage, SessionsPage } from './pages/SessionsPage.js';
import type { MinuteCounts } from './pages/TrafficChart.js';
import { sendPage } from './render.js';

export interface PerClientPagesOptions {
  sessions: SessionCache;
  requests: { minutes(): MinuteCounts[] };
  logins: { minutes(): MinuteCounts[] };
  refreshS?: number;
  onAction?: (action: string, outcome: 'ok' | 'failed', detail?: string) => void;
}

/** A query value as one bounded string ('' when absent or repeated). */
function queryText(value: unknown, max = 128): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/**
 * Per-client mode's pages (behind the console session guard): the sessions held, filtered by
 * name, and eviction (with or without revoke) after a confirmation; the same SessionCache calls
 * as `GET /admin/sessions` and `DELETE /admin/sessions/{username}`.
 */
export function perClientPages(options: PerClientPagesOptions): Router {
  const { sessions } = options;
  const router = Router();

  router.get('/', (req, res) => {
    const filter = queryText(req.query['name']).trim();
    const all = sessions.list();
    const needle = filter.toLowerCase();
    const shown = filter ? all.filter((s) => s.username.toLowerCase().includes(needle)) : all;
    sendPage(
      res,
      200,
      <SessionsPage
        ctx={pageContext(res, '/', 'per-client')}
        sessions={shown}
        filter={filter}
        held={all.length}
        logins={options.logins.minutes()}
        requests={options.requests.minutes()}
        now={Date.now()}
        refreshS={options.refreshS ?? 30}
      />,
    );
  });

  router.get('/sessions/evict', (req, res) => {
    const username = queryText(req.query['username']);
    if (!username) return res.redirect(303, '/');
    sendPage(
      res,
      200,
      <EvictPage
        ctx={pageContext(res, '/sessions/evict', 'per-client')}
        username={username}
        revoke={req.query['revoke'] === 'true'}
      />,
    );
  });

  router.post(
    '/sessions/evict',
    formAction(
      'console-evict',
      { done: '/', back: '/' },
      async (fields) => {
        const username = fields['username'];
        if (!username || username.length > 128) throw new FormError('username: required');
        const revoke = fields['revoke'] === 'true';
        const result = await sessions.evict(username, revoke);
        if (result.evicted === 0) throw new FormError(`no session is held for ${username}`);
        return revoke
          ? `Evicted ${result.evicted} session(s) of ${username}, ${result.revoked} refresh token(s) revoked.`
          : `Evicted ${result.evicted} session(s) of ${username}.`;
      },
      options.onAction,
    ),
  );
  return router;
}
