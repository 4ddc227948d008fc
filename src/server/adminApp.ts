import express, { type Express, type RequestHandler, type Router } from 'express';
import { sendJsonError } from '../http/index.js';
import type { HealthRoutes } from './healthRoutes.js';

/** How the admin listener serves its app. */
export interface AdminAppOptions {
  /** The admin listener serves HTTPS (ADMIN_TLS_*): cookies may be `Secure`. */
  tls: boolean;
  /** Whether a `Host` is one the admin API answers (loopback or ADMIN_ALLOWED_HOSTS). */
  ownHost?: (host: string | undefined) => boolean;
  /** Told of an /admin request refused for its Host, for the log. */
  onHostRefused?: () => void;
}

/**
 * /admin answers only its own Host names: a page whose name was rebound to this address (DNS
 * rebinding) could otherwise post wrong tokens until the operator's address is throttled.
 * Refused before the token is looked at, so nothing it sends counts.
 */
function refuseForeignHost(options: AdminAppOptions): RequestHandler {
  return (req, res, next) => {
    const host = req.headers.host;
    if (!options.ownHost || options.ownHost(host)) return next();
    options.onHostRefused?.();
    sendJsonError(
      res,
      403,
      'host_refused',
      `the admin API does not answer to the host name ${JSON.stringify(String(host).slice(0, 100))} (DNS rebinding protection); add it to ADMIN_ALLOWED_HOSTS if operators use it`,
    );
  };
}

/**
 * The admin listener's app: health and metrics routes (any Host: the kubelet and Prometheus use
 * the pod's address), then the admin router and the console (at `/`) if enabled, which answer
 * only the listener's own Host names.
 */
export function createAdminApp(
  health: HealthRoutes,
  admin?: Router,
  options: AdminAppOptions = { tls: false },
  console?: Router,
): Express {
  const app = express();
  app.locals['tls'] = options.tls;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => health(req, res, () => next()));
  if (admin) app.use('/admin', refuseForeignHost(options), admin);
  if (console) app.use(console);
  app.use((_req, res) => sendJsonError(res, 404, 'not_found', 'no such route'));
  return app;
}
