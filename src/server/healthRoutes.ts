import { Router } from 'express';
import type { Metrics } from '../observability/index.js';
import type { Session } from '../session/index.js';

/** /healthz (process up), /readyz (session usable), /metrics (Prometheus). */
export function healthRoutes(session: Session, metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const status = session.status();
    const usable = status.state === 'ready' || status.state === 'degraded';
    res.status(usable ? 200 : 503).json(status);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
