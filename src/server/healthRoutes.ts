import { Router } from 'express';
import { bearerCheck, bearerToken } from '../http/index.js';
import type { Metrics } from '../observability/index.js';

/** What /readyz reports: can the proxy serve, its state, and the detail for the operator. */
export type Readiness = () => { ready: boolean; state: string; detail: object };

/**
 * /healthz (process up), /readyz (the shared session can sign now; a per-client gateway can
 * reach Cognito), /metrics (Prometheus). /readyz is reachable by probes without a token, so
 * without the admin token it says the state only: the username, identity id and times are for
 * the operator.
 */
export function healthRoutes(readiness: Readiness, metrics: Metrics, adminToken?: string): Router {
  const router = Router();
  const isAdmin = adminToken ? bearerCheck(adminToken) : () => false;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (req, res) => {
    const { ready, state, detail } = readiness();
    const presented = bearerToken(req.headers.authorization);
    const full = presented !== undefined && isAdmin(presented);
    res.status(ready ? 200 : 503).json(full ? detail : { state });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
