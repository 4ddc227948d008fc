import { Router } from 'express';
import type { Metrics } from '../observability/index.js';
import type { Session } from '../session/index.js';

/** /healthz (process up), /readyz (the session can sign now), /metrics (Prometheus). */
export function healthRoutes(session: Session, metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    res.status(session.usable() ? 200 : 503).json(session.status());
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
