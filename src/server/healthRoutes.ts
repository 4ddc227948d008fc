import { Router } from 'express';
import { bearerCheck, bearerToken } from '../http/index.js';
import type { Metrics } from '../observability/index.js';
import type { Session } from '../session/index.js';

/**
 * /healthz (process up), /readyz (the session can sign now), /metrics (Prometheus). /readyz is
 * reachable by probes without a token, so without the admin token it says the state only: the
 * username, identity id and times are for the operator.
 */
export function healthRoutes(session: Session, metrics: Metrics, adminToken?: string): Router {
  const router = Router();
  const isAdmin = adminToken ? bearerCheck(adminToken) : () => false;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (req, res) => {
    const status = session.status();
    const presented = bearerToken(req.headers.authorization);
    const full = presented !== undefined && isAdmin(presented);
    res.status(session.usable() ? 200 : 503).json(full ? status : { state: status.state });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
