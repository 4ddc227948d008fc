import type { RequestHandler } from 'express';
import { bearerCheck, bearerToken, sendJsonError } from '../http/index.js';

/** Require `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; else 401. */
export function requireAdminToken(token: string): RequestHandler {
  const matches = bearerCheck(token);
  return (req, res, next) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented !== undefined && matches(presented)) return next();
    sendJsonError(res, 401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>', {
      'www-authenticate': 'Bearer realm="scribe-proxy admin"',
    });
  };
}
