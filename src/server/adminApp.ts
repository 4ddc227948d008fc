import express, { type Express, type Router } from 'express';
import { sendJsonError } from '../http/index.js';

/** The admin listener's app: health and metrics routes, then the admin router if enabled. */
export function createAdminApp(health: Router, admin?: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(health);
  if (admin) app.use('/admin', admin);
  app.use((_req, res) => sendJsonError(res, 404, 'not_found', 'no such route'));
  return app;
}
