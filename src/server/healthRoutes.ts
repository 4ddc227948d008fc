import { Router, type Response } from 'express';
// Not the admin index: its router and OpenAPI document load zod, which health alone never needs.
import {
  countWrongToken,
  lockedOut,
  type AdminTokenRefusal,
  type AdminTokenThrottle,
} from '../admin/requireAdminToken.js';
import { bearerCheck, bearerToken } from '../http/index.js';
import type { Metrics } from '../observability/index.js';

/** What /readyz reports: can the proxy serve, its state, and the detail for the operator. */
export type Readiness = () => { ready: boolean; state: string; detail: object };

/** The admin token /readyz shows the detail for, and the listener's count of wrong ones. */
export interface ReadyzToken {
  adminToken: string;
  throttle: AdminTokenThrottle;
  /**
   * Whether a `Host` is the admin listener's own: a token sent under another name (a rebound
   * page's) is taken as no token, so it neither shows the detail nor counts toward the throttle.
   */
  ownHost: (host: string | undefined) => boolean;
  /** Told of a wrong token (or one from a locked-out address) and the status answered. */
  onRefused?: (reason: AdminTokenRefusal, status: number) => void;
}

// What the throttle adds to an answer: /readyz answers a locked-out address as any probe.
const throttleHeaders = ['ratelimit', 'ratelimit-policy', 'retry-after'];

/**
 * /healthz (process up), /readyz (the shared session can sign now; a per-client gateway can
 * reach Cognito), /metrics (Prometheus). /readyz is reachable by probes without a token, so
 * without the admin token it says the state only: the username, identity id and times are for
 * the operator. A token sent there is a guess like one at the admin API: counted by the same
 * per-address throttle and logged; a locked-out address gets the state only, right token or not.
 * A probe without a token never touches the throttle, and answers any Host (the kubelet's is the
 * pod's address); a token counts only under the listener's own names.
 */
export function healthRoutes(readiness: Readiness, metrics: Metrics, token?: ReadyzToken): Router {
  const router = Router();
  const isAdmin = token ? bearerCheck(token.adminToken) : () => false;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const answer = (res: Response, full: boolean) => {
    const { ready, state, detail } = readiness();
    res.status(ready ? 200 : 503).json(full ? detail : { state });
  };
  router.get('/readyz', (req, res) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined || !token || !token.ownHost(req.headers.host)) {
      return answer(res, false);
    }
    void token.throttle(req, res, () => {
      for (const header of throttleHeaders) res.removeHeader(header);
      if (lockedOut(res)) {
        answer(res, false);
        return token.onRefused?.('too_many_failures', res.statusCode);
      }
      if (isAdmin(presented)) return answer(res, true);
      countWrongToken(res);
      answer(res, false);
      token.onRefused?.('wrong_token', res.statusCode);
    });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
