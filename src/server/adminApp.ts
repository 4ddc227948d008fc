import express, { type Express, type Router } from 'express';
import { sendJsonError } from '../http/index.js';

/** How the admin listener serves its app. */
export interface AdminAppOptions {
  /** The admin listener serves HTTPS (ADMIN_TLS_*): cookies may be `Secure`. */
  tls: boolean;
}

/**
 * The admin listener's app: health and metrics routes, then the admin router and the console
 * (at `/`) if enabled.
 */
export function createAdminApp(
  health: Router,
  admin?: Router,
  options: AdminAppOptions = { tls: false },
  console?: Router,
): Express {
  const app = express();
  app.locals['tls'] = options.tls;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(health);
  if (admin) app.use('/admin', admin);
  if (console) app.use(console);
  app.use((_req, res) => sendJsonError(res, 404, 'not_found', 'no such route'));
  return app;
}
