import express, { type Express, type Router } from 'express';

/** The admin listener's app: health and metrics routes, then the admin router if enabled. */
export function createAdminApp(health: Router, admin?: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(health);
  if (admin) app.use('/admin', admin);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
  });
  return app;
}
