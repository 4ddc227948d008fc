import express, { type Express, type Router } from 'express';
import { sendJsonError } from '../http/index.js';

/**
 * The admin listener's app: health and metrics routes, then the admin router and the console
 * (at `/`) if enabled.
 */
export function createAdminApp(health: Router, admin?: Router, console?: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(health);
  if (admin) app.use('/admin', admin);
  if (console) app.use(console);
  app.use((_req, res) => sendJsonError(res, 404, 'not_found', 'no such route'));
  return app;
}
